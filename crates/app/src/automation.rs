//! Stable hooks for automation (the benchmark and end-to-end tests): run an
//! experiment given as a URL query and get its figures back as JSON, from
//! JavaScript as `window.wasmBindings.runExperiment("w=cpu&s=pool&k=2")`.

use overlap_core::experiment::url::decode_str;
use overlap_core::trace::{Lane, Outcome, SpanKind};
use overlap_core::ValidExperiment;
use overlap_runtime::executor::{run, RunOptions, RunReport};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The figures of one run, as automation reads them.
#[derive(Debug, Serialize)]
struct RunSummary {
    query: String,
    wall_ms: f64,
    cpu_ms: f64,
    io_wait_ms: f64,
    speedup: Option<f64>,
    efficiency: Option<f64>,
    cpu_threads: u32,
    predicted_wall_ms: f64,
    lag_p50_ms: Option<f64>,
    lag_p95_ms: Option<f64>,
    lag_max_ms: Option<f64>,
    /// `null` where the browser does not report long tasks.
    long_tasks: Option<usize>,
    frames_missed: u64,
    tasks: usize,
    ok: usize,
    errors: usize,
    cancelled: usize,
    timed_out: bool,
    workers_used: usize,
    yield_overhead_us: Option<f64>,
    pool_threads: usize,
}

impl RunSummary {
    fn of(query: String, r: &RunReport) -> RunSummary {
        let count = |o: Outcome| r.tasks.iter().filter(|t| t.outcome == o).count();
        let mut workers: Vec<Lane> = r
            .trace
            .spans
            .iter()
            .filter(|s| s.kind == SpanKind::Cpu && s.lane != Lane::Main)
            .map(|s| s.lane)
            .collect();
        workers.sort_unstable();
        workers.dedup();
        let lag = r.lag.drift_ms.as_ref();
        RunSummary {
            query,
            wall_ms: r.wall_ms,
            cpu_ms: r.cpu_ms,
            io_wait_ms: r.io_wait_ms,
            speedup: r.speedup,
            efficiency: r.efficiency,
            cpu_threads: r.cpu_threads,
            predicted_wall_ms: r.prediction.wall_us as f64 / 1000.0,
            lag_p50_ms: lag.map(|p| p.p50),
            lag_p95_ms: lag.map(|p| p.p95),
            lag_max_ms: lag.map(|p| p.max),
            long_tasks: r.long_tasks,
            frames_missed: r.frames_missed,
            tasks: r.tasks.len(),
            ok: count(Outcome::Ok),
            errors: count(Outcome::Error),
            cancelled: count(Outcome::Cancelled),
            timed_out: r.timed_out,
            workers_used: workers.len(),
            yield_overhead_us: r.yield_overhead_us,
            pool_threads: r.pool_threads,
        }
    }
}

/// Runs the experiment of a URL query (e.g. `w=cpu&s=pool&k=2`) and resolves
/// with its figures as a JSON string; rejects when the query has problems
/// (listing them) or the run fails.
#[wasm_bindgen(js_name = runExperiment)]
pub async fn run_experiment(query: String) -> Result<String, JsError> {
    let decoded = decode_str(query.trim_start_matches('?'));
    if !decoded.problems.is_empty() {
        let problems: Vec<String> = decoded
            .problems
            .iter()
            .map(|p| p.message(overlap_core::Lang::En))
            .collect();
        return Err(JsError::new(&problems.join(" ")));
    }
    let experiment = ValidExperiment::new(decoded.experiment)
        .map_err(|_| JsError::new("the decoded experiment is not valid"))?;
    let report = run(&experiment, RunOptions::default())
        .await
        .map_err(|e| JsError::new(&e.to_string()))?;
    serde_json::to_string(&RunSummary::of(experiment.to_query(), &report))
        .map_err(|e| JsError::new(&e.to_string()))
}
