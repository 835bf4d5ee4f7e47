//! The notes the page puts beside a run: under its results, what this run
//! did ([`RunReport::notes`]), each sentence computed from the run's own
//! outcomes; and before it, how this device will run the experiment: the
//! pool's threads against `k` ([`queue_note`]) and the default executor's
//! size for `asyncio.to_thread` ([`executor_note`]).

use std::collections::BTreeMap;

use super::RunReport;
use crate::experiment::{CpuPlace, Experiment, Field, IoPlace, Python, Strategy};
use crate::figures::share;
use crate::i18n::Catalogue;
use crate::trace::{Lane, Outcome, SpanKind};

/// Which CPython a run of `e` shows, in one sentence: the build its
/// threads compute under, or why the build makes no difference to it.
pub fn python_note(text: &Catalogue, e: &Experiment) -> String {
    let profile = e.profile();
    let key = if Field::Python.applies(e) {
        match e.python {
            Python::Gil => "results.python.gil",
            Python::FreeThreaded => "results.python.ft",
        }
    } else if e.workload.has_cpu() && profile.cpu == CpuPlace::Processes {
        "results.python.processes"
    } else if e.workload.has_io() && profile.io == IoPlace::Executor {
        "results.python.waiting"
    } else {
        "results.python.one_thread"
    };
    text.fill(key, &[("switch", &e.switch_ms)])
}

/// What a note under a run's results is about: the page marks some of them
/// (a hidden tab's as an error) by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoteKind {
    /// The computing threads went slower than calibrated (the cores were shared).
    CoreShare,
    /// Which CPython the run shows.
    Python,
    /// How and when T₁ was measured.
    T1,
    /// Why the run has no speed-up.
    NoSpeedup,
    /// Which model made the prediction.
    Model,
    /// The wait hit its timeout.
    TimedOut,
    /// What became of the tasks the wait left pending.
    Pending,
    /// The visitor cancelled the run.
    Cancelled,
    /// The tab was hidden during the run.
    Hidden,
    /// What became of the neglected coroutine.
    Neglected,
    /// Spans the timeline left out.
    DroppedSpans,
    /// The cost of one yield to the event loop.
    YieldCost,
}

/// One sentence under a run's results.
#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    /// What it is about.
    pub kind: NoteKind,
    /// The sentence, in the catalogue's language.
    pub text: String,
}

impl RunReport {
    /// The sentences under this run's results, in the page's order, each
    /// from what the run did: a pending task is said to be cancelled only
    /// when its outcome is, and one that ran on to its result or failed is
    /// said so. The page shows them as they are, and so does the hook.
    pub fn notes(&self, text: &Catalogue) -> Vec<Note> {
        let mut notes = Vec::new();
        let mut add = |kind, text: String| notes.push(Note { kind, text });
        let e = self.experiment.get();
        if let Some(slowed) = share::note(
            text,
            self.core_share,
            self.figures.threads_used,
            e.profile().spins_main,
        ) {
            add(NoteKind::CoreShare, slowed);
        }
        if let Some(t1) = self.t1 {
            add(
                NoteKind::T1,
                t1.describe(text, e.strategy, e.cpu_task_count()),
            );
        }
        if let Some(why) = self.figures.no_speedup {
            let why = why.explain(text);
            add(
                NoteKind::NoSpeedup,
                text.fill("results.no_speedup", &[("why", &why)]),
            );
        }
        add(NoteKind::Python, python_note(text, e));
        let formula = self.predicted.model.formula(text);
        add(
            NoteKind::Model,
            text.fill("results.model", &[("formula", &formula)]),
        );
        if self.timed_out {
            add(NoteKind::TimedOut, text.get("results.timed_out"));
        }
        for pending in self.pending_notes(text) {
            add(NoteKind::Pending, pending);
        }
        if self.cancelled {
            add(NoteKind::Cancelled, text.get("results.cancelled"));
        }
        if self.samples.hidden {
            add(NoteKind::Hidden, text.get("results.hidden"));
        }
        if let Some(n) = &self.neglected {
            add(NoteKind::Neglected, n.message(text));
        }
        if self.trace.dropped_spans > 0 {
            let kept = text.lang().integer(self.trace.spans.len() as u64);
            let dropped = text.lang().integer(self.trace.dropped_spans);
            let args: [(&str, &dyn std::fmt::Display); 2] =
                [("kept", &kept), ("dropped", &dropped)];
            add(
                NoteKind::DroppedSpans,
                text.fill("results.dropped_spans", &args),
            );
        }
        if let Some(us) = self.yield_overhead_us {
            add(
                NoteKind::YieldCost,
                text.fill("results.yield_cost", &[("us", &text.lang().number(us, 1))]),
            );
        }
        notes
    }

    /// What became of the tasks still pending when the wait returned, by
    /// their outcomes: cancelled (and, of those, the ones whose worker
    /// computed on after the wait returned, which a cancel cannot stop),
    /// run on to a result, or run on to a failure.
    fn pending_notes(&self, text: &Catalogue) -> Vec<String> {
        let count = |o: Outcome| {
            self.tasks
                .iter()
                .filter(|t| t.pending_at_return && t.outcome == o)
                .count() as u64
        };
        let mut notes = Vec::new();
        let cancelled = count(Outcome::Cancelled);
        if cancelled > 0 {
            notes.push(text.fill_count(
                "results.pending.cancelled",
                cancelled,
                &[("n", &text.lang().integer(cancelled))],
            ));
            let ran_on = self.cancelled_yet_computing();
            if let Some(&until_us) = ran_on.values().max() {
                let n = ran_on.len() as u64;
                let ms = text.lang().number(until_us as f64 / 1000.0, 1);
                let args: [(&str, &dyn std::fmt::Display); 2] =
                    [("n", &text.lang().integer(n)), ("ms", &ms)];
                notes.push(text.fill_count("results.pending.ran_on", n, &args));
            }
        }
        for (outcome, key) in [
            (Outcome::Ok, "results.pending.finished"),
            (Outcome::Error, "results.pending.failed"),
        ] {
            let n = count(outcome);
            if n > 0 {
                notes.push(text.fill_count(key, n, &[("n", &text.lang().integer(n))]));
            }
        }
        notes
    }

    /// The pending tasks cancelled whose worker computed on after the wait
    /// returned (a running thread or process is not stopped by a cancel),
    /// with the end of their last CPU span (µs); none when the trace left
    /// spans out, as it could not tell.
    fn cancelled_yet_computing(&self) -> BTreeMap<u32, u64> {
        let mut out = BTreeMap::new();
        if self.trace.dropped_spans > 0 {
            return out;
        }
        // The float-to-int cast saturates: a negative or huge wall stays in range.
        let wall_us = (self.wall_ms * 1000.0).round() as u64;
        let cancelled = |task: u32| {
            self.tasks.get(task as usize).is_some_and(|t| {
                t.task == task && t.pending_at_return && t.outcome == Outcome::Cancelled
            })
        };
        for s in &self.trace.spans {
            if s.kind == SpanKind::Cpu
                && s.lane != Lane::Main
                && s.end_us > wall_us
                && cancelled(s.task)
            {
                let end = out.entry(s.task).or_insert(s.end_us);
                *end = (*end).max(s.end_us);
            }
        }
        out
    }
}

/// What the page says of `asyncio.to_thread` on a device of `cores` with a
/// pool of `pool_threads`: the default executor's size, what a waiting
/// thread costs, and how many threads really compute.
pub fn executor_note(text: &Catalogue, cores: u32, pool_threads: u32) -> String {
    let d = crate::experiment::default_executor_size(cores);
    text.fill("executor.note", &[("d", &d), ("n", &pool_threads)])
}

/// What the page says when `k` asks for more threads than the pool has
/// (`None` when it does not, or the strategy has no `k`): only the pool's
/// threads compute at once, the rest queue, where Python's executor would
/// start `k` threads.
pub fn queue_note(
    text: &Catalogue,
    strategy: Strategy,
    k: u32,
    pool_threads: u32,
) -> Option<String> {
    let profile = strategy.profile();
    if !profile.k_beyond_pool_queues() || pool_threads == 0 || k <= pool_threads {
        return None;
    }
    let split = profile.cpu == CpuPlace::Split;
    let key = if split {
        "queue.note.split"
    } else {
        "queue.note.pool"
    };
    Some(text.fill(key, &[("k", &k), ("n", &pool_threads)]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{shipped, Lang};

    #[test]
    fn a_k_larger_than_the_pool_is_said_plainly() {
        let en = shipped(Lang::En).expect("the English catalogue reads");
        let fr = shipped(Lang::Fr).expect("the French catalogue reads");
        let note = queue_note(&en, Strategy::Pool, 6, 2).expect("k > threads");
        assert!(note.contains("at most 2 tasks compute at once"), "{note}");
        assert!(note.contains("max_workers=6"), "{note}");
        assert!(queue_note(&fr, Strategy::DataParallel, 4, 2)
            .expect("split")
            .contains("2 d’entre eux"));
        assert_eq!(queue_note(&en, Strategy::Pool, 2, 2), None);
        assert_eq!(queue_note(&en, Strategy::ConcurrentAwait, 8, 2), None);
        assert_eq!(
            queue_note(&en, Strategy::Pool, 8, 0),
            None,
            "no pool yet: nothing to compare"
        );
    }
}
