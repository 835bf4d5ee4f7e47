//! Prediction model: the wall time a strategy should take, from task durations.
//!
//! The primitives are the textbook ones: sum, max, `⌈n/k⌉·t`, greedy list
//! scheduling onto `k` workers (in submission order, as `ThreadPoolExecutor`
//! does), processor sharing (GIL mode) and Amdahl's law. [`predict`] combines them per
//! strategy into a completion time for every task, then applies
//! `return_when` and the timeout as `asyncio.wait` would.
//!
//! Assumptions, stated so the page can label the figure as a model: every task
//! is submitted at time 0; CPU work on the main thread delays the handling of
//! I/O completions until it ends; the serial fraction applies to the
//! data-parallel strategies (each task runs `s·t` on one thread, `(1−s)·t/k`
//! spread over `k`); cooperative chunks add a fixed yield overhead per chunk.

use crate::experiment::{CpuPlace, Experiment, IoPlace, LoopHold, Profile, ReturnWhen};
use crate::io_model::IoTask;
use crate::kernels::CpuTask;
use serde::{Deserialize, Serialize};

mod run;
mod schedule;
mod startup;

pub use run::{cpu_threads, predict_run, Device, RunPrediction};
pub use schedule::*;
pub use startup::pool_startup_us;

/// Whether a task waits (I/O) or computes (CPU).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// An I/O wait: overlaps with everything.
    Io,
    /// CPU work: occupies a thread.
    Cpu,
}

/// One task as the model sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskTime {
    /// I/O or CPU.
    pub kind: TaskKind,
    /// Latency (I/O) or single-thread CPU time, in µs.
    pub duration_us: u64,
    /// Whether the task ends with an error.
    pub fails: bool,
    /// Chunks the task is cut into by the cooperative strategy.
    pub chunks: u64,
}

impl TaskTime {
    /// An I/O task of `latency_us`.
    pub fn io(latency_us: u64, fails: bool) -> TaskTime {
        TaskTime {
            kind: TaskKind::Io,
            duration_us: latency_us,
            fails,
            chunks: 1,
        }
    }

    /// A CPU task of `duration_us` cut into `chunks` cooperative chunks.
    pub fn cpu(duration_us: u64, chunks: u64) -> TaskTime {
        TaskTime {
            kind: TaskKind::Cpu,
            duration_us,
            fails: false,
            chunks,
        }
    }
}

/// Parameters of the model besides the tasks.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelParams {
    /// Workers `k` (at least 1 is used).
    pub workers: u32,
    /// Serial fraction of each CPU task for the data-parallel strategies, in `0..=1`.
    pub serial_fraction: f64,
    /// Cost of one yield to the event loop between cooperative chunks, in µs.
    pub yield_overhead_us: u64,
    /// Cost of handing one task to a worker and getting its result back, in µs.
    pub dispatch_overhead_us: u64,
    /// When the wait returns.
    pub return_when: ReturnWhen,
    /// Timeout of the wait, in µs.
    pub timeout_us: Option<u64>,
    /// Most I/O waits in flight at once (a semaphore, the executor's
    /// threads); `None`: all at once.
    pub io_slots: Option<u32>,
    /// Until the processes are ready, µs: no task of theirs runs before
    /// (set for the process pool only).
    #[serde(default)]
    pub startup_us: u64,
}

impl Default for ModelParams {
    fn default() -> ModelParams {
        ModelParams {
            workers: 1,
            serial_fraction: 0.0,
            yield_overhead_us: 0,
            dispatch_overhead_us: 0,
            return_when: ReturnWhen::AllCompleted,
            timeout_us: None,
            io_slots: None,
            startup_us: 0,
        }
    }
}

impl ModelParams {
    /// The experiment's parameters, with the measured overheads of this device (µs).
    pub fn of(e: &Experiment, yield_overhead_us: u64, dispatch_overhead_us: u64) -> ModelParams {
        ModelParams {
            workers: e.workers,
            serial_fraction: e.serial_fraction,
            yield_overhead_us,
            dispatch_overhead_us,
            return_when: e.awaiting.return_when(e.return_when),
            timeout_us: e.timeout_ms.map(|t| u64::from(t) * 1000),
            io_slots: e.io_limit(),
            startup_us: 0,
        }
    }
}

/// The model's view of an experiment: its I/O tasks, then its CPU tasks timed by `cpu_us`.
///
/// `cpu_us` gives a task's single-thread time, measured or from a calibration.
pub fn task_times(
    e: &Experiment,
    io: &[IoTask],
    mut cpu_us: impl FnMut(&CpuTask) -> u64,
) -> Vec<TaskTime> {
    let chunk = u64::from(e.chunk.max(1));
    io.iter()
        .map(|t| TaskTime::io(t.latency_us, t.fails))
        .chain(
            e.cpu_task_list()
                .iter()
                .map(|t| TaskTime::cpu(cpu_us(t), t.steps().div_ceil(chunk))),
        )
        .collect()
}

/// Which formula a prediction rests on, to label it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Model {
    /// Tasks one after another: Σt.
    Sum,
    /// Overlapping waits: max t (CPU work on the loop still adds up).
    Max,
    /// Greedy list scheduling onto k workers in submission order.
    ListScheduling,
    /// Amdahl's law per task: s·t + (1−s)·t/k.
    Amdahl,
    /// Sum plus a yield overhead per chunk.
    CooperativeSum,
    /// `k` tasks in flight sharing one core (GIL mode).
    SharedCore,
}

impl Model {
    /// The formula, as the results name it.
    pub fn formula(self, text: &crate::i18n::Catalogue) -> String {
        text.get(match self {
            Model::Sum => "results.model.sum",
            Model::Max => "results.model.max",
            Model::ListScheduling => "results.model.list_scheduling",
            Model::Amdahl => "results.model.amdahl",
            Model::CooperativeSum => "results.model.cooperative_sum",
            Model::SharedCore => "results.model.shared_core",
        })
    }
}

/// The model's answer for one strategy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// Predicted wall time of the wait, in µs.
    pub wall_us: u64,
    /// Predicted completion time of each task, in input order, in µs.
    pub completions_us: Vec<u64>,
    /// When each task is predicted to be submitted as the run records it
    /// (its time in the system starts), in µs: 0 for the tasks that queue for
    /// a semaphore, the executor's threads or a process; for a CPU task the
    /// run takes from its list as a dispatcher frees up, when it is taken.
    pub starts_us: Vec<u64>,
    /// When each task is predicted to start running (its time in flight
    /// starts, its queueing over), in µs.
    pub run_starts_us: Vec<u64>,
    /// The formula used.
    pub model: Model,
    /// Time the main thread is blocked by CPU work, in µs (the page freezes meanwhile).
    pub main_blocked_us: u64,
    /// Whether the timeout cuts the wait short.
    pub timed_out: bool,
}

/// Runs the tasks of `order` one after another, each taking `cost(i)`;
/// records their starts and ends and returns when the last ends.
fn one_by_one(
    order: &[usize],
    cost: &dyn Fn(usize) -> u64,
    start: &mut [u64],
    done: &mut [u64],
) -> u64 {
    let mut t = 0u64;
    for &i in order {
        start[i] = t;
        t = t.saturating_add(cost(i));
        done[i] = t;
    }
    t
}

/// When each I/O task starts to wait and completes when every wait starts
/// at once, or as places of the semaphore (or the executor's threads) free
/// up, in submission order (its lifetime starts at 0 either way), and no
/// sooner than the main thread is free to handle it.
fn io_completions(
    tasks: &[TaskTime],
    slots: Option<u32>,
    blocked_until: u64,
    run_start: &mut [u64],
    done: &mut [u64],
) {
    let io: Vec<usize> = (0..tasks.len())
        .filter(|&i| tasks[i].kind == TaskKind::Io)
        .collect();
    let latencies: Vec<u64> = io.iter().map(|&i| tasks[i].duration_us).collect();
    let ends = match slots {
        Some(slots) => list_schedule(&latencies, slots).finish_us,
        None => latencies,
    };
    for (&i, end) in io.iter().zip(ends) {
        run_start[i] = end.saturating_sub(tasks[i].duration_us);
        done[i] = end.max(blocked_until);
    }
}

/// Predicts the wait's wall time and each task's start and completion for
/// an experiment's `profile` ([`crate::experiment::Experiment::profile`]:
/// its strategy, under its Python).
pub fn predict(profile: Profile, tasks: &[TaskTime], p: &ModelParams) -> Prediction {
    let k = p.workers.max(1);
    let cpu: Vec<usize> = (0..tasks.len())
        .filter(|&i| tasks[i].kind == TaskKind::Cpu)
        .collect();
    let mut done = vec![0u64; tasks.len()];
    let mut start = vec![0u64; tasks.len()];
    // I/O completes at its latency unless the main thread is blocked then.
    let mut blocked_until = 0u64;
    let with_dispatch = |d: u64| d.saturating_add(p.dispatch_overhead_us);

    let model = match (profile.io, profile.cpu) {
        (IoPlace::InTurn, _) => {
            let all: Vec<usize> = (0..tasks.len()).collect();
            one_by_one(&all, &|i| tasks[i].duration_us, &mut start, &mut done);
            blocked_until = sum_us(
                &cpu.iter()
                    .map(|&i| tasks[i].duration_us)
                    .collect::<Vec<_>>(),
            );
            Model::Sum
        }
        (IoPlace::Blocking, _) => {
            // Every task holds the loop in turn: the waits too, blocking.
            let all: Vec<usize> = (0..tasks.len()).collect();
            blocked_until = one_by_one(&all, &|i| tasks[i].duration_us, &mut start, &mut done);
            Model::Sum
        }
        (_, CpuPlace::Loop) => {
            blocked_until = one_by_one(&cpu, &|i| tasks[i].duration_us, &mut start, &mut done);
            if cpu.is_empty() {
                Model::Max
            } else {
                Model::Sum
            }
        }
        // Blocking waits on the executor's threads, as many at once as it has.
        (IoPlace::Executor, _) if cpu.is_empty() => Model::ListScheduling,
        (_, CpuPlace::Pool | CpuPlace::DefaultExecutor) if profile.gil => {
            let d: Vec<u64> = cpu
                .iter()
                .map(|&i| with_dispatch(tasks[i].duration_us))
                .collect();
            for (j, &(s, e)) in shared_core(&d, k).iter().enumerate() {
                (start[cpu[j]], done[cpu[j]]) = (s, e);
            }
            Model::SharedCore
        }
        (_, CpuPlace::Chunks) => {
            let cost = |i: usize| {
                let yields = tasks[i].chunks.max(1).saturating_mul(p.yield_overhead_us);
                tasks[i].duration_us.saturating_add(yields)
            };
            one_by_one(&cpu, &cost, &mut start, &mut done);
            Model::CooperativeSum
        }
        (_, CpuPlace::Pool | CpuPlace::DefaultExecutor | CpuPlace::Processes) => {
            let d: Vec<u64> = cpu
                .iter()
                .map(|&i| with_dispatch(tasks[i].duration_us))
                .collect();
            let s = list_schedule(&d, k);
            // Processes take tasks once they are ready (a pool's are at once).
            for (j, &i) in cpu.iter().enumerate() {
                done[i] = s.finish_us[j].saturating_add(p.startup_us);
                start[i] = done[i].saturating_sub(d[j]);
            }
            Model::ListScheduling
        }
        (_, CpuPlace::Split) => {
            // Under the GIL the pieces take turns: each task lasts its
            // one-thread time.
            let lanes = if profile.gil { 1 } else { k };
            let cost =
                |i: usize| with_dispatch(amdahl_us(tasks[i].duration_us, lanes, p.serial_fraction));
            let t = one_by_one(&cpu, &cost, &mut start, &mut done);
            if profile.hold == LoopHold::Throughout {
                blocked_until = t;
            }
            [Model::Amdahl, Model::Sum][usize::from(profile.gil)]
        }
    };
    // Each task runs from the start the model gave it; the ones that queue
    // for a place (I/O through a semaphore or the executor, CPU work on
    // `to_thread` or processes) are submitted at once, before.
    let mut run_start = start.clone();
    if matches!(profile.io, IoPlace::Together | IoPlace::Executor) {
        io_completions(tasks, p.io_slots, blocked_until, &mut run_start, &mut done);
    }
    if matches!(profile.cpu, CpuPlace::DefaultExecutor | CpuPlace::Processes) {
        for &i in &cpu {
            start[i] = 0;
        }
    }

    let all = max_us(&done);
    let raw = match p.return_when {
        ReturnWhen::AllCompleted => all,
        ReturnWhen::FirstCompleted => done.iter().copied().min().unwrap_or(0),
        ReturnWhen::FirstException => (0..tasks.len())
            .filter(|&i| tasks[i].fails)
            .map(|i| done[i])
            .min()
            .unwrap_or(all),
    };
    let (mut wall_us, mut timed_out) = match p.timeout_us {
        Some(t) if raw > t => (t, true),
        _ => (raw, false),
    };
    // The wait runs on the event loop: while CPU work holds the loop, neither
    // a completion nor the timeout can end it. Back-to-back work holds it to
    // the end; sequential await frees it between tasks.
    let held_until = match profile.hold {
        LoopHold::Throughout => Some(blocked_until),
        LoopHold::EachTask => cpu
            .iter()
            .find(|&&i| start[i] < wall_us && done[i] > wall_us)
            .map(|&i| done[i]),
        _ => None,
    };
    if let Some(free_at) = held_until.filter(|&t| t > wall_us) {
        wall_us = free_at;
        // Completions are handled before the timeout when both are ready.
        timed_out = timed_out && raw > free_at;
    }
    Prediction {
        wall_us,
        completions_us: done,
        starts_us: start,
        run_starts_us: run_start,
        model,
        main_blocked_us: blocked_until.min(wall_us),
        timed_out,
    }
}

#[cfg(test)]
mod tests;
