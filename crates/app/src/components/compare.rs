//! Two runs on one time scale: both timelines, their figures side by side
//! with the differences, how much faster one ran, and the parameters that
//! differ (core's `record::compare` computes all of it).

use std::rc::Rc;

use overlap_core::figures::Figure;
use overlap_core::i18n::field_label;
use overlap_core::record::{compare, Origin, RunRecord};
use overlap_core::Lang;
use yew::prelude::*;

use crate::components::results::number;
use crate::components::timeline::{wait_marker, Timeline};
use crate::format;

/// Inputs of [`CompareView`].
#[derive(Properties, PartialEq)]
pub struct CompareProps {
    /// The first run (the reference).
    pub a: Rc<RunRecord>,
    /// The second run.
    pub b: Rc<RunRecord>,
}

/// Decimals and unit each figure is written with.
fn style(figure: Figure) -> (usize, &'static str) {
    match figure {
        Figure::Wall | Figure::T1 => (1, " ms"),
        Figure::Throughput => (1, " /s"),
        _ => (2, ""),
    }
}

fn origin(record: &RunRecord) -> &'static str {
    match record.origin {
        Origin::Page { .. } => "this page",
        Origin::Python => "CPython",
    }
}

/// The comparison of two runs.
#[function_component(CompareView)]
pub fn compare_view(props: &CompareProps) -> Html {
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
    let verdict = match c.speedup_b_over_a {
        Some(x) if x >= 1.0 => format!(
            "“{}” ran {} as fast as “{}”.",
            b.name,
            format::ratio(x),
            a.name
        ),
        Some(x) => format!(
            "“{}” ran {} as fast as “{}”.",
            a.name,
            format::ratio(1.0 / x),
            b.name
        ),
        None => "No wall time to compare.".to_owned(),
    };
    let lane = |record: &Rc<RunRecord>, spans: &Rc<Vec<overlap_core::trace::Span>>| {
        html! {
            <div class="compare-run">
                <h4>{ format!("{} ({})", record.name, origin(record)) }</h4>
                <Timeline spans={spans.clone()} workers={0} live={false}
                          total={spans.len()} scale_end_us={Some(end_us)}
                          marker={record.wait.as_ref().map(|w| wait_marker(w, &[]))} />
            </div>
        }
    };
    html! {
        <section class="compare" data-testid="compare" aria-label="Comparison of two runs">
            <h3>{ "Comparison" }</h3>
            <p class="verdict" data-testid="compare-speedup">{ verdict }</p>
            { lane(a, &spans.0) }
            { lane(b, &spans.1) }
            <table class="compare-figures">
                <thead><tr>
                    <th scope="col">{ "Figure" }</th>
                    <th scope="col">{ a.name.clone() }</th>
                    <th scope="col">{ b.name.clone() }</th>
                    <th scope="col">{ "Difference" }</th>
                </tr></thead>
                <tbody>
                    { for c.figures.iter().map(|d| {
                        let (digits, unit) = style(d.figure);
                        html! {
                            <tr>
                                <th scope="row">{ d.figure.label(Lang::En) }</th>
                                <td>{ number(d.a, digits, unit) }</td>
                                <td>{ number(d.b, digits, unit) }</td>
                                <td>{ d.difference.map_or_else(|| "–".to_owned(), |x| format!("{x:+.digits$}{unit}")) }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            if c.differing.is_empty() {
                <p class="hint" data-testid="compare-params">{ "Same experiment: every parameter is equal." }</p>
            } else {
                <ul class="compare-params" data-testid="compare-params" aria-label="Parameters that differ">
                    { for c.differing.iter().map(|(field, x, y)| html! {
                        <li class="differs"><strong>{ field_label(Lang::En, *field) }</strong>{ format!(": {x} → {y}") }</li>
                    }) }
                </ul>
            }
        </section>
    }
}
