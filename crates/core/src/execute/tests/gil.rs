//! The GIL's shape on the fake host, which models CPython's lock in virtual
//! time: equal threads take turns per switch interval, a GIL run's wall is
//! the sum of its work, and a timer's wake-up in a GIL run waits for the
//! holder to drop the lock, up to about a switch interval.

use super::*;

/// The cost of a kernel step in these tests, ms: a chunk of one step is a
/// chunk boundary every half millisecond.
const STEP_MS: f64 = 0.5;
/// Steps of a 100 ms task.
const TASK_STEPS: u32 = 200;

fn host() -> FakeHost {
    FakeHost::new().with_ms_per_step(STEP_MS)
}

/// `tasks` CPU tasks of 100 ms on `k` threads of a pool under `python`,
/// switch interval `switch_ms`.
fn gil_cpu(python: Python, k: u32, tasks: u32, switch_ms: u32) -> Experiment {
    Experiment {
        python,
        size: TASK_STEPS,
        chunk: 1,
        switch_ms,
        ..cpu(Strategy::Pool, k, tasks)
    }
}

/// Every CPU span (one per hold of the GIL), by start.
fn holds(x: &Execution) -> Vec<Span> {
    let mut spans = spans_of(x, SpanKind::Cpu);
    spans.sort_by_key(|s| s.start_us);
    spans
}

fn ms(us: u64) -> f64 {
    us as f64 / 1000.0
}

#[test]
fn two_equal_threads_take_turns_per_switch_interval() {
    for switch_ms in [5u32, 20] {
        let x = run(&host(), gil_cpu(Python::Gil, 2, 2, switch_ms));
        // Turns, never at once: the wall is the sum of the work (200 ms).
        assert!(
            close(x.wall_ms, 200.0),
            "{switch_ms} ms: wall {}",
            x.wall_ms
        );
        let holds = holds(&x);
        // 200 ms in turns of one interval (a waiter asks after a whole
        // interval; the holder drops the lock at its next chunk boundary).
        let turns = 200 / switch_ms as usize;
        assert_eq!(holds.len(), turns, "{switch_ms} ms: {holds:?}");
        for (i, hold) in holds.iter().enumerate() {
            let length = ms(hold.duration_us());
            assert!(
                (f64::from(switch_ms)..=f64::from(switch_ms) + STEP_MS).contains(&length),
                "{switch_ms} ms: hold {i} lasts {length} ms"
            );
            // The two threads alternate, each hold starting where the last ended.
            if i > 0 {
                assert_ne!(hold.task, holds[i - 1].task, "{switch_ms} ms: hold {i}");
                assert_eq!(
                    hold.start_us,
                    holds[i - 1].end_us,
                    "{switch_ms} ms: hold {i}"
                );
            }
        }
        // Both end near the end, as CPython's threads do (not one after the other).
        let end = |task: u32| {
            holds
                .iter()
                .filter(|s| s.task == task)
                .map(|s| s.end_us)
                .max()
        };
        let gap = ms(end(0).unwrap_or(0).abs_diff(end(1).unwrap_or(0)));
        assert!(
            gap <= f64::from(switch_ms) + STEP_MS,
            "{switch_ms} ms: ends {gap} ms apart"
        );
    }
}

#[test]
fn the_gil_gives_no_speed_up_where_the_free_threaded_pool_does() {
    let gil = report(run(&host(), gil_cpu(Python::Gil, 2, 4, 5)));
    let free = report(run(&host(), gil_cpu(Python::FreeThreaded, 2, 4, 5)));
    // Four 100 ms tasks: 400 ms one at a time under the GIL, 200 ms on two threads.
    assert!(close(gil.wall_ms, 400.0), "GIL wall {}", gil.wall_ms);
    assert!(close(free.wall_ms, 200.0), "pool wall {}", free.wall_ms);
    let parallelism = gil.figures.parallelism.expect("CPU run");
    assert!(close(parallelism, 1.0), "GIL parallelism {parallelism}");
}

/// How late the one I/O wait (a 50 ms timer) of a mixed run ended, ms.
fn timer_lateness(python: Python, switch_ms: u32) -> f64 {
    let e = Experiment {
        workload: Workload::Mixed,
        io_tasks: 1,
        latency: Latency::Fixed,
        latency_ms: 50,
        ..gil_cpu(python, 1, 1, switch_ms)
    };
    let x = run(&host(), e);
    let waits = spans_of(&x, SpanKind::IoWait);
    assert_eq!(waits.len(), 1, "{waits:?}");
    ms(waits[0].duration_us()) - 50.0
}

#[test]
fn a_timer_in_a_gil_run_ends_late_by_about_a_switch_interval() {
    // No GIL: the timer's callback runs on time beside the pool's work.
    assert!(close(timer_lateness(Python::FreeThreaded, 5), 0.0));
    // Under the GIL the loop needs the lock the thread holds: it waits a
    // whole interval, asks for it, and has it at the next chunk boundary.
    let mut last = 0.0;
    for switch_ms in [1u32, 5, 20] {
        let late = timer_lateness(Python::Gil, switch_ms);
        let switch = f64::from(switch_ms);
        assert!(
            (switch..=switch + STEP_MS).contains(&late),
            "switch {switch_ms} ms: the timer ended {late} ms late"
        );
        assert!(
            late > last,
            "switch {switch_ms} ms: {late} ms, not later than {last} ms"
        );
        last = late;
    }
}

#[test]
fn the_loop_s_turn_comes_before_the_next_thread_s() {
    // Two threads under the GIL and a 50 ms timer: the loop is served when
    // the holder next drops the lock, not after every waiting thread.
    let e = Experiment {
        workload: Workload::Mixed,
        io_tasks: 1,
        latency: Latency::Fixed,
        latency_ms: 52,
        ..gil_cpu(Python::Gil, 2, 2, 5)
    };
    let x = run(&host(), e);
    let wait = spans_of(&x, SpanKind::IoWait)[0];
    let late = ms(wait.duration_us()) - 52.0;
    // Due at 52 ms during the hold of 50-55 ms: served at its end, 3 ms late.
    assert!(close(late, 3.0), "the timer ended {late} ms late");
    // And the threads still alternate at the interval: the wall is the work.
    assert!(close(x.wall_ms, 200.0), "wall {}", x.wall_ms);
}

#[test]
fn a_wait_s_timeout_in_a_gil_run_waits_for_the_loop_s_turn_too() {
    // A 30 ms timeout over a 100 ms task under the GIL: the timeout is a
    // timer of the loop, served at the holder's next drop, and what the wait
    // left is cancelled (the waiting wake-ups dropped) without a hang.
    for switch_ms in [5u32, 20] {
        let e = Experiment {
            workload: Workload::Mixed,
            io_tasks: 2,
            latency: Latency::Fixed,
            latency_ms: 60,
            timeout_ms: Some(30),
            ..gil_cpu(Python::Gil, 1, 1, switch_ms)
        };
        let x = run(&host(), e);
        assert!(x.timed_out);
        let switch = f64::from(switch_ms);
        assert!(
            (30.0 + switch..=30.0 + switch + STEP_MS).contains(&x.wall_ms),
            "switch {switch_ms} ms: wall {}",
            x.wall_ms
        );
    }
}

/// A task of 100 ms split over two lanes of a pool under `python`.
fn split_under(strategy: Strategy, python: Python) -> Experiment {
    Experiment {
        strategy,
        serial_fraction: 0.0,
        ..gil_cpu(python, 2, 1, 5)
    }
}

#[test]
fn a_split_task_s_lanes_take_turns_under_the_gil_and_run_together_without_it() {
    for strategy in [Strategy::DataParallel, Strategy::ParallelBlocking] {
        let free = run(&host(), split_under(strategy, Python::FreeThreaded));
        assert!(
            close(free.wall_ms, 50.0),
            "{strategy:?}: wall {}",
            free.wall_ms
        );
        let gil = run(&host(), split_under(strategy, Python::Gil));
        assert!(
            close(gil.wall_ms, 100.0),
            "{strategy:?}: GIL wall {}",
            gil.wall_ms
        );
        let spans = holds(&gil);
        // Two lanes, each in several holds, never two at once.
        let lanes: std::collections::BTreeSet<_> = spans.iter().map(|s| s.lane).collect();
        assert_eq!(lanes.len(), 2, "{strategy:?}: {spans:?}");
        assert!(spans.len() > 4, "{strategy:?}: {} holds", spans.len());
        for pair in spans.windows(2) {
            assert!(pair[1].start_us >= pair[0].end_us, "{strategy:?}: {pair:?}");
        }
        let r = report(gil);
        let parallelism = r.figures.parallelism.expect("CPU run");
        assert!(parallelism <= 1.0 + 1e-9, "{strategy:?}: {parallelism}");
    }
}

#[test]
fn a_timer_beside_a_split_task_under_the_gil_waits_for_the_loop_s_turn() {
    let e = Experiment {
        workload: Workload::Mixed,
        io_tasks: 1,
        latency: Latency::Fixed,
        latency_ms: 30,
        ..split_under(Strategy::DataParallel, Python::Gil)
    };
    let x = run(&host(), e);
    let waits = spans_of(&x, SpanKind::IoWait);
    let late = ms(waits[0].duration_us()) - 30.0;
    assert!(
        (5.0..=5.0 + 4.0).contains(&late),
        "the timer ended {late} ms late"
    );
}
