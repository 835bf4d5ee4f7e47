//! The figures of a run, each with its definition, beside the prediction the
//! model made before the run and the prediction's error.

use overlap_core::figures::{prediction_error, share, Figure, PredictionError};
use overlap_core::i18n::{Catalogue, Lang};
use overlap_core::predict::RunPrediction;
use overlap_core::report::{KeyFigure, KeyUnit, Note, NoteKind};
use overlap_core::trace::Outcome;
use overlap_runtime::measure::RunReport;
use yew::prelude::*;

use crate::format;
use crate::presets::by_id;
use crate::text::Words;

/// One row of the table: what it shows, measured and predicted.
pub(crate) struct Row<'a> {
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

/// The prediction's error of a row, as the table and the lead figures write it.
fn error_text(lang: Lang, r: &Row<'_>) -> String {
    let error = match prediction_error(r.predicted, r.measured, r.small) {
        // Rounded first: a −0.3 % error reads 0 %, not −0 %.
        Some(PredictionError::Percent(e)) if e.round() == 0.0 => "0 %".to_owned(),
        Some(PredictionError::Percent(e)) => [lang.signed(e, 0).as_str(), " %"].concat(),
        Some(PredictionError::Difference(d)) => [lang.signed(d, 1).as_str(), r.unit].concat(),
        None => "–".to_owned(),
    };
    match (&r.missed, error.as_str()) {
        (Some(why), e) if e != "–" => format!("{e} ({why})"),
        _ => error,
    }
}

fn row(lang: Lang, r: &Row<'_>) -> Html {
    let error = error_text(lang, r);
    html! {
        <tr>
            <th scope="row">
                { r.label.clone() }
                if let Some(d) = &r.definition { <span class="definition">{ d.clone() }</span> }
            </th>
            <td><span data-testid={format!("metric-{}", r.testid)}>{ format::optional(lang, r.measured, r.digits, "") }</span>
                { unit(r.measured, r.unit) }</td>
            <td class="predicted"><span data-testid={format!("predicted-{}", r.testid)}>{ format::optional(lang, r.predicted, r.digits, "") }</span>
                { unit(r.predicted, r.unit) }</td>
            <td class="error">{ error }</td>
        </tr>
    }
}

/// A figure the results lead with: big, with its prediction and the
/// prediction's error, and its definition; the same test ids as in the table.
pub(crate) fn lead(text: &Catalogue, figure: KeyFigure, r: &Row<'_>) -> Html {
    let lang = text.lang();
    html! {
        <div class="key-figure" data-figure={figure.key()}>
            <dt>{ r.label.clone() }</dt>
            <dd class="key-value"><span data-testid={format!("metric-{}", r.testid)}>{ format::optional(lang, r.measured, r.digits, "") }</span>
                { unit(r.measured, r.unit) }</dd>
            <dd class="key-predicted">
                { text.html("results.key.model") }{ " " }
                <span data-testid={format!("predicted-{}", r.testid)}>{ format::optional(lang, r.predicted, r.digits, "") }</span>
                { unit(r.predicted, r.unit) }{ " " }
                { text.fill("results.key.error", &[("error", &error_text(lang, r))]) }
            </dd>
            // Folded: four figures and their definitions would not fit beside
            // the timeline; the label says what each is, one click says more.
            if let Some(d) = &r.definition {
                <dd><details class="definition"><summary>{ text.html("results.key.define") }</summary>{ d.clone() }</details></dd>
            }
        </div>
    }
}

/// The unit's text after a key figure's number.
pub(crate) fn unit_of(lang: Lang, u: KeyUnit) -> &'static str {
    match u {
        KeyUnit::Ms => "\u{a0}ms",
        KeyUnit::Times => lang.times(),
        KeyUnit::PerSecond => "\u{a0}/s",
        KeyUnit::None => "",
    }
}

/// Every row of a run's figures, in the table's order, each with the key
/// figure it is when it is one: the three figures, then lag and frames.
pub(crate) fn rows<'a>(text: &Catalogue, r: &RunReport) -> Vec<(Option<KeyFigure>, Row<'a>)> {
    let lang = text.lang();
    let lag = r.lag.drift_ms.as_ref();
    let p = &r.predicted;
    // A run whose cores were shared missed its wall and speed-up for that.
    let shared = share::cores_shared(r.core_share).then(|| text.get("share.error"));
    let key = |f: KeyFigure| {
        let v = r.key_value(f);
        let (label, definition) = key_words(text, f);
        let testid = key_testid(f);
        // Lag and frames sit near zero when the loop is free: their error
        // reads as a difference there.
        let small = match f {
            KeyFigure::LagP95 | KeyFigure::FramesMissed | KeyFigure::LongTasks => 16.0,
            _ => 0.0,
        };
        let row = Row {
            label,
            definition,
            testid,
            measured: v.measured,
            predicted: v.predicted,
            unit: unit_of(lang, v.unit),
            digits: v.digits,
            small,
            missed: matches!(f, KeyFigure::Wall | KeyFigure::Speedup)
                .then(|| shared.clone())
                .flatten(),
        };
        (Some(f), row)
    };
    let plain = |label: String, definition, testid, measured, predicted, unit, digits| {
        let row = Row {
            label,
            definition,
            testid,
            measured,
            predicted,
            unit,
            digits,
            small: 16.0,
            missed: None,
        };
        (None, row)
    };
    let (t1_label, t1_definition) = figure_words(text, Figure::T1);
    vec![
        key(KeyFigure::Wall),
        key(KeyFigure::WaitSum),
        key(KeyFigure::Concurrency),
        key(KeyFigure::InSystem),
        key(KeyFigure::Parallelism),
        plain(
            t1_label,
            t1_definition,
            "t1-ms",
            r.figures.t1_ms,
            p.t1_ms,
            "\u{a0}ms",
            1,
        ),
        key(KeyFigure::Speedup),
        key(KeyFigure::Efficiency),
        // The model computes at the calibrated speed: a share of 1.
        (
            None,
            Row {
                small: 0.0,
                ..plain(
                    text.get("share.label"),
                    Some(text.get("share.definition")),
                    "core-share",
                    r.core_share,
                    r.core_share.map(|_| 1.0),
                    "",
                    2,
                )
                .1
            },
        ),
        key(KeyFigure::Throughput),
        plain(
            text.get("results.threads"),
            None,
            "threads",
            Some(f64::from(r.figures.threads_used)),
            Some(f64::from(p.threads)),
            "",
            0,
        ),
        plain(
            text.get("results.lag_p50"),
            None,
            "lag-p50-ms",
            lag.map(|l| l.p50),
            None,
            "\u{a0}ms",
            1,
        ),
        key(KeyFigure::LagP95),
        plain(
            text.get("results.lag_max"),
            None,
            "lag-max-ms",
            lag.map(|l| l.max),
            p.lag_max_ms,
            "\u{a0}ms",
            1,
        ),
        key(KeyFigure::FramesMissed),
        key(KeyFigure::LongTasks),
    ]
}

/// A key figure's label and definition.
pub(crate) fn key_words(text: &Catalogue, f: KeyFigure) -> (String, Option<String>) {
    match f {
        KeyFigure::Wall => figure_words(text, Figure::Wall),
        KeyFigure::Concurrency => figure_words(text, Figure::Concurrency),
        KeyFigure::InSystem => figure_words(text, Figure::InSystem),
        KeyFigure::Parallelism => figure_words(text, Figure::Parallelism),
        KeyFigure::Speedup => figure_words(text, Figure::Speedup),
        KeyFigure::Efficiency => figure_words(text, Figure::Efficiency),
        KeyFigure::Throughput => figure_words(text, Figure::Throughput),
        KeyFigure::WaitSum => (
            text.get("results.wait_sum"),
            Some(text.get("results.wait_sum.definition")),
        ),
        KeyFigure::LagP95 => (text.get("results.lag_p95"), None),
        KeyFigure::FramesMissed => (text.get("results.frames_missed"), None),
        KeyFigure::LongTasks => (text.get("results.long_tasks"), None),
    }
}

/// The test id of a key figure's number (`metric-<id>`, `predicted-<id>`).
fn key_testid(f: KeyFigure) -> &'static str {
    match f {
        KeyFigure::Wall => "wall-ms",
        KeyFigure::WaitSum => "wait-sum-ms",
        KeyFigure::Concurrency => "concurrency",
        KeyFigure::InSystem => "in-system",
        KeyFigure::Parallelism => "parallelism",
        KeyFigure::Speedup => "speedup",
        KeyFigure::Efficiency => "efficiency",
        KeyFigure::Throughput => "throughput",
        KeyFigure::LagP95 => "lag-p95-ms",
        KeyFigure::FramesMissed => "frames-missed",
        KeyFigure::LongTasks => "long-tasks",
    }
}

/// A figure's label and definition.
fn figure_words(text: &Catalogue, f: Figure) -> (String, Option<String>) {
    (f.label(text), Some(f.definition(text)))
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

/// A folded table of every figure of the finished run `r` but the lesson's
/// own (`story`'s, with its definition), measured, predicted before the
/// run, and the error; then the notes, never folded. A function, not a
/// component: it has no state of its own (issue 29).
pub fn results(text: &Catalogue, r: &RunReport, story: Option<&'static str>) -> Html {
    let lang = text.lang();
    let count = |o: Outcome| r.tasks.iter().filter(|t| t.outcome == o).count();
    let named = story.and_then(by_id).map(|p| p.key_figures);
    let leading = KeyFigure::lead(named, r.experiment.get());
    let all = rows(text, r);
    // The lead figures stand beside the timeline (KeyFigures), each once.
    let rest = all
        .iter()
        .filter(|(f, _)| !f.is_some_and(|f| leading.contains(&f)));
    html! {
        <section class="panel results" aria-labelledby="results-title">
            <h2 id="results-title">{ text.html("results.title") }</h2>
            <details class="all-figures" data-testid="all-figures">
                <summary>{ text.html("results.all_figures") }</summary>
                <table>
                    <thead><tr>
                        <th scope="col">{ text.html("results.col.figure") }</th>
                        <th scope="col">{ text.html("results.col.measured") }</th>
                        <th scope="col">{ text.html("results.col.predicted") }</th>
                        <th scope="col">{ text.html("results.col.error") }</th>
                    </tr></thead>
                    <tbody>
                        { for rest.map(|(_, r)| row(lang, r)) }
                        <tr>
                            <th scope="row">{ text.html("results.tasks") }</th>
                            <td colspan="3" translate="no">{ [Outcome::Ok, Outcome::Error, Outcome::Cancelled].map(|o| text.lang().integer(count(o) as u64)).join(" / ") }</td>
                        </tr>
                    </tbody>
                </table>
            </details>
            <p class="hint" data-testid="results-notes">
                { for r.notes(text).into_iter().map(note) }
            </p>
        </section>
    }
}

/// What the model expects of the run under way (`p`, shown as soon as Run
/// is pressed), before any measurement. A function, not a component: it
/// has no state of its own (issue 29).
pub fn prediction_view(text: &Catalogue, p: &RunPrediction) -> Html {
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
