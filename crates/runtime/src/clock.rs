//! One clock for every thread: milliseconds since the page's time origin.
//!
//! `performance.now()` in a worker counts from the worker's own origin, so a
//! span measured there cannot be put on the page's timeline as it is. Every
//! thread converts through the absolute `timeOrigin` instead.

use std::sync::atomic::{AtomicU64, Ordering};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    // `performance` exists on both Window and WorkerGlobalScope.
    #[wasm_bindgen(thread_local_v2, js_name = performance)]
    static PERFORMANCE: web_sys::Performance;
}

/// The page's `timeOrigin` as f64 bits, in shared memory; 0 until recorded.
static PAGE_ORIGIN_BITS: AtomicU64 = AtomicU64::new(0);

/// Records the page's time origin; called on the main thread before any worker reads the clock.
pub fn init_page_clock() {
    let origin = PERFORMANCE.with(|p| p.time_origin());
    PAGE_ORIGIN_BITS.store(origin.to_bits(), Ordering::Release);
}

thread_local! {
    /// This thread's `timeOrigin` minus the page's, once both are known: a
    /// constant, and asking JavaScript for it on every reading cost a third
    /// of the clock's time (100,000 waits read it hundreds of thousands of times).
    static OFFSET_MS: std::cell::Cell<Option<f64>> = const { std::cell::Cell::new(None) };
}

/// Milliseconds since the page's time origin, comparable across the main thread and workers.
pub fn page_now_ms() -> f64 {
    PERFORMANCE.with(|p| {
        let now = p.now();
        let offset = OFFSET_MS.with(|cached| {
            cached.get().or_else(|| {
                let page_origin = f64::from_bits(PAGE_ORIGIN_BITS.load(Ordering::Acquire));
                // Not recorded yet: only the main thread can get here, where
                // the local clock already is the page's clock (not cached, so
                // that the offset is taken once the origin is recorded).
                (page_origin != 0.0).then(|| {
                    let offset = p.time_origin() - page_origin;
                    cached.set(Some(offset));
                    offset
                })
            })
        });
        now + offset.unwrap_or(0.0)
    })
}

/// The page-clock time of `epoch_ms`, an absolute time another thread took
/// as its `performance.timeOrigin + performance.now()`; read on the main
/// thread (or any thread once the page's origin is recorded).
pub fn page_ms_of_epoch(epoch_ms: f64) -> f64 {
    let page_origin = f64::from_bits(PAGE_ORIGIN_BITS.load(Ordering::Acquire));
    let origin = if page_origin == 0.0 {
        PERFORMANCE.with(|p| p.time_origin())
    } else {
        page_origin
    };
    epoch_ms - origin
}
