//! The figures of a run, each with its definition, beside the prediction the
//! model made before the run and the prediction's error.

use std::rc::Rc;

use overlap_core::figures::{prediction_error, share, Figure, PredictionError};
use overlap_core::i18n::{Catalogue, Lang};
use overlap_core::predict::RunPrediction;
use overlap_core::report::{Note, NoteKind};
use overlap_core::trace::Outcome;
use overlap_runtime::measure::RunReport;
use yew::prelude::*;

use crate::format;
use crate::text::use_text;
use crate::text::Words;

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
    label: String,
    definition: Option<String>,
    testid: &'a str,
    measured: Option<f64>,
    predicted: Option<f64>,
    unit: &'a str,
    digits: usize,
    /// Below this (in the figure's unit) the error is a difference, not a %.
    small: f64,
    /// Why the prediction missed, when the run knows (its cores were shared).
    missed: Option<String>,
}

/// The unit after a number, and nothing after a dash.
fn unit(value: Option<f64>, unit: &str) -> String {
    if value.is_some_and(f64::is_finite) {
        unit.to_owned()
    } else {
        String::new()
    }
}

fn row(lang: Lang, r: Row<'_>) -> Html {
    let error = match prediction_error(r.predicted, r.measured, r.small) {
        // Rounded first: a −0.3 % error reads 0 %, not −0 %.
        Some(PredictionError::Percent(e)) if e.round() == 0.0 => "0 %".to_owned(),
        Some(PredictionError::Percent(e)) => [lang.signed(e, 0).as_str(), " %"].concat(),
        Some(PredictionError::Difference(d)) => [lang.signed(d, 1).as_str(), r.unit].concat(),
        None => "–".to_owned(),
    };
    let error = match (&r.missed, error.as_str()) {
        (Some(why), e) if e != "–" => format!("{e} ({why})"),
        _ => error,
    };
    html! {
        <tr>
            <th scope="row">
                { r.label }
                if let Some(d) = r.definition { <span class="definition">{ d }</span> }
            </th>
            <td><span data-testid={format!("metric-{}", r.testid)}>{ format::optional(lang, r.measured, r.digits, "") }</span>
                { unit(r.measured, r.unit) }</td>
            <td class="predicted"><span data-testid={format!("predicted-{}", r.testid)}>{ format::optional(lang, r.predicted, r.digits, "") }</span>
                { unit(r.predicted, r.unit) }</td>
            <td class="error">{ error }</td>
        </tr>
    }
}

/// The rows every run shows, in order: the three figures, then lag and frames.
fn rows(text: &Catalogue, r: &RunReport, p: &RunPrediction) -> Html {
    let f = &r.figures;
    let lang = text.lang();
    let lag = r.lag.drift_ms.as_ref();
    // Lag and frames sit near zero when the loop is free: their error
    // reads as a difference there.
    let plain = |key: &str, testid, measured, predicted, unit, digits| {
        row(
            lang,
            Row {
                label: text.get(key),
                definition: None,
                testid,
                measured,
                predicted,
                unit,
                digits,
                small: 16.0,
                missed: None,
            },
        )
    };
    // A run whose cores were shared missed its wall and speed-up for that.
    let shared = share::cores_shared(r.core_share).then(|| text.get("share.error"));
    let defined = |fig: Figure, testid, measured, predicted, unit, digits| {
        row(
            lang,
            Row {
                label: fig.label(text),
                definition: Some(fig.definition(text)),
                testid,
                measured,
                predicted,
                unit,
                digits,
                small: 0.0,
                missed: matches!(fig, Figure::Wall | Figure::Speedup)
                    .then(|| shared.clone())
                    .flatten(),
            },
        )
    };
    // The model computes at the calibrated speed: a share of 1.
    let core_share = row(
        lang,
        Row {
            label: text.get("share.label"),
            definition: Some(text.get("share.definition")),
            testid: "core-share",
            measured: r.core_share,
            predicted: r.core_share.map(|_| 1.0),
            unit: "",
            digits: 2,
            small: 0.0,
            missed: None,
        },
    );
    html! {
        <>
            { defined(Figure::Wall, "wall-ms", Some(r.wall_ms), Some(p.wall_ms), "\u{a0}ms", 1) }
            { defined(Figure::Concurrency, "concurrency", f.concurrency, p.concurrency, "", 2) }
            { defined(Figure::InSystem, "in-system", f.in_system, p.in_system, "", 2) }
            { defined(Figure::Parallelism, "parallelism", f.parallelism, p.parallelism, "", 2) }
            { defined(Figure::T1, "t1-ms", f.t1_ms, p.t1_ms, "\u{a0}ms", 1) }
            { defined(Figure::Speedup, "speedup", f.speedup, p.speedup, lang.times(), 2) }
            { defined(Figure::Efficiency, "efficiency", f.efficiency, p.efficiency, "", 2) }
            { core_share }
            { defined(Figure::Throughput, "throughput", f.throughput_per_s, p.throughput_per_s, "\u{a0}/s", 1) }
            { plain("results.threads", "threads", Some(f64::from(f.threads_used)), Some(f64::from(p.threads)), "", 0) }
            { plain("results.lag_p50", "lag-p50-ms", lag.map(|l| l.p50), None, "\u{a0}ms", 1) }
            { plain("results.lag_p95", "lag-p95-ms", lag.map(|l| l.p95), p.lag_p95_ms, "\u{a0}ms", 1) }
            { plain("results.lag_max", "lag-max-ms", lag.map(|l| l.max), p.lag_max_ms, "\u{a0}ms", 1) }
            { plain("results.frames_missed", "frames-missed", Some(r.frames_missed as f64), Some(p.frames_missed as f64), "", 0) }
            { plain("results.long_tasks", "long-tasks", r.long_tasks.map(|n| n as f64), Some(p.long_tasks as f64), "", 0) }
        </>
    }
}

/// One of core's notes under the results, as the page shows it: some are
/// marked (a hidden tab's as an error), each followed by a space.
fn note(n: Note) -> Html {
    let testid = match n.kind {
        NoteKind::CoreShare => Some("core-share-note"),
        NoteKind::T1 => Some("t1-note"),
        NoteKind::Python => Some("python-note"),
        NoteKind::Hidden => Some("hidden-note"),
        NoteKind::Neglected => Some("neglect-note"),
        _ => None,
    };
    let class = (n.kind == NoteKind::Hidden).then_some("error");
    match testid {
        Some(testid) => html! { <span class={class} data-testid={testid}>{ n.text }{ " " }</span> },
        None => html! { <>{ n.text }{ " " }</> },
    }
}

/// A table: figure (with its definition), measured, predicted before the run, error.
#[function_component(Results)]
pub fn results(props: &ResultsProps) -> Html {
    let text = use_text();
    let r = &props.report;
    let count = |o: Outcome| r.tasks.iter().filter(|t| t.outcome == o).count();
    html! {
        <section class="panel results" aria-labelledby="results-title">
            <h2 id="results-title">{ text.html("results.title") }</h2>
            <table>
                <thead><tr>
                    <th scope="col">{ text.html("results.col.figure") }</th>
                    <th scope="col">{ text.html("results.col.measured") }</th>
                    <th scope="col">{ text.html("results.col.predicted") }</th>
                    <th scope="col">{ text.html("results.col.error") }</th>
                </tr></thead>
                <tbody>
                    { rows(&text, r, &r.predicted) }
                    <tr>
                        <th scope="row">{ text.html("results.tasks") }</th>
                        <td colspan="3" translate="no">{ [Outcome::Ok, Outcome::Error, Outcome::Cancelled].map(|o| text.lang().integer(count(o) as u64)).join(" / ") }</td>
                    </tr>
                </tbody>
            </table>
            <p class="hint" data-testid="results-notes">
                { for r.notes(&text).into_iter().map(note) }
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
    let text = use_text();
    let p = &props.prediction;
    let lang = text.lang();
    html! {
        <section class="panel results" aria-labelledby="prediction-title" data-testid="prediction">
            <h2 id="prediction-title">{ text.html("prediction.title") }</h2>
            <p>
                { text.fill_html("prediction.line", &[
                    ("wall", &format::ms(lang, p.wall_ms)),
                    ("concurrency", &format::optional(lang, p.concurrency, 2, "")),
                    ("parallelism", &format::optional(lang, p.parallelism, 2, "")),
                    ("speedup", &format::optional(lang, p.speedup, 2, lang.times())),
                    ("lag", &format::optional(lang, p.lag_p95_ms, 1, " ms")),
                ]) }
            </p>
        </section>
    }
}
