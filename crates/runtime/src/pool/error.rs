//! Why the pool could not start or could not finish a job, in English for
//! logs and the automation hook, and in the page's language for the page.

use std::fmt;

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
