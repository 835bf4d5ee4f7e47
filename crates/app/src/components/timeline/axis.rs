//! The time axis under the lanes: round ticks (core's `trace::ticks`),
//! fewer on a narrow plot, each a line across the lanes and a label in a
//! strip of its own that stays in view while many task rows scroll.

use overlap_core::i18n::Lang;
use overlap_core::trace::{ticks, Tick, Window};
use yew::prelude::*;

use super::Frame;

/// Most ticks on the time axis (fewer on a narrow plot).
const AXIS_TICKS: usize = 8;

/// Height of the labels' strip, in SVG units (pixels at the drawing's width).
pub(super) const STRIP_H: f64 = 18.0;

/// The ticks of `view` for a plot `frame`, in `lang`; none for an `empty`
/// timeline (a span of 0 µs has no ticks worth reading).
pub(super) fn axis_ticks(lang: Lang, view: Window, frame: Frame, empty: bool) -> Vec<Tick> {
    if empty {
        return Vec::new();
    }
    let count = ((frame.plot_w / 90.0) as usize).clamp(2, AXIS_TICKS);
    ticks(view.start_us, view.end_us, count, lang)
}

/// A line across the lanes, down to `plot_h`, for each tick, placed by `x`
/// (µs to SVG units).
pub(super) fn tick_lines<'a>(
    ticks: &'a [Tick],
    x: &'a dyn Fn(u64) -> f64,
    plot_h: f64,
) -> impl Iterator<Item = Html> + 'a {
    ticks.iter().map(move |t| {
        let tx = format!("{:.2}", x(t.at_us));
        html! { <line class="tick-line" x1={tx.clone()} x2={tx} y1="0" y2={format!("{:.1}", plot_h + 3.0)} /> }
    })
}

/// The strip of labels under the lanes: sticky at the bottom of the
/// timeline's scrolling box (CSS), so that the scale is read at every row;
/// `live` adds the "…" of a run still going.
pub(super) fn label_strip(
    ticks: &[Tick],
    x: &dyn Fn(u64) -> f64,
    frame: Frame,
    live: bool,
) -> Html {
    let y = format!("{:.0}", STRIP_H - 4.0);
    let labels = ticks.iter().map(|t| {
        let at = x(t.at_us);
        // A label at the plot's right edge ends at its tick rather than run off.
        let anchor = if at > frame.width - 30.0 { "end" } else { "middle" };
        html! {
            <g class="tick" data-testid="tick">
                <text class="axis" x={format!("{at:.2}")} text-anchor={anchor} y={y.clone()}>{ t.label.clone() }</text>
            </g>
        }
    });
    html! {
        <svg class="axis-strip" viewBox={format!("0 0 {:.0} {STRIP_H:.0}", frame.width)} aria-hidden="true">
            { for labels }
            if live {
                <text class="axis" x={format!("{:.0}", frame.width - 4.0)} text-anchor="end" y={y.clone()}>{ "…" }</text>
            }
        </svg>
    }
}
