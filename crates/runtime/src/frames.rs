//! A requestAnimationFrame loop that stops cleanly.
//!
//! A closure handed to `requestAnimationFrame` must outlive the frame it was
//! requested for: dropped earlier, the browser calls into a freed closure
//! ("closure invoked recursively or after being dropped"). This loop keeps
//! the pending frame's id and cancels it before dropping its closure, and the
//! closure holds only a weak reference to the loop, so nothing leaks either.
//!
//! [`PacedFrames`] draws one frame per period and sleeps on a timer in between;
//! [`after_next_paint`] waits until the page's last change was painted and
//! rasterised (a second frame), so that a run started after it does not pay
//! for that drawing.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use overlap_core::figures::drawing::Pace;
use wasm_bindgen::prelude::*;

/// The per-frame callback as JavaScript sees it.
type FrameClosure = Closure<dyn FnMut(f64)>;

struct Inner {
    closure: RefCell<Option<FrameClosure>>,
    pending: Cell<Option<i32>>,
}

impl Inner {
    fn request(&self) {
        if let (Some(window), Some(closure)) = (web_sys::window(), self.closure.borrow().as_ref()) {
            self.pending.set(
                window
                    .request_animation_frame(closure.as_ref().unchecked_ref())
                    .ok(),
            );
        }
    }
}

/// Calls a function on every animation frame until dropped.
pub struct FrameLoop {
    inner: Rc<Inner>,
}

impl FrameLoop {
    /// Starts calling `on_frame` with each frame's timestamp (ms).
    pub fn start(mut on_frame: impl FnMut(f64) + 'static) -> FrameLoop {
        let inner = Rc::new(Inner {
            closure: RefCell::new(None),
            pending: Cell::new(None),
        });
        let weak: Weak<Inner> = Rc::downgrade(&inner);
        *inner.closure.borrow_mut() = Some(Closure::new(move |timestamp: f64| {
            on_frame(timestamp);
            if let Some(inner) = weak.upgrade() {
                inner.request();
            }
        }));
        inner.request();
        FrameLoop { inner }
    }
}

impl Drop for FrameLoop {
    fn drop(&mut self) {
        if let (Some(window), Some(id)) = (web_sys::window(), self.inner.pending.take()) {
            let _ = window.cancel_animation_frame(id);
        }
        self.inner.closure.borrow_mut().take();
    }
}

/// The next animation frame's timestamp, or `None` when none came within
/// `timeout_ms` (a hidden page draws no frames).
async fn next_frame(timeout_ms: u32) -> Option<f64> {
    let (sender, receiver) = futures_channel::oneshot::channel::<f64>();
    let mut sender = Some(sender);
    let frame = FrameLoop::start(move |t| {
        if let Some(sender) = sender.take() {
            let _ = sender.send(t);
        }
    });
    let timeout = gloo_timers::future::TimeoutFuture::new(timeout_ms);
    let t = match futures_util::future::select(receiver, timeout).await {
        futures_util::future::Either::Left((Ok(t), _)) => Some(t),
        _ => None,
    };
    drop(frame);
    t
}

/// Resolves once the page has drawn its next frame and the browser is done
/// with it: an animation frame callback runs just before the browser
/// paints, and the one after it comes once that frame was handed on, its
/// rasterising and compositing (off the main thread, on the cores a run is
/// about to use) over; a yield then lets that second frame's own paint
/// happen. A run started after this does not pay for the page's redraw of
/// its own start (its timer starts later instead). Waiting for one frame
/// only left the start's rasterising inside the run: a pool run clicked in
/// the page took 1.058 times its wall through the hook on two cores, and
/// 1.02–1.03 with the second frame.
pub async fn after_next_paint() {
    next_frame(100).await;
    next_frame(100).await;
    crate::yield_now::yield_now().await;
}

/// Calls a function in one animation frame per period, on a grid of the
/// page clock shared by every `PacedFrames` (so that drawings paced on
/// multiples of one period share their frames), until dropped. It sleeps on
/// a timer in between: drawing five times a second need not wake the main
/// thread at every frame to ask. A busy main thread runs neither the timer
/// nor the frame, so what it draws stops, as it should.
pub struct PacedFrames {
    alive: Rc<Cell<bool>>,
}

impl PacedFrames {
    /// Starts calling `on_frame` with the frame's timestamp (ms) once per
    /// `period_ms`.
    pub fn start(period_ms: f64, mut on_frame: impl FnMut(f64) + 'static) -> PacedFrames {
        let alive = Rc::new(Cell::new(true));
        let running = alive.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let mut pace = Pace::every(period_ms);
            while running.get() {
                let wait = pace.wait_from(crate::clock::page_now_ms());
                gloo_timers::future::TimeoutFuture::new(wait.ceil() as u32).await;
                let frame = next_frame(1_000).await;
                match frame {
                    Some(t) if running.get() && pace.due(t) => on_frame(t),
                    _ => {}
                }
            }
        });
        PacedFrames { alive }
    }
}

impl Drop for PacedFrames {
    fn drop(&mut self) {
        self.alive.set(false);
    }
}
