//! Is the page responsive? A dial stepped by the main thread, five times a
//! second, in animation frames (so it stops dead whenever the main thread is
//! blocked, unlike a CSS animation, which the compositor keeps running) and the event-loop lag of the last run.

use std::cell::RefCell;
use std::rc::Rc;

use overlap_core::figures::drawing::{Answers, DrawingCost, DIAL_STEP_MS};
use overlap_core::i18n::Catalogue;
use overlap_runtime::clock::page_now_ms;
use overlap_runtime::frames::PacedFrames;
use overlap_runtime::probes::LagSample;
use yew::prelude::*;

use crate::components::chart_table::{caption, ChartTable, TABLE_ROWS};
use crate::format;
use crate::text::Words;
use crate::text::{use_text, Text};

/// Inputs of [`Responsiveness`].
#[derive(Properties, PartialEq, Clone)]
pub struct ResponsivenessProps {
    /// Whether something runs: the dial turns only then (an idle page need
    /// not redraw sixty times a second, nor take a core from the workers).
    pub active: bool,
    /// The run's drawing cost, which each turn of the dial adds to.
    pub meter: Rc<RefCell<DrawingCost>>,
}

/// The dial, beside the lesson's Run button: whether the main thread answers.
#[function_component(Responsiveness)]
pub fn responsiveness(props: &ResponsivenessProps) -> Html {
    let text = use_text();
    let hand = use_node_ref();
    let indicator = use_node_ref();
    // The catalogue in use, for the dial's steps, which outlive a render.
    let words = use_mut_ref(Text::default);
    *words.borrow_mut() = text.clone();
    // What the indicator says once a run began (the page writes it itself,
    // step by step): said again in the new language when it changes.
    let said = use_mut_ref(|| None::<Answers>);
    {
        let (indicator, said) = (indicator.clone(), said.clone());
        use_effect_with(text.clone(), move |text| {
            if let Some(answers) = *said.borrow() {
                write_answers(&indicator, &answers, text);
            }
        });
    }
    {
        let (hand, indicator, meter) = (hand.clone(), indicator.clone(), props.meter.clone());
        let (words, said) = (words.clone(), said.clone());
        use_effect_with(props.active, move |&active| {
            // From the run's start, so that a block before the first step counts.
            let answers = Rc::new(RefCell::new(Answers::default()));
            answers.borrow_mut().beat(page_now_ms());
            let (shown, heard) = (indicator.clone(), answers.clone());
            let (step_words, step_said) = (words.clone(), said.clone());
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
                    let now = *heard.borrow();
                    *step_said.borrow_mut() = Some(now);
                    show_answers(&shown, &now, "running", &step_words.borrow());
                    meter.borrow_mut().add(from, page_now_ms());
                })
            });
            move || {
                drop(turning);
                if active {
                    // A block that lasted to the run's end counts too.
                    answers.borrow_mut().beat(page_now_ms());
                    let now = *answers.borrow();
                    *said.borrow_mut() = Some(now);
                    show_answers(&indicator, &now, "idle", &words.borrow());
                }
            }
        });
    }
    html! {
        <section class="panel responsiveness" aria-labelledby="resp-title">
            <h2 id="resp-title">{ text.html("dial.title") }</h2>
            <div class="resp-row">
                <svg class="dial" data-testid="dial" viewBox="0 0 100 100" role="img"
                     aria-label={text.get("dial.label")}>
                    <circle cx="50" cy="50" r="44" class="dial-face" />
                    <line ref={hand} x1="50" y1="50" x2="50" y2="12" class="dial-hand" />
                    <circle cx="50" cy="50" r="4" class="dial-hub" />
                </svg>
                <p class="blocked-indicator" data-testid="blocked-indicator" data-state="idle" ref={indicator}>
                    <span>{ text.html("dial.idle") }</span>
                    <span class="late" aria-hidden="true">{ format!(" {}", text.get("dial.late")) }</span>
                </p>
                <p class="hint">{ text.html("dial.hint") }</p>
            </div>
        </section>
    }
}

/// Inputs of [`LagView`].
#[derive(Properties, PartialEq, Clone)]
pub struct LagViewProps {
    /// Lag samples of the last run.
    pub lag: Rc<Vec<LagSample>>,
    /// The last run's start on the page clock is 0; its wall time (ms).
    pub wall_ms: f64,
}

/// The event-loop lag of the last run: a plot and its table.
#[function_component(LagView)]
pub fn lag_view(props: &LagViewProps) -> Html {
    let text = use_text();
    let plot = lag_plot(&text, &props.lag, props.wall_ms);
    // The heartbeats that came late, as rows.
    // Keyed by the language too: the rows are written in it.
    let late_beats = use_memo((props.lag.clone(), text.lang()), |(lag, lang)| {
        let late: Vec<&LagSample> = lag.iter().filter(|s| s.drift_ms >= 1.0).collect();
        let rows = late
            .iter()
            .take(TABLE_ROWS)
            .map(|s| {
                vec![
                    format::ms(*lang, s.at_ms - s.drift_ms),
                    format::ms(*lang, s.drift_ms),
                ]
            })
            .collect::<Vec<_>>();
        (Rc::new(rows), late.len())
    });
    html! {
        <section class="panel lag" aria-labelledby="lag-title">
            <h2 id="lag-title">{ text.html("lag.title") }</h2>
            { plot }
            if !props.lag.is_empty() {
                <ChartTable testid="lag-table" summary={text.get("lag.table.summary")}
                            caption={caption(&text, "lag.table.caption", late_beats.0.len(), late_beats.1)}
                            head={vec![text.get("lag.table.due"), text.get("lag.table.late")]}
                            rows={late_beats.0.clone()} />
            }
        </section>
    }
}

/// Writes what `answers` says into the indicator, in `state` ("running" or
/// "idle"). Each step while running restarts the stylesheet's countdown to
/// "not answering" (the beat swaps between two animations), which the
/// compositor runs on even while the main thread is blocked.
fn show_answers(indicator: &NodeRef, answers: &Answers, state: &str, text: &Catalogue) {
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
    write_answers(indicator, answers, text);
}

/// Writes what `answers` says, in `text`'s language, into the indicator.
fn write_answers(indicator: &NodeRef, answers: &Answers, text: &Catalogue) {
    let said = indicator
        .cast::<web_sys::Element>()
        .and_then(|el| el.first_element_child());
    if let Some(said) = said {
        said.set_text_content(Some(&answers.text(text)));
    }
}

/// Event-loop lag over the last run: each 5 ms heartbeat's drift drawn as a
/// block over the time the loop could not answer (from when the beat was due
/// to when it ran), as tall as the drift.
fn lag_plot(text: &Catalogue, lag: &[LagSample], wall_ms: f64) -> Html {
    if lag.is_empty() {
        return html! { <p class="hint">{ text.html("lag.none") }</p> };
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
                 aria-label={text.fill("lag.plot.label", &[("ms", &format::ms(text.lang(), max))])}>
                <line class="lag-base" x1="0" x2="300" y1="56" y2="56" />
                { for blocks }
            </svg>
            <figcaption>{ text.fill_html("lag.plot.caption", &[("ms", &format::ms(text.lang(), max))]) }</figcaption>
        </figure>
    }
}
