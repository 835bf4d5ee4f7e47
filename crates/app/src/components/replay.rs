//! The replay: a scrubber through a finished run, and what was going on at
//! its instant (core's `trace::moment`): who computed, who waited, who was
//! queued, and what each thread did.

use std::rc::Rc;

use overlap_core::i18n::Catalogue;
use overlap_core::trace::{moment, task_names, Lane, Span, SpanKind, NO_TASK};
use yew::prelude::*;

use crate::format;
use crate::text::use_text;
use crate::text::Words;

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

fn doing(text: &Catalogue, kind: SpanKind) -> String {
    text.get(match kind {
        SpanKind::Cpu => "replay.doing.cpu",
        SpanKind::Blocked => "replay.doing.blocked",
        SpanKind::Startup => "replay.doing.startup",
        SpanKind::Transfer => "replay.doing.transfer",
        SpanKind::IoWait | SpanKind::Queued | SpanKind::Handled => "replay.doing.waiting",
    })
}

/// A lane's name, as the replay lists it (the main thread with its loop).
fn lane_name(text: &Catalogue, lane: Lane) -> String {
    match lane {
        Lane::Main => text.get("replay.lane.main"),
        _ => lane.label(text),
    }
}

/// The scrubber and the moment it points at.
#[function_component(Replay)]
pub fn replay(props: &ReplayProps) -> Html {
    let text = use_text();
    // Folded, nothing is computed: a moment goes over every span (100,000
    // waits' worth at most), which the render that shows a run can spare.
    let open = use_state(|| false);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            let details: web_sys::HtmlDetailsElement = e.target_unchecked_into();
            open.set(details.open());
        })
    };
    let fold = |inside: Html| {
        html! {
            // Folded: the lesson's figures come first on the screen.
            <details class="replay" data-testid="replay-fold" ontoggle={ontoggle.clone()}>
                <summary>{ text.html("replay.label") }</summary>
                { inside }
            </details>
        }
    };
    if !*open {
        return fold(Html::default());
    }
    let end_us = props.spans.iter().map(|s| s.end_us).max().unwrap_or(0);
    let at = props.cursor_us.unwrap_or(0).min(end_us);
    let m = moment(&props.spans, at);
    let oninput = {
        let on_cursor = props.on_cursor.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Some(us) = overlap_core::decimal::parse_f64(&input.value()) {
                on_cursor.emit(us.max(0.0) as u64);
            }
        })
    };
    fold(html! {
        <>
            <label class="visually-hidden" for="replay">{ text.html("replay.label") }</label>
            <input id="replay" type="range" data-testid="replay" min="0" max={end_us.to_string()}
                   step={(end_us / 500).max(1).to_string()} value={at.to_string()} {oninput}
                   aria-valuetext={text.fill("replay.at", &[("ms", &format::ms(text.lang(), at as f64 / 1000.0))])} />
            <p data-testid="replay-moment" aria-live="polite">
                { text.fill_html("replay.moment", &[
                    ("ms", &format::ms(text.lang(), at as f64 / 1000.0)),
                    ("running", &task_names(&text, &m.running, LISTED)),
                    ("waiting", &task_names(&text, &m.waiting, LISTED)),
                    ("queued", &task_names(&text, &m.queued, LISTED)),
                    ("finished", &format::thousands(text.lang(), m.finished as u64)),
                ]) }
            </p>
            <ul class="replay-lanes">
                { for m.lanes.iter().map(|l| {
                    let name = text.fill("replay.lane", &[("lane", &lane_name(&text, l.lane))]);
                    let what = l.doing.map_or_else(|| text.get("replay.idle"), |(task, kind)| {
                        if task == NO_TASK {
                            doing(&text, kind)
                        } else {
                            text.fill("replay.task_doing", &[("task", &(task + 1)), ("doing", &doing(&text, kind))])
                        }
                    });
                    html! { <li data-testid="replay-lane"><strong>{ name }</strong>{ " " }{ what }</li> }
                }) }
            </ul>
        </>
    })
}
