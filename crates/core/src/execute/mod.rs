//! Runs a validated experiment on a [`Host`] with its strategy and records
//! what happened: the pure half of the runtime.
//!
//! Every task is a future whose result arrives through a oneshot;
//! [`crate::wait::wait`] applies `return_when` and the timeout to those
//! futures. "Dispatchers" decide where CPU tasks run (`placement`): inline
//! on the calling thread, in cooperative chunks, or on the pool through `k`
//! dispatchers that each keep one task in flight (the `max_workers` of
//! `ThreadPoolExecutor`). I/O tasks always wait on the event loop, all at
//! once, except in sequential await where everything goes one by one.
//!
//! The prediction is made here, before any task starts, from the experiment
//! and the [`Device`] only. The browser adds what only it can measure
//! (probes, T₁) and builds the report from an [`Execution`].

mod error;
mod placement;
#[cfg(test)]
mod tests;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use futures_channel::oneshot;
use futures_util::future::{select, Either};
use futures_util::{FutureExt, StreamExt};

use crate::cancel::CancelToken;
use crate::experiment::{pool_share, AfterWait, Awaiting, Experiment, IoPlace, IoSource, Neglect};
use crate::figures::Tally;
use crate::host::{Gil, Host};
use crate::io_model::{forgotten_task, io_tasks, IoTask};
use crate::kernels::CpuTask;
use crate::predict::{predict_run, Device, RunPrediction};
pub use crate::report::Execution;
use crate::report::{Neglected, TaskResult};
use crate::slots::Slots;
use crate::trace::{Lane, Outcome, Span, SpanKind, Trace};
use crate::wait::{wait, Failure};
use crate::ValidExperiment;
pub use error::RunError;

/// No progress anywhere in a run for this long means a worker died.
pub const STALL_MS: u32 = 10_000;
/// Data-parallel tasks report progress per block of a lane; blocks are
/// bigger than chunks, hence a longer grace.
pub const DATA_PARALLEL_STALL_MS: u32 = 30_000;
/// How long one fetch of an I/O task may take before it fails.
pub const FETCH_WATCHDOG_MS: u32 = 30_000;

/// How a task ended, with its value, while the run goes on: it becomes the
/// task's [`TaskResult`] when the executor hands the run over.
#[derive(Clone, Debug, PartialEq)]
enum Settled {
    Ok(u64),
    Failed(String),
    Cancelled,
}

impl Failure for Settled {
    fn is_failure(&self) -> bool {
        matches!(self, Settled::Failed(_))
    }
}

impl Settled {
    /// Task `task`'s result (the first `n_io` tasks are I/O).
    fn result(&self, task: usize, n_io: usize, pending_at_return: bool) -> TaskResult {
        TaskResult {
            pending_at_return,
            outcome: self.outcome(),
            checksum: match self {
                Settled::Ok(c) => Some(*c),
                _ => None,
            },
            error: match self {
                Settled::Failed(m) => Some(m.clone()),
                _ => None,
            },
            ..TaskResult::never_started(task as u32, n_io)
        }
    }

    /// The results of tasks that ended, as (task, how), in that order.
    fn results(
        ended: Vec<(usize, Settled)>,
        n_io: usize,
        pending_at_return: bool,
    ) -> Vec<TaskResult> {
        ended
            .into_iter()
            .map(|(i, s)| s.result(i, n_io, pending_at_return))
            .collect()
    }

    fn outcome(&self) -> Outcome {
        match self {
            Settled::Ok(_) => Outcome::Ok,
            Settled::Failed(_) => Outcome::Error,
            Settled::Cancelled => Outcome::Cancelled,
        }
    }
}

/// State shared by every task of one run, on the calling thread.
struct RunState<H> {
    host: H,
    t0_ms: f64,
    trace: RefCell<Trace>,
    /// Every span counted for the figures (the trace itself is capped).
    tally: RefCell<Tally>,
    /// When `wait` returned (µs from t0); work recorded later, while pending
    /// tasks wind down, does not count in the figures.
    wall_end_us: Cell<Option<u64>>,
    /// Set when `wait` returned (unless the pending tasks may finish) or on
    /// Cancel: no task starts any more, waits and cooperative tasks stop.
    stop: CancelToken,
    /// Set on Cancel, or when `wait` returned under Overlap's own
    /// [`AfterWait::StopRunning`]: running pool tasks stop at their next chunk.
    halt: CancelToken,
    after_wait: AfterWait,
    fatal: RefCell<Option<RunError>>,
    chunk: u32,
    /// The run's GIL (its strategy's profile says whether it holds one),
    /// carried by every pool job that runs under it.
    gil: Option<Gil>,
    io_source: IoSource,
    serial_fraction: f64,
    /// How the process pool starts its processes (`mp_context`).
    process_start: crate::experiment::ProcessStart,
    /// Threads a data-parallel task may use: `min(k, pool threads)`.
    pieces: u32,
    /// `asyncio.Semaphore(limit)` around each I/O wait.
    semaphore: Option<Rc<RefCell<Slots>>>,
    /// The default executor's threads (`asyncio.to_thread`): every task
    /// holds one while it runs, a blocking wait included.
    executor: Option<Rc<RefCell<Slots>>>,
    on_span: Option<SpanSink>,
    /// How the neglected task (`create_task`, then forgotten) ended.
    neglected: Cell<Option<Outcome>>,
}

impl<H: Host> RunState<H> {
    /// The state of a run of `e` on `host`, stopped through `stop` and `halt`.
    fn new(
        host: H,
        e: &Experiment,
        device: &Device,
        options: &RunOptions,
        stop: &CancelToken,
        halt: &CancelToken,
    ) -> RunState<H> {
        RunState {
            t0_ms: host.now_ms(),
            host,
            trace: RefCell::new(Trace::new(e.to_query())),
            tally: RefCell::new(Tally::new()),
            wall_end_us: Cell::new(None),
            stop: stop.clone(),
            halt: halt.clone(),
            after_wait: e.awaiting.after(e.after_wait),
            fatal: RefCell::new(None),
            chunk: e.chunk.max(1),
            gil: Gil::of(e),
            io_source: e.io_source,
            serial_fraction: e.serial_fraction,
            process_start: e.process_start,
            pieces: pool_share(e.workers, device.pool_threads),
            semaphore: e.io_limit().map(|n| Slots::new(n as usize)),
            executor: (e.profile().io == IoPlace::Executor)
                .then(|| Slots::new(e.executor_workers(device.cores) as usize)),
            on_span: options.on_span.clone(),
            neglected: Cell::new(None),
        }
    }

    fn now_ms(&self) -> f64 {
        self.host.now_ms()
    }

    fn us(&self, ms: f64) -> u64 {
        ((ms - self.t0_ms) * 1000.0).round().max(0.0) as u64
    }

    fn record(
        &self,
        task: u32,
        lane: Lane,
        kind: SpanKind,
        start_ms: f64,
        end_ms: f64,
        outcome: Outcome,
    ) {
        let span = Span {
            task,
            lane,
            kind,
            start_us: self.us(start_ms),
            end_us: self.us(end_ms),
            outcome,
        };
        self.tally.borrow_mut().add(&span, self.wall_end_us.get());
        if self.trace.borrow_mut().push(span) {
            if let Some(on_span) = &self.on_span {
                on_span(&span);
            }
        }
    }

    /// Ends the run with `error` (the first one is kept) and stops its
    /// tasks; the task that met it settles with the returned failure.
    fn fail(&self, error: RunError) -> Settled {
        let failed = Settled::Failed(error.to_string());
        self.fatal.borrow_mut().get_or_insert(error);
        self.stop.cancel();
        self.halt.cancel();
        failed
    }

    /// Whether a task settling now was pending when `wait` returned and
    /// was cancelled then, as Python's pending tasks are: a job that ran on
    /// to its end still counts as cancelled.
    fn cancelled_at_return(&self) -> bool {
        self.wall_end_us.get().is_some() && self.after_wait != AfterWait::LetFinish
    }
}

/// The user's Cancel stops this run's tasks, running ones included, through
/// the run's own tokens.
async fn cancel_bridge(user: &CancelToken, tokens: [CancelToken; 3]) {
    user.cancelled().await;
    for token in tokens {
        token.cancel();
    }
}

/// A callback that sees the model's prediction before the run starts.
pub type PredictionSink = Rc<dyn Fn(&RunPrediction)>;

/// A callback that sees each span as it is recorded.
pub type SpanSink = Rc<dyn Fn(&Span)>;

/// Options of a run besides the experiment.
#[derive(Clone, Default)]
pub struct RunOptions {
    /// Cancels the run from outside (a Cancel button).
    pub cancel: CancelToken,
    /// Called with each span as it is recorded, for a live timeline.
    pub on_span: Option<SpanSink>,
    /// Called with the model's prediction once it is made, before any task starts.
    pub on_prediction: Option<PredictionSink>,
}

/// Runs `experiment` on `host` to the end (or to its `return_when`, timeout
/// or cancellation). The prediction comes from `device` before any task
/// starts; the run's own spans never reach it.
pub async fn execute<H: Host + Clone + 'static>(
    host: H,
    experiment: &ValidExperiment,
    device: &Device,
    options: RunOptions,
) -> Result<Execution, RunError> {
    let e = experiment.get();
    // Empty without CPU work.
    let cpu: Vec<CpuTask> = e.cpu_task_list();
    let io: Vec<IoTask> = if e.workload.has_io() {
        io_tasks(e)
    } else {
        Vec::new()
    };
    if !cpu.is_empty() && e.strategy.needs_thread_pool() && device.pool_threads == 0 {
        return Err(RunError::PoolNotReady);
    }

    let predicted = predict_run(e, device);
    if let Some(on_prediction) = &options.on_prediction {
        on_prediction(&predicted);
    }

    let stop = CancelToken::new();
    let halt = CancelToken::new();
    let state = Rc::new(RunState::new(
        host.clone(),
        e,
        device,
        &options,
        &stop,
        &halt,
    ));

    let n_io = io.len();
    let total = n_io + cpu.len();
    // A task started and forgotten runs beside the others, outside the wait.
    let forgotten = forgotten_task(e, total);
    let mut senders = Vec::with_capacity(total);
    let mut receivers = Vec::with_capacity(total);
    for i in 0..total {
        let (sender, receiver) = oneshot::channel::<Settled>();
        senders.push(Some(sender));
        let handled = (e.awaiting == Awaiting::AsCompleted).then(|| state.clone());
        receivers.push(receiver.map(move |r| {
            let settled = r.unwrap_or(Settled::Cancelled);
            // as_completed hands each result to the loop as it arrives:
            // the moment it is handled (not once the wait has returned).
            if let Some(state) = handled.filter(|s| s.wall_end_us.get().is_none()) {
                let now = state.now_ms();
                state.record(
                    i as u32,
                    Lane::Main,
                    SpanKind::Handled,
                    now,
                    now,
                    settled.outcome(),
                );
            }
            settled
        }));
    }
    let senders = RefCell::new(senders);
    let settle: Rc<dyn Fn(usize, Settled)> = Rc::new(move |index: usize, value: Settled| {
        if let Some(sender) = senders.borrow_mut().get_mut(index).and_then(Option::take) {
            let _ = sender.send(value);
        }
    });

    let workers = e.executor_workers(device.cores);
    let driver =
        placement::drive(e.strategy, workers, io, cpu, state.clone(), settle).boxed_local();
    let return_when = e.awaiting.return_when(e.return_when);
    let waited = wait(receivers, return_when, e.timeout_ms, &host).boxed_local();

    // Over once every awaited task settled: what is left is cancelled then.
    let over = CancelToken::new();
    let awaited = async {
        // The driver goes on after `wait` returns: what is still running is
        // stopped (asyncio leaves pending tasks to be cancelled) and settles.
        let (outcome, driver) = match select(waited, driver).await {
            Either::Left((outcome, driver)) => (outcome, Some(driver)),
            Either::Right(((), waited)) => (waited.await, None),
        };
        let wall_ms = state.now_ms() - state.t0_ms;
        state.wall_end_us.set(Some(state.us(state.now_ms())));
        // asyncio.wait cancels nothing; what happens to the pending tasks
        // is the experiment's choice.
        match state.after_wait {
            AfterWait::CancelPending => stop.cancel(),
            AfterWait::LetFinish => {}
            AfterWait::StopRunning => {
                stop.cancel();
                halt.cancel();
            }
        }
        if let Some(driver) = driver {
            driver.await;
        }
        let late: Vec<(usize, Settled)> = outcome.unfinished.collect().await;
        over.cancel();
        (outcome.done, outcome.timed_out, late, wall_ms)
    };
    let neglected = async {
        if let Some(task) = forgotten {
            placement::forgotten(&state, task, &over).await;
        }
    };
    let run = futures_util::future::join(awaited, neglected).map(|(ran, ())| ran);
    let bridge = cancel_bridge(&options.cancel, [stop.clone(), halt.clone(), over.clone()]);
    futures_util::pin_mut!(run, bridge);
    let (done, timed_out, late, wall_ms) = match select(run, bridge).await {
        Either::Left((ran, _)) => ran,
        Either::Right(((), run)) => run.await,
    };

    if let Some(fatal) = state.fatal.borrow_mut().take() {
        return Err(fatal);
    }
    Ok(Execution {
        experiment: experiment.clone(),
        predicted,
        n_io,
        threads_given: e.threads_given(device.pool_threads, device.cores),
        calibration: device.calibration.filter(|c| c.kernel == e.kernel),
        done: Settled::results(done, n_io, false),
        late: Settled::results(late, n_io, true),
        timed_out,
        cancelled: options.cancel.is_cancelled(),
        t0_ms: state.t0_ms,
        wall_ms,
        trace: state.trace.take(),
        tally: state.tally.take(),
        neglected: (e.neglected() != Neglect::None).then(|| Neglected {
            kind: e.neglected(),
            task: total as u32,
            outcome: state.neglected.get(),
        }),
    })
}
