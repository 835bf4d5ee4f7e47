//! The process-style pool (`ProcessPoolExecutor`): processes with memory of
//! their own, each task copied in and its result copied out.

use std::cell::RefCell;
use std::rc::Rc;

use futures_util::future::{select, Either};

use super::super::{RunError, RunState, Settled};
use crate::experiment::bounds::MAX_PROCESSES;
use crate::host::Host;
use crate::kernels::CpuTask;
use crate::trace::{Lane, Outcome, SpanKind, NO_TASK};

/// The CPU tasks on a process-style pool (`ProcessPoolExecutor`): `k`
/// processes start by the run's start method (its `mp_context`), each takes the next task as it is free, and every task
/// is copied there and its result copied back; the pool stops once every
/// task settled. A task not started when the run stops is dropped; Overlap's
/// halt (or Cancel) terminates the processes, the hard stop.
pub(super) async fn in_processes<H: Host>(
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
    let started = match state.host.start_processes(k, state.process_start).await {
        Ok(started) => started,
        Err(why) => {
            let failed = state.fail(RunError::BrokenProcessPool(why));
            for j in 0..cpu.len() {
                settle(n_io + j, failed.clone());
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
        Err(why) => state.fail(RunError::BrokenProcessPool(why)),
    }
}
