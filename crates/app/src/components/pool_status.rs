//! The pool's state: one line that sums up the page's diagnostics, and on
//! failure an alert with the reason and a retry.

use overlap_core::i18n::Catalogue;
use yew::prelude::*;

use overlap_runtime::pool::{PoolError, PoolInfo, Recovery};

use crate::text::Words;

/// Where the worker pool stands.
#[derive(Clone, Debug, PartialEq)]
pub enum PoolStatus {
    /// Workers are being started.
    Starting,
    /// The pool accepts work; since when on the page clock (ms from navigation).
    Ready(PoolInfo, f64),
    /// The pool could not start; the error says why.
    Failed(PoolError),
    /// The fallback build warms its kernels' code up before the first run.
    Warming,
    /// This build has no thread pool (the fallback, without shared memory);
    /// ready since then on the page clock (ms from navigation).
    Absent(f64),
}

impl PoolStatus {
    /// The state's name in `data-state`.
    fn name(&self) -> &'static str {
        match self {
            PoolStatus::Starting => "starting",
            PoolStatus::Ready(..) => "ready",
            PoolStatus::Failed(_) => "failed",
            PoolStatus::Warming => "warming",
            PoolStatus::Absent(_) => "absent",
        }
    }

    /// When the page became ready to run, if it has.
    fn ready_ms(&self) -> Option<f64> {
        match self {
            PoolStatus::Ready(_, ms) | PoolStatus::Absent(ms) => Some(*ms),
            _ => None,
        }
    }
}

/// The diagnostics in one line: build · workers · isolation, as in
/// "threaded · 2 workers · isolated".
pub fn summary_line(
    text: &Catalogue,
    status: &PoolStatus,
    threaded: bool,
    isolated: bool,
) -> String {
    let build = text.get(if threaded {
        "pool.build.threaded"
    } else {
        "pool.build.fallback"
    });
    let pool = match status {
        PoolStatus::Starting => text.get("pool.starting"),
        PoolStatus::Ready(info, _) if info.threads == 1 => text.get("pool.workers.one"),
        PoolStatus::Ready(info, _) => text.fill("pool.workers.other", &[("n", &info.threads)]),
        PoolStatus::Failed(_) => text.get("pool.failed"),
        PoolStatus::Warming => text.get("pool.warming"),
        PoolStatus::Absent(_) => text.get("pool.absent"),
    };
    let isolation = text.get(if isolated {
        "pool.isolated"
    } else {
        "pool.not_isolated"
    });
    text.fill(
        "pool.summary",
        &[
            ("build", &build),
            ("pool", &pool),
            ("isolation", &isolation),
        ],
    )
}

/// The one-line summary (`data-state` says where the pool stands), in the
/// language of `text`. A function, not a component: drawn only inside the
/// diagnostics, it needs no state of its own, and each component weighs
/// about 1 KB gzip of Yew's machinery on the wasm (issue 29).
pub fn pool_status_view(
    text: &Catalogue,
    status: &PoolStatus,
    threaded: bool,
    isolated: bool,
) -> Html {
    html! {
        <span class={classes!("status", matches!(status, PoolStatus::Ready(..)).then_some("ok"))}
              data-testid="pool-status" data-state={status.name()} aria-live="polite"
              data-ready-ms={status.ready_ms().map(|ms| format!("{ms:.1}"))}>
            { summary_line(text, status, threaded, isolated) }
        </span>
    }
}

/// Why the pool could not start, with a retry, in the language of `text`
/// (a function, as [`pool_status_view`]).
pub fn failure(text: &Catalogue, reason: &PoolError) -> Html {
    // The global rayon pool can be built once per page, so a retry is a
    // fresh page.
    let retry = Callback::from(|_| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    });
    html! {
        <div class="status failed" role="alert" data-testid="pool-failure">
            <p>{ text.fill_html("pool.failure", &[("reason", &reason.message(text))]) }</p>
            <button type="button" onclick={retry} data-testid="pool-retry">
                { text.html("pool.retry") }
            </button>
        </div>
    }
}

/// What the page says after it replaced an instance whose pool lost a
/// worker: what happened, how long the rebuild took, and that nothing the
/// visitor had is lost. `data-rebuild-ms` and `data-count` are for tests.
pub fn recovered(text: &Catalogue, recovery: &Recovery, status: &PoolStatus) -> Html {
    // The rebuild is over once the new pool is ready.
    let rebuilt = match status {
        PoolStatus::Ready(info, ready_ms) => Some((info.threads, recovery.took_ms(*ready_ms))),
        _ => None,
    };
    let took = rebuilt.map(|(_, ms)| ms);
    let said = match rebuilt {
        Some((threads, ms)) => text.fill(
            "recovered.rebuilt",
            &[("n", &threads), ("ms", &text.lang().number(ms, 0))],
        ),
        None => text.get("recovered.rebuilding"),
    };
    html! {
        <section class="banner" role="alert" data-testid="recovered"
                 data-state={if took.is_some() { "rebuilt" } else { "rebuilding" }}
                 data-count={recovery.count.to_string()}
                 data-rebuild-ms={took.map(|ms| format!("{ms:.1}"))}>
            <h2>{ text.html("recovered.title") }</h2>
            <p data-testid="recovered-cause">{ text.fill_html("recovered.cause", &[("cause", &recovery.cause)]) }</p>
            <p>{ said }</p>
            <p>{ text.html("recovered.kept") }</p>
        </section>
    }
}

// Native only: the tests read the shipped catalogues from the source tree.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use overlap_core::i18n::shipped;
    use overlap_core::Lang;

    #[test]
    fn one_line_says_build_workers_and_isolation() {
        let en = shipped(Lang::En).unwrap();
        let ready = PoolStatus::Ready(
            PoolInfo {
                threads: 2,
                startup_ms: 100.0,
            },
            500.0,
        );
        assert_eq!(
            summary_line(&en, &ready, true, true),
            "threaded · 2 workers · isolated"
        );
        assert_eq!(
            summary_line(&en, &PoolStatus::Absent(1.0), false, false),
            "single-thread fallback · no thread pool · not isolated"
        );
        assert!(
            summary_line(&en, &PoolStatus::Failed(PoolError::NotReady), true, true)
                .contains("could not start")
        );
    }
}
