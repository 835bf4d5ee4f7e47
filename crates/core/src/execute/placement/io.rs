//! I/O tasks: a wait on the event loop (a timer or a fetch), through a
//! semaphore when there is one, or a blocking call on a thread of the
//! default executor (`asyncio.to_thread`).

use std::cell::RefCell;
use std::rc::Rc;

use futures_util::future::{select, Either, LocalBoxFuture};
use futures_util::FutureExt;

use super::super::{RunState, Settled, FETCH_WATCHDOG_MS};
use crate::cancel::CancelToken;
use crate::experiment::IoSource;
use crate::host::Host;
use crate::io_model::IoTask;
use crate::slots::{acquire, release, Slots};
use crate::trace::{Lane, Outcome, SpanKind};

/// Waits for a place of `slots` (recorded as queued on the loop's lane),
/// unless the run stops first: then `None`.
pub(super) async fn take_place<H: Host>(
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
pub(super) async fn io_task<H: Host>(
    state: &RunState<H>,
    task: IoTask,
    settle: &dyn Fn(usize, Settled),
) {
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
        // The executor's place, taken last, is the thread that makes the call.
        let thread = held.last().map_or(0, |(_, place)| *place);
        blocking_wait(state, id, task, thread, settle).await;
    } else {
        settle(i, io_wait(state, id, task).await);
    }
    for (slots, place) in held {
        release(slots, place);
    }
}

/// A blocking call on an executor thread (`asyncio.to_thread`): cancelling
/// the task settles it at once, but the thread cannot be interrupted and
/// stays busy until the call returns, as in Python. The wait is drawn on
/// the lane of the executor's `thread`, not on the loop, which stays free.
async fn blocking_wait<H: Host>(
    state: &RunState<H>,
    id: u32,
    task: IoTask,
    thread: usize,
    settle: &dyn Fn(usize, Settled),
) {
    let start = state.now_ms();
    let io = io_future(state, &task);
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
    let lane = Lane::Thread(u16::try_from(thread).unwrap_or(u16::MAX));
    state.record(id, lane, SpanKind::IoWait, start, end, outcome);
}

/// A task's latency in whole ms, rounded up (the timers' unit).
fn latency_ms(task: &IoTask) -> u32 {
    u32::try_from(task.latency_us.div_ceil(1000)).unwrap_or(u32::MAX)
}

/// The wait of an I/O task: a timer of its latency, or a fetch (with a
/// watchdog) that lasts at least its latency.
fn io_future<'a, H: Host>(
    state: &'a RunState<H>,
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

/// An I/O task of the classic mistake: a blocking call inside its
/// coroutine, which holds the event loop for its whole latency.
pub(super) fn io_blocking<H: Host>(state: &RunState<H>, id: u32, task: &IoTask) -> Settled {
    if state.stop.is_cancelled() {
        return Settled::Cancelled;
    }
    let start = state.now_ms();
    state.host.block_here(task.latency_us as f64 / 1000.0);
    let settled = io_settled(id, task, Ok(task.latency_us));
    let end = state.now_ms();
    state.record(
        id,
        Lane::Main,
        SpanKind::Blocked,
        start,
        end,
        settled.outcome(),
    );
    settled
}

/// An I/O task's wait on the loop (a timer or a fetch), unless the run stops first.
pub(super) async fn io_wait<H: Host>(state: &RunState<H>, id: u32, task: IoTask) -> Settled {
    io_wait_until(state, id, task, &state.stop).await
}

/// The task a program started with `create_task` and forgot: it waits and
/// fails beside the others, outside the wait, and is cancelled only once
/// everything else is over (`over`), as `asyncio.run` cancels what is left
/// when `main` returns. Its ending is kept in the run's state.
pub(in crate::execute) async fn forgotten<H: Host>(
    state: &RunState<H>,
    task: IoTask,
    over: &CancelToken,
) {
    let settled = io_wait_until(state, task.index, task, over).await;
    state.neglected.set(Some(settled.outcome()));
}

/// An I/O task's wait on the loop, unless `stop` is cancelled first.
async fn io_wait_until<H: Host>(
    state: &RunState<H>,
    id: u32,
    task: IoTask,
    stop: &CancelToken,
) -> Settled {
    let start = state.now_ms();
    let io = io_future(state, &task);
    let stopped = stop.cancelled();
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
