//! The Python twin of an experiment: a complete program that runs unchanged
//! on CPython ≥ 3.11 with the standard library only, and does what the page
//! does with asyncio and concurrent.futures.
//!
//! The program is three parts: the constants of core's kernels and I/O model
//! (written from core's own constants, so they cannot drift), the shared
//! library in `library.py` (the kernels in pure Python, the seeded
//! latencies, the run's record, its trace and summary), and the part this
//! experiment's strategy decides. Its last line of output is a JSON
//! [`Summary`]; `--scale F` multiplies the CPU sizes ([`scaled_size`]) and
//! `--trace FILE` writes Overlap's trace JSON.
//!
//! The program speaks the page's language: what it prints comes from the
//! catalogue's `twin.msg.*` entries (a `TEXT` dict at its top, which the
//! library's messages use too), and its comments and docstrings are
//! translated through the `code.*` entries ([`crate::i18n::translate_comments`]).
//! Only those differ between languages; the code and the JSON summary do not.

pub mod comments;
pub mod library;
mod strategy;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::experiment::{
    AfterWait, Awaiting, IoSource, Latency, Neglect, ReturnWhen, Strategy, Token,
};
use crate::i18n::Catalogue;
use crate::io_model::neglected_latency_us;
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
    let pooled = matches!(
        e.strategy,
        Strategy::Pool | Strategy::GilMode | Strategy::DataParallel | Strategy::ParallelBlocking
    );
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
/// program fills with `str.format`.
pub const MESSAGES: [&str; 9] = [
    "io_failed",
    "http_error",
    "task_failed",
    "timed_out_cancelled",
    "timed_out_as_completed",
    "group_failed",
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
/// `library.py` given: the page fetches the file (served beside it) rather
/// than carrying it in its wasm, and must give exactly the file this crate
/// was built with. `english` is the English catalogue, through which the
/// comments are found (see [`crate::i18n::translate_comments`]).
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
    out += &main(e, &plan);
    out
}

/// What the program does with the pending tasks once `asyncio.wait` returned.
fn after_wait(policy: AfterWait, stop_driver: &str) -> String {
    let cancel = format!("    for t in pending:\n        t.cancel()\n{stop_driver}");
    match policy {
        AfterWait::CancelPending => format!(
            "    # asyncio.wait cancels nothing: cancelling what is still pending is this\n    \
             # program's choice, as in the usual example. An executor job already\n    \
             # running cannot be stopped: it runs to its end.\n{cancel}"
        ),
        AfterWait::LetFinish => {
            "    # asyncio.wait cancels nothing, and here every pending task runs to its end.\n"
                .to_owned()
        }
        AfterWait::StopRunning => format!(
            "    # Overlap also stops its running pool tasks at their next chunk; Python\n    \
             # cannot stop a running thread, so here those jobs run to their end.\n{cancel}"
        ),
    }
}

/// The lines that await the tasks, by the construct the experiment shows;
/// they leave `done`, `pending` and `wall_ms` set.
fn awaiting(e: &Experiment, stop_driver: &str) -> String {
    let counted = "\x20   wall_ms = (time.perf_counter() - run.t0) * 1000\n\
                   \x20   # Done: the tasks that ended on their own; pending: those cancelled.\n\
                   \x20   done = {t for t in tasks if not t.cancelled()}\n\
                   \x20   pending = {t for t in tasks if t.cancelled()}\n";
    match e.awaiting {
        Awaiting::Wait => format!(
            "\x20   if tasks:\n\
             \x20       done, pending = await asyncio.wait(tasks, return_when=RETURN_WHEN, timeout=TIMEOUT)\n\
             \x20   else:\n\
             \x20       done, pending = set(), set()\n\
             \x20   wall_ms = (time.perf_counter() - run.t0) * 1000\n{}",
            after_wait(e.after_wait, stop_driver)
        ),
        Awaiting::Gather => format!(
            "\x20   try:\n\
             \x20       # At the deadline asyncio.timeout cancels the gather, which cancels\n\
             \x20       # every task still running (wait_for does the same).\n\
             \x20       async with asyncio.timeout(TIMEOUT):\n\
             \x20           await asyncio.gather(*tasks, return_exceptions=True)\n\
             \x20   except TimeoutError:\n\
             \x20       print(TEXT[\"timed_out_cancelled\"])\n\
             {counted}{stop_driver}"
        ),
        Awaiting::TaskGroup => format!(
            "\x20   try:\n\
             \x20       async with asyncio.timeout(TIMEOUT):\n\
             \x20           # Structured concurrency: the group ends when every task has, and\n\
             \x20           # the first failure cancels the others.\n\
             \x20           async with asyncio.TaskGroup() as group:\n\
             \x20               for t in tasks:\n\
             \x20                   group.create_task(watch(t))\n\
             \x20   except* TimeoutError:\n\
             \x20       print(TEXT[\"timed_out_cancelled\"])\n\
             \x20   except* Exception as failed:\n\
             \x20       print(TEXT[\"group_failed\"].format(errors=len(failed.exceptions)))\n\
             {counted}{stop_driver}"
        ),
        Awaiting::AsCompleted => format!(
            "\x20   handled = []\n\
             \x20   try:\n\
             \x20       # Each result is handled as it arrives, in completion order.\n\
             \x20       for next_done in asyncio.as_completed([finished(i, t) for i, t in enumerate(tasks)], timeout=TIMEOUT):\n\
             \x20           i = await next_done\n\
             \x20           handle(run, i, tasks[i])\n\
             \x20           handled.append(tasks[i])\n\
             \x20   except TimeoutError:\n\
             \x20       print(TEXT[\"timed_out_as_completed\"])\n\
             \x20   wall_ms = (time.perf_counter() - run.t0) * 1000\n\
             \x20   done = set(handled)\n\
             \x20   pending = {{t for t in tasks if t not in done}}\n{}",
            after_wait(e.after_wait, stop_driver)
        ),
    }
}

/// The lines that neglect one more coroutine, the mistake `e.neglect` shows.
fn neglect(e: &Experiment) -> String {
    let us = neglected_latency_us(e);
    match e.neglect {
        Neglect::None => String::new(),
        Neglect::Unawaited => format!(
            "\x20   # The mistake: one more coroutine called without await. It is created but\n\
             \x20   # never scheduled, so its body never runs; when it is collected, CPython\n\
             \x20   # warns \"RuntimeWarning: coroutine 'io_task' was never awaited\".\n\
             \x20   io_task(run, len(tasks), {us}, True)\n"
        ),
        Neglect::Unretrieved => format!(
            "\x20   # The mistake: one more task started with create_task and forgotten (no\n\
             \x20   # reference kept, never awaited). It fails at half the latency ({us} µs);\n\
             \x20   # asyncio.wait never sees it, and nobody retrieves its exception: CPython\n\
             \x20   # only logs \"Task exception was never retrieved\" once it is collected.\n\
             \x20   asyncio.create_task(io_task(run, len(tasks), {us}, True))\n"
        ),
    }
}

fn main(e: &Experiment, plan: &strategy::Plan) -> String {
    let fetches = e.io_source == IoSource::Fetch && e.io_task_count() > 0;
    format!(
        "\n\nasync def main(args):\n\
         \x20   sys.setswitchinterval(SWITCH_INTERVAL)\n\
         \x20   run = Run(EXPERIMENT)\n\
         \x20   loop = asyncio.get_running_loop()\n\
         \x20   io = io_workload(IO_TASKS, SEED, failure_rate=FAILURE_RATE, **LATENCY)\n\
         \x20   cpu = [CpuTask(KERNEL, scaled(SIZE, KERNEL, args.scale), SEED, i) for i in range(CPU_TASKS)]\n\
         \x20   n_io = len(io)\n\
         {serve}\
         {body}\
         {neglect}\
         {awaiting}\
         \x20   await asyncio.gather(*tasks, return_exceptions=True)  # let every task settle\n\
         {shutdown}\
         {close}\
         \x20   if args.trace:\n\
         \x20       run.write_trace(args.trace)\n\
         \x20   return summary(run, tasks, done, pending, wall_ms, n_io{neglected})\n\n\n\
         if __name__ == \"__main__\":\n\
         \x20   print(json.dumps(asyncio.run(main(parse_args()))))\n",
        serve = if fetches {
            "\x20   # The I/O tasks fetch a file from a local server, as the page's do.\n\
             \x20   server = await serve_sample(run)\n"
        } else {
            ""
        },
        close = if fetches { "\x20   server.close()\n" } else { "" },
        body = plan.body,
        neglect = neglect(e),
        neglected = if e.neglect == Neglect::None {
            String::new()
        } else {
            format!(", neglect={}", py_str(e.neglect.token()))
        },
        awaiting = awaiting(e, &plan.after_wait),
        shutdown = plan.shutdown,
    )
}

#[cfg(not(target_arch = "wasm32"))]
pub mod native;
