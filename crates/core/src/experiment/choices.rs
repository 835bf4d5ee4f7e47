//! The choices an experiment is made of (workload, strategy, I/O source,
//! latency distribution, `return_when`, what follows the wait, how it is
//! awaited, the neglected coroutine, how processes start), each with the short stable token its
//! links and JSON use.

use serde::{Deserialize, Serialize};

use super::validate;
use crate::kernels::Kernel;

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
    /// Workers with their own memory fed by messages, like `ProcessPoolExecutor`.
    ProcessPool,
    /// `asyncio.to_thread` for every task: blocking calls (the I/O waits) and
    /// CPU work, on the default executor of [`default_executor_size`]
    /// threads.
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

    /// Whether its CPU work runs on Python threads, so that which Python
    /// runs it ([`Python`]) changes what the threads do.
    pub fn runs_python_threads(self) -> bool {
        self.profile().threads
    }
}

/// Which CPython runs the experiment: it changes what Python threads do
/// with CPU work, and nothing else (processes and asyncio alone behave the
/// same under both).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Python {
    /// CPython's default build: one global lock, so threads computing take
    /// turns every switch interval (`sys.setswitchinterval`), and the event
    /// loop's callbacks wait for the lock too.
    Gil,
    /// The free-threaded build (PEP 703; `python3.14t`, supported since
    /// 3.14 by PEP 779): threads compute at once on as many cores.
    FreeThreaded,
}
tokens!(Python { Gil => "gil", FreeThreaded => "ft" });

impl Python {
    /// The Python a link that names none meant before `py=` existed:
    /// `asyncio.to_thread` took turns under the GIL, every other strategy's
    /// threads computed at once.
    pub fn unnamed_for(strategy: Strategy) -> Python {
        if strategy == Strategy::ToThread {
            Python::Gil
        } else {
            Python::FreeThreaded
        }
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

/// How a process-style pool starts its processes: `multiprocessing`'s start
/// method, given to `ProcessPoolExecutor` as `mp_context`. What each is in
/// the page (real work, never a sleep) is in the runtime's `process` module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ProcessStart {
    /// A copy of the parent: each process starts from the page's program,
    /// already compiled. The default, because it is what the pool did before
    /// the start method could be chosen (links without `start=` keep it).
    #[default]
    Fork,
    /// A server started once as `spawn` starts a process, then each process
    /// made from the server's copy (CPython's default on Linux since 3.14).
    Forkserver,
    /// A fresh interpreter per process that loads and imports the program
    /// itself (CPython's default on macOS and Windows).
    Spawn,
}
tokens!(ProcessStart { Fork => "fork", Forkserver => "forkserver", Spawn => "spawn" });

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
