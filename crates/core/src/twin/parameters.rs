//! The program's constants: core's (what the kernels compute with) and the
//! experiment's, one per line so that a program keeps only those it uses.

use super::{py_float, py_str, start_method_of, Fragments};
use crate::experiment::Token;
use crate::kernels::{hash_chain, mandelbrot, primes, reduce, Kernel};
use crate::Experiment;

/// The Python class of `kernel`'s CPU tasks (the library's `kernels.py`).
pub(super) fn kernel_class(kernel: Kernel, f: &Fragments) -> &str {
    f.of("kernel.", Token::token(kernel))
}

/// Core's constants, so that the Python kernels compute what core does: a
/// line per kernel, each with the kernel's largest size (its class's bound).
pub(super) fn constants(f: &Fragments) -> String {
    let max = |k: Kernel| k.max_size();
    f.fill(
        "constants",
        &[
            ("primes_base", &primes::BASE),
            ("primes_block", &primes::BLOCK),
            ("primes_max", &max(Kernel::Primes)),
            ("grid", &mandelbrot::GRID),
            ("cols", &mandelbrot::COLS),
            ("max_iter", &mandelbrot::MAX_ITER),
            ("x_min", &py_float(mandelbrot::X_MIN)),
            ("y_min", &py_float(mandelbrot::Y_MIN)),
            ("span", &py_float(mandelbrot::SPAN)),
            ("mandelbrot_max", &max(Kernel::Mandelbrot)),
            ("chain_len", &hash_chain::CHAIN_LEN),
            ("hash_max", &max(Kernel::HashChain)),
            ("block_words", &reduce::BLOCK_WORDS),
            ("passes", &reduce::PASSES),
            ("reduce_max", &max(Kernel::Reduce)),
        ],
    )
}

/// The `max_workers` the program uses, and why when it is not `k`: a page
/// whose pool has fewer threads than `k` ran only that many at once, and
/// the program does what the page ran.
fn workers_as_run(e: &Experiment, pool_threads: Option<u32>, f: &Fragments) -> (u32, String) {
    let pooled = e.profile().k_beyond_pool_queues();
    match pool_threads.filter(|&n| pooled && n > 0 && n < e.workers) {
        Some(n) => (n, f.fill("parameters.why", &[("k", &e.workers), ("n", &n)])),
        None => (e.workers, String::new()),
    }
}

/// The experiment's parameters, as the program's constants: one a line (a
/// program keeps those its code reads).
pub(super) fn parameters(e: &Experiment, pool_threads: Option<u32>, f: &Fragments) -> String {
    let (workers, why) = workers_as_run(e, pool_threads, f);
    let none = || f.get("none").to_owned();
    let timeout = e
        .timeout_ms
        .map_or_else(none, |ms| py_float(f64::from(ms) / 1000.0));
    let start = start_method_of(e).map_or_else(none, py_str);
    let latency = f.of("latency.", e.latency.token());
    let return_when = f.of("return_when.", e.return_when.token());
    f.fill(
        "parameters",
        &[
            ("query", &py_str(&e.to_query())),
            ("io", &e.io_task_count()),
            ("dist", &py_str(latency)),
            ("lat", &py_float(f64::from(e.latency_ms))),
            ("spread", &py_float(f64::from(e.spread_ms))),
            ("sigma", &py_float(e.sigma)),
            ("cap", &py_float(f64::from(e.cap_ms))),
            ("fail", &py_float(e.failure_rate)),
            ("cpu", &e.cpu_task_count()),
            ("size", &e.size),
            ("seed", &e.seed),
            ("why", &why),
            ("k", &workers),
            ("chunk", &e.chunk.max(1)),
            ("serial", &py_float(e.serial_fraction)),
            ("rw", &return_when),
            ("timeout", &timeout),
            ("switch", &py_float(f64::from(e.switch_ms) / 1000.0)),
            ("limit", &e.limit.map_or_else(none, |l| l.to_string())),
            ("start", &start),
        ],
    )
}
