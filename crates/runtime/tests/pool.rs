//! The pool in a real browser: it starts with several workers, and a job handed
//! to it from the main thread runs in parallel while the main thread goes on.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use gloo_timers::future::TimeoutFuture;
use overlap_core::kernels::primes::count_primes;
use overlap_runtime::env::capabilities;
use overlap_runtime::pool::{self, pool_threads_for, run_on_pool};
use rayon::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const WATCHDOG_MS: u32 = 30_000;

async fn ready_pool() -> usize {
    let threads = pool_threads_for(capabilities().logical_cores);
    pool::start_pool(threads)
        .await
        .expect("pool starts")
        .threads
}

#[wasm_bindgen_test]
async fn environment_is_isolated_and_threaded() {
    let caps = capabilities();
    assert!(
        caps.cross_origin_isolated,
        "the test runner serves COOP/COEP"
    );
    assert!(caps.shared_array_buffer);
    assert!(caps.threaded_build);
}

#[wasm_bindgen_test]
async fn pool_starts_with_more_than_one_worker() {
    let threads = ready_pool().await;
    assert!(threads >= 2, "pool has {threads} threads");
    assert!(pool::is_ready());
    let seen = run_on_pool(rayon::current_num_threads, WATCHDOG_MS)
        .await
        .unwrap();
    assert_eq!(
        seen, threads,
        "the workers see the pool the main thread asked for"
    );
}

#[wasm_bindgen_test]
async fn parallel_job_from_main_thread_is_right_uses_several_workers_and_does_not_block() {
    ready_pool().await;
    let ticks = Rc::new(Cell::new(0u32));
    let done = Rc::new(Cell::new(false));
    {
        let (ticks, done) = (ticks.clone(), done.clone());
        wasm_bindgen_futures::spawn_local(async move {
            while !done.get() {
                TimeoutFuture::new(1).await;
                ticks.set(ticks.get() + 1);
            }
        });
    }
    let workers_seen = Arc::new(AtomicU64::new(0));
    let job_workers = workers_seen.clone();
    let total = run_on_pool(
        move || {
            (0u64..200)
                .into_par_iter()
                .map(|chunk| {
                    let bit = rayon::current_thread_index().map_or(0, |i| 1u64 << (i % 64));
                    job_workers.fetch_or(bit, Ordering::Relaxed);
                    count_primes(chunk * 10_000, (chunk + 1) * 10_000)
                })
                .sum::<u64>()
        },
        WATCHDOG_MS,
    )
    .await
    .unwrap();
    let ticks_while_running = ticks.get();
    done.set(true);
    assert_eq!(total, 148_933, "primes below 2,000,000");
    let workers = workers_seen.load(Ordering::Relaxed).count_ones();
    assert!(workers >= 2, "the job ran on {workers} worker(s)");
    assert!(
        ticks_while_running > 0,
        "the main thread's timers never fired while the pool worked: it was blocked"
    );
}

#[wasm_bindgen_test]
async fn second_start_reuses_the_pool() {
    let threads = ready_pool().await;
    let again = pool::start_pool(threads).await.unwrap();
    assert_eq!(again.threads, threads);
    assert_eq!(again.startup_ms, 0.0, "no second pool was built");
}

#[wasm_bindgen_test]
async fn core_computes_on_wasm_exactly_what_it_computes_natively() {
    ready_pool().await;
    // On a worker: self_check also runs the data-parallel forms, which must
    // not block the main thread.
    let outcome = run_on_pool(overlap_core::determinism::self_check, WATCHDOG_MS)
        .await
        .unwrap();
    assert_eq!(outcome, Ok(()));
}
