//! The page: what Overlap shows, what this browser offers, and the playground.

use overlap_core::experiment::Build;
use overlap_core::i18n::Catalogue;
use overlap_runtime::clock::page_now_ms;
use overlap_runtime::env::{capabilities, Capabilities};
use overlap_runtime::pool::{pool_threads_for, start_pool};
use yew::prelude::*;

use crate::components::capabilities::diagnostics;
use crate::components::playground::Playground;
use crate::components::pool_status::{recovered, PoolStatus};
use crate::text::Words;
use crate::text::{use_text, Text};

/// Inputs of [`App`].
#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// The catalogue of the language the page opens in.
    pub text: Text,
}

/// The whole page, in the language the visitor picks.
#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let text = use_state(|| props.text.clone());
    {
        let text = text.clone();
        use_effect_with((), move |_| {
            let listener = crate::text::on_language_change(Callback::from(move |t| text.set(t)));
            move || drop(listener)
        });
    }
    crate::text::set_current(&text);
    html! {
        <ContextProvider<Text> context={(*text).clone()}>
            <Page />
        </ContextProvider<Text>>
    }
}

/// What the page shows, in the language of its context.
#[function_component(Page)]
fn page() -> Html {
    let text = use_text();
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
                    Err(err) => PoolStatus::Failed(err),
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
            // Two sentences above the fold, the rest one click away: the
            // lesson below is what the visitor came for.
            <header class="intro">
                <h1 translate="no">{ "Overlap" }</h1>
                <p class="lede">{ text.html("page.lede") }</p>
                <details class="about" data-testid="about">
                    <summary>{ text.html("page.about.summary") }</summary>
                    <p>{ text.html("page.about") }</p>
                </details>
                { diagnostics(&text, &caps, &status) }
            </header>
            if build == Build::Fallback {
                { fallback_banner(&text) }
            }
            if let Some(recovery) = recovery.as_ref() {
                { recovered(&text, recovery, &status) }
            }
            <Playground pool_ready={ready} pool_threads={threads} />
        </>
    }
}

/// Says that this is the single-thread fallback, why the boot script chose
/// it, what is unavailable, and how to get the full page. A function, not
/// a component: each weighs about 1 KB gzip of Yew's machinery (issue 29).
fn fallback_banner(text: &Catalogue) -> Html {
    let reason = match overlap_runtime::env::fallback_reason() {
        Some((key, detail)) => format!(
            "{} {}",
            text.get("boot.no_headers"),
            text.fill(&key, &[("detail", &detail)])
        ),
        None => text.get("fallback.no_shared_memory"),
    };
    html! {
        <section class="banner" role="status" data-testid="fallback-banner" aria-labelledby="fallback-title">
            <h2 id="fallback-title">{ text.html("fallback.title") }</h2>
            <p data-testid="fallback-reason">{ reason }</p>
            <p>{ text.html("fallback.unavailable") }</p>
            <p>{ text.html("fallback.full") }</p>
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
