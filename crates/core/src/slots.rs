//! Numbered places that futures take in turn, first come first served: an
//! `asyncio.Semaphore`, the default executor's threads, and the fake host's
//! pool workers.
//!
//! Written here rather than taken from an async crate because the places
//! are numbered (a worker's index is its lane on the timeline) and the
//! order must be strictly the order of arrival, as asyncio's semaphore and
//! an executor's queue serve it: the model's list schedule assumes it.

use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// Numbered places taken in turn: a semaphore's, an executor's or the pool's.
pub(crate) struct Slots {
    /// Free places, highest first, so `pop` gives the lowest.
    free: Vec<usize>,
    /// Tickets of the futures waiting, in order of arrival.
    queue: VecDeque<u64>,
    wakers: BTreeMap<u64, Waker>,
    next_ticket: u64,
}

impl Slots {
    pub(crate) fn new(n: usize) -> Rc<RefCell<Slots>> {
        Rc::new(RefCell::new(Slots {
            free: (0..n).rev().collect(),
            queue: VecDeque::new(),
            wakers: BTreeMap::new(),
            next_ticket: 0,
        }))
    }

    /// Wakes the first in line, which may take a free place.
    fn wake_head(&mut self) {
        if self.free.is_empty() {
            return;
        }
        if let Some(waker) = self.queue.front().and_then(|t| self.wakers.remove(t)) {
            waker.wake();
        }
    }
}

/// A place being waited for; dropping it gives up its turn.
pub(crate) struct Acquire {
    slots: Rc<RefCell<Slots>>,
    ticket: Option<u64>,
    taken: bool,
}

impl Future for Acquire {
    type Output = usize;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
        let this = &mut *self;
        let mut s = this.slots.borrow_mut();
        let ticket = *this.ticket.get_or_insert_with(|| {
            let t = s.next_ticket;
            s.next_ticket += 1;
            s.queue.push_back(t);
            t
        });
        if s.queue.front() == Some(&ticket) {
            if let Some(place) = s.free.pop() {
                s.queue.pop_front();
                s.wakers.remove(&ticket);
                this.taken = true;
                s.wake_head();
                return Poll::Ready(place);
            }
        }
        s.wakers.insert(ticket, cx.waker().clone());
        Poll::Pending
    }
}

impl Drop for Acquire {
    fn drop(&mut self) {
        if self.taken {
            return;
        }
        if let Some(ticket) = self.ticket {
            let mut s = self.slots.borrow_mut();
            s.queue.retain(|&t| t != ticket);
            s.wakers.remove(&ticket);
            s.wake_head();
        }
    }
}

/// Waits for a place, in order of arrival; resolves with its number.
pub(crate) fn acquire(slots: &Rc<RefCell<Slots>>) -> Acquire {
    Acquire {
        slots: slots.clone(),
        ticket: None,
        taken: false,
    }
}

/// Gives place `i` back and wakes the first in line.
pub(crate) fn release(slots: &Rc<RefCell<Slots>>, i: usize) {
    let mut s = slots.borrow_mut();
    s.free.push(i);
    s.free.sort_unstable_by(|a, b| b.cmp(a));
    s.wake_head();
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::FutureExt;

    #[test]
    fn places_go_in_order_of_arrival_and_a_dropped_waiter_gives_up_its_turn() {
        let slots = Slots::new(1);
        let first = acquire(&slots).now_or_never();
        assert_eq!(first, Some(0));
        let mut second = Box::pin(acquire(&slots));
        let mut third = Box::pin(acquire(&slots));
        let mut fourth = Box::pin(acquire(&slots));
        assert_eq!(second.as_mut().now_or_never(), None);
        assert_eq!(third.as_mut().now_or_never(), None);
        assert_eq!(fourth.as_mut().now_or_never(), None);
        release(&slots, 0);
        // The fourth may not jump the queue, even polled first.
        assert_eq!(fourth.as_mut().now_or_never(), None);
        drop(second);
        assert_eq!(fourth.as_mut().now_or_never(), None);
        assert_eq!(third.as_mut().now_or_never(), Some(0));
        release(&slots, 0);
        assert_eq!(fourth.as_mut().now_or_never(), Some(0));
    }
}
