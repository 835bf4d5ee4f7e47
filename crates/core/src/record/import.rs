//! Reading a kept run back: a file exported here, or the twin's trace,
//! whose figures are computed from its spans (and its wait, when it says
//! when the wait returned).

use std::collections::{HashMap, HashSet};

use super::{
    clean_name, ImportError, Origin, RecordFile, RunRecord, MAX_IMPORT_BYTES, MAX_WAIT_TASKS,
    SCHEMA, SCHEMA_VERSION,
};
use crate::experiment::url::decode_str;
use crate::figures::{peak_threads, FigureInputs, Figures, Tally};
use crate::trace::{
    read, task_extents, Cause, Outcome, RunContext, Span, SpanKind, Trace, TraceError, WaitReturn,
    NO_TASK, SCHEMA as TRACE_SCHEMA,
};

/// The figures of a trace without a reference run: concurrency and
/// parallelism from its spans, counted up to the wait's return and over a
/// wall that ends there when `wait` says when (else at the last span's
/// end); no speed-up (no T₁).
pub fn figures_of_trace(trace: &Trace, wait: Option<&WaitReturn>) -> Figures {
    let cut = wait.map(|w| w.at_us);
    let mut tally = Tally::new();
    for span in &trace.spans {
        tally.add(span, cut);
    }
    let end_us = cut.unwrap_or_else(|| trace.bounds_us().1);
    let ends = ended_on_their_own(&trace.spans);
    let finished = ends.values().filter(|&&end| end <= end_us).count();
    Figures::measure(
        &tally,
        FigureInputs {
            wall_ms: end_us as f64 / 1000.0,
            t1_ms: None,
            has_cpu: trace.spans.iter().any(|s| s.kind == SpanKind::Cpu),
            cpu_complete: true,
            peak_threads: Some(peak_threads(&trace.spans, end_us)),
            finished,
            // Not in a trace: and a trace has no T₁, so no efficiency either.
            threads_given: 0,
        },
    )
}

/// Each task with no cancelled span, and when its last span ended.
fn ended_on_their_own(spans: &[Span]) -> HashMap<u32, u64> {
    let cancelled: HashSet<u32> = spans
        .iter()
        .filter(|s| s.outcome == Outcome::Cancelled)
        .map(|s| s.task)
        .collect();
    task_extents(spans)
        .into_iter()
        .filter(|(task, _)| !cancelled.contains(task))
        .map(|(task, (_, end))| (task, end))
        .collect()
}

/// `wait` with the tasks that made it return, read from the spans when the
/// file did not name them (the twin's): the first of the awaited tasks to
/// end, the first to fail, or the last to end before it returned.
fn with_its_tasks(mut wait: WaitReturn, spans: &[Span], awaited: u32) -> WaitReturn {
    if !wait.tasks.is_empty() || matches!(wait.cause, Cause::Timeout | Cause::Cancelled) {
        return wait;
    }
    let failed = crate::trace::failed_tasks(spans);
    let ends = ended_on_their_own(spans);
    // (end, task): the earliest or the latest; no sort (its code would weigh on the wasm).
    let ended = ends
        .into_iter()
        .filter(|&(task, end)| task < awaited && task != NO_TASK && end <= wait.at_us)
        .map(|(task, end)| (end, task));
    let pick = match wait.cause {
        Cause::FirstCompleted => ended.min(),
        Cause::FirstException => ended.filter(|(_, t)| failed.contains(t)).min(),
        _ => ended.max(),
    };
    wait.tasks = pick.map(|(_, t)| t).into_iter().collect();
    wait
}

/// Checks that the experiment query is one the URL codec reads without a problem.
fn checked_experiment(query: &str) -> Result<String, ImportError> {
    let decoded = decode_str(query);
    match decoded.problems.first() {
        Some(p) => Err(ImportError::Experiment(Box::new(p.clone()))),
        None => Ok(decoded.experiment.to_query()),
    }
}

fn checked_figures(f: &Figures) -> Result<(), ImportError> {
    let fields = [
        ("wall", Some(f.wall_ms)),
        ("concurrency", f.concurrency),
        ("in_system", f.in_system),
        ("parallelism", f.parallelism),
        ("T1", f.t1_ms),
        ("speed-up", f.speedup),
        ("efficiency", f.efficiency),
        ("throughput", f.throughput_per_s),
    ];
    match fields
        .iter()
        .find(|(_, v)| v.is_some_and(|v| !v.is_finite() || v < 0.0))
    {
        Some((name, _)) => Err(ImportError::Figure(name)),
        None => Ok(()),
    }
}

fn checked_wait(wait: &Option<WaitReturn>) -> Result<(), ImportError> {
    if wait
        .as_ref()
        .is_some_and(|w| w.tasks.len() > MAX_WAIT_TASKS)
    {
        return Err(ImportError::Invalid(format!(
            "its wait names more than {MAX_WAIT_TASKS} tasks"
        )));
    }
    Ok(())
}

/// A run this page exported.
fn page_record(text: &str, file_name: &str) -> Result<RunRecord, ImportError> {
    let file: RecordFile =
        serde_json::from_str(text).map_err(|e| ImportError::Invalid(e.to_string()))?;
    checked_figures(&file.figures)?;
    checked_responsiveness(file.responsiveness.as_ref())?;
    checked_wait(&file.wait)?;
    let context = RunContext {
        wait: None,
        scale: file.scale,
        python: file.python,
    };
    if let Some(why) = context.problem() {
        return Err(ImportError::Invalid(why));
    }
    let experiment = checked_experiment(&file.experiment)?;
    let mut trace = Trace::new(experiment.clone());
    for span in file.spans {
        trace.push(span);
    }
    trace.dropped_spans = trace.dropped_spans.saturating_add(file.dropped_spans);
    let mut figures = file.figures;
    super::older::upgrade(&mut figures, &trace);
    Ok(RunRecord {
        name: clean_name(&file.name, file_name),
        origin: file.origin,
        experiment,
        figures,
        trace,
        wait: file.wait,
        scale: context.scale,
        python: context.python,
        responsiveness: file.responsiveness,
    })
}

/// Lag is a duration: finite and not negative.
fn checked_responsiveness(r: Option<&super::Responsiveness>) -> Result<(), ImportError> {
    let Some(r) = r else { return Ok(()) };
    for (name, v) in [("lag_p95_ms", r.lag_p95_ms), ("lag_max_ms", r.lag_max_ms)] {
        if v.is_some_and(|v| !v.is_finite() || v < 0.0) {
            return Err(ImportError::Figure(name));
        }
    }
    Ok(())
}

/// A trace the Python twin wrote (`--trace`).
fn twin_record(text: &str, file_name: &str) -> Result<RunRecord, ImportError> {
    let (mut trace, context) = read(text).map_err(|e| match e {
        TraceError::UnsupportedVersion(v) => ImportError::UnsupportedVersion(u64::from(v)),
        TraceError::WrongSchema(s) => ImportError::WrongSchema(s),
        TraceError::Invalid(m) => ImportError::Invalid(m),
    })?;
    checked_wait(&context.wait)?;
    let experiment = checked_experiment(&trace.experiment)?;
    trace.experiment.clone_from(&experiment);
    let e = decode_str(&experiment).experiment;
    let awaited = e.io_task_count().saturating_add(e.cpu_task_count());
    let wait = context
        .wait
        .map(|w| with_its_tasks(w, &trace.spans, awaited));
    Ok(RunRecord {
        name: clean_name(&format!("Python: {file_name}"), "Python run"),
        origin: Origin::Python,
        experiment,
        figures: figures_of_trace(&trace, wait.as_ref()),
        trace,
        wait,
        scale: context.scale,
        python: context.python,
        responsiveness: None,
    })
}

/// Reads a run exported by this page ([`RunRecord::to_json`]) or a trace
/// written by the Python twin (`--trace`, version 1 or 2), which becomes a
/// record of origin [`Origin::Python`] named after `file_name`.
pub fn import(text: &str, file_name: &str) -> Result<RunRecord, ImportError> {
    if text.len() > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge { bytes: text.len() });
    }
    let head = crate::trace::export::Head::of(text).map_err(|e| match e {
        Some(m) => ImportError::Invalid(m),
        None => ImportError::WrongSchema(String::new()),
    })?;
    let schema = head.schema.as_deref().unwrap_or("");
    let version = head.version.unwrap_or(0);
    match schema {
        SCHEMA if version == u64::from(SCHEMA_VERSION) => page_record(text, file_name),
        TRACE_SCHEMA => twin_record(text, file_name),
        SCHEMA => Err(ImportError::UnsupportedVersion(version)),
        other => Err(ImportError::WrongSchema(other.to_owned())),
    }
}
