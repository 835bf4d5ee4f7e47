//! The experiment a visitor edits: a workload, a strategy and their parameters.
//!
//! Every parameter has a default (see [`Experiment::default`]) and documented
//! bounds (see [`bounds`]); [`validate()`] checks them and [`normalize`] returns
//! the nearest valid experiment. [`url`] encodes an experiment in a query string.

mod applies;
pub mod bounds;
pub mod build;
mod choices;
mod field;
pub mod profile;
pub mod url;
pub mod validate;

pub use build::Build;
pub use choices::*;
pub use field::Field;
pub use profile::{pool_share, AtOnce, CpuPlace, IoPlace, KCap, LoopHold, Profile};
pub use validate::{normalize, validate, Problem, ProblemKind, ValidExperiment};

use crate::kernels::{CpuTask, Kernel};
use serde::{Deserialize, Serialize};

/// One experiment: everything needed to run it again and get the same workload.
///
/// Fields that the chosen workload or strategy does not read
/// ([`Field::applies`]) are kept as given (so that a link keeps them and
/// switching back restores them), and checked only once they apply.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Experiment {
    /// What the tasks do.
    pub workload: Workload,
    /// How they are run.
    pub strategy: Strategy,
    /// Which CPython runs them: it decides whether Python threads
    /// computing take turns (see [`Experiment::profile`]).
    pub python: Python,
    /// Number of I/O tasks (I/O and mixed workloads).
    pub io_tasks: u32,
    /// Number of CPU tasks (CPU and mixed workloads).
    pub cpu_tasks: u32,
    /// Where I/O waits come from.
    pub io_source: IoSource,
    /// Latency distribution of I/O tasks.
    pub latency: Latency,
    /// Fixed value, mean (uniform, exponential) or median (log-normal) latency, in ms.
    pub latency_ms: u32,
    /// Half-width of the uniform distribution, in ms; at most `latency_ms`.
    pub spread_ms: u32,
    /// Shape of the log-normal distribution (standard deviation of the log).
    pub sigma: f64,
    /// Largest latency drawn, in ms: caps the long tails (exponential and
    /// log-normal); a fixed or uniform latency is never cut.
    pub cap_ms: u32,
    /// Probability that an I/O task fails, in `0..=1`.
    pub failure_rate: f64,
    /// Seed of every random draw: the same seed gives the same workload everywhere.
    pub seed: u64,
    /// CPU kernel of the CPU tasks.
    pub kernel: Kernel,
    /// Work units per CPU task (see [`Kernel::max_size`]).
    pub size: u32,
    /// Fraction of each CPU task that cannot be split across workers (data-parallel strategies).
    pub serial_fraction: f64,
    /// Pool workers `k` (`max_workers`).
    pub workers: u32,
    /// Steps per chunk: of the cooperative strategy on the loop, and of a
    /// task on a pool thread (where the GIL changes hands, a stop is seen).
    pub chunk: u32,
    /// When waiting for the tasks returns.
    pub return_when: ReturnWhen,
    /// What happens to the tasks still pending when `asyncio.wait` returns.
    pub after_wait: AfterWait,
    /// GIL mode's switch interval, ms (`sys.setswitchinterval`): how long a
    /// thread waits before asking the holder to drop the lock.
    pub switch_ms: u32,
    /// Optional timeout of the wait, in ms.
    pub timeout_ms: Option<u32>,
    /// How the tasks are awaited.
    pub awaiting: Awaiting,
    /// `asyncio.Semaphore(limit)` around each I/O wait: at most this many in
    /// flight, or none.
    pub limit: Option<u32>,
    /// The neglected coroutine, if any: it runs beside I/O tasks awaited
    /// concurrently only (see [`Experiment::neglected`]).
    pub neglect: Neglect,
    /// How the process-style pool starts its processes (`start=`).
    pub process_start: ProcessStart,
}

impl Default for Experiment {
    fn default() -> Experiment {
        Experiment {
            workload: Workload::Cpu,
            strategy: Strategy::Pool,
            python: Python::FreeThreaded,
            io_tasks: 8,
            cpu_tasks: 8,
            io_source: IoSource::Timer,
            latency: Latency::Exponential,
            latency_ms: 100,
            spread_ms: 50,
            sigma: 0.5,
            cap_ms: 2_000,
            failure_rate: 0.0,
            seed: 42,
            kernel: Kernel::Primes,
            size: Kernel::Primes.default_size(),
            serial_fraction: 0.0,
            workers: 4,
            chunk: 1,
            return_when: ReturnWhen::AllCompleted,
            after_wait: AfterWait::CancelPending,
            switch_ms: 5,
            timeout_ms: None,
            awaiting: Awaiting::Wait,
            limit: None,
            neglect: Neglect::None,
            process_start: ProcessStart::Fork,
        }
    }
}

impl Experiment {
    /// The experiment's row of the strategy table: its strategy's, with
    /// [`Profile::gil`] set where Python threads compute under CPython's
    /// default build. Read this rather than the strategy's own row, which
    /// knows nothing of the interpreter.
    pub fn profile(&self) -> Profile {
        let row = self.strategy.profile();
        Profile {
            gil: row.threads && self.workload.has_cpu() && self.python == Python::Gil,
            ..row
        }
    }

    /// The CPU tasks this experiment runs, in submission order (empty for an I/O workload).
    pub fn cpu_task_list(&self) -> Vec<CpuTask> {
        if !self.workload.has_cpu() {
            return Vec::new();
        }
        let n = self.cpu_tasks.min(bounds::MAX_CPU_TASKS);
        (0..n)
            .map(|i| CpuTask::new(self.kernel, self.size, self.seed, i))
            .collect()
    }

    /// Number of I/O tasks actually run (0 unless the workload has I/O).
    pub fn io_task_count(&self) -> u32 {
        if self.workload.has_io() {
            self.io_tasks.min(bounds::MAX_IO_TASKS)
        } else {
            0
        }
    }

    /// Number of CPU tasks actually run (0 unless the workload has CPU).
    pub fn cpu_task_count(&self) -> u32 {
        if self.workload.has_cpu() {
            self.cpu_tasks.min(bounds::MAX_CPU_TASKS)
        } else {
            0
        }
    }

    /// The executor's `max_workers` on a device of `cores`: `k`, or for
    /// `asyncio.to_thread` the default executor's size.
    pub fn executor_workers(&self, cores: u32) -> u32 {
        if self.profile().k_cap == KCap::DefaultExecutor {
            default_executor_size(cores)
        } else {
            self.workers
        }
    }

    /// The threads this experiment's run is given to compute on, on a pool
    /// of `pool_threads` and a device of `cores` (see [`Profile::threads_given`]).
    pub fn threads_given(&self, pool_threads: u32, cores: u32) -> u32 {
        self.profile()
            .threads_given(self.workers, pool_threads, cores)
    }

    /// At most this many I/O waits in flight at once on a device of `cores`:
    /// the semaphore's limit, and for `asyncio.to_thread` the executor's
    /// threads too (each blocking wait holds one). `None`: unbounded.
    pub fn io_slots(&self, cores: u32) -> Option<u32> {
        let executor =
            (self.profile().io == IoPlace::Executor).then(|| self.executor_workers(cores));
        match (self.io_limit(), executor) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The semaphore's limit where it applies ([`Field::applies`]): a limit
    /// kept for waits in flight one at a time, or for no I/O, is none.
    pub fn io_limit(&self) -> Option<u32> {
        self.limit.filter(|_| Field::Limit.applies(self))
    }

    /// Upper bound of the memory this experiment may need, in bytes (see [`bounds`]).
    pub fn worst_case_memory_bytes(&self) -> u64 {
        bounds::worst_case_memory_bytes(self)
    }

    /// The experiment as a URL query string (see [`url::encode`]).
    pub fn to_query(&self) -> String {
        url::encode(self)
    }
}
