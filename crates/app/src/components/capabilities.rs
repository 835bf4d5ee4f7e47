//! The diagnostics: one line (build · workers · isolation), with what this
//! browser offers Overlap on demand. Open by itself only when something is
//! wrong: a pool that failed, or a page that cannot share memory.

use overlap_core::i18n::Catalogue;
use overlap_runtime::env::Capabilities;
use yew::prelude::*;

use crate::components::pool_status::{failure, PoolStatus, PoolStatusView};
use crate::format;
use crate::text::use_text;
use crate::text::Words;

/// Inputs of [`CapabilityPanel`].
#[derive(Properties, PartialEq)]
pub struct CapabilityProps {
    /// What the browser reported at start-up.
    pub caps: Capabilities,
    /// Where the pool stands.
    pub status: PoolStatus,
}

fn yes_no(text: &Catalogue, value: bool) -> String {
    text.get(if value { "caps.yes" } else { "caps.no" })
}

/// The summary line, and a definition list of capabilities (each value
/// carries a `data-testid`) under it.
#[function_component(Diagnostics)]
pub fn diagnostics(props: &CapabilityProps) -> Html {
    let text = use_text();
    let caps = &props.caps;
    let (threads, startup) = match &props.status {
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
                { row("caps.isolated", "cap-isolated", yes_no(&text, caps.cross_origin_isolated), None) }
                { row("caps.sab", "cap-sab", yes_no(&text, caps.shared_array_buffer), None) }
                { row("caps.cores", "cap-cores", caps.logical_cores.to_string(), None) }
                { row("caps.threads", "cap-threads", threads, None) }
                { row("caps.startup", "cap-pool-startup-ms", startup, matches!(props.status, PoolStatus::Ready(..)).then_some("caps.unit.ms")) }
                { row("caps.build", "cap-build", text.get(if caps.threaded_build { "caps.build.threaded" } else { "caps.build.fallback" }), None) }
            </dl>
        </details>
    }
}
