//! `asyncio.wait` and `asyncio.as_completed` over any futures, with the
//! timeout taken from a [`Host`]'s timers (the page's in the browser, virtual
//! time in tests).

use std::future::Future;
use std::pin::Pin;

use crate::experiment::ReturnWhen;
use crate::host::Host;
use futures_util::future::{select, Either, LocalBoxFuture};
use futures_util::stream::{FuturesUnordered, StreamExt};
use futures_util::FutureExt;

/// Whether a finished future counts as an exception for [`ReturnWhen::FirstException`].
pub trait Failure {
    /// True when the value is a failure (an error outcome).
    fn is_failure(&self) -> bool;
}

impl<T, E> Failure for Result<T, E> {
    fn is_failure(&self) -> bool {
        self.is_err()
    }
}

/// Futures still running when [`wait`] returned; they can be awaited further.
pub type Unfinished<'a, T> = FuturesUnordered<LocalBoxFuture<'a, (usize, T)>>;

/// What [`wait`] returns: like asyncio's `(done, pending)`.
pub struct WaitOutcome<'a, T> {
    /// Finished futures as `(index, value)`, in completion order.
    pub done: Vec<(usize, T)>,
    /// Indices of the futures not finished yet, ascending.
    pub pending: Vec<usize>,
    /// Whether the timeout ended the wait.
    pub timed_out: bool,
    /// The pending futures themselves, still running.
    pub unfinished: Unfinished<'a, T>,
}

/// Yields `(index, value)` for each future in the order they finish.
pub fn as_completed<'a, F>(futures: Vec<F>) -> Unfinished<'a, F::Output>
where
    F: Future + 'a,
{
    futures
        .into_iter()
        .enumerate()
        .map(|(i, f)| f.map(move |v| (i, v)).boxed_local())
        .collect()
}

/// Waits for `futures` like `asyncio.wait(fs, return_when=…, timeout=…)`:
/// returns when the first finishes (`FirstCompleted`), the first fails or all
/// finish (`FirstException`), all finish (`AllCompleted`), or the timeout
/// passes, whichever comes first. Nothing is cancelled: the pending futures
/// come back in [`WaitOutcome::unfinished`].
pub async fn wait<'a, F>(
    futures: Vec<F>,
    return_when: ReturnWhen,
    timeout_ms: Option<u32>,
    host: &dyn Host,
) -> WaitOutcome<'a, F::Output>
where
    F: Future + 'a,
    F::Output: Failure,
{
    let total = futures.len();
    let mut unfinished = as_completed(futures);
    let mut done = Vec::new();
    let mut deadline: Pin<Box<dyn Future<Output = ()>>> = match timeout_ms {
        Some(ms) => host.sleep(ms),
        None => Box::pin(std::future::pending()),
    };
    let mut timed_out = false;
    while done.len() < total {
        match select(unfinished.next(), deadline.as_mut()).await {
            Either::Left((Some((index, value)), _)) => {
                let stop = match return_when {
                    ReturnWhen::FirstCompleted => true,
                    ReturnWhen::FirstException => value.is_failure(),
                    ReturnWhen::AllCompleted => false,
                };
                done.push((index, value));
                if stop {
                    break;
                }
            }
            Either::Left((None, _)) => break,
            Either::Right(_) => {
                timed_out = true;
                break;
            }
        }
    }
    // asyncio's `wait` resumes on the loop's next turn, by which time every
    // task that finished in the same turn as the first is done too: eight
    // equal sleeps under FIRST_COMPLETED give eight done, none pending.
    // Those are the futures ready without waiting.
    while let Some(Some((index, value))) = unfinished.next().now_or_never() {
        done.push((index, value));
    }
    let mut finished: Vec<bool> = vec![false; total];
    for (index, _) in &done {
        finished[*index] = true;
    }
    let pending = (0..total).filter(|&i| !finished[i]).collect();
    WaitOutcome {
        done,
        pending,
        timed_out,
        unfinished,
    }
}

#[cfg(test)]
mod tests;
