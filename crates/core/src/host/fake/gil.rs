//! CPython's GIL in virtual time (the model of the runtime's `gil.rs`).
//!
//! One holder at a time. A thread that finds the lock held queues and waits
//! at most a switch interval; if no switch happened meanwhile it asks the
//! holder to drop the lock, which the holder does at its next chunk
//! boundary, handing it to the first thread in line and queueing itself
//! behind (forced switching): equal threads take turns per interval, and
//! nobody computes while another does, so a GIL run's wall is the sum of
//! its work. The event loop's callbacks (the fake's timer wake-ups) need
//! the lock too while a thread holds it: they wait like a thread, ask for a
//! drop after an interval, and are served first when the holder drops it,
//! all at once and in no virtual time (the loop runs its ready callbacks in
//! one turn), before the next thread in line.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use super::{FakeHost, Sleep};
use crate::host::Stretch;

/// The lock's state.
#[derive(Default)]
pub(super) struct FakeGil {
    /// The holding thread's id (0 is never used).
    holder: Option<u64>,
    /// Threads waiting, in order of arrival.
    queue: VecDeque<u64>,
    /// Loop callbacks waiting for their turn.
    loop_waiting: usize,
    /// Bumped at each of the loop's turns.
    loop_turns: u64,
    /// Bumped at every change of hands (a loop's turn included).
    switches: u64,
    /// Set by a waiter that waited a whole interval with no switch.
    drop_request: bool,
    /// The switch interval of the work that last took it, ms.
    switch_ms: f64,
    next_id: u64,
    wakers: Vec<Waker>,
}

impl FakeGil {
    fn wake_all(&mut self) {
        self.wakers.drain(..).for_each(Waker::wake);
    }

    /// Releases the lock: the loop's waiting callbacks have their turn
    /// first (in no time), then the first thread in line holds it.
    fn release(&mut self) {
        self.holder = None;
        self.drop_request = false;
        if self.loop_waiting > 0 {
            self.loop_waiting = 0;
            self.loop_turns += 1;
            self.switches += 1;
        }
        if let Some(next) = self.queue.pop_front() {
            self.holder = Some(next);
            self.switches += 1;
        }
        self.wake_all();
    }

    /// Whether the holder should drop the lock at this chunk boundary.
    fn asked_to_drop(&mut self) -> bool {
        if self.queue.is_empty() && self.loop_waiting == 0 {
            // The one who asked gave up its wait.
            self.drop_request = false;
        }
        self.drop_request
    }
}

/// Adds a stretch of `worker`, merged with the last one when it follows it
/// without a gap (the GIL dropped for the loop only and taken back at once).
pub(super) fn push_stretch(segments: &mut Vec<Stretch>, worker: usize, start: f64, end: f64) {
    match segments.last_mut() {
        Some(last) if last.end_ms == start => last.end_ms = end,
        _ => segments.push(Stretch::on_worker(worker, start, end)),
    }
}

/// Who waits for the lock.
#[derive(Clone, Copy)]
enum Waiter {
    Thread(u64),
    /// A loop callback, waiting for the loop's turn after the one it saw.
    Loop(u64),
}

/// Ready once the waiter has its turn (`true`) or `deadline_ms` passed (`false`).
struct Turn {
    gil: Rc<RefCell<FakeGil>>,
    waiter: Waiter,
    timer: Sleep,
}

impl Turn {
    fn granted(&self) -> bool {
        let gil = self.gil.borrow();
        match self.waiter {
            Waiter::Thread(id) => gil.holder == Some(id),
            Waiter::Loop(seen) => gil.loop_turns != seen || gil.holder.is_none(),
        }
    }
}

impl Future for Turn {
    type Output = bool;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<bool> {
        if self.granted() {
            return Poll::Ready(true);
        }
        if Pin::new(&mut self.timer).poll(cx).is_ready() {
            return Poll::Ready(false);
        }
        self.gil.borrow_mut().wakers.push(cx.waker().clone());
        Poll::Pending
    }
}

/// A thread's hold of the lock (or its place in line): dropped, it gives
/// the lock up (or leaves the line).
pub(super) struct Hold {
    gil: Rc<RefCell<FakeGil>>,
    id: u64,
}

impl Drop for Hold {
    fn drop(&mut self) {
        let mut gil = self.gil.borrow_mut();
        if gil.holder == Some(self.id) {
            gil.release();
        } else {
            gil.queue.retain(|&w| w != self.id);
        }
    }
}

/// A loop callback's place in line: dropped before its turn, it leaves it.
struct LoopPlace<'a> {
    gil: &'a Rc<RefCell<FakeGil>>,
    seen: u64,
}

impl Drop for LoopPlace<'_> {
    fn drop(&mut self) {
        let mut gil = self.gil.borrow_mut();
        if gil.loop_turns == self.seen {
            gil.loop_waiting = gil.loop_waiting.saturating_sub(1);
        }
    }
}

impl FakeHost {
    /// Waits one interval (or until `waiter`'s turn); asks for a drop when
    /// no switch happened meanwhile. True once it is the waiter's turn.
    async fn wait_a_turn(&self, waiter: Waiter) -> bool {
        let gil = self.0.gil.clone();
        let (seen, interval) = {
            let g = gil.borrow();
            (g.switches, g.switch_ms)
        };
        let timer = self.sleep_for(interval);
        let turn = Turn {
            gil: gil.clone(),
            waiter,
            timer,
        };
        if turn.await {
            return true;
        }
        let mut g = gil.borrow_mut();
        if g.holder.is_some() && g.switches == seen {
            g.drop_request = true;
        }
        false
    }

    /// Takes the lock for a thread under a GIL of `switch_ms`.
    pub(super) async fn take_gil(&self, switch_ms: f64) -> Hold {
        let gil = self.0.gil.clone();
        let id = {
            let mut g = gil.borrow_mut();
            g.switch_ms = switch_ms.max(0.001);
            g.next_id += 1;
            let id = g.next_id;
            if g.holder.is_none() {
                g.holder = Some(id);
                g.switches += 1;
            } else {
                g.queue.push_back(id);
            }
            id
        };
        let hold = Hold { gil, id };
        while !self.wait_a_turn(Waiter::Thread(id)).await {}
        hold
    }

    /// At a chunk boundary of `hold`: whether a waiter asked for the lock.
    pub(super) fn gil_asked(&self, _hold: &Hold) -> bool {
        self.0.gil.borrow_mut().asked_to_drop()
    }

    /// Drops `hold` for the thread that asked and queues for it again.
    pub(super) async fn switch_gil(&self, hold: Hold) -> Hold {
        let switch_ms = self.0.gil.borrow().switch_ms;
        drop(hold);
        self.take_gil(switch_ms).await
    }

    /// A loop callback: while a thread holds the lock, it waits for the
    /// loop's turn (asking for a drop after an interval); otherwise it runs
    /// at once.
    pub(super) async fn loop_turn(&self) {
        let seen = {
            let mut g = self.0.gil.borrow_mut();
            if g.holder.is_none() {
                return;
            }
            g.loop_waiting += 1;
            g.loop_turns
        };
        let _place = LoopPlace {
            gil: &self.0.gil,
            seen,
        };
        while !self.wait_a_turn(Waiter::Loop(seen)).await {}
    }
}
