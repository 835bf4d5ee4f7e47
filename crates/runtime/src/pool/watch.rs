//! Pool jobs watched by their progress: a job that stops moving while its
//! run stands still, or whose worker was heard dying, ends with the cause
//! rather than hang the page.

use std::sync::atomic::{AtomicUsize, Ordering};

use futures_channel::oneshot;
use futures_util::future::{select, Either};
use gloo_timers::future::TimeoutFuture;

use super::deaths::death_of_job;
use super::is_ready;
use crate::clock::page_now_ms;

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

/// Runs `job` on the pool like [`run_on_pool`](super::run_on_pool), watched by progress rather
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
