//! Native half of `make bench`: one CPU task timed natively, single-threaded
//! and data-parallel on a rayon pool of `--threads` threads, printed as one
//! JSON object.
//!
//! `cargo run --release -p overlap-core --example bench_native -- \
//!     --kernel primes --size 2000 --index 0 --tasks 1 --seed 42 --reps 5 --threads 2`
//!
//! `--tasks N` times tasks `index … index + N − 1` one after another, as one
//! pool worker runs `n = N` tasks with `k = 1` (Mandelbrot's tile 0 lies
//! outside the set and takes under a millisecond: the bench times a band of
//! tiles instead). Built with `--features portable-hash`, SHA-256 runs the
//! portable code the page runs, not the CPU's SHA instructions.
//!
//! Like for like with the page: the very same task (`CpuTask::new(kernel,
//! size, seed, index)`), the same functions (single: the chunked form in
//! chunks of 64 steps, as a pool worker runs it with `chunk=64`; parallel:
//! `run_split_pieces` over `threads` lanes, as the data-parallel strategy
//! runs it), timed around the computation on the thread that runs it.

use std::time::Instant;

use overlap_core::kernels::{CpuTask, Kernel, Progress};
use overlap_core::metrics::Percentiles;
use serde_json::json;

/// Steps per chunk of the single-thread form (the page's `chunk=64`).
const CHUNK: u32 = 64;

fn arg(args: &[String], name: &str, default: &str) -> String {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
        .unwrap_or_else(|| default.to_owned())
}

fn parse<T: std::str::FromStr>(args: &[String], name: &str, default: &str) -> T {
    let value = arg(args, name, default);
    value.parse().unwrap_or_else(|_| {
        eprintln!("bench_native: {name} {value:?} is not a valid value");
        std::process::exit(2);
    })
}

/// Times `f` `reps` times (ms) after one warm-up run; returns the times and the result.
fn time_ms(reps: u32, f: impl Fn() -> u64) -> (Vec<f64>, u64) {
    let expected = f();
    let times = (0..reps)
        .map(|_| {
            let t = Instant::now();
            let got = f();
            let ms = t.elapsed().as_secs_f64() * 1e3;
            assert_eq!(got, expected, "runs of the same task disagree");
            ms
        })
        .collect();
    (times, expected)
}

fn summary(times: &[f64]) -> serde_json::Value {
    let p = Percentiles::of(times).expect("at least one repetition");
    let min = times.iter().copied().fold(f64::INFINITY, f64::min);
    json!({ "median": p.p50, "min": min, "max": p.max })
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let kernel_name = arg(&args, "--kernel", "primes");
    let Some(kernel) = Kernel::from_token(&kernel_name) else {
        eprintln!("bench_native: unknown kernel {kernel_name:?}");
        std::process::exit(2);
    };
    let size: u32 = parse(&args, "--size", "2000");
    if size == 0 || size > kernel.max_size() {
        eprintln!(
            "bench_native: size must be 1..={} for {kernel_name}",
            kernel.max_size()
        );
        std::process::exit(2);
    }
    let index: u32 = parse(&args, "--index", "0");
    let seed: u64 = parse(&args, "--seed", "42");
    let reps: u32 = parse::<u32>(&args, "--reps", "5").max(1);
    let threads: usize = parse::<usize>(&args, "--threads", "2").clamp(1, 64);
    let count: u32 = parse::<u32>(&args, "--tasks", "1").clamp(1, 1024);
    let tasks: Vec<CpuTask> = (0..count)
        .map(|i| CpuTask::new(kernel, size, seed, index.saturating_add(i)))
        .collect();
    // The tasks' checksums, combined: equal however the tasks were run.
    let combine = |sums: &mut dyn Iterator<Item = u64>| sums.fold(0u64, u64::wrapping_add);
    let (single, checksum) = time_ms(reps, || {
        combine(&mut tasks.iter().map(|task| {
            let mut run = task.chunked();
            loop {
                if let Progress::Done(c) = run.step(CHUNK) {
                    break c;
                }
            }
        }))
    });
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap_or_else(|e| {
            eprintln!("bench_native: no pool of {threads} threads: {e}");
            std::process::exit(2);
        });
    let lanes = u32::try_from(threads).unwrap_or(1);
    let (parallel, parallel_checksum) = time_ms(reps, || {
        pool.install(|| combine(&mut tasks.iter().map(|t| t.run_split_pieces(0, lanes))))
    });
    assert_eq!(
        checksum, parallel_checksum,
        "sequential and parallel checksums differ"
    );
    println!(
        "{}",
        json!({
            "kernel": kernel.token(),
            "size": size,
            "index": index,
            "tasks": count,
            "portable_hash": cfg!(feature = "portable-hash"),
            "seed": seed,
            "threads": threads,
            "chunk": CHUNK,
            "checksum": checksum,
            "single_ms": summary(&single),
            "parallel_ms": summary(&parallel),
        })
    );
}
