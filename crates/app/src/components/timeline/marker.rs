//! The wait's return on the timeline: when it returned and which tasks made
//! it return (core's `trace::wait_cause`).

use crate::format;

/// The wait's return for the timeline: when, why (core's `wait_cause`),
/// and the tasks that made it return.
pub fn wait_marker(report: &overlap_core::report::RunReport) -> super::WaitMarker {
    use overlap_core::trace::{failed_tasks, task_names, wait_cause, Cause};
    let e = &report.experiment;
    let failed = failed_tasks(&report.trace.spans);
    let (cause, tasks) = wait_cause(
        e.awaiting.return_when(e.return_when),
        &report.done,
        |t| failed.contains(&t),
        report.timed_out,
        report.cancelled,
    );
    let why = match cause {
        Cause::FirstCompleted => "the first task finished",
        Cause::FirstException => "a task failed",
        Cause::AllCompleted => "every task was done",
        Cause::Timeout => "the timeout expired",
        Cause::Cancelled => "the run was cancelled",
    };
    super::WaitMarker {
        at_us: (report.wall_ms * 1000.0).round().max(0.0) as u64,
        label: format!(
            "The wait returned at {} ms: {why}{}.",
            format::ms(report.wall_ms),
            if tasks.is_empty() {
                String::new()
            } else {
                format!(" ({})", task_names(&tasks, 6))
            }
        ),
        tasks,
    }
}
