//! What the code panel shows: the experiment's Python twin (core's
//! [`overlap_core::twin::python`]) and the Rust functions Overlap really
//! runs for its strategy, cut from their source files at build time.

use overlap_core::experiment::Strategy;
use overlap_core::Experiment;

pub use overlap_core::twin::python_as_run;

const PLACEMENT_FILE: &str = "crates/core/src/execute/placement/mod.rs";
const IO_FILE: &str = "crates/core/src/execute/placement/io.rs";
const PROCESSES_FILE: &str = "crates/core/src/execute/placement/processes.rs";
const WORKER_JOBS_FILE: &str = "crates/runtime/src/executor/worker_jobs.rs";

/// The files the panel quotes, by path: where core places each task, and
/// what runs on the pool's workers.
const SOURCES: [(&str, &str); 4] = [
    (
        PLACEMENT_FILE,
        include_str!("../../core/src/execute/placement/mod.rs"),
    ),
    (
        IO_FILE,
        include_str!("../../core/src/execute/placement/io.rs"),
    ),
    (
        PROCESSES_FILE,
        include_str!("../../core/src/execute/placement/processes.rs"),
    ),
    (
        WORKER_JOBS_FILE,
        include_str!("../../runtime/src/executor/worker_jobs.rs"),
    ),
];

/// The text of the quoted file `path`.
fn source(path: &str) -> &'static str {
    SOURCES
        .iter()
        .find(|(p, _)| *p == path)
        .map_or("", |(_, text)| text)
}

/// The top-level function `name` of `source` with its doc comment and
/// attributes: from the first line of those to the `}` that closes it at
/// the start of a line (rustfmt's layout, which `cargo fmt --check` keeps).
pub fn function_source(source: &str, name: &str) -> Option<String> {
    let lines: Vec<&str> = source.lines().collect();
    let is_head = |line: &str| {
        let rest = ["pub(super) ", "pub(crate) ", "pub "]
            .iter()
            .find_map(|p| line.strip_prefix(p))
            .unwrap_or(line);
        let rest = rest.strip_prefix("async ").unwrap_or(rest);
        rest.strip_prefix("fn ")
            .and_then(|r| r.strip_prefix(name))
            .is_some_and(|r| r.starts_with('(') || r.starts_with('<'))
    };
    let head = lines.iter().position(|l| is_head(l))?;
    let mut first = head;
    while first > 0 && (lines[first - 1].starts_with("///") || lines[first - 1].starts_with("#[")) {
        first -= 1;
    }
    let end = head + lines[head..].iter().position(|l| *l == "}")?;
    Some(lines[first..=end].join("\n"))
}

/// The functions behind `strategy`: (file, function) pairs, in reading order.
fn functions(strategy: Strategy) -> &'static [(&'static str, &'static str)] {
    match strategy {
        Strategy::SequentialAwait => &[(PLACEMENT_FILE, "drive"), (PLACEMENT_FILE, "cpu_inline")],
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
        Strategy::Pool | Strategy::GilMode => &[
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

/// The Rust that Overlap runs for `e`'s strategy: the real functions.
pub fn rust(e: &Experiment) -> String {
    functions(e.strategy)
        .iter()
        .map(|(file, name)| {
            let body = function_source(source(file), name)
                .unwrap_or_else(|| format!("// `{name}` was not found in {file}"));
            format!("// {file}\n{body}\n")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use overlap_core::experiment::url::decode_str;
    use overlap_core::experiment::Token;
    use overlap_core::twin::python;

    #[test]
    fn every_strategys_functions_are_found_in_their_files() {
        for &s in <Strategy as Token>::ALL {
            for (file, name) in functions(s) {
                let body = function_source(source(file), name)
                    .unwrap_or_else(|| panic!("{name} in {file}"));
                assert!(body.contains(&format!("fn {name}")), "{name}");
                assert!(body.ends_with('}'), "{name}");
            }
        }
    }

    #[test]
    fn the_code_follows_the_experiment() {
        let pool = decode_str("w=cpu&s=pool&k=3&n=5").experiment;
        assert!(python(&pool).contains("ThreadPoolExecutor(max_workers=WORKERS)"));
        assert!(python(&pool).contains("IO_TASKS, CPU_TASKS, WORKERS = 0, 5, 3"));
        assert!(rust(&pool).contains("pub fn run_chunked("));
        assert!(rust(&pool).contains("PoolWork::Chunked"));
        let wait = decode_str("w=io&s=conc&io=8&rw=first&timeout=300").experiment;
        assert!(python(&wait).contains("RETURN_WHEN, TIMEOUT = asyncio.FIRST_COMPLETED, 0.3"));
        assert!(python_as_run(&pool, Some(2)).contains("WORKERS = 0, 5, 2"));
        let seq = decode_str("w=io&s=seq&io=4").experiment;
        assert!(python(&seq).contains("in_sequence(run, io, cpu, futures)"));
        assert!(rust(&seq).contains("async fn drive"));
    }

    #[test]
    fn a_function_ends_at_its_own_closing_brace() {
        let source = "/// One.\nfn one() {\n    if x {\n    }\n}\n\nfn one_more() {\n}\n";
        assert_eq!(
            function_source(source, "one").as_deref(),
            Some("/// One.\nfn one() {\n    if x {\n    }\n}")
        );
        assert_eq!(
            function_source(source, "one_more").as_deref(),
            Some("fn one_more() {\n}")
        );
        assert_eq!(function_source(source, "two"), None);
    }
}
