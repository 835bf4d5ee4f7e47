//! Invariant 5: nothing touches rayon before the pool is ready. An inline
//! run before start-up must neither trap nor build rayon's default pool
//! (which would make the real start-up fail). Its own page, so that no other
//! test has started the pool first.

use overlap_core::experiment::{Strategy, Workload};
use overlap_core::{Experiment, ValidExperiment};
use overlap_runtime::env::capabilities;
use overlap_runtime::measure::{run, RunOptions};
use overlap_runtime::pool::{self, pool_threads_for, run_on_pool};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn main_thread_runs_before_start_up_leave_rayon_untouched() {
    assert!(!pool::is_ready());
    for strategy in [
        Strategy::InlineBlocking,
        Strategy::SequentialAwait,
        Strategy::CooperativeChunks,
    ] {
        let e = Experiment {
            workload: Workload::Cpu,
            strategy,
            cpu_tasks: 2,
            size: 5,
            ..Experiment::default()
        };
        let report = run(&ValidExperiment::new(e).unwrap(), RunOptions::default())
            .await
            .unwrap();
        assert!(
            report.tasks.iter().all(|t| t.checksum.is_some()),
            "{strategy:?}"
        );
    }
    let threads = pool::start_pool(pool_threads_for(capabilities().logical_cores))
        .await
        .expect("the pool still starts");
    assert!(threads.threads >= 2);
    assert_eq!(
        run_on_pool(rayon::current_num_threads, 30_000)
            .await
            .unwrap(),
        threads.threads
    );
}
