//! The pool's state in words, with a retry when start-up failed.

use yew::prelude::*;

use overlap_runtime::pool::PoolInfo;

/// Where the worker pool stands.
#[derive(Clone, Debug, PartialEq)]
pub enum PoolStatus {
    /// Workers are being started.
    Starting,
    /// The pool accepts work; since when on the page clock (ms from navigation).
    Ready(PoolInfo, f64),
    /// The pool could not start; the message says why.
    Failed(String),
    /// The fallback build warms its kernels' code up before the first run.
    Warming,
    /// This build has no thread pool (the fallback, without shared memory);
    /// ready since then on the page clock (ms from navigation).
    Absent(f64),
}

/// Inputs of [`PoolStatusView`].
#[derive(Properties, PartialEq)]
pub struct PoolStatusProps {
    /// Where the pool stands.
    pub status: PoolStatus,
}

/// A status line; on failure an alert with the reason and a retry button.
#[function_component(PoolStatusView)]
pub fn pool_status_view(props: &PoolStatusProps) -> Html {
    match &props.status {
        PoolStatus::Starting => html! {
            <p class="status" data-testid="pool-status" data-state="starting" aria-live="polite">
                { "Starting the worker pool…" }
            </p>
        },
        PoolStatus::Ready(info, ready_ms) => html! {
            <p class="status ok" data-testid="pool-status" data-state="ready" aria-live="polite"
               data-ready-ms={format!("{ready_ms:.1}")}>
                { format!("Worker pool ready: {} threads.", info.threads) }
            </p>
        },
        PoolStatus::Warming => html! {
            <p class="status" data-testid="pool-status" data-state="warming" aria-live="polite">
                { "Warming up the kernels…" }
            </p>
        },
        PoolStatus::Absent(ready_ms) => html! {
            <p class="status" data-testid="pool-status" data-state="absent" aria-live="polite"
               data-ready-ms={format!("{ready_ms:.1}")}>
                { "No thread pool in this build: CPU work runs on the main thread or on the process pool." }
            </p>
        },
        PoolStatus::Failed(reason) => {
            // The global rayon pool can be built once per page, so a retry is
            // a fresh page.
            let retry = Callback::from(|_| {
                if let Some(window) = web_sys::window() {
                    let _ = window.location().reload();
                }
            });
            html! {
                <div class="status failed" role="alert" data-testid="pool-status" data-state="failed">
                    <p>{ format!("The worker pool could not start: {reason}. \
                                  The I/O proof still works; the CPU proof needs the pool.") }</p>
                    <button type="button" onclick={retry} data-testid="pool-retry">
                        { "Retry (reloads the page)" }
                    </button>
                </div>
            }
        }
    }
}
