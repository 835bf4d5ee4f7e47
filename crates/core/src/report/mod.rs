//! What a run returns: every task's result, the trace, the probes' samples,
//! the measured figures and, beside them, the prediction made before it ran.
//! The runtime measures; this module turns the measurements into the report,
//! so that its rules (which task counts as done, pending or cancelled, when a
//! speed-up applies, how lag and frames are summarised) are tested natively.
//!
//! A run's words are here too: its announcement, the notes under its results
//! ([`RunReport::notes`]: what became of the pending tasks, of a neglected
//! coroutine, …, each from the run's own outcomes), the notes beside a run
//! on how this device runs it ([`queue_note`], [`executor_note`]), and the
//! wait's return that the timeline marks ([`wait_return`]).

use serde::Serialize;

use crate::calibrate::Calibration;
use crate::experiment::{Neglect, ValidExperiment};
use crate::figures::{peak_threads, FigureInputs, Figures, Tally};
use crate::i18n::Catalogue;
use crate::metrics::{frames_missed, LagSummary, FRAME_PERIOD_MS, HEARTBEAT_MS};
use crate::predict::{RunPrediction, TaskKind};
use crate::trace::{failed_tasks, wait_cause, Outcome, Trace, WaitReturn};

mod key;
mod notes;
mod reference;
pub use key::{KeyFigure, KeyUnit, KeyValue};
pub use notes::{executor_note, queue_note, Note, NoteKind};
pub use reference::{ReferenceThread, T1};

/// One heartbeat: when it fired and how late it was.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LagSample {
    /// When the heartbeat ran, on the page clock (ms).
    pub at_ms: f64,
    /// How much later than asked it ran (ms, ≥ 0).
    pub drift_ms: f64,
}

/// A long task the browser reported: the main thread busy ≥ 50 ms.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LongTask {
    /// Start on the page clock (ms).
    pub start_ms: f64,
    /// Duration (ms).
    pub duration_ms: f64,
}

impl LongTask {
    /// Whether it overlaps a run that went from `from_ms` to `to_ms` (page
    /// clock): a stretch that began before the run (the click's own frame)
    /// counts when it lasted into the run, one that began after does not.
    pub fn overlaps(&self, from_ms: f64, to_ms: f64) -> bool {
        self.start_ms < to_ms && self.start_ms + self.duration_ms > from_ms
    }
}

/// Everything the probes saw between start and stop.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ProbeSamples {
    /// Heartbeats of the lag probe.
    pub lag: Vec<LagSample>,
    /// Timestamps of animation frames (ms).
    pub frames_ms: Vec<f64>,
    /// Long tasks, or `None` where the browser does not report them.
    pub long_tasks: Option<Vec<LongTask>>,
    /// Whether the page was hidden at some moment of the run: a hidden
    /// tab's timers are throttled, so its figures are not the page's own.
    pub hidden: bool,
}

/// One task's result.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskResult {
    /// The task's number: I/O tasks first, then CPU tasks.
    pub task: u32,
    /// I/O or CPU.
    pub kind: TaskKind,
    /// How it ended.
    pub outcome: Outcome,
    /// The kernel's checksum (CPU), the latency waited in µs (timer I/O) or the bytes fetched (fetch I/O), when it succeeded.
    pub checksum: Option<u64>,
    /// The error, when it failed.
    pub error: Option<String>,
    /// Whether it was still pending when the wait returned (then stopped).
    pub pending_at_return: bool,
}

/// Everything measured in one run, with the prediction made before it.
#[derive(Clone, Debug, PartialEq)]
pub struct RunReport {
    /// The experiment that ran.
    pub experiment: ValidExperiment,
    /// One result per task, in task order.
    pub tasks: Vec<TaskResult>,
    /// Tasks done when the wait returned, in completion order.
    pub done: Vec<u32>,
    /// Tasks still pending when the wait returned, ascending.
    pub pending: Vec<u32>,
    /// Whether the timeout ended the wait.
    pub timed_out: bool,
    /// Whether the run was cancelled from outside.
    pub cancelled: bool,
    /// Wall time of the wait, in ms.
    pub wall_ms: f64,
    /// Spans of every task, µs from the run's start.
    pub trace: Trace,
    /// Raw probe samples.
    pub samples: ProbeSamples,
    /// Event-loop lag over the run (without coordinated omission).
    pub lag: LagSummary,
    /// Animation frames missed at 60 Hz.
    pub frames_missed: u64,
    /// Long tasks the browser reported, or `None` where it cannot.
    pub long_tasks: Option<usize>,
    /// Summed CPU time of the tasks on every thread (ms), up to the wait's return.
    pub cpu_ms: f64,
    /// Summed I/O waits (ms), up to the wait's return.
    pub io_wait_ms: f64,
    /// Concurrency, parallelism, speed-up, efficiency (core's definitions).
    pub figures: Figures,
    /// Per-task totals the figures come from (not capped like the trace).
    pub tally: Tally,
    /// The reference run T₁ compares with, when there was CPU work.
    pub t1: Option<T1>,
    /// How fast its computing threads went against the calibration
    /// ([`crate::figures::share`]); `None` without CPU work timed.
    pub core_share: Option<f64>,
    /// The model's figures, made before the run from the experiment and this device.
    pub predicted: RunPrediction,
    /// Measured cost of one cooperative yield (µs), for the cooperative strategy.
    pub yield_overhead_us: Option<f64>,
    /// Worker threads in the pool during the run.
    pub pool_threads: usize,
    /// The neglected coroutine, if the experiment has one: not among
    /// `tasks`, `done` or `pending`, as asyncio.wait never sees it.
    pub neglected: Option<Neglected>,
}

impl RunReport {
    /// The run in one sentence, its main figures first: what a screen
    /// reader hears when it ends.
    pub fn announcement(&self, text: &Catalogue) -> String {
        let f = &self.figures;
        let mut figures = vec![text.fill(
            "playground.announce.wall",
            &[("ms", &text.lang().number(self.wall_ms, 0))],
        )];
        for (key, value) in [
            ("playground.announce.concurrency", f.concurrency),
            ("playground.announce.parallelism", f.parallelism),
            ("playground.announce.speedup", f.speedup),
        ] {
            if let Some(v) = value {
                figures.push(text.fill(key, &[("v", &text.lang().number(v, 2))]));
            }
        }
        let count = |o: Outcome, key: &str| {
            let n = self.tasks.iter().filter(|t| t.outcome == o).count() as u64;
            text.fill_count(key, n, &[("n", &text.lang().integer(n))])
        };
        text.fill(
            "playground.announce",
            &[
                ("figures", &figures.join(text.lang().list_separator())),
                ("ok", &count(Outcome::Ok, "playground.announce.ok")),
                (
                    "failed",
                    &count(Outcome::Error, "playground.announce.failed"),
                ),
                (
                    "cancelled",
                    &count(Outcome::Cancelled, "playground.announce.cancelled"),
                ),
            ],
        )
    }
}

/// The wait's return of a finished run.
pub fn wait_return(report: &RunReport) -> WaitReturn {
    let e = &report.experiment;
    let failed = failed_tasks(&report.trace.spans);
    let (cause, tasks) = wait_cause(
        e.awaiting.return_when(e.return_when),
        &report.done,
        |t| failed.contains(&t),
        report.timed_out,
        report.cancelled,
    );
    WaitReturn {
        // The float-to-int cast saturates: a negative or huge wall stays in range.
        at_us: (report.wall_ms * 1000.0).round() as u64,
        cause,
        tasks,
    }
}

/// The coroutine an experiment neglects ([`crate::Experiment::neglect`]),
/// outside the awaited tasks, and what became of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Neglected {
    /// Which mistake.
    pub kind: Neglect,
    /// Its number: the one after the awaited tasks.
    pub task: u32,
    /// How it ended; `None` when it never ran (a coroutine never awaited).
    pub outcome: Option<Outcome>,
}

impl Neglected {
    /// What became of the neglected coroutine: the mistake, what the page
    /// saw, and what CPython says of it.
    pub fn message(&self, text: &Catalogue) -> String {
        let key = match self.outcome {
            None => "neglect.note.never",
            Some(Outcome::Cancelled) => "neglect.note.cancelled",
            Some(_) => "neglect.note.error",
        };
        text.fill(key, &[("task", &(self.task + 1))])
    }
}

impl TaskResult {
    /// Task `task` of a run whose first `n_io` tasks are I/O, cancelled
    /// before it started.
    pub fn never_started(task: u32, n_io: usize) -> TaskResult {
        TaskResult {
            task,
            kind: if (task as usize) < n_io {
                TaskKind::Io
            } else {
                TaskKind::Cpu
            },
            outcome: Outcome::Cancelled,
            checksum: None,
            error: None,
            pending_at_return: false,
        }
    }
}

/// What a run did, as the host's clock saw it: what core's executor hands
/// over, everything of the report except what only the platform measures.
#[derive(Clone, Debug)]
pub struct Execution {
    /// The experiment that ran.
    pub experiment: ValidExperiment,
    /// The prediction made before any task started.
    pub predicted: RunPrediction,
    /// Its number of I/O tasks (they come first).
    pub n_io: usize,
    /// Threads it was given to compute on (efficiency divides by them).
    pub threads_given: u32,
    /// The calibration its prediction was made from (of its kernel, taken
    /// on the kind of thread it computes on), which its pace is compared with.
    pub calibration: Option<Calibration>,
    /// Done when the wait returned, in completion order.
    pub done: Vec<TaskResult>,
    /// Still pending then; settled while the run wound down.
    pub late: Vec<TaskResult>,
    /// Whether the timeout ended the wait.
    pub timed_out: bool,
    /// Whether the run was cancelled from outside.
    pub cancelled: bool,
    /// When the run started, on the host's clock (ms).
    pub t0_ms: f64,
    /// Wall time of the wait, ms.
    pub wall_ms: f64,
    /// The spans kept.
    pub trace: Trace,
    /// Every span counted.
    pub tally: Tally,
    /// The neglected coroutine, if the experiment has one.
    pub neglected: Option<Neglected>,
}

/// Everything a report is built from: the run, and what the platform
/// measured around it.
pub struct Inputs {
    /// The run itself.
    pub run: Execution,
    /// What the probes saw.
    pub samples: ProbeSamples,
    /// Measured cost of one yield, µs (cooperative runs).
    pub yield_overhead_us: Option<f64>,
    /// Workers in the pool.
    pub pool_threads: usize,
    /// The reference time, when there was CPU work.
    pub t1: Option<T1>,
    /// The reference run's time of each CPU task, ms, in task order, when
    /// it was timed apart (empty otherwise): the pace a task's time in the
    /// run is held to.
    pub t1_tasks_ms: Vec<f64>,
}

/// Builds the report of a run from what the executor measured.
pub fn build(inputs: Inputs) -> RunReport {
    let Inputs {
        run,
        samples,
        yield_overhead_us,
        pool_threads,
        t1,
        t1_tasks_ms,
    } = inputs;
    let e = run.experiment.get();
    let total = run.n_io + e.cpu_task_count() as usize;
    // A task neither done nor late never started: it was cancelled.
    let mut tasks: Vec<TaskResult> = (0..total)
        .map(|i| TaskResult::never_started(i as u32, run.n_io))
        .collect();
    for result in run.done.iter().chain(&run.late) {
        if let Some(t) = tasks.get_mut(result.task as usize) {
            *t = result.clone();
        }
    }
    let cpu_complete = tasks
        .iter()
        .filter(|t| t.kind == TaskKind::Cpu)
        .all(|t| t.outcome == Outcome::Ok && !t.pending_at_return);
    let figures = Figures::measure(
        &run.tally,
        FigureInputs {
            wall_ms: run.wall_ms,
            t1_ms: t1.map(|t| t.ms),
            has_cpu: e.cpu_task_count() > 0,
            cpu_complete,
            peak_threads: (run.trace.dropped_spans == 0)
                .then(|| peak_threads(&run.trace.spans, (run.wall_ms * 1000.0).round() as u64)),
            finished: run
                .done
                .iter()
                .filter(|s| s.outcome != Outcome::Cancelled)
                .count(),
            threads_given: run.threads_given,
        },
    );
    let core_share = reference::core_share(&run, &tasks, &t1_tasks_ms);
    let (cpu_us, io_us) = (run.tally.cpu_us(), run.tally.io_us());
    let tally = run.tally;
    let drifts: Vec<f64> = samples.lag.iter().map(|s| s.drift_ms).collect();
    RunReport {
        experiment: run.experiment.clone(),
        done: run.done.iter().map(|d| d.task).collect(),
        pending: run
            .late
            .iter()
            .map(|d| d.task)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect(),
        tasks,
        timed_out: run.timed_out,
        cancelled: run.cancelled,
        wall_ms: run.wall_ms,
        lag: LagSummary::from_heartbeats(
            &drifts,
            f64::from(HEARTBEAT_MS),
            LagSummary::LONG_TASK_MS,
        ),
        // The run's start and end bound the frames: a run that holds the
        // loop from its first instant has no frame at all to measure gaps
        // between, yet it missed every frame of its wall time.
        frames_missed: frames_missed(
            &std::iter::once(run.t0_ms)
                .chain(samples.frames_ms.iter().copied())
                .chain(std::iter::once(run.t0_ms + run.wall_ms))
                .collect::<Vec<_>>(),
            FRAME_PERIOD_MS,
        ),
        long_tasks: samples.long_tasks.as_ref().map(Vec::len),
        samples,
        trace: run.trace,
        cpu_ms: cpu_us as f64 / 1000.0,
        io_wait_ms: io_us as f64 / 1000.0,
        figures,
        tally,
        t1,
        core_share,
        predicted: run.predicted,
        yield_overhead_us,
        pool_threads,
        neglected: run.neglected,
    }
}

#[cfg(test)]
mod tests;
