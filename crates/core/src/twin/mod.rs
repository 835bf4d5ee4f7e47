//! The Python twin of an experiment: a complete program that runs unchanged
//! on CPython ≥ 3.11 with the standard library only, and does what the page
//! does with asyncio and concurrent.futures.
//!
//! The program reads as a Python programmer writes one: its docstring and
//! imports, the experiment's parameters and its `async def main` first (the
//! part this experiment's strategy and way of awaiting decide), then, under
//! [`HELPERS_MARKER`], the helpers it uses: core's constants (written from
//! core's own, so they cannot drift), its messages, and the parts of the
//! shared library `library/*.py` it reaches (the kernels in pure Python, the
//! seeded latencies, the run's record, its trace and summary; `shake.rs`
//! keeps only those), and last the lines that run `main`. Its last line of
//! output is a JSON [`Summary`]; `--scale F` multiplies the CPU sizes
//! ([`scaled_size`]) and `--trace FILE` writes Overlap's trace JSON (version
//! 2: the wait's return, the scale and the CPython with the spans, whose CPU
//! spans count only the CPU time their thread used: see the library's
//! `computing`).
//!
//! The program speaks the page's language: what it prints comes from the
//! catalogue's `twin.msg.*` entries (a `TEXT` dict among its helpers, which
//! `main` and the library's messages use), and its comments and docstrings
//! are translated through the `code.*` entries
//! ([`comments::translate_comments`]). Only those differ between languages;
//! the code and the JSON summary do not.

mod asyncio;
pub mod comments;
mod english;
pub mod fragments;
#[cfg(test)]
mod layout_tests;
pub mod library;
mod parameters;
mod shake;
mod strategy;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::experiment::profile::CpuPlace;
use crate::experiment::Awaiting;
use crate::i18n::Catalogue;
use crate::kernels::{CpuTask, Kernel};
use crate::Experiment;
use comments::{translate_comments, Syntax};
pub use fragments::Fragments;

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
    /// The CPython that ran it (`platform.python_version()`).
    pub python: String,
    /// Whether its GIL was enabled (`sys._is_gil_enabled()`, true before
    /// 3.13, where every build has one).
    pub gil: bool,
    /// How its process pool started its processes (see
    /// [`start_method_of`]); `None` without one.
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

/// What the program prints, by its name in the program's `TEXT` dict: each
/// is the catalogue's entry `twin.msg.<name>`, whose `{placeholders}` the
/// program fills with `str.format`. A count's singular and plural are two
/// names (`.one`, `.other`); the program picks the singular for a count of
/// 1, the rule of both languages for the counts it prints (a failed task
/// group holds at least one error).
pub const MESSAGES: [&str; 11] = [
    "threads_take_turns",
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
fn messages(text: &Catalogue, f: &Fragments) -> String {
    let mut entries = String::new();
    for name in MESSAGES {
        let value = py_str(&text.get(&format!("twin.msg.{name}")));
        entries += &f.fill("text.entry", &[("name", &py_str(name)), ("value", &value)]);
    }
    f.fill("text", &[("entries", &entries)])
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
    python_with_library(
        e,
        pool_threads,
        LIBRARY,
        &Fragments::native(),
        &text,
        &english,
    )
}

/// The program for `e` in the language of `text`, with the text of the
/// library (`library/*.py`) and the generator's fragments (`program.txt`)
/// given: the page fetches those files (served beside it) rather than
/// carrying them in its wasm, and must give exactly the files this crate
/// was built with. `english` is the English catalogue, through which the
/// comments are found (see [`comments::translate_comments`]).
pub fn python_with_library(
    e: &Experiment,
    pool_threads: Option<u32>,
    library: &str,
    fragments: &Fragments,
    text: &Catalogue,
    english: &Catalogue,
) -> String {
    let program = english::comments(
        &python_in_english(e, pool_threads, library, fragments, text, english),
        english,
    );
    translate_comments(&program, Syntax::Python, english, text)
}

/// The first line of the program's helpers: everything from this line on is
/// shared by every twin (core's constants, the messages, the library's
/// kernels, latencies, record and summary, only those this program uses) and
/// the lines that run `main`; everything before it is the experiment's own
/// program. A rule, so the same in every language: the code panel folds the
/// program from here ([`helpers_start`]).
pub const HELPERS_MARKER: &str =
    "# =============================================================================";

/// Where the helpers of `program` (a twin, in any language) start: the byte
/// offset of its [`HELPERS_MARKER`] line, `None` if it has none.
pub fn helpers_start(program: &str) -> Option<usize> {
    let mut offset = 0;
    for line in program.split_inclusive('\n') {
        if line.trim_end() == HELPERS_MARKER {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

/// How `e`'s process pool starts its processes, the program's one source of
/// it (`multiprocessing.get_context(...)`, given to the pool as `mp_context`,
/// and the summary's `start_method`): the experiment's `start=`; `None`
/// where no process pool runs.
pub fn start_method_of(e: &Experiment) -> Option<&'static str> {
    let processes = e.profile().cpu == CpuPlace::Processes;
    (processes && e.workload.has_cpu()).then(|| crate::experiment::Token::token(e.process_start))
}

/// Whether the page runs `e`'s threads under a GIL (they take turns), the
/// twin's one reading of it: its story says what CPython's GIL does to the
/// experiment's threads accordingly.
fn page_gil(e: &Experiment) -> bool {
    e.profile().gil
}

/// Whether threads compute in `e`'s program (CPU tasks on a pool or an
/// executor): only then does the GIL's switch interval matter, so only then
/// does the program set it.
fn threads_compute(e: &Experiment) -> bool {
    let place = e.profile().cpu;
    e.workload.has_cpu()
        && matches!(
            place,
            CpuPlace::Pool | CpuPlace::DefaultExecutor | CpuPlace::Split
        )
}

/// The program with English comments and `text`'s messages: its docstring
/// (its story from `english`, the English catalogue) and imports, the
/// experiment's parameters and `main`, then the helpers it uses under
/// [`HELPERS_MARKER`], and the lines that run it.
fn python_in_english(
    e: &Experiment,
    pool_threads: Option<u32>,
    library: &str,
    f: &Fragments,
    text: &Catalogue,
    english: &Catalogue,
) -> String {
    let spawn = strategy::Spawn {
        group: e.awaiting == Awaiting::TaskGroup,
    };
    let plan = strategy::plan(e, spawn, f);
    let main = asyncio::main(e, &plan, f);
    // The lines that run the program: last, once every helper is defined.
    let run_main = f.get("run_main");
    let kept = shake::keep(
        &[&main, run_main],
        &[
            &parameters::parameters(e, pool_threads, f),
            &parameters::constants(f),
            &messages(text, f),
            library,
        ],
    );
    let own = format!("{}\n\n\n{main}", kept[0]);
    let helpers: Vec<&str> = kept[1..]
        .iter()
        .map(String::as_str)
        .filter(|k| !k.is_empty())
        .collect();
    let helpers = helpers.join("\n\n\n");
    let mut imports = shake::imports(&format!("{own}\n{helpers}\n{run_main}"));
    if !plan.import.is_empty() {
        imports += plan.import;
        imports += "\n";
    }
    f.fill(
        "program",
        &[
            ("query", &py_str(&e.to_query())),
            (
                "story",
                &english::wrapped("", &english.get(strategy::story(e)), 72),
            ),
            (
                "run_with",
                &english::wrapped("", &english.get("code.twin.doc.3"), 72),
            ),
            ("imports", &imports),
            ("own", &own),
            ("marker", &HELPERS_MARKER),
            ("helpers", &helpers),
            ("run_main", &run_main),
        ],
    )
}

#[cfg(not(target_arch = "wasm32"))]
pub mod native;
