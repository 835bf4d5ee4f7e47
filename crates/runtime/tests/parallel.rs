//! The executors in a real browser, on the pool: parallelism and its limits,
//! the figures (T₁, speed-up, parallelism), lag while computing, GIL mode,
//! data-parallel and parallel-but-blocking tasks, and the pool's health over
//! many runs.

use overlap_core::experiment::Strategy;
use overlap_core::trace::{Lane, Outcome, Span, SpanKind};
use overlap_core::Experiment;
use overlap_runtime::pool::{live_workers, run_on_pool};
use wasm_bindgen_test::*;

mod common;
use common::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn pool_with_two_workers_runs_two_tasks_at_once_on_distinct_workers() {
    ready_pool().await;
    // Warm the kernel's code up: a first run in a page computes in wasm's
    // baseline tier, while T₁ (measured after it) would not.
    run_ok(cpu(Strategy::Pool, 2, 2, 50)).await;
    let e = Experiment {
        chunk: 16,
        ..cpu(Strategy::Pool, 2, 6, 300)
    };
    // The fastest run (see `fastest_run`): a busy machine only slows a run
    // down, and T₁ ÷ wall shows it (parallelism does not).
    let (report, attempts) = fastest_run(e).await;
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
        "T₁ {} ms vs wall {} ms ({attempts})",
        t1.ms,
        report.wall_ms
    );
    let speedup = f.speedup.unwrap_or(f64::NAN);
    assert!(speedup > 1.3, "speed-up {speedup} ({attempts})");
    assert!(
        f.parallelism.unwrap() > 1.3,
        "parallelism {}",
        f.parallelism.unwrap_or(f64::NAN)
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
        ..under_gil(cpu(Strategy::Pool, 2, 6, 100))
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

/// The longest time two CPU spans overlap, whatever their tasks.
fn max_overlap_of_any_two(spans: &[Span]) -> u64 {
    let mut worst = 0;
    for (i, a) in spans.iter().enumerate() {
        for b in &spans[i + 1..] {
            worst = worst.max(overlap_us(a, b));
        }
    }
    worst
}

#[wasm_bindgen_test]
async fn a_split_task_under_the_gil_computes_on_two_threads_never_at_once() {
    ready_pool().await;
    for strategy in [Strategy::DataParallel, Strategy::ParallelBlocking] {
        let report = run_ok(under_gil(cpu(strategy, 2, 1, 2_000))).await;
        assert!(report.tasks.iter().all(|t| t.outcome == Outcome::Ok));
        let spans = cpu_spans(&report);
        let lanes: std::collections::BTreeSet<Lane> = spans.iter().map(|s| s.lane).collect();
        assert!(lanes.len() >= 2, "one lane only: {lanes:?}");
        assert!(spans.len() > 2, "{} holds", spans.len());
        assert!(
            max_overlap_of_any_two(&spans) <= CLOCK_SLACK_US,
            "two threads held the GIL at once ({} µs)",
            max_overlap_of_any_two(&spans)
        );
    }
}

#[wasm_bindgen_test]
async fn gil_mode_takes_turns_like_cpython_and_the_loop_waits_for_the_gil() {
    ready_pool().await;
    // Two equal tasks on two threads under one GIL (switch interval 5 ms).
    let report = run_ok(under_gil(cpu(Strategy::Pool, 2, 2, 2_000))).await;
    assert!(report.tasks.iter().all(|t| t.outcome == Outcome::Ok));
    let end = |task: u32| {
        cpu_spans(&report)
            .iter()
            .filter(|s| s.task == task)
            .map(|s| s.end_us)
            .max()
            .unwrap_or(0) as f64
            / 1000.0
    };
    // Turns, not one after the other: both end near the wall time.
    let gap = (end(0) - end(1)).abs();
    assert!(
        gap < 0.2 * report.wall_ms,
        "ends {} and {} ms of a {} ms run",
        end(0),
        end(1),
        report.wall_ms
    );
    // Each task held the GIL many times.
    assert!(
        cpu_spans(&report).len() > 10,
        "{} holds",
        cpu_spans(&report).len()
    );
    // The loop's heartbeats waited for the GIL: several ms, not ≈ 0.
    let lag = report.lag.drift_ms.expect("heartbeats");
    assert!(lag.p50 >= 2.0, "lag p50 {} ms", lag.p50);
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
    // The browser saw the stall too, where it reports long tasks at all
    // (Chromium; Firefox has no long-task observer).
    if overlap_runtime::probes::long_tasks_supported() {
        assert!(
            blocking.long_tasks.is_some_and(|n| n >= 1),
            "the inline run blocked the loop {blocked_ms} ms and the browser reported {:?} long tasks",
            blocking.long_tasks
        );
    }
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
        "parallelism {} with {threads} threads: work after the timeout was counted",
        f.parallelism.unwrap_or(f64::NAN)
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
    // On few cores the spinning main thread takes a core from the workers:
    // the speed-up is measured, not assumed (about 1 on two cores), and
    // measured again while a busy device slowed it below the range.
    let in_range = |r: &overlap_runtime::measure::RunReport| {
        r.figures.speedup.is_some_and(|s| s > 0.5 && s < 2.1)
    };
    let (report, attempts) = run_seen(e, in_range).await;
    let f = report.figures;
    // The workers computed at once; the main thread computed the serial
    // head, then spun, blocked, until they were done.
    assert!(f.threads_used >= 2, "threads {}", f.threads_used);
    assert!(
        f.parallelism.unwrap() > 1.0,
        "parallelism {}",
        f.parallelism.unwrap_or(f64::NAN)
    );
    let blocked: Vec<&Span> = report
        .trace
        .spans
        .iter()
        .filter(|s| s.kind == SpanKind::Blocked)
        .collect();
    assert_eq!(blocked.len(), 1);
    assert_eq!(blocked[0].lane, Lane::Main);
    let speedup = f.speedup.expect("T₁ ÷ wall");
    assert!(
        speedup > 0.5 && speedup < 2.1,
        "speed-up {speedup} ({attempts})"
    );
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
    // The fastest run, as above: a busy machine only slows a run down.
    let (report, attempts) = fastest_run(cpu(Strategy::DataParallel, 2, 2, 2_000)).await;
    assert!(report.tasks.iter().all(|t| t.outcome == Outcome::Ok));
    for task in [0, 1] {
        let lanes: std::collections::BTreeSet<Lane> = cpu_spans(&report)
            .iter()
            .filter(|s| s.task == task)
            .map(|s| s.lane)
            .collect();
        assert_eq!(lanes.len(), 2, "task {task} ran on {lanes:?}");
    }
    let speedup = report.figures.speedup.unwrap_or(f64::NAN);
    assert!(speedup > 1.3, "speed-up {speedup} ({attempts})");
}
