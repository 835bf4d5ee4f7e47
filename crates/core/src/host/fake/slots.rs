//! Numbered places that futures take in turn: the fake pool's workers, and
//! its GIL (one place).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::task::{Poll, Waker};

use futures_util::future::poll_fn;

/// Numbered places taken in turn: the pool's workers, or the GIL (one place).
pub(super) struct Slots {
    /// Free places, highest first, so `pop` gives the lowest.
    free: Vec<usize>,
    waiters: VecDeque<Waker>,
}

impl Slots {
    pub(super) fn new(n: usize) -> Rc<RefCell<Slots>> {
        Rc::new(RefCell::new(Slots {
            free: (0..n).rev().collect(),
            waiters: VecDeque::new(),
        }))
    }
}

pub(super) async fn acquire(slots: &Rc<RefCell<Slots>>) -> usize {
    poll_fn(|cx| {
        let mut s = slots.borrow_mut();
        match s.free.pop() {
            Some(i) => Poll::Ready(i),
            None => {
                s.waiters.push_back(cx.waker().clone());
                Poll::Pending
            }
        }
    })
    .await
}

pub(super) fn release(slots: &Rc<RefCell<Slots>>, i: usize) {
    let waiter = {
        let mut s = slots.borrow_mut();
        s.free.push(i);
        s.free.sort_unstable_by(|a, b| b.cmp(a));
        s.waiters.pop_front()
    };
    if let Some(w) = waiter {
        w.wake();
    }
}
