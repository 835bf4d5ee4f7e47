//! Dragging and pinching the timeline with a mouse, a pen or fingers: one
//! pointer pans, two zoom around the point between them (core's `Window`
//! does the arithmetic).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use overlap_core::trace::Window;
use yew::prelude::*;

use super::Frame;

/// Where `client_x` is along the plot of `svg`, as a fraction of the
/// window, and how many SVG units one pixel is. (The element is the
/// timeline's own, not the event's current target: Yew listens at its root.)
pub(super) fn plot_fraction(
    svg: &web_sys::Element,
    frame: Frame,
    client_x: f64,
) -> Option<(f64, f64)> {
    let rect = svg.get_bounding_client_rect();
    let units_per_px = frame.width / rect.width().max(1.0);
    let at = (client_x - rect.left()) * units_per_px;
    Some(((at - frame.label_w) / frame.plot_w, units_per_px))
}

/// How the current gesture started.
#[derive(Clone, Copy)]
enum Start {
    /// One pointer, down at this x.
    Pan(f64),
    /// Two pointers, this far apart (px).
    Pinch(f64),
}

/// The pointers on the timeline and the gesture they make.
#[derive(Default)]
pub(super) struct Gestures {
    /// Each pointer down on the plot: its latest x (px).
    pointers: HashMap<i32, f64>,
    /// The window when the gesture started, and how it started.
    start: Option<(Window, Start)>,
}

impl Gestures {
    /// The first two pointers' x, in id order (stable while they move).
    fn pair(&self) -> Option<(f64, f64)> {
        let mut ids: Vec<&i32> = self.pointers.keys().collect();
        ids.sort_unstable();
        Some((
            *self.pointers.get(ids.first()?)?,
            *self.pointers.get(ids.get(1)?)?,
        ))
    }

    /// Starts the gesture the pointers down now make, from `view`.
    fn restart(&mut self, view: Window) {
        self.start = match (self.pointers.len(), self.pair()) {
            (0, _) => None,
            (_, Some((a, b))) => Some((view, Start::Pinch((a - b).abs()))),
            _ => self
                .pointers
                .values()
                .next()
                .map(|&x| (view, Start::Pan(x))),
        };
    }

    /// A pointer went down on the plot.
    pub(super) fn down(&mut self, svg: &web_sys::Element, e: &PointerEvent, view: Window) {
        let _ = svg.set_pointer_capture(e.pointer_id());
        self.pointers
            .insert(e.pointer_id(), f64::from(e.client_x()));
        self.restart(view);
    }

    /// A pointer moved: the window the gesture asks for, if it changed.
    pub(super) fn moved(
        &mut self,
        svg: &web_sys::Element,
        frame: Frame,
        e: &PointerEvent,
        total_us: u64,
    ) -> Option<Window> {
        let x = f64::from(e.client_x());
        *self.pointers.get_mut(&e.pointer_id())? = x;
        let (from, start) = self.start?;
        match start {
            Start::Pan(x0) => {
                let (_, units_per_px) = plot_fraction(svg, frame, x)?;
                let moved = (x - x0) * units_per_px / frame.plot_w;
                (moved.abs() > 0.002).then(|| from.pan(-moved, total_us))
            }
            Start::Pinch(apart0) => {
                let (a, b) = self.pair()?;
                let (middle, _) = plot_fraction(svg, frame, (a + b) / 2.0)?;
                Some(from.pinch(apart0, (a - b).abs(), middle, total_us))
            }
        }
    }

    /// A pointer went up or was cancelled: the others go on from `view`.
    pub(super) fn up(&mut self, e: &PointerEvent, view: Window) {
        self.pointers.remove(&e.pointer_id());
        self.restart(view);
    }
}

/// The drawing's wheel and pointer handlers.
pub(super) struct Handlers {
    pub(super) onwheel: Callback<WheelEvent>,
    pub(super) onpointerdown: Callback<PointerEvent>,
    pub(super) onpointermove: Callback<PointerEvent>,
    pub(super) onpointerup: Callback<PointerEvent>,
}

/// The handlers of the SVG behind `svg_ref`, drawn in `frame` and showing
/// `view` of a run that ends at `end_us`: `set_view` shows the window they
/// move to.
pub(super) fn handlers(
    gestures: &Rc<RefCell<Gestures>>,
    svg_ref: &NodeRef,
    frame: Frame,
    view: Window,
    end_us: u64,
    set_view: impl Fn(Window) + Clone + 'static,
) -> Handlers {
    let onwheel = {
        let (set_view, svg_ref) = (set_view.clone(), svg_ref.clone());
        Callback::from(move |e: WheelEvent| {
            // Ctrl (or ⌘) + wheel zooms; the plain wheel keeps scrolling the page.
            if !(e.ctrl_key() || e.meta_key()) {
                return;
            }
            e.prevent_default();
            let svg = svg_ref.cast::<web_sys::Element>();
            if let Some((f, _)) =
                svg.and_then(|svg| plot_fraction(&svg, frame, f64::from(e.client_x())))
            {
                set_view(view.zoom(if e.delta_y() < 0.0 { 1.25 } else { 0.8 }, f, end_us));
            }
        })
    };
    // One pointer pans, two (fingers) pinch to zoom.
    let onpointerdown = {
        let (gestures, svg_ref) = (gestures.clone(), svg_ref.clone());
        Callback::from(move |e: PointerEvent| {
            if let Some(svg) = svg_ref.cast::<web_sys::Element>() {
                gestures.borrow_mut().down(&svg, &e, view);
            }
        })
    };
    let onpointermove = {
        let (gestures, svg_ref) = (gestures.clone(), svg_ref.clone());
        Callback::from(move |e: PointerEvent| {
            let svg = svg_ref.cast::<web_sys::Element>();
            let next = svg.and_then(|svg| gestures.borrow_mut().moved(&svg, frame, &e, end_us));
            if let Some(w) = next {
                set_view(w);
            }
        })
    };
    let onpointerup = {
        let gestures = gestures.clone();
        Callback::from(move |e: PointerEvent| gestures.borrow_mut().up(&e, view))
    };
    Handlers {
        onwheel,
        onpointerdown,
        onpointermove,
        onpointerup,
    }
}
