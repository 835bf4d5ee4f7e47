//! The wait's return on the timeline: when it returned, which tasks made it
//! return (core's `trace::wait_return`), and which were still pending.

use std::rc::Rc;

use overlap_core::trace::{task_names, Cause, WaitReturn};

use crate::format;

/// The wait's return for the timeline, with the tasks still pending then
/// (`pending`, any order; empty for a run read back from a file).
pub fn wait_marker(wait: &WaitReturn, pending: &[u32]) -> super::WaitMarker {
    let why = match wait.cause {
        Cause::FirstCompleted => "the first task finished",
        Cause::FirstException => "a task failed",
        Cause::AllCompleted => "every task was done",
        Cause::Timeout => "the timeout expired",
        Cause::Cancelled => "the run was cancelled",
    };
    let mut pending = pending.to_vec();
    pending.sort_unstable();
    let still = if pending.is_empty() {
        String::new()
    } else {
        format!(" Still pending then: {} (dotted).", task_names(&pending, 6))
    };
    super::WaitMarker {
        at_us: wait.at_us,
        label: format!(
            "The wait returned at {} ms: {why}{}.{still}",
            format::ms(wait.at_us as f64 / 1000.0),
            if wait.tasks.is_empty() {
                String::new()
            } else {
                format!(" ({})", task_names(&wait.tasks, 6))
            }
        ),
        tasks: wait.tasks.clone(),
        pending: Rc::from(pending),
    }
}
