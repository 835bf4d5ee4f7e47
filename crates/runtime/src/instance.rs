//! This instance of the module as other workers instantiate it again: the
//! wasm-bindgen glue they import (the pool host over this memory, each
//! process over a fresh one) and the memory size it started with.
//!
//! Both `pool` and `process` start workers from it, so it sits below them
//! and knows neither.

use std::sync::atomic::{AtomicU32, Ordering};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Bytes of a WebAssembly page.
pub(crate) const PAGE_BYTES: u64 = 65_536;

#[wasm_bindgen]
extern "C" {
    // `import.meta.url` of the wasm-bindgen glue: the host worker imports the
    // same glue to instantiate the same module over the same memory, and
    // each process (see `process`) over a memory of its own.
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    pub(crate) static GLUE_URL: js_sys::JsString;
}

/// The page's memory size when the runtime started, in pages: a process's
/// fresh memory must be at least the module's declared minimum, which JS
/// cannot read; the size before any run is the closest known bound.
static INITIAL_PAGES: AtomicU32 = AtomicU32::new(0);

fn page_memory_pages() -> u32 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    let bytes = js_sys::Reflect::get(&memory.buffer(), &"byteLength".into())
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0);
    (bytes / PAGE_BYTES as f64).ceil() as u32
}

/// Records the page's memory size before any run (called at start-up), so
/// that processes start small even after runs grew the page's memory.
pub(crate) fn note_initial_memory() {
    let _ =
        INITIAL_PAGES.compare_exchange(0, page_memory_pages(), Ordering::AcqRel, Ordering::Acquire);
}

/// The memory size a fresh instance starts with, in pages: the page's at
/// start-up if it was noted, else its size now.
pub(crate) fn initial_pages() -> u32 {
    match INITIAL_PAGES.load(Ordering::Acquire) {
        0 => page_memory_pages(),
        noted => noted,
    }
}
