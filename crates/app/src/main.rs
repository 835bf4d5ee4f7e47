//! Overlap's page: mounts the Yew application (the threaded build once the
//! page is known to be able to share memory with workers; the fallback
//! build anywhere).

mod app;
mod automation;
mod code;
mod components;
mod download;
mod fields;
mod format;
mod history;
mod presets;
mod state;
mod text;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod twin_tests;

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

thread_local! {
    // The mounted page, kept so that `shutdown` can take it down.
    static MOUNTED: RefCell<Option<yew::AppHandle<app::App>>> = const { RefCell::new(None) };
}

/// Takes this instance's page down for good before boot.js starts a fresh
/// instance over fresh memory (after a pool worker died): the components
/// and their listeners go, the pool's workers are terminated. Returns the
/// compiled module, which the fresh instance reuses instead of compiling
/// it again.
#[wasm_bindgen]
pub fn shutdown() -> JsValue {
    if let Some(handle) = MOUNTED.with(|m| m.borrow_mut().take()) {
        handle.destroy();
    }
    overlap_runtime::pool::shut_down();
    wasm_bindgen::module()
}

fn main() {
    let caps = overlap_runtime::env::capabilities();
    // The boot script loads the threaded build only on an isolated page; if
    // it ran anyway, the boot script's explanation must stay up. The
    // fallback build runs anywhere.
    if caps.threaded_build && !caps.cross_origin_isolated {
        return;
    }
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"))
    else {
        return;
    };
    // The page mounts in the visitor's language, once boot.js has its text.
    wasm_bindgen_futures::spawn_local(async move {
        let text = text::loaded().await;
        let handle =
            yew::Renderer::<app::App>::with_root_and_props(root, app::AppProps { text }).render();
        MOUNTED.with(|m| *m.borrow_mut() = Some(handle));
    });
}
