//! Is the page responsive? A dial stepped by the main thread, five times a
//! second, in animation frames (so it stops dead whenever the main thread is
//! blocked, unlike a CSS animation, which the compositor keeps running) and the event-loop lag of the last run.

use std::cell::RefCell;
use std::rc::Rc;

use overlap_core::figures::drawing::{Answers, DrawingCost, DIAL_STEP_MS};
use overlap_core::Lang;
use overlap_runtime::clock::page_now_ms;
use overlap_runtime::frames::PacedFrames;
use overlap_runtime::probes::LagSample;
use yew::prelude::*;

use crate::components::chart_table::{caption, ChartTable, TABLE_ROWS};
use crate::format;

/// Inputs of [`Responsiveness`].
#[derive(Properties, PartialEq, Clone)]
pub struct ResponsivenessProps {
    /// Lag samples of the last run, if any.
    pub lag: Rc<Vec<LagSample>>,
    /// The last run's start on the page clock is 0; its wall time (ms).
    pub wall_ms: f64,
    /// Whether something runs: the dial turns only then (an idle page need
    /// not redraw sixty times a second, nor take a core from the workers).
    pub active: bool,
    /// The run's drawing cost, which each turn of the dial adds to.
    pub meter: Rc<RefCell<DrawingCost>>,
}

/// The dial and the lag plot.
#[function_component(Responsiveness)]
pub fn responsiveness(props: &ResponsivenessProps) -> Html {
    let hand = use_node_ref();
    let indicator = use_node_ref();
    {
        let (hand, indicator, meter) = (hand.clone(), indicator.clone(), props.meter.clone());
        use_effect_with(props.active, move |&active| {
            // From the run's start, so that a block before the first step counts.
            let answers = Rc::new(RefCell::new(Answers::default()));
            answers.borrow_mut().beat(page_now_ms());
            let (shown, heard) = (indicator.clone(), answers.clone());
            let turning = active.then(|| {
                // A step per period, not per frame (see DIAL_STEP_MS).
                PacedFrames::start(DIAL_STEP_MS, move |t: f64| {
                    let from = page_now_ms();
                    if let Some(el) = hand.cast::<web_sys::Element>() {
                        // One turn every two seconds, from the frame's own clock.
                        let degrees = (t / 2000.0 * 360.0) % 360.0;
                        let _ =
                            el.set_attribute("transform", &format!("rotate({degrees:.1} 50 50)"));
                    }
                    heard.borrow_mut().beat(t);
                    show_answers(&shown, &heard.borrow(), "running");
                    meter.borrow_mut().add(from, page_now_ms());
                })
            });
            move || {
                drop(turning);
                if active {
                    // A block that lasted to the run's end counts too.
                    answers.borrow_mut().beat(page_now_ms());
                    show_answers(&indicator, &answers.borrow(), "idle");
                }
            }
        });
    }
    let plot = lag_plot(&props.lag, props.wall_ms);
    // The heartbeats that came late, as rows.
    let late_beats = use_memo(props.lag.clone(), |lag| {
        let late: Vec<&LagSample> = lag.iter().filter(|s| s.drift_ms >= 1.0).collect();
        let rows = late
            .iter()
            .take(TABLE_ROWS)
            .map(|s| vec![format::ms(s.at_ms - s.drift_ms), format::ms(s.drift_ms)])
            .collect::<Vec<_>>();
        (Rc::new(rows), late.len())
    });
    html! {
        <section class="panel responsiveness" aria-labelledby="resp-title">
            <h2 id="resp-title">{ "Responsiveness" }</h2>
            <div class="resp-row">
                <svg class="dial" viewBox="0 0 100 100" role="img"
                     aria-label="A dial turned by the page's main thread: it stops when the thread is blocked">
                    <circle cx="50" cy="50" r="44" class="dial-face" />
                    <line ref={hand} x1="50" y1="50" x2="50" y2="12" class="dial-hand" />
                    <circle cx="50" cy="50" r="4" class="dial-hub" />
                </svg>
                <p class="blocked-indicator" data-testid="blocked-indicator" data-state="idle" ref={indicator}>
                    <span>{ "No run yet: the main thread is idle." }</span>
                    <span class="late" aria-hidden="true">{ " Not answering now." }</span>
                </p>
                <p class="hint">{ "While an experiment runs, the dial's hand steps five times a second \
                    whenever the main thread is free. When a CPU task holds the main thread, it stops." }</p>
            </div>
            { plot }
            if !props.lag.is_empty() {
                <ChartTable testid="lag-table" summary="The lag as a table"
                            caption={caption("heartbeats late by 1 ms or more", late_beats.0.len(), late_beats.1)}
                            head={&["Due at (ms, page clock)", "Late by (ms)"][..]}
                            rows={late_beats.0.clone()} />
            }
        </section>
    }
}

/// Writes what `answers` says into the indicator, in `state` ("running" or
/// "idle"). Each step while running restarts the stylesheet's countdown to
/// "not answering" (the beat swaps between two animations), which the
/// compositor runs on even while the main thread is blocked.
fn show_answers(indicator: &NodeRef, answers: &Answers, state: &str) {
    let Some(el) = indicator.cast::<web_sys::Element>() else {
        return;
    };
    let beat = match el.get_attribute("data-beat").as_deref() {
        Some("a") => "b",
        _ => "a",
    };
    let _ = el.set_attribute("data-beat", beat);
    let _ = el.set_attribute("data-state", state);
    let longest = format!("{:.0}", answers.longest_block_ms);
    let _ = el.set_attribute("data-longest-ms", &longest);
    if let Some(text) = el.first_element_child() {
        text.set_text_content(Some(&answers.text(Lang::En)));
    }
}

/// Event-loop lag over the last run: each 5 ms heartbeat's drift drawn as a
/// block over the time the loop could not answer (from when the beat was due
/// to when it ran), as tall as the drift.
fn lag_plot(lag: &[LagSample], wall_ms: f64) -> Html {
    if lag.is_empty() {
        return html! { <p class="hint">{ "Run an experiment to plot the event-loop lag over it." }</p> };
    }
    let start = lag
        .iter()
        .map(|s| s.at_ms - s.drift_ms)
        .fold(f64::INFINITY, f64::min);
    let end = lag
        .iter()
        .map(|s| s.at_ms)
        .fold(f64::NEG_INFINITY, f64::max);
    let span = (end - start).max(wall_ms).max(1.0);
    let max = lag.iter().map(|s| s.drift_ms).fold(1.0, f64::max);
    let blocks = lag.iter().filter(|s| s.drift_ms > 0.0).map(|s| {
        let height = (s.drift_ms / max * 50.0).max(0.5);
        html! {
            <rect class="lag-block" x={format!("{:.2}", (s.at_ms - s.drift_ms - start) / span * 300.0)}
                  y={format!("{:.2}", 56.0 - height)} width={format!("{:.2}", (s.drift_ms / span * 300.0).max(0.8))}
                  height={format!("{height:.2}")} />
        }
    });
    html! {
        <figure class="lag-plot">
            <svg viewBox="0 0 300 60" preserveAspectRatio="none" role="img"
                 aria-label={format!("Event-loop lag over the run, up to {} ms", format::ms(max))}>
                <line class="lag-base" x1="0" x2="300" y1="56" y2="56" />
                { for blocks }
            </svg>
            <figcaption>{ format!("Event-loop lag over the last run (heartbeat drift; peak {} ms)", format::ms(max)) }</figcaption>
        </figure>
    }
}
