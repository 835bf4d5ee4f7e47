//! Records written before `in_system` was kept, read into today's figures.

use crate::figures::{ratio, Figures, Tally};
use crate::trace::Trace;

/// The figures of a record written before `in_system` was kept: its
/// `concurrency` then counted each task from its submission, queueing
/// included, which is today's `in_system`; today's concurrency (tasks in
/// flight) is counted again from its spans, cut at its wall, when it kept
/// every span, else it is unknown. Figures that have `in_system`, or no
/// concurrency at all, are today's already.
pub(super) fn upgrade(figures: &mut Figures, trace: &Trace) {
    if figures.in_system.is_some() || figures.concurrency.is_none() {
        return;
    }
    figures.in_system = figures.concurrency;
    figures.concurrency = if trace.dropped_spans == 0 {
        // Non-negative and finite (checked on import): the cast saturates.
        let wall_us = (figures.wall_ms * 1000.0).round() as u64;
        let mut tally = Tally::new();
        for span in &trace.spans {
            tally.add(span, Some(wall_us));
        }
        ratio(tally.in_flight_us() as f64 / 1000.0, figures.wall_ms)
    } else {
        None
    };
}
