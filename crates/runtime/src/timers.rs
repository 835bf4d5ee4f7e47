//! Sleeps on the page's event loop that share one JavaScript timer.
//!
//! Written by hand because the ecosystem's wasm timers (gloo-timers, and
//! futures-timer on wasm, which uses it) start one `setTimeout` with its own
//! JS closure per future; with 100,000 concurrent waits that bookkeeping, not
//! the waiting, dominated the run. Like asyncio's event loop, this keeps the
//! deadlines in a heap and arms a single timer for the earliest one.
//!
//! A sleep of a GIL-mode run ([`sleep_under_gil`]) carries the run's lock:
//! while such a sleep is pending, the timer's callback takes that lock before
//! it wakes anything (the loop needs the GIL to run its callbacks).

use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use gloo_timers::callback::Timeout;

use crate::clock::page_now_ms;
use crate::gil::Gil;

/// Deadlines this close (µs) count as due: the timer and the page clock may
/// disagree by a few µs, and re-arming for that would cost a whole timer tick.
const DUE_SLACK_US: u64 = 500;

#[derive(Default)]
struct Queue {
    /// (deadline µs, id), earliest first; ids of dropped sleeps are skipped lazily.
    heap: BinaryHeap<Reverse<(u64, u64)>>,
    /// Live sleeps and the waker to call when due.
    wakers: HashMap<u64, Option<Waker>>,
    next_id: u64,
    /// The armed timer and the deadline it is for.
    armed: Option<(u64, Timeout)>,
    /// The locks of the GIL runs whose sleeps are pending, and how many
    /// sleeps each (in practice one run's, or none).
    gils: Vec<(Arc<Gil>, usize)>,
}

thread_local! {
    static QUEUE: RefCell<Queue> = RefCell::new(Queue::default());
}

fn now_us() -> u64 {
    (page_now_ms() * 1000.0).max(0.0) as u64
}

impl Queue {
    /// Forgets sleep `id` (done or dropped), and its hold on `gil`.
    fn forget(&mut self, id: u64, gil: Option<&Arc<Gil>>) {
        if self.wakers.remove(&id).is_none() {
            return;
        }
        if let Some(gil) = gil {
            if let Some(i) = self.gils.iter().position(|(g, _)| Arc::ptr_eq(g, gil)) {
                self.gils[i].1 -= 1;
                if self.gils[i].1 == 0 {
                    self.gils.swap_remove(i);
                }
            }
        }
    }

    /// Arms the timer for the earliest live deadline, unless it already is.
    fn arm(&mut self) {
        while let Some(Reverse((_, id))) = self.heap.peek() {
            if self.wakers.contains_key(id) {
                break;
            }
            self.heap.pop();
        }
        let Some(&Reverse((deadline, _))) = self.heap.peek() else {
            self.armed = None;
            return;
        };
        if matches!(self.armed, Some((armed, _)) if armed <= deadline) {
            return;
        }
        let delay_ms = deadline.saturating_sub(now_us()).div_ceil(1000);
        let timeout = Timeout::new(u32::try_from(delay_ms).unwrap_or(u32::MAX), fire);
        self.armed = Some((deadline, timeout));
    }
}

/// The one timer's callback: wakes every sleep that is due, then re-arms.
fn fire() {
    // In a GIL-mode run the event loop needs the run's GIL to run its
    // callbacks: timers fire late while a worker holds it (the convoy effect).
    let gils: Vec<Arc<Gil>> = QUEUE.with(|queue| {
        let queue = queue.borrow();
        queue.gils.iter().map(|(gil, _)| gil.clone()).collect()
    });
    let _holds: Vec<_> = gils.iter().map(|gil| gil.hold_for_loop()).collect();
    let due: Vec<Waker> = QUEUE.with(|queue| {
        let mut queue = queue.borrow_mut();
        queue.armed = None;
        let now = now_us().saturating_add(DUE_SLACK_US);
        let mut due = Vec::new();
        while let Some(&Reverse((deadline, id))) = queue.heap.peek() {
            if deadline > now {
                break;
            }
            queue.heap.pop();
            if let Some(waker) = queue.wakers.get_mut(&id).and_then(Option::take) {
                due.push(waker);
            }
        }
        queue.arm();
        due
    });
    // Woken outside the borrow: a woken future may register a new sleep.
    for waker in due {
        waker.wake();
    }
}

/// A future that completes `ms` milliseconds after it was created.
pub struct Sleep {
    id: u64,
    deadline_us: u64,
    /// The GIL run's lock its wake-up takes, if any.
    gil: Option<Arc<Gil>>,
}

/// Sleeps for `ms` milliseconds on the event loop; dropping it cancels it.
pub fn sleep_ms(ms: u32) -> Sleep {
    sleep_under_gil(ms, None)
}

/// Sleeps for `ms` milliseconds; with `gil` (a GIL-mode run's lock), the
/// timer's callback takes the lock before it wakes the sleep.
pub fn sleep_under_gil(ms: u32, gil: Option<Arc<Gil>>) -> Sleep {
    let deadline_us = now_us().saturating_add(u64::from(ms) * 1000);
    QUEUE.with(|queue| {
        let mut queue = queue.borrow_mut();
        let id = queue.next_id;
        queue.next_id += 1;
        queue.heap.push(Reverse((deadline_us, id)));
        queue.wakers.insert(id, None);
        if let Some(gil) = &gil {
            match queue.gils.iter_mut().find(|(g, _)| Arc::ptr_eq(g, gil)) {
                Some((_, n)) => *n += 1,
                None => queue.gils.push((gil.clone(), 1)),
            }
        }
        queue.arm();
        Sleep {
            id,
            deadline_us,
            gil,
        }
    })
}

impl Future for Sleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if now_us().saturating_add(DUE_SLACK_US) >= self.deadline_us {
            QUEUE.with(|queue| queue.borrow_mut().forget(self.id, self.gil.as_ref()));
            return Poll::Ready(());
        }
        QUEUE.with(|queue| {
            if let Some(slot) = queue.borrow_mut().wakers.get_mut(&self.id) {
                *slot = Some(cx.waker().clone());
            }
        });
        Poll::Pending
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        QUEUE.with(|queue| {
            let mut queue = queue.borrow_mut();
            queue.forget(self.id, self.gil.as_ref());
            if queue.wakers.is_empty() {
                // Nothing left to wait for: clear the timer too.
                queue.heap.clear();
                queue.armed = None;
            }
        });
    }
}

/// How many sleeps are pending and whether a timer is armed (for tests).
pub fn pending() -> (usize, bool) {
    QUEUE.with(|queue| {
        let queue = queue.borrow();
        (queue.wakers.len(), queue.armed.is_some())
    })
}
