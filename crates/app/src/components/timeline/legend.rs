//! The timeline's key: what each style means (the optional ones only when
//! the run has them), and how many bars were left out.

use crate::text::Words;
use overlap_core::i18n::Catalogue;
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

/// Always in the key: (CSS class, key of its meaning).
const ALWAYS: [(&str, &str); 6] = [
    ("cpu", "legend.cpu"),
    ("io", "legend.io"),
    ("queued", "legend.queued"),
    ("blocked", "legend.blocked"),
    ("error", "legend.error"),
    ("cancelled", "legend.cancelled"),
];

/// The key under the timeline, with `note` (bars left out) if any.
pub(super) fn legend(text: &Catalogue, shown: &Shown, note: Option<String>) -> Html {
    let optional = [
        (shown.handled, "handled", "legend.handled"),
        (shown.processes, "startup", "legend.startup"),
        (shown.processes, "transfer", "legend.transfer"),
        (shown.pending, "pending", "legend.pending"),
        (shown.band, "density", "legend.density"),
    ];
    let keys = ALWAYS.iter().copied().chain(
        optional
            .into_iter()
            .filter(|(on, _, _)| *on)
            .map(|(_, class, key)| (class, key)),
    );
    html! {
        <figcaption>
            { for keys.map(|(class, key)| html! { <span class={classes!("key", class)}>{ text.html(key) }</span> }) }
            { for note.map(|n| html! { <span class="note">{ n }</span> }) }
        </figcaption>
    }
}
