//! The twin's trace as CPython writes it, imported and compared: CPU spans
//! that count only the time a thread computed (so a GIL-bound pool shows a
//! parallelism of one), the twin's own wall, processes starting and tasks
//! copied as the page draws them, and a scale that is named.
//!
//! Each test runs on every CPython 3.11+ this machine has, and skips, saying
//! so, where it has none. Bounds are generous: the machine may be loaded.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::*;
use crate::experiment::url::decode_str;
use crate::trace::{process_costs, Cause, Lane, SpanKind, NO_TASK};
use crate::twin::native::{interpreters, run_python_with, scratch_path, twin_version, Ran};

/// The CPythons to hold the twin to; none (said on stderr) where there is none.
fn pythons(test: &str) -> Vec<PathBuf> {
    let found = interpreters();
    if found.is_empty() {
        eprintln!("{test}: skipped, no CPython 3.11 or later here (python3)");
    }
    found
}

/// `query`'s twin run by `python` with `args` and `--trace`: what it printed,
/// and its trace imported.
fn imported(python: &Path, query: &str, args: &[&str]) -> (Ran, RunRecord) {
    let e = decode_str(query).experiment;
    let path = scratch_path("twin-trace", "json");
    let mut all = args.to_vec();
    let trace_arg = path.to_string_lossy().into_owned();
    all.extend(["--trace", &trace_arg]);
    let ran = run_python_with(python, &crate::twin::python(&e), &all);
    let text = std::fs::read_to_string(&path);
    let _ = std::fs::remove_file(&path);
    let who = format!("{query} on {}", python.display());
    let ran = ran.unwrap_or_else(|why| panic!("{who}: {why}"));
    let text = text.unwrap_or_else(|why| panic!("{who}: no trace: {why}"));
    let record = import(&text, "twin.json").unwrap_or_else(|why| panic!("{who}: {why:?}"));
    (ran, record)
}

#[test]
fn a_gil_bound_thread_pool_imports_with_a_parallelism_of_one_at_most() {
    // Threads of a ThreadPoolExecutor taking turns on the GIL: each CPU span
    // counts only the CPU time its thread used, so together they add up to
    // the wall at most (timed spans read 1.98 with two threads, 3.73 with four).
    for python in pythons("a_gil_bound_thread_pool_imports_with_a_parallelism_of_one_at_most") {
        for query in [
            "w=cpu&s=pool&k=2&n=4&kernel=primes&size=16",
            "w=cpu&s=pool&py=gil&k=4&n=4&kernel=primes&size=16",
        ] {
            let (_, record) = imported(&python, query, &[]);
            let who = format!("{query} on {}", python.display());
            let built = record
                .python
                .clone()
                .expect("the twin says which CPython ran it");
            assert!(
                twin_version(&python).is_some_and(|v| v.starts_with(&built.version)),
                "{who}: {built:?}"
            );
            if !built.gil {
                eprintln!("{who}: free-threaded, no GIL to take turns on; skipped");
                continue;
            }
            let parallelism = record.figures.parallelism.expect("CPU work");
            assert!(
                parallelism > 0.0 && parallelism <= 1.05,
                "{who}: parallelism {parallelism:.2}"
            );
            let lanes: BTreeSet<Lane> = record
                .trace
                .spans
                .iter()
                .filter(|s| s.kind == SpanKind::Cpu)
                .map(|s| s.lane)
                .collect();
            assert!(lanes.len() >= 2, "{who}: the threads took turns: {lanes:?}");
        }
    }
}

#[test]
fn the_wait_timeout_twin_imports_with_the_wall_it_printed() {
    // The wait gives up at 260 ms; the tasks run on to their end (up to
    // 550 ms), and the imported wall is still the wait's.
    let query = "w=io&s=conc&io=8&lat=uniform&ms=300&spread=250&timeout=260&after=finish";
    for python in pythons("the_wait_timeout_twin_imports_with_the_wall_it_printed") {
        let (ran, record) = imported(&python, query, &[]);
        let printed = ran.summary.wall_ms;
        let wall = record.figures.wall_ms;
        assert!(
            (wall - printed).abs() <= 0.02 * printed,
            "{}: printed {printed} ms, imported {wall} ms",
            python.display()
        );
        let wait = record.wait.clone().expect("the twin's wait");
        assert_eq!(wait.cause, Cause::Timeout);
        assert!(
            record.trace.bounds_us().1 > wait.at_us,
            "tasks ran on past it"
        );
        // Against the same experiment's page run: the same experiment.
        let mut page = record.clone();
        page.origin = Origin::Page {
            build: Build::Threaded,
        };
        assert!(compare(&page, &record).same_experiment());
    }
}

#[test]
fn a_process_pool_twin_draws_start_up_and_copies_as_the_page_does() {
    let query = "w=cpu&s=proc&k=2&n=3&kernel=primes&size=4";
    for python in pythons("a_process_pool_twin_draws_start_up_and_copies_as_the_page_does") {
        let (ran, record) = imported(&python, query, &[]);
        let who = python.display();
        assert_eq!(ran.summary.ok, 3, "{who}");
        let spans = &record.trace.spans;
        let startups: Vec<_> = spans
            .iter()
            .filter(|s| s.kind == SpanKind::Startup)
            .collect();
        assert!((1..=2).contains(&startups.len()), "{who}: {startups:?}");
        for s in &startups {
            assert_eq!(s.task, NO_TASK, "{who}: a start-up belongs to no task");
            assert!(matches!(s.lane, Lane::Process(_)), "{who}: {s:?}");
        }
        for task in 0..3 {
            let of = |kind| -> Vec<_> {
                spans
                    .iter()
                    .filter(|s| s.task == task && s.kind == kind)
                    .collect()
            };
            let (copies, cpu) = (of(SpanKind::Transfer), of(SpanKind::Cpu));
            assert_eq!(copies.len(), 2, "{who}: task {task} copied there and back");
            assert!(!cpu.is_empty(), "{who}: task {task}");
            let lane = copies[0].lane;
            assert!(matches!(lane, Lane::Process(_)));
            assert!(cpu.iter().chain(&copies).all(|s| s.lane == lane));
            assert!(
                copies[0].end_us <= cpu[0].start_us + 1,
                "{who}: {copies:?} {cpu:?}"
            );
            assert!(cpu[cpu.len() - 1].end_us <= copies[1].start_us, "{who}");
        }
        let costs = process_costs(spans).expect("processes ran");
        assert_eq!(costs.copies, 6, "{who}");
    }
}

#[test]
fn a_twin_run_at_another_scale_is_not_the_same_experiment() {
    let query = "w=cpu&s=pool&k=2&n=2&kernel=primes&size=20";
    let Some(python) = pythons("a_twin_run_at_another_scale_is_not_the_same_experiment")
        .into_iter()
        .next()
    else {
        return;
    };
    let (_, twin) = imported(&python, query, &["--scale", "0.1"]);
    assert_eq!(twin.scale, 0.1);
    let mut page = twin.clone();
    page.origin = Origin::Page {
        build: Build::Threaded,
    };
    page.scale = 1.0;
    let c = compare(&page, &twin);
    assert!(c.differing.is_empty() && !c.same_experiment());
    let en = crate::i18n::shipped(crate::Lang::En).expect("English");
    assert_eq!(
        c.scale_note(&en).as_deref(),
        Some("Not the same experiment: CPU sizes × 0.1.")
    );
}
