//! Native baseline: each kernel single-threaded and with rayon on all cores.
//!
//! Run with `cargo run --release -p overlap-core --example baseline`.
//! Prints, per kernel, the task size, its steps (work units of the chunked
//! form), the time per step on one thread and with rayon, the speed-up, the
//! time of one chunk (1 step) in the chunked form, and a calibration made
//! with the same injected-clock code the browser uses.

use overlap_core::calibrate::calibrate;
use overlap_core::figures::speedup;
use overlap_core::kernels::{CpuTask, Kernel, Progress};
use overlap_core::metrics::Percentiles;
use std::time::Instant;

/// Sizes big enough to keep all cores busy for a while, small enough to finish quickly.
fn baseline_size(k: Kernel) -> u32 {
    match k {
        Kernel::Primes => 2_000,
        Kernel::Mandelbrot => 4_000,
        Kernel::HashChain => 5_000,
        Kernel::Reduce => 1_024,
    }
}

/// Best of `runs` wall times of `f`, in ms, with its (checked equal) result.
fn best_ms(runs: u32, mut f: impl FnMut() -> u64) -> (f64, u64) {
    let mut best = f64::INFINITY;
    let mut result = None;
    for _ in 0..runs {
        let t = Instant::now();
        let r = f();
        best = best.min(t.elapsed().as_secs_f64() * 1e3);
        assert!(result.is_none_or(|x| x == r), "runs disagree");
        result = Some(r);
    }
    (best, result.unwrap_or(0))
}

fn main() {
    let threads = rayon::current_num_threads();
    println!("Overlap native baseline: {threads} rayon threads, release build");
    println!(
        "{:<11} {:>6} {:>7} {:>12} {:>12} {:>8} {:>13} {:>13} {:>14}",
        "kernel",
        "size",
        "steps",
        "1 thread",
        "rayon",
        "speed-up",
        "chunk p99",
        "chunk max",
        "calibrated"
    );
    println!(
        "{:<11} {:>6} {:>7} {:>12} {:>12} {:>8} {:>13} {:>13} {:>14}",
        "", "", "", "µs/step", "µs/step", "", "µs (1 step)", "µs (1 step)", "size per ms"
    );
    let start = Instant::now();
    let mut clock = move || start.elapsed().as_secs_f64() * 1e3;
    for kernel in Kernel::ALL {
        // Tile 27 of the Mandelbrot grid crosses the set's edge: neither trivial nor all black.
        let task = CpuTask::new(kernel, baseline_size(kernel), 42, 27);
        let steps = task.steps() as f64;
        let (seq_ms, seq) = best_ms(3, || task.run());
        let (par_ms, par) = best_ms(3, || task.run_parallel());
        assert_eq!(
            seq, par,
            "{kernel:?}: sequential and parallel checksums differ"
        );

        let mut run = task.chunked();
        let mut chunk_us = Vec::with_capacity(task.steps() as usize);
        let chunked = loop {
            let t = Instant::now();
            let p = run.step(1);
            chunk_us.push(t.elapsed().as_secs_f64() * 1e6);
            if let Progress::Done(sum) = p {
                break sum;
            }
        };
        assert_eq!(chunked, seq, "{kernel:?}: chunked checksum differs");
        let chunks = Percentiles::of(&chunk_us).expect("at least one chunk");
        let cal = calibrate(kernel, &mut clock, 200.0).expect("the native clock runs");

        println!(
            "{:<11} {:>6} {:>7} {:>12.2} {:>12.2} {:>8.2} {:>13.1} {:>13.1} {:>14.2}",
            kernel.token(),
            task.size,
            task.steps(),
            seq_ms * 1e3 / steps,
            par_ms * 1e3 / steps,
            speedup(seq_ms, par_ms).unwrap_or(f64::NAN),
            chunks.p99,
            chunks.max,
            cal.size_per_ms,
        );
    }
    println!("A step is: primes, 256 integers; mandelbrot, a row of 64 pixels; hash, a chain of 256 SHA-256; reduce, one 64 KiB block visit.");
}
