//! The "GIL holder" lane of a GIL-mode run: who holds the GIL when, a hue
//! per task so that turns show as alternating colours.

use overlap_core::i18n::Catalogue;
use overlap_core::trace::rows::bar_width;
use overlap_core::trace::{Lane, Span, SpanKind};
use yew::prelude::*;

use super::{Frame, LANE_H};
use crate::format;
use crate::text::Words;

/// The lane at `y`: its rule, its label and a bar per CPU stretch on a
/// worker or an executor's thread among `spans`, placed by `x` (µs to SVG units).
pub(super) fn holder_lane<'a>(
    text: &Catalogue,
    spans: impl Iterator<Item = &'a Span>,
    x: &dyn Fn(u64) -> f64,
    y: f64,
    frame: Frame,
) -> Html {
    let bars = spans
        .filter(|s| s.kind == SpanKind::Cpu && matches!(s.lane, Lane::Worker(_) | Lane::Thread(_)))
        .map(|span| {
            let (x0, x1) = (x(span.start_us), x(span.end_us));
            let hue = (span.task * 137) % 360;
            let label = text.fill(
                "timeline.gil.holds",
                &[
                    ("task", &(span.task + 1)),
                    ("start", &format::ms(text.lang(), span.start_us as f64 / 1000.0)),
                    ("end", &format::ms(text.lang(), span.end_us as f64 / 1000.0)),
                ],
            );
            html! {
                <rect class="bar gil" x={format!("{x0:.2}")} y={format!("{:.1}", y + 4.0)}
                    width={format!("{:.2}", bar_width(x0, x1))} height={format!("{:.1}", LANE_H - 8.0)}
                    style={format!("fill: hsl({hue} 60% 50%)")} role="img" aria-label={label.clone()}>
                    <title>{ label }</title>
                </rect>
            }
        });
    let right = frame.label_w + frame.plot_w;
    html! {
        <>
            <line class="lane" x1={frame.label_w.to_string()} x2={right.to_string()}
                  y1={format!("{:.1}", y + LANE_H)} y2={format!("{:.1}", y + LANE_H)} />
            <text class="lane-label" x="4" y={format!("{:.1}", y + LANE_H / 2.0 + 4.0)}>{ text.html("timeline.gil.lane") }</text>
            { for bars }
        </>
    }
}
