//! Is the page responsive? A dial turned by requestAnimationFrame (so it
//! stops dead whenever the main thread is blocked, unlike a CSS animation,
//! which the compositor keeps running) and the event-loop lag of the last run.

use std::rc::Rc;

use overlap_runtime::frames::FrameLoop;
use overlap_runtime::probes::LagSample;
use yew::prelude::*;

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
}

/// The dial and the lag plot.
#[function_component(Responsiveness)]
pub fn responsiveness(props: &ResponsivenessProps) -> Html {
    let hand = use_node_ref();
    {
        let hand = hand.clone();
        use_effect_with(props.active, move |&active| {
            let turning = active.then(|| {
                FrameLoop::start(move |t: f64| {
                    if let Some(el) = hand.cast::<web_sys::Element>() {
                        // One turn every two seconds, from the frame's own clock.
                        let degrees = (t / 2000.0 * 360.0) % 360.0;
                        let _ =
                            el.set_attribute("transform", &format!("rotate({degrees:.1} 50 50)"));
                    }
                })
            });
            move || drop(turning)
        });
    }
    let plot = lag_plot(&props.lag, props.wall_ms);
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
                <p class="hint">{ "While an experiment runs, the dial turns on every frame the main \
                    thread can draw. When a CPU task holds the main thread, it stops." }</p>
            </div>
            { plot }
        </section>
    }
}

/// Event-loop lag over the last run: drift of each 5 ms heartbeat.
fn lag_plot(lag: &[LagSample], wall_ms: f64) -> Html {
    if lag.is_empty() {
        return html! { <p class="hint">{ "Run an experiment to plot the event-loop lag over it." }</p> };
    }
    let start = lag.first().map_or(0.0, |s| s.at_ms - s.drift_ms);
    let span = lag
        .last()
        .map_or(1.0, |s| s.at_ms - start)
        .max(wall_ms)
        .max(1.0);
    let max = lag.iter().map(|s| s.drift_ms).fold(1.0, f64::max);
    let points: String = lag
        .iter()
        .map(|s| {
            format!(
                "{:.1},{:.1} ",
                (s.at_ms - start) / span * 300.0,
                60.0 - s.drift_ms / max * 55.0
            )
        })
        .collect();
    html! {
        <figure class="lag-plot">
            <svg viewBox="0 0 300 62" role="img" aria-label={format!("Event-loop lag over the run, up to {} ms", format::ms(max))}>
                <polyline points={points} class="lag-line" />
            </svg>
            <figcaption>{ format!("Event-loop lag over the last run (heartbeat drift; peak {} ms)", format::ms(max)) }</figcaption>
        </figure>
    }
}
