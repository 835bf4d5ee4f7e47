//! The diagnostics: one line (build · workers · isolation), with what this
//! browser offers Overlap on demand. Open by itself only when something is
//! wrong: a pool that failed, or a page that cannot share memory.

use overlap_core::i18n::Catalogue;
use overlap_runtime::env::Capabilities;
use yew::prelude::*;

use crate::components::pool_status::{failure, pool_status_view, PoolStatus};
use crate::format;
use crate::text::Words;

fn yes_no(text: &Catalogue, value: bool) -> String {
    text.get(if value { "caps.yes" } else { "caps.no" })
}

/// The summary line, and a definition list of capabilities (each value
/// carries a `data-testid`) under it: what the browser reported at start-up
/// (`caps`) and where the pool stands (`status`), in the language of `text`.
/// A function, not a component: each weighs about 1 KB gzip of Yew's
/// machinery on the wasm (issue 29).
pub fn diagnostics(text: &Catalogue, caps: &Capabilities, status: &PoolStatus) -> Html {
    let (threads, startup) = match status {
        PoolStatus::Ready(info, _) => (
            info.threads.to_string(),
            format::ms(text.lang(), info.startup_ms),
        ),
        PoolStatus::Starting => (text.get("caps.starting"), "…".to_owned()),
        PoolStatus::Failed(_) => (text.get("caps.none"), text.get("caps.failed")),
        PoolStatus::Warming | PoolStatus::Absent(_) => {
            (text.get("caps.none"), text.get("caps.none"))
        }
    };
    // `unit`: the catalogue key of the unit after the value, if any.
    let row = |label: &str, testid: &str, value: String, unit: Option<&str>| {
        html! {
            <div class="cap">
                <dt>{ text.html(label) }</dt>
                <dd><span data-testid={testid.to_owned()}>{ value }</span>
                    if let Some(unit) = unit { { " " }{ text.html(unit) } }</dd>
            </div>
        }
    };
    let wrong = matches!(status, PoolStatus::Failed(_))
        || !caps.threaded_build
        || !caps.cross_origin_isolated
        || !caps.shared_array_buffer;
    html! {
        <details class="panel capabilities" data-testid="diagnostics" open={wrong}>
            <summary>
                { pool_status_view(text, status, caps.threaded_build, caps.cross_origin_isolated) }
            </summary>
            if let PoolStatus::Failed(reason) = status {
                { failure(text, reason) }
            }
            <dl>
                { row("caps.isolated", "cap-isolated", yes_no(text, caps.cross_origin_isolated), None) }
                { row("caps.sab", "cap-sab", yes_no(text, caps.shared_array_buffer), None) }
                { row("caps.cores", "cap-cores", caps.logical_cores.to_string(), None) }
                { row("caps.threads", "cap-threads", threads, None) }
                { row("caps.startup", "cap-pool-startup-ms", startup, matches!(status, PoolStatus::Ready(..)).then_some("caps.unit.ms")) }
                { row("caps.build", "cap-build", text.get(if caps.threaded_build { "caps.build.threaded" } else { "caps.build.fallback" }), None) }
            </dl>
        </details>
    }
}
