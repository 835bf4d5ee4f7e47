//! The Python twin of an experiment: a complete program that runs unchanged
//! on CPython ≥ 3.11 with the standard library only, and does what the page
//! does with asyncio and concurrent.futures.
//!
//! The program is three parts: the constants of core's kernels and I/O model
//! (written from core's own constants, so they cannot drift), the shared
//! library in `library/*.py` (the kernels in pure Python, the seeded
//! latencies, the run's record, its trace and summary), and the part this
//! experiment's strategy decides. Its last line of output is a JSON
//! [`Summary`]; `--scale F` multiplies the CPU sizes ([`scaled_size`]) and
//! `--trace FILE` writes Overlap's trace JSON (version 2: the wait's return,
//! the scale and the CPython with the spans, whose CPU spans count only the
//! CPU time their thread used: see the library's `computing`).
//!
//! The program speaks the page's language: what it prints comes from the
//! catalogue's `twin.msg.*` entries (a `TEXT` dict at its top, which the
//! library's messages use too), and its comments and docstrings are
//! translated through the `code.*` entries ([`comments::translate_comments`]).
//! Only those differ between languages; the code and the JSON summary do not.

mod asyncio;
pub mod comments;
pub mod library;
mod strategy;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::experiment::{Latency, ReturnWhen};
use crate::i18n::Catalogue;
use crate::kernels::{hash_chain, mandelbrot, primes, reduce, CpuTask, Kernel};
use crate::Experiment;
use comments::{translate_comments, Syntax};

#[cfg(not(target_arch = "wasm32"))]
use library::LIBRARY;

/// The JSON object a twin prints as its last line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The experiment's query.
    pub experiment: String,
    /// Wall time until `asyncio.wait` returned, ms.
    pub wall_ms: f64,
    /// Tasks done when it returned.
    pub done: usize,
    /// Tasks pending then.
    pub pending: usize,
    /// Tasks that ended with a result.
    pub ok: usize,
    /// Tasks that raised.
    pub errors: usize,
    /// Tasks cancelled.
    pub cancelled: usize,
    /// Each CPU task's checksum, `None` where it has none.
    pub checksums: Vec<Option<u64>>,
    /// How the neglected coroutine ended ("never ran", "ok", "error",
    /// "cancelled"), when the experiment has one.
    #[serde(default)]
    pub neglected: Option<String>,
    /// How a process pool's processes started (`multiprocessing`'s start
    /// method: "fork", "forkserver", "spawn"), `None` without one.
    #[serde(default)]
    pub start_method: Option<String>,
}

/// A task size at `scale`: rounded half up, within the kernel's bounds (the
/// twin's `scaled`).
pub fn scaled_size(kernel: Kernel, size: u32, scale: f64) -> u32 {
    let s = (f64::from(size) * scale + 0.5).floor();
    if s.is_nan() {
        return 1;
    }
    // `as` saturates; the clamp keeps the kernel's bounds.
    (s as u32).clamp(1, kernel.max_size())
}

/// The checksum of each of `e`'s CPU tasks at `scale`: what the twin run
/// with `--scale` must print.
pub fn checksums(e: &Experiment, scale: f64) -> Vec<u64> {
    let size = scaled_size(e.kernel, e.size, scale);
    (0..e.cpu_task_count())
        .map(|i| CpuTask::new(e.kernel, size, e.seed, i).run())
        .collect()
}

/// `x` as a Python float literal. Written out rather than with `{:?}`: the
/// wasm builds print no `Debug` (`-Zfmt-debug=none`, for size).
fn py_float(x: f64) -> String {
    if !x.is_finite() {
        return "0.0".to_owned();
    }
    // Display writes no exponent, and a whole number without its point.
    let s = format!("{x}");
    if s.contains('.') {
        s
    } else {
        s + ".0"
    }
}

/// `s` as a Python string literal (double quotes, backslash escapes).
fn py_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn latency_token(l: Latency) -> &'static str {
    match l {
        Latency::Fixed => "fixed",
        Latency::Uniform => "uniform",
        Latency::Exponential => "exponential",
        Latency::LogNormal => "lognormal",
    }
}

fn return_when(r: ReturnWhen) -> &'static str {
    match r {
        ReturnWhen::FirstCompleted => "asyncio.FIRST_COMPLETED",
        ReturnWhen::FirstException => "asyncio.FIRST_EXCEPTION",
        ReturnWhen::AllCompleted => "asyncio.ALL_COMPLETED",
    }
}

/// Core's constants, so that the Python kernels compute what core does.
fn constants() -> String {
    let max_size = [
        Kernel::Primes,
        Kernel::Mandelbrot,
        Kernel::HashChain,
        Kernel::Reduce,
    ]
    .iter()
    .map(|k| format!("{}: {}", py_str(k.token()), k.max_size()))
    .collect::<Vec<_>>()
    .join(", ");
    format!(
        "# Overlap's constants (from its core; the kernels below depend on them).\n\
         PRIMES_BASE, PRIMES_BLOCK = {}, {}\n\
         GRID, COLS, MAX_ITER = {}, {}, {}\n\
         X_MIN, Y_MIN, SPAN = {}, {}, {}\n\
         CHAIN_LEN = {}\n\
         BLOCK_WORDS, PASSES = {}, {}\n\
         MAX_SIZE = {{{max_size}}}\n",
        primes::BASE,
        primes::BLOCK,
        mandelbrot::GRID,
        mandelbrot::COLS,
        mandelbrot::MAX_ITER,
        py_float(mandelbrot::X_MIN),
        py_float(mandelbrot::Y_MIN),
        py_float(mandelbrot::SPAN),
        hash_chain::CHAIN_LEN,
        reduce::BLOCK_WORDS,
        reduce::PASSES,
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

/// What the program prints, by its name in the program's `TEXT` dict: each
/// is the catalogue's entry `twin.msg.<name>`, whose `{placeholders}` the
/// program fills with `str.format`. A count's singular and plural are two
/// names (`.one`, `.other`); the program picks the singular for a count of
/// 1, the rule of both languages for the counts it prints (a failed task
/// group holds at least one error).
pub const MESSAGES: [&str; 10] = [
    "io_failed",
    "http_error",
    "task_failed",
    "timed_out_cancelled",
    "timed_out_as_completed",
    "group_failed.one",
    "group_failed.other",
    "help_scale",
    "help_trace",
    "scale_positive",
];

/// The program's `TEXT` dict: its messages in the language of `text`.
fn messages(text: &Catalogue) -> String {
    let mut out = String::from(
        "# What the program prints, in the language of the page that wrote it.\nTEXT = {\n",
    );
    for name in MESSAGES {
        out += &format!(
            "    {}: {},\n",
            py_str(name),
            py_str(&text.get(&format!("twin.msg.{name}")))
        );
    }
    out += "}\n";
    out
}

/// The experiment's parameters, as the program's constants.
fn parameters(e: &Experiment, pool_threads: Option<u32>) -> String {
    let (workers, why) = workers_as_run(e, pool_threads);
    let timeout = e
        .timeout_ms
        .map_or_else(|| "None".to_owned(), |ms| py_float(f64::from(ms) / 1000.0));
    format!(
        "EXPERIMENT = {query}\n\
         {why}\
         IO_TASKS, CPU_TASKS, WORKERS = {io}, {cpu}, {k}\n\
         KERNEL, SIZE, SEED, CHUNK, SERIAL_FRACTION = {kernel}, {size}, {seed}, {chunk}, {serial}\n\
         LATENCY = dict(distribution={dist}, latency_ms={lat}, spread_ms={spread}, sigma={sigma}, cap_ms={cap})\n\
         FAILURE_RATE = {fail}\n\
         RETURN_WHEN, TIMEOUT = {rw}, {timeout}\n\
         SWITCH_INTERVAL = {switch}  # seconds: the GIL's (sys.setswitchinterval)\n\
         LIMIT = {limit}  # asyncio.Semaphore's places for the I/O waits\n",
        query = py_str(&e.to_query()),
        io = e.io_task_count(),
        cpu = e.cpu_task_count(),
        k = workers,
        kernel = py_str(e.kernel.token()),
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

/// The catalogue entries of the code panel and of the twin
/// (`crates/core/text/<lang>/code.txt`), for native callers that have no
/// page catalogue at hand (tests, tools).
#[cfg(not(target_arch = "wasm32"))]
pub fn code_text(lang: crate::Lang) -> Catalogue {
    let text = match lang {
        crate::Lang::En => include_str!("../../text/en/code.txt"),
        crate::Lang::Fr => include_str!("../../text/fr/code.txt"),
    };
    Catalogue::parse(lang, text).unwrap_or_default()
}

/// The experiment as a Python program, in English (see the module's
/// documentation).
#[cfg(not(target_arch = "wasm32"))]
pub fn python(e: &Experiment) -> String {
    python_as_run(e, None)
}

/// The English program for `e` as it runs on a page whose pool has
/// `pool_threads` threads (`None`: unknown, `k` is used as asked).
#[cfg(not(target_arch = "wasm32"))]
pub fn python_as_run(e: &Experiment, pool_threads: Option<u32>) -> String {
    python_in(e, pool_threads, crate::Lang::En)
}

/// [`python_as_run`] in `lang`.
#[cfg(not(target_arch = "wasm32"))]
pub fn python_in(e: &Experiment, pool_threads: Option<u32>, lang: crate::Lang) -> String {
    let english = code_text(crate::Lang::En);
    let text = code_text(lang);
    python_with_library(e, pool_threads, LIBRARY, &text, &english)
}

/// The program for `e` in the language of `text`, with the text of
/// library (`library/*.py`) given: the page fetches the file (served beside it) rather
/// than carrying it in its wasm, and must give exactly the file this crate
/// was built with. `english` is the English catalogue, through which the
/// comments are found (see [`comments::translate_comments`]).
pub fn python_with_library(
    e: &Experiment,
    pool_threads: Option<u32>,
    library: &str,
    text: &Catalogue,
    english: &Catalogue,
) -> String {
    let program = python_in_english(e, pool_threads, library, text);
    translate_comments(&program, Syntax::Python, english, text)
}

/// The program with English comments and `text`'s messages.
fn python_in_english(
    e: &Experiment,
    pool_threads: Option<u32>,
    library: &str,
    text: &Catalogue,
) -> String {
    let plan = strategy::plan(e);
    let mut out = format!(
        "#!/usr/bin/env python3\n\
         \"\"\"Overlap's experiment {query} as a Python program.\n\n\
         {story}\n\n\
         Run: python3 overlap_twin.py [--scale 0.05] [--trace trace.json]\n\n\
         CPython 3.11 or later, standard library only. The last line printed is a\n\
         JSON summary (wall_ms, done, pending, ok, errors, cancelled, checksums).\n\
         \"\"\"\n\
         import argparse\nimport array\nimport asyncio\nimport hashlib\nimport json\nimport math\n\
         import os\nimport struct\nimport sys\nimport threading\nimport time\nimport urllib.request\n{import}\n\n",
        query = py_str(&e.to_query()),
        story = plan.story,
        import = plan.import,
    );
    out += &constants();
    out += "\n";
    out += &messages(text);
    out += "\n\n";
    out += library;
    out += "\n\n# ---------------------------------------------------------------------------\n# This experiment.\n# ---------------------------------------------------------------------------\n\n";
    out += &parameters(e, pool_threads);
    out += &asyncio::main(e, &plan);
    out
}

#[cfg(not(target_arch = "wasm32"))]
pub mod native;
