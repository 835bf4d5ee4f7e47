//! The executors in a real browser: concurrency of waits, parallelism and its
//! limits on the pool, asyncio.wait semantics, cancellation, probes, and the
//! pool's health over many runs.

use gloo_timers::future::TimeoutFuture;
use overlap_core::experiment::{Latency, ReturnWhen, Strategy, Workload};
use overlap_core::io_model::io_tasks;
use overlap_core::kernels::Kernel;
use overlap_core::trace::{Lane, Outcome, Span, SpanKind};
use overlap_core::{Experiment, ValidExperiment};
use overlap_runtime::cancel::CancelToken;
use overlap_runtime::env::capabilities;
use overlap_runtime::executor::{run, RunOptions, RunReport};
use overlap_runtime::pool::{self, live_workers, pool_threads_for, run_on_pool};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Worker clocks are converted through each thread's `timeOrigin`; allow this
/// much (µs) of disagreement before calling two spans overlapping.
const CLOCK_SLACK_US: u64 = 50;

async fn ready_pool() -> usize {
    pool::start_pool(pool_threads_for(capabilities().logical_cores))
        .await
        .expect("pool starts")
        .threads
}

fn valid(e: Experiment) -> ValidExperiment {
    ValidExperiment::new(e).expect("a valid experiment")
}

async fn run_ok(e: Experiment) -> RunReport {
    run(&valid(e), RunOptions::default())
        .await
        .expect("the run succeeds")
}

fn cpu_spans(report: &RunReport) -> Vec<Span> {
    report
        .trace
        .spans
        .iter()
        .copied()
        .filter(|s| s.kind == SpanKind::Cpu)
        .collect()
}

fn overlap_us(a: &Span, b: &Span) -> u64 {
    a.end_us
        .min(b.end_us)
        .saturating_sub(a.start_us.max(b.start_us))
}

fn max_overlap_between_tasks(spans: &[Span]) -> u64 {
    let mut worst = 0;
    for (i, a) in spans.iter().enumerate() {
        for b in &spans[i + 1..] {
            if a.task != b.task {
                worst = worst.max(overlap_us(a, b));
            }
        }
    }
    worst
}

fn cpu(strategy: Strategy, workers: u32, tasks: u32, size: u32) -> Experiment {
    Experiment {
        workload: Workload::Cpu,
        strategy,
        workers,
        cpu_tasks: tasks,
        kernel: Kernel::Primes,
        size,
        ..Experiment::default()
    }
}

fn io(tasks: u32, latency: Latency, latency_ms: u32, spread_ms: u32) -> Experiment {
    Experiment {
        workload: Workload::Io,
        strategy: Strategy::ConcurrentAwait,
        io_tasks: tasks,
        latency,
        latency_ms,
        spread_ms,
        ..Experiment::default()
    }
}

#[wasm_bindgen_test]
async fn a_thousand_concurrent_waits_take_about_one_wait() {
    let report = run_ok(io(1_000, Latency::Fixed, 50, 0)).await;
    assert_eq!(report.tasks.len(), 1_000);
    assert!(report.tasks.iter().all(|t| t.outcome == Outcome::Ok));
    assert!(report.wall_ms >= 49.0, "wall {} ms", report.wall_ms);
    assert!(
        report.wall_ms < 1_000.0,
        "1,000 × 50 ms took {} ms: the waits did not overlap",
        report.wall_ms
    );
    let waits: Vec<&Span> = report
        .trace
        .spans
        .iter()
        .filter(|s| s.kind == SpanKind::IoWait)
        .collect();
    assert_eq!(waits.len(), 1_000);
    // All 1,000 waits are in flight at one instant.
    let latest_start = waits.iter().map(|s| s.start_us).max().unwrap();
    let in_flight = waits
        .iter()
        .filter(|s| s.start_us <= latest_start && s.end_us > latest_start)
        .count();
    assert_eq!(in_flight, 1_000);
}

#[wasm_bindgen_test]
async fn sequential_await_does_one_wait_after_another() {
    let report = run_ok(Experiment {
        strategy: Strategy::SequentialAwait,
        ..io(5, Latency::Fixed, 40, 0)
    })
    .await;
    assert!(
        report.wall_ms >= 200.0,
        "5 × 40 ms in sequence took {} ms",
        report.wall_ms
    );
    let mut waits: Vec<Span> = report.trace.spans.clone();
    waits.sort_by_key(|s| s.start_us);
    assert_eq!(max_overlap_between_tasks(&waits), 0);
}

#[wasm_bindgen_test]
async fn pool_with_two_workers_runs_two_tasks_at_once_on_distinct_workers() {
    ready_pool().await;
    // Warm the kernel's code up: a first run in a page computes in wasm's
    // baseline tier, while T₁ (measured after it) would not.
    run_ok(cpu(Strategy::Pool, 2, 2, 50)).await;
    let report = run_ok(Experiment {
        chunk: 16,
        ..cpu(Strategy::Pool, 2, 6, 300)
    })
    .await;
    assert!(report
        .tasks
        .iter()
        .all(|t| t.outcome == Outcome::Ok && t.checksum.is_some()));
    let spans = cpu_spans(&report);
    let workers: std::collections::BTreeSet<Lane> = spans.iter().map(|s| s.lane).collect();
    assert_eq!(workers.len(), 2, "lanes used: {workers:?}");
    let simultaneous = spans.iter().enumerate().any(|(i, a)| {
        spans[i + 1..]
            .iter()
            .any(|b| a.lane != b.lane && overlap_us(a, b) > 1_000)
    });
    assert!(simultaneous, "no two tasks ran at the same time");
    let f = report.figures;
    let t1 = report.t1.expect("T₁ measured for a CPU run");
    assert!(
        t1.ms > report.wall_ms,
        "T₁ {} ms vs wall {} ms",
        t1.ms,
        report.wall_ms
    );
    assert!(f.speedup.unwrap() > 1.3, "speed-up {:?}", f.speedup);
    assert!(
        f.parallelism.unwrap() > 1.3,
        "parallelism {:?}",
        f.parallelism
    );
    assert_eq!(f.threads_used, 2);
}

#[wasm_bindgen_test]
async fn pool_with_one_worker_never_overlaps_two_tasks() {
    ready_pool().await;
    let report = run_ok(cpu(Strategy::Pool, 1, 6, 100)).await;
    let spans = cpu_spans(&report);
    assert_eq!(spans.len(), 6);
    assert!(max_overlap_between_tasks(&spans) <= CLOCK_SLACK_US);
}

#[wasm_bindgen_test]
async fn gil_mode_never_runs_two_cpu_spans_at_once() {
    ready_pool().await;
    let report = run_ok(Experiment {
        chunk: 4,
        ..cpu(Strategy::GilMode, 2, 6, 100)
    })
    .await;
    assert!(report.tasks.iter().all(|t| t.outcome == Outcome::Ok));
    let spans = cpu_spans(&report);
    assert!(!spans.is_empty());
    assert!(
        max_overlap_between_tasks(&spans) <= CLOCK_SLACK_US,
        "two tasks held the global lock at once ({} µs)",
        max_overlap_between_tasks(&spans)
    );
}

#[wasm_bindgen_test]
async fn first_completed_returns_the_earliest_task_with_the_rest_pending() {
    let e = io(6, Latency::Uniform, 150, 100);
    let earliest = io_tasks(&e)
        .iter()
        .min_by_key(|t| t.latency_us)
        .unwrap()
        .index;
    let report = run_ok(Experiment {
        return_when: ReturnWhen::FirstCompleted,
        ..e
    })
    .await;
    assert_eq!(report.done, vec![earliest]);
    assert_eq!(report.pending.len(), 5);
    assert!(!report.pending.contains(&earliest));
    assert!(report
        .tasks
        .iter()
        .filter(|t| t.pending_at_return)
        .all(|t| t.outcome == Outcome::Cancelled));
}

#[wasm_bindgen_test]
async fn first_exception_returns_at_the_first_failure() {
    let e = Experiment {
        failure_rate: 0.5,
        return_when: ReturnWhen::FirstException,
        ..io(10, Latency::Uniform, 150, 100)
    };
    let plan = io_tasks(&e);
    let first_failure = plan
        .iter()
        .filter(|t| t.fails)
        .min_by_key(|t| t.latency_us)
        .expect("seed 42 fails some");
    let report = run_ok(e).await;
    assert_eq!(report.done.last(), Some(&first_failure.index));
    let failed = &report.tasks[first_failure.index as usize];
    assert_eq!(failed.outcome, Outcome::Error);
    assert!(failed.error.as_deref().unwrap().contains("failed"));
    for &i in &report.done[..report.done.len() - 1] {
        assert_eq!(
            report.tasks[i as usize].outcome,
            Outcome::Ok,
            "a failure before the first one"
        );
        assert!(plan[i as usize].latency_us <= first_failure.latency_us);
    }
    assert!(!report.pending.is_empty());
}

#[wasm_bindgen_test]
async fn a_timeout_returns_at_the_deadline_with_the_unfinished_pending() {
    let e = Experiment {
        timeout_ms: Some(100),
        ..io(4, Latency::Fixed, 400, 0)
    };
    let report = run_ok(e).await;
    assert!(report.timed_out);
    assert!(report.done.is_empty());
    assert_eq!(report.pending, vec![0, 1, 2, 3]);
    assert!(
        report.wall_ms >= 99.0 && report.wall_ms < 350.0,
        "wall {} ms",
        report.wall_ms
    );
}

async fn cancel_after(ms: u32, e: Experiment) -> (RunReport, f64) {
    let cancel = CancelToken::new();
    let cancelled_at = std::rc::Rc::new(std::cell::Cell::new(0.0));
    {
        let (cancel, cancelled_at) = (cancel.clone(), cancelled_at.clone());
        wasm_bindgen_futures::spawn_local(async move {
            TimeoutFuture::new(ms).await;
            cancelled_at.set(overlap_runtime::clock::page_now_ms());
            cancel.cancel();
        });
    }
    let report = run(
        &valid(e),
        RunOptions {
            cancel,
            ..RunOptions::default()
        },
    )
    .await
    .unwrap();
    let stop_ms = overlap_runtime::clock::page_now_ms() - cancelled_at.get();
    (report, stop_ms)
}

#[wasm_bindgen_test]
async fn cancelling_a_pool_run_stops_it_within_the_chunk_bound_and_the_pool_stays_usable() {
    ready_pool().await;
    // 8 tasks of ~1 s each: far from done when cancelled after 150 ms.
    let (report, stop_ms) = cancel_after(150, cpu(Strategy::Pool, 2, 8, 5_000)).await;
    assert!(report.cancelled);
    assert!(
        stop_ms < 100.0,
        "the run took {stop_ms} ms to stop after Cancel"
    );
    assert!(report.tasks.iter().all(|t| t.outcome == Outcome::Cancelled));
    // Right after, the same pool computes a correct run.
    let next = run_ok(cpu(Strategy::Pool, 2, 4, 50)).await;
    for (t, task) in next.tasks.iter().zip(next.experiment.cpu_task_list()) {
        let expected = run_on_pool(move || task.run(), 30_000).await.unwrap();
        assert_eq!(t.checksum, Some(expected));
    }
}

#[wasm_bindgen_test]
async fn cancelling_a_cooperative_run_stops_it_within_the_chunk_bound() {
    let (report, stop_ms) = cancel_after(100, cpu(Strategy::CooperativeChunks, 1, 4, 2_000)).await;
    assert!(
        report.cancelled,
        "not cancelled: wall {} ms, stop {stop_ms} ms, {:?}, lag {:?}",
        report.wall_ms,
        overlap_runtime::yield_now::YIELD_MECHANISM,
        report.lag
    );
    assert!(
        stop_ms < 100.0,
        "the run took {stop_ms} ms to stop after Cancel"
    );
    assert!(report.tasks.iter().any(|t| t.outcome == Outcome::Cancelled));
    // Cooperative chunks kept the loop responsive while they ran.
    let p95 = report.lag.drift_ms.unwrap().p95;
    assert!(p95 < 30.0, "lag p95 {p95} ms during cooperative chunks");
}

#[wasm_bindgen_test]
async fn lag_is_large_when_blocking_inline_and_small_while_the_pool_works() {
    ready_pool().await;
    let blocking = run_ok(cpu(Strategy::InlineBlocking, 1, 1, 2_000)).await;
    let blocked_ms = blocking.cpu_ms;
    let max_drift = blocking.lag.drift_ms.map_or(0.0, |p| p.max);
    assert!(
        blocked_ms > 100.0,
        "the inline task took only {blocked_ms} ms"
    );
    assert!(
        max_drift > blocked_ms * 0.8,
        "lag max {max_drift} ms while the loop was blocked {blocked_ms} ms"
    );

    let p95 = blocking.lag.drift_ms.unwrap().p95;
    assert!(
        p95 > blocked_ms * 0.7,
        "lag p95 {p95} ms for a run blocked {blocked_ms} ms: a stall counts for every beat it swallowed"
    );
    // Predicted before the run from a calibration: the right size, not the same number.
    let predicted = &blocking.predicted;
    assert_eq!(predicted.long_tasks, 1, "the model expects one long stall");
    assert!(
        predicted.stall_ms > blocked_ms / 3.0 && predicted.stall_ms < blocked_ms * 3.0,
        "predicted stall {} ms, measured {blocked_ms} ms",
        predicted.stall_ms
    );
    assert!(predicted.frames_missed >= 2);
    assert!(
        blocking.frames_missed as f64 >= blocked_ms / 16.7 * 0.5,
        "only {} frames missed while the loop was blocked {blocked_ms} ms",
        blocking.frames_missed
    );

    let pooled = run_ok(cpu(Strategy::Pool, 2, 2, 2_000)).await;
    assert_eq!(
        pooled.predicted.stall_ms, 0.0,
        "the model expects the pool to leave the loop free"
    );
    assert_eq!(pooled.predicted.long_tasks, 0);
    let p95 = pooled
        .lag
        .drift_ms
        .expect("heartbeats while the pool worked")
        .p95;
    assert!(p95 < 30.0, "lag p95 {p95} ms while the pool worked");
}

#[wasm_bindgen_test]
async fn a_hundred_pool_runs_keep_every_worker_alive_and_memory_stable() {
    let threads = ready_pool().await;
    let e = cpu(Strategy::Pool, 2, 4, 20);
    // One run first, so that allocator pools and the heap reach their steady size.
    run_ok(e.clone()).await;
    let memory_bytes = || {
        let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().into();
        js_sys::SharedArrayBuffer::from(memory.buffer()).byte_length()
    };
    let before = memory_bytes();
    for _ in 0..100 {
        let report = run_ok(e.clone()).await;
        assert!(report.tasks.iter().all(|t| t.outcome == Outcome::Ok));
    }
    let after = memory_bytes();
    assert_eq!(live_workers(2_000).await, threads, "a worker was lost");
    // Each run frees what it allocated (a few KiB of spans and results); the
    // shared memory never shrinks, so only growth is measurable. 4 MiB would
    // mean a leak of over 40 KiB per run.
    assert!(
        after - before <= 4 << 20,
        "memory grew from {before} to {after} bytes"
    );
}

#[wasm_bindgen_test]
async fn as_completed_yields_results_in_completion_order() {
    use futures_util::StreamExt;
    let timers: Vec<_> = [60u32, 20, 40]
        .iter()
        .map(|&ms| TimeoutFuture::new(ms))
        .collect();
    let order: Vec<usize> = overlap_runtime::wait::as_completed(timers)
        .map(|(i, ())| i)
        .collect()
        .await;
    assert_eq!(order, vec![1, 2, 0]);
}

#[wasm_bindgen_test]
async fn yields_are_not_clamped_like_nested_timers() {
    // Nested setTimeout(0) is clamped to 4 ms; a MessageChannel yield is not.
    let mean_us = overlap_runtime::yield_now::measure_yield_overhead_us(50).await;
    assert!(mean_us < 2_000.0, "a yield costs {mean_us} µs on average");
}

#[wasm_bindgen_test]
async fn sleeps_fire_in_deadline_order_and_leave_no_timer_behind() {
    use futures_util::StreamExt;
    use overlap_runtime::timers::{pending, sleep_ms};
    let start = overlap_runtime::clock::page_now_ms();
    let sleeps: Vec<_> = [50u32, 10, 30, 10, 70]
        .iter()
        .map(|&ms| sleep_ms(ms))
        .collect();
    assert_eq!(pending(), (5, true));
    let order: Vec<usize> = overlap_runtime::wait::as_completed(sleeps)
        .map(|(i, ())| i)
        .collect()
        .await;
    assert_eq!(&order[2..], &[2, 0, 4]);
    assert!(order[..2].contains(&1) && order[..2].contains(&3));
    assert!(overlap_runtime::clock::page_now_ms() - start >= 69.0);
    assert_eq!(pending(), (0, false));
    // A dropped sleep is forgotten at once.
    drop(sleep_ms(1_000));
    assert_eq!(pending(), (0, false));
}

#[wasm_bindgen_test]
async fn a_frame_loop_runs_every_frame_and_stops_when_dropped() {
    let frames = std::rc::Rc::new(std::cell::Cell::new(0u32));
    let counter = frames.clone();
    let frame_loop =
        overlap_runtime::frames::FrameLoop::start(move |_| counter.set(counter.get() + 1));
    TimeoutFuture::new(200).await;
    let seen = frames.get();
    assert!(seen >= 2, "only {seen} frames in 200 ms");
    drop(frame_loop);
    TimeoutFuture::new(100).await;
    assert_eq!(
        frames.get(),
        seen,
        "frames kept coming after the loop was dropped"
    );
}

#[wasm_bindgen_test]
async fn fetch_tasks_report_http_failures_as_task_errors() {
    // The test runner serves no io-sample.txt, so every fetch gets a 404:
    // the tasks fail with the HTTP status, and the run itself succeeds.
    let e = Experiment {
        io_source: overlap_core::experiment::IoSource::Fetch,
        ..io(3, Latency::Fixed, 10, 0)
    };
    let report = run_ok(e).await;
    assert_eq!(report.tasks.len(), 3);
    for task in &report.tasks {
        assert_eq!(task.outcome, Outcome::Error);
        assert!(
            task.error.as_deref().unwrap_or("").contains("HTTP 404"),
            "{:?}",
            task.error
        );
    }
}

#[wasm_bindgen_test]
async fn cancelling_a_data_parallel_run_stops_inside_the_task() {
    ready_pool().await;
    let (report, stop_ms) = cancel_after(150, cpu(Strategy::DataParallel, 2, 2, 15_000)).await;
    assert!(report.cancelled);
    assert!(
        stop_ms < 200.0,
        "the run took {stop_ms} ms to stop after Cancel"
    );
    assert!(report.tasks.iter().all(|t| t.outcome == Outcome::Cancelled));
}

#[wasm_bindgen_test]
async fn figures_count_only_work_done_before_the_wait_returned() {
    ready_pool().await;
    let e = Experiment {
        timeout_ms: Some(100),
        chunk: 200,
        ..cpu(Strategy::Pool, 2, 4, 5_000)
    };
    let report = run_ok(e).await;
    assert!(report.timed_out);
    let f = report.figures;
    let threads = f64::from(f.threads_used);
    assert!(
        f.parallelism.unwrap() <= threads * 1.1,
        "parallelism {:?} with {threads} threads: work after the timeout was counted",
        f.parallelism
    );
    assert_eq!(
        f.no_speedup,
        Some(overlap_core::figures::NoSpeedup::Incomplete),
        "a cut run has no speed-up against the whole T₁"
    );
}

#[wasm_bindgen_test]
async fn parallel_but_blocking_keeps_the_workers_busy_and_freezes_the_loop() {
    ready_pool().await;
    let e = Experiment {
        serial_fraction: 0.3,
        ..cpu(Strategy::ParallelBlocking, 2, 1, 600)
    };
    let report = run_ok(e).await;
    let f = report.figures;
    // The workers computed at once; the main thread computed the serial
    // head, then spun, blocked, until they were done.
    assert!(f.threads_used >= 2, "threads {}", f.threads_used);
    assert!(
        f.parallelism.unwrap() > 1.0,
        "parallelism {:?}",
        f.parallelism
    );
    let blocked: Vec<&Span> = report
        .trace
        .spans
        .iter()
        .filter(|s| s.kind == SpanKind::Blocked)
        .collect();
    assert_eq!(blocked.len(), 1);
    assert_eq!(blocked[0].lane, Lane::Main);
    // On few cores the spinning main thread takes a core from the workers:
    // the speed-up is measured, not assumed (about 1 on two cores).
    let speedup = f.speedup.expect("T₁ ÷ wall");
    assert!(speedup > 0.5 && speedup < 2.1, "speed-up {speedup}");
    let max_lag = report.lag.drift_ms.unwrap().max;
    assert!(
        max_lag > report.wall_ms * 0.7,
        "lag max {max_lag} ms over a {} ms run",
        report.wall_ms
    );
}

#[wasm_bindgen_test]
async fn a_data_parallel_task_shows_every_thread_that_worked_on_it() {
    ready_pool().await;
    let report = run_ok(cpu(Strategy::DataParallel, 2, 2, 2_000)).await;
    assert!(report.tasks.iter().all(|t| t.outcome == Outcome::Ok));
    for task in [0, 1] {
        let lanes: std::collections::BTreeSet<Lane> = cpu_spans(&report)
            .iter()
            .filter(|s| s.task == task)
            .map(|s| s.lane)
            .collect();
        assert_eq!(lanes.len(), 2, "task {task} ran on {lanes:?}");
    }
    let speedup = report.figures.speedup;
    assert!(speedup.unwrap() > 1.3, "speed-up {speedup:?}");
}
