//! The rayon pool of Web Workers: start-up, health, and handing it work
//! without ever blocking the page's main thread.
//!
//! Start-up is reliable by construction: the pool is built by a dedicated
//! "pool host" worker (`js/pool_host.js`), never by the main thread, because
//! building it may make the calling thread wait on a lock and the main thread
//! is not allowed to wait. Once built, the pool lives in shared memory; the
//! main thread only ever pushes jobs into it (`rayon::spawn`, lock-free from
//! its side) and awaits their results through a oneshot channel.
//!
//! Start-up ([`start_pool`]): the page records its time origin, starts the pool
//! host and posts it the module, the shared memory and the glue's URL; the host
//! instantiates the module and calls wasm-bindgen-rayon's `initThreadPool(n)`,
//! then posts "ready". A 20 s watchdog turns a stuck start into an error with a
//! retry.
//!
//! Every await on the pool has a watchdog (`watch`): a oneshot raced with a
//! timer, or progress watched (a job that stops ticking while its run stands
//! still is on a lost worker). A job's result wakes the page's future from the
//! worker that computed it (wasm-bindgen-futures' waker is thread-safe in
//! atomics builds).
//!
//! A worker's death is heard, not guessed (`deaths`): `js/pool_host.js`, which
//! every rayon worker imports through the glue, catches the trap unwinding out
//! of rayon's loop, asks the instance which thread it was and tells the page;
//! a watched job on the dead worker ends at once with the cause. `recovery`
//! asks boot.js for a fresh instance over fresh memory (a global pool cannot
//! be rebuilt). Tested in Chrome and Firefox: `tests/pool.rs`,
//! `tests/worker_lost.rs`.

mod deaths;
mod error;
mod recovery;
mod watch;

use std::cell::RefCell;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

use futures_channel::oneshot;
use futures_util::future::{select, Either};
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::clock::{init_page_clock, page_ms_of_epoch, page_now_ms};
use crate::env::{capabilities, js_error_text};
use crate::instance::{self, GLUE_URL};

use deaths::hear_death;
pub use deaths::{deaths, is_broken, pool_worker_index, Death, STILL_AFTER_DEATH_MS};
pub use error::PoolError;
pub use recovery::{rebuild_page, recovery, Recovery};
pub use watch::{run_watched, JobProbe, WatchError};

/// Fewest pool threads: with one, a pool could show concurrency but never parallelism.
pub const MIN_POOL_THREADS: usize = 2;
/// Most pool threads: each costs a worker, a wasm instance and a stack in shared memory.
pub const MAX_POOL_THREADS: usize = 32;
/// How long the pool may take to start before the page gives up and says so.
pub const STARTUP_TIMEOUT_MS: u32 = 20_000;

const NOT_STARTED: u8 = 0;
const STARTING: u8 = 1;
const READY: u8 = 2;
const FAILED: u8 = 3;
const SHUT_DOWN: u8 = 4;

static STATE: AtomicU8 = AtomicU8::new(NOT_STARTED);
static THREADS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    // The host worker owns the pool's workers (they are nested in it), so it
    // must stay referenced for the life of the page.
    static HOST: RefCell<Option<web_sys::Worker>> = const { RefCell::new(None) };
}

/// Stops the pool for good: its host worker is terminated, and with it the
/// workers nested in it. Only for a page that replaces this instance.
pub fn shut_down() {
    STATE.store(SHUT_DOWN, Ordering::Release);
    HOST.with(|host| {
        if let Some(worker) = host.borrow_mut().take() {
            worker.terminate();
        }
    });
}

#[wasm_bindgen(module = "/js/pool_host.js")]
extern "C" {
    #[wasm_bindgen(js_name = spawnPoolHost)]
    fn spawn_pool_host(
        module: JsValue,
        memory: JsValue,
        main_js: js_sys::JsString,
        threads: usize,
        on_died: &JsValue,
    ) -> js_sys::Promise;
}

/// What a started pool reports.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PoolInfo {
    /// Worker threads in the pool.
    pub threads: usize,
    /// Milliseconds from the first worker created (the pool host) to the
    /// last worker ready.
    pub startup_ms: f64,
}

/// The pool size for a device with `logical_cores`: one worker per core, within bounds.
pub fn pool_threads_for(logical_cores: u32) -> usize {
    usize::try_from(logical_cores)
        .unwrap_or(MAX_POOL_THREADS)
        .clamp(MIN_POOL_THREADS, MAX_POOL_THREADS)
}

/// Whether the pool is built and accepting work.
pub fn is_ready() -> bool {
    STATE.load(Ordering::Acquire) == READY
}

/// Worker threads in the pool, or 0 before it is ready.
pub fn threads() -> usize {
    if is_ready() {
        THREADS.load(Ordering::Acquire)
    } else {
        0
    }
}

/// Starts the pool with `threads` workers (clamped to the bounds) from the main thread.
///
/// The global pool can be built once per page, so a second call after a
/// success returns the first result's thread count with a start-up time of 0.
pub async fn start_pool(threads: usize) -> Result<PoolInfo, PoolError> {
    let threads = threads.clamp(MIN_POOL_THREADS, MAX_POOL_THREADS);
    let caps = capabilities();
    if !caps.threaded_build {
        return Err(PoolError::NotThreaded);
    }
    if !caps.cross_origin_isolated {
        return Err(PoolError::NotIsolated);
    }
    if let Err(state) =
        STATE.compare_exchange(NOT_STARTED, STARTING, Ordering::AcqRel, Ordering::Acquire)
    {
        return if state == READY {
            Ok(PoolInfo {
                threads: THREADS.load(Ordering::Acquire),
                startup_ms: 0.0,
            })
        } else {
            Err(PoolError::AlreadyStarted)
        };
    }
    init_page_clock();
    instance::note_initial_memory();
    let started = page_now_ms();
    // Lives as long as the page: a worker may die at any time.
    let on_died = Closure::<dyn Fn(i32, String)>::new(hear_death).into_js_value();
    let promise = spawn_pool_host(
        wasm_bindgen::module(),
        wasm_bindgen::memory(),
        GLUE_URL.with(Clone::clone),
        threads,
        &on_died,
    );
    let outcome = select(
        JsFuture::from(promise),
        TimeoutFuture::new(STARTUP_TIMEOUT_MS),
    )
    .await;
    match outcome {
        Either::Left((Ok(built), _)) => {
            let built: js_sys::Array = built.unchecked_into();
            HOST.with(|host| *host.borrow_mut() = Some(built.get(0).unchecked_into()));
            THREADS.store(threads, Ordering::Release);
            STATE.store(READY, Ordering::Release);
            // From the host worker's creation to the last worker ready, as
            // the host timed it: not when this thread, busy drawing the
            // page meanwhile, heard of it.
            let ready_ms = built
                .get(1)
                .as_f64()
                .map_or_else(page_now_ms, page_ms_of_epoch);
            Ok(PoolInfo {
                threads,
                startup_ms: ready_ms - started,
            })
        }
        Either::Left((Err(err), _)) => {
            STATE.store(FAILED, Ordering::Release);
            Err(PoolError::HostFailed(
                js_error_text(&err).unwrap_or_else(|| "an error without a message".to_owned()),
            ))
        }
        Either::Right(_) => {
            STATE.store(FAILED, Ordering::Release);
            Err(PoolError::TimedOut {
                after_ms: STARTUP_TIMEOUT_MS,
            })
        }
    }
}

/// Runs `job` on a pool worker and resolves with its result on the calling
/// (main) thread, which keeps running meanwhile. `watchdog_ms` bounds the wait.
pub async fn run_on_pool<R, F>(job: F, watchdog_ms: u32) -> Result<R, PoolError>
where
    R: Send + 'static,
    F: FnOnce() -> R + Send + 'static,
{
    // Before the pool exists, rayon would try to build a default one with
    // std threads, which cannot exist here.
    if !is_ready() {
        return Err(PoolError::NotReady);
    }
    let (sender, receiver) = oneshot::channel();
    rayon::spawn(move || {
        // The receiver may be gone (the run was abandoned); nothing to do then.
        let _ = sender.send(job());
    });
    match select(receiver, TimeoutFuture::new(watchdog_ms)).await {
        Either::Left((Ok(result), _)) => Ok(result),
        Either::Left((Err(oneshot::Canceled), _)) => Err(PoolError::WorkerLost),
        Either::Right(_) => Err(PoolError::TimedOut {
            after_ms: watchdog_ms,
        }),
    }
}

/// Counts the pool's live workers: each runs a tiny broadcast job within
/// `within_ms`. A worker busy with a long job counts as not answering, so ask
/// when the pool is idle.
pub async fn live_workers(within_ms: u32) -> usize {
    if !is_ready() {
        return 0;
    }
    let answered = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    {
        let answered = answered.clone();
        rayon::spawn_broadcast(move |ctx| {
            answered.fetch_or(1u64 << (ctx.index() % 64), Ordering::AcqRel);
        });
    }
    let expected = threads();
    let mut waited = 0u32;
    loop {
        let live = answered.load(Ordering::Acquire).count_ones() as usize;
        if live >= expected || waited >= within_ms {
            return live;
        }
        TimeoutFuture::new(5).await;
        waited = waited.saturating_add(5);
    }
}
