//! The executors in a real browser, on the event loop: concurrency of
//! waits, asyncio.wait semantics, cancellation, timers, frames and fetches.

use gloo_timers::future::TimeoutFuture;
use overlap_core::experiment::{Latency, ReturnWhen, Strategy};
use overlap_core::io_model::io_tasks;
use overlap_core::trace::{Outcome, Span, SpanKind};
use overlap_core::Experiment;
use wasm_bindgen_test::*;

mod common;
use common::*;

wasm_bindgen_test_configure!(run_in_browser);

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
    // `wait` returns at the first failure, with every task that finished in
    // the same turn of the loop (as asyncio does): when the loop is late,
    // tasks due just after the first failure are done too.
    let at = report
        .done
        .iter()
        .position(|&i| i == first_failure.index)
        .expect("the first failure is done");
    let failed = &report.tasks[first_failure.index as usize];
    assert_eq!(failed.outcome, Outcome::Error);
    assert!(failed.error.as_deref().unwrap().contains("failed"));
    for &i in &report.done[..at] {
        assert_eq!(
            report.tasks[i as usize].outcome,
            Outcome::Ok,
            "a failure before the first one"
        );
        assert!(plan[i as usize].latency_us <= first_failure.latency_us);
    }
    // Those after it finished in that same turn: due by the time it returned.
    for &i in &report.done[at + 1..] {
        let due_ms = plan[i as usize].latency_us as f64 / 1000.0;
        assert!(
            due_ms <= report.wall_ms + 1.0,
            "task {i} due at {due_ms} ms, wait returned at {} ms",
            report.wall_ms
        );
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

#[wasm_bindgen_test]
async fn cancelling_a_cooperative_run_stops_it_within_the_chunk_bound() {
    let (report, stop_ms) = cancel_after(100, cpu(Strategy::CooperativeChunks, 1, 4, 2_000)).await;
    assert!(
        report.cancelled,
        "not cancelled: wall {} ms, stop {stop_ms} ms, lag {:?}",
        report.wall_ms, report.lag
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
