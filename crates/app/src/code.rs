//! What the code panel shows: the experiment's Python twin (core's
//! [`overlap_core::twin::python`]) and the Rust functions Overlap really
//! runs for its strategy, cut from their source files at build time.

use overlap_core::experiment::Strategy;
use overlap_core::Experiment;

#[cfg(test)]
use overlap_core::twin::python_as_run;

const PLACEMENT_FILE: &str = "crates/core/src/execute/placement/mod.rs";
const IO_FILE: &str = "crates/core/src/execute/placement/io.rs";
const PROCESSES_FILE: &str = "crates/core/src/execute/placement/processes.rs";
const WORKER_JOBS_FILE: &str = "crates/runtime/src/executor/worker_jobs.rs";
const LIBRARY_FILE: &str = "crates/core/src/twin/library.py";

/// The files the panel quotes, by path (where core places each task, what
/// runs on the pool's workers, and the Python twin's library), and where
/// each is served beside the page: index.html copies them there, so that
/// their text is fetched when the panel shows rather than carried in the wasm.
const SOURCE_URLS: [(&str, &str); 5] = [
    (LIBRARY_FILE, "source/library.py"),
    (PLACEMENT_FILE, "source/placement/mod.rs"),
    (IO_FILE, "source/placement/io.rs"),
    (PROCESSES_FILE, "source/placement/processes.rs"),
    (WORKER_JOBS_FILE, "source/worker_jobs.rs"),
];

/// The texts of the quoted files, by path.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sources(Vec<(&'static str, String)>);

impl Sources {
    /// The text of the quoted file `path` (empty when it is not loaded).
    fn get(&self, path: &str) -> &str {
        self.0
            .iter()
            .find(|(p, _)| *p == path)
            .map_or("", |(_, text)| text)
    }
}

/// Fetches every quoted file from beside the page.
pub async fn fetch_sources() -> Result<Sources, String> {
    let mut texts = Vec::with_capacity(SOURCE_URLS.len());
    for (path, url) in SOURCE_URLS {
        let text = overlap_runtime::fetch::text(url)
            .await
            .map_err(|why| format!("{path}: {why}"))?;
        texts.push((path, text));
    }
    Ok(Sources(texts))
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

/// The Python twin of `e` as it runs on a page whose pool has `pool_threads`
/// threads, with the library fetched beside the page.
pub fn python(e: &Experiment, pool_threads: Option<u32>, sources: &Sources) -> String {
    overlap_core::twin::python_with_library(e, pool_threads, sources.get(LIBRARY_FILE))
}

/// The Rust that Overlap runs for `e`'s strategy: the real functions, cut
/// from `sources`.
pub fn rust(e: &Experiment, sources: &Sources) -> String {
    functions(e.strategy)
        .iter()
        .map(|(file, name)| {
            let body = function_source(sources.get(file), name)
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

    /// The quoted files as the build copies them.
    fn sources() -> Sources {
        Sources(vec![
            (
                LIBRARY_FILE,
                include_str!("../../core/src/twin/library.py").to_owned(),
            ),
            (
                PLACEMENT_FILE,
                include_str!("../../core/src/execute/placement/mod.rs").to_owned(),
            ),
            (
                IO_FILE,
                include_str!("../../core/src/execute/placement/io.rs").to_owned(),
            ),
            (
                PROCESSES_FILE,
                include_str!("../../core/src/execute/placement/processes.rs").to_owned(),
            ),
            (
                WORKER_JOBS_FILE,
                include_str!("../../runtime/src/executor/worker_jobs.rs").to_owned(),
            ),
        ])
    }

    #[test]
    fn every_quoted_file_is_copied_beside_the_page_where_the_panel_fetches_it() {
        let index = include_str!("../../../index.html");
        for (path, url) in SOURCE_URLS {
            let (dir, file) = url.rsplit_once('/').unwrap();
            let (source_dir, source_file) = path.rsplit_once('/').unwrap();
            assert_eq!(file, source_file, "{url} is {path}");
            let copied = index.contains(&format!(
                "rel=\"copy-file\" href=\"{path}\" data-target-path=\"{dir}\""
            )) || index.contains(&format!(
                "rel=\"copy-dir\" href=\"{source_dir}\" data-target-path=\"{dir}\""
            ));
            assert!(copied, "index.html does not copy {path} to {dir}/");
        }
    }

    #[test]
    fn every_strategys_functions_are_found_in_their_files() {
        for &s in <Strategy as Token>::ALL {
            for (file, name) in functions(s) {
                let body = function_source(sources().get(file), name)
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
        assert!(rust(&pool, &sources()).contains("pub fn run_chunked("));
        assert!(rust(&pool, &sources()).contains("PoolWork::Chunked"));
        let wait = decode_str("w=io&s=conc&io=8&rw=first&timeout=300").experiment;
        assert!(python(&wait).contains("RETURN_WHEN, TIMEOUT = asyncio.FIRST_COMPLETED, 0.3"));
        assert!(python_as_run(&pool, Some(2)).contains("WORKERS = 0, 5, 2"));
        assert_eq!(
            super::python(&pool, Some(2), &sources()),
            python_as_run(&pool, Some(2)),
            "the fetched library makes the same program"
        );
        let seq = decode_str("w=io&s=seq&io=4").experiment;
        assert!(python(&seq).contains("in_sequence(run, io, cpu, futures)"));
        assert!(rust(&seq, &sources()).contains("async fn drive"));
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
