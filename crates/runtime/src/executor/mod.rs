//! Runs a validated experiment with its strategy and records what happened.
//!
//! Every task is a future on the page's event loop whose result arrives
//! through a oneshot; [`crate::wait::wait`] applies `return_when` and the
//! timeout to those futures. "Dispatchers" decide where CPU tasks run: inline
//! on the main thread, in cooperative chunks, or on the pool through `k`
//! dispatchers that each keep one task in flight (the `max_workers` of
//! `ThreadPoolExecutor`). I/O tasks always wait on the event loop, all at
//! once, except in sequential await where everything goes one by one.

mod placement;
pub(crate) mod worker_jobs;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use futures_channel::oneshot;
use futures_util::future::{select, Either};
use futures_util::{FutureExt, StreamExt};
use overlap_core::experiment::{IoSource, Strategy};
use overlap_core::figures::Tally;
use overlap_core::io_model::{io_tasks, IoTask};
use overlap_core::kernels::CpuTask;
use overlap_core::predict::{cpu_threads, predict_run, Device, RunPrediction};
use overlap_core::trace::{Lane, Outcome, Span, SpanKind, Trace};
use overlap_core::ValidExperiment;

use overlap_core::report::{self as report};
pub use overlap_core::report::{RunReport, TaskResult};
pub use worker_jobs::{trap_next_pool_chunk, Stretch, WorkerRun};

use crate::cancel::CancelToken;
use crate::clock::page_now_ms;
use crate::pool::{self, JobProbe};
use crate::probes::Probes;
use crate::wait::{wait, Failure};
use crate::yield_now::measure_yield_overhead_us;

/// No progress anywhere in a run for this long means a worker died.
pub const STALL_MS: u32 = 10_000;
/// Data-parallel tasks report progress per block of a lane; blocks are
/// bigger than chunks, hence a longer grace.
pub const DATA_PARALLEL_STALL_MS: u32 = 30_000;
/// How long one fetch of an I/O task may take before it fails.
pub const FETCH_WATCHDOG_MS: u32 = 30_000;

/// Why a run could not happen or could not finish.
#[derive(Clone, Debug, PartialEq)]
pub enum RunError {
    /// The strategy needs the worker pool and it is not ready.
    PoolNotReady,
    /// The experiment asks for something this runtime does not do yet.
    Unsupported(&'static str),
    /// A pool worker stopped answering (a trap kills a worker).
    WorkerLost {
        /// The worker, when known.
        worker: Option<usize>,
        /// The task it was running or waiting for.
        task: u32,
    },
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::PoolNotReady => f.write_str("this strategy needs the worker pool, which is not ready"),
            Self::Unsupported(what) => write!(f, "not available yet: {what}"),
            Self::WorkerLost { worker: Some(w), task } => write!(
                f,
                "worker {} stopped answering while running task {}; the run was stopped",
                w + 1,
                task + 1
            ),
            Self::WorkerLost { worker: None, task } => write!(
                f,
                "no pool worker made progress on task {} for {} s; the pool may have lost its workers",
                task + 1,
                STALL_MS / 1000
            ),
        }
    }
}

impl std::error::Error for RunError {}

/// A task's result as the executor sees it, before it goes into the report.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Settled {
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
    fn settlement(&self, task: usize) -> report::Settlement {
        report::Settlement {
            task,
            outcome: self.outcome(),
            checksum: match self {
                Settled::Ok(c) => Some(*c),
                _ => None,
            },
            error: match self {
                Settled::Failed(m) => Some(m.clone()),
                _ => None,
            },
        }
    }

    pub(super) fn outcome(&self) -> Outcome {
        match self {
            Settled::Ok(_) => Outcome::Ok,
            Settled::Failed(_) => Outcome::Error,
            Settled::Cancelled => Outcome::Cancelled,
        }
    }
}

/// State shared by every task of one run, on the main thread.
pub(super) struct RunState {
    t0_ms: f64,
    trace: RefCell<Trace>,
    /// Every span counted for the figures (the trace itself is capped).
    tally: RefCell<Tally>,
    /// When `wait` returned (µs from t0); work recorded later, while pending
    /// tasks wind down, does not count in the figures.
    wall_end_us: Cell<Option<u64>>,
    stop: CancelToken,
    progress: Arc<JobProbe>,
    fatal: RefCell<Option<RunError>>,
    chunk: u32,
    io_source: IoSource,
    serial_fraction: f64,
    /// Threads a data-parallel task may use: `min(k, pool threads)`.
    pieces: u32,
    on_span: Option<SpanSink>,
}

impl RunState {
    pub(super) fn us(&self, page_ms: f64) -> u64 {
        ((page_ms - self.t0_ms) * 1000.0).round().max(0.0) as u64
    }

    pub(super) fn record(
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

    pub(super) fn fail(&self, error: RunError) {
        self.fatal.borrow_mut().get_or_insert(error);
        self.stop.cancel();
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

pub(super) fn worker_lane(worker: usize) -> Lane {
    Lane::Worker(u16::try_from(worker).unwrap_or(u16::MAX))
}

/// Runs `experiment` to the end (or to its `return_when`, timeout or
/// cancellation) and reports spans, probes, metrics and the model's prediction.
pub async fn run(experiment: &ValidExperiment, options: RunOptions) -> Result<RunReport, RunError> {
    let e = experiment.get();
    if e.strategy == Strategy::ProcessPool {
        return Err(RunError::Unsupported(
            "the process-style pool (separate instances fed by messages)",
        ));
    }
    let cpu: Vec<CpuTask> = if e.workload.has_cpu() {
        e.cpu_task_list()
    } else {
        Vec::new()
    };
    let io: Vec<IoTask> = if e.workload.has_io() {
        io_tasks(e)
    } else {
        Vec::new()
    };
    if !cpu.is_empty() && e.strategy.uses_workers() && !pool::is_ready() {
        return Err(RunError::PoolNotReady);
    }
    let yield_overhead_us = if e.strategy == Strategy::CooperativeChunks {
        Some(measure_yield_overhead_us(20).await)
    } else {
        None
    };

    // The prediction, before anything runs: from the experiment and what
    // this page measured of the device beforehand, never from this run.
    let pool_threads = pool::threads();
    let device = Device {
        calibration: crate::reference::calibration(e),
        pool_threads: u32::try_from(pool_threads).unwrap_or(u32::MAX),
        cores: crate::env::capabilities().logical_cores,
        yield_overhead_us: yield_overhead_us.map_or(0, |us| us.round() as u64),
    };
    let predicted = predict_run(e, &device);
    if let Some(on_prediction) = &options.on_prediction {
        on_prediction(&predicted);
    }

    let stop = CancelToken::new();
    {
        // The user's Cancel stops this run's tasks through the run's own token,
        // which the run also uses to stop what `wait` left pending.
        let (user, stop) = (options.cancel.clone(), stop.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let user_cancelled = user.cancelled();
            let run_stopped = stop.cancelled();
            futures_util::pin_mut!(user_cancelled, run_stopped);
            if let Either::Left(_) = select(user_cancelled, run_stopped).await {
                stop.cancel();
            }
        });
    }

    let probes = Probes::start();
    let state = Rc::new(RunState {
        t0_ms: page_now_ms(),
        trace: RefCell::new(Trace::new(e.to_query())),
        tally: RefCell::new(Tally::new()),
        wall_end_us: Cell::new(None),
        stop: stop.clone(),
        progress: Arc::new(JobProbe::default()),
        fatal: RefCell::new(None),
        chunk: e.chunk.max(1),
        io_source: e.io_source,
        serial_fraction: e.serial_fraction,
        pieces: cpu_threads(
            Strategy::DataParallel,
            e.workers,
            u32::try_from(pool_threads).unwrap_or(u32::MAX),
        ),
        on_span: options.on_span.clone(),
    });

    let n_io = io.len();
    let total = n_io + cpu.len();
    let mut senders = Vec::with_capacity(total);
    let mut receivers = Vec::with_capacity(total);
    for _ in 0..total {
        let (sender, receiver) = oneshot::channel::<Settled>();
        senders.push(Some(sender));
        receivers.push(receiver.map(|r| r.unwrap_or(Settled::Cancelled)));
    }
    let senders = Rc::new(RefCell::new(senders));
    let settle = {
        let senders = senders.clone();
        move |index: usize, value: Settled| {
            if let Some(sender) = senders.borrow_mut().get_mut(index).and_then(Option::take) {
                let _ = sender.send(value);
            }
        }
    };
    let settle: Rc<dyn Fn(usize, Settled)> = Rc::new(settle);

    let driver = placement::drive(e.strategy, e.workers, io, cpu, state.clone(), settle);
    let (driver_done_tx, driver_done_rx) = oneshot::channel::<()>();
    wasm_bindgen_futures::spawn_local(async move {
        driver.await;
        let _ = driver_done_tx.send(());
    });

    let outcome = wait(
        receivers,
        e.return_when,
        e.timeout_ms,
        &crate::host::BrowserHost,
    )
    .await;
    let wall_ms = page_now_ms() - state.t0_ms;
    state.wall_end_us.set(Some(state.us(page_now_ms())));
    // Like leaving asyncio.wait's pending set to be cancelled: stop what is
    // still running, then let it settle so the pool is idle when we return.
    stop.cancel();
    let _ = driver_done_rx.await;
    let late: Vec<(usize, Settled)> = outcome.unfinished.collect().await;
    let samples = probes.stop();

    if let Some(fatal) = state.fatal.borrow_mut().take() {
        return Err(fatal);
    }
    let trace = state.trace.take();
    let tally = state.tally.take();
    // T₁ after the run, so the run itself starts at once; from the session's
    // cache unless the CPU part of the experiment changed.
    let t1 = crate::reference::t1(e, &options.cancel.flag()).await;
    Ok(report::build(report::Inputs {
        experiment: experiment.clone(),
        n_io,
        done: outcome
            .done
            .into_iter()
            .map(|(i, s)| s.settlement(i))
            .collect(),
        late: late.into_iter().map(|(i, s)| s.settlement(i)).collect(),
        timed_out: outcome.timed_out,
        cancelled: options.cancel.is_cancelled(),
        t0_ms: state.t0_ms,
        wall_ms,
        trace,
        tally,
        t1,
        predicted,
        samples,
        yield_overhead_us,
        pool_threads,
    }))
}
