//! The pool's state: one line that sums up the page's diagnostics, and on
//! failure an alert with the reason and a retry.

use yew::prelude::*;

use overlap_runtime::pool::{PoolInfo, Recovery};

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
pub fn summary_line(status: &PoolStatus, threaded: bool, isolated: bool) -> String {
    let build = if threaded {
        "threaded"
    } else {
        "single-thread fallback"
    };
    let pool = match status {
        PoolStatus::Starting => "starting the workers…".to_owned(),
        PoolStatus::Ready(info, _) if info.threads == 1 => "1 worker".to_owned(),
        PoolStatus::Ready(info, _) => format!("{} workers", info.threads),
        PoolStatus::Failed(_) => "the worker pool could not start".to_owned(),
        PoolStatus::Warming => "warming up…".to_owned(),
        PoolStatus::Absent(_) => "no thread pool".to_owned(),
    };
    let isolation = if isolated { "isolated" } else { "not isolated" };
    format!("{build} · {pool} · {isolation}")
}

/// Inputs of [`PoolStatusView`].
#[derive(Properties, PartialEq)]
pub struct PoolStatusProps {
    /// Where the pool stands.
    pub status: PoolStatus,
    /// Whether this is the threaded build.
    pub threaded: bool,
    /// Whether the page is cross-origin isolated.
    pub isolated: bool,
}

/// The one-line summary (`data-state` says where the pool stands).
#[function_component(PoolStatusView)]
pub fn pool_status_view(props: &PoolStatusProps) -> Html {
    let status = &props.status;
    html! {
        <span class={classes!("status", matches!(status, PoolStatus::Ready(..)).then_some("ok"))}
              data-testid="pool-status" data-state={status.name()} aria-live="polite"
              data-ready-ms={status.ready_ms().map(|ms| format!("{ms:.1}"))}>
            { summary_line(status, props.threaded, props.isolated) }
        </span>
    }
}

/// Why the pool could not start, with a retry.
pub fn failure(reason: &str) -> Html {
    // The global rayon pool can be built once per page, so a retry is a
    // fresh page.
    let retry = Callback::from(|_| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    });
    html! {
        <div class="status failed" role="alert" data-testid="pool-failure">
            <p>{ format!("The worker pool could not start: {reason}. \
                          The I/O proof still works; the CPU proof needs the pool.") }</p>
            <button type="button" onclick={retry} data-testid="pool-retry">
                { "Retry (reloads the page)" }
            </button>
        </div>
    }
}

/// What the page says after it replaced an instance whose pool lost a
/// worker: what happened, how long the rebuild took, and that nothing the
/// visitor had is lost. `data-rebuild-ms` and `data-count` are for tests.
pub fn recovered(recovery: &Recovery, status: &PoolStatus) -> Html {
    let took = match status {
        PoolStatus::Ready(_, ready_ms) => Some(recovery.took_ms(*ready_ms)),
        _ => None,
    };
    let workers = match status {
        PoolStatus::Ready(info, _) => format!("{} workers", info.threads),
        _ => "every worker".to_owned(),
    };
    let rebuilt = match took {
        Some(ms) => format!(
            "Overlap started again over fresh memory and rebuilt its pool of {workers} in {ms:.0} ms, without reloading the page: the next run uses all of them."
        ),
        None => "Overlap is starting again over fresh memory to rebuild its pool…".to_owned(),
    };
    html! {
        <section class="banner" role="alert" data-testid="recovered"
                 data-state={if took.is_some() { "rebuilt" } else { "rebuilding" }}
                 data-count={recovery.count.to_string()}
                 data-rebuild-ms={took.map(|ms| format!("{ms:.1}"))}>
            <h2>{ "A worker died; the pool was rebuilt" }</h2>
            <p data-testid="recovered-cause">{ format!("The last run ended with an error: {}.", recovery.cause) }</p>
            <p>{ rebuilt }</p>
            <p>{ "Your experiment, the editor's values and your kept runs are as you left them." }</p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_says_build_workers_and_isolation() {
        let ready = PoolStatus::Ready(
            PoolInfo {
                threads: 2,
                startup_ms: 100.0,
            },
            500.0,
        );
        assert_eq!(
            summary_line(&ready, true, true),
            "threaded · 2 workers · isolated"
        );
        assert_eq!(
            summary_line(&PoolStatus::Absent(1.0), false, false),
            "single-thread fallback · no thread pool · not isolated"
        );
        assert!(
            summary_line(&PoolStatus::Failed("x".into()), true, true).contains("could not start")
        );
    }
}
