//! The timeline's key: an entry for every style the drawing uses (each
//! kind of span, each outcome, the GIL holder's hues, the density band),
//! and how many bars were left out.

use crate::text::Words;
use overlap_core::i18n::Catalogue;
use overlap_core::trace::{Outcome, Span, SpanKind};
use yew::prelude::*;

/// Which styles the timeline drew.
pub(super) struct Shown {
    /// Kinds of span drawn, by [`KINDS`]' order.
    kinds: [bool; KINDS.len()],
    /// Failed and cancelled tasks.
    outcomes: [bool; 2],
    /// Tasks still pending when the wait returned.
    pending: bool,
    /// The density band.
    band: bool,
    /// The GIL holder's lane.
    gil: bool,
}

/// Each kind of span: (kind, CSS class, key of its meaning).
const KINDS: [(SpanKind, &str, &str); 7] = [
    (SpanKind::Cpu, "cpu", "legend.cpu"),
    (SpanKind::IoWait, "io", "legend.io"),
    (SpanKind::Queued, "queued", "legend.queued"),
    (SpanKind::Blocked, "blocked", "legend.blocked"),
    (SpanKind::Handled, "handled", "legend.handled"),
    (SpanKind::Startup, "startup", "legend.startup"),
    (SpanKind::Transfer, "transfer", "legend.transfer"),
];

impl Shown {
    /// The styles of `spans`, with tasks still `pending` past the wait's
    /// return, a density `band` and a `gil` holder's lane or not.
    pub(super) fn of(spans: &[Span], pending: bool, band: bool, gil: bool) -> Shown {
        let mut shown = Shown {
            kinds: [false; KINDS.len()],
            outcomes: [false; 2],
            pending,
            band,
            gil,
        };
        for s in spans {
            if let Some(i) = KINDS.iter().position(|k| k.0 == s.kind) {
                shown.kinds[i] = true;
            }
            match s.outcome {
                Outcome::Ok => {}
                Outcome::Error => shown.outcomes[0] = true,
                Outcome::Cancelled => shown.outcomes[1] = true,
            }
        }
        shown
    }
}

/// The key under the timeline, with `note` (bars left out) if any.
pub(super) fn legend(text: &Catalogue, shown: &Shown, note: Option<String>) -> Html {
    let kinds = KINDS
        .iter()
        .zip(shown.kinds)
        .map(|(&(_, class, key), on)| (on, class, key));
    let others = [
        (shown.outcomes[0], "error", "legend.error"),
        (shown.outcomes[1], "cancelled", "legend.cancelled"),
        (shown.pending, "pending", "legend.pending"),
        (shown.band, "density", "legend.density"),
        (shown.gil, "gil", "legend.gil"),
    ];
    let keys = kinds.chain(others).filter(|(on, _, _)| *on);
    html! {
        <figcaption>
            { for keys.map(|(_, class, key)| html! { <span class={classes!("key", class)}>{ text.html(key) }</span> }) }
            { for note.map(|n| html! { <span class="note">{ n }</span> }) }
        </figcaption>
    }
}
