//! Runs a validated experiment in the page: core's executor on the
//! [`BrowserHost`], plus what only the browser measures around it.
//!
//! Placement, waits, timeouts, cancellation and the figures are core's
//! ([`overlap_core::execute`], tested natively on a fake host). This module
//! measures the device for the prediction (calibration, yield cost), runs
//! the probes (lag, frames, long tasks) around the run, measures T₁ after
//! it, and builds the report.
//!
//! Before the run, the prediction is handed to `RunOptions::on_prediction` and
//! the page draws it (with the run's start) before the run's clock starts, so
//! that its drawing is not counted in the run. After the wait, T₁ comes from
//! the session's cache or a reference run on one worker ([`crate::reference`]).
//! The report comes back once every task settled, so the pool is idle then.
//! A run never rebuilds the pool: the page asks for that after it reported
//! a run's error (`pool::is_broken`, `pool::rebuild_page`).

use overlap_core::execute::execute;
use overlap_core::experiment::CpuPlace;
use overlap_core::predict::{predict_run, Device};
use overlap_core::report;
use overlap_core::ValidExperiment;

pub use overlap_core::execute::{
    PredictionSink, RunError, RunOptions, SpanSink, DATA_PARALLEL_STALL_MS, FETCH_WATCHDOG_MS,
    STALL_MS,
};
use overlap_core::host::Gil;
pub use overlap_core::host::{Stretch, WorkerRun};
pub use overlap_core::report::{RunReport, TaskResult};

use crate::host::BrowserHost;
use crate::pool;
use crate::probes::Probes;
use crate::yield_now::measure_yield_overhead_us;

/// Runs `experiment` to the end (or to its `return_when`, timeout or
/// cancellation) and reports spans, probes, metrics and the model's prediction.
pub async fn run(experiment: &ValidExperiment, options: RunOptions) -> Result<RunReport, RunError> {
    let e = experiment.get();
    if e.workload.has_cpu() && e.strategy.needs_thread_pool() && !pool::is_ready() {
        return Err(RunError::PoolNotReady);
    }
    // The click's own turn of the loop (the page redrawn for the run's
    // start) ends before the run sets itself up: with 100,000 tasks both in
    // one turn made a long task.
    crate::yield_now::yield_now().await;
    let yield_overhead_us = if e.profile().cpu == CpuPlace::Chunks {
        Some(measure_yield_overhead_us(20).await)
    } else {
        None
    };
    // What this page measured of the device beforehand: the prediction is
    // made from it and the experiment, never from the run.
    let pool_threads = pool::threads();
    let device = Device {
        calibration: crate::reference::calibration(e).await,
        pool_threads: u32::try_from(pool_threads).unwrap_or(u32::MAX),
        cores: crate::env::capabilities().logical_cores,
        yield_overhead_us: yield_overhead_us.map_or(0, |us| us.round() as u64),
    };
    let cancel = options.cancel.flag();
    // A page that shows the prediction draws it, with the run's start,
    // before the run's clock starts: its drawing is not the run's.
    let mut options = options;
    if let Some(show) = options.on_prediction.take() {
        show(&predict_run(e, &device));
        crate::frames::after_next_paint().await;
    }

    // GIL mode: the run's own lock, with the experiment's switch interval.
    // Its host hands it to each job under the GIL and takes it for the
    // loop's callbacks it owns (its timers' wake-ups); the heartbeat too.
    let host = BrowserHost::for_run(Gil::of(e));
    let probes = Probes::start(host.gil());
    let execution = execute(host, experiment, &device, options).await;
    let samples = probes.stop().await;
    // A run that lost a worker ends with its error here; whether the page
    // is rebuilt (`pool::is_broken`, `pool::rebuild_page`) is the page's
    // decision, once it has reported the error.
    let execution = execution?;
    // A run on the main thread alone is its own reference (core decides);
    // else T₁ is timed apart after the run, so the run itself starts at
    // once, on the kind of thread the run computed on, from the session's
    // cache unless the CPU part of the experiment changed.
    let (t1, t1_tasks_ms) = match report::T1::of_run(&execution) {
        Some(own) => (Some(own), Vec::new()),
        None => match crate::reference::t1(e, &cancel).await {
            Some((t1, tasks_ms)) => (Some(t1), tasks_ms),
            None => (None, Vec::new()),
        },
    };
    Ok(report::build(report::Inputs {
        run: execution,
        samples,
        yield_overhead_us,
        pool_threads,
        t1,
        t1_tasks_ms,
    }))
}
