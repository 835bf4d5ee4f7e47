//! The diagnostics: one line (build · workers · isolation), with what this
//! browser offers Overlap on demand. Open by itself only when something is
//! wrong: a pool that failed, or a page that cannot share memory.

use overlap_runtime::env::Capabilities;
use yew::prelude::*;

use crate::components::pool_status::{failure, PoolStatus, PoolStatusView};
use crate::format;

/// Inputs of [`CapabilityPanel`].
#[derive(Properties, PartialEq)]
pub struct CapabilityProps {
    /// What the browser reported at start-up.
    pub caps: Capabilities,
    /// Where the pool stands.
    pub status: PoolStatus,
}

fn yes_no(value: bool) -> &'static str {
    if value {
        "yes"
    } else {
        "no"
    }
}

/// The summary line, and a definition list of capabilities (each value
/// carries a `data-testid`) under it.
#[function_component(Diagnostics)]
pub fn diagnostics(props: &CapabilityProps) -> Html {
    let caps = &props.caps;
    let (threads, startup) = match &props.status {
        PoolStatus::Ready(info, _) => (info.threads.to_string(), format::ms(info.startup_ms)),
        PoolStatus::Starting => ("starting…".to_owned(), "…".to_owned()),
        PoolStatus::Failed(_) => ("none".to_owned(), "failed".to_owned()),
        PoolStatus::Warming | PoolStatus::Absent(_) => ("none".to_owned(), "none".to_owned()),
    };
    let row = |label: &str, testid: &str, value: String, unit: &str| {
        html! {
            <div class="cap">
                <dt>{ label.to_owned() }</dt>
                <dd><span data-testid={testid.to_owned()}>{ value }</span>{ unit.to_owned() }</dd>
            </div>
        }
    };
    let wrong = matches!(props.status, PoolStatus::Failed(_))
        || !caps.threaded_build
        || !caps.cross_origin_isolated
        || !caps.shared_array_buffer;
    html! {
        <details class="panel capabilities" data-testid="diagnostics" open={wrong}>
            <summary>
                <PoolStatusView status={props.status.clone()} threaded={caps.threaded_build}
                                isolated={caps.cross_origin_isolated} />
            </summary>
            if let PoolStatus::Failed(reason) = &props.status {
                { failure(reason) }
            }
            <dl>
                { row("Cross-origin isolated", "cap-isolated", yes_no(caps.cross_origin_isolated).into(), "") }
                { row("SharedArrayBuffer available", "cap-sab", yes_no(caps.shared_array_buffer).into(), "") }
                { row("Logical cores", "cap-cores", caps.logical_cores.to_string(), "") }
                { row("Pool threads", "cap-threads", threads, "") }
                { row("Pool start-up", "cap-pool-startup-ms", startup, if matches!(props.status, PoolStatus::Ready(..)) { " ms" } else { "" }) }
                { row("Build", "cap-build", if caps.threaded_build { "threaded" } else { "fallback (single-threaded)" }.into(), "") }
            </dl>
        </details>
    }
}
