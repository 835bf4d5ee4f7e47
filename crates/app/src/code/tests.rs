//! The code panel against the files it quotes: every function found, every
//! comment with its entry in both languages, the fetched library making the
//! same program as core's.

use super::sources::{LIBRARY_DIR, PROGRAM_FILE, SOURCE_URLS};
use super::*;
use overlap_core::experiment::url::decode_str;
use overlap_core::experiment::{Token, Workload};
use overlap_core::twin::comments::{comment_blocks, CommentIndex};
use overlap_core::twin::library;
use overlap_core::twin::{code_text, python, python_as_run, Fragments};
use overlap_core::Lang;
use overlap_core::ValidExperiment;

/// The quoted files as the build copies them, and the English catalogue.
fn sources() -> Sources {
    Sources {
        english: code_text(Lang::En),
        files: quoted_files(),
        library: library_as_fetched(),
        fragments: fragments_as_fetched(),
    }
}

/// The twin's fragments as the panel reads them: the file index.html
/// copies, read from the source tree.
fn fragments_as_fetched() -> Fragments {
    let path = format!("{}/../../{}", env!("CARGO_MANIFEST_DIR"), PROGRAM_FILE.0);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"));
    Fragments::parse(&text).unwrap_or_else(|err| panic!("{path}: {err}"))
}

/// The twin's library as the panel makes it: its files, read from the
/// folder index.html copies, joined.
fn library_as_fetched() -> String {
    let dir = format!("{}/../../{}", env!("CARGO_MANIFEST_DIR"), LIBRARY_DIR.0);
    let parts = library::PARTS.map(|part| {
        std::fs::read_to_string(format!("{dir}/{part}"))
            .unwrap_or_else(|err| panic!("{dir}/{part}: {err}"))
    });
    library::join(&parts)
}

fn quoted_files() -> Vec<(&'static str, String)> {
    vec![
        (
            PLACEMENT_FILE,
            include_str!("../../../core/src/execute/placement/mod.rs").to_owned(),
        ),
        (
            IO_FILE,
            include_str!("../../../core/src/execute/placement/io.rs").to_owned(),
        ),
        (
            PROCESSES_FILE,
            include_str!("../../../core/src/execute/placement/processes.rs").to_owned(),
        ),
        (
            WORKER_JOBS_FILE,
            include_str!("../../../runtime/src/worker_jobs.rs").to_owned(),
        ),
    ]
}

#[test]
fn every_quoted_file_is_copied_beside_the_page_where_the_panel_fetches_it() {
    let index = include_str!("../../../../index.html");
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
    let (dir, url) = LIBRARY_DIR;
    assert!(
        index.contains(&format!(
            "rel=\"copy-dir\" href=\"{dir}\" data-target-path=\"{url}\""
        )),
        "index.html does not copy {dir} to {url}/"
    );
    let (path, url) = PROGRAM_FILE;
    let (dir, file) = url.rsplit_once('/').unwrap();
    assert!(path.ends_with(&format!("/{file}")), "{url} is {path}");
    assert!(
        index.contains(&format!(
            "rel=\"copy-file\" href=\"{path}\" data-target-path=\"{dir}\""
        )),
        "index.html does not copy {path} to {dir}/"
    );
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
    assert!(python(&pool).contains("CPU_TASKS, SIZE = 5, 200\nSEED = 42\nWORKERS = 3\n"));
    assert!(rust(&pool, &sources(), &en).contains("pub fn run_chunked("));
    assert!(rust(&pool, &sources(), &en).contains("PoolWork::Chunked"));
    let wait = decode_str("w=io&s=conc&io=8&rw=first&timeout=300").experiment;
    assert!(python(&wait).contains("RETURN_WHEN = asyncio.FIRST_COMPLETED\nTIMEOUT = 0.3\n"));
    assert!(python_as_run(&pool, Some(2)).contains("\nWORKERS = 2\n"));
    assert_eq!(
        super::python(&pool, Some(2), &sources(), &en),
        python_as_run(&pool, Some(2)),
        "the fetched library makes the same program"
    );
    let seq = decode_str("w=io&s=seq&io=4").experiment;
    assert!(python(&seq).contains("driver = asyncio.create_task(in_turn(run, io, futures))"));
    assert!(rust(&seq, &sources(), &en).contains("async fn drive"));
    let fr = code_text(Lang::Fr);
    assert!(rust(&seq, &sources(), &fr).contains("/// Exécute chaque tâche avec le placement"));
    assert!(super::python(&pool, None, &sources(), &fr)
        .contains("# Les constantes d’Overlap (tirées de son cœur"));
    // The panel shows the program's own part and folds the helpers: the two
    // are the whole program, cut at the marker, in either language.
    for program in [python(&seq), super::python(&pool, None, &sources(), &fr)] {
        let (own, helpers) = python_parts(&program);
        assert_eq!(format!("{own}{helpers}"), program);
        assert!(own.contains("async def main(args):") && !own.contains("def io_task"));
        assert!(helpers.starts_with(overlap_core::twin::HELPERS_MARKER));
        assert!(helpers.contains("if __name__ == \"__main__\":"));
    }
}

/// Every experiment the page can build, as far as its code goes: each
/// preset and its variations, and each strategy with each workload it
/// runs (the twin's options are covered by core's tests).
fn every_experiment() -> Vec<Experiment> {
    let mut out = Vec::new();
    for preset in crate::presets::PRESETS {
        out.push(decode_str(preset.query).experiment);
        for v in preset.variations {
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
    // The panel, and every file of this module but its tests.
    let panel = [
        include_str!("../components/code_panel.rs"),
        include_str!("mod.rs"),
        include_str!("sources.rs"),
        include_str!("cut.rs"),
    ];
    for source in panel {
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
