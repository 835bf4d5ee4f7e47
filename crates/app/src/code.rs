//! What the code panel shows: the experiment's Python twin (core's
//! [`overlap_core::twin::python_with_library`]) and the Rust functions
//! Overlap really runs for its strategy, cut from their source files at run
//! time; both with their comments in the page's language, found through the
//! English catalogue ([`overlap_core::i18n::translate_comments`]).
//!
//! The Rust is cut from `core/src/execute/placement/` (`mod.rs`, `io.rs`,
//! `processes.rs`) and `runtime/src/executor/worker_jobs.rs`, which index.html
//! copies beside the page as `source/…`; the panel fetches them when it opens,
//! so they are not carried in the wasm.

use overlap_core::experiment::Strategy;
use overlap_core::i18n::{translate_comments, Catalogue, Syntax};
use overlap_core::{Experiment, Lang};

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

/// Where the English catalogue is served as JSON (core's `catalogue` example
/// writes it), which the panel reads to find each comment's key whatever the
/// page's language (boot.js fetches the page's own from beside it).
fn english_url() -> String {
    format!("text/{}.json", Lang::En.tag())
}

/// The texts of the quoted files, by path, and the English catalogue.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sources {
    files: Vec<(&'static str, String)>,
    english: Catalogue,
}

impl Sources {
    /// The text of the quoted file `path` (empty when it is not loaded).
    fn get(&self, path: &str) -> &str {
        self.files
            .iter()
            .find(|(p, _)| *p == path)
            .map_or("", |(_, text)| text)
    }
}

/// Fetches every quoted file, and the English catalogue, from beside the page.
pub async fn fetch_sources() -> Result<Sources, String> {
    let mut files = Vec::with_capacity(SOURCE_URLS.len());
    for (path, url) in SOURCE_URLS {
        let text = overlap_runtime::fetch::text(url)
            .await
            .map_err(|why| format!("{path}: {why}"))?;
        files.push((path, text));
    }
    let url = english_url();
    let text = overlap_runtime::fetch::text(&url)
        .await
        .map_err(|why| format!("{url}: {why}"))?;
    let english = Catalogue::from_json(&text).map_err(|why| format!("{url}: {why}"))?;
    Ok(Sources { files, english })
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
        sources.get(LIBRARY_FILE),
        text,
        &sources.english,
    )
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
mod tests {
    use super::*;
    use overlap_core::experiment::url::decode_str;
    use overlap_core::experiment::{Token, Workload};
    use overlap_core::i18n::{comment_blocks, CommentIndex};
    use overlap_core::twin::{code_text, python, python_as_run};
    use overlap_core::ValidExperiment;

    /// The quoted files as the build copies them, and the English catalogue.
    fn sources() -> Sources {
        Sources {
            english: code_text(Lang::En),
            files: quoted_files(),
        }
    }

    fn quoted_files() -> Vec<(&'static str, String)> {
        vec![
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
        ]
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
        let en = code_text(Lang::En);
        let pool = decode_str("w=cpu&s=pool&k=3&n=5").experiment;
        assert!(python(&pool).contains("ThreadPoolExecutor(max_workers=WORKERS)"));
        assert!(python(&pool).contains("IO_TASKS, CPU_TASKS, WORKERS = 0, 5, 3"));
        assert!(rust(&pool, &sources(), &en).contains("pub fn run_chunked("));
        assert!(rust(&pool, &sources(), &en).contains("PoolWork::Chunked"));
        let wait = decode_str("w=io&s=conc&io=8&rw=first&timeout=300").experiment;
        assert!(python(&wait).contains("RETURN_WHEN, TIMEOUT = asyncio.FIRST_COMPLETED, 0.3"));
        assert!(python_as_run(&pool, Some(2)).contains("WORKERS = 0, 5, 2"));
        assert_eq!(
            super::python(&pool, Some(2), &sources(), &en),
            python_as_run(&pool, Some(2)),
            "the fetched library makes the same program"
        );
        let seq = decode_str("w=io&s=seq&io=4").experiment;
        assert!(python(&seq).contains("in_sequence(run, io, cpu, futures)"));
        assert!(rust(&seq, &sources(), &en).contains("async fn drive"));
        let fr = code_text(Lang::Fr);
        assert!(rust(&seq, &sources(), &fr).contains("/// Exécute chaque tâche avec le placement"));
        assert!(super::python(&seq, None, &sources(), &fr)
            .contains("# Les constantes d’Overlap (tirées de son cœur"));
    }

    /// Every experiment the page can build, as far as its code goes: each
    /// preset and its variation, and each strategy with each workload it
    /// runs (the twin's options are covered by core's tests).
    fn every_experiment() -> Vec<Experiment> {
        let mut out = Vec::new();
        for preset in crate::presets::PRESETS {
            out.push(decode_str(preset.query).experiment);
            if let Some(v) = preset.variation {
                out.push(decode_str(v.query).experiment);
            }
        }
        for &workload in <Workload as Token>::ALL {
            for &strategy in <Strategy as Token>::ALL {
                let e = Experiment {
                    workload,
                    strategy,
                    io_tasks: 4,
                    cpu_tasks: 2,
                    ..Experiment::default()
                };
                if let Ok(valid) = ValidExperiment::new(e) {
                    out.push(valid.get().clone());
                }
            }
        }
        for &s in <Strategy as Token>::ALL {
            assert!(out.iter().any(|e| e.strategy == s), "{s:?}");
        }
        out
    }

    /// The comment blocks of what the panel shows for `e` in `text`'s
    /// language: the Python twin, and each quoted function on its own
    /// (the path above each is no comment to translate).
    fn shown(e: &Experiment, text: &Catalogue) -> Vec<(Syntax, String)> {
        let sources = sources();
        let mut out = vec![(Syntax::Python, super::python(e, Some(2), &sources, text))];
        for (file, name) in functions(e.strategy) {
            out.push((Syntax::Rust, rust_function(file, name, &sources, text)));
        }
        out
    }

    #[test]
    fn every_comment_the_panel_shows_has_an_english_entry() {
        let en = code_text(Lang::En);
        let index = CommentIndex::new(&en);
        let mut used = std::collections::BTreeSet::new();
        let mut missing = std::collections::BTreeSet::new();
        for e in every_experiment() {
            for (syntax, code) in shown(&e, &en) {
                index.tally(&code, syntax, &mut used, &mut missing);
            }
        }
        assert!(
            missing.is_empty(),
            "comments without an entry in crates/core/text/en/code.txt:\n{}",
            missing.into_iter().collect::<Vec<_>>().join("\n")
        );
        let unused: Vec<&str> = en
            .keys()
            .filter(|k| k.starts_with("code.rs."))
            .filter(|k| !used.contains(*k))
            .collect();
        assert!(
            unused.is_empty(),
            "entries no quoted function uses: {unused:?}"
        );
    }

    /// `code` without its whole-line comments: what must not change.
    fn code_lines(code: &str) -> Vec<&str> {
        code.lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect()
    }

    #[test]
    fn the_french_panel_changes_only_the_rust_comments_and_leaves_none_in_english() {
        let (en, fr) = (code_text(Lang::En), code_text(Lang::Fr));
        let index = CommentIndex::new(&en);
        for e in every_experiment() {
            let english = rust(&e, &sources(), &en);
            let french = rust(&e, &sources(), &fr);
            assert_eq!(
                code_lines(&english),
                code_lines(&french),
                "{}",
                e.to_query()
            );
            for (syntax, code) in shown(&e, &fr) {
                for block in comment_blocks(&code, syntax) {
                    if let Some((key, _)) = index.find(&block.text) {
                        assert!(
                            !fr.has(key) || fr.get(key) == en.get(key),
                            "{}: still in English: {}",
                            e.to_query(),
                            block.text
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_panels_own_words_are_in_both_catalogues() {
        let (en, fr) = (code_text(Lang::En), code_text(Lang::Fr));
        let mut keys = Vec::new();
        let this_file = include_str!("code.rs");
        let (this_file, _) = this_file
            .split_once("// Native only: the tests read")
            .expect("the tests are at the end of this file");
        for source in [include_str!("components/code_panel.rs"), this_file] {
            for piece in source.split("\"code.panel.").skip(1) {
                let key = piece.split('"').next().unwrap_or_default();
                keys.push(format!("code.panel.{key}"));
            }
        }
        assert!(keys.len() >= 14, "{keys:?}");
        for key in keys {
            assert!(en.has(&key) && fr.has(&key), "{key}");
        }
        let missing = rust_function(PLACEMENT_FILE, "nowhere", &sources(), &fr);
        assert_eq!(
            missing,
            "// `nowhere` est introuvable dans crates/core/src/execute/placement/mod.rs"
        );
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

    #[test]
    fn in_the_pseudo_language_every_comment_line_of_prose_is_marked() {
        // What the end-to-end test of the pseudo-language looks for: a
        // comment line without the marks bypassed the catalogue. Only the
        // shebang, rules and empty comment lines (no words), and the path
        // above each quoted function are not prose.
        let pseudo = Catalogue::pseudo(&code_text(Lang::En));
        let (open, _) = overlap_core::i18n::PSEUDO_MARKS;
        for e in every_experiment() {
            let python = super::python(&e, Some(2), &sources(), &pseudo);
            let rust = rust(&e, &sources(), &pseudo);
            for line in python.lines().chain(rust.lines()) {
                let comment = line.trim_start();
                if !(comment.starts_with('#') || comment.starts_with("//")) {
                    continue;
                }
                let exempt = comment == "#!/usr/bin/env python3"
                    || !comment.chars().any(char::is_alphanumeric)
                    || SOURCE_URLS
                        .iter()
                        .any(|(path, _)| comment == format!("// {path}"));
                assert!(exempt || comment.contains(open), "{}: {line}", e.to_query());
            }
        }
    }
}
