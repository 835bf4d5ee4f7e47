//! The density band: the main lane of a run with too many I/O waits to draw
//! one by one (core's `trace::density`), as one shape per kind instead of
//! thousands of hairlines.

use overlap_core::i18n::Catalogue;
use overlap_core::trace::{density, Density, Lane, Span, SpanKind, Window};
use yew::prelude::*;

use crate::format;

/// I/O spans in the window from which the main lane is drawn as a band.
pub const BAND_FROM: usize = 300;

/// Columns of the band across the plot.
const COLUMNS: usize = 240;

/// Where the band is drawn, in the timeline's SVG units.
pub struct Area {
    /// Left edge of the plot.
    pub x: f64,
    /// Width of the plot.
    pub width: f64,
    /// Top of the band.
    pub y: f64,
    /// Height of the band.
    pub height: f64,
}

/// One path of columns rising from the band's bottom, each as tall as its
/// share of `scale`.
fn path(d: &Density, scale: u32, area: &Area) -> String {
    let column_w = area.width / COLUMNS as f64;
    d.heights(scale)
        .map(|(i, f)| {
            let h = (f * area.height).max(1.0);
            format!(
                "M{:.1} {:.1}h{column_w:.2}v{h:.1}h-{column_w:.2}Z",
                area.x + column_w * i as f64,
                area.y + area.height - h
            )
        })
        .collect()
}

/// The band of `spans`' I/O waits on the loop and of the I/O tasks queued
/// there, in `view` (a blocking call's wait is drawn on its thread's lane).
pub fn band(text: &Catalogue, spans: &[Span], view: Window, area: &Area) -> Html {
    let waits = density(
        spans
            .iter()
            .filter(|s| s.kind == SpanKind::IoWait && s.lane == Lane::Main),
        view,
        COLUMNS,
    );
    let queued = density(
        spans
            .iter()
            .filter(|s| s.kind == SpanKind::Queued && s.lane == Lane::Main),
        view,
        COLUMNS,
    );
    let scale = waits.peak.max(queued.peak);
    let slice = format::ms(text.lang(), waits.column_us / 1000.0);
    let peak = format::thousands(text.lang(), u64::from(waits.peak));
    let text = if queued.peak > 0 {
        text.fill(
            "timeline.band.queued",
            &[
                ("ms", &slice),
                ("peak", &peak),
                (
                    "queued",
                    &format::thousands(text.lang(), u64::from(queued.peak)),
                ),
            ],
        )
    } else {
        text.fill("timeline.band", &[("ms", &slice), ("peak", &peak)])
    };
    html! {
        <g class="density" data-testid="density-band" data-peak={waits.peak.to_string()}
           tabindex="0" role="img" aria-label={text.clone()}>
            <title>{ text }</title>
            <path class="density-queued" d={path(&queued, scale, area)} />
            <path class="density-waits" d={path(&waits, scale, area)} />
        </g>
    }
}
