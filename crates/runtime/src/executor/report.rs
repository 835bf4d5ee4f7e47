//! What a run returns: every task's result, the trace, the probes' samples,
//! the measured metrics and, beside them, the model's prediction.

use std::collections::HashMap;

use overlap_core::experiment::{IoSource, Strategy};
use overlap_core::io_model::io_tasks;
use overlap_core::kernels::Kernel;
use overlap_core::metrics::{efficiency, frames_missed, LagSummary};
use overlap_core::predict::{
    amdahl_speedup, predict, task_times, ModelParams, Prediction, TaskKind,
};
use overlap_core::trace::{Lane, Outcome, SpanKind, Trace};
use overlap_core::ValidExperiment;

use crate::probes::ProbeSamples;

/// A display refresh period (60 Hz) for counting missed frames.
const FRAME_PERIOD_MS: f64 = 1000.0 / 60.0;

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

/// Everything measured in one run, with the prediction for the same experiment.
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
    /// Event-loop lag over the run.
    pub lag: LagSummary,
    /// Animation frames missed at 60 Hz.
    pub frames_missed: u64,
    /// Long tasks the browser reported, or `None` where it cannot.
    pub long_tasks: Option<usize>,
    /// Summed CPU time of the tasks (ms): what one thread would need.
    pub cpu_ms: f64,
    /// Summed I/O waits (ms), each at most its latency: what awaiting them one by one would take.
    pub io_wait_ms: f64,
    /// Summed task time over wall time.
    pub speedup: Option<f64>,
    /// Speed-up over the threads the strategy can use.
    pub efficiency: Option<f64>,
    /// Threads the strategy can use for CPU work.
    pub cpu_threads: u32,
    /// The model's prediction for this experiment from the measured task times.
    pub prediction: Prediction,
    /// The model's speed-up: summed ÷ predicted wall, or Amdahl's for split tasks.
    pub predicted_speedup: Option<f64>,
    /// The model's longest stretch of main-thread CPU work (ms): the lag it expects.
    pub predicted_stall_ms: f64,
    /// Stretches of main-thread work of 50 ms or more the model expects.
    pub predicted_long_tasks: u64,
    /// Frames at 60 Hz the model expects those stretches to swallow.
    pub predicted_frames_missed: u64,
    /// Measured cost of one cooperative yield (µs), for the cooperative strategy.
    pub yield_overhead_us: Option<f64>,
    /// Worker threads in the pool during the run.
    pub pool_threads: usize,
}

/// What the executor hands over to build a report.
pub(super) struct Inputs {
    pub experiment: ValidExperiment,
    pub n_io: usize,
    pub done: Vec<(usize, Outcome, Option<u64>, Option<String>)>,
    pub late: Vec<(usize, Outcome, Option<u64>, Option<String>)>,
    pub timed_out: bool,
    pub cancelled: bool,
    pub t0_ms: f64,
    pub wall_ms: f64,
    pub trace: Trace,
    pub totals: HashMap<u32, (u64, u64)>,
    pub samples: ProbeSamples,
    pub yield_overhead_us: Option<f64>,
    pub pool_threads: usize,
}

/// Threads that the strategy can use for CPU work. The reduction, split
/// data-parallel, uses the whole pool whatever `k` is (see
/// `CpuTask::run_split_pieces`).
pub fn cpu_threads(strategy: Strategy, kernel: Kernel, workers: u32, pool_threads: usize) -> u32 {
    let splits = matches!(
        strategy,
        Strategy::DataParallel | Strategy::ParallelBlocking
    );
    if splits && kernel == Kernel::Reduce {
        return u32::try_from(pool_threads).unwrap_or(u32::MAX).max(1);
    }
    let pool = u32::try_from(pool_threads).unwrap_or(u32::MAX).max(1);
    match strategy {
        Strategy::Pool
        | Strategy::ProcessPool
        | Strategy::DataParallel
        | Strategy::ParallelBlocking => workers.clamp(1, pool),
        _ => 1,
    }
}

pub(super) fn build(inputs: Inputs) -> RunReport {
    let e = inputs.experiment.get();
    let total = inputs.n_io + e.cpu_task_count() as usize * usize::from(e.workload.has_cpu());
    let io = if e.workload.has_io() {
        io_tasks(e)
    } else {
        Vec::new()
    };
    let mut cpu_us_by_task: HashMap<u32, u64> = HashMap::new();
    let mut io_us = 0u64;
    for (&task, &(cpu, wait)) in &inputs.totals {
        if cpu > 0 {
            cpu_us_by_task.insert(task, cpu);
        }
        // A wait counts for what it would cost alone: its latency, or less
        // when it was cancelled; not the time a blocked loop kept it waiting,
        // which would make a stalled loop look "concurrent". A real fetch has
        // no nominal latency: its span is its cost.
        let latency = match e.io_source {
            IoSource::Fetch => u64::MAX,
            IoSource::Timer => io.get(task as usize).map_or(u64::MAX, |t| t.latency_us),
        };
        io_us += wait.min(latency);
    }
    let cpu_us: u64 = cpu_us_by_task.values().sum();

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
    for (i, outcome, checksum, error) in &inputs.done {
        if let Some(t) = tasks.get_mut(*i) {
            (t.outcome, t.checksum, t.error) = (*outcome, *checksum, error.clone());
        }
    }
    for (i, outcome, checksum, error) in &inputs.late {
        if let Some(t) = tasks.get_mut(*i) {
            (t.outcome, t.checksum, t.error) = (*outcome, *checksum, error.clone());
            t.pending_at_return = true;
        }
    }

    let threads = cpu_threads(e.strategy, e.kernel, e.workers, inputs.pool_threads);
    let summed_ms = (cpu_us + io_us) as f64 / 1000.0;
    // Parallel-but-blocking runs are seen from the main thread only: their
    // span is the task's wall time on several threads, not its one-thread
    // cost, so summed ÷ wall would say nothing (a k = 1 run or a sweep gives
    // the real speed-up). Data-parallel runs report each thread's stretch,
    // whose sum is that cost.
    let splits_tasks = e.strategy == Strategy::ParallelBlocking;
    let speedup = (!splits_tasks && inputs.wall_ms > 0.0 && summed_ms > 0.0)
        .then(|| summed_ms / inputs.wall_ms);
    let only_cpu = !e.workload.has_io();
    let efficiency = if only_cpu && !splits_tasks {
        efficiency(summed_ms, inputs.wall_ms, threads)
    } else {
        None
    };

    let mut cpu_index = inputs.n_io as u32;
    // A split task's span is its time on `threads` threads: the model wants
    // its single-thread time, t1 = t / (s + (1 − s) / k), and applies Amdahl itself.
    let amdahl_factor = e.serial_fraction + (1.0 - e.serial_fraction) / f64::from(threads.max(1));
    let times = task_times(e, &io, |_task| {
        let us = cpu_us_by_task.get(&cpu_index).copied().unwrap_or(0);
        cpu_index += 1;
        if splits_tasks {
            (us as f64 / amdahl_factor).round() as u64
        } else {
            us
        }
    });
    let mut params = ModelParams::of(
        e,
        inputs.yield_overhead_us.map_or(0, |us| us.round() as u64),
        0,
    );
    params.workers = threads;
    let prediction = predict(e.strategy, &times, &params);
    let predicted_wall_ms = prediction.wall_us as f64 / 1000.0;
    let predicted_speedup = if splits_tasks {
        Some(amdahl_speedup(threads, e.serial_fraction))
    } else {
        (predicted_wall_ms > 0.0 && summed_ms > 0.0).then(|| summed_ms / predicted_wall_ms)
    };

    // The stretches during which the model expects the main thread to hold
    // the event loop: what the lag, frame and long-task figures should show.
    let on_main: Vec<u64> = inputs
        .trace
        .spans
        .iter()
        .filter(|s| s.lane == Lane::Main && s.kind == SpanKind::Cpu)
        .map(|s| s.duration_us())
        .collect();
    let stalls_us: Vec<u64> = match e.strategy {
        // Back to back, with no yield in between: one stall.
        Strategy::InlineBlocking | Strategy::ConcurrentAwait | Strategy::ParallelBlocking => {
            vec![prediction.main_blocked_us]
        }
        // A yield after each task (sequential) or chunk (cooperative).
        Strategy::SequentialAwait | Strategy::CooperativeChunks => on_main,
        _ => Vec::new(),
    };
    let predicted_stall_ms = stalls_us.iter().copied().max().unwrap_or(0) as f64 / 1000.0;
    let predicted_long_tasks = stalls_us
        .iter()
        .filter(|&&us| us as f64 / 1000.0 >= LagSummary::LONG_TASK_MS)
        .count() as u64;
    let predicted_frames_missed: u64 = stalls_us
        .iter()
        .map(|&us| (us as f64 / 1000.0 / FRAME_PERIOD_MS).floor() as u64)
        .sum();

    let drifts: Vec<f64> = inputs.samples.lag.iter().map(|s| s.drift_ms).collect();
    RunReport {
        experiment: inputs.experiment.clone(),
        done: inputs.done.iter().map(|d| d.0 as u32).collect(),
        pending: inputs
            .late
            .iter()
            .map(|d| d.0 as u32)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect(),
        tasks,
        timed_out: inputs.timed_out,
        cancelled: inputs.cancelled,
        wall_ms: inputs.wall_ms,
        lag: LagSummary::from_drifts(&drifts, LagSummary::LONG_TASK_MS),
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
        speedup,
        efficiency,
        cpu_threads: threads,
        prediction,
        predicted_speedup,
        predicted_stall_ms,
        predicted_long_tasks,
        predicted_frames_missed,
        yield_overhead_us: inputs.yield_overhead_us,
        pool_threads: inputs.pool_threads,
    }
}
