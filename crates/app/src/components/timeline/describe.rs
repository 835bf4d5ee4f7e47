//! Spans in words and classes: tooltips, screen readers, the detail line
//! and the bars' styles.

use overlap_core::trace::{Outcome, Span, SpanKind, NO_TASK};
use yew::prelude::*;

use crate::format;

pub(super) fn kind_name(kind: SpanKind) -> &'static str {
    match kind {
        SpanKind::Cpu => "CPU",
        SpanKind::IoWait => "I/O wait",
        SpanKind::Queued => "queued",
        SpanKind::Blocked => "main thread blocked, waiting for the pool",
        SpanKind::Handled => "result handled",
        SpanKind::Startup => "process starting",
        SpanKind::Transfer => "copy between the page and a process",
    }
}

pub(super) fn outcome_name(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Ok => "ok",
        Outcome::Error => "error",
        Outcome::Cancelled => "cancelled",
    }
}

/// Describes a span in words (tooltip, screen readers, the detail line).
pub fn describe(span: &Span) -> String {
    let lane = span.lane.label();
    if span.task == NO_TASK {
        return format!(
            "{} starting · {}–{} ms ({} ms)",
            lane,
            format::ms(span.start_us as f64 / 1000.0),
            format::ms(span.end_us as f64 / 1000.0),
            format::ms(span.duration_us() as f64 / 1000.0),
        );
    }
    format!(
        "Task {} · {} on the {} · {}–{} ms ({} ms) · {}",
        span.task + 1,
        kind_name(span.kind),
        lane,
        format::ms(span.start_us as f64 / 1000.0),
        format::ms(span.end_us as f64 / 1000.0),
        format::ms(span.duration_us() as f64 / 1000.0),
        outcome_name(span.outcome),
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
