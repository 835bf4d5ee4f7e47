//! Overlap's page: mounts the Yew application once the page is known to be able
//! to share memory with workers.

mod app;
mod automation;
mod code;
mod components;
mod fields;
mod format;
mod presets;
mod state;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod twin_tests;

fn main() {
    let caps = overlap_runtime::env::capabilities();
    // Without isolation, index.html's boot script already explains what is
    // missing and how to serve the page; mounting would only hide it.
    if !caps.cross_origin_isolated {
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
