//! GIL mode's lock, built like CPython's (since 3.2): one holder at a time;
//! a thread that waited a whole switch interval asks the holder to drop it;
//! the holder drops it at its next check (between two chunks, CPython's
//! "eval breaker") and waits until another thread took it (forced
//! switching), so equal threads take turns instead of one running to its
//! end. During a GIL-mode run the event loop needs the lock too, to run its
//! callbacks (timers, the lag probe's heartbeat): they wait while a worker
//! holds it, which is the convoy effect CPython shows.
//!
//! The lock belongs to a run: a run whose strategy holds the GIL makes one
//! with its switch interval and hands it to its `BrowserHost`, which gives
//! it to each job under the GIL and takes it for the loop's callbacks it
//! owns (its timers' wake-ups, the heartbeat). There is no lock outside a
//! GIL run, and nothing takes one. Core's fake host models the same lock in
//! virtual time, where its shape (turns, the loop's lag) is tested.
//!
//! Workers wait on a condition variable; the main thread may never wait on
//! one (`Atomics.wait` is refused there), so it spins, at most until the
//! holder's next chunk boundary after a switch request.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};

use crate::clock::page_now_ms;

/// A run's GIL.
#[derive(Debug)]
pub struct Gil {
    /// Thread key of the holder; 0 when free.
    holder: AtomicUsize,
    /// Set by a thread that waited a whole interval with no switch.
    drop_request: AtomicBool,
    /// Bumped at every acquisition: a waiter can tell whether a switch happened.
    switches: AtomicU64,
    /// Key of the last thread that took the lock.
    last_holder: AtomicUsize,
    /// Workers waiting for the lock now.
    waiting_workers: AtomicUsize,
    /// Switch interval, µs.
    interval_us: u64,
    /// Workers sleep here while they wait.
    sleep: Mutex<()>,
    wake: Condvar,
}

/// The main thread's key; workers are 2, 3, …
const MAIN: usize = 1;

fn me() -> usize {
    rayon::current_thread_index().map_or(MAIN, |w| w + 2)
}

fn now_us() -> u64 {
    (page_now_ms() * 1000.0).max(0.0) as u64
}

impl Gil {
    /// A free lock with switch interval `switch_us` (`sys.setswitchinterval`), at least 1 ms.
    pub fn new(switch_us: u32) -> Gil {
        Gil {
            holder: AtomicUsize::new(0),
            drop_request: AtomicBool::new(false),
            switches: AtomicU64::new(0),
            last_holder: AtomicUsize::new(0),
            waiting_workers: AtomicUsize::new(0),
            interval_us: u64::from(switch_us.max(1_000)),
            sleep: Mutex::new(()),
            wake: Condvar::new(),
        }
    }

    /// The switch interval, µs.
    pub fn switch_us(&self) -> u64 {
        self.interval_us
    }

    /// Waits until the lock looks free or `deadline_us` passes.
    fn wait_until_free(&self, deadline_us: u64) {
        if me() == MAIN {
            while self.holder.load(Ordering::Acquire) != 0 && now_us() < deadline_us {
                std::hint::spin_loop();
            }
            return;
        }
        // A poisoned lock guards nothing (`()`): carry on with it.
        let mut guard = self.sleep.lock().unwrap_or_else(|p| p.into_inner());
        while self.holder.load(Ordering::Acquire) != 0 {
            let now = now_us();
            if now >= deadline_us {
                break;
            }
            let wait = std::time::Duration::from_micros(deadline_us - now);
            guard = match self.wake.wait_timeout(guard, wait) {
                Ok((g, _)) => g,
                Err(p) => p.into_inner().0,
            };
        }
    }

    /// Takes the lock, asking the holder to drop it after a whole interval.
    pub fn acquire(&self) {
        let key = me();
        loop {
            if self
                .holder
                .compare_exchange(0, key, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
            {
                self.last_holder.store(key, Ordering::Release);
                self.switches.fetch_add(1, Ordering::AcqRel);
                self.drop_request.store(false, Ordering::Release);
                return;
            }
            let seen = self.switches.load(Ordering::Acquire);
            let worker = key != MAIN;
            if worker {
                self.waiting_workers.fetch_add(1, Ordering::AcqRel);
            }
            self.wait_until_free(now_us() + self.interval_us);
            if worker {
                self.waiting_workers.fetch_sub(1, Ordering::AcqRel);
            }
            if self.holder.load(Ordering::Acquire) != 0
                && self.switches.load(Ordering::Acquire) == seen
            {
                self.drop_request.store(true, Ordering::Release);
            }
        }
    }

    /// Releases the lock (held by this thread).
    pub fn release(&self) {
        self.holder.store(0, Ordering::Release);
        // Without the mutex: the main thread may not wait on it. A worker that
        // misses this wake-up sleeps at most until its interval ends.
        self.wake.notify_all();
    }

    /// Whether the calling thread holds the lock.
    pub fn held_here(&self) -> bool {
        self.holder.load(Ordering::Acquire) == me()
    }

    /// Whether another thread asked the holder to drop the lock.
    pub fn drop_requested(&self) -> bool {
        self.drop_request.load(Ordering::Acquire)
    }

    /// Drops the lock for a waiting thread and takes it back after it: forced
    /// switching, so the waiter really gets its turn. When the event loop takes
    /// it in between while a worker waits, that worker's turn is still owed:
    /// keep waiting (at most one interval) until a worker had it.
    pub fn switch(&self) {
        let mut seen = self.switches.load(Ordering::Acquire);
        self.release();
        let deadline = now_us() + self.interval_us;
        while now_us() < deadline {
            let now_seen = self.switches.load(Ordering::Acquire);
            if now_seen != seen {
                let by_loop = self.last_holder.load(Ordering::Acquire) == MAIN;
                if !by_loop || self.waiting_workers.load(Ordering::Acquire) == 0 {
                    break;
                }
                seen = now_seen;
            }
            std::hint::spin_loop();
        }
        self.acquire();
    }

    /// Takes the lock for one of the event loop's callbacks (spinning, on
    /// the main thread) until the hold is dropped.
    pub fn hold_for_loop(&self) -> LoopHold<'_> {
        self.acquire();
        LoopHold(self)
    }
}

/// The lock held by an event-loop callback of a GIL-mode run.
pub struct LoopHold<'a>(&'a Gil);

impl Drop for LoopHold<'_> {
    fn drop(&mut self) {
        self.0.release();
    }
}
