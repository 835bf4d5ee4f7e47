//! The timeline's key: what each style means (the optional ones only when
//! the run has them), and how many bars were left out.

use yew::prelude::*;

/// Which optional styles the timeline drew.
pub(super) struct Shown {
    /// The loop's handling of results (`as_completed`).
    pub(super) handled: bool,
    /// Process start-ups and copies.
    pub(super) processes: bool,
    /// Tasks still pending when the wait returned.
    pub(super) pending: bool,
    /// The density band.
    pub(super) band: bool,
}

/// Always in the key: (CSS class, meaning).
const ALWAYS: [(&str, &str); 6] = [
    ("cpu", "CPU"),
    ("io", "I/O wait"),
    ("queued", "queued"),
    ("blocked", "main thread blocked"),
    ("error", "failed"),
    ("cancelled", "cancelled"),
];

/// The key under the timeline, with `note` (bars left out) if any.
pub(super) fn legend(shown: &Shown, note: Option<String>) -> Html {
    let optional = [
        (shown.handled, "handled", "result handled"),
        (shown.processes, "startup", "process starting"),
        (shown.processes, "transfer", "copy to or from a process"),
        (
            shown.pending,
            "pending",
            "still pending when the wait returned",
        ),
        (shown.band, "density", "I/O waits in flight (density)"),
    ];
    let keys = ALWAYS.iter().copied().chain(
        optional
            .into_iter()
            .filter(|(on, _, _)| *on)
            .map(|(_, class, text)| (class, text)),
    );
    html! {
        <figcaption>
            { for keys.map(|(class, text)| html! { <span class={classes!("key", class)}>{ text }</span> }) }
            { for note.map(|n| html! { <span class="note">{ n }</span> }) }
        </figcaption>
    }
}
