//! The rayon pool of Web Workers: start-up, health, and handing it work
//! without ever blocking the page's main thread.
//!
//! Start-up is reliable by construction: the pool is built by a dedicated
//! "pool host" worker (`js/pool_host.js`), never by the main thread, because
//! building it may make the calling thread wait on a lock and the main thread
//! is not allowed to wait. Once built, the pool lives in shared memory; the
//! main thread only ever pushes jobs into it (`rayon::spawn`, lock-free from
//! its side) and awaits their results through a oneshot channel.

use std::cell::RefCell;
use std::fmt;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

use futures_channel::oneshot;
use futures_util::future::{select, Either};
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::clock::{init_page_clock, page_now_ms};
use crate::env::{capabilities, js_error_text};
use crate::instance::{self, GLUE_URL};

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
    // The pool workers that died, as they said it (main thread only: the
    // host's messages arrive there).
    static DEATHS: RefCell<Vec<Death>> = const { RefCell::new(Vec::new()) };
}

/// A pool worker's death, as the dying worker reported it.
#[derive(Clone, Debug, PartialEq)]
pub struct Death {
    /// Its rayon index, when it could still say it.
    pub worker: Option<usize>,
    /// What killed it, as the browser words it (e.g. `RuntimeError: unreachable`).
    pub cause: String,
    /// When the page heard of it (page ms).
    pub heard_ms: f64,
}

fn hear_death(worker: i32, cause: String) {
    let death = Death {
        worker: usize::try_from(worker).ok(),
        cause,
        heard_ms: page_now_ms(),
    };
    DEATHS.with(|deaths| deaths.borrow_mut().push(death));
}

/// The pool workers that died on this page, in the order the page heard of them.
pub fn deaths() -> Vec<Death> {
    DEATHS.with(|deaths| deaths.borrow().clone())
}

/// Whether a pool worker died: the pool is short of a worker, and what
/// the dead one left in shared memory (a lock, a half-written value) can no
/// longer be trusted.
pub fn is_broken() -> bool {
    DEATHS.with(|deaths| !deaths.borrow().is_empty())
}

/// The rayon index of the calling thread, or -1 off the pool: what a dying
/// worker says of itself (`js/pool_host.js` asks it after the trap).
#[wasm_bindgen(js_name = poolWorkerIndex)]
#[doc(hidden)]
pub fn pool_worker_index() -> i32 {
    rayon::current_thread_index()
        .and_then(|i| i32::try_from(i).ok())
        .unwrap_or(-1)
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

/// What happened before this instance started, when boot.js started it to
/// replace one whose pool had lost a worker (`window.overlapRecovery`).
#[derive(Clone, Debug, PartialEq)]
pub struct Recovery {
    /// The error of the run that saw the worker die.
    pub cause: String,
    /// When the rebuild began (page ms).
    pub began_ms: f64,
    /// Rebuilds on this page so far, this one included.
    pub count: u32,
}

impl Recovery {
    /// How long the rebuild took, from its start to a pool ready at `ready_ms`.
    pub fn took_ms(&self, ready_ms: f64) -> f64 {
        (ready_ms - self.began_ms).max(0.0)
    }
}

/// The rebuild this instance comes from, if it does.
pub fn recovery() -> Option<Recovery> {
    let window = web_sys::window()?;
    let said = js_sys::Reflect::get(&window, &"overlapRecovery".into()).ok()?;
    let field = |key: &str| js_sys::Reflect::get(&said, &key.into()).ok();
    Some(Recovery {
        cause: field("cause")?.as_string()?,
        began_ms: field("beganMs")?.as_f64()?,
        count: field("count")?.as_f64().map_or(1, |n| n as u32),
    })
}

#[wasm_bindgen]
extern "C" {
    // boot.js's restart: the page replaced by a fresh instance of the module
    // over fresh memory, which builds a whole pool again.
    #[wasm_bindgen(js_namespace = window, js_name = overlapRestart, catch)]
    fn overlap_restart(cause: &str) -> Result<(), JsValue>;
}

/// Asks the page to rebuild the pool the only way it can be rebuilt: the
/// global rayon pool of this instance cannot be replaced, so boot.js starts
/// a fresh instance over fresh memory, which carries the experiment, the
/// editor and the history over. `cause` is said to the visitor afterwards.
/// False where the page cannot (a test page has no boot.js: calling the
/// missing function throws, which `catch` turns into an error).
pub fn rebuild_page(cause: &str) -> bool {
    overlap_restart(cause).is_ok()
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
    /// Milliseconds from asking for the pool to the pool being ready.
    pub startup_ms: f64,
}

/// Why the pool could not start or could not finish a job.
#[derive(Clone, Debug, PartialEq)]
pub enum PoolError {
    /// The page is not cross-origin isolated, so memory cannot be shared with workers.
    NotIsolated,
    /// This wasm was built without atomics, so there is no shared memory to give workers.
    NotThreaded,
    /// `start_pool` was called while a start was already under way, or after one failed.
    AlreadyStarted,
    /// Work was handed to the pool before it was ready.
    NotReady,
    /// The browser refused or broke the pool host worker; its message.
    HostFailed(String),
    /// Start-up or a job took longer than its watchdog allows.
    TimedOut {
        /// The watchdog's limit in milliseconds.
        after_ms: u32,
    },
    /// A job's worker died (a trap kills the worker) before it sent a result.
    WorkerLost,
}

impl fmt::Display for PoolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotIsolated => f.write_str(
                "the page is not cross-origin isolated, so workers cannot share its memory",
            ),
            Self::NotThreaded => f.write_str("this build of Overlap has no thread support"),
            Self::AlreadyStarted => f.write_str("the pool was already started once on this page"),
            Self::NotReady => f.write_str("the worker pool is not ready yet"),
            Self::HostFailed(message) => write!(f, "the worker pool failed to start: {message}"),
            Self::TimedOut { after_ms } => {
                write!(f, "no answer from the worker pool within {after_ms} ms")
            }
            Self::WorkerLost => f.write_str("a pool worker died before it finished its task"),
        }
    }
}

impl std::error::Error for PoolError {}

impl PoolError {
    /// Why, in one clause for the page, in the catalogue's language (the
    /// `Display` form is for logs and the automation hook, in English).
    pub fn message(&self, text: &overlap_core::i18n::Catalogue) -> String {
        match self {
            Self::NotIsolated => text.get("pool_error.not_isolated"),
            Self::NotThreaded => text.get("pool_error.not_threaded"),
            Self::AlreadyStarted => text.get("pool_error.already_started"),
            Self::NotReady => text.get("pool_error.not_ready"),
            Self::HostFailed(message) => {
                text.fill("pool_error.host_failed", &[("detail", message)])
            }
            Self::TimedOut { after_ms } => text.fill("pool_error.timed_out", &[("ms", after_ms)]),
            Self::WorkerLost => text.get("pool_error.worker_lost"),
        }
    }
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
        Either::Left((Ok(worker), _)) => {
            HOST.with(|host| *host.borrow_mut() = Some(worker.unchecked_into()));
            THREADS.store(threads, Ordering::Release);
            STATE.store(READY, Ordering::Release);
            Ok(PoolInfo {
                threads,
                startup_ms: page_now_ms() - started,
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

/// What a watched pool job reports while it runs, read by the main thread's watchdog.
#[derive(Debug, Default)]
pub struct JobProbe {
    /// Worker index + 1 once the job started (0 before).
    worker_plus_one: AtomicUsize,
    /// Bumped by the job at each chunk boundary.
    progress: std::sync::atomic::AtomicU64,
}

impl JobProbe {
    /// Records that the job started on the current worker.
    pub fn started(&self) {
        let worker = rayon::current_thread_index().unwrap_or(0);
        self.worker_plus_one.store(worker + 1, Ordering::Release);
    }

    /// Records one more chunk of progress.
    pub fn tick(&self) {
        self.progress.fetch_add(1, Ordering::AcqRel);
    }

    /// The worker the job runs on, once started.
    pub fn worker(&self) -> Option<usize> {
        self.worker_plus_one.load(Ordering::Acquire).checked_sub(1)
    }

    fn progress(&self) -> u64 {
        self.progress.load(Ordering::Acquire)
    }
}

/// How often a watchdog looks at a job's progress.
const WATCH_PERIOD_MS: u32 = 250;

/// Why a watched job did not return a result.
#[derive(Clone, Debug, PartialEq)]
pub enum WatchError {
    /// The pool is not ready.
    NotReady,
    /// No progress for `stall_ms` while `run_progress` stood still too:
    /// the worker (if the job had started) is presumed dead; or a worker
    /// was heard dying and the job was on it, or has not moved since.
    Stalled {
        /// The worker the job ran on, if it had started; the dead one, if
        /// the death was heard.
        worker: Option<usize>,
        /// How long nothing moved (ms).
        stall_ms: u32,
        /// What killed the worker, when its death was heard.
        cause: Option<String>,
    },
}

/// Runs `job` on the pool like [`run_on_pool`], watched by progress rather
/// than by total time: the job calls `probe.started()` then `probe.tick()` at
/// each chunk. The wait ends with [`WatchError::Stalled`] when, for
/// `stall_ms`, neither this job nor the shared `run_progress` counter (which
/// every job of the same run bumps) moved, so a job queued behind healthy
/// long work is never mistaken for a lost one.
pub async fn run_watched<R, F>(
    job: F,
    run_progress: std::sync::Arc<JobProbe>,
    stall_ms: u32,
) -> Result<R, WatchError>
where
    R: Send + 'static,
    F: FnOnce(&JobProbe) -> R + Send + 'static,
{
    if !is_ready() {
        return Err(WatchError::NotReady);
    }
    let probe = std::sync::Arc::new(JobProbe::default());
    let (sender, receiver) = oneshot::channel();
    {
        let probe = probe.clone();
        rayon::spawn(move || {
            probe.started();
            let _ = sender.send(job(&probe));
        });
    }
    let spawned_ms = page_now_ms();
    let watchdog = async {
        let mut last = (probe.progress(), run_progress.progress(), probe.worker());
        let mut still_ms = 0u32;
        // This job's own progress, which a death is judged by.
        let mut own = (probe.progress(), 0u32);
        loop {
            TimeoutFuture::new(WATCH_PERIOD_MS).await;
            own = if probe.progress() == own.0 {
                (own.0, own.1.saturating_add(WATCH_PERIOD_MS))
            } else {
                (probe.progress(), 0)
            };
            if let Some(death) = death_of_job(spawned_ms, probe.worker(), own.1) {
                return WatchError::Stalled {
                    worker: death.worker.or(probe.worker()),
                    stall_ms: own.1,
                    cause: Some(death.cause),
                };
            }
            let now = (probe.progress(), run_progress.progress(), probe.worker());
            if now == last {
                still_ms = still_ms.saturating_add(WATCH_PERIOD_MS);
                if still_ms >= stall_ms {
                    return WatchError::Stalled {
                        worker: probe.worker(),
                        stall_ms: still_ms,
                        cause: None,
                    };
                }
            } else {
                still_ms = 0;
                last = now;
            }
        }
    };
    futures_util::pin_mut!(watchdog);
    match select(receiver, watchdog).await {
        Either::Left((Ok(result), _)) => Ok(result),
        // The sender was dropped without a result: the job unwound.
        Either::Left((Err(oneshot::Canceled), _)) => Err(WatchError::Stalled {
            worker: probe.worker(),
            stall_ms: 0,
            cause: None,
        }),
        Either::Right((err, _)) => Err(err),
    }
}

/// How long a job may stand still after a worker died before the death is
/// taken as its own: healthy jobs tick many times a second, and a worker's
/// death must end its run within 2 s of the trap.
pub const STILL_AFTER_DEATH_MS: u32 = 750;

/// The death that ends a job spawned at `spawned_ms`, now on `worker` and
/// still for `still_ms`: one heard since it was spawned, on its own worker,
/// or anywhere once the job stopped moving (it waits on the dead worker:
/// a piece of a split task, or a lock it held).
fn death_of_job(spawned_ms: f64, worker: Option<usize>, still_ms: u32) -> Option<Death> {
    DEATHS.with(|deaths| {
        deaths
            .borrow()
            .iter()
            .filter(|d| d.heard_ms >= spawned_ms)
            .find(|d| {
                (d.worker.is_some() && d.worker == worker) || still_ms >= STILL_AFTER_DEATH_MS
            })
            .cloned()
    })
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
