//! Each strategy's rules live in one table (`experiment::profile`): no code
//! outside `crates/core/src/experiment/` decides a property by matching
//! strategies. The per-strategy wording of the twin and of the code panel
//! (which quote a different program per strategy) is the one exception.
//! Test code may name strategies freely.

use std::fs;
use std::path::{Path, PathBuf};

/// Files (or folders) whose matches are per-strategy wording, not rules.
const WORDING: [&str; 3] = [
    "crates/core/src/twin/strategy.rs",
    "crates/app/src/code.rs",
    "crates/app/src/code/",
];

const VARIANTS: [&str; 10] = [
    "SequentialAwait",
    "ConcurrentAwait",
    "InlineBlocking",
    "BlockingIo",
    "CooperativeChunks",
    "Pool",
    "DataParallel",
    "ParallelBlocking",
    "ProcessPool",
    "ToThread",
];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "tests" {
                sources(&path, out);
            }
        } else if name.ends_with(".rs") && name != "tests.rs" && !name.ends_with("_tests.rs") {
            out.push(path);
        }
    }
}

/// The file's code before its first `#[cfg(test)]` module, on one line.
fn code_of(text: &str) -> String {
    let end = text.find("#[cfg(test)]").unwrap_or(text.len());
    text[..end]
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The places in `code` where a strategy is matched: a match arm or pattern
/// (`Strategy::X =>`, `Strategy::X |`, `| Strategy::X`, `Strategy::X if`),
/// a comparison (`== Strategy::X`, `!= Strategy::X`) or `matches!(…, Strategy::X…)`.
fn matches_in(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    for v in VARIANTS {
        let name = format!("Strategy::{v}");
        let mut from = 0;
        while let Some(at) = code[from..].find(&name) {
            let start = from + at;
            let end = start + name.len();
            from = end;
            // `Strategy::Pool` is a prefix of `Strategy::ProcessPool`? No, but
            // guard against longer identifiers all the same.
            if code[end..].starts_with(|c: char| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let before = code[..start].trim_end();
            let after = code[end..].trim_start();
            let in_matches = code[..start]
                .rfind("matches!")
                .is_some_and(|m| !code[m..start].contains(';'));
            if after.starts_with("=>")
                || after.starts_with("if ")
                || (after.starts_with('|') && !after.starts_with("||"))
                || (before.ends_with('|') && !before.ends_with("||"))
                || before.ends_with("==")
                || before.ends_with("!=")
                || in_matches
            {
                found.push(name.clone());
            }
        }
    }
    found
}

#[test]
fn strategies_are_matched_only_in_the_experiment_module() {
    let root = workspace();
    let mut files = Vec::new();
    for krate in ["core", "runtime", "app", "kernels"] {
        sources(&root.join("crates").join(krate).join("src"), &mut files);
    }
    assert!(files.len() > 50, "found only {} source files", files.len());
    let mut offenders = Vec::new();
    for file in &files {
        let rel = file
            .strip_prefix(&root)
            .unwrap_or(file)
            .to_string_lossy()
            .replace('\\', "/");
        let rel = rel.trim_start_matches("./").to_owned();
        if rel.contains("crates/core/src/experiment/") || WORDING.iter().any(|w| rel.contains(w)) {
            continue;
        }
        let text = fs::read_to_string(file).expect("readable source");
        for m in matches_in(&code_of(&text)) {
            offenders.push(format!("{rel}: {m}"));
        }
    }
    assert!(
        offenders.is_empty(),
        "strategies matched outside experiment/ (read Strategy::profile instead):\n{}",
        offenders.join("\n")
    );
}

#[test]
fn the_detector_sees_every_form_of_match() {
    let forms = [
        "match s { Strategy::Pool => 1, _ => 2 }",
        "match s { Strategy::Pool | Strategy::ToThread => 1 }",
        "if s == Strategy::ToThread {}",
        "if s != Strategy::ToThread {}",
        "matches!(s, Strategy::DataParallel)",
        "matches!(\n s,\n Strategy::InlineBlocking\n | Strategy::BlockingIo\n)",
        "match s { Strategy::ToThread if x => 1 }",
    ];
    for form in forms {
        assert!(!matches_in(&code_of(form)).is_empty(), "missed: {form}");
    }
    // Naming a strategy to build an experiment is not matching it.
    let builds = [
        "Experiment { strategy: Strategy::Pool, ..Experiment::default() }",
        "let s = Strategy::ProcessPool; f(Strategy::ToThread, 2)",
        "a || Strategy::Pool.uses_workers()",
    ];
    for form in builds {
        assert!(matches_in(&code_of(form)).is_empty(), "false alarm: {form}");
    }
}
