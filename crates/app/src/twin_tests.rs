//! Every preset's Python twin, run as a visitor would after saving it:
//! `python3 -W error twin.py --scale 0.05 --trace t.json`, in English and in
//! French, on every CPython 3.11 or later this machine has (`python3` and
//! pyenv's versions), each interpreter on a thread of its own.

use std::path::{Path, PathBuf};

use crate::presets::PRESETS;
use overlap_core::experiment::url::decode_str;
use overlap_core::experiment::{Neglect, Workload};
use overlap_core::record::import;
use overlap_core::trace::{from_json, NO_TASK};
use overlap_core::twin::native::{interpreters, run_python_with, scratch_path, twin_version, Ran};
use overlap_core::twin::{checksums, python, python_in, start_method_of, Summary, HELPERS_MARKER};
use overlap_core::{Experiment, Lang};

/// Runs `check` with each CPython here, in parallel (a panic in one is the
/// test's); says so and does nothing where there is none.
fn on_every_python(test: &str, check: impl Fn(&Path) + Sync) {
    let pythons: Vec<PathBuf> = interpreters();
    if pythons.is_empty() {
        eprintln!("{test}: skipped, no CPython 3.11 or later here");
    }
    std::thread::scope(|s| {
        let runs: Vec<_> = pythons.iter().map(|p| s.spawn(|| check(p))).collect();
        for run in runs {
            if let Err(panic) = run.join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
}

/// `program` run by `python` with `args`, or the test fails saying which.
fn ran(python: &Path, id: &str, program: &str, args: &[&str]) -> Ran {
    run_python_with(python, program, args)
        .unwrap_or_else(|err| panic!("{id} on {}: {err}", python.display()))
}

/// The summary says which CPython ran it: its version, its GIL (on, in
/// these builds but a free-threaded one), and the start method asked of its
/// process pool.
fn assert_said_who_ran(python: &Path, id: &str, e: &Experiment, s: &Summary) {
    let version = twin_version(python).expect("a CPython");
    let who = format!("{id} on {version}");
    assert_eq!(s.python, version.trim_end_matches('t'), "{who}");
    assert_eq!(s.gil, !version.ends_with('t'), "{who}");
    assert_eq!(s.start_method.as_deref(), start_method_of(e), "{who}");
}

#[test]
fn an_io_presets_main_is_within_its_first_60_lines() {
    for preset in PRESETS {
        let e = decode_str(preset.query).experiment;
        if e.workload != Workload::Io {
            continue;
        }
        let program = python(&e);
        let lines: Vec<&str> = program.lines().collect();
        let main = lines
            .iter()
            .position(|l| l.starts_with("async def main("))
            .expect("a main");
        let helpers = lines
            .iter()
            .position(|l| *l == HELPERS_MARKER)
            .expect("helpers");
        // main's last line: the last that is not blank before the helpers.
        let end = (main..helpers)
            .rev()
            .find(|&i| !lines[i].trim().is_empty())
            .expect("a body");
        assert!(end < 60, "{}: main() ends on line {}", preset.id, end + 1);
    }
}

#[test]
fn every_presets_twin_runs_and_writes_its_trace() {
    on_every_python("every_presets_twin_runs_and_writes_its_trace", |py| {
        for preset in PRESETS {
            every_preset_on(py, &preset);
        }
    });
}

/// `preset`'s twin run by `py`, held to core and to its trace.
fn every_preset_on(py: &Path, preset: &crate::presets::Preset) {
    let e = decode_str(preset.query).experiment;
    let trace = scratch_path(preset.id, "json");
    let trace_arg = trace.to_string_lossy().into_owned();
    let ran = ran(
        py,
        preset.id,
        &python(&e),
        &["--scale", "0.05", "--trace", &trace_arg],
    );
    let s = &ran.summary;
    assert_said_who_ran(py, preset.id, &e, s);
    let total = (e.io_task_count() + e.cpu_task_count()) as usize;
    assert_eq!(s.done + s.pending, total, "{}", preset.id);
    assert_eq!(s.experiment, e.to_query(), "{}", preset.id);
    let core = checksums(&e, 0.05);
    assert_eq!(s.checksums.len(), core.len(), "{}", preset.id);
    for (i, (py, rs)) in s.checksums.iter().zip(&core).enumerate() {
        if let Some(py) = py {
            assert_eq!(py, rs, "{}: CPU task {i}", preset.id);
        }
    }
    let text = std::fs::read_to_string(&trace).expect("the twin wrote its trace");
    let _ = std::fs::remove_file(&trace);
    let read = from_json(&text).unwrap_or_else(|err| panic!("{}: {err}", preset.id));
    assert_eq!(read.experiment, e.to_query());
    // Imported, it has the wall the twin printed (its wait's return).
    let record = import(&text, "t.json").unwrap_or_else(|err| panic!("{}: {err:?}", preset.id));
    assert!(
        (record.figures.wall_ms - s.wall_ms).abs() < 0.01 && record.scale == 0.05,
        "{}: imported {} ms at scale {}, printed {} ms",
        preset.id,
        record.figures.wall_ms,
        record.scale,
        s.wall_ms
    );
    // A process starting belongs to no task.
    let tasks: std::collections::BTreeSet<u32> = read
        .spans
        .iter()
        .map(|s| s.task)
        .filter(|&t| t != NO_TASK)
        .collect();
    assert!(!tasks.is_empty(), "{}: an empty trace", preset.id);
    // A neglected coroutine is one more task, beside the awaited ones.
    let neglected = usize::from(e.neglect != Neglect::None);
    assert!(
        tasks.iter().all(|&t| (t as usize) < total + neglected),
        "{}",
        preset.id
    );
}

/// Every preset's French twin runs as the English one does: the same
/// summary (its fields and values are data, in English), and what it
/// prints before in French.
#[test]
fn every_presets_french_twin_runs_and_prints_the_same_summary() {
    on_every_python(
        "every_presets_french_twin_runs_and_prints_the_same_summary",
        french_presets_on,
    );
}

/// Every preset's French twin run by `py`.
fn french_presets_on(py: &Path) {
    let mut said = Vec::new();
    for preset in PRESETS {
        let e = decode_str(preset.query).experiment;
        let program = python_in(&e, None, Lang::Fr);
        assert_ne!(program, python(&e), "{}", preset.id);
        let ran = ran(py, preset.id, &program, &["--scale", "0.05"]);
        let s = &ran.summary;
        assert_said_who_ran(py, preset.id, &e, s);
        let total = (e.io_task_count() + e.cpu_task_count()) as usize;
        assert_eq!(s.done + s.pending, total, "{}", preset.id);
        assert_eq!(s.ok + s.errors + s.cancelled, total, "{}", preset.id);
        assert_eq!(s.experiment, e.to_query(), "{}", preset.id);
        let core = checksums(&e, 0.05);
        assert_eq!(s.checksums.len(), core.len(), "{}", preset.id);
        for (py, rs) in s.checksums.iter().zip(&core) {
            assert!(py.is_none_or(|py| py == *rs), "{}", preset.id);
        }
        if e.neglect != Neglect::None {
            assert!(s.neglected.is_some(), "{}", preset.id);
        }
        // The lines before the summary are the program's messages.
        let lines: Vec<&str> = ran.stdout.lines().collect();
        for line in &lines[..lines.len() - 1] {
            assert!(
                !line.contains("failed") && !line.contains("timed out"),
                "{}: {line}",
                preset.id
            );
            said.push(line.to_string());
        }
    }
    assert!(
        said.iter().any(|l| l.contains("a échoué")),
        "no preset printed a failure: {said:?}"
    );
}

/// The I/O presets' Python, run in CPython, against the page's executor on
/// the same experiment: who is done, pending, failed and cancelled must be
/// the same. Each of these presets keeps every task's end at least 15 ms
/// away from the moment the awaiting returns, so timer precision cannot
/// tip a task from one side to the other.
#[test]
fn the_io_presets_have_the_same_shape_in_cpython_and_in_the_page() {
    on_every_python(
        "the_io_presets_have_the_same_shape_in_cpython_and_in_the_page",
        io_shape_on,
    );
}

/// The I/O presets run by `py`, against the page's executor.
fn io_shape_on(py: &Path) {
    use overlap_core::io_model::io_tasks;
    use overlap_core::predict::{predict, predict_run, task_times, Device, ModelParams};
    use overlap_core::twin::native::{page_counts, page_neglected};
    let mut compared = 0;
    for preset in PRESETS {
        let e = decode_str(preset.query).experiment;
        if e.workload != Workload::Io {
            continue;
        }
        let device = Device {
            calibration: None,
            pool_threads: 2,
            cores: 2,
            yield_overhead_us: 0,
        };
        // When the awaiting returns (exact for waits alone), and every task's end.
        let returns = predict_run(&e, &device).wall_ms;
        let p = predict(
            e.profile(),
            &task_times(&e, &io_tasks(&e), |_| 0),
            &ModelParams {
                io_slots: e.io_slots(2),
                ..ModelParams::of(&e, 0, 0)
            },
        );
        let ends: Vec<f64> = p
            .completions_us
            .iter()
            .map(|&us| us as f64 / 1000.0)
            .collect();
        // Only a return that cuts the run short has tasks on both sides.
        let cut = ends.iter().any(|&end| end > returns);
        let near = ends
            .iter()
            .filter(|&&end| cut && end != returns && (end - returns).abs() < 15.0)
            .count();
        assert_eq!(
            near, 0,
            "{}: {near} tasks end within 15 ms of the return at {returns} ms",
            preset.id
        );
        let ran = ran(py, preset.id, &python(&e), &["--scale", "0.05"]);
        let s = &ran.summary;
        let python = [s.done, s.pending, s.ok, s.errors, s.cancelled];
        let page = page_counts(&e).expect("an I/O preset runs");
        assert_eq!(
            python, page,
            "{}: CPython done/pending/ok/errors/cancelled, then the page's",
            preset.id
        );
        assert_eq!(
            s.neglected,
            page_neglected(&e),
            "{}: the neglected coroutine",
            preset.id
        );
        compared += 1;
    }
    assert!(compared >= 7, "only {compared} I/O presets");
}
