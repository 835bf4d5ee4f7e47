//! A worker that dies mid-task (a trap kills it, as a panic does under
//! panic=abort) ends the run with an error naming it, the pool's health
//! shows one worker fewer, and the next run still works on the workers left.
//! Its own test binary: it breaks the page's pool.

use overlap_core::experiment::{Strategy, Workload};
use overlap_core::trace::Outcome;
use overlap_core::{Experiment, Kernel, ValidExperiment};
use overlap_runtime::clock::page_now_ms;
use overlap_runtime::env::capabilities;
use overlap_runtime::fault::{self, Fault};
use overlap_runtime::measure::RunReport;
use overlap_runtime::measure::{run, RunError, RunOptions};
use overlap_runtime::pool::{self, live_workers, pool_threads_for};
use wasm_bindgen_test::*;

fn describe(outcome: &Result<RunReport, RunError>) -> String {
    match outcome {
        Ok(_) => "a finished run".to_owned(),
        Err(e) => e.to_string(),
    }
}

wasm_bindgen_test_configure!(run_in_browser);

fn pool_run(workers: u32, tasks: u32) -> ValidExperiment {
    ValidExperiment::new(Experiment {
        workload: Workload::Cpu,
        strategy: Strategy::Pool,
        workers,
        cpu_tasks: tasks,
        kernel: Kernel::Primes,
        size: 50,
        ..Experiment::default()
    })
    .expect("a valid experiment")
}

#[wasm_bindgen_test]
async fn a_worker_that_dies_mid_run_ends_the_run_with_an_error_and_the_next_run_works() {
    let threads = pool::start_pool(pool_threads_for(capabilities().logical_cores))
        .await
        .unwrap()
        .threads;
    assert_eq!(live_workers(2_000).await, threads);

    fault::inject(Fault::WorkerTrap);
    let started = page_now_ms();
    let outcome = run(&pool_run(2, 4), RunOptions::default()).await;
    let detected_ms = page_now_ms() - started;
    let Err(RunError::WorkerLost {
        worker: Some(worker),
        task,
        cause: Some(cause),
    }) = &outcome
    else {
        panic!("expected a worker heard dying, got {}", describe(&outcome));
    };
    let (worker, task) = (*worker, *task);
    // The trap comes at the first chunk: the run's whole length is the
    // time the page took to hear of the death.
    assert!(detected_ms < 2_000.0, "heard after {detected_ms} ms");
    assert!(cause.contains("RuntimeError"), "{cause}");
    let deaths = pool::deaths();
    assert_eq!(deaths.len(), 1);
    assert_eq!(deaths[0].worker, Some(worker));
    assert!(pool::is_broken());
    assert!(worker < threads && task < 4, "worker {worker}, task {task}");
    let message = describe(&outcome);
    assert!(
        message.contains(&format!("worker {}", worker + 1))
            && message.contains(&format!("task {}", task + 1)),
        "{message}"
    );
    assert_eq!(
        live_workers(1_000).await,
        threads - 1,
        "the dead worker still answers"
    );

    // The workers left run the next experiment to its end.
    let next = run(&pool_run(1, 3), RunOptions::default())
        .await
        .expect("the next run works");
    assert!(next.tasks.iter().all(|t| t.outcome == Outcome::Ok));
    assert!(next.figures.speedup.is_some());
}
