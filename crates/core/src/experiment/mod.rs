//! The experiment a visitor edits: a workload, a strategy and their parameters.
//!
//! Every parameter has a default (see [`Experiment::default`]) and documented
//! bounds (see [`bounds`]); [`validate()`] checks them and [`normalize`] returns
//! the nearest valid experiment. [`url`] encodes an experiment in a query string.

pub mod bounds;
pub mod build;
mod field;
pub mod profile;
pub mod url;
pub mod validate;

pub use build::Build;
pub use field::Field;
pub use profile::{pool_share, AtOnce, CpuPlace, IoPlace, KCap, LoopHold, Profile};
pub use validate::{normalize, validate, Problem, ProblemKind, ValidExperiment};

use crate::kernels::{CpuTask, Kernel};
use serde::{Deserialize, Serialize};

/// An enum whose variants have short stable names, used in URLs and JSON.
pub trait Token: Sized + Copy + 'static {
    /// Every variant, in display order.
    const ALL: &'static [Self];
    /// The variant's short name.
    fn token(self) -> &'static str;
    /// The variant named `token`, if any.
    fn from_token(token: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.token() == token)
    }
}

macro_rules! tokens {
    ($ty:ty { $($variant:ident => $token:literal),+ $(,)? }) => {
        impl Token for $ty {
            const ALL: &'static [Self] = &[$(<$ty>::$variant),+];
            fn token(self) -> &'static str {
                match self { $(<$ty>::$variant => $token),+ }
            }
        }
    };
}

/// What the tasks of an experiment do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Workload {
    /// Only I/O tasks: waits on a timer or a fetch.
    Io,
    /// Only CPU tasks: a kernel run.
    Cpu,
    /// Some I/O tasks and some CPU tasks at once.
    Mixed,
}
tokens!(Workload { Io => "io", Cpu => "cpu", Mixed => "mixed" });

impl Workload {
    /// Whether this workload has I/O tasks.
    pub fn has_io(self) -> bool {
        matches!(self, Workload::Io | Workload::Mixed)
    }
    /// Whether this workload has CPU tasks.
    pub fn has_cpu(self) -> bool {
        matches!(self, Workload::Cpu | Workload::Mixed)
    }
}

/// How the tasks are run: the asyncio / concurrent.futures pattern being shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// `for t in tasks: await t`: one after another.
    SequentialAwait,
    /// `asyncio.gather` / `join_all`: I/O overlaps, CPU still runs on the loop.
    ConcurrentAwait,
    /// CPU work called directly on the main thread: the loop stalls.
    InlineBlocking,
    /// The classic mistake: a blocking call (`time.sleep`, a blocking
    /// client) inside each I/O coroutine. Nothing is awaited, so each call
    /// holds the event loop for its whole latency, one after another; CPU
    /// tasks run inline.
    BlockingIo,
    /// CPU work on the main thread in chunks with a yield between them.
    CooperativeChunks,
    /// `loop.run_in_executor` on a pool of `k` workers.
    Pool,
    /// Each CPU task split over the pool with `par_iter`, awaited without blocking.
    DataParallel,
    /// `par_iter` called from the main thread: fast, but the page freezes.
    ParallelBlocking,
    /// Pool workers that must hold one global lock: no speed-up for CPU work.
    GilMode,
    /// Workers with their own memory fed by messages, like `ProcessPoolExecutor`.
    ProcessPool,
    /// `asyncio.to_thread` for every task: blocking calls (the I/O waits) and
    /// CPU work under the GIL, on the default executor of
    /// [`default_executor_size`] threads.
    ToThread,
}
tokens!(Strategy {
    SequentialAwait => "seq",
    ConcurrentAwait => "conc",
    InlineBlocking => "inline",
    BlockingIo => "block",
    CooperativeChunks => "coop",
    Pool => "pool",
    DataParallel => "par",
    ParallelBlocking => "parblock",
    GilMode => "gil",
    ProcessPool => "proc",
    ToThread => "thread",
});

/// `min(32, cores + 4)`: the threads of asyncio's default executor
/// (`ThreadPoolExecutor()` without `max_workers`), which `asyncio.to_thread` uses.
pub fn default_executor_size(cores: u32) -> u32 {
    cores.max(1).saturating_add(4).min(32)
}

impl Strategy {
    /// Why this strategy cannot run `workload`, if it cannot: a strategy
    /// that only decides where CPU tasks run has nothing to place in an
    /// I/O workload, and blocking I/O calls need I/O tasks.
    pub fn unfit_for(self, workload: Workload) -> Option<validate::ProblemKind> {
        let p = self.profile();
        if p.needs_cpu && !workload.has_cpu() {
            Some(validate::ProblemKind::NeedsCpuTasks)
        } else if p.needs_io && !workload.has_io() {
            Some(validate::ProblemKind::NeedsIoTasks)
        } else {
            None
        }
    }

    /// The strategy a workload gets instead of an unfit one.
    pub fn fit_for(self, workload: Workload) -> Strategy {
        match self.unfit_for(workload) {
            None => self,
            Some(_) if workload == Workload::Io => Strategy::ConcurrentAwait,
            Some(_) => Strategy::InlineBlocking,
        }
    }

    /// Whether the strategy uses the worker pool (and so the `k` parameter).
    pub fn uses_workers(self) -> bool {
        self.profile().uses_workers()
    }

    /// Whether CPU work needs the page's thread pool (the process-style pool
    /// starts workers of its own).
    pub fn needs_thread_pool(self) -> bool {
        self.profile().needs_thread_pool()
    }

    /// Whether CPU work holds the (simulated) GIL.
    pub fn holds_gil(self) -> bool {
        self.profile().gil
    }
}

/// Where an I/O task's wait comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IoSource {
    /// A timer of the drawn latency.
    Timer,
    /// A real `fetch` of a local resource, answered no sooner than the drawn
    /// latency (the wait lasts the longer of the two, as from a slow server).
    Fetch,
}
tokens!(IoSource { Timer => "timer", Fetch => "fetch" });

/// The distribution I/O latencies are drawn from (see [`crate::io_model`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Latency {
    /// Always `latency_ms`.
    Fixed,
    /// Uniform on `latency_ms ± spread_ms`.
    Uniform,
    /// Exponential with mean `latency_ms` (a long tail), capped at `cap_ms`.
    Exponential,
    /// Log-normal with median `latency_ms` and shape `sigma`, capped at `cap_ms`.
    LogNormal,
}
tokens!(Latency { Fixed => "fixed", Uniform => "uniform", Exponential => "exp", LogNormal => "lognormal" });

/// When `asyncio.wait` returns (the `return_when` argument).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnWhen {
    /// As soon as any task finishes.
    FirstCompleted,
    /// As soon as any task fails, or when all are done.
    FirstException,
    /// When every task is done.
    AllCompleted,
}
tokens!(ReturnWhen { FirstCompleted => "first", FirstException => "exception", AllCompleted => "all" });

/// What happens to the tasks `asyncio.wait` left pending (it cancels
/// nothing itself).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AfterWait {
    /// Cancel them, as the usual Python example does: tasks not started
    /// never start and waits stop, but an executor job already running runs
    /// to its end (a running thread cannot be stopped), then counts as cancelled.
    CancelPending,
    /// Let every pending task finish.
    LetFinish,
    /// Overlap's own, which Python cannot do: cancel them and also stop the
    /// pool tasks already running, at their next chunk.
    StopRunning,
}
tokens!(AfterWait { CancelPending => "cancel", LetFinish => "finish", StopRunning => "stop" });

/// How `main` awaits the tasks: the asyncio construct being shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Awaiting {
    /// `asyncio.wait(tasks, return_when=…, timeout=…)`: returns `(done,
    /// pending)` and cancels nothing, even at its timeout.
    Wait,
    /// `async with asyncio.timeout(…): await asyncio.gather(…)`: the deadline
    /// cancels every task still running (as `wait_for` does).
    Gather,
    /// `async with asyncio.TaskGroup()`: structured concurrency, the first
    /// failure cancels the siblings (and a timeout, as `asyncio.timeout`).
    TaskGroup,
    /// `for f in asyncio.as_completed(tasks, timeout=…)`: each result handled
    /// as it arrives, in completion order; the timeout cancels nothing.
    AsCompleted,
}
tokens!(Awaiting { Wait => "wait", Gather => "gather", TaskGroup => "group", AsCompleted => "ascompleted" });

/// A classic asyncio mistake added to an I/O experiment: one more
/// coroutine, beside the tasks awaited, that the program neglects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Neglect {
    /// Nothing neglected.
    #[default]
    None,
    /// A coroutine called without `await`: it is created, never runs, and
    /// Python warns "coroutine … was never awaited" when it is collected.
    Unawaited,
    /// A task started with `create_task` and forgotten: it fails, and its
    /// exception is only logged ("Task exception was never retrieved").
    Unretrieved,
}
tokens!(Neglect { None => "none", Unawaited => "unawaited", Unretrieved => "unretrieved" });

impl Awaiting {
    /// When the awaiting returns, as `asyncio.wait`'s `return_when` would say it.
    pub fn return_when(self, asked: ReturnWhen) -> ReturnWhen {
        match self {
            Awaiting::Wait => asked,
            Awaiting::TaskGroup => ReturnWhen::FirstException,
            Awaiting::Gather | Awaiting::AsCompleted => ReturnWhen::AllCompleted,
        }
    }

    /// What becomes of the tasks still pending when it returned: the
    /// experiment's choice, unless the construct cancels them itself.
    pub fn after(self, asked: AfterWait) -> AfterWait {
        match self {
            Awaiting::Wait | Awaiting::AsCompleted => asked,
            Awaiting::Gather | Awaiting::TaskGroup => AfterWait::CancelPending,
        }
    }
}

impl Token for Kernel {
    const ALL: &'static [Self] = &Kernel::ALL;
    fn token(self) -> &'static str {
        Kernel::token(self)
    }
}

/// One experiment: everything needed to run it again and get the same workload.
///
/// Fields that the chosen workload or strategy does not use are kept (so that
/// switching back restores them) and still validated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Experiment {
    /// What the tasks do.
    pub workload: Workload,
    /// How they are run.
    pub strategy: Strategy,
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
    /// Largest latency drawn, in ms (caps the long tails).
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
    /// Steps per chunk in the cooperative strategy.
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
    /// The neglected coroutine, if any (I/O tasks awaited concurrently only).
    pub neglect: Neglect,
}

impl Default for Experiment {
    fn default() -> Experiment {
        Experiment {
            workload: Workload::Cpu,
            strategy: Strategy::Pool,
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
        }
    }
}

impl Experiment {
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
        if self.strategy.profile().k_cap == KCap::DefaultExecutor {
            default_executor_size(cores)
        } else {
            self.workers
        }
    }

    /// At most this many I/O waits in flight at once on a device of `cores`:
    /// the semaphore's limit, and for `asyncio.to_thread` the executor's
    /// threads too (each blocking wait holds one). `None`: unbounded.
    pub fn io_slots(&self, cores: u32) -> Option<u32> {
        let executor =
            (self.strategy.profile().io == IoPlace::Executor).then(|| self.executor_workers(cores));
        match (self.limit, executor) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
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
