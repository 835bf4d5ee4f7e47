//! What a run returns: every task's result, the trace, the probes' samples,
//! the measured figures and, beside them, the prediction made before it ran.

use overlap_core::figures::{FigureInputs, Figures, Tally};
use overlap_core::metrics::{frames_missed, LagSummary, FRAME_PERIOD_MS, HEARTBEAT_MS};
use overlap_core::predict::{RunPrediction, TaskKind};
use overlap_core::trace::{Outcome, Trace};
use overlap_core::ValidExperiment;

use crate::probes::ProbeSamples;
use crate::reference::T1;

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
    /// The model's figures, made before the run from the experiment and this device.
    pub predicted: RunPrediction,
    /// Measured cost of one cooperative yield (µs), for the cooperative strategy.
    pub yield_overhead_us: Option<f64>,
    /// Worker threads in the pool during the run.
    pub pool_threads: usize,
}

/// How one task settled, as the executor hands it over.
pub(super) struct Settlement {
    pub task: usize,
    pub outcome: Outcome,
    pub checksum: Option<u64>,
    pub error: Option<String>,
}

/// What the executor hands over to build a report.
pub(super) struct Inputs {
    pub experiment: ValidExperiment,
    pub n_io: usize,
    /// Settled when the wait returned, in completion order.
    pub done: Vec<Settlement>,
    /// Still pending then; settled while the run wound down.
    pub late: Vec<Settlement>,
    pub timed_out: bool,
    pub cancelled: bool,
    pub t0_ms: f64,
    pub wall_ms: f64,
    pub trace: Trace,
    pub tally: Tally,
    pub samples: ProbeSamples,
    pub yield_overhead_us: Option<f64>,
    pub pool_threads: usize,
    pub t1: Option<T1>,
    pub predicted: RunPrediction,
}

pub(super) fn build(inputs: Inputs) -> RunReport {
    let e = inputs.experiment.get();
    let total = inputs.n_io + e.cpu_task_count() as usize;
    let mut tasks: Vec<TaskResult> = (0..total)
        .map(|i| TaskResult {
            task: i as u32,
            kind: if i < inputs.n_io {
                TaskKind::Io
            } else {
                TaskKind::Cpu
            },
            outcome: Outcome::Cancelled,
            checksum: None,
            error: None,
            pending_at_return: false,
        })
        .collect();
    for (settled, pending_at_return) in inputs
        .done
        .iter()
        .map(|s| (s, false))
        .chain(inputs.late.iter().map(|s| (s, true)))
    {
        if let Some(t) = tasks.get_mut(settled.task) {
            t.outcome = settled.outcome;
            t.checksum = settled.checksum;
            t.error = settled.error.clone();
            t.pending_at_return = pending_at_return;
        }
    }
    let cpu_complete = tasks
        .iter()
        .filter(|t| t.kind == TaskKind::Cpu)
        .all(|t| t.outcome == Outcome::Ok && !t.pending_at_return);
    let figures = Figures::measure(
        &inputs.tally,
        FigureInputs {
            wall_ms: inputs.wall_ms,
            t1_ms: inputs.t1.map(|t| t.ms),
            has_cpu: e.cpu_task_count() > 0,
            cpu_complete,
        },
    );
    let (cpu_us, io_us) = inputs
        .tally
        .tasks()
        .fold((0u64, 0u64), |(c, w), (_, t)| (c + t.cpu_us, w + t.io_us));
    let tally = inputs.tally;
    let drifts: Vec<f64> = inputs.samples.lag.iter().map(|s| s.drift_ms).collect();
    RunReport {
        experiment: inputs.experiment.clone(),
        done: inputs.done.iter().map(|d| d.task as u32).collect(),
        pending: inputs
            .late
            .iter()
            .map(|d| d.task as u32)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect(),
        tasks,
        timed_out: inputs.timed_out,
        cancelled: inputs.cancelled,
        wall_ms: inputs.wall_ms,
        lag: LagSummary::from_heartbeats(
            &drifts,
            f64::from(HEARTBEAT_MS),
            LagSummary::LONG_TASK_MS,
        ),
        // The run's start and end bound the frames: a run that holds the
        // loop from its first instant has no frame at all to measure gaps
        // between, yet it missed every frame of its wall time.
        frames_missed: frames_missed(
            &std::iter::once(inputs.t0_ms)
                .chain(inputs.samples.frames_ms.iter().copied())
                .chain(std::iter::once(inputs.t0_ms + inputs.wall_ms))
                .collect::<Vec<_>>(),
            FRAME_PERIOD_MS,
        ),
        long_tasks: inputs.samples.long_tasks.as_ref().map(Vec::len),
        samples: inputs.samples,
        trace: inputs.trace,
        cpu_ms: cpu_us as f64 / 1000.0,
        io_wait_ms: io_us as f64 / 1000.0,
        figures,
        tally,
        t1: inputs.t1,
        predicted: inputs.predicted,
        yield_overhead_us: inputs.yield_overhead_us,
        pool_threads: inputs.pool_threads,
    }
}
