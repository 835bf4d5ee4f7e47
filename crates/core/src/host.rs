//! What the scheduling code needs from the platform, as a trait: a clock and
//! timers. The browser runtime implements it over the page clock and its one
//! JS timer; [`fake::FakeHost`] implements it in virtual time, so that the
//! semantics built on it (`asyncio.wait`, timeouts) are tested natively,
//! fast and deterministically.

use futures_util::future::LocalBoxFuture;

/// A clock and timers.
pub trait Host {
    /// Now, in ms.
    fn now_ms(&self) -> f64;
    /// A future that completes `ms` milliseconds from now.
    fn sleep(&self, ms: u32) -> LocalBoxFuture<'static, ()>;
}

pub mod fake {
    //! A host in virtual time: sleeps complete when the test advances the
    //! clock past their deadline, never by waiting.

    use std::cell::RefCell;
    use std::future::Future;
    use std::pin::Pin;
    use std::rc::Rc;
    use std::task::{Context, Poll, Waker};

    use futures_util::future::LocalBoxFuture;

    use super::Host;

    #[derive(Default)]
    struct Clock {
        now_ms: f64,
        /// (deadline, waker) of every sleep not yet woken.
        sleepers: Vec<(f64, Waker)>,
    }

    /// A clock that only moves when told to, and the sleeps waiting on it.
    #[derive(Clone, Default)]
    pub struct FakeHost(Rc<RefCell<Clock>>);

    impl FakeHost {
        /// A host at time 0.
        pub fn new() -> FakeHost {
            FakeHost::default()
        }

        /// The earliest deadline of a pending sleep, if any.
        pub fn next_deadline_ms(&self) -> Option<f64> {
            self.0
                .borrow()
                .sleepers
                .iter()
                .map(|s| s.0)
                .fold(None, |m: Option<f64>, d| Some(m.map_or(d, |m| m.min(d))))
        }

        /// Moves the clock to `ms` (never back) and wakes the sleeps due by then.
        pub fn advance_to(&self, ms: f64) {
            let due: Vec<Waker> = {
                let mut clock = self.0.borrow_mut();
                clock.now_ms = clock.now_ms.max(ms);
                let now = clock.now_ms;
                let (due, pending): (Vec<_>, Vec<_>) =
                    clock.sleepers.drain(..).partition(|s| s.0 <= now);
                clock.sleepers = pending;
                due.into_iter().map(|s| s.1).collect()
            };
            due.into_iter().for_each(Waker::wake);
        }
    }

    struct Sleep {
        clock: Rc<RefCell<Clock>>,
        deadline_ms: f64,
    }

    impl Future for Sleep {
        type Output = ();

        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            let mut clock = self.clock.borrow_mut();
            if clock.now_ms >= self.deadline_ms {
                return Poll::Ready(());
            }
            clock.sleepers.push((self.deadline_ms, cx.waker().clone()));
            Poll::Pending
        }
    }

    impl Host for FakeHost {
        fn now_ms(&self) -> f64 {
            self.0.borrow().now_ms
        }

        fn sleep(&self, ms: u32) -> LocalBoxFuture<'static, ()> {
            Box::pin(Sleep {
                clock: self.0.clone(),
                deadline_ms: self.now_ms() + f64::from(ms),
            })
        }
    }
}
