//! Where each task runs: the driver that places a run's tasks by strategy,
//! and one function per placement (a wait on the event loop, CPU inline, in
//! cooperative chunks, on the pool, data-parallel, parallel-but-blocking).

use std::cell::RefCell;
use std::rc::Rc;

use futures_util::future::{select, Either, LocalBoxFuture};
use futures_util::stream::{FuturesUnordered, StreamExt};
use futures_util::FutureExt;

use super::{RunError, RunState, Settled, FETCH_WATCHDOG_MS};
use crate::experiment::bounds::MAX_PROCESSES;
use crate::experiment::{IoSource, Strategy};
use crate::host::{HandOffError, Host, PoolJob, PoolWork, WorkerRun};
use crate::io_model::IoTask;
use crate::kernels::{CpuTask, Progress};
use crate::slots::{acquire, release, Slots};
use crate::trace::{Lane, Outcome, SpanKind, NO_TASK};

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
    if strategy == Strategy::SequentialAwait {
        for task in io {
            let i = task.index as usize;
            settle(i, io_wait(&state, i as u32, task).await);
        }
        for (j, task) in cpu.into_iter().enumerate() {
            // No yield between CPU tasks: awaiting a coroutine that never
            // suspends does not return to the loop in Python either.
            settle(n_io + j, cpu_inline(&state, (n_io + j) as u32, task));
        }
        return;
    }

    let mut lanes: Vec<LocalBoxFuture<'_, ()>> = Vec::new();
    for task in io {
        let (state, settle) = (state.clone(), settle.clone());
        lanes.push(async move { io_task(&state, task, &*settle).await }.boxed_local());
    }
    if strategy == Strategy::ProcessPool {
        lanes.push(in_processes(state.clone(), settle.clone(), workers, cpu, n_io).boxed_local());
        let mut lanes: FuturesUnordered<_> = lanes.into_iter().collect();
        while lanes.next().await.is_some() {}
        return;
    }
    if strategy == Strategy::ToThread {
        // Every task is submitted to the default executor at once and waits
        // in its queue for a thread, in order.
        for (j, task) in cpu.into_iter().enumerate() {
            let (state, settle) = (state.clone(), settle.clone());
            let i = n_io + j;
            lanes.push(
                async move { settle(i, cpu_to_thread(&state, i as u32, task).await) }.boxed_local(),
            );
        }
        let mut lanes: FuturesUnordered<_> = lanes.into_iter().collect();
        while lanes.next().await.is_some() {}
        return;
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

/// Waits for a place of `slots` (recorded as queued on the loop's lane),
/// unless the run stops first: then `None`.
async fn take_place<H: Host>(
    state: &RunState<H>,
    id: u32,
    slots: &Rc<RefCell<Slots>>,
    lane: Lane,
) -> Option<usize> {
    let asked = state.now_ms();
    let stopped = state.stop.cancelled();
    futures_util::pin_mut!(stopped);
    let place = match select(acquire(slots), stopped).await {
        Either::Left((place, _)) => Some(place),
        Either::Right(_) => None,
    };
    let now = state.now_ms();
    if now > asked || place.is_none() {
        let outcome = if place.is_some() {
            Outcome::Ok
        } else {
            Outcome::Cancelled
        };
        state.record(id, lane, SpanKind::Queued, asked, now, outcome);
    }
    place
}

/// An I/O task: through the semaphore, if any, then its wait on the loop,
/// or for `asyncio.to_thread` a blocking call on a thread of the executor.
async fn io_task<H: Host>(state: &RunState<H>, task: IoTask, settle: &dyn Fn(usize, Settled)) {
    let i = task.index as usize;
    let id = i as u32;
    if state.stop.is_cancelled() {
        return settle(i, Settled::Cancelled);
    }
    let mut held = Vec::new();
    for slots in [&state.semaphore, &state.executor].into_iter().flatten() {
        match take_place(state, id, slots, Lane::Main).await {
            Some(place) => held.push((slots, place)),
            None => {
                for (slots, place) in held {
                    release(slots, place);
                }
                return settle(i, Settled::Cancelled);
            }
        }
    }
    if state.executor.is_some() {
        blocking_wait(state, id, task, settle).await;
    } else {
        settle(i, io_wait(state, id, task).await);
    }
    for (slots, place) in held {
        release(slots, place);
    }
}

/// A blocking call on an executor thread (`asyncio.to_thread`): cancelling
/// the task settles it at once, but the thread cannot be interrupted and
/// stays busy until the call returns, as in Python.
async fn blocking_wait<H: Host>(
    state: &RunState<H>,
    id: u32,
    task: IoTask,
    settle: &dyn Fn(usize, Settled),
) {
    let start = state.now_ms();
    let io = io_future(state, id, &task);
    let stopped = state.stop.cancelled();
    futures_util::pin_mut!(stopped);
    let outcome = match select(io, stopped).await {
        Either::Left((result, _)) => {
            let settled = io_settled(id, &task, result);
            let outcome = settled.outcome();
            settle(id as usize, settled);
            outcome
        }
        Either::Right((_, io)) => {
            settle(id as usize, Settled::Cancelled);
            let _ = io.await;
            Outcome::Cancelled
        }
    };
    let end = state.now_ms();
    state.record(id, Lane::Main, SpanKind::IoWait, start, end, outcome);
}

/// A task's latency in whole ms, rounded up (the timers' unit).
fn latency_ms(task: &IoTask) -> u32 {
    u32::try_from(task.latency_us.div_ceil(1000)).unwrap_or(u32::MAX)
}

/// The wait of an I/O task: a timer of its latency, or a fetch (with a
/// watchdog) that lasts at least its latency.
fn io_future<'a, H: Host>(
    state: &'a RunState<H>,
    _id: u32,
    task: &IoTask,
) -> LocalBoxFuture<'a, Result<u64, String>> {
    match state.io_source {
        IoSource::Timer => {
            let latency_us = task.latency_us;
            state
                .host
                .sleep(latency_ms(task))
                .map(move |()| Ok(latency_us))
                .boxed_local()
        }
        IoSource::Fetch => {
            // A request that never answers must not hold the run forever.
            let fetch = state.host.fetch();
            let limit = state.host.sleep(FETCH_WATCHDOG_MS);
            // The drawn latency is the server's time: the wait lasts the
            // longer of the two, as a slow server's answer would.
            let latency = state.host.sleep(latency_ms(task));
            async move {
                let request = async move {
                    match select(fetch, limit).await {
                        Either::Left((result, _)) => result,
                        Either::Right(_) => {
                            Err(format!("no answer within {} s", FETCH_WATCHDOG_MS / 1000))
                        }
                    }
                };
                futures_util::future::join(request, latency).await.0
            }
            .boxed_local()
        }
    }
}

/// What an I/O wait that ended gives: its value, its error, or the
/// workload's injected failure.
fn io_settled(id: u32, task: &IoTask, result: Result<u64, String>) -> Settled {
    match result {
        Err(err) => Settled::Failed(format!("I/O task {}: {err}", id + 1)),
        Ok(_) if task.fails => {
            Settled::Failed(format!("I/O task {} failed (injected failure)", id + 1))
        }
        Ok(value) => Settled::Ok(value),
    }
}

async fn io_wait<H: Host>(state: &RunState<H>, id: u32, task: IoTask) -> Settled {
    let start = state.now_ms();
    let io = io_future(state, id, &task);
    let stopped = state.stop.cancelled();
    futures_util::pin_mut!(stopped);
    // Dropping the losing side clears it: the sleep leaves the timer queue,
    // the fetch aborts its request.
    let settled = match select(io, stopped).await {
        Either::Left((result, _)) => io_settled(id, &task, result),
        Either::Right(_) => Settled::Cancelled,
    };
    let end = state.now_ms();
    state.record(
        id,
        Lane::Main,
        SpanKind::IoWait,
        start,
        end,
        settled.outcome(),
    );
    settled
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
    let run = state.host.split_here(task, serial, state.pieces);
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

async fn cpu_on_pool<H: Host>(state: &RunState<H>, id: u32, task: CpuTask, gil: bool) -> Settled {
    let work = PoolWork::Chunked {
        chunk: state.chunk,
        gil,
    };
    hand_off(state, id, task, work).await
}

/// The CPU tasks on a process-style pool (`ProcessPoolExecutor`): `k`
/// processes start, each takes the next task as it is free, and every task
/// is copied there and its result copied back; the pool stops once every
/// task settled. A task not started when the run stops is dropped; Overlap's
/// halt (or Cancel) terminates the processes, the hard stop.
async fn in_processes<H: Host>(
    state: Rc<RunState<H>>,
    settle: Rc<dyn Fn(usize, Settled)>,
    workers: u32,
    cpu: Vec<CpuTask>,
    n_io: usize,
) {
    if cpu.is_empty() {
        return;
    }
    let k = workers.clamp(1, MAX_PROCESSES);
    let submitted = state.now_ms();
    let started = match state.host.start_processes(k).await {
        Ok(started) => started,
        Err(why) => {
            let error = RunError::BrokenProcessPool(why);
            let message = error.to_string();
            state.fail(error);
            for j in 0..cpu.len() {
                settle(n_io + j, Settled::Failed(message.clone()));
            }
            return;
        }
    };
    for s in &started {
        state.record(
            NO_TASK,
            s.lane,
            SpanKind::Startup,
            s.start_ms,
            s.end_ms,
            Outcome::Ok,
        );
    }
    let queue = RefCell::new(cpu.into_iter().enumerate());
    let processes = (0..started.len()).map(|p| {
        let (state, settle, queue) = (&state, &settle, &queue);
        async move {
            loop {
                let next = queue.borrow_mut().next();
                let Some((j, task)) = next else { break };
                let (i, id) = (n_io + j, (n_io + j) as u32);
                let settled = if state.stop.is_cancelled() {
                    Settled::Cancelled
                } else {
                    in_process(state, p, id, task, submitted).await
                };
                settle(i, settled);
            }
        }
    });
    futures_util::future::join_all(processes).await;
    state.host.stop_processes();
}

/// One task's trip through process `p`, recorded on its lane (the copy in,
/// the work, the copy out) after its wait in the page's queue.
async fn in_process<H: Host>(
    state: &RunState<H>,
    p: usize,
    id: u32,
    task: CpuTask,
    submitted: f64,
) -> Settled {
    let lane = Lane::Process(u16::try_from(p).unwrap_or(u16::MAX));
    let trip = state.host.in_process(p, task);
    let halted = state.halt.cancelled();
    futures_util::pin_mut!(halted);
    let trip = match select(trip, halted).await {
        Either::Left((trip, _)) => trip,
        Either::Right((_, trip)) => {
            // The hard stop: terminate() fails what the processes owed.
            state.host.stop_processes();
            trip.await
        }
    };
    match trip {
        Ok(t) => {
            let settled = if state.cancelled_at_return() {
                Settled::Cancelled
            } else {
                Settled::Ok(t.checksum)
            };
            let outcome = settled.outcome();
            // Waiting for a free process happens on the page's side, not on
            // a process's lane (which is busy with the tasks before).
            if t.sent_ms > submitted {
                let queued = (Lane::Main, SpanKind::Queued);
                state.record(id, queued.0, queued.1, submitted, t.sent_ms, Outcome::Ok);
            }
            state.record(
                id,
                lane,
                SpanKind::Transfer,
                t.sent_ms,
                t.received_ms,
                outcome,
            );
            state.record(id, lane, SpanKind::Cpu, t.received_ms, t.end_ms, outcome);
            state.record(id, lane, SpanKind::Transfer, t.end_ms, t.back_ms, outcome);
            settled
        }
        Err(_) if state.halt.is_cancelled() => Settled::Cancelled,
        Err(why) => {
            let error = RunError::BrokenProcessPool(why);
            let message = error.to_string();
            state.fail(error);
            Settled::Failed(message)
        }
    }
}

/// A CPU task through `asyncio.to_thread`: it waits for a thread of the
/// default executor, then runs under the GIL on the pool.
async fn cpu_to_thread<H: Host>(state: &RunState<H>, id: u32, task: CpuTask) -> Settled {
    let Some(executor) = &state.executor else {
        return cpu_on_pool(state, id, task, true).await;
    };
    if state.stop.is_cancelled() {
        return Settled::Cancelled;
    }
    let submitted = state.now_ms();
    let Some(place) = take_place(state, id, executor, Lane::Main).await else {
        return Settled::Cancelled;
    };
    let work = PoolWork::Chunked {
        chunk: state.chunk,
        gil: true,
    };
    let settled = hand_off_at(state, id, task, work, state.now_ms().max(submitted)).await;
    release(executor, place);
    settled
}

async fn cpu_data_parallel<H: Host>(state: &RunState<H>, id: u32, task: CpuTask) -> Settled {
    let work = PoolWork::Split {
        serial_steps: task.serial_steps(state.serial_fraction),
        pieces: state.pieces,
    };
    hand_off(state, id, task, work).await
}

async fn hand_off<H: Host>(state: &RunState<H>, id: u32, task: CpuTask, work: PoolWork) -> Settled {
    hand_off_at(state, id, task, work, state.now_ms()).await
}

/// Hands `task` to the pool; time on the pool's queue counts from `submitted`.
async fn hand_off_at<H: Host>(
    state: &RunState<H>,
    id: u32,
    task: CpuTask,
    work: PoolWork,
    submitted: f64,
) -> Settled {
    let job = PoolJob {
        task,
        work,
        cancel: state.stop.flag(),
        halt: state.halt.flag(),
    };
    let result = state.host.hand_off(job).await;
    settle_worker_run(state, id, submitted, result)
}

fn settle_worker_run<H: Host>(
    state: &RunState<H>,
    id: u32,
    submitted: f64,
    result: Result<WorkerRun, HandOffError>,
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
                let lane = Lane::Worker(u16::try_from(run.worker).unwrap_or(u16::MAX));
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
        Err(HandOffError::NotReady) => {
            state.fail(RunError::PoolNotReady);
            Settled::Failed(RunError::PoolNotReady.to_string())
        }
        Err(HandOffError::Lost { worker }) => {
            let error = RunError::WorkerLost { worker, task: id };
            let message = error.to_string();
            state.fail(error);
            Settled::Failed(message)
        }
    }
}
