//! The program's constants: core's (what the kernels compute with) and the
//! experiment's, one per line so that a program keeps only those it uses.

use super::{py_float, py_str, start_method_of};
use crate::experiment::{Latency, ReturnWhen};
use crate::kernels::{hash_chain, mandelbrot, primes, reduce, Kernel};
use crate::Experiment;

pub(super) fn latency_token(l: Latency) -> &'static str {
    match l {
        Latency::Fixed => "fixed",
        Latency::Uniform => "uniform",
        Latency::Exponential => "exponential",
        Latency::LogNormal => "lognormal",
    }
}

pub(super) fn return_when(r: ReturnWhen) -> &'static str {
    match r {
        ReturnWhen::FirstCompleted => "asyncio.FIRST_COMPLETED",
        ReturnWhen::FirstException => "asyncio.FIRST_EXCEPTION",
        ReturnWhen::AllCompleted => "asyncio.ALL_COMPLETED",
    }
}

/// The Python class of `kernel`'s CPU tasks (the library's `kernels.py`).
pub(super) fn kernel_class(kernel: Kernel) -> &'static str {
    match kernel {
        Kernel::Primes => "Primes",
        Kernel::Mandelbrot => "Mandelbrot",
        Kernel::HashChain => "HashChain",
        Kernel::Reduce => "Reduce",
    }
}

/// Core's constants, so that the Python kernels compute what core does: a
/// line per kernel, each with the kernel's largest size (its class's bound).
pub(super) fn constants() -> String {
    let max = |k: Kernel| k.max_size();
    format!(
        "#@constants.1\n\n\
         PRIMES_BASE, PRIMES_BLOCK, PRIMES_MAX_SIZE = {}, {}, {}\n\
         GRID, COLS, MAX_ITER = {}, {}, {}\n\
         X_MIN, Y_MIN, SPAN = {}, {}, {}\n\
         MANDELBROT_MAX_SIZE = {}\n\
         CHAIN_LEN, HASH_MAX_SIZE = {}, {}\n\
         BLOCK_WORDS, PASSES, REDUCE_MAX_SIZE = {}, {}, {}\n",
        primes::BASE,
        primes::BLOCK,
        max(Kernel::Primes),
        mandelbrot::GRID,
        mandelbrot::COLS,
        mandelbrot::MAX_ITER,
        py_float(mandelbrot::X_MIN),
        py_float(mandelbrot::Y_MIN),
        py_float(mandelbrot::SPAN),
        max(Kernel::Mandelbrot),
        hash_chain::CHAIN_LEN,
        max(Kernel::HashChain),
        reduce::BLOCK_WORDS,
        reduce::PASSES,
        max(Kernel::Reduce),
    )
}

/// The `max_workers` the program uses, and why when it is not `k`: a page
/// whose pool has fewer threads than `k` ran only that many at once, and
/// the program does what the page ran.
fn workers_as_run(e: &Experiment, pool_threads: Option<u32>) -> (u32, String) {
    let pooled = e.profile().k_beyond_pool_queues();
    match pool_threads.filter(|&n| pooled && n > 0 && n < e.workers) {
        Some(n) => (
            n,
            format!(
                "# k = {k} was asked, but the page's pool has {n} threads, so {n} ran at once;\n\
                 # set WORKERS = {k} to start {k} threads as ThreadPoolExecutor(max_workers={k}) would.\n",
                k = e.workers
            ),
        ),
        None => (e.workers, String::new()),
    }
}

/// The experiment's parameters, as the program's constants: one a line (a
/// program keeps those its code reads).
pub(super) fn parameters(e: &Experiment, pool_threads: Option<u32>) -> String {
    let (workers, why) = workers_as_run(e, pool_threads);
    let timeout = e
        .timeout_ms
        .map_or_else(|| "None".to_owned(), |ms| py_float(f64::from(ms) / 1000.0));
    let start = start_method_of(e).map_or_else(|| "None".to_owned(), py_str);
    format!(
        "EXPERIMENT = {query}\n\
         IO_TASKS = {io}\n\
         LATENCY = dict(distribution={dist}, latency_ms={lat}, spread_ms={spread}, sigma={sigma}, cap_ms={cap})\n\
         FAILURE_RATE = {fail}\n\
         CPU_TASKS, SIZE = {cpu}, {size}\n\
         SEED = {seed}\n\
         {why}\
         WORKERS = {k}\n\
         CHUNK = {chunk}\n\
         SERIAL_FRACTION = {serial}\n\
         RETURN_WHEN = {rw}\n\
         TIMEOUT = {timeout}\n\
         SWITCH_INTERVAL = {switch}  # seconds: the GIL's (sys.setswitchinterval)\n\
         LIMIT = {limit}  # asyncio.Semaphore's places for the I/O waits\n\
         START_METHOD = {start}  # how the process pool starts its processes\n",
        query = py_str(&e.to_query()),
        io = e.io_task_count(),
        cpu = e.cpu_task_count(),
        k = workers,
        size = e.size,
        seed = e.seed,
        chunk = e.chunk.max(1),
        serial = py_float(e.serial_fraction),
        dist = py_str(latency_token(e.latency)),
        lat = py_float(f64::from(e.latency_ms)),
        spread = py_float(f64::from(e.spread_ms)),
        sigma = py_float(e.sigma),
        cap = py_float(f64::from(e.cap_ms)),
        fail = py_float(e.failure_rate),
        rw = return_when(e.return_when),
        switch = py_float(f64::from(e.switch_ms) / 1000.0),
        limit = e.limit.map_or_else(|| "None".to_owned(), |l| l.to_string()),
    )
}
