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
#[cfg(all(test, not(target_arch = "wasm32")))]
mod twin_tests;

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
    yew::Renderer::<app::App>::with_root(root).render();
}
