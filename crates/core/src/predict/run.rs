//! The model's forecast of a whole run, made before it starts: from the
//! experiment and what was measured of this device beforehand (a kernel
//! calibration, the pool's size, the cost of a yield), never from the run's
//! own spans. Its figures are defined as the measured ones are (see
//! [`crate::figures`]), so the page can put them side by side.

use serde::{Deserialize, Serialize};

use super::{predict, task_times, Model, ModelParams, TaskKind};
use crate::calibrate::Calibration;
use crate::experiment::{AtOnce, CpuPlace, Experiment, LoopHold, Strategy};
use crate::figures::{FigureInputs, Figures, Tally};
use crate::io_model::{forgotten_task, io_tasks};
use crate::metrics::{LagSummary, FRAME_PERIOD_MS, HEARTBEAT_MS};

/// What the model knows of this device, measured before the run.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Device {
    /// The rate of the experiment's kernel (at its task size) on this device,
    /// `None` when the experiment has no CPU work or it was not measured.
    pub calibration: Option<Calibration>,
    /// Worker threads in the pool.
    pub pool_threads: u32,
    /// Logical cores of the device (the browser's `hardwareConcurrency`).
    pub cores: u32,
    /// Cost of one yield to the event loop, µs (cooperative chunks).
    pub yield_overhead_us: u64,
}

/// Threads that `strategy` can use for CPU work with `k` workers on a pool of
/// `pool_threads`.
pub fn cpu_threads(strategy: Strategy, workers: u32, pool_threads: u32) -> u32 {
    strategy.profile().cpu_threads(workers, pool_threads)
}

/// Threads the run is expected to compute on with `k` asked of a pool of
/// `pool_threads` (0 without CPU work).
fn threads_given(e: &Experiment, k: u32, pool_threads: u32) -> u32 {
    if e.cpu_task_count() == 0 {
        return 0;
    }
    cpu_threads(e.strategy, k, pool_threads)
        .min(match e.profile().at_once {
            // Each task runs on one thread: no more threads than tasks.
            AtOnce::PerThread => e.cpu_task_count(),
            AtOnce::One => u32::MAX,
        })
        .max(1)
}

/// The model's figures for a run, made before it starts. `None` where a
/// figure does not apply (as in the measured figures).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunPrediction {
    /// Wall time of the wait, ms.
    pub wall_ms: f64,
    /// Σ time in flight (from each task's run start) ÷ wall.
    pub concurrency: Option<f64>,
    /// Σ task lifetimes from submission (queueing included) ÷ wall.
    #[serde(default)]
    pub in_system: Option<f64>,
    /// Σ CPU-busy time ÷ wall.
    pub parallelism: Option<f64>,
    /// Single-thread time of the CPU tasks, from the calibration, ms.
    pub t1_ms: Option<f64>,
    /// T₁ ÷ wall, when every CPU task is expected to run to its end.
    pub speedup: Option<f64>,
    /// Speed-up ÷ threads.
    pub efficiency: Option<f64>,
    /// Threads expected to do CPU work.
    pub threads: u32,
    /// Event-loop lag p95, ms.
    pub lag_p95_ms: Option<f64>,
    /// Event-loop lag max, ms.
    pub lag_max_ms: Option<f64>,
    /// Longest stretch of main-thread work, ms.
    pub stall_ms: f64,
    /// Stretches of main-thread work of 50 ms or more.
    pub long_tasks: u64,
    /// Frames at 60 Hz those stretches swallow.
    pub frames_missed: u64,
    /// Tasks finished ÷ wall, per second.
    pub throughput_per_s: Option<f64>,
    /// Σ I/O waits up to the wait's return, ms: what the waits would have
    /// cost one after another. `None` without I/O tasks.
    #[serde(default)]
    pub io_wait_ms: Option<f64>,
    /// Whether the timeout is expected to end the wait.
    pub timed_out: bool,
    /// The formula the wall time rests on.
    pub model: Model,
}

/// The model's figures for `e` on `device`.
pub fn predict_run(e: &Experiment, device: &Device) -> RunPrediction {
    let io = if e.workload.has_io() {
        io_tasks(e)
    } else {
        Vec::new()
    };
    // A calibration of another kernel says nothing of this one.
    let calibration = device.calibration.filter(|c| c.kernel == e.kernel);
    let task_us = |size: u32| {
        calibration.map_or(0, |c| {
            libm::round(c.ms_for_size(size) * 1000.0).max(0.0) as u64
        })
    };
    let tasks = task_times(e, &io, |t| task_us(t.size));
    let one_thread_us: Vec<u64> = tasks.iter().map(|t| t.duration_us).collect();
    let k = e.executor_workers(device.cores);
    let profile = e.profile();
    let threads = threads_given(e, k, device.pool_threads);
    let mut params = ModelParams::of(e, device.yield_overhead_us, 0);
    params.io_slots = e.io_slots(device.cores);
    if profile.cpu == CpuPlace::Processes && e.cpu_task_count() > 0 {
        // All k processes start, however few the tasks (as the executor does).
        let processes = k.clamp(1, crate::experiment::bounds::MAX_PROCESSES);
        params.startup_us = super::pool_startup_us(e.process_start, processes);
    }
    params.workers = if profile.gil {
        // k tasks in flight share one core.
        k
    } else {
        threads.max(1)
    };
    let mut tasks = tasks;
    if profile.spins_main {
        // The main thread spins on a core while it waits: k workers and the
        // spinning thread share the cores, so each worker computes at
        // cores ÷ (k + 1) of its speed when there are not enough of them.
        let k = f64::from(threads.max(1));
        let share = (f64::from(device.cores.max(1)) / (k + 1.0)).min(1.0);
        for t in tasks.iter_mut().filter(|t| t.kind == TaskKind::Cpu) {
            t.duration_us = libm::round(t.duration_us as f64 / share) as u64;
        }
    }
    let p = predict(e.profile(), &tasks, &params);
    let wall_us = p.wall_us as f64;

    let (tally, t1_us) = model_tally(e, &tasks, &one_thread_us, &p);
    let has_cpu = e.cpu_task_count() > 0 && calibration.is_some();
    let cpu_complete = p
        .completions_us
        .iter()
        .zip(&tasks)
        .all(|(&end, t)| t.kind == TaskKind::Io || end <= p.wall_us);
    let figures = Figures::measure(
        &tally,
        FigureInputs {
            wall_ms: wall_us / 1000.0,
            t1_ms: Some(t1_us as f64 / 1000.0),
            has_cpu,
            cpu_complete,
            peak_threads: Some(threads),
            finished: p
                .completions_us
                .iter()
                .filter(|&&end| end <= p.wall_us)
                .count(),
            threads_given: e.threads_given(device.pool_threads, device.cores),
        },
    );

    let stalls_ms = main_thread_stalls_ms(e, &tasks, &p);
    let lag = LagSummary::of_stalls(&stalls_ms, wall_us / 1000.0, f64::from(HEARTBEAT_MS));
    let lag = lag.drift_ms;
    RunPrediction {
        wall_ms: figures.wall_ms,
        concurrency: figures.concurrency,
        in_system: figures.in_system,
        // Without a calibration the model knows nothing of the CPU work.
        parallelism: figures
            .parallelism
            .filter(|_| has_cpu || e.cpu_task_count() == 0),
        t1_ms: figures.t1_ms,
        speedup: figures.speedup,
        efficiency: figures.efficiency,
        threads,
        lag_p95_ms: lag.map(|l| l.p95),
        lag_max_ms: lag.map(|l| l.max),
        stall_ms: stalls_ms.iter().map(|s| s.0).fold(0.0, f64::max),
        long_tasks: stalls_ms
            .iter()
            .filter(|s| s.0 >= LagSummary::LONG_TASK_MS)
            .map(|s| s.1)
            .sum(),
        frames_missed: stalls_ms
            .iter()
            .map(|&(ms, n)| ((ms / FRAME_PERIOD_MS).floor() as u64).saturating_mul(n))
            .fold(0u64, u64::saturating_add),
        throughput_per_s: figures.throughput_per_s,
        io_wait_ms: (e.io_task_count() > 0).then(|| io_waits_ms(&tasks, &p)),
        timed_out: p.timed_out,
        model: p.model,
    }
}

/// The model's tally, and T₁ (µs): the figures are the measured ones
/// (`Figures::measure`), from the tasks as the model placed them. Each task
/// is in the system from its submission and in flight from its run start
/// (queued in between), and counts for the part of its life (and of its
/// CPU work) before the wait returns.
fn model_tally(
    e: &Experiment,
    tasks: &[super::TaskTime],
    one_thread_us: &[u64],
    p: &super::Prediction,
) -> (Tally, u64) {
    let mut tally = Tally::new();
    let mut t1_us = 0u64;
    for (i, task) in tasks.iter().enumerate() {
        let (start, end) = (p.run_starts_us[i], p.completions_us[i]);
        let inside_end = end.min(p.wall_us);
        let cpu_us = if task.kind == TaskKind::Cpu {
            t1_us = t1_us.saturating_add(one_thread_us[i]);
            let (span, inside) = (end.saturating_sub(start), inside_end.saturating_sub(start));
            let share = if span > 0 {
                inside as f64 / span as f64
            } else {
                1.0
            };
            libm::round(task.duration_us as f64 * share) as u64
        } else {
            0
        };
        let submitted = p.starts_us[i].min(start);
        tally.add_modelled(task_number(i), submitted, start, inside_end, cpu_us);
    }
    if let Some(forgotten) = forgotten_task(e, tasks.len()) {
        // It waits beside the others from the start (until the wait returns).
        let end = forgotten.latency_us.min(p.wall_us);
        tally.add_modelled(task_number(tasks.len()), 0, 0, end, 0);
    }
    (tally, t1_us)
}

/// Σ of each I/O task's wait as the model placed it, up to the wait's
/// return, ms (the measured `io_wait_ms` counts the same).
fn io_waits_ms(tasks: &[super::TaskTime], p: &super::Prediction) -> f64 {
    let us: u64 = tasks
        .iter()
        .enumerate()
        .filter(|(_, t)| t.kind == TaskKind::Io)
        .map(|(i, _)| {
            p.completions_us[i]
                .min(p.wall_us)
                .saturating_sub(p.run_starts_us[i])
        })
        .sum();
    us as f64 / 1000.0
}

/// Task `i` as the trace numbers it.
fn task_number(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// The stretches during which the model expects the main thread to hold the
/// event loop, as (ms, how many), up to the wait's return.
fn main_thread_stalls_ms(
    e: &Experiment,
    tasks: &[super::TaskTime],
    p: &super::Prediction,
) -> Vec<(f64, u64)> {
    let cpu = || tasks.iter().filter(|t| t.kind == TaskKind::Cpu);
    let wall_ms = p.wall_us as f64 / 1000.0;
    let cpu_busy_ms = || cpu().map(|t| t.duration_us as f64 / 1000.0).sum::<f64>();
    let profile = e.profile();
    match profile.hold {
        // Back to back with no yield in between: one stall.
        // The blocking calls too: back to back, nothing awaited between them.
        LoopHold::Throughout => vec![(p.main_blocked_us as f64 / 1000.0, 1)],
        // Back to back: awaiting a coroutine that never suspends does not
        // yield, so the CPU tasks are one stall.
        LoopHold::EachTask => vec![(cpu_busy_ms().min(wall_ms), 1)],
        // A yield after each chunk.
        LoopHold::EachChunk => cpu()
            .map(|t| {
                let chunks = t.chunks.max(1);
                (t.duration_us as f64 / 1000.0 / chunks as f64, chunks)
            })
            .collect(),
        // The loop's callbacks need the GIL: while the workers compute, each
        // heartbeat waits about one switch interval for a holder to drop it.
        LoopHold::Free if profile.gil => {
            let busy_ms = cpu_busy_ms();
            let switch_ms = f64::from(e.switch_ms.max(1));
            let beats = (busy_ms.min(wall_ms) / (f64::from(HEARTBEAT_MS) + switch_ms)) as u64;
            vec![(switch_ms, beats)]
        }
        LoopHold::Free => Vec::new(),
    }
    .into_iter()
    // A stretch that never happens is none (no heartbeat waited for the GIL
    // without CPU work).
    .filter(|s| s.0 > 0.0 && s.1 > 0)
    .collect()
}
