//! Stable hooks for automation (the benchmark and end-to-end tests): run an
//! experiment given as a URL query and get its figures back as JSON, from
//! JavaScript as `window.wasmBindings.runExperiment("w=cpu&s=pool&k=2")`.
//!
//! `injectFault(kind)` (fault injection, [`overlap_runtime::fault`]) is put on
//! the hook by boot.js only on a page opened with `debug=faults`.

use std::collections::HashMap;

use js_sys::Reflect;
use overlap_core::experiment::url::decode_str;
use overlap_core::experiment::{Field, Token};
use overlap_core::figures::NoSpeedup;
use overlap_core::i18n::Catalogue;
use overlap_core::predict::{RunPrediction, TaskKind};
use overlap_core::trace::{process_costs, task_extents, Lane, Outcome, SpanKind};
use overlap_core::ValidExperiment;
use overlap_runtime::measure::{run, RunOptions, RunReport};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Most tasks listed one by one in a summary (`tasks_total` gives the count).
pub const MAX_LISTED_TASKS: usize = 1_000;

/// One task of a run, as automation reads it.
#[derive(Debug, Serialize)]
struct TaskSummary {
    id: u32,
    kind: TaskKind,
    /// `main` or `worker-i`: where the task computed most (or waited).
    lane: Option<Lane>,
    start_ms: Option<f64>,
    end_ms: Option<f64>,
    /// When the loop handled its result (`asyncio.as_completed`), else `null`.
    handled_ms: Option<f64>,
    outcome: Outcome,
    /// What it computed (CPU: the kernel's checksum) or got (I/O), as 16
    /// hex digits (JSON numbers cannot hold 64 bits); `null` unless it succeeded.
    checksum: Option<String>,
}

/// A run's neglected coroutine, as automation reads it.
#[derive(Debug, Serialize)]
struct NeglectedSummary {
    id: u32,
    kind: &'static str,
    /// `null`: it never ran.
    outcome: Option<Outcome>,
}

/// The figures of one run, as automation reads them (the README documents
/// each field; change both together).
#[derive(Debug, Serialize)]
struct RunSummary {
    query: String,
    /// `threaded` or `fallback`: which build ran it.
    build: &'static str,
    wall_ms: f64,
    t1_ms: Option<f64>,
    /// Where T₁ was timed: `main` or `worker` (`null` without T₁).
    t1_thread: Option<&'static str>,
    speedup: Option<f64>,
    efficiency: Option<f64>,
    concurrency: Option<f64>,
    /// Tasks in the system, queued ones included (`null` where concurrency is).
    in_system: Option<f64>,
    parallelism: Option<f64>,
    threads_used: u32,
    /// The threads the run was given (efficiency divides by them).
    threads_given: u32,
    /// How fast the computing threads went against the calibration.
    core_share: Option<f64>,
    no_speedup: Option<NoSpeedup>,
    throughput_per_s: Option<f64>,
    /// How the process-style pool started its processes (`start=`), else `null`.
    start_method: Option<&'static str>,
    /// The process-style pool's longest process start-up, ms (else `null`).
    process_startup_ms: Option<f64>,
    /// Its mean copy of a task or result between the page and a process, ms.
    copy_ms: Option<f64>,
    /// Core's prediction, as it is.
    predicted: RunPrediction,
    cpu_ms: f64,
    io_wait_ms: f64,
    done: Vec<u32>,
    pending: Vec<u32>,
    ok: usize,
    errors: usize,
    cancelled: usize,
    /// The neglected coroutine (`neglect=`), else `null`.
    neglected: Option<NeglectedSummary>,
    /// Whether the tab was hidden at some moment of the run.
    tab_hidden: bool,
    timed_out: bool,
    lag_p50_ms: Option<f64>,
    lag_p95_ms: Option<f64>,
    lag_max_ms: Option<f64>,
    /// `null` where the browser does not report long tasks.
    long_tasks: Option<usize>,
    frames_missed: u64,
    yield_overhead_us: Option<f64>,
    pool_threads: usize,
    wasm_memory_bytes: Option<f64>,
    tasks_total: usize,
    tasks: Vec<TaskSummary>,
    /// The sentences under the results, as the page shows them, in its
    /// language (core's `RunReport::notes`).
    notes: Vec<String>,
}

/// The lane where each task spent most of its recorded time.
fn main_lanes(r: &RunReport) -> HashMap<u32, Lane> {
    let mut time: HashMap<(u32, Lane), u64> = HashMap::new();
    for s in &r.trace.spans {
        if !matches!(s.kind, SpanKind::Queued | SpanKind::Handled) {
            *time.entry((s.task, s.lane)).or_default() += s.duration_us().max(1);
        }
    }
    let mut best: HashMap<u32, (u64, Lane)> = HashMap::new();
    for ((task, lane), us) in time {
        let entry = best.entry(task).or_insert((us, lane));
        if (us, lane) > *entry {
            *entry = (us, lane);
        }
    }
    best.into_iter()
        .map(|(task, (_, lane))| (task, lane))
        .collect()
}

/// Bytes of the shared wasm memory now (it only grows).
fn wasm_memory_bytes() -> Option<f64> {
    let buffer = Reflect::get(&wasm_bindgen::memory(), &"buffer".into()).ok()?;
    Reflect::get(&buffer, &"byteLength".into()).ok()?.as_f64()
}

impl RunSummary {
    fn of(query: String, r: &RunReport, text: &Catalogue) -> RunSummary {
        let count = |o: Outcome| r.tasks.iter().filter(|t| t.outcome == o).count();
        let lag = r.lag.drift_ms.as_ref();
        let (f, p) = (&r.figures, &r.predicted);
        let lanes = main_lanes(r);
        let extents = task_extents(&r.trace.spans);
        let costs = process_costs(&r.trace.spans);
        let handled: HashMap<u32, u64> = r
            .trace
            .spans
            .iter()
            .filter(|s| s.kind == SpanKind::Handled)
            .map(|s| (s.task, s.start_us))
            .collect();
        RunSummary {
            query,
            build: overlap_runtime::env::build().token(),
            wall_ms: r.wall_ms,
            t1_ms: f.t1_ms,
            t1_thread: r.t1.map(|t| t.thread.token()),
            speedup: f.speedup,
            efficiency: f.efficiency,
            concurrency: f.concurrency,
            in_system: f.in_system,
            parallelism: f.parallelism,
            threads_used: f.threads_used,
            threads_given: f.threads_given,
            core_share: r.core_share,
            no_speedup: f.no_speedup,
            throughput_per_s: f.throughput_per_s,
            start_method: Field::ProcessStart
                .applies(r.experiment.get())
                .then(|| r.experiment.process_start.token()),
            process_startup_ms: costs.map(|c| c.startup_ms),
            copy_ms: costs.and_then(|c| c.per_copy_ms()),
            predicted: p.clone(),
            cpu_ms: r.cpu_ms,
            io_wait_ms: r.io_wait_ms,
            done: r.done.clone(),
            pending: r.pending.clone(),
            ok: count(Outcome::Ok),
            errors: count(Outcome::Error),
            cancelled: count(Outcome::Cancelled),
            neglected: r.neglected.as_ref().map(|n| NeglectedSummary {
                id: n.task,
                kind: n.kind.token(),
                outcome: n.outcome,
            }),
            tab_hidden: r.samples.hidden,
            timed_out: r.timed_out,
            lag_p50_ms: lag.map(|p| p.p50),
            lag_p95_ms: lag.map(|p| p.p95),
            lag_max_ms: lag.map(|p| p.max),
            long_tasks: r.long_tasks,
            frames_missed: r.frames_missed,
            yield_overhead_us: r.yield_overhead_us,
            pool_threads: r.pool_threads,
            wasm_memory_bytes: wasm_memory_bytes(),
            tasks_total: r.tasks.len(),
            tasks: r
                .tasks
                .iter()
                .take(MAX_LISTED_TASKS)
                .map(|t| {
                    // The whole task, from the trace; the tally (cut at the
                    // wait's return) when the trace dropped its spans.
                    let tally = r
                        .tally
                        .task(t.task)
                        .map(|x| (x.first_start_us, x.last_end_us));
                    let extent = extents.get(&t.task).copied().or(tally);
                    TaskSummary {
                        id: t.task,
                        kind: t.kind,
                        lane: lanes.get(&t.task).copied(),
                        start_ms: extent.map(|x| x.0 as f64 / 1000.0),
                        end_ms: extent.map(|x| x.1 as f64 / 1000.0),
                        handled_ms: handled.get(&t.task).map(|&us| us as f64 / 1000.0),
                        outcome: t.outcome,
                        checksum: t.checksum.map(|c| format!("{c:016x}")),
                    }
                })
                .collect(),
            notes: r.notes(text).into_iter().map(|n| n.text).collect(),
        }
    }
}

/// Runs the experiment of a URL query (e.g. `w=cpu&s=pool&k=2`) and resolves
/// with its figures as a JSON string; rejects when the query has problems
/// (listing them) or the run fails.
#[wasm_bindgen(js_name = runExperiment)]
pub async fn run_experiment(query: String) -> Result<String, JsError> {
    let decoded = decode_str(query.trim_start_matches('?'));
    // Messages in the page's language, as the page would show them.
    let text = crate::text::current();
    if !decoded.problems.is_empty() {
        let problems: Vec<String> = decoded.problems.iter().map(|p| p.message(&text)).collect();
        return Err(JsError::new(&problems.join(" ")));
    }
    if let Some(problem) = overlap_runtime::env::build().problem(&decoded.experiment) {
        return Err(JsError::new(&problem.message(&text)));
    }
    let experiment = ValidExperiment::new(decoded.experiment)
        .map_err(|_| JsError::new("the decoded experiment is not valid"))?;
    let report = match run(&experiment, RunOptions::default()).await {
        Ok(report) => report,
        Err(error) => {
            // Rejected with the error first (a microtask), rebuilt after
            // (boot.js starts over in a later task), as the page does.
            let cause = error.to_string();
            let rejected = JsError::new(&cause);
            crate::components::launch::rebuild_if_broken(&cause);
            return Err(rejected);
        }
    };
    serde_json::to_string(&RunSummary::of(experiment.to_query(), &report, &text))
        .map_err(|e| JsError::new(&e.to_string()))
}

/// Arms a fault for a test (`"worker-trap"`: a pool worker, or a process,
/// traps during its current or next task). boot.js puts it on the hook only
/// when the page was opened with `debug=faults` (it asks [`debug_flag`]);
/// it throws on an unknown kind.
#[wasm_bindgen(js_name = injectFault)]
pub fn inject_fault(kind: &str) -> Result<(), JsError> {
    let fault = overlap_runtime::fault::Fault::from_token(kind)
        .map_err(|e| JsError::new(&e.to_string()))?;
    overlap_runtime::fault::inject(fault);
    Ok(())
}

/// Whether the query `query` (boot.js passes the one the page was opened
/// with) asks for the debug mode `flag`, as core's codec reads it
/// ([`overlap_core::experiment::url::has_debug`]): boot.js asks this rather
/// than read any key of the query itself.
#[wasm_bindgen(js_name = debugFlag)]
pub fn debug_flag(query: &str, flag: &str) -> bool {
    overlap_core::experiment::url::has_debug(query, flag)
}
