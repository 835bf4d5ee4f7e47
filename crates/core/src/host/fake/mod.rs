//! A host in virtual time: sleeps complete when the clock passes their
//! deadline, and the clock moves only when nothing else can run
//! ([`FakeHost::block_on`]) or when work on the calling thread charges it.
//!
//! CPU work really runs (the checksums are real), but its duration comes
//! from a cost model — `ms_per_step` for every kernel step — so a test can
//! slow the tasks down without touching anything else. The pool is a set of
//! `pool_threads` virtual workers taken in turn; work under the GIL holds one
//! virtual lock modelled on CPython's (`gil`: turns per switch interval, and
//! timer wake-ups that wait for the loop's turn while a thread holds it).
//! Split tasks are modelled, not threaded: the head on one lane, the rest
//! evenly over `pieces` lanes (under the GIL, lanes that take the lock in
//! turns).

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use futures_executor::LocalPool;
use futures_util::future::LocalBoxFuture;
use futures_util::task::LocalSpawnExt;
use futures_util::FutureExt;

mod gil;
mod processes;
mod split;

use gil::{push_stretch, FakeGil};

use split::{split_stretches, taking_turns};

pub use processes::{PROCESS_STARTUP_MS, SPAWN_STARTUP_MS, TRANSFER_MS};

use super::{Gil, HandOffError, Host, PoolJob, PoolWork, ProcessTrip, Stretch, WorkerRun};
use crate::kernels::{CpuTask, Progress};
use crate::slots::{acquire, release, Slots};
use crate::trace::Lane;

/// What the fake pretends one request returns, in bytes.
pub const FAKE_FETCH_BYTES: u64 = 1024;

#[derive(Default)]
struct Clock {
    now_ms: f64,
    next_id: u64,
    /// (deadline, sleep id, waker) of every live sleep not yet woken.
    sleepers: Vec<(f64, u64, Waker)>,
}

struct State {
    clock: RefCell<Clock>,
    ms_per_step: f64,
    fetch_ms: u32,
    pool_threads: usize,
    pool: Option<Rc<RefCell<Slots>>>,
    /// The run's GIL, taken by work that runs under it.
    gil: Rc<RefCell<FakeGil>>,
    /// Whether the processes were stopped (`stop_processes`).
    processes_stopped: std::cell::Cell<bool>,
}

/// A virtual clock, virtual workers and a cost per kernel step.
#[derive(Clone)]
pub struct FakeHost(Rc<State>);

impl Default for FakeHost {
    fn default() -> Self {
        FakeHost::new()
    }
}

impl FakeHost {
    /// A host at time 0 with a pool of 2 workers and 0.01 ms per kernel step.
    pub fn new() -> FakeHost {
        FakeHost::build(Some(2), 0.01, 20)
    }

    fn build(pool_threads: Option<usize>, ms_per_step: f64, fetch_ms: u32) -> FakeHost {
        let threads = pool_threads.unwrap_or(0);
        FakeHost(Rc::new(State {
            clock: RefCell::new(Clock::default()),
            ms_per_step: if ms_per_step.is_finite() {
                ms_per_step.max(0.0)
            } else {
                0.0
            },
            fetch_ms,
            pool_threads: threads,
            pool: pool_threads.map(|n| Slots::new(n.max(1))),
            gil: Rc::default(),
            processes_stopped: std::cell::Cell::new(false),
        }))
    }

    /// The same host with `threads` pool workers (must be called before use).
    pub fn with_pool_threads(self, threads: usize) -> FakeHost {
        FakeHost::build(Some(threads.max(1)), self.0.ms_per_step, self.0.fetch_ms)
    }

    /// The same host with no pool: hand-offs fail with [`HandOffError::NotReady`].
    pub fn without_pool(self) -> FakeHost {
        FakeHost::build(None, self.0.ms_per_step, self.0.fetch_ms)
    }

    /// The same host where each kernel step costs `ms` (slower or faster tasks).
    pub fn with_ms_per_step(self, ms: f64) -> FakeHost {
        let threads = self.0.pool.as_ref().map(|_| self.0.pool_threads);
        FakeHost::build(threads, ms, self.0.fetch_ms)
    }

    /// Virtual workers in the pool (0 without a pool).
    pub fn pool_threads(&self) -> usize {
        self.0.pool_threads
    }

    /// What `steps` kernel steps cost, in virtual ms.
    pub fn cost_ms(&self, steps: u64) -> f64 {
        steps as f64 * self.0.ms_per_step
    }

    /// The earliest deadline of a pending sleep, if any.
    pub fn next_deadline_ms(&self) -> Option<f64> {
        self.0
            .clock
            .borrow()
            .sleepers
            .iter()
            .map(|s| s.0)
            .fold(None, |m: Option<f64>, d| Some(m.map_or(d, |m| m.min(d))))
    }

    /// Moves the clock to `ms` (never back) and wakes the sleeps due by then.
    pub fn advance_to(&self, ms: f64) {
        let due: Vec<Waker> = {
            let mut clock = self.0.clock.borrow_mut();
            clock.now_ms = clock.now_ms.max(ms);
            let now = clock.now_ms;
            let (due, pending): (Vec<_>, Vec<_>) =
                clock.sleepers.drain(..).partition(|s| s.0 <= now);
            clock.sleepers = pending;
            due.into_iter().map(|s| s.2).collect()
        };
        due.into_iter().for_each(Waker::wake);
    }

    /// Runs `future` to its end: whenever nothing can progress, the clock
    /// jumps to the next sleep's deadline.
    ///
    /// # Panics
    /// When the future waits with no sleep left to wake it (a deadlock in the
    /// code under test).
    pub fn block_on<T: 'static>(&self, future: impl Future<Output = T> + 'static) -> T {
        let out: Rc<RefCell<Option<T>>> = Rc::new(RefCell::new(None));
        let mut pool = LocalPool::new();
        let slot = out.clone();
        pool.spawner()
            .spawn_local(future.map(move |v| *slot.borrow_mut() = Some(v)))
            .expect("a local pool accepts work until dropped");
        loop {
            pool.run_until_stalled();
            if let Some(v) = out.borrow_mut().take() {
                return v;
            }
            let next = self
                .next_deadline_ms()
                .expect("the future waits with no timer left to wake it");
            self.advance_to(next);
        }
    }

    fn sleep_until(&self, deadline_ms: f64) -> Sleep {
        let mut clock = self.0.clock.borrow_mut();
        clock.next_id += 1;
        Sleep {
            host: self.0.clone(),
            id: clock.next_id,
            deadline_ms,
        }
    }

    fn sleep_for(&self, ms: f64) -> Sleep {
        self.sleep_until(self.now_ms() + ms)
    }

    async fn run_chunked(
        &self,
        job: &PoolJob,
        worker: usize,
        chunk: u32,
        gil: Option<Gil>,
    ) -> WorkerRun {
        let mut run = job.task.chunked();
        let mut segments: Vec<Stretch> = Vec::new();
        if job.cancel.is_cancelled() {
            return WorkerRun {
                worker,
                segments,
                checksum: None,
            };
        }
        // The stretch being worked: the whole task, or one hold of the GIL.
        let mut hold = match gil {
            Some(gil) => Some(self.take_gil(gil.switch_ms()).await),
            None => None,
        };
        let mut open_start = self.now_ms();
        let checksum = loop {
            let before = run.done_steps();
            let progress = run.step(chunk.max(1));
            self.sleep_for(self.cost_ms(run.done_steps() - before))
                .await;
            match progress {
                Progress::Done(checksum) => break Some(checksum),
                Progress::Running { .. } if job.halt.is_cancelled() => break None,
                Progress::Running { .. } => {}
            }
            if let Some(held) = hold.take_if(|held| self.gil_asked(held)) {
                push_stretch(&mut segments, worker, open_start, self.now_ms());
                hold = Some(self.switch_gil(held).await);
                open_start = self.now_ms();
            }
        };
        push_stretch(&mut segments, worker, open_start, self.now_ms());
        drop(hold);
        WorkerRun {
            worker,
            segments,
            checksum,
        }
    }
}

struct Sleep {
    host: Rc<State>,
    id: u64,
    deadline_ms: f64,
}

impl Future for Sleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut clock = self.host.clock.borrow_mut();
        clock.sleepers.retain(|s| s.1 != self.id);
        if clock.now_ms >= self.deadline_ms {
            return Poll::Ready(());
        }
        clock
            .sleepers
            .push((self.deadline_ms, self.id, cx.waker().clone()));
        Poll::Pending
    }
}

impl Drop for Sleep {
    // A dropped sleep (a timeout that lost its race) must not hold the clock
    // to its deadline.
    fn drop(&mut self) {
        let id = self.id;
        self.host.clock.borrow_mut().sleepers.retain(|s| s.1 != id);
    }
}

/// Pending once, then ready: other tasks of the executor run in between.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

impl Host for FakeHost {
    fn now_ms(&self) -> f64 {
        self.0.clock.borrow().now_ms
    }

    fn sleep(&self, ms: u32) -> LocalBoxFuture<'static, ()> {
        // A timer's wake-up is a callback of the loop: while a thread holds
        // the GIL, it waits for the loop's turn.
        let (host, timer) = (self.clone(), self.sleep_for(f64::from(ms)));
        Box::pin(async move {
            timer.await;
            host.loop_turn().await;
        })
    }

    fn yield_now(&self) -> LocalBoxFuture<'static, ()> {
        Box::pin(YieldOnce(false))
    }

    fn compute_here(&self, steps: u64, work: &mut dyn FnMut()) {
        work();
        self.advance_to(self.now_ms() + self.cost_ms(steps));
    }

    fn block_here(&self, ms: f64) {
        self.advance_to(self.now_ms() + ms.max(0.0));
    }

    fn split_here(
        &self,
        task: CpuTask,
        serial_steps: u64,
        pieces: u32,
        gil: Option<Gil>,
    ) -> WorkerRun {
        let start = self.now_ms();
        let mut lanes = vec![Lane::Main];
        lanes.extend((1..pieces.max(1)).map(|w| Lane::Worker(u16::try_from(w - 1).unwrap_or(0))));
        let mut segments = split_stretches(&task, serial_steps, &lanes, start, self);
        if let Some(gil) = gil {
            segments = taking_turns(&segments, gil.switch_ms());
        }
        let end = segments.iter().map(|s| s.end_ms).fold(start, f64::max);
        self.advance_to(end);
        WorkerRun {
            worker: 0,
            segments,
            checksum: Some(task.run()),
        }
    }

    fn hand_off(&self, job: PoolJob) -> LocalBoxFuture<'static, Result<WorkerRun, HandOffError>> {
        let host = self.clone();
        Box::pin(async move {
            let Some(pool) = host.0.pool.clone() else {
                return Err(HandOffError::NotReady);
            };
            let worker = acquire(&pool).await;
            let run = match job.work {
                PoolWork::Chunked { chunk, gil } => {
                    host.run_chunked(&job, worker, chunk, gil).await
                }
                PoolWork::Split {
                    serial_steps,
                    pieces,
                    gil,
                } => {
                    host.run_split(&job, worker, serial_steps, pieces, gil)
                        .await
                }
            };
            release(&pool, worker);
            Ok(run)
        })
    }

    fn fetch(&self) -> LocalBoxFuture<'static, Result<u64, String>> {
        // As the page's, a request's answer does not wait for the GIL (its
        // task's latency timer does).
        let sleep = self.sleep_for(f64::from(self.0.fetch_ms));
        Box::pin(async move {
            sleep.await;
            Ok(FAKE_FETCH_BYTES)
        })
    }

    fn start_processes(
        &self,
        k: u32,
        method: crate::experiment::ProcessStart,
    ) -> LocalBoxFuture<'static, Result<Vec<Stretch>, String>> {
        processes::start(self.clone(), k, method)
    }

    fn in_process(
        &self,
        process: usize,
        task: CpuTask,
    ) -> LocalBoxFuture<'static, Result<ProcessTrip, String>> {
        processes::run(self.clone(), process, task)
    }

    fn stop_processes(&self) {
        self.0.processes_stopped.set(true);
    }
}
