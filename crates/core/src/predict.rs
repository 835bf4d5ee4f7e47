//! Prediction model: the wall time a strategy should take, from task durations.
//!
//! The primitives are the textbook ones: sum, max, `⌈n/k⌉·t`, greedy list
//! scheduling onto `k` workers (in submission order, as `ThreadPoolExecutor`
//! does, or longest first) and Amdahl's law. [`predict`] combines them per
//! strategy into a completion time for every task, then applies
//! `return_when` and the timeout as `asyncio.wait` would.
//!
//! Assumptions, stated so the page can label the figure as a model: every task
//! is submitted at time 0; CPU work on the main thread delays the handling of
//! I/O completions until it ends; the serial fraction applies to the
//! data-parallel strategies (each task runs `s·t` on one thread, `(1−s)·t/k`
//! spread over `k`); cooperative chunks add a fixed yield overhead per chunk.

use crate::experiment::{Experiment, ReturnWhen, Strategy};
use crate::io_model::IoTask;
use crate::kernels::CpuTask;
use serde::{Deserialize, Serialize};

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
    /// Whether the pool takes the longest task first instead of submission order.
    pub longest_first: bool,
    /// When the wait returns.
    pub return_when: ReturnWhen,
    /// Timeout of the wait, in µs.
    pub timeout_us: Option<u64>,
}

impl Default for ModelParams {
    fn default() -> ModelParams {
        ModelParams {
            workers: 1,
            serial_fraction: 0.0,
            yield_overhead_us: 0,
            dispatch_overhead_us: 0,
            longest_first: false,
            return_when: ReturnWhen::AllCompleted,
            timeout_us: None,
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
            longest_first: false,
            return_when: e.return_when,
            timeout_us: e.timeout_ms.map(|t| u64::from(t) * 1000),
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
    /// List scheduling, longest task first.
    LongestFirst,
    /// Amdahl's law per task: s·t + (1−s)·t/k.
    Amdahl,
    /// Sum plus a yield overhead per chunk.
    CooperativeSum,
}

/// The model's answer for one strategy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// Predicted wall time of the wait, in µs.
    pub wall_us: u64,
    /// Predicted completion time of each task, in input order, in µs.
    pub completions_us: Vec<u64>,
    /// The formula used.
    pub model: Model,
    /// Time the main thread is blocked by CPU work, in µs (the page freezes meanwhile).
    pub main_blocked_us: u64,
    /// Whether the timeout cuts the wait short.
    pub timed_out: bool,
}

/// A schedule of tasks onto workers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// When the last task ends, in µs.
    pub makespan_us: u64,
    /// When each task ends, in input order.
    pub finish_us: Vec<u64>,
    /// Which worker runs each task, in input order.
    pub lane: Vec<u32>,
}

/// Σ durations (saturating).
pub fn sum_us(durations: &[u64]) -> u64 {
    durations.iter().fold(0u64, |a, &d| a.saturating_add(d))
}

/// The longest duration (0 for none).
pub fn max_us(durations: &[u64]) -> u64 {
    durations.iter().copied().max().unwrap_or(0)
}

/// `⌈n/k⌉·t`: n equal tasks of `t_us` on k workers.
pub fn rounds_us(n: u64, k: u32, t_us: u64) -> u64 {
    n.div_ceil(u64::from(k.max(1))).saturating_mul(t_us)
}

/// Greedy list scheduling in the given order: each task goes to the first worker free.
pub fn list_schedule(durations: &[u64], k: u32) -> Schedule {
    let order: Vec<usize> = (0..durations.len()).collect();
    schedule_in_order(durations, k, &order)
}

/// List scheduling, longest task first (LPT; within 4/3 of the optimum).
pub fn longest_first(durations: &[u64], k: u32) -> Schedule {
    let mut order: Vec<usize> = (0..durations.len()).collect();
    // Stable: equal tasks keep submission order, so the result is deterministic.
    order.sort_by(|&a, &b| durations[b].cmp(&durations[a]));
    schedule_in_order(durations, k, &order)
}

fn schedule_in_order(durations: &[u64], k: u32, order: &[usize]) -> Schedule {
    let k = k.max(1) as usize;
    let mut free_at = vec![0u64; k.min(durations.len().max(1))];
    let mut finish = vec![0u64; durations.len()];
    let mut lane = vec![0u32; durations.len()];
    for &i in order {
        // First worker with the earliest free time (ties to the lowest index).
        let (w, start) = free_at
            .iter()
            .copied()
            .enumerate()
            .min_by_key(|&(w, t)| (t, w))
            .unwrap_or((0, 0));
        let end = start.saturating_add(durations[i]);
        free_at[w] = end;
        finish[i] = end;
        lane[i] = w as u32;
    }
    Schedule {
        makespan_us: max_us(&finish),
        finish_us: finish,
        lane,
    }
}

/// Amdahl's law: time of a `t_us` job on k workers with serial fraction `s`.
pub fn amdahl_us(t_us: u64, k: u32, s: f64) -> u64 {
    let s = if s.is_finite() {
        s.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let t = t_us as f64;
    let time = s * t + (1.0 - s) * t / f64::from(k.max(1));
    // Non-negative and at most t_us; `as` saturates anyway.
    libm::round(time) as u64
}

/// Amdahl's speed-up on k workers with serial fraction `s`: 1 / (s + (1−s)/k).
pub fn amdahl_speedup(k: u32, s: f64) -> f64 {
    let s = if s.is_finite() {
        s.clamp(0.0, 1.0)
    } else {
        0.0
    };
    1.0 / (s + (1.0 - s) / f64::from(k.max(1)))
}

/// Predicts the wait's wall time and each task's completion for `strategy`.
pub fn predict(strategy: Strategy, tasks: &[TaskTime], p: &ModelParams) -> Prediction {
    let k = p.workers.max(1);
    let cpu: Vec<usize> = (0..tasks.len())
        .filter(|&i| tasks[i].kind == TaskKind::Cpu)
        .collect();
    let mut done = vec![0u64; tasks.len()];
    // I/O completes at its latency unless the main thread is blocked then.
    let mut blocked_until = 0u64;
    let with_dispatch = |d: u64| d.saturating_add(p.dispatch_overhead_us);

    let model = match strategy {
        Strategy::SequentialAwait => {
            let mut t = 0u64;
            for (i, task) in tasks.iter().enumerate() {
                t = t.saturating_add(task.duration_us);
                done[i] = t;
            }
            blocked_until = sum_us(
                &cpu.iter()
                    .map(|&i| tasks[i].duration_us)
                    .collect::<Vec<_>>(),
            );
            Model::Sum
        }
        Strategy::ConcurrentAwait | Strategy::InlineBlocking | Strategy::GilMode => {
            let on_main = strategy != Strategy::GilMode;
            let mut t = 0u64;
            for &i in &cpu {
                let d = if on_main {
                    tasks[i].duration_us
                } else {
                    with_dispatch(tasks[i].duration_us)
                };
                t = t.saturating_add(d);
                done[i] = t;
            }
            if on_main {
                blocked_until = t;
            }
            if cpu.is_empty() {
                Model::Max
            } else {
                Model::Sum
            }
        }
        Strategy::CooperativeChunks => {
            let mut t = 0u64;
            for &i in &cpu {
                let yields = tasks[i].chunks.max(1).saturating_mul(p.yield_overhead_us);
                t = t
                    .saturating_add(tasks[i].duration_us)
                    .saturating_add(yields);
                done[i] = t;
            }
            Model::CooperativeSum
        }
        Strategy::Pool | Strategy::ProcessPool => {
            let d: Vec<u64> = cpu
                .iter()
                .map(|&i| with_dispatch(tasks[i].duration_us))
                .collect();
            let s = if p.longest_first {
                longest_first(&d, k)
            } else {
                list_schedule(&d, k)
            };
            for (j, &i) in cpu.iter().enumerate() {
                done[i] = s.finish_us[j];
            }
            if p.longest_first {
                Model::LongestFirst
            } else {
                Model::ListScheduling
            }
        }
        Strategy::DataParallel | Strategy::ParallelBlocking => {
            let mut t = 0u64;
            for &i in &cpu {
                t = t.saturating_add(with_dispatch(amdahl_us(
                    tasks[i].duration_us,
                    k,
                    p.serial_fraction,
                )));
                done[i] = t;
            }
            if strategy == Strategy::ParallelBlocking {
                blocked_until = t;
            }
            Model::Amdahl
        }
    };
    if strategy != Strategy::SequentialAwait {
        for (i, task) in tasks.iter().enumerate() {
            if task.kind == TaskKind::Io {
                done[i] = if task.duration_us < blocked_until {
                    blocked_until
                } else {
                    task.duration_us
                };
            }
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
    let (wall_us, timed_out) = match p.timeout_us {
        Some(t) if raw > t => (t, true),
        _ => (raw, false),
    };
    Prediction {
        wall_us,
        completions_us: done,
        model,
        main_blocked_us: blocked_until.min(wall_us),
        timed_out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cpu(ms: &[u64]) -> Vec<TaskTime> {
        ms.iter().map(|&m| TaskTime::cpu(m * 1000, 10)).collect()
    }

    fn params(k: u32) -> ModelParams {
        ModelParams {
            workers: k,
            ..ModelParams::default()
        }
    }

    #[test]
    fn primitives_by_hand() {
        assert_eq!(sum_us(&[1, 2, 3]), 6);
        assert_eq!(max_us(&[]), 0);
        assert_eq!(rounds_us(10, 4, 50), 150);
        // 5, 4, 3, 3, 3 on 2 workers in order: w0 ends 5, w1 4; then w1 (free at 4)
        // ends 7, w0 (free at 5) ends 8, w1 (free at 7) ends 10.
        let s = list_schedule(&[5, 4, 3, 3, 3], 2);
        assert_eq!(s.finish_us, [5, 4, 7, 8, 10]);
        assert_eq!(s.lane, [0, 1, 1, 0, 1]);
        assert_eq!(s.makespan_us, 10);
        // In order 1,1,1,1,4 on 2 workers: 2,2 then 4 → 6; longest first: 4 | 1,1,1,1 → 4.
        assert_eq!(list_schedule(&[1, 1, 1, 1, 4], 2).makespan_us, 6);
        assert_eq!(longest_first(&[1, 1, 1, 1, 4], 2).makespan_us, 4);
        // The 4 takes worker 0; the four 1s then run one after another on worker 1.
        assert_eq!(
            longest_first(&[1, 1, 1, 1, 4], 2).finish_us,
            [1, 2, 3, 4, 4]
        );
        assert_eq!(list_schedule(&[], 3).makespan_us, 0);
        assert_eq!(amdahl_us(1000, 4, 0.2), 400); // 200 + 800/4
        assert!((amdahl_speedup(4, 0.2) - 2.5).abs() < 1e-12);
        assert_eq!(amdahl_us(1000, 0, 2.0), 1000);
    }

    #[test]
    fn strategies_by_hand() {
        let t = cpu(&[40, 30, 20, 10]);
        let wall = |s, p: &ModelParams| predict(s, &t, p).wall_us / 1000;
        assert_eq!(wall(Strategy::SequentialAwait, &params(4)), 100);
        assert_eq!(wall(Strategy::InlineBlocking, &params(4)), 100);
        assert_eq!(wall(Strategy::GilMode, &params(4)), 100);
        assert_eq!(wall(Strategy::Pool, &params(4)), 40);
        assert_eq!(wall(Strategy::Pool, &params(2)), 50); // 40 | 30+20 → 50, then 10 after 40 → 50
        assert_eq!(wall(Strategy::Pool, &params(1)), 100);
        let amdahl = ModelParams {
            serial_fraction: 0.5,
            ..params(2)
        };
        assert_eq!(wall(Strategy::DataParallel, &amdahl), 75);
        let coop = ModelParams {
            yield_overhead_us: 100,
            ..params(1)
        };
        // 100 ms plus 4 tasks × 10 chunks × 0.1 ms.
        assert_eq!(
            predict(Strategy::CooperativeChunks, &t, &coop).wall_us,
            104_000
        );
        assert_eq!(
            predict(Strategy::ParallelBlocking, &t, &params(4)).main_blocked_us,
            25_000
        );
        assert_eq!(
            predict(Strategy::DataParallel, &t, &params(4)).main_blocked_us,
            0
        );
    }

    #[test]
    fn io_overlaps_unless_the_loop_is_blocked() {
        let mut t = vec![
            TaskTime::io(100, false),
            TaskTime::io(300, false),
            TaskTime::io(200, true),
        ];
        let p = params(1);
        assert_eq!(predict(Strategy::SequentialAwait, &t, &p).wall_us, 600);
        let conc = predict(Strategy::ConcurrentAwait, &t, &p);
        assert_eq!((conc.wall_us, conc.model), (300, Model::Max));
        // A 250 µs CPU task on the loop holds back the first and third completions.
        t.push(TaskTime::cpu(250, 1));
        let mixed = predict(Strategy::ConcurrentAwait, &t, &p);
        assert_eq!(mixed.completions_us, [250, 300, 250, 250]);
        let pooled = predict(Strategy::Pool, &t, &p);
        assert_eq!(pooled.completions_us, [100, 300, 200, 250]);
    }

    #[test]
    fn an_experiment_becomes_model_input() {
        use crate::experiment::Workload;
        use crate::io_model::io_tasks;
        let e = Experiment {
            workload: Workload::Mixed,
            io_tasks: 3,
            cpu_tasks: 2,
            size: 10,
            chunk: 4,
            timeout_ms: Some(2),
            ..Experiment::default()
        };
        let t = task_times(&e, &io_tasks(&e), |task| u64::from(task.size) * 100);
        assert_eq!(t.len(), 5);
        assert_eq!(t[3], TaskTime::cpu(1_000, 3));
        let p = ModelParams::of(&e, 5, 7);
        assert_eq!(
            (p.workers, p.timeout_us, p.dispatch_overhead_us),
            (4, Some(2_000), 7)
        );
    }

    #[test]
    fn return_when_and_timeout() {
        let t = vec![
            TaskTime::io(100, false),
            TaskTime::io(300, false),
            TaskTime::io(200, true),
        ];
        let with = |rw, timeout_us| ModelParams {
            return_when: rw,
            timeout_us,
            ..params(1)
        };
        let wall = |p| predict(Strategy::ConcurrentAwait, &t, &p);
        assert_eq!(wall(with(ReturnWhen::FirstCompleted, None)).wall_us, 100);
        assert_eq!(wall(with(ReturnWhen::FirstException, None)).wall_us, 200);
        let no_fail = [TaskTime::io(100, false)];
        assert_eq!(
            predict(
                Strategy::ConcurrentAwait,
                &no_fail,
                &with(ReturnWhen::FirstException, None)
            )
            .wall_us,
            100
        );
        let cut = wall(with(ReturnWhen::AllCompleted, Some(250)));
        assert_eq!((cut.wall_us, cut.timed_out), (250, true));
        assert_eq!(predict(Strategy::Pool, &[], &params(4)).wall_us, 0);
    }
}
