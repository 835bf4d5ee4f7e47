//! Zooming and panning the timeline from its toolbar and the keyboard (the
//! wheel, dragging and pinching are in `gestures`): each gives the window
//! to show next.

use std::rc::Rc;

use overlap_core::i18n::Catalogue;
use overlap_core::trace::{Span, Window};
use yew::prelude::*;

use crate::format;
use crate::text::Words;

/// The toolbar above the drawing: zoom in and out, earlier and later, the
/// whole run, and the window shown. `set_view` shows a window of a run that
/// ends at `end_us`. Before anything ran (`empty`) there is nothing to zoom
/// and no window to state: the buttons are disabled and the window unsaid.
pub(super) fn toolbar(
    text: &Catalogue,
    view: Window,
    end_us: u64,
    empty: bool,
    set_view: impl Fn(Window) + Clone + 'static,
) -> Html {
    let button = |testid: &'static str,
                  label: String,
                  title: String,
                  change: fn(Window, u64) -> Window| {
        let set_view = set_view.clone();
        let onclick = Callback::from(move |_: MouseEvent| set_view(change(view, end_us)));
        html! { <button type="button" class="secondary zoom" data-testid={testid} {onclick} disabled={empty} title={title.clone()} aria-label={title}>{ label }</button> }
    };
    html! {
        <div class="zoom-controls" role="toolbar" aria-label={text.get("timeline.zoom.label")}>
            { button("timeline-zoom-in", "+".to_owned(), text.get("timeline.zoom.in"), |w, t| w.zoom(2.0, 0.5, t)) }
            { button("timeline-zoom-out", "−".to_owned(), text.get("timeline.zoom.out"), |w, t| w.zoom(0.5, 0.5, t)) }
            { button("timeline-pan-left", "←".to_owned(), text.get("timeline.zoom.earlier"), |w, t| w.pan(-0.25, t)) }
            { button("timeline-pan-right", "→".to_owned(), text.get("timeline.zoom.later"), |w, t| w.pan(0.25, t)) }
            { button("timeline-reset", text.get("timeline.zoom.whole"), text.get("timeline.zoom.whole.title"), |_, t| Window::whole(t)) }
            if !empty {
                <span class="zoom-window">{ text.fill_html("timeline.window", &[
                    ("start", &format::ms(text.lang(), view.start_us as f64 / 1000.0)),
                    ("end", &format::ms(text.lang(), view.end_us as f64 / 1000.0)),
                ]) }</span>
            }
        </div>
    }
}

/// The drawing's keys: + and − zoom, the arrows pan, 0 or Home shows the
/// whole run.
pub(super) fn on_key(
    view: Window,
    end_us: u64,
    set_view: impl Fn(Window) + 'static,
) -> Callback<KeyboardEvent> {
    Callback::from(move |e: KeyboardEvent| {
        let next = match e.key().as_str() {
            "+" | "=" => view.zoom(2.0, 0.5, end_us),
            "-" | "_" => view.zoom(0.5, 0.5, end_us),
            "ArrowLeft" => view.pan(-0.2, end_us),
            "ArrowRight" => view.pan(0.2, end_us),
            "0" | "Home" => Window::whole(end_us),
            _ => return,
        };
        e.prevent_default();
        set_view(next);
    })
}

/// The zoomed window, `None` for the whole run; a new run (new `spans`)
/// shows whole.
#[hook]
pub(super) fn use_window(spans: &Rc<Vec<Span>>) -> UseStateHandle<Option<Window>> {
    let window = use_state(|| None::<Window>);
    {
        let window = window.clone();
        // Only when zoomed: a set re-renders, and the live view brings new
        // spans four times a second.
        use_effect_with(Rc::as_ptr(spans) as usize, move |_| {
            if window.is_some() {
                window.set(None)
            }
        });
    }
    window
}
