//! GIL mode's lock, built like CPython's (since 3.2): one holder at a time;
//! a thread that waited a whole switch interval asks the holder to drop it;
//! the holder drops it at its next check (between two chunks, CPython's
//! "eval breaker") and waits until another thread took it (forced
//! switching), so equal threads take turns instead of one running to its
//! end. During a GIL-mode run the event loop needs the lock too, to run its
//! callbacks (timers, the lag probe's heartbeat): they wait while a worker
//! holds it, which is the convoy effect CPython shows.
//!
//! Workers wait on a condition variable; the main thread may never wait on
//! one (`Atomics.wait` is refused there), so it spins, at most until the
//! holder's next chunk boundary after a switch request.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};

use crate::clock::page_now_ms;

/// CPython's default switch interval (`sys.getswitchinterval()`), ms.
pub const DEFAULT_SWITCH_MS: u32 = 5;

struct Gil {
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
    interval_us: AtomicU64,
    /// Whether the event loop's callbacks take the lock (a GIL-mode run is on).
    loop_needs_it: AtomicBool,
    /// Workers sleep here while they wait.
    sleep: Mutex<()>,
    wake: Condvar,
}

static GIL: Gil = Gil {
    holder: AtomicUsize::new(0),
    drop_request: AtomicBool::new(false),
    switches: AtomicU64::new(0),
    last_holder: AtomicUsize::new(0),
    waiting_workers: AtomicUsize::new(0),
    interval_us: AtomicU64::new(DEFAULT_SWITCH_MS as u64 * 1000),
    loop_needs_it: AtomicBool::new(false),
    sleep: Mutex::new(()),
    wake: Condvar::new(),
};

/// The main thread's key; workers are 2, 3, …
const MAIN: usize = 1;

fn me() -> usize {
    rayon::current_thread_index().map_or(MAIN, |w| w + 2)
}

fn now_us() -> u64 {
    (page_now_ms() * 1000.0).max(0.0) as u64
}

/// Waits until the lock looks free or `deadline_us` passes.
fn wait_until_free(deadline_us: u64) {
    if me() == MAIN {
        while GIL.holder.load(Ordering::Acquire) != 0 && now_us() < deadline_us {
            std::hint::spin_loop();
        }
        return;
    }
    // A poisoned lock guards nothing (`()`): carry on with it.
    let mut guard = GIL.sleep.lock().unwrap_or_else(|p| p.into_inner());
    while GIL.holder.load(Ordering::Acquire) != 0 {
        let now = now_us();
        if now >= deadline_us {
            break;
        }
        let wait = std::time::Duration::from_micros(deadline_us - now);
        guard = match GIL.wake.wait_timeout(guard, wait) {
            Ok((g, _)) => g,
            Err(p) => p.into_inner().0,
        };
    }
}

/// Takes the lock, asking the holder to drop it after a whole interval.
pub fn acquire() {
    let key = me();
    loop {
        if GIL
            .holder
            .compare_exchange(0, key, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
        {
            GIL.last_holder.store(key, Ordering::Release);
            GIL.switches.fetch_add(1, Ordering::AcqRel);
            GIL.drop_request.store(false, Ordering::Release);
            return;
        }
        let seen = GIL.switches.load(Ordering::Acquire);
        let worker = key != MAIN;
        if worker {
            GIL.waiting_workers.fetch_add(1, Ordering::AcqRel);
        }
        wait_until_free(now_us() + GIL.interval_us.load(Ordering::Relaxed));
        if worker {
            GIL.waiting_workers.fetch_sub(1, Ordering::AcqRel);
        }
        if GIL.holder.load(Ordering::Acquire) != 0 && GIL.switches.load(Ordering::Acquire) == seen {
            GIL.drop_request.store(true, Ordering::Release);
        }
    }
}

/// Releases the lock (held by this thread).
pub fn release() {
    GIL.holder.store(0, Ordering::Release);
    // Without the mutex: the main thread may not wait on it. A worker that
    // misses this wake-up sleeps at most until its interval ends.
    GIL.wake.notify_all();
}

/// Whether another thread asked the holder to drop the lock.
pub fn drop_requested() -> bool {
    GIL.drop_request.load(Ordering::Acquire)
}

/// Drops the lock for a waiting thread and takes it back after it: forced
/// switching, so the waiter really gets its turn. When the event loop takes
/// it in between while a worker waits, that worker's turn is still owed:
/// keep waiting (at most one interval) until a worker had it.
pub fn switch() {
    let mut seen = GIL.switches.load(Ordering::Acquire);
    release();
    let deadline = now_us() + GIL.interval_us.load(Ordering::Relaxed);
    while now_us() < deadline {
        let now_seen = GIL.switches.load(Ordering::Acquire);
        if now_seen != seen {
            let by_loop = GIL.last_holder.load(Ordering::Acquire) == MAIN;
            if !by_loop || GIL.waiting_workers.load(Ordering::Acquire) == 0 {
                break;
            }
            seen = now_seen;
        }
        std::hint::spin_loop();
    }
    acquire();
}

/// Sets the switch interval (`sys.setswitchinterval`), ms, at least 1.
pub fn set_switch_interval_ms(ms: u32) {
    GIL.interval_us
        .store(u64::from(ms.max(1)) * 1000, Ordering::Relaxed);
}

/// While alive, the event loop's callbacks take the lock: a GIL-mode run.
pub struct LoopNeedsGil(());

impl LoopNeedsGil {
    /// Starts a GIL-mode run with switch interval `switch_ms`.
    pub fn start(switch_ms: u32) -> LoopNeedsGil {
        set_switch_interval_ms(switch_ms);
        GIL.loop_needs_it.store(true, Ordering::Release);
        LoopNeedsGil(())
    }
}

impl Drop for LoopNeedsGil {
    fn drop(&mut self) {
        GIL.loop_needs_it.store(false, Ordering::Release);
    }
}

/// The lock held by an event-loop callback, when a GIL-mode run needs it.
pub struct LoopHold(bool);

impl LoopHold {
    /// Takes the lock for the current callback if a GIL-mode run is on.
    pub fn take() -> LoopHold {
        let needed = GIL.loop_needs_it.load(Ordering::Acquire);
        if needed {
            acquire();
        }
        LoopHold(needed)
    }
}

impl Drop for LoopHold {
    fn drop(&mut self) {
        if self.0 {
            release();
        }
    }
}
