//! A worker that dies mid-task (a trap kills it, as a panic does under
//! panic=abort) ends the wait with an error naming it, and the pool's health
//! shows one worker fewer. Its own test binary: it breaks the page's pool.

use std::sync::Arc;

use overlap_runtime::env::capabilities;
use overlap_runtime::executor::RunError;
use overlap_runtime::pool::{
    self, live_workers, pool_threads_for, run_watched, JobProbe, WatchError,
};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_worker_that_dies_mid_task_is_reported_not_awaited_forever() {
    let threads = pool::start_pool(pool_threads_for(capabilities().logical_cores))
        .await
        .unwrap()
        .threads;
    assert_eq!(live_workers(2_000).await, threads);

    let run_progress = Arc::new(JobProbe::default());
    let outcome = run_watched(
        |probe: &JobProbe| {
            probe.tick();
            // What a kernel bug would do: trap, killing this worker.
            core::arch::wasm32::unreachable()
        },
        run_progress,
        1_000,
    )
    .await;
    let Err(WatchError::Stalled {
        worker: Some(worker),
        ..
    }) = outcome
    else {
        panic!("expected a stalled job on a known worker, got {outcome:?}");
    };
    assert!(worker < threads);
    assert_eq!(
        live_workers(1_000).await,
        threads - 1,
        "the dead worker still answers"
    );

    let message = RunError::WorkerLost {
        worker: Some(worker),
        task: 3,
    }
    .to_string();
    assert!(
        message.contains(&format!("worker {}", worker + 1)) && message.contains("task 4"),
        "{message}"
    );
}
