//! The replay: a scrubber through a finished run, and what was going on at
//! its instant (core's `trace::moment`): who computed, who waited, who was
//! queued, and what each thread did.

use std::rc::Rc;

use overlap_core::trace::{moment, task_names, Lane, Span, SpanKind, NO_TASK};
use yew::prelude::*;

use crate::format;

/// Inputs of [`Replay`].
#[derive(Properties, PartialEq)]
pub struct ReplayProps {
    /// The finished run's spans.
    pub spans: Rc<Vec<Span>>,
    /// The cursor, µs (`None`: at the start).
    pub cursor_us: Option<u64>,
    /// Called with each new cursor position.
    pub on_cursor: Callback<u64>,
}

/// Tasks named in each list of the moment; the rest are counted.
const LISTED: usize = 6;

fn doing(kind: SpanKind) -> &'static str {
    match kind {
        SpanKind::Cpu => "computing",
        SpanKind::Blocked => "blocked, waiting for the pool",
        SpanKind::Startup => "starting",
        SpanKind::Transfer => "copying",
        SpanKind::IoWait | SpanKind::Queued | SpanKind::Handled => "waiting",
    }
}

/// The scrubber and the moment it points at.
#[function_component(Replay)]
pub fn replay(props: &ReplayProps) -> Html {
    let end_us = props.spans.iter().map(|s| s.end_us).max().unwrap_or(0);
    let at = props.cursor_us.unwrap_or(0).min(end_us);
    let m = moment(&props.spans, at);
    let oninput = {
        let on_cursor = props.on_cursor.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Ok(us) = input.value().parse::<f64>() {
                on_cursor.emit(us.max(0.0) as u64);
            }
        })
    };
    html! {
        <section class="replay" aria-labelledby="replay-label">
            <label id="replay-label" for="replay">{ "Replay: move through the finished run" }</label>
            <input id="replay" type="range" data-testid="replay" min="0" max={end_us.to_string()}
                   step={(end_us / 500).max(1).to_string()} value={at.to_string()} {oninput}
                   aria-valuetext={format!("{} ms", format::ms(at as f64 / 1000.0))} />
            <p data-testid="replay-moment" aria-live="polite">
                { format!(
                    "At {} ms: computing {}; waiting on I/O {}; queued {}; finished {}.",
                    format::ms(at as f64 / 1000.0),
                    task_names(&m.running, LISTED),
                    task_names(&m.waiting, LISTED),
                    task_names(&m.queued, LISTED),
                    m.finished
                ) }
            </p>
            <ul class="replay-lanes">
                { for m.lanes.iter().map(|l| {
                    let name = if l.lane == Lane::Main { "main (event loop)".to_owned() } else { l.lane.label() };
                    let what = l.doing.map_or_else(|| "idle".to_owned(), |(task, kind)| {
                        if task == NO_TASK { doing(kind).to_owned() } else { format!("T{}: {}", task + 1, doing(kind)) }
                    });
                    html! { <li data-testid="replay-lane"><strong>{ name }</strong>{ format!(": {what}") }</li> }
                }) }
            </ul>
        </section>
    }
}
