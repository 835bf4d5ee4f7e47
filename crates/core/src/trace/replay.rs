//! A finished run read at one instant (the replay's cursor), and what made
//! the wait return (the timeline's causality marker).

use serde::{Deserialize, Serialize};

use super::model::{Lane, Outcome, Span, SpanKind};
use crate::experiment::ReturnWhen;
use crate::i18n::Catalogue;

/// What one thread was doing at an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LaneActivity {
    /// The thread.
    pub lane: Lane,
    /// The task it worked for and how, or `None` when it was idle.
    pub doing: Option<(u32, SpanKind)>,
}

/// A run at one instant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Moment {
    /// The instant, µs from the run's start.
    pub at_us: u64,
    /// Tasks computing (a CPU span covers the instant), ascending.
    pub running: Vec<u32>,
    /// Tasks waiting on I/O, ascending.
    pub waiting: Vec<u32>,
    /// Tasks ready but queued (for a place in a semaphore, an executor or a
    /// pool), ascending.
    pub queued: Vec<u32>,
    /// Tasks whose last span ended at or before the instant.
    pub finished: usize,
    /// Each thread that appears in the run, main first.
    pub lanes: Vec<LaneActivity>,
}

fn covers(s: &Span, at_us: u64) -> bool {
    s.start_us <= at_us && at_us < s.end_us.max(s.start_us + 1)
}

/// What `spans` say was going on at `at_us`.
pub fn moment(spans: &[Span], at_us: u64) -> Moment {
    let mut running = Vec::new();
    let mut waiting = Vec::new();
    let mut queued = Vec::new();
    let mut lanes: Vec<LaneActivity> = super::lanes_in_order(spans.iter().map(|s| s.lane))
        .into_iter()
        .map(|lane| LaneActivity { lane, doing: None })
        .collect();
    let mut last_end: std::collections::HashMap<u32, u64> = std::collections::HashMap::new();
    for s in spans.iter().filter(|s| s.task != super::NO_TASK) {
        let end = last_end.entry(s.task).or_insert(0);
        *end = (*end).max(s.end_us);
    }
    for s in spans {
        if !covers(s, at_us) {
            continue;
        }
        match s.kind {
            SpanKind::Cpu => running.push(s.task),
            SpanKind::IoWait => waiting.push(s.task),
            SpanKind::Queued => queued.push(s.task),
            _ => {}
        }
        // A thread's activity: its work, not the waits the loop only watches.
        if !matches!(
            s.kind,
            SpanKind::IoWait | SpanKind::Queued | SpanKind::Handled
        ) {
            if let Some(l) = lanes.iter_mut().find(|l| l.lane == s.lane) {
                l.doing = Some((s.task, s.kind));
            }
        }
    }
    for list in [&mut running, &mut waiting, &mut queued] {
        list.sort_unstable();
        list.dedup();
    }
    Moment {
        at_us,
        running,
        waiting,
        queued,
        finished: last_end.values().filter(|&&end| end <= at_us).count(),
        lanes,
    }
}

/// Why the wait returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// `FIRST_COMPLETED`: the first task to finish.
    FirstCompleted,
    /// `FIRST_EXCEPTION`: the first task to fail.
    FirstException,
    /// Every task was done (the last one to finish).
    AllCompleted,
    /// The timeout expired first.
    Timeout,
    /// The visitor cancelled the run.
    Cancelled,
}

/// What made the wait return: the cause and the tasks it points at (the
/// first to finish, the first to fail, or the last to finish; none for a
/// timeout or a cancel). `done` is in completion order; `failed` says
/// whether a task ended in an error.
pub fn wait_cause(
    return_when: ReturnWhen,
    done: &[u32],
    failed: impl Fn(u32) -> bool,
    timed_out: bool,
    cancelled: bool,
) -> (Cause, Vec<u32>) {
    if cancelled {
        return (Cause::Cancelled, Vec::new());
    }
    if timed_out {
        return (Cause::Timeout, Vec::new());
    }
    let first_failure = done.iter().copied().find(|&t| failed(t));
    match (return_when, first_failure) {
        (ReturnWhen::FirstCompleted, _) => (
            Cause::FirstCompleted,
            done.first().copied().into_iter().collect(),
        ),
        (ReturnWhen::FirstException, Some(t)) => (Cause::FirstException, vec![t]),
        _ => (
            Cause::AllCompleted,
            done.last().copied().into_iter().collect(),
        ),
    }
}

/// When a run's wait returned, why, and the tasks that made it return: the
/// timeline's marker, and a slice with flows in the Chrome trace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitReturn {
    /// When it returned, µs from the run's start.
    pub at_us: u64,
    /// Why.
    pub cause: Cause,
    /// The tasks that made it return (none for a timeout or a cancel);
    /// absent from the twin's traces, which do not name them.
    #[serde(default)]
    pub tasks: Vec<u32>,
}

/// The tasks with a span that ended in an error (the trace's record of the
/// failed tasks), gathered once: asking each done task in turn would go
/// over every span each time.
pub fn failed_tasks(spans: &[Span]) -> std::collections::HashSet<u32> {
    spans
        .iter()
        .filter(|s| s.outcome == Outcome::Error)
        .map(|s| s.task)
        .collect()
}

/// Tasks as the page names them (T1 for task 0), the first `listed` of
/// them and a count of the rest ("T1, T2, +3"); `text`'s word for none
/// (`tasks.none`) for no task.
pub fn task_names(text: &Catalogue, tasks: &[u32], listed: usize) -> String {
    let mut names: Vec<String> = tasks
        .iter()
        .take(listed)
        .map(|t| format!("T{}", u64::from(*t) + 1))
        .collect();
    if tasks.len() > listed {
        names.push(format!("+{}", tasks.len() - listed));
    }
    if names.is_empty() {
        text.get("tasks.none")
    } else {
        names.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::model::ok_span;

    #[test]
    fn a_moment_tells_who_runs_waits_and_queues_and_what_each_thread_does() {
        let spans = [
            ok_span(0, Lane::Main, SpanKind::IoWait, 0, 100),
            ok_span(1, Lane::Main, SpanKind::Queued, 0, 50),
            ok_span(1, Lane::Main, SpanKind::IoWait, 50, 150),
            ok_span(2, Lane::Worker(0), SpanKind::Cpu, 10, 60),
            ok_span(3, Lane::Worker(1), SpanKind::Cpu, 70, 90),
        ];
        let m = moment(&spans, 20);
        assert_eq!(
            (m.running, m.waiting, m.queued, m.finished),
            (vec![2], vec![0], vec![1], 0)
        );
        assert_eq!(
            m.lanes,
            vec![
                LaneActivity {
                    lane: Lane::Main,
                    doing: None
                },
                LaneActivity {
                    lane: Lane::Worker(0),
                    doing: Some((2, SpanKind::Cpu))
                },
                LaneActivity {
                    lane: Lane::Worker(1),
                    doing: None
                },
            ]
        );
        let later = moment(&spans, 100);
        assert_eq!(
            (later.running, later.waiting, later.queued),
            (vec![], vec![1], vec![])
        );
        assert_eq!(later.finished, 3, "tasks 0, 2 and 3 had ended");
        assert_eq!(moment(&spans, 1_000).finished, 4);
    }

    #[test]
    fn task_names_count_from_one_and_say_how_many_are_left_out() {
        let en = crate::i18n::shipped(crate::i18n::Lang::En).expect("English");
        let fr = crate::i18n::shipped(crate::i18n::Lang::Fr).expect("French");
        assert_eq!(task_names(&en, &[], 3), "none");
        assert_eq!(task_names(&fr, &[], 3), "aucune");
        assert_eq!(task_names(&en, &[0, 4], 3), "T1, T5");
        assert_eq!(task_names(&en, &[0, 1, 2, 3, 4], 3), "T1, T2, T3, +2");
        assert_eq!(task_names(&en, &[u32::MAX], 1), "T4294967296");
    }

    #[test]
    fn failed_tasks_are_those_with_an_error_span() {
        let mut spans = vec![
            ok_span(1, Lane::Main, SpanKind::IoWait, 0, 10),
            ok_span(2, Lane::Main, SpanKind::IoWait, 0, 10),
        ];
        spans[1].outcome = Outcome::Error;
        assert_eq!(failed_tasks(&spans), [2].into_iter().collect());
    }

    #[test]
    fn the_wait_returns_for_the_first_done_the_first_failure_the_last_done_or_the_clock() {
        let failed = |t: u32| t == 3;
        let done = [2, 3, 1];
        assert_eq!(
            wait_cause(ReturnWhen::FirstCompleted, &done, failed, false, false),
            (Cause::FirstCompleted, vec![2])
        );
        assert_eq!(
            wait_cause(ReturnWhen::FirstException, &done, failed, false, false),
            (Cause::FirstException, vec![3])
        );
        assert_eq!(
            wait_cause(ReturnWhen::FirstException, &done, |_| false, false, false),
            (Cause::AllCompleted, vec![1])
        );
        assert_eq!(
            wait_cause(ReturnWhen::AllCompleted, &done, failed, false, false),
            (Cause::AllCompleted, vec![1])
        );
        assert_eq!(
            wait_cause(ReturnWhen::AllCompleted, &done, failed, true, false),
            (Cause::Timeout, vec![])
        );
        assert_eq!(
            wait_cause(ReturnWhen::AllCompleted, &done, failed, true, true),
            (Cause::Cancelled, vec![])
        );
    }
}
