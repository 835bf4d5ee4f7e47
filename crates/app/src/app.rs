//! The page: what Overlap shows, what this browser offers, and the playground.

use overlap_runtime::clock::page_now_ms;
use overlap_runtime::env::{capabilities, Capabilities};
use overlap_runtime::pool::{pool_threads_for, start_pool};
use yew::prelude::*;

use crate::components::capabilities::CapabilityPanel;
use crate::components::playground::Playground;
use crate::components::pool_status::{PoolStatus, PoolStatusView};

/// The whole page.
#[function_component(App)]
pub fn app() -> Html {
    let caps: Capabilities = use_memo((), |_| capabilities()).as_ref().clone();
    let status = use_state(|| PoolStatus::Starting);
    {
        let status = status.clone();
        let threads = pool_threads_for(caps.logical_cores);
        use_effect_with((), move |_| {
            hide_boot_message();
            wasm_bindgen_futures::spawn_local(async move {
                status.set(match start_pool(threads).await {
                    Ok(info) => {
                        // Ready once the kernels' code is warm, so that the
                        // first run measures what later runs measure.
                        overlap_runtime::reference::warm_up().await;
                        PoolStatus::Ready(info, page_now_ms())
                    }
                    Err(err) => PoolStatus::Failed(err.to_string()),
                });
            });
        });
    }
    let (ready, threads) = match &*status {
        PoolStatus::Ready(info, _) => (true, info.threads),
        _ => (false, pool_threads_for(caps.logical_cores)),
    };
    html! {
        <>
            <header class="intro">
                <h1>{ "Overlap" }</h1>
                <p class="lede">
                    { "Concurrency is tasks whose lifetimes overlap; parallelism is work that \
                       runs at the same instant on several cores. Overlap lets you see the \
                       difference in your own browser: waits overlap on the page's single \
                       event loop, while CPU work spreads over a pool of Web Workers that share \
                       the page's WebAssembly memory — Python's asyncio and run_in_executor, \
                       carried into the browser." }
                </p>
            </header>
            <CapabilityPanel caps={caps} status={(*status).clone()} />
            <PoolStatusView status={(*status).clone()} />
            <Playground pool_ready={ready} pool_threads={threads} />
        </>
    }
}

/// Removes index.html's loading message once the application has mounted.
fn hide_boot_message() {
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
}
