//! The timeline's SVG coordinates, from the width the SVG was drawn at.

use yew::prelude::*;

/// Widest the lane labels are, px.
const LABEL_W: f64 = 90.0;

/// The SVG's coordinates: one unit per CSS pixel of its drawn width, so that
/// its text keeps its size on a phone rather than shrink with the drawing;
/// the plot is right of the lane labels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Frame {
    /// Width of the drawing (units = CSS px).
    pub(super) width: f64,
    /// Width of the lane labels, left of the plot.
    pub(super) label_w: f64,
    /// Width of the plot.
    pub(super) plot_w: f64,
}

impl Frame {
    /// The frame of an SVG drawn `px` wide.
    pub(super) fn of_width(px: f64) -> Frame {
        let width = if px.is_finite() {
            px.clamp(280.0, 2_400.0)
        } else {
            1_000.0
        };
        let label_w = LABEL_W.min(width * 0.22);
        Frame {
            width,
            label_w,
            plot_w: width - label_w - 6.0,
        }
    }
}

/// The frame of the SVG behind `svg_ref` as it was last drawn: its width is
/// measured after each render, and the viewBox follows it.
#[hook]
pub(super) fn use_frame(svg_ref: &NodeRef) -> Frame {
    let drawn_px = use_state(|| 1_000.0_f64);
    {
        let (drawn_px, svg_ref) = (drawn_px.clone(), svg_ref.clone());
        use_effect(move || {
            if let Some(svg) = svg_ref.cast::<web_sys::Element>() {
                let px = svg.get_bounding_client_rect().width();
                if px > 0.0 && (px - *drawn_px).abs() > 1.0 {
                    drawn_px.set(px);
                }
            }
        });
    }
    Frame::of_width(*drawn_px)
}
