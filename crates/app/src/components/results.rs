//! The figures of a run, each with its definition, beside the prediction the
//! model made before the run and the prediction's error.

use std::rc::Rc;

use overlap_core::figures::{prediction_error, Figure, PredictionError};
use overlap_core::i18n::neglect_note;
use overlap_core::predict::RunPrediction;
use overlap_core::trace::Outcome;
use overlap_core::Lang;
use overlap_runtime::executor::RunReport;
use overlap_runtime::reference::ReferenceThread;
use yew::prelude::*;

use crate::format;

/// Inputs of [`Results`].
#[derive(Properties, Clone)]
pub struct ResultsProps {
    /// The finished run.
    pub report: Rc<RunReport>,
}

impl PartialEq for ResultsProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.report, &other.report)
    }
}

/// One row of the table: what it shows, measured and predicted.
struct Row<'a> {
    label: &'a str,
    definition: Option<&'a str>,
    testid: &'a str,
    measured: Option<f64>,
    predicted: Option<f64>,
    unit: &'a str,
    digits: usize,
    /// Below this (in the figure's unit) the error is a difference, not a %.
    small: f64,
}

/// `value` with `digits` decimals and its unit, or a dash where it does not apply.
pub(crate) fn number(value: Option<f64>, digits: usize, unit: &str) -> String {
    value
        .filter(|v| v.is_finite())
        .map_or_else(|| "–".to_owned(), |v| format!("{v:.digits$}{unit}"))
}

/// The unit after a number, and nothing after a dash.
fn unit(value: Option<f64>, unit: &str) -> String {
    if value.is_some_and(f64::is_finite) {
        unit.to_owned()
    } else {
        String::new()
    }
}

fn row(r: Row<'_>) -> Html {
    let error = match prediction_error(r.predicted, r.measured, r.small) {
        Some(PredictionError::Percent(e)) => format!("{e:+.0} %"),
        Some(PredictionError::Difference(d)) => format!("{d:+.1}{}", r.unit),
        None => "–".to_owned(),
    };
    html! {
        <tr>
            <th scope="row">
                { r.label.to_owned() }
                if let Some(d) = r.definition { <span class="definition">{ d.to_owned() }</span> }
            </th>
            <td><span data-testid={format!("metric-{}", r.testid)}>{ number(r.measured, r.digits, "") }</span>
                { unit(r.measured, r.unit) }</td>
            <td class="predicted"><span data-testid={format!("predicted-{}", r.testid)}>{ number(r.predicted, r.digits, "") }</span>
                { unit(r.predicted, r.unit) }</td>
            <td class="error">{ error }</td>
        </tr>
    }
}

fn figure(f: Figure) -> (&'static str, Option<&'static str>) {
    (f.label(Lang::En), Some(f.definition(Lang::En)))
}

/// The rows every run shows, in order: the three figures, then lag and frames.
fn rows(r: &RunReport, p: &RunPrediction) -> Html {
    let f = &r.figures;
    let lag = r.lag.drift_ms.as_ref();
    // Lag and frames sit near zero when the loop is free: their error
    // reads as a difference there.
    let plain = |label, testid, measured, predicted, unit, digits| {
        row(Row {
            label,
            definition: None,
            testid,
            measured,
            predicted,
            unit,
            digits,
            small: 16.0,
        })
    };
    let defined = |fig: Figure, testid, measured, predicted, unit, digits| {
        let (label, definition) = figure(fig);
        row(Row {
            label,
            definition,
            testid,
            measured,
            predicted,
            unit,
            digits,
            small: 0.0,
        })
    };
    html! {
        <>
            { defined(Figure::Wall, "wall-ms", Some(r.wall_ms), Some(p.wall_ms), " ms", 1) }
            { defined(Figure::Concurrency, "concurrency", f.concurrency, p.concurrency, "", 2) }
            { defined(Figure::Parallelism, "parallelism", f.parallelism, p.parallelism, "", 2) }
            { defined(Figure::T1, "t1-ms", f.t1_ms, p.t1_ms, " ms", 1) }
            { defined(Figure::Speedup, "speedup", f.speedup, p.speedup, "×", 2) }
            { defined(Figure::Efficiency, "efficiency", f.efficiency, p.efficiency, "", 2) }
            { defined(Figure::Throughput, "throughput", f.throughput_per_s, p.throughput_per_s, " /s", 1) }
            { plain("Threads computing at once (most)", "threads", Some(f64::from(f.threads_used)), Some(f64::from(p.threads)), "", 0) }
            { plain("Event-loop lag p50", "lag-p50-ms", lag.map(|l| l.p50), None, " ms", 1) }
            { plain("Event-loop lag p95", "lag-p95-ms", lag.map(|l| l.p95), p.lag_p95_ms, " ms", 1) }
            { plain("Event-loop lag max", "lag-max-ms", lag.map(|l| l.max), p.lag_max_ms, " ms", 1) }
            { plain("Frames missed (60 Hz)", "frames-missed", Some(r.frames_missed as f64), Some(p.frames_missed as f64), "", 0) }
            { plain("Long tasks (≥ 50 ms)", "long-tasks", r.long_tasks.map(|n| n as f64), Some(p.long_tasks as f64), "", 0) }
        </>
    }
}

/// How and when T₁ was measured, in one sentence.
fn t1_note(r: &RunReport) -> Option<String> {
    let t1 = r.t1?;
    let tasks = r.experiment.cpu_task_count();
    let place = match t1.thread {
        ReferenceThread::Worker => "one after another on one pool worker",
        ReferenceThread::Main => {
            "one after another on the main thread, in chunks (the pool was not ready)"
        }
    };
    let when = format!(
        "{} s after this page opened{}",
        format::ms(t1.measured_at_ms / 1000.0),
        if t1.fresh {
            ", just after this run"
        } else {
            ", earlier in this session"
        }
    );
    Some(format!(
        "T₁ = {} ms: the same {tasks} CPU task(s) run {place}, measured {when} in this page. \
         It is kept for the session and measured again when the kernel, size, number of tasks or seed changes.",
        format::ms(t1.ms)
    ))
}

/// A table: figure (with its definition), measured, predicted before the run, error.
#[function_component(Results)]
pub fn results(props: &ResultsProps) -> Html {
    let r = &props.report;
    let count = |o: Outcome| r.tasks.iter().filter(|t| t.outcome == o).count();
    html! {
        <section class="panel results" aria-labelledby="results-title">
            <h2 id="results-title">{ "Results" }</h2>
            <table>
                <thead><tr>
                    <th scope="col">{ "Figure" }</th>
                    <th scope="col">{ "Measured" }</th>
                    <th scope="col">{ "Predicted before the run (model)" }</th>
                    <th scope="col">{ "Error" }</th>
                </tr></thead>
                <tbody>
                    { rows(r, &r.predicted) }
                    <tr>
                        <th scope="row">{ "Tasks ok / failed / cancelled" }</th>
                        <td colspan="3">{ format!("{} / {} / {}", count(Outcome::Ok), count(Outcome::Error), count(Outcome::Cancelled)) }</td>
                    </tr>
                </tbody>
            </table>
            <p class="hint" data-testid="results-notes">
                if let Some(note) = t1_note(r) { <span data-testid="t1-note">{ note }{ " " }</span> }
                if let Some(why) = r.figures.no_speedup { { format!("No speed-up: {}. ", why.explain(Lang::En)) } }
                { format!("The model ({}) predicted from the experiment and a calibration of this device taken before the run. ", r.predicted.model.formula()) }
                if r.timed_out { { "The wait hit its timeout. " } }
                if !r.pending.is_empty() { { format!("{} task(s) were still pending when the wait returned and were then cancelled. ", r.pending.len()) } }
                if r.cancelled { { "You cancelled this run. " } }
                if r.samples.hidden {
                    <span class="error" data-testid="hidden-note">{ "This tab was hidden during the run: the browser throttles a hidden tab's timers, \
                        so these figures are not the page's own. Run it again with the tab in front. " }</span>
                }
                if let Some(n) = &r.neglected {
                    <span data-testid="neglect-note">{ neglect_note(Lang::En, n) }{ " " }</span>
                }
                if r.trace.dropped_spans > 0 {
                    { format!("The timeline kept the first {} spans and left out {}; the figures count them all. ",
                              format::thousands(r.trace.spans.len() as u64), format::thousands(r.trace.dropped_spans)) }
                }
                if let Some(us) = r.yield_overhead_us { { format!("One yield to the event loop costs about {} µs here.", format::ms(us)) } }
            </p>
        </section>
    }
}

/// The model's figures, shown as soon as Run is pressed.
#[derive(Properties, PartialEq, Clone)]
pub struct PredictionProps {
    /// The prediction for the run under way.
    pub prediction: Rc<RunPrediction>,
}

/// What the model expects of the run under way, before any measurement.
#[function_component(PredictionView)]
pub fn prediction_view(props: &PredictionProps) -> Html {
    let p = &props.prediction;
    html! {
        <section class="panel results" aria-labelledby="prediction-title" data-testid="prediction">
            <h2 id="prediction-title">{ "Prediction (model, before the run)" }</h2>
            <p>
                { format!("Wall ≈ {} ms · concurrency {} · parallelism {} · speed-up {} · lag p95 {}",
                    format::ms(p.wall_ms), number(p.concurrency, 2, ""), number(p.parallelism, 2, ""),
                    number(p.speedup, 2, "×"), number(p.lag_p95_ms, 1, " ms")) }
            </p>
        </section>
    }
}
