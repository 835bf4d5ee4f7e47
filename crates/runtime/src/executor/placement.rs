//! Where each task runs: the driver that places a run's tasks by strategy,
//! and one function per placement (a wait on the event loop, CPU inline, in
//! cooperative chunks, on the pool, data-parallel, parallel-but-blocking).

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use futures_util::future::{select, Either, LocalBoxFuture};
use futures_util::stream::{FuturesUnordered, StreamExt};
use futures_util::FutureExt;
use overlap_core::experiment::{IoSource, Strategy};
use overlap_core::io_model::IoTask;
use overlap_core::kernels::{CpuTask, Progress};
use overlap_core::trace::{Lane, Outcome, SpanKind};

use super::worker_jobs::{self, WorkerRun};
use super::{
    worker_lane, RunError, RunState, Settled, DATA_PARALLEL_STALL_MS, FETCH_WATCHDOG_MS, STALL_MS,
};
use crate::cancel::CancelFlag;
use crate::clock::page_now_ms;
use crate::fetch::{Fetch, FETCH_URL};
use crate::pool::{run_watched, JobProbe, WatchError};
use crate::timers::sleep_ms;
use crate::yield_now::yield_now;

/// Runs every task with the placement `strategy` gives it.
pub(super) async fn drive(
    strategy: Strategy,
    workers: u32,
    io: Vec<IoTask>,
    cpu: Vec<CpuTask>,
    state: Rc<RunState>,
    settle: Rc<dyn Fn(usize, Settled)>,
) {
    let n_io = io.len();
    if strategy == Strategy::SequentialAwait {
        for task in io {
            let i = task.index as usize;
            settle(i, io_wait(&state, i as u32, task).await);
        }
        for (j, task) in cpu.into_iter().enumerate() {
            settle(n_io + j, cpu_inline(&state, (n_io + j) as u32, task));
            // Let the page see the result of each task, as awaiting would.
            yield_now().await;
        }
        return;
    }

    let mut lanes: Vec<LocalBoxFuture<'_, ()>> = Vec::new();
    for task in io {
        let (state, settle) = (state.clone(), settle.clone());
        lanes.push(
            async move {
                let i = task.index as usize;
                settle(i, io_wait(&state, i as u32, task).await);
            }
            .boxed_local(),
        );
    }

    let queue: Rc<RefCell<std::vec::IntoIter<(usize, CpuTask)>>> = Rc::new(RefCell::new(
        cpu.into_iter()
            .enumerate()
            .map(|(j, t)| (n_io + j, t))
            .collect::<Vec<_>>()
            .into_iter(),
    ));
    let dispatchers = match strategy {
        Strategy::Pool | Strategy::GilMode => workers.max(1) as usize,
        _ => 1,
    };
    for _ in 0..dispatchers {
        let (state, settle, queue) = (state.clone(), settle.clone(), queue.clone());
        lanes.push(
            async move {
                loop {
                    let next = queue.borrow_mut().next();
                    let Some((i, task)) = next else { break };
                    let id = i as u32;
                    let settled = if state.stop.is_cancelled() {
                        Settled::Cancelled
                    } else {
                        match strategy {
                            Strategy::CooperativeChunks => cpu_cooperative(&state, id, task).await,
                            Strategy::Pool => cpu_on_pool(&state, id, task, false).await,
                            Strategy::GilMode => cpu_on_pool(&state, id, task, true).await,
                            Strategy::DataParallel => cpu_data_parallel(&state, id, task).await,
                            Strategy::ParallelBlocking => cpu_parallel_blocking(&state, id, task),
                            _ => cpu_inline(&state, id, task),
                        }
                    };
                    settle(i, settled);
                }
            }
            .boxed_local(),
        );
    }
    // Polled in the order they are woken, not in index order: when a late
    // loop finds several timers due at once, the earlier deadline settles
    // first, as asyncio's timer heap would have it (`join_all` polled every
    // lane by index, so task 0 could settle before an earlier task 9).
    let mut lanes: FuturesUnordered<_> = lanes.into_iter().collect();
    while lanes.next().await.is_some() {}
}

async fn io_wait(state: &RunState, id: u32, task: IoTask) -> Settled {
    if state.stop.is_cancelled() {
        return Settled::Cancelled;
    }
    let start = page_now_ms();
    let io: LocalBoxFuture<'_, Result<u64, String>> = match state.io_source {
        IoSource::Timer => {
            let ms = u32::try_from(task.latency_us.div_ceil(1000)).unwrap_or(u32::MAX);
            sleep_ms(ms)
                .map(move |()| Ok(task.latency_us))
                .boxed_local()
        }
        IoSource::Fetch => {
            // A request that never answers must not hold the run forever.
            let fetch = Fetch::new().get(FETCH_URL);
            let limit = sleep_ms(FETCH_WATCHDOG_MS);
            async move {
                futures_util::pin_mut!(fetch);
                match select(fetch, limit).await {
                    Either::Left((result, _)) => result,
                    Either::Right(_) => {
                        Err(format!("no answer within {} s", FETCH_WATCHDOG_MS / 1000))
                    }
                }
            }
            .boxed_local()
        }
    };
    let stopped = state.stop.cancelled();
    futures_util::pin_mut!(stopped);
    // Dropping the losing side clears it: the sleep leaves the timer queue,
    // the fetch aborts its request.
    let settled = match select(io, stopped).await {
        Either::Left((Err(err), _)) => Settled::Failed(format!("I/O task {}: {err}", id + 1)),
        Either::Left(_) if task.fails => {
            Settled::Failed(format!("I/O task {} failed (injected failure)", id + 1))
        }
        Either::Left((Ok(value), _)) => Settled::Ok(value),
        Either::Right(_) => Settled::Cancelled,
    };
    state.record(
        id,
        Lane::Main,
        SpanKind::IoWait,
        start,
        page_now_ms(),
        settled.outcome(),
    );
    settled
}

/// Runs `compute` on the main thread in one go, recorded as one CPU span there.
fn cpu_on_main(state: &RunState, id: u32, compute: impl FnOnce() -> u64) -> Settled {
    if state.stop.is_cancelled() {
        return Settled::Cancelled;
    }
    let start = page_now_ms();
    let checksum = compute();
    state.record(
        id,
        Lane::Main,
        SpanKind::Cpu,
        start,
        page_now_ms(),
        Outcome::Ok,
    );
    Settled::Ok(checksum)
}

fn cpu_inline(state: &RunState, id: u32, task: CpuTask) -> Settled {
    cpu_on_main(state, id, || task.run())
}

fn cpu_parallel_blocking(state: &RunState, id: u32, task: CpuTask) -> Settled {
    if state.stop.is_cancelled() {
        return Settled::Cancelled;
    }
    // The point of this strategy: rayon called from the main thread, which
    // spins until the parallel job is done and the page freezes meanwhile.
    // The main thread computes the serial head itself; the workers' stretches
    // are the rest of the work, and the main thread is blocked throughout.
    let serial = task.serial_steps(state.serial_fraction);
    let log = worker_jobs::StretchLog::for_pieces(state.pieces);
    let start = page_now_ms();
    let checksum = task.run_split_pieces_until(serial, state.pieces, &log);
    let end = page_now_ms();
    let stretches = log.into_stretches();
    let head_end = stretches
        .iter()
        .filter(|s| s.lane == Lane::Main)
        .map(|s| s.end_ms)
        .fold(start, f64::max);
    for s in &stretches {
        state.record(id, s.lane, SpanKind::Cpu, s.start_ms, s.end_ms, Outcome::Ok);
    }
    state.record(
        id,
        Lane::Main,
        SpanKind::Blocked,
        head_end,
        end,
        Outcome::Ok,
    );
    checksum.map_or(Settled::Cancelled, Settled::Ok)
}

async fn cpu_cooperative(state: &RunState, id: u32, task: CpuTask) -> Settled {
    let mut run = task.chunked();
    loop {
        if state.stop.is_cancelled() {
            return Settled::Cancelled;
        }
        let start = page_now_ms();
        let progress = run.step(state.chunk);
        let outcome = Outcome::Ok;
        state.record(id, Lane::Main, SpanKind::Cpu, start, page_now_ms(), outcome);
        if let Progress::Done(checksum) = progress {
            return Settled::Ok(checksum);
        }
        yield_now().await;
    }
}

async fn cpu_on_pool(state: &RunState, id: u32, task: CpuTask, gil: bool) -> Settled {
    let submitted = page_now_ms();
    let (chunk, cancel, progress): (u32, CancelFlag, Arc<JobProbe>) =
        (state.chunk, state.stop.flag(), state.progress.clone());
    let watched_progress = state.progress.clone();
    let result = run_watched(
        move |probe: &JobProbe| {
            worker_jobs::run_chunked(task, chunk, gil, &cancel, probe, &progress)
        },
        watched_progress,
        STALL_MS,
    )
    .await;
    settle_worker_run(state, id, submitted, result)
}

async fn cpu_data_parallel(state: &RunState, id: u32, task: CpuTask) -> Settled {
    let submitted = page_now_ms();
    let serial = task.serial_steps(state.serial_fraction);
    let (pieces, progress, cancel) = (state.pieces, state.progress.clone(), state.stop.flag());
    let result = run_watched(
        move |probe: &JobProbe| {
            worker_jobs::run_data_parallel(task, serial, pieces, &cancel, probe, &progress)
        },
        state.progress.clone(),
        DATA_PARALLEL_STALL_MS,
    )
    .await;
    settle_worker_run(state, id, submitted, result)
}

fn settle_worker_run(
    state: &RunState,
    id: u32,
    submitted: f64,
    result: Result<WorkerRun, WatchError>,
) -> Settled {
    match result {
        Ok(run) => {
            let lane = worker_lane(run.worker);
            let settled = match run.checksum {
                Some(checksum) => Settled::Ok(checksum),
                None => Settled::Cancelled,
            };
            let first_start = run.segments.first().map_or(page_now_ms(), |s| s.start_ms);
            if first_start > submitted {
                state.record(
                    id,
                    lane,
                    SpanKind::Queued,
                    submitted,
                    first_start,
                    Outcome::Ok,
                );
            }
            for s in &run.segments {
                state.record(
                    id,
                    s.lane,
                    SpanKind::Cpu,
                    s.start_ms,
                    s.end_ms,
                    settled.outcome(),
                );
            }
            settled
        }
        Err(WatchError::NotReady) => {
            state.fail(RunError::PoolNotReady);
            Settled::Failed(RunError::PoolNotReady.to_string())
        }
        Err(WatchError::Stalled { worker, .. }) => {
            let error = RunError::WorkerLost { worker, task: id };
            let message = error.to_string();
            state.fail(error);
            Settled::Failed(message)
        }
    }
}
