//! A requestAnimationFrame loop that stops cleanly.
//!
//! A closure handed to `requestAnimationFrame` must outlive the frame it was
//! requested for: dropped earlier, the browser calls into a freed closure
//! ("closure invoked recursively or after being dropped"). This loop keeps
//! the pending frame's id and cancels it before dropping its closure, and the
//! closure holds only a weak reference to the loop, so nothing leaks either.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

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
