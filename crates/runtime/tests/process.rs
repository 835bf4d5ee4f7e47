//! Processes of the process-style pool: a worker with its own instance over
//! its own memory computes what core computes, reports the trip of each
//! task on the page's clock, rejects bad input without breaking, and stops
//! on `terminate()` with an error, never a hang; each start method starts
//! processes that compute, and `spawn` (which compiles the program itself)
//! takes longer than `fork` (which is given it).

use overlap_core::experiment::{ProcessStart, Token};
use overlap_core::kernels::{CpuTask, Kernel};
use overlap_runtime::process::{process_task, start, start_pool, ProcessError};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_process_computes_what_core_computes_in_memory_of_its_own() {
    let process = start(0, ProcessStart::Fork)
        .await
        .expect("a process starts");
    assert!(process.ready_ms >= process.started_ms, "ready before asked");
    for (i, kernel) in Kernel::ALL.into_iter().enumerate() {
        let task = CpuTask::new(kernel, 3, 42, i as u32);
        let ran = process.run(i as u32, &task).await.expect("the task runs");
        assert_eq!(ran.checksum, task.run(), "{kernel:?}");
        // The trip, in order on the page's clock: sent, received, computed, back.
        assert!(ran.sent_ms <= ran.received_ms + 1.0, "{ran:?}");
        assert!(ran.received_ms <= ran.end_ms, "{ran:?}");
        assert!(ran.end_ms <= ran.back_ms + 1.0, "{ran:?}");
    }
    // The page's memory did not hold the process's work: a reduction task of
    // 64 MiB in the process leaves the page's memory where it was.
    let before = page_memory_bytes();
    let big = CpuTask::new(Kernel::Reduce, 1_024, 7, 0);
    process.run(99, &big).await.expect("a large task runs");
    assert_eq!(page_memory_bytes(), before);
    process.terminate();
}

fn page_memory_bytes() -> f64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().into();
    js_sys::Reflect::get(&memory.buffer(), &"byteLength".into())
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0)
}

#[wasm_bindgen_test]
fn bad_input_is_an_error_not_a_trap() {
    assert!(process_task("turbo", 3, 1, 0, false).is_err());
    assert!(process_task("primes", 0, 1, 0, false).is_err());
    assert!(process_task("primes", u32::MAX, 1, 0, false).is_err());
    assert_eq!(
        process_task("primes", 3, 1, 0, false).ok(),
        Some(CpuTask::new(Kernel::Primes, 3, 1, 0).run())
    );
}

#[wasm_bindgen_test]
async fn a_terminated_process_fails_its_task_instead_of_hanging() {
    let process = start(1, ProcessStart::Fork)
        .await
        .expect("a process starts");
    let task = CpuTask::new(Kernel::Primes, 20_000, 1, 0);
    let mut running = Box::pin(process.run(0, &task));
    // Sent, and computing for seconds: then the hard stop.
    assert!(futures_util::poll!(running.as_mut()).is_pending());
    process.terminate();
    match running.await {
        Err(ProcessError::Broken(why)) => assert!(why.contains("terminated"), "{why}"),
        other => panic!("expected a broken process, got {other:?}"),
    }
    // Nothing more goes to it.
    let small = CpuTask::new(Kernel::Primes, 1, 1, 0);
    assert!(matches!(
        process.run(1, &small).await,
        Err(ProcessError::Broken(_))
    ));
}

#[wasm_bindgen_test]
async fn a_process_that_traps_fails_its_task_and_takes_no_more() {
    use overlap_runtime::fault::{self, Fault};
    let process = start(2, ProcessStart::Fork)
        .await
        .expect("a process starts");
    let task = CpuTask::new(Kernel::Primes, 5, 1, 0);
    fault::inject(Fault::WorkerTrap);
    match process.run(0, &task).await {
        Err(ProcessError::Broken(why)) => assert!(why.contains("RuntimeError"), "{why}"),
        Err(other) => panic!("expected a broken process, got {other}"),
        Ok(_) => panic!("expected a broken process, got a result"),
    }
    // The trap was taken once: it does not linger for the next task.
    assert!(!fault::take_trap());
    // A process that trapped ended itself: what is sent next fails at once.
    assert!(matches!(
        process.run(1, &task).await,
        Err(ProcessError::Broken(_))
    ));
    process.terminate();
}

/// The longest start-up of a pool of two started by `method`, ms, after
/// checking that each of its processes computes what core computes.
async fn pool_start_ms(method: ProcessStart) -> f64 {
    let pool = start_pool(0..2, method)
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", method.token()));
    let mut longest = 0.0f64;
    for p in &pool {
        assert!(
            p.ready_ms >= p.started_ms,
            "{}: ready before asked",
            method.token()
        );
        longest = longest.max(p.ready_ms - p.started_ms);
        let task = CpuTask::new(Kernel::Primes, 3, 42, p.index as u32);
        let ran = p.run(p.index as u32, &task).await.expect("the task runs");
        assert_eq!(ran.checksum, task.run(), "{}", method.token());
    }
    pool.iter().for_each(|p| p.terminate());
    longest
}

#[wasm_bindgen_test]
async fn spawn_which_compiles_the_program_starts_slower_than_fork_which_is_given_it() {
    // Each method three times, interleaved, and only the best of each
    // compared: a busy moment of the machine slows one start, not three.
    let mut best = [f64::INFINITY; 3];
    for _ in 0..3 {
        for (i, &method) in ProcessStart::ALL.iter().enumerate() {
            best[i] = best[i].min(pool_start_ms(method).await);
        }
    }
    let [fork, forkserver, spawn] = best;
    assert!(spawn > fork, "spawn {spawn} ms, fork {fork} ms");
    // The forkserver's server compiles the program as spawn does, first.
    assert!(
        forkserver > fork,
        "forkserver {forkserver} ms, fork {fork} ms"
    );
}
