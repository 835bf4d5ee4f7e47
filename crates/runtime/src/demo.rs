//! The two proofs of the foundation page: timers that overlap on the event
//! loop, and CPU tasks that run at the same time on the pool.

use futures_util::future::join_all;
use gloo_timers::future::TimeoutFuture;
use overlap_core::kernels::primes::count_primes;

use crate::clock::page_now_ms;
use crate::pool::{run_on_pool, PoolError};

/// How long a single demo CPU task may run before the watchdog gives up on it.
const CPU_TASK_WATCHDOG_MS: u32 = 60_000;

/// The outcome of awaiting timers concurrently on the event loop.
#[derive(Clone, Debug, PartialEq)]
pub struct IoDemoReport {
    /// How many timers were awaited.
    pub tasks: usize,
    /// What the waits would cost one after another.
    pub sum_of_waits_ms: f64,
    /// What awaiting them together cost.
    pub wall_ms: f64,
}

/// The wait of demo I/O task `i`: spread over 50–150 ms so that overlap is visible.
pub fn io_wait_ms(i: usize) -> u32 {
    50 + u32::try_from((i * 37) % 101).unwrap_or(0)
}

/// Awaits `tasks` timers at once on the main thread's event loop.
pub async fn io_tasks_concurrently(tasks: usize) -> IoDemoReport {
    let waits: Vec<u32> = (0..tasks).map(io_wait_ms).collect();
    let started = page_now_ms();
    join_all(waits.iter().map(|&ms| TimeoutFuture::new(ms))).await;
    IoDemoReport {
        tasks,
        sum_of_waits_ms: waits.iter().map(|&ms| f64::from(ms)).sum(),
        wall_ms: page_now_ms() - started,
    }
}

/// Where and when one CPU task ran.
#[derive(Clone, Debug, PartialEq)]
pub struct CpuTaskRecord {
    /// The task's number, from 0.
    pub task: usize,
    /// The pool worker that ran it, from 0.
    pub worker: usize,
    /// Start on the page clock (ms).
    pub start_ms: f64,
    /// End on the page clock (ms).
    pub end_ms: f64,
    /// The task's result: primes counted, a checksum of its work.
    pub primes: u64,
}

/// The outcome of running CPU tasks on the pool.
#[derive(Clone, Debug, PartialEq)]
pub struct CpuDemoReport {
    /// Wall time seen by the main thread, from hand-off to last result.
    pub wall_ms: f64,
    /// One record per task, in task order.
    pub tasks: Vec<CpuTaskRecord>,
}

impl CpuDemoReport {
    /// Distinct workers that ran at least one task.
    pub fn workers_used(&self) -> usize {
        let mut workers: Vec<usize> = self.tasks.iter().map(|t| t.worker).collect();
        workers.sort_unstable();
        workers.dedup();
        workers.len()
    }

    /// Sum of the tasks' own durations (what one thread would need).
    pub fn busy_ms(&self) -> f64 {
        self.tasks.iter().map(|t| t.end_ms - t.start_ms).sum()
    }
}

/// Runs `tasks` prime-counting tasks below `limit` each on the pool, all handed over at once.
pub async fn cpu_tasks_on_pool(tasks: usize, limit: u64) -> Result<CpuDemoReport, PoolError> {
    let started = page_now_ms();
    let runs = (0..tasks).map(|task| {
        run_on_pool(
            move || {
                let start_ms = page_now_ms();
                let primes = count_primes(0, limit);
                CpuTaskRecord {
                    task,
                    worker: rayon::current_thread_index().unwrap_or(0),
                    start_ms,
                    end_ms: page_now_ms(),
                    primes,
                }
            },
            CPU_TASK_WATCHDOG_MS,
        )
    });
    let tasks = join_all(runs)
        .await
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    Ok(CpuDemoReport {
        wall_ms: page_now_ms() - started,
        tasks,
    })
}
