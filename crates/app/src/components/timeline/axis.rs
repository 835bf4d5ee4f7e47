//! The time axis under the lanes: round ticks (core's `trace::ticks`),
//! fewer on a narrow plot, each a line across the lanes and a label.

use overlap_core::i18n::Lang;
use overlap_core::trace::{ticks, Window};
use yew::prelude::*;

use super::Frame;

/// Most ticks on the time axis (fewer on a narrow plot).
const AXIS_TICKS: usize = 8;

/// The ticks of `view` in `frame`, placed by `x` (µs to SVG units): lines
/// down to `plot_h`, labels (in `lang`) at the bottom of a drawing `height` tall.
pub(super) fn ticks_of(
    lang: Lang,
    view: Window,
    frame: Frame,
    x: &dyn Fn(u64) -> f64,
    plot_h: f64,
    height: f64,
) -> impl Iterator<Item = Html> + '_ {
    let count = ((frame.plot_w / 90.0) as usize).clamp(2, AXIS_TICKS);
    ticks(view.start_us, view.end_us, count, lang).into_iter().map(move |t| {
        let at = x(t.at_us);
        let tx = format!("{at:.2}");
        // A label at the plot's right edge ends at its tick rather than run off.
        let anchor = if at > frame.width - 30.0 { "end" } else { "middle" };
        html! {
            <g class="tick" data-testid="tick">
                <line class="tick-line" x1={tx.clone()} x2={tx.clone()} y1="0" y2={format!("{:.1}", plot_h + 3.0)} />
                <text class="axis" x={tx} text-anchor={anchor} y={format!("{:.0}", height - 4.0)}>{ t.label }</text>
            </g>
        }
    })
}
