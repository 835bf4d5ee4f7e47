//! Where each task runs: the driver that places a run's tasks by strategy,
//! and one function per placement (a wait on the event loop, CPU inline, in
//! cooperative chunks, on the pool, data-parallel, parallel-but-blocking).

mod io;
mod processes;

use std::cell::RefCell;
use std::rc::Rc;

use futures_util::future::LocalBoxFuture;
use futures_util::stream::{FuturesUnordered, StreamExt};
use futures_util::FutureExt;

use super::{RunError, RunState, Settled};
use crate::experiment::{AtOnce, CpuPlace, IoPlace, Strategy};
use crate::host::{Gil, HandOffError, Host, PoolJob, PoolWork, WorkerRun};
use crate::io_model::IoTask;
use crate::kernels::{CpuTask, Progress};
use crate::slots::release;
use crate::trace::{Lane, Outcome, SpanKind};
pub(super) use io::forgotten;
use io::{io_blocking, io_task, io_wait, take_place};
use processes::in_processes;

/// Runs every task with the placement `strategy` gives it.
pub(super) async fn drive<H: Host + 'static>(
    strategy: Strategy,
    workers: u32,
    io: Vec<IoTask>,
    cpu: Vec<CpuTask>,
    state: Rc<RunState<H>>,
    settle: Rc<dyn Fn(usize, Settled)>,
) {
    let n_io = io.len();
    let profile = strategy.profile();
    if matches!(profile.io, IoPlace::InTurn | IoPlace::Blocking) {
        // One task after another: awaited in turn, or, with blocking calls,
        // all started at once but none awaiting anything, so the first call
        // holds the loop to its end, then the next (the wait sees them all
        // done).
        for task in io {
            let i = task.index as usize;
            let settled = if profile.io == IoPlace::Blocking {
                io_blocking(&state, i as u32, &task)
            } else {
                io_wait(&state, i as u32, task).await
            };
            settle(i, settled);
        }
        for (j, task) in cpu.into_iter().enumerate() {
            // No yield between CPU tasks: awaiting a coroutine that never
            // suspends does not return to the loop in Python either.
            settle(n_io + j, cpu_inline(&state, (n_io + j) as u32, task));
        }
        return;
    }

    // The I/O lanes are made as they are started (a box each: 100,000 of
    // them made in one go were a long task of their own).
    let io_lanes = {
        let (state, settle) = (state.clone(), settle.clone());
        io.into_iter().map(move |task| {
            let (state, settle) = (state.clone(), settle.clone());
            async move { io_task(&state, task, &*settle).await }.boxed_local()
        })
    };
    let mut lanes: Vec<LocalBoxFuture<'_, ()>> = Vec::new();
    if profile.cpu == CpuPlace::Processes {
        lanes.push(in_processes(state.clone(), settle.clone(), workers, cpu, n_io).boxed_local());
        drain(&state.host, io_lanes.chain(lanes)).await;
        return;
    }
    if profile.cpu == CpuPlace::DefaultExecutor {
        // Every task is submitted to the default executor at once and waits
        // in its queue for a thread, in order.
        for (j, task) in cpu.into_iter().enumerate() {
            let (state, settle) = (state.clone(), settle.clone());
            let i = n_io + j;
            lanes.push(
                async move { settle(i, cpu_to_thread(&state, i as u32, task).await) }.boxed_local(),
            );
        }
        drain(&state.host, io_lanes.chain(lanes)).await;
        return;
    }

    let queue: Rc<RefCell<std::vec::IntoIter<(usize, CpuTask)>>> = Rc::new(RefCell::new(
        cpu.into_iter()
            .enumerate()
            .map(|(j, t)| (n_io + j, t))
            .collect::<Vec<_>>()
            .into_iter(),
    ));
    let dispatchers = match profile.at_once {
        AtOnce::PerThread => workers.max(1) as usize,
        AtOnce::One => 1,
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
                        match profile.cpu {
                            CpuPlace::Chunks => cpu_cooperative(&state, id, task).await,
                            CpuPlace::Pool => cpu_on_pool(&state, id, task, state.gil).await,
                            CpuPlace::Split if profile.spins_main => {
                                cpu_parallel_blocking(&state, id, task)
                            }
                            CpuPlace::Split => cpu_data_parallel(&state, id, task).await,
                            CpuPlace::Loop | CpuPlace::DefaultExecutor | CpuPlace::Processes => {
                                cpu_inline(&state, id, task)
                            }
                        }
                    };
                    settle(i, settled);
                }
            }
            .boxed_local(),
        );
    }
    drain(&state.host, io_lanes.chain(lanes)).await;
}

/// Longest stretch (ms) the run keeps the event loop before it lets the page
/// run (input, painting, the dial): well under a long task's 50 ms, since the
/// timer callback that woke the lanes counts in the same task.
const SLICE_MS: f64 = 12.0;

/// Settled lanes between two readings of the clock.
const CLOCK_EVERY: u32 = 16;

/// Lanes started at once: small enough that one batch's first polls stay
/// far inside a slice.
const START_BATCH: usize = 256;

/// Runs `lanes` to their ends, polled in the order they are woken, not in
/// index order: when a late loop finds several timers due at once, the
/// earlier deadline settles first, as asyncio's timer heap would have it
/// (`join_all` polled every lane by index, so task 0 could settle before an
/// earlier task 9).
///
/// Lanes are started a batch at a time, and the loop is given back whenever
/// the run has kept it busy for [`SLICE_MS`]: 100,000 waits started or woken
/// in one go were a main-thread task of 170 ms, during which the page froze.
/// Only a burst longer than a slice is cut, so that a few tasks due at one
/// instant still settle in one turn of the loop, as in asyncio (and on the
/// fake host, whose clock stands still while tasks settle, nothing is cut).
async fn drain<'a, H: Host>(host: &H, lanes: impl Iterator<Item = LocalBoxFuture<'a, ()>>) {
    let mut to_start = lanes;
    if to_start.size_hint().0 > START_BATCH {
        // What set the run up (its tasks drawn, the wait's own futures)
        // already took part of this turn of the loop.
        host.yield_now().await;
    }
    let mut running = FuturesUnordered::new();
    let mut since = host.now_ms();
    let mut settled = 0u32;
    loop {
        settled = settled.wrapping_add(1);
        // The clock is read every few settled lanes: reading it is a call
        // into JavaScript, as costly as settling a wait.
        if settled.is_multiple_of(CLOCK_EVERY) && host.now_ms() - since >= SLICE_MS {
            host.yield_now().await;
            since = host.now_ms();
        }
        let batch: Vec<_> = to_start.by_ref().take(START_BATCH).collect();
        if !batch.is_empty() {
            running.extend(batch);
            // Their first polls, and any lane already done, without waiting
            // (the lanes' own wakers still reach `running` when woken later).
            while host.now_ms() - since < SLICE_MS {
                match running.next().now_or_never() {
                    Some(Some(())) => {}
                    _ => break,
                }
            }
            continue;
        }
        match running.next().now_or_never() {
            Some(Some(())) => {}
            Some(None) => break,
            None => {
                // Nothing is ready: the loop is idle until something is, and
                // what wakes the run starts a new task of the event loop.
                if running.next().await.is_none() {
                    break;
                }
                since = host.now_ms();
            }
        }
    }
}

fn cpu_inline<H: Host>(state: &RunState<H>, id: u32, task: CpuTask) -> Settled {
    if state.stop.is_cancelled() {
        return Settled::Cancelled;
    }
    let start = state.now_ms();
    let mut checksum = 0;
    state
        .host
        .compute_here(task.steps(), &mut || checksum = task.run());
    state.record(
        id,
        Lane::Main,
        SpanKind::Cpu,
        start,
        state.now_ms(),
        Outcome::Ok,
    );
    Settled::Ok(checksum)
}

fn cpu_parallel_blocking<H: Host>(state: &RunState<H>, id: u32, task: CpuTask) -> Settled {
    if state.stop.is_cancelled() {
        return Settled::Cancelled;
    }
    // The point of this strategy: rayon called from the event loop, which
    // waits until the parallel job is done while the page freezes. The
    // calling thread computes the serial head itself; the workers' stretches
    // are the rest of the work, and the event loop is blocked throughout.
    let serial = task.serial_steps(state.serial_fraction);
    let start = state.now_ms();
    let run = state.host.split_here(task, serial, state.pieces, state.gil);
    let end = state.now_ms();
    let head_end = run
        .segments
        .iter()
        .filter(|s| s.lane == Lane::Main)
        .map(|s| s.end_ms)
        .fold(start, f64::max);
    for s in &run.segments {
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
    run.checksum.map_or(Settled::Cancelled, Settled::Ok)
}

async fn cpu_cooperative<H: Host>(state: &RunState<H>, id: u32, task: CpuTask) -> Settled {
    let mut run = task.chunked();
    loop {
        if state.stop.is_cancelled() {
            return Settled::Cancelled;
        }
        let start = state.now_ms();
        let steps = u64::from(state.chunk).min(run.total_steps() - run.done_steps());
        let mut progress = run.progress();
        state
            .host
            .compute_here(steps, &mut || progress = run.step(state.chunk));
        state.record(
            id,
            Lane::Main,
            SpanKind::Cpu,
            start,
            state.now_ms(),
            Outcome::Ok,
        );
        if let Progress::Done(checksum) = progress {
            return Settled::Ok(checksum);
        }
        state.host.yield_now().await;
    }
}

async fn cpu_on_pool<H: Host>(
    state: &RunState<H>,
    id: u32,
    task: CpuTask,
    gil: Option<Gil>,
) -> Settled {
    let work = PoolWork::Chunked {
        chunk: state.chunk,
        gil,
    };
    hand_off(state, id, task, work).await
}

/// A CPU task through `asyncio.to_thread`: it waits for a thread of the
/// default executor, then runs under the GIL on the pool.
async fn cpu_to_thread<H: Host>(state: &RunState<H>, id: u32, task: CpuTask) -> Settled {
    let Some(executor) = &state.executor else {
        return cpu_on_pool(state, id, task, state.gil).await;
    };
    if state.stop.is_cancelled() {
        return Settled::Cancelled;
    }
    // The wait for a thread is recorded by take_place; the pool's own queue
    // (when the executor has more threads than the pool) counts from here.
    let Some(place) = take_place(state, id, executor, Lane::Main).await else {
        return Settled::Cancelled;
    };
    let work = PoolWork::Chunked {
        chunk: state.chunk,
        gil: state.gil,
    };
    let thread = Lane::Thread(u16::try_from(place).unwrap_or(u16::MAX));
    let settled = hand_off_on(state, id, task, work, Some(thread)).await;
    release(executor, place);
    settled
}

async fn cpu_data_parallel<H: Host>(state: &RunState<H>, id: u32, task: CpuTask) -> Settled {
    let work = PoolWork::Split {
        serial_steps: task.serial_steps(state.serial_fraction),
        pieces: state.pieces,
        gil: state.gil,
    };
    hand_off(state, id, task, work).await
}

/// Hands `task` to the pool; time on the pool's queue counts from now.
async fn hand_off<H: Host>(state: &RunState<H>, id: u32, task: CpuTask, work: PoolWork) -> Settled {
    hand_off_on(state, id, task, work, None).await
}

/// [`hand_off`], its CPU spans recorded on `thread` (the executor's thread
/// that `asyncio.to_thread` gave the call) rather than on the pool worker
/// that stood in for it.
async fn hand_off_on<H: Host>(
    state: &RunState<H>,
    id: u32,
    task: CpuTask,
    work: PoolWork,
    thread: Option<Lane>,
) -> Settled {
    let submitted = state.now_ms();
    let job = PoolJob {
        task,
        work,
        cancel: state.stop.flag(),
        halt: state.halt.flag(),
    };
    let result = state.host.hand_off(job).await;
    settle_worker_run(state, id, submitted, result, thread)
}

fn settle_worker_run<H: Host>(
    state: &RunState<H>,
    id: u32,
    submitted: f64,
    result: Result<WorkerRun, HandOffError>,
    thread: Option<Lane>,
) -> Settled {
    match result {
        Ok(run) => {
            let settled = match run.checksum {
                Some(_) if state.cancelled_at_return() => Settled::Cancelled,
                Some(checksum) => Settled::Ok(checksum),
                None => Settled::Cancelled,
            };
            let first_start = run.segments.first().map_or(state.now_ms(), |s| s.start_ms);
            if first_start > submitted {
                // The job waited in the pool's queue, on no worker: its
                // coroutine waits on the loop, and on the worker's lane the
                // wait would cover the work of the task running there.
                state.record(
                    id,
                    Lane::Main,
                    SpanKind::Queued,
                    submitted,
                    first_start,
                    Outcome::Ok,
                );
            }
            for s in &run.segments {
                state.record(
                    id,
                    thread.unwrap_or(s.lane),
                    SpanKind::Cpu,
                    s.start_ms,
                    s.end_ms,
                    settled.outcome(),
                );
            }
            settled
        }
        Err(HandOffError::NotReady) => state.fail(RunError::PoolNotReady),
        Err(HandOffError::Lost { worker, cause }) => state.fail(RunError::WorkerLost {
            worker,
            task: id,
            cause,
        }),
    }
}
