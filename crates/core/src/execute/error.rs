//! Why a run could not happen or could not finish, in the page's words.

use super::STALL_MS;

/// Why a run could not happen or could not finish.
#[derive(Clone, Debug, PartialEq)]
pub enum RunError {
    /// The strategy needs the worker pool and it is not ready.
    PoolNotReady,
    /// A process of the process-style pool could not start or broke, as
    /// Python's `BrokenProcessPool`; the reason.
    BrokenProcessPool(String),
    /// A pool worker stopped answering (a trap kills a worker).
    WorkerLost {
        /// The worker, when known.
        worker: Option<usize>,
        /// The task it was running or waiting for.
        task: u32,
        /// What killed it, when the death was seen rather than presumed.
        cause: Option<String>,
    },
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::PoolNotReady => f.write_str("this strategy needs the worker pool, which is not ready"),
            Self::BrokenProcessPool(why) => {
                write!(f, "the process pool broke (BrokenProcessPool): {why}; the run was stopped")
            }
            Self::WorkerLost {
                worker: Some(w),
                task,
                cause: Some(cause),
            } => write!(
                f,
                "worker {} died while running task {} ({cause}); the run was stopped",
                w + 1,
                task + 1
            ),
            Self::WorkerLost {
                worker: None,
                task,
                cause: Some(cause),
            } => write!(
                f,
                "a pool worker died ({cause}) while task {} was running or waiting; the run was stopped",
                task + 1
            ),
            Self::WorkerLost {
                worker: Some(w),
                task,
                cause: None,
            } => write!(
                f,
                "worker {} stopped answering while running task {}; the run was stopped",
                w + 1,
                task + 1
            ),
            Self::WorkerLost {
                worker: None,
                task,
                cause: None,
            } => write!(
                f,
                "no pool worker made progress on task {} for {} s; the pool may have lost its workers",
                task + 1,
                STALL_MS / 1000
            ),
        }
    }
}

impl std::error::Error for RunError {}

impl RunError {
    /// Why, in one sentence for the page, in the catalogue's language (the
    /// `Display` form is the automation hook's, always English).
    pub fn message(&self, text: &crate::i18n::Catalogue) -> String {
        match self {
            Self::PoolNotReady => text.get("run_error.pool_not_ready"),
            Self::BrokenProcessPool(why) => {
                text.fill("run_error.broken_process_pool", &[("detail", why)])
            }
            Self::WorkerLost {
                worker,
                task,
                cause,
            } => {
                let task = task + 1;
                let key = match (worker, cause) {
                    (Some(_), Some(_)) => "run_error.worker_died",
                    (None, Some(_)) => "run_error.a_worker_died",
                    (Some(_), None) => "run_error.worker_silent",
                    (None, None) => "run_error.no_progress",
                };
                let worker = worker.map_or(0, |w| w + 1);
                let cause = cause.clone().unwrap_or_default();
                text.fill(
                    key,
                    &[
                        ("worker", &worker),
                        ("task", &task),
                        ("cause", &cause),
                        ("seconds", &(STALL_MS / 1000)),
                    ],
                )
            }
        }
    }
}
