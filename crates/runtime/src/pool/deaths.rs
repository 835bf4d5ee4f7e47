//! A pool worker's death, heard rather than guessed: `js/pool_host.js`,
//! which every rayon worker imports, catches the trap that kills a worker,
//! asks it which thread it was ([`pool_worker_index`]) and tells the page,
//! which keeps the deaths here for the watchdogs and the page to read.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use crate::clock::page_now_ms;

thread_local! {
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

pub(super) fn hear_death(worker: i32, cause: String) {
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

/// How long a job may stand still after a worker died before the death is
/// taken as its own: healthy jobs tick many times a second, and a worker's
/// death must end its run within 2 s of the trap.
pub const STILL_AFTER_DEATH_MS: u32 = 750;

/// The death that ends a job spawned at `spawned_ms`, now on `worker` and
/// still for `still_ms`: one heard since it was spawned, on its own worker,
/// or anywhere once the job stopped moving (it waits on the dead worker:
/// a piece of a split task, or a lock it held).
pub(super) fn death_of_job(spawned_ms: f64, worker: Option<usize>, still_ms: u32) -> Option<Death> {
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
