//! asyncio's other constructs on the fake host: `Semaphore`, `TaskGroup`,
//! `as_completed`, `to_thread` and `asyncio.timeout`, each against what
//! CPython does with the same tasks.

use super::*;
use crate::experiment::{AfterWait, Awaiting};
use crate::io_model::io_tasks;

/// The most spans of `kind` open at one instant.
fn most_at_once(x: &Execution, kind: SpanKind) -> usize {
    let spans = spans_of(x, kind);
    spans
        .iter()
        .map(|a| {
            spans
                .iter()
                .filter(|b| b.start_us <= a.start_us && a.start_us < b.end_us)
                .count()
        })
        .max()
        .unwrap_or(0)
}

fn outcome_of(x: &Execution, task: usize) -> Option<Outcome> {
    x.done
        .iter()
        .chain(&x.late)
        .find(|s| s.task as usize == task)
        .map(|s| s.outcome)
}

#[test]
fn a_semaphore_bounds_the_waits_in_flight_and_the_model_schedules_them() {
    let host = FakeHost::new();
    let e = Experiment {
        limit: Some(5),
        ..io(Strategy::ConcurrentAwait, 20, 100)
    };
    let x = run(&host, e);
    // Four rounds of five: Little's law, 5 in flight ÷ 0.1 s = 50 tasks/s.
    assert!(close(x.wall_ms, 400.0), "wall {}", x.wall_ms);
    assert_eq!(most_at_once(&x, SpanKind::IoWait), 5);
    for s in spans_of(&x, SpanKind::IoWait) {
        let round = u64::from(s.task / 5);
        assert_eq!(
            s.start_us,
            round * 100_000,
            "task {} starts with its round",
            s.task
        );
    }
    // The tasks after the first five queue on the loop for their place.
    assert_eq!(spans_of(&x, SpanKind::Queued).len(), 15);
    assert!(close(x.predicted.wall_ms, 400.0), "{:?}", x.predicted);
    let r = report(x);
    let throughput = r.figures.throughput_per_s.expect("tasks finished");
    assert!((throughput - 50.0).abs() < 0.5, "{throughput} tasks/s");
}

#[test]
fn a_task_group_cancels_the_siblings_at_the_first_failure() {
    let host = FakeHost::new();
    let e = Experiment {
        awaiting: Awaiting::TaskGroup,
        latency: Latency::Uniform,
        latency_ms: 200,
        spread_ms: 150,
        failure_rate: 0.3,
        seed: 7,
        // The group cancels even when the experiment would let them finish.
        after_wait: AfterWait::LetFinish,
        ..io(Strategy::ConcurrentAwait, 10, 200)
    };
    let workload = io_tasks(&e);
    let first_failure = workload
        .iter()
        .filter(|t| t.fails)
        .map(|t| t.latency_us.div_ceil(1000))
        .min()
        .expect("the seed gives a failure");
    assert!(workload
        .iter()
        .any(|t| t.latency_us.div_ceil(1000) > first_failure));
    let x = run(&host, e);
    assert!(close(x.wall_ms, first_failure as f64), "wall {}", x.wall_ms);
    for t in &workload {
        let ms = t.latency_us.div_ceil(1000);
        let expected = match (ms <= first_failure, t.fails) {
            (true, true) => Outcome::Error,
            (true, false) => Outcome::Ok,
            (false, _) => Outcome::Cancelled,
        };
        assert_eq!(
            outcome_of(&x, t.index as usize),
            Some(expected),
            "task {}",
            t.index
        );
    }
    // The model uses the exact latency; the page's timers round up to the ms.
    let model_error = x.predicted.wall_ms - first_failure as f64;
    assert!((-1.0..=0.0).contains(&model_error), "{:?}", x.predicted);
}

#[test]
fn as_completed_handles_each_result_when_it_arrives_in_completion_order() {
    let host = FakeHost::new();
    let e = Experiment {
        awaiting: Awaiting::AsCompleted,
        latency: Latency::Exponential,
        ..io(Strategy::ConcurrentAwait, 8, 100)
    };
    let workload = io_tasks(&e);
    let x = run(&host, e);
    let handled = spans_of(&x, SpanKind::Handled);
    assert_eq!(handled.len(), 8);
    for h in &handled {
        let latency_ms = workload[h.task as usize].latency_us.div_ceil(1000);
        assert_eq!(
            h.start_us,
            latency_ms * 1000,
            "task {} handled as it ends",
            h.task
        );
        assert_eq!(h.start_us, h.end_us);
    }
    let mut by_latency: Vec<(u64, u32)> = workload
        .iter()
        .map(|t| (t.latency_us.div_ceil(1000), t.index))
        .collect();
    by_latency.sort_unstable();
    let order: Vec<u32> = handled.iter().map(|h| h.task).collect();
    assert_eq!(order, by_latency.iter().map(|t| t.1).collect::<Vec<_>>());
    // An instant: it changes neither lifetimes nor the figures.
    let r = report(x);
    assert!(r.figures.concurrency.is_some());
}

#[test]
fn to_thread_runs_blocking_waits_on_the_default_executor_s_threads() {
    let host = FakeHost::new();
    // Two cores: min(32, 2 + 4) = 6 threads, so 20 blocking waits take 4 rounds.
    let x = run(&host, io(Strategy::ToThread, 20, 100));
    assert!(close(x.wall_ms, 400.0), "wall {}", x.wall_ms);
    assert_eq!(most_at_once(&x, SpanKind::IoWait), 6);
    assert!(close(x.predicted.wall_ms, 400.0), "{:?}", x.predicted);
    // Each call waits on the lane of the thread that made it, never on the
    // loop's, and no thread makes two calls at once.
    let waits = spans_of(&x, SpanKind::IoWait);
    assert!(waits
        .iter()
        .all(|s| matches!(s.lane, Lane::Thread(i) if i < 6)));
    for a in &waits {
        let overlapping = waits
            .iter()
            .filter(|b| b.lane == a.lane && b.start_us < a.end_us && a.start_us < b.end_us);
        assert_eq!(overlapping.count(), 1, "{a:?}");
    }
}

#[test]
fn a_cancelled_blocking_call_settles_at_once_but_holds_its_thread_to_the_end() {
    let host = FakeHost::new();
    let e = Experiment {
        latency: Latency::Uniform,
        spread_ms: 90,
        return_when: ReturnWhen::FirstCompleted,
        ..io(Strategy::ToThread, 4, 100)
    };
    let workload = io_tasks(&e);
    let x = run(&host, e);
    let first = workload
        .iter()
        .map(|t| t.latency_us.div_ceil(1000))
        .min()
        .unwrap_or(0);
    assert!(close(x.wall_ms, first as f64), "wall {}", x.wall_ms);
    for s in spans_of(&x, SpanKind::IoWait) {
        let latency_ms = workload[s.task as usize].latency_us.div_ceil(1000);
        // The thread sleeps its whole latency, cancelled or not.
        assert_eq!(s.end_us, latency_ms * 1000, "task {}", s.task);
        if latency_ms > first {
            assert_eq!(s.outcome, Outcome::Cancelled);
        }
    }
}

#[test]
fn to_thread_cpu_work_takes_turns_on_the_gil() {
    let host = FakeHost::new();
    let x = run(&host, cpu(Strategy::ToThread, 1, 4));
    // Under the GIL one thread computes at a time: the sum of the tasks.
    assert!(close(x.wall_ms, 4.0 * TASK_MS), "wall {}", x.wall_ms);
    assert_eq!(
        x.done.iter().filter(|s| s.outcome == Outcome::Ok).count(),
        4
    );
    // Each task computes on the lane of the executor's thread that took it
    // (a pool worker stands in for it): threads of their own, not workers.
    let cpu = spans_of(&x, SpanKind::Cpu);
    assert!(!cpu.is_empty());
    assert!(
        cpu.iter().all(|s| matches!(s.lane, Lane::Thread(_))),
        "{cpu:?}"
    );
}

/// Waits of 100, 200 and 300 ms under a 150 ms timeout.
fn staggered(awaiting: Awaiting) -> Execution {
    let host = FakeHost::new();
    let e = Experiment {
        awaiting,
        latency: Latency::Uniform,
        latency_ms: 200,
        spread_ms: 100,
        timeout_ms: Some(150),
        after_wait: AfterWait::LetFinish,
        seed: 3,
        ..io(Strategy::ConcurrentAwait, 3, 200)
    };
    run(&host, e)
}

#[test]
fn asyncio_timeout_cancels_at_the_deadline_where_wait_s_timeout_does_not() {
    let waited = staggered(Awaiting::Wait);
    let gathered = staggered(Awaiting::Gather);
    for x in [&waited, &gathered] {
        assert!(close(x.wall_ms, 150.0), "wall {}", x.wall_ms);
        assert!(x.timed_out);
    }
    let ends = |x: &Execution| -> Vec<(u64, Outcome)> {
        let mut v: Vec<(u64, Outcome)> = spans_of(x, SpanKind::IoWait)
            .iter()
            .map(|s| (s.end_us / 1000, s.outcome))
            .collect();
        v.sort_unstable_by_key(|e| e.0);
        v
    };
    // wait(timeout=…) returns, and the tasks it left run on to their end.
    let late = ends(&waited);
    assert_eq!(
        late.iter().filter(|e| e.1 == Outcome::Ok).count(),
        3,
        "{late:?}"
    );
    assert!(late.iter().any(|e| e.0 > 150), "{late:?}");
    // asyncio.timeout cancels them at the deadline.
    let cut = ends(&gathered);
    let cancelled: Vec<_> = cut.iter().filter(|e| e.1 == Outcome::Cancelled).collect();
    assert!(!cancelled.is_empty(), "{cut:?}");
    assert!(cancelled.iter().all(|e| e.0 == 150), "{cut:?}");
    assert_eq!(gathered.late.len(), cancelled.len());
}

#[test]
fn a_fetch_lasts_at_least_the_drawn_latency_as_a_slow_server_s_answer() {
    let host = FakeHost::new();
    let e = Experiment {
        io_source: crate::experiment::IoSource::Fetch,
        ..io(Strategy::ConcurrentAwait, 4, 100)
    };
    let x = run(&host, e);
    // The fake's request is quicker than 100 ms: the latency sets the wall.
    assert!(close(x.wall_ms, 100.0), "wall {}", x.wall_ms);
    assert!(x.done.iter().all(|s| s.outcome == Outcome::Ok));
}
