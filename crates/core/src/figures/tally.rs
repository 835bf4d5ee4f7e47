//! The running totals the figures are made from: per task, when it was
//! submitted, when it first ran, when it ended, what it computed and waited;
//! and the threads that computed. See the module above for what each figure
//! counts.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::trace::{Lane, Span, SpanKind};

/// What the tally knows about one task, counted up to the wait's return.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskTally {
    /// Start of its first span (submission, queueing included), µs from the
    /// run's start: its time in the system starts here.
    pub first_start_us: u64,
    /// Start of its first span that is not queued (it started running: its
    /// wait began, it computed, was copied to a process or blocked the loop),
    /// µs from the run's start: its time in flight starts here. `None` while
    /// it has only queued.
    #[serde(default)]
    pub run_start_us: Option<u64>,
    /// End of its last span, cut at the wait's return, µs from the run's start.
    pub last_end_us: u64,
    /// CPU time, µs.
    pub cpu_us: u64,
    /// Time spent waiting for I/O, µs.
    pub io_us: u64,
    /// The thread of its first CPU span, if it computed.
    #[serde(default)]
    pub cpu_lane: Option<Lane>,
}

impl TaskTally {
    /// How long the task was in the system, from its submission to its end
    /// (queueing included), µs.
    pub fn lifetime_us(&self) -> u64 {
        self.last_end_us.saturating_sub(self.first_start_us)
    }

    /// How long the task was in flight, from its first run to its end
    /// (queueing left out, any gap after its first run included), µs; 0 for
    /// a task that never ran.
    pub fn in_flight_us(&self) -> u64 {
        self.run_start_us
            .map_or(0, |start| self.last_end_us.saturating_sub(start))
    }
}

/// Running totals of a run's spans, per task and per thread.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    tasks: BTreeMap<u32, TaskTally>,
    cpu_lanes: BTreeSet<Lane>,
}

impl Tally {
    /// A tally with nothing counted.
    pub fn new() -> Tally {
        Tally::default()
    }

    /// Counts `span`, cut at `wall_end_us` once the wait has returned: work
    /// done while pending tasks wind down is not part of the run's figures.
    pub fn add(&mut self, span: &Span, wall_end_us: Option<u64>) {
        // An instant, or a process starting: no task's life or work.
        if span.kind == SpanKind::Handled || span.task == crate::trace::NO_TASK {
            return;
        }
        let end = wall_end_us.map_or(span.end_us, |w| span.end_us.min(w));
        let counted = end.saturating_sub(span.start_us);
        if wall_end_us.is_some_and(|w| span.start_us >= w) {
            return;
        }
        let ran = (span.kind != SpanKind::Queued).then_some(span.start_us);
        let task = self.tasks.entry(span.task).or_insert(TaskTally {
            first_start_us: span.start_us,
            run_start_us: ran,
            last_end_us: end,
            ..TaskTally::default()
        });
        task.first_start_us = task.first_start_us.min(span.start_us);
        task.run_start_us = earliest(task.run_start_us, ran);
        task.last_end_us = task.last_end_us.max(end);
        match span.kind {
            SpanKind::Cpu => {
                task.cpu_us += counted;
                task.cpu_lane.get_or_insert(span.lane);
                if counted > 0 {
                    self.cpu_lanes.insert(span.lane);
                }
            }
            SpanKind::IoWait => task.io_us += counted,
            SpanKind::Queued
            | SpanKind::Blocked
            | SpanKind::Handled
            | SpanKind::Startup
            | SpanKind::Transfer => {}
        }
    }

    /// Counts a task the model placed rather than a run recorded: submitted
    /// at `submitted_us`, running from `run_start_us` (queued in between),
    /// ended at `end_us` (all already cut at the wait's return), computing
    /// `cpu_us` of it over however many threads.
    pub fn add_modelled(
        &mut self,
        task: u32,
        submitted_us: u64,
        run_start_us: u64,
        end_us: u64,
        cpu_us: u64,
    ) {
        let run_start = run_start_us.max(submitted_us);
        let t = self.tasks.entry(task).or_insert(TaskTally {
            first_start_us: submitted_us,
            run_start_us: Some(run_start),
            last_end_us: end_us,
            ..TaskTally::default()
        });
        t.first_start_us = t.first_start_us.min(submitted_us);
        t.run_start_us = earliest(t.run_start_us, Some(run_start));
        t.last_end_us = t.last_end_us.max(end_us);
        t.cpu_us = t.cpu_us.saturating_add(cpu_us);
    }

    /// The tally of one task, if any of its spans was counted.
    pub fn task(&self, task: u32) -> Option<&TaskTally> {
        self.tasks.get(&task)
    }

    /// Every counted task, by number.
    pub fn tasks(&self) -> impl Iterator<Item = (u32, &TaskTally)> {
        self.tasks.iter().map(|(&t, tally)| (t, tally))
    }

    /// Σ task lifetimes from submission (time in the system), µs.
    pub fn lifetimes_us(&self) -> u64 {
        self.tasks.values().map(TaskTally::lifetime_us).sum()
    }

    /// Σ time in flight (from each task's first run to its end), µs.
    pub fn in_flight_us(&self) -> u64 {
        self.tasks.values().map(TaskTally::in_flight_us).sum()
    }

    /// Σ CPU time over every thread, µs.
    pub fn cpu_us(&self) -> u64 {
        self.tasks.values().map(|t| t.cpu_us).sum()
    }

    /// Σ time spent waiting for I/O, µs.
    pub fn io_us(&self) -> u64 {
        self.tasks.values().map(|t| t.io_us).sum()
    }

    /// Threads that did CPU work (main thread and workers).
    pub fn threads_used(&self) -> u32 {
        u32::try_from(self.cpu_lanes.len()).unwrap_or(u32::MAX)
    }
}

/// The earlier of two instants, either of which may be unknown.
fn earliest(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The most threads computing at the same instant, from the CPU spans (cut
/// at `wall_end_us`): the threads a run actually used at once. Counting every
/// thread that ever computed would overstate it when jobs hop between the
/// workers of a larger pool (k = 2 on eight workers can touch all eight).
pub fn peak_threads(spans: &[Span], wall_end_us: u64) -> u32 {
    let mut events: Vec<(u64, i32)> = spans
        .iter()
        .filter(|s| s.kind == SpanKind::Cpu && s.start_us < wall_end_us)
        .flat_map(|s| {
            let end = s.end_us.min(wall_end_us);
            (end > s.start_us).then_some([(s.start_us, 1), (end, -1)])
        })
        .flatten()
        .collect();
    // Ends before starts at the same instant: back-to-back spans on one
    // thread are not two threads.
    events.sort_unstable();
    let (mut now, mut peak) = (0i32, 0i32);
    for (_, delta) in events {
        now += delta;
        peak = peak.max(now);
    }
    u32::try_from(peak).unwrap_or(0)
}
