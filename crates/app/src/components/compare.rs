//! Two runs on one time scale: both timelines, their figures side by side
//! with the differences, how much faster one ran, and the parameters that
//! differ, or the scale of their CPU sizes (core's `record::compare`
//! computes all of it).

use std::rc::Rc;

use overlap_core::figures::Figure;
use overlap_core::i18n::Catalogue;
use overlap_core::record::{compare, names_apart, Headline, RunRecord};
use overlap_core::report::{KeyFigure, KeyUnit};
use yew::prelude::*;

use crate::components::results::key_words;
use crate::components::timeline::{wait_marker, Timeline};
use crate::format;
use crate::presets::by_id;
use crate::text::use_text;
use crate::text::Words;

/// Inputs of [`CompareView`].
#[derive(Properties, PartialEq)]
pub struct CompareProps {
    /// The first run (the reference).
    pub a: Rc<RunRecord>,
    /// The second run.
    pub b: Rc<RunRecord>,
    /// The preset whose variation the second run is, if any: the verdict is
    /// about the figure its lesson is (a preset's key figures).
    #[prop_or_default]
    pub story: Option<&'static str>,
}

/// Decimals each figure is written with, and the catalogue key of the
/// template that gives it its unit (none for a plain ratio).
fn style(figure: Figure) -> (usize, Option<&'static str>) {
    match figure {
        Figure::Wall | Figure::T1 => (1, Some("compare.value.ms")),
        Figure::Throughput => (1, Some("compare.value.per_s")),
        _ => (2, None),
    }
}

/// `value` written with `digits` decimals (with a sign when `signed`) and
/// its unit, or a dash where it does not apply.
fn value(
    text: &Catalogue,
    value: Option<f64>,
    digits: usize,
    unit: Option<&str>,
    signed: bool,
) -> String {
    let Some(v) = value.filter(|v| v.is_finite()) else {
        return "–".to_owned();
    };
    let n = if signed {
        text.lang().signed(v, digits)
    } else {
        text.lang().number(v, digits)
    };
    match unit {
        Some(key) => text.fill(key, &[("v", &n)]),
        None => n,
    }
}

/// The verdict about the figure the preset's lesson is: which run did
/// better on it, with both values.
fn headline(text: &Catalogue, h: &Headline, name_a: &str, name_b: &str) -> String {
    let lang = text.lang();
    let v = |x: f64| {
        let (digits, unit) = verdict_style(h.figure);
        let n = lang.number(x, digits);
        match unit {
            Some(key) => text.fill(key, &[("v", &n)]),
            None => n,
        }
    };
    let figure = key_words(text, h.figure).0;
    match h.b_better {
        None => text.fill(
            "compare.verdict.same",
            &[("figure", &figure), ("value", &v(h.a))],
        ),
        Some(b_better) => {
            let ((better, bv), (other, ov)) = if b_better {
                ((name_b, h.b), (name_a, h.a))
            } else {
                ((name_a, h.a), (name_b, h.b))
            };
            text.fill(
                "compare.verdict.figure",
                &[
                    ("better", &better),
                    ("figure", &figure),
                    ("better_value", &v(bv)),
                    ("other", &other),
                    ("other_value", &v(ov)),
                ],
            )
        }
    }
}

/// Digits and unit template of a key figure in a verdict (core's digits;
/// a speed-up's "×" is left to its label).
fn verdict_style(f: KeyFigure) -> (usize, Option<&'static str>) {
    let unit = match f.unit() {
        KeyUnit::Ms => Some("compare.value.ms"),
        KeyUnit::PerSecond => Some("compare.value.per_s"),
        KeyUnit::Times | KeyUnit::None => None,
    };
    (f.digits(), unit)
}

/// The comparison of two runs.
#[function_component(CompareView)]
pub fn compare_view(props: &CompareProps) -> Html {
    let text = use_text();
    let (a, b) = (&props.a, &props.b);
    let c = compare(a, b);
    // One time scale for both, so that lengths compare by eye.
    let end_us = a.trace.bounds_us().1.max(b.trace.bounds_us().1);
    let spans = use_memo((Rc::as_ptr(a) as usize, Rc::as_ptr(b) as usize), |_| {
        (
            Rc::new(a.trace.spans.clone()),
            Rc::new(b.trace.spans.clone()),
        )
    });
    // Two runs of one name are told apart (core's `names_apart`).
    let (name_a, name_b) = names_apart(a, b, &text);
    let ran = |faster: &str, x: f64, slower: &str| {
        text.fill(
            "compare.verdict",
            &[
                ("faster", &faster),
                ("ratio", &format::ratio(text.lang(), x)),
                ("slower", &slower),
            ],
        )
    };
    let named = props.story.and_then(by_id).map(|p| p.key_figures);
    let verdict = match (c.headline(named), c.speedup_b_over_a) {
        (Some(h), _) => headline(&text, &h, &name_a, &name_b),
        (None, Some(x)) if x >= 1.0 => ran(&name_b, x, &name_a),
        (None, Some(x)) => ran(&name_a, 1.0 / x, &name_b),
        (None, None) => text.get("compare.no_wall"),
    };
    let lane = |record: &Rc<RunRecord>, name: &str, spans: &Rc<Vec<overlap_core::trace::Span>>| {
        html! {
            <div class="compare-run">
                <h4>{ text.fill_html("compare.run", &[("name", &name), ("origin", &record.origin.words(&text))]) }</h4>
                <Timeline spans={spans.clone()} workers={0} live={false}
                          total={spans.len()} scale_end_us={Some(end_us)}
                          marker={record.wait.as_ref().map(|w| wait_marker(w, &[]))} />
            </div>
        }
    };
    html! {
        <section class="compare" data-testid="compare" aria-label={text.get("compare.label")}>
            <h3>{ text.html("compare.title") }</h3>
            <p class="verdict" data-testid="compare-speedup">{ verdict }</p>
            { lane(a, &name_a, &spans.0) }
            { lane(b, &name_b, &spans.1) }
            <table class="compare-figures">
                <thead><tr>
                    <th scope="col">{ text.html("compare.col.figure") }</th>
                    <th scope="col">{ name_a.clone() }</th>
                    <th scope="col">{ name_b.clone() }</th>
                    <th scope="col">{ text.html("compare.col.difference") }</th>
                </tr></thead>
                <tbody>
                    { for c.responsiveness.iter().map(|d| {
                        let (digits, unit) = if d.count { (0, None) } else { (1, Some("compare.value.ms")) };
                        html! {
                            <tr data-testid="compare-loop">
                                <th scope="row">{ text.get(d.label_key) }</th>
                                <td>{ value(&text, d.a, digits, unit, false) }</td>
                                <td>{ value(&text, d.b, digits, unit, false) }</td>
                                <td>{ value(&text, d.a.zip(d.b).map(|(x, y)| y - x), digits, unit, true) }</td>
                            </tr>
                        }
                    }) }
                    { for c.figures.iter().map(|d| {
                        let (digits, unit) = style(d.figure);
                        html! {
                            <tr>
                                <th scope="row">{ d.figure.label(&text) }</th>
                                <td>{ value(&text, d.a, digits, unit, false) }</td>
                                <td>{ value(&text, d.b, digits, unit, false) }</td>
                                <td>{ value(&text, d.difference, digits, unit, true) }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            if let Some(note) = c.scale_note(&text) {
                <p class="hint differs" data-testid="compare-scale">{ note }</p>
            }
            if c.same_experiment() {
                <p class="hint" data-testid="compare-params">{ text.html("compare.same") }</p>
            } else if !c.differing.is_empty() {
                <ul class="compare-params" data-testid="compare-params" aria-label={text.get("compare.params")}>
                    { for c.differing.iter().map(|(field, x, y)| html! {
                        <li class="differs">
                            <strong>{ text.fill_html("compare.param.field", &[("field", &field.label(&text))]) }</strong>
                            { " " }
                            { text.fill_html("compare.param.change", &[
                                ("then", &field.value_words(x, &text)),
                                ("now", &field.value_words(y, &text)),
                            ]) }
                        </li>
                    }) }
                </ul>
            }
        </section>
    }
}
