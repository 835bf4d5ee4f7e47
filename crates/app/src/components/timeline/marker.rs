//! The wait's return on the timeline: when it returned, which tasks made it
//! return (core's `report::wait_return`), and which were still pending.

use std::rc::Rc;

use overlap_core::i18n::Catalogue;
use overlap_core::trace::{task_names, Cause, WaitReturn};

use crate::format;

/// The wait's return for the timeline, with the tasks still pending then
/// (`pending`, any order; empty for a run read back from a file).
pub fn wait_marker(wait: &WaitReturn, pending: &[u32]) -> super::WaitMarker {
    let mut pending = pending.to_vec();
    pending.sort_unstable();
    super::WaitMarker {
        at_us: wait.at_us,
        cause: wait.cause,
        tasks: wait.tasks.clone(),
        pending: Rc::from(pending),
    }
}

impl super::WaitMarker {
    /// When the wait returned and why, in words, with the tasks still
    /// pending then.
    pub fn label(&self, text: &Catalogue) -> String {
        let why = text.get(match self.cause {
            Cause::FirstCompleted => "timeline.marker.first_completed",
            Cause::FirstException => "timeline.marker.first_exception",
            Cause::AllCompleted => "timeline.marker.all_completed",
            Cause::Timeout => "timeline.marker.timeout",
            Cause::Cancelled => "timeline.marker.cancelled",
        });
        let ms = format::ms(self.at_us as f64 / 1000.0);
        let returned = if self.tasks.is_empty() {
            text.fill("timeline.marker.returned", &[("ms", &ms), ("why", &why)])
        } else {
            text.fill(
                "timeline.marker.returned.tasks",
                &[
                    ("ms", &ms),
                    ("why", &why),
                    ("tasks", &task_names(text, &self.tasks, 6)),
                ],
            )
        };
        if self.pending.is_empty() {
            returned
        } else {
            let still = text.fill(
                "timeline.marker.pending",
                &[("tasks", &task_names(text, &self.pending, 6))],
            );
            format!("{returned} {still}")
        }
    }
}
