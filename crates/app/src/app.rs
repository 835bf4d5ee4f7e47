//! The page: what Overlap shows, what this browser offers, and the playground.

use overlap_core::experiment::Build;
use overlap_runtime::clock::page_now_ms;
use overlap_runtime::env::{capabilities, Capabilities};
use overlap_runtime::pool::{pool_threads_for, start_pool};
use yew::prelude::*;

use crate::components::capabilities::Diagnostics;
use crate::components::playground::Playground;
use crate::components::pool_status::{recovered, PoolStatus};

/// The whole page.
#[function_component(App)]
pub fn app() -> Html {
    let caps: Capabilities = use_memo((), |_| capabilities()).as_ref().clone();
    let build = overlap_runtime::env::build();
    let status = use_state(|| match build {
        Build::Threaded => PoolStatus::Starting,
        Build::Fallback => PoolStatus::Warming,
    });
    {
        let status = status.clone();
        let threads = pool_threads_for(caps.logical_cores);
        use_effect_with((), move |_| {
            hide_boot_message();
            wasm_bindgen_futures::spawn_local(async move {
                if build == Build::Fallback {
                    overlap_runtime::reference::warm_up_here().await;
                    status.set(PoolStatus::Absent(page_now_ms()));
                    return;
                }
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
    // Set when this instance replaced one whose pool lost a worker.
    let recovery = use_memo((), |_| overlap_runtime::pool::recovery());
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
            if build == Build::Fallback {
                <FallbackBanner />
            }
            if let Some(recovery) = recovery.as_ref() {
                { recovered(recovery, &status) }
            }
            <Diagnostics caps={caps} status={(*status).clone()} />
            <Playground pool_ready={ready} pool_threads={threads} />
        </>
    }
}

/// Says that this is the single-thread fallback, why the boot script chose
/// it, what is unavailable, and how to get the full page.
#[function_component(FallbackBanner)]
fn fallback_banner() -> Html {
    let reason = overlap_runtime::env::fallback_reason().unwrap_or_else(|| {
        "This page is not cross-origin isolated, so the browser gives it no memory \
         that threads can share."
            .to_owned()
    });
    html! {
        <section class="banner" role="status" data-testid="fallback-banner" aria-labelledby="fallback-title">
            <h2 id="fallback-title">{ "Single-thread fallback" }</h2>
            <p data-testid="fallback-reason">{ reason }</p>
            <p>{ "Strategies that run CPU work on threads sharing the page's memory (the thread \
                  pool, data-parallel, the GIL, asyncio.to_thread with CPU work) are unavailable \
                  here. CPU work runs on the process pool instead: each worker has a memory of \
                  its own and every task is copied in and out, which is still parallel." }</p>
            <p>{ "For the full experience, serve Overlap with the headers \
                  Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: \
                  require-corp (the _headers file beside the page lists them), or allow service \
                  workers for this site (they add the headers) and reload." }</p>
        </section>
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
