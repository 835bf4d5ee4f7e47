//! The timeline while a run goes on. It redraws itself, and nothing else,
//! at a low fixed rate, in animation frames (so, never while the main
//! thread is busy), from the spans recorded so far, only when new ones
//! came, and stops once its bars are full; each redraw is timed into the
//! run's drawing cost, so the page can say what its own drawing took.

use std::cell::RefCell;
use std::rc::Rc;

use overlap_core::figures::drawing::{DrawingCost, DIAL_STEP_MS};
use overlap_core::trace::{coalesce, Span};
use overlap_runtime::clock::page_now_ms;
use overlap_runtime::frames::PacedFrames;
use yew::prelude::*;

use super::{Timeline, MAX_BARS};

/// How often the live timeline may redraw, ms: in frames where the dial
/// steps too (a multiple of its step), so that the two cost one frame.
const LIVE_REFRESH_MS: f64 = 2.0 * DIAL_STEP_MS;
/// Spans the live timeline looks at (the first ones recorded).
const LIVE_SCAN: usize = 4 * MAX_BARS;
/// Spans of one task this close (µs) draw as one bar in the live timeline.
const LIVE_MERGE_GAP_US: u64 = 2_000;

/// Inputs of [`LiveTimeline`].
#[derive(Properties, Clone)]
pub struct LiveTimelineProps {
    /// The spans recorded so far, appended to by the run.
    pub source: Rc<RefCell<Vec<Span>>>,
    /// The run's drawing cost, which each redraw adds to.
    pub meter: Rc<RefCell<DrawingCost>>,
    /// Worker lanes to draw even when idle.
    pub workers: usize,
    /// A GIL-mode run (a lane for the GIL's holder).
    pub gil: bool,
}

impl PartialEq for LiveTimelineProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.source, &other.source)
            && Rc::ptr_eq(&self.meter, &other.meter)
            && self.workers == other.workers
            && self.gil == other.gil
    }
}

/// The live timeline.
#[function_component(LiveTimeline)]
pub fn live_timeline(props: &LiveTimelineProps) -> Html {
    let drawn = use_state(|| Rc::new(Vec::<Span>::new()));
    // When the redraw being rendered began (page clock), taken by the effect
    // that runs once the DOM is patched.
    let began = use_mut_ref(|| None::<f64>);
    {
        let (began, meter) = (began.clone(), props.meter.clone());
        use_effect(move || {
            if let Some(from) = began.borrow_mut().take() {
                meter.borrow_mut().add(from, page_now_ms());
            }
        });
    }
    {
        let (drawn, began, source) = (drawn.clone(), began.clone(), props.source.clone());
        use_effect_with((), move |_| {
            let mut seen = 0;
            let frames = PacedFrames::start(LIVE_REFRESH_MS, move |_| {
                let from = page_now_ms();
                let spans = source.borrow();
                // Nothing new, or bars already full: the view stays.
                if spans.len() == seen || seen >= LIVE_SCAN {
                    return;
                }
                seen = spans.len().min(LIVE_SCAN);
                // A cooperative task's chunks merge into one bar: fewer
                // bars, a cheaper redraw.
                let mut bars = coalesce(&spans[..seen], LIVE_MERGE_GAP_US);
                bars.truncate(MAX_BARS);
                *began.borrow_mut() = Some(from);
                drawn.set(Rc::new(bars));
            });
            move || drop(frames)
        });
    }
    html! {
        <Timeline spans={(*drawn).clone()} workers={props.workers} gil={props.gil}
                  live=true total={drawn.len()} />
    }
}
