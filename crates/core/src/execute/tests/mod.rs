//! The executor on the fake host: placement by strategy, waits, timeouts,
//! cancellation and the figures, in virtual time, against numbers worked
//! out by hand from the fake's cost model.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use super::*;
use crate::calibrate::Calibration;
use crate::experiment::{Experiment, Latency, Python, ReturnWhen, Strategy, Workload};
use crate::host::fake::FakeHost;
use crate::kernels::Kernel;
use crate::report::{build, Inputs, ProbeSamples, RunReport};

/// Kernel steps per CPU task in these tests.
const SIZE: u32 = 40;
/// The fake's default cost of a step, ms.
const MS_PER_STEP: f64 = 0.01;
/// What one task costs on the default fake host, ms.
const TASK_MS: f64 = SIZE as f64 * MS_PER_STEP;

fn cpu(strategy: Strategy, workers: u32, tasks: u32) -> Experiment {
    Experiment {
        workload: Workload::Cpu,
        strategy,
        python: Python::unnamed_for(strategy),
        workers,
        cpu_tasks: tasks,
        kernel: Kernel::Primes,
        size: SIZE,
        chunk: 4,
        ..Experiment::default()
    }
}

/// `e` under CPython's default build: its Python threads take turns.
fn under_gil(e: Experiment) -> Experiment {
    Experiment {
        python: Python::Gil,
        ..e
    }
}

fn io(strategy: Strategy, tasks: u32, latency_ms: u32) -> Experiment {
    Experiment {
        workload: Workload::Io,
        strategy,
        io_tasks: tasks,
        latency: Latency::Fixed,
        latency_ms,
        ..Experiment::default()
    }
}

/// A device whose calibration says what the default fake host costs.
fn device(pool_threads: u32) -> Device {
    Device {
        calibration: Some(Calibration {
            kernel: Kernel::Primes,
            size_per_ms: 1.0 / MS_PER_STEP,
            measured_size: 1_000,
            measured_ms: 10.0,
        }),
        pool_threads,
        cores: pool_threads.max(1),
        yield_overhead_us: 0,
    }
}

fn run_with(host: &FakeHost, e: Experiment, options: RunOptions) -> Result<Execution, RunError> {
    let e = ValidExperiment::new(e).expect("valid experiment");
    let threads = u32::try_from(host.pool_threads()).unwrap_or(0);
    let h = host.clone();
    host.block_on(async move { execute(h, &e, &device(threads.max(2)), options).await })
}

fn run(host: &FakeHost, e: Experiment) -> Execution {
    run_with(host, e, RunOptions::default()).expect("the run ends")
}

fn report(x: Execution) -> RunReport {
    build(Inputs {
        run: x,
        samples: ProbeSamples::default(),
        yield_overhead_us: None,
        pool_threads: 2,
        t1: None,
        t1_tasks_ms: Vec::new(),
    })
}

/// The spans of `kind` in the run's trace.
fn spans_of(x: &Execution, kind: SpanKind) -> Vec<Span> {
    x.trace
        .spans
        .iter()
        .filter(|s| s.kind == kind)
        .copied()
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

#[test]
fn a_pool_of_two_runs_four_equal_tasks_in_two_rounds() {
    let host = FakeHost::new();
    let x = run(&host, cpu(Strategy::Pool, 2, 4));
    assert!(close(x.wall_ms, 2.0 * TASK_MS), "wall {}", x.wall_ms);
    assert_eq!(x.done.len(), 4);
    assert!(x
        .done
        .iter()
        .all(|s| s.outcome == Outcome::Ok && s.checksum.is_some()));
    // k = 2 dispatchers keep one task each in flight: nothing queues.
    assert!(x.trace.spans.iter().all(|s| s.kind != SpanKind::Queued));
    let r = report(x);
    assert_eq!(r.figures.threads_used, 2);
    assert!(close(r.figures.parallelism.expect("CPU run"), 2.0));
}

#[test]
fn checksums_are_the_kernels_own() {
    let host = FakeHost::new();
    let e = cpu(Strategy::Pool, 2, 3);
    let expected: Vec<u64> = e.cpu_task_list().iter().map(CpuTask::run).collect();
    let mut x = run(&host, e);
    x.done.sort_by_key(|s| s.task);
    let got: Vec<u64> = x.done.iter().filter_map(|s| s.checksum).collect();
    assert_eq!(got, expected);
}

#[test]
fn more_workers_than_threads_queue_on_the_pool() {
    // k = 4 dispatchers on 2 virtual workers: still two rounds.
    let host = FakeHost::new().with_pool_threads(2);
    let x = run(&host, cpu(Strategy::Pool, 4, 4));
    assert!(close(x.wall_ms, 2.0 * TASK_MS), "wall {}", x.wall_ms);
    // Tasks 3 and 4 were submitted at once and waited for a free worker.
    let mut queued: Vec<u32> = x
        .trace
        .spans
        .iter()
        .filter(|s| s.kind == SpanKind::Queued)
        .map(|s| s.task)
        .collect();
    queued.sort_unstable();
    assert_eq!(queued, vec![2, 3]);
}

#[test]
fn gil_mode_computes_on_one_thread_at_a_time() {
    let host = FakeHost::new();
    let x = run(&host, under_gil(cpu(Strategy::Pool, 2, 4)));
    assert!(close(x.wall_ms, 4.0 * TASK_MS), "wall {}", x.wall_ms);
    let r = report(x);
    assert!(r.figures.parallelism.expect("CPU run") <= 1.0 + 1e-9);
}

#[test]
fn inline_and_sequential_cpu_take_the_sum_on_the_main_thread() {
    for strategy in [
        Strategy::InlineBlocking,
        Strategy::ConcurrentAwait,
        Strategy::SequentialAwait,
        Strategy::CooperativeChunks,
    ] {
        let host = FakeHost::new();
        let x = run(&host, cpu(strategy, 2, 3));
        assert!(
            close(x.wall_ms, 3.0 * TASK_MS),
            "{strategy:?}: wall {}",
            x.wall_ms
        );
        assert!(
            x.trace.spans.iter().all(|s| s.lane == Lane::Main),
            "{strategy:?}"
        );
    }
}

#[test]
fn cooperative_chunks_are_spans_of_one_chunk() {
    let host = FakeHost::new();
    let x = run(&host, cpu(Strategy::CooperativeChunks, 1, 1));
    // 40 steps in chunks of 4.
    assert_eq!(x.trace.spans.len(), 10);
}

#[test]
fn data_parallel_splits_the_parallel_part_only() {
    let host = FakeHost::new();
    let e = Experiment {
        serial_fraction: 0.25,
        ..cpu(Strategy::DataParallel, 2, 1)
    };
    let x = run(&host, e);
    // 10 serial steps, then 30 over two lanes.
    assert!(
        close(x.wall_ms, (10.0 + 15.0) * MS_PER_STEP),
        "wall {}",
        x.wall_ms
    );
    let r = report(x);
    assert_eq!(r.figures.threads_used, 2);
}

#[test]
fn parallel_blocking_blocks_the_main_thread() {
    let host = FakeHost::new();
    let x = run(&host, cpu(Strategy::ParallelBlocking, 2, 1));
    let blocked = x
        .trace
        .spans
        .iter()
        .filter(|s| s.kind == SpanKind::Blocked && s.lane == Lane::Main)
        .count();
    assert_eq!(blocked, 1);
    assert!(close(x.wall_ms, TASK_MS / 2.0), "wall {}", x.wall_ms);
}

#[test]
fn waits_overlap_on_the_event_loop_and_not_in_sequence() {
    let host = FakeHost::new();
    let x = run(&host, io(Strategy::ConcurrentAwait, 20, 100));
    assert!(close(x.wall_ms, 100.0), "wall {}", x.wall_ms);
    let r = report(x);
    assert!(close(r.figures.concurrency.expect("tasks ran"), 20.0));
    assert_eq!(r.figures.speedup, None, "no CPU work, no speed-up");

    let host = FakeHost::new();
    let x = run(&host, io(Strategy::SequentialAwait, 5, 100));
    assert!(close(x.wall_ms, 500.0), "wall {}", x.wall_ms);
    assert!(close(
        report(x).figures.concurrency.expect("tasks ran"),
        1.0
    ));
}

#[test]
fn a_neglected_coroutine_is_outside_the_wait() {
    use crate::experiment::Neglect;
    use crate::trace::Outcome;
    // Never awaited: it never runs, leaves no span, and the wait is over
    // the four tasks awaited.
    let host = FakeHost::new();
    let e = Experiment {
        neglect: Neglect::Unawaited,
        ..io(Strategy::ConcurrentAwait, 4, 100)
    };
    let x = run(&host, e);
    assert_eq!((x.done.len(), x.late.len()), (4, 0));
    assert!(x.trace.spans.iter().all(|s| s.task < 4));
    let neglected = x.neglected.clone().expect("one neglected");
    assert_eq!((neglected.task, neglected.outcome), (4, None));
    assert!(close(report(x).figures.concurrency.expect("ran"), 4.0));

    // Started and forgotten: it waits half the latency beside the others
    // and fails; the wait neither waits for it nor sees its error, yet it
    // was in flight (concurrency 4.5, as predicted).
    let host = FakeHost::new();
    let e = Experiment {
        neglect: Neglect::Unretrieved,
        ..io(Strategy::ConcurrentAwait, 4, 100)
    };
    let x = run(&host, e);
    assert!(close(x.wall_ms, 100.0), "wall {}", x.wall_ms);
    assert_eq!((x.done.len(), x.late.len()), (4, 0));
    assert!(x.done.iter().all(|s| s.outcome == Outcome::Ok));
    let neglected = x.neglected.clone().expect("one neglected");
    assert_eq!(
        (neglected.task, neglected.outcome),
        (4, Some(Outcome::Error))
    );
    let span = x.trace.spans.iter().find(|s| s.task == 4).expect("it ran");
    assert_eq!((span.start_us, span.end_us), (0, 50_000));
    let predicted = x.predicted.concurrency.expect("predicted");
    let r = report(x);
    assert!(close(r.figures.concurrency.expect("ran"), 4.5));
    assert!(close(predicted, 4.5), "predicted {predicted}");
    assert_eq!(r.tasks.len(), 4);
}

#[test]
fn a_timeout_returns_with_the_rest_pending_then_cancelled() {
    let host = FakeHost::new();
    let e = Experiment {
        timeout_ms: Some(50),
        ..io(Strategy::ConcurrentAwait, 4, 100)
    };
    let x = run(&host, e);
    assert!(x.timed_out);
    assert!(close(x.wall_ms, 50.0));
    assert!(x.done.is_empty());
    assert_eq!(x.late.len(), 4);
    assert!(x.late.iter().all(|s| s.outcome == Outcome::Cancelled));
}

#[test]
fn first_completed_returns_at_the_first_end() {
    let host = FakeHost::new();
    let e = Experiment {
        return_when: ReturnWhen::FirstCompleted,
        ..cpu(Strategy::Pool, 2, 4)
    };
    let x = run(&host, e);
    assert!(close(x.wall_ms, TASK_MS), "wall {}", x.wall_ms);
    // Both tasks of the first round ended at that moment: both are done.
    let mut done: Vec<u32> = x.done.iter().map(|s| s.task).collect();
    done.sort_unstable();
    assert_eq!(done, vec![0, 1]);
    // Tasks 3 and 4 never start: the run's stop reached their dispatchers first.
    let mut cancelled: Vec<u32> = x
        .late
        .iter()
        .filter(|s| s.outcome == Outcome::Cancelled)
        .map(|s| s.task)
        .collect();
    cancelled.sort_unstable();
    assert_eq!(cancelled, vec![2, 3]);
}

#[test]
fn a_cancel_stops_pool_tasks_at_their_next_chunk() {
    let host = FakeHost::new();
    let cancel = CancelToken::new();
    let e = ValidExperiment::new(cpu(Strategy::Pool, 2, 8)).expect("valid");
    let h = host.clone();
    let x = host
        .block_on(async move {
            let device = device(2);
            let options = RunOptions {
                cancel: cancel.clone(),
                ..RunOptions::default()
            };
            // Cancel 1 ms in: the first two rounds (0.4 ms each) are over,
            // the third is running.
            let stopper = {
                let h = h.clone();
                async move {
                    h.sleep(1).await;
                    cancel.cancel();
                }
            };
            futures_util::join!(execute(h, &e, &device, options), stopper).0
        })
        .expect("a cancelled run still reports");
    assert!(x.cancelled);
    let all: Vec<&TaskResult> = x.done.iter().chain(&x.late).collect();
    let ok = all.iter().filter(|s| s.outcome == Outcome::Ok).count();
    let cancelled = all
        .iter()
        .filter(|s| s.outcome == Outcome::Cancelled)
        .count();
    assert_eq!(
        (ok, cancelled),
        (4, 4),
        "two rounds done, the third stopped mid-task, the fourth never started"
    );
    // Stopped at the next chunk (0.04 ms), not at the end of the round.
    assert!(x.wall_ms < 1.0 + 0.1, "wall {}", x.wall_ms);
}

#[test]
fn no_pool_is_an_error_not_a_hang() {
    let host = FakeHost::new().without_pool();
    let e = ValidExperiment::new(cpu(Strategy::Pool, 2, 2)).expect("valid");
    let h = host.clone();
    let out = host.block_on(async move { execute(h, &e, &device(2), RunOptions::default()).await });
    assert_eq!(out.err(), Some(RunError::PoolNotReady));

    let e = ValidExperiment::new(cpu(Strategy::Pool, 2, 2)).expect("valid");
    let h = host.clone();
    let no_threads = Device {
        pool_threads: 0,
        ..device(2)
    };
    let out =
        host.block_on(async move { execute(h, &e, &no_threads, RunOptions::default()).await });
    assert_eq!(out.err(), Some(RunError::PoolNotReady));
}

/// Point 2 of the figures issue: the prediction comes before any task and
/// never reads the run. Slowing every task down four times moves the
/// measurement four times and leaves the prediction exactly where it was.
#[test]
fn slowing_the_tasks_down_does_not_move_the_prediction() {
    let measure = |ms_per_step: f64| {
        let host = FakeHost::new().with_ms_per_step(ms_per_step);
        let spans_seen = Rc::new(Cell::new(0usize));
        let predicted_after: Rc<RefCell<Option<(usize, f64)>>> = Rc::new(RefCell::new(None));
        let options = RunOptions {
            on_span: Some({
                let spans_seen = spans_seen.clone();
                Rc::new(move |_: &Span| spans_seen.set(spans_seen.get() + 1))
            }),
            on_prediction: Some({
                let (spans_seen, predicted_after, host) =
                    (spans_seen.clone(), predicted_after.clone(), host.clone());
                Rc::new(move |_: &RunPrediction| {
                    *predicted_after.borrow_mut() = Some((spans_seen.get(), host.now_ms()));
                })
            }),
            ..RunOptions::default()
        };
        let x = run_with(&host, cpu(Strategy::Pool, 2, 4), options).expect("the run ends");
        assert_eq!(
            *predicted_after.borrow(),
            Some((0, 0.0)),
            "predicted before any span, at time 0"
        );
        x
    };
    let normal = measure(MS_PER_STEP);
    let slow = measure(4.0 * MS_PER_STEP);
    assert_eq!(normal.predicted, slow.predicted);
    assert!(
        close(slow.wall_ms, 4.0 * normal.wall_ms),
        "{} vs {}",
        slow.wall_ms,
        normal.wall_ms
    );
    // At the calibrated rate the model and the fake agree.
    assert!(
        close(normal.predicted.wall_ms, normal.wall_ms),
        "{} vs {}",
        normal.predicted.wall_ms,
        normal.wall_ms
    );
}

mod after_wait;
mod applies;
mod concepts;
mod gil;
mod in_flight;
mod processes;
mod share;
