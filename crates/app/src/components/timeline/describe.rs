//! Spans in words and classes: tooltips, screen readers, the detail line
//! and the bars' styles.

use overlap_core::i18n::Catalogue;
use overlap_core::trace::{Outcome, Span, SpanKind, NO_TASK};
use yew::prelude::*;

use crate::format;

pub(super) fn kind_name(text: &Catalogue, kind: SpanKind) -> String {
    text.get(match kind {
        SpanKind::Cpu => "timeline.kind.cpu",
        SpanKind::IoWait => "timeline.kind.io",
        SpanKind::Queued => "timeline.kind.queued",
        SpanKind::Blocked => "timeline.kind.blocked",
        SpanKind::Handled => "timeline.kind.handled",
        SpanKind::Startup => "timeline.kind.startup",
        SpanKind::Transfer => "timeline.kind.transfer",
    })
}

pub(super) fn outcome_name(text: &Catalogue, outcome: Outcome) -> String {
    text.get(match outcome {
        Outcome::Ok => "timeline.outcome.ok",
        Outcome::Error => "timeline.outcome.error",
        Outcome::Cancelled => "timeline.outcome.cancelled",
    })
}

/// Describes a span in words (tooltip, screen readers, the detail line).
pub fn describe(text: &Catalogue, span: &Span) -> String {
    let lane = span.lane.label(text);
    let ms = |us: u64| format::ms(text.lang(), us as f64 / 1000.0);
    let (start, end, duration) = (ms(span.start_us), ms(span.end_us), ms(span.duration_us()));
    if span.task == NO_TASK {
        return text.fill(
            "timeline.span.startup",
            &[
                ("lane", &lane),
                ("start", &start),
                ("end", &end),
                ("duration", &duration),
            ],
        );
    }
    text.fill(
        "timeline.span.task",
        &[
            ("task", &(span.task + 1)),
            ("kind", &kind_name(text, span.kind)),
            ("lane", &lane),
            ("start", &start),
            ("end", &end),
            ("duration", &duration),
            ("outcome", &outcome_name(text, span.outcome)),
        ],
    )
}

/// The CSS classes of a span's bar: its kind and, when not ok, its outcome.
pub(super) fn bar_class(span: &Span) -> Classes {
    classes!(
        "bar",
        match span.kind {
            SpanKind::Cpu => "cpu",
            SpanKind::IoWait => "io",
            SpanKind::Queued => "queued",
            SpanKind::Blocked => "blocked",
            SpanKind::Handled => "handled",
            SpanKind::Startup => "startup",
            SpanKind::Transfer => "transfer",
        },
        match span.outcome {
            Outcome::Ok => None,
            Outcome::Error => Some("error"),
            Outcome::Cancelled => Some("cancelled"),
        }
    )
}

/// The detail line under the drawing: the bar under the pointer or focus;
/// else, before anything ran (`nothing_ran`), where the tasks will appear;
/// else how to point at a bar.
pub(super) fn detail(text: &Catalogue, selected: Option<&Span>, nothing_ran: bool) -> String {
    match selected {
        Some(s) => describe(text, s),
        None if nothing_ran => text.get("timeline.empty"),
        None => text.get("timeline.detail.none"),
    }
}
