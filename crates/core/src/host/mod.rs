//! What running an experiment needs from the platform, as a trait: a clock,
//! timers, a yield to the event loop, work on the calling thread, a hand-off
//! to the worker pool, and one real I/O request.
//!
//! The browser runtime implements it over the page clock, its one JS timer,
//! a `MessageChannel` yield, rayon on Web Workers and `fetch`;
//! [`fake::FakeHost`] implements it in virtual time with a cost model, so
//! that everything built on it (placement by strategy, `asyncio.wait`,
//! timeouts, cancellation, the figures of a run) is tested natively, fast and
//! deterministically. Ruffle's backend traits are the model: the logic is
//! written once against the trait, and each platform is a thin adapter.
//!
//! Work on the calling thread is [`Host::compute_here`] (chunks) and
//! [`Host::split_here`] (a data-parallel task); the pool hand-off is
//! [`Host::hand_off`] of a [`PoolJob`] (chunked, under the GIL, or split);
//! processes start, run and stop through `start_processes`, `in_process` and
//! `stop_processes`. The fake host runs a future to its end with
//! [`fake::FakeHost::block_on`].

pub mod fake;

use futures_util::future::LocalBoxFuture;

use crate::cancel::CancelFlag;
use crate::experiment::{Experiment, ProcessStart};
use crate::kernels::CpuTask;
use crate::trace::Lane;

/// The platform a run executes on.
pub trait Host {
    /// Now, in ms.
    fn now_ms(&self) -> f64;
    /// A future that completes `ms` milliseconds from now.
    fn sleep(&self, ms: u32) -> LocalBoxFuture<'static, ()>;
    /// Lets the event loop run other tasks (timers, input, painting), then resumes.
    fn yield_now(&self) -> LocalBoxFuture<'static, ()>;
    /// Runs `work`, `steps` kernel steps of CPU, on the calling thread (the
    /// event loop, which is blocked meanwhile).
    fn compute_here(&self, steps: u64, work: &mut dyn FnMut());
    /// Holds the calling thread (the event loop) for `ms` without giving it
    /// back, as a blocking call (`time.sleep`) inside a coroutine does.
    fn block_here(&self, ms: f64);
    /// Runs a task split in `pieces` lanes from the calling thread, which
    /// computes the first `serial_steps` itself and then blocks until the
    /// pool's lanes are done (rayon called from the event loop); with `gil`,
    /// every stretch of work holds the run's GIL, so the lanes take turns.
    fn split_here(
        &self,
        task: CpuTask,
        serial_steps: u64,
        pieces: u32,
        gil: Option<Gil>,
    ) -> WorkerRun;
    /// Hands `job` to the worker pool; resolves when it returned or was lost.
    fn hand_off(&self, job: PoolJob) -> LocalBoxFuture<'static, Result<WorkerRun, HandOffError>>;
    /// One real I/O request; resolves with the bytes received, or why it failed.
    fn fetch(&self) -> LocalBoxFuture<'static, Result<u64, String>>;
    /// Starts `k` processes of a process-style pool (workers with memory of
    /// their own) by `method`; resolves with each one's start-up (from when
    /// the pool was asked for to when the process was ready), or why they
    /// could not start.
    fn start_processes(
        &self,
        k: u32,
        method: ProcessStart,
    ) -> LocalBoxFuture<'static, Result<Vec<Stretch>, String>>;
    /// Sends `task` to process `process` and waits for its result; fails when
    /// the process broke or was stopped.
    fn in_process(
        &self,
        process: usize,
        task: CpuTask,
    ) -> LocalBoxFuture<'static, Result<ProcessTrip, String>>;
    /// Stops every process at once (`terminate()`): what they owed fails.
    fn stop_processes(&self);
}

/// One task's trip through a process, on the host's clock (ms).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ProcessTrip {
    /// The task's checksum.
    pub checksum: u64,
    /// When the task was posted.
    pub sent_ms: f64,
    /// When the process had it (the copy in).
    pub received_ms: f64,
    /// When it finished computing.
    pub end_ms: f64,
    /// When the result was back (the copy out).
    pub back_ms: f64,
}

/// A CPU task for the pool, and how to run it there.
#[derive(Clone, Debug)]
pub struct PoolJob {
    /// The task.
    pub task: CpuTask,
    /// Chunked (one worker, optionally under the GIL) or split over several.
    pub work: PoolWork,
    /// Read before the job starts: once set, it does not start (no checksum).
    pub cancel: CancelFlag,
    /// Read between chunks (or blocks): once set, a running job stops with
    /// no checksum. Python cannot stop a running thread; Overlap can.
    pub halt: CancelFlag,
}

/// How a [`PoolJob`] runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PoolWork {
    /// On one worker, `chunk` steps at a time; with `gil`, as a thread of
    /// CPython: it computes only while it holds the run's one global lock,
    /// and drops it at a chunk boundary when a thread that waited a whole
    /// switch interval asks for it.
    Chunked {
        /// Steps per chunk.
        chunk: u32,
        /// The run's GIL, when the work runs under it.
        gil: Option<Gil>,
    },
    /// The first `serial_steps` on the worker that took the job, the rest
    /// split over `pieces` pool threads; with `gil`, each thread computes
    /// only while it holds the run's GIL, so the lanes take turns.
    Split {
        /// Steps that cannot be split.
        serial_steps: u64,
        /// Lanes of the parallel part.
        pieces: u32,
        /// The run's GIL, when the work runs under it.
        gil: Option<Gil>,
    },
}

/// CPython's global lock as a run asks for it: one holder at a time; a
/// thread that waited a whole switch interval asks the holder to drop it at
/// its next chunk boundary (forced switching), so equal threads take turns;
/// and while it is held, the event loop's callbacks (timer wake-ups) wait
/// for it too. The host owns the lock itself; this is what the run says of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gil {
    /// The switch interval (`sys.setswitchinterval`), µs, at least 1 ms.
    pub switch_us: u32,
}

impl Gil {
    /// The GIL a run of `e` holds, if its strategy holds one (its profile
    /// says so), with the experiment's switch interval.
    pub fn of(e: &Experiment) -> Option<Gil> {
        e.profile().gil.then(|| Gil {
            switch_us: e.switch_ms.max(1).saturating_mul(1000),
        })
    }

    /// The switch interval, ms.
    pub fn switch_ms(self) -> f64 {
        f64::from(self.switch_us) / 1000.0
    }
}

/// Why a hand-off brought no result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HandOffError {
    /// There is no pool (not started, or failed).
    NotReady,
    /// The job's worker died, or stopped making progress and is presumed dead.
    Lost {
        /// The worker, when known.
        worker: Option<usize>,
        /// What the browser said killed it (e.g. `RuntimeError: unreachable`),
        /// when the death was seen rather than presumed.
        cause: Option<String>,
    },
}

/// A stretch of CPU work of one task on one thread, on the host's clock.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stretch {
    /// The thread that computed.
    pub lane: Lane,
    /// When it started (ms).
    pub start_ms: f64,
    /// When it ended (ms).
    pub end_ms: f64,
}

impl Stretch {
    /// A stretch on pool worker `worker`.
    pub fn on_worker(worker: usize, start_ms: f64, end_ms: f64) -> Stretch {
        Stretch {
            lane: Lane::Worker(u16::try_from(worker).unwrap_or(u16::MAX)),
            start_ms,
            end_ms,
        }
    }

    /// How long it lasted, ms.
    pub fn duration_ms(&self) -> f64 {
        self.end_ms - self.start_ms
    }
}

/// What a CPU task did on the pool (or, for [`Host::split_here`], from the
/// calling thread).
#[derive(Clone, Debug, PartialEq)]
pub struct WorkerRun {
    /// The worker's index in the pool (the one that took the job).
    pub worker: usize,
    /// Stretches of CPU work: one, one per GIL hold, or one per thread that
    /// helped a split task; by start.
    pub segments: Vec<Stretch>,
    /// The checksum, or `None` when the task stopped because it was cancelled.
    pub checksum: Option<u64>,
}
