//! What the code panel shows: the experiment's Python twin (core's
//! [`overlap_core::twin::python_with_library`]) and the Rust functions
//! Overlap really runs for its strategy, cut from their source files at run
//! time; both with their comments in the page's language, found through the
//! English catalogue ([`overlap_core::twin::comments::translate_comments`]).
//!
//! The Rust is cut from `core/src/execute/placement/` (`mod.rs`, `io.rs`,
//! `processes.rs`) and `runtime/src/worker_jobs.rs`, which index.html copies
//! beside the page as `source/…`; the panel fetches them when it opens, so
//! they are not carried in the wasm.

mod cut;
mod sources;

use overlap_core::experiment::Strategy;
use overlap_core::i18n::Catalogue;
use overlap_core::twin::comments::{translate_comments, Syntax};
use overlap_core::Experiment;

use cut::function_source;
pub use sources::{fetch_sources, Sources};
use sources::{IO_FILE, PLACEMENT_FILE, PROCESSES_FILE, WORKER_JOBS_FILE};

/// The functions behind `strategy`: (file, function) pairs, in reading order.
fn functions(strategy: Strategy) -> &'static [(&'static str, &'static str)] {
    match strategy {
        Strategy::SequentialAwait => &[(PLACEMENT_FILE, "drive"), (PLACEMENT_FILE, "cpu_inline")],
        Strategy::BlockingIo => &[
            (PLACEMENT_FILE, "drive"),
            (IO_FILE, "io_blocking"),
            (PLACEMENT_FILE, "cpu_inline"),
        ],
        Strategy::ConcurrentAwait | Strategy::InlineBlocking => &[
            (IO_FILE, "io_task"),
            (IO_FILE, "io_wait"),
            (PLACEMENT_FILE, "cpu_inline"),
        ],
        Strategy::ToThread => &[
            (IO_FILE, "io_task"),
            (IO_FILE, "blocking_wait"),
            (PLACEMENT_FILE, "cpu_to_thread"),
            (PLACEMENT_FILE, "hand_off"),
            (WORKER_JOBS_FILE, "run_chunked"),
        ],
        Strategy::CooperativeChunks => &[(PLACEMENT_FILE, "cpu_cooperative")],
        Strategy::Pool => &[
            (PLACEMENT_FILE, "cpu_on_pool"),
            (PLACEMENT_FILE, "hand_off"),
            (WORKER_JOBS_FILE, "run_chunked"),
        ],
        Strategy::DataParallel => &[
            (PLACEMENT_FILE, "cpu_data_parallel"),
            (PLACEMENT_FILE, "hand_off"),
            (WORKER_JOBS_FILE, "run_data_parallel"),
        ],
        Strategy::ParallelBlocking => &[
            (PLACEMENT_FILE, "cpu_parallel_blocking"),
            (WORKER_JOBS_FILE, "run_split_here"),
        ],
        Strategy::ProcessPool => &[
            (PROCESSES_FILE, "in_processes"),
            (PROCESSES_FILE, "in_process"),
        ],
    }
}

/// The Python twin of `e` as it runs on a page whose pool has `pool_threads`
/// threads, with the library fetched beside the page, in the language of
/// `text`: what the visitor sees, copies and downloads.
pub fn python(
    e: &Experiment,
    pool_threads: Option<u32>,
    sources: &Sources,
    text: &Catalogue,
) -> String {
    overlap_core::twin::python_with_library(
        e,
        pool_threads,
        &sources.library,
        &sources.fragments,
        text,
        &sources.english,
    )
}

/// The twin cut where its helpers start (core's
/// [`overlap_core::twin::helpers_start`]): the experiment's own program,
/// which the panel shows, and the helpers it folds, the two together the
/// whole program (the helpers empty when it has no marker).
pub fn python_parts(program: &str) -> (&str, &str) {
    match overlap_core::twin::helpers_start(program) {
        Some(at) => program.split_at(at),
        None => (program, ""),
    }
}

/// The Rust function `name` of `file` with its comments in the language of
/// `text` (a comment saying so when it is not found).
fn rust_function(file: &str, name: &str, sources: &Sources, text: &Catalogue) -> String {
    match function_source(sources.get(file), name) {
        Some(body) => translate_comments(&body, Syntax::Rust, &sources.english, text),
        None => format!(
            "// {}",
            text.fill(
                "code.panel.rust.not_found",
                &[("name", &name), ("file", &file)]
            )
        ),
    }
}

/// The Rust that Overlap runs for `e`'s strategy: the real functions, cut
/// from `sources`, each under its file's path, with their comments in the
/// language of `text`.
pub fn rust(e: &Experiment, sources: &Sources, text: &Catalogue) -> String {
    functions(e.strategy)
        .iter()
        .map(|(file, name)| {
            let body = rust_function(file, name, sources, text);
            format!("// {file}\n{body}\n")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

// Native only: the tests read the shipped catalogues from the source tree.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
