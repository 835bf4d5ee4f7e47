//! The twin held to core with this machine's CPython: the same checksums,
//! the same latencies, and the same done/pending counts where the run is
//! deterministic.

use super::native::{
    interpreters, no_python, page_counts, page_neglected, run_python, run_python_with,
    scratch_path, twin_version,
};
use super::parameters::constants;
use super::*;
use crate::experiment::{Latency, ReturnWhen};

use crate::experiment::{
    AfterWait, Awaiting, IoSource, Neglect, ProcessStart, Python, Strategy, Token, Workload,
};

use crate::io_model::{io_tasks, rng, unit_f64};

use crate::ValidExperiment;

#[test]
fn scaling_rounds_half_up_within_the_kernels_bounds() {
    assert_eq!(scaled_size(Kernel::Primes, 200, 0.05), 10);
    assert_eq!(scaled_size(Kernel::Primes, 5, 0.1), 1, "0.5 rounds up");
    assert_eq!(scaled_size(Kernel::Primes, 3, 0.01), 1, "never below 1");
    assert_eq!(
        scaled_size(Kernel::Reduce, 1_000, 10.0),
        Kernel::Reduce.max_size()
    );
    assert_eq!(scaled_size(Kernel::Primes, 10, f64::NAN), 1);
}

fn decode(query: &str) -> Experiment {
    let d = crate::experiment::url::decode_str(query);
    assert!(d.problems.is_empty(), "{query}: {:?}", d.problems);
    d.experiment
}

#[test]
fn each_kernel_in_python_gives_cores_checksums() {
    if no_python("each_kernel_in_python_gives_cores_checksums") {
        return;
    }
    for kernel in ["primes", "mandelbrot", "hash", "reduce"] {
        let e = decode(&format!("w=cpu&s=conc&n=3&kernel={kernel}&size=3&seed=7"));
        let ran = run_python(&python(&e), &[]).unwrap_or_else(|err| panic!("{kernel}: {err}"));
        let expected: Vec<Option<u64>> = checksums(&e, 1.0).into_iter().map(Some).collect();
        assert_eq!(ran.summary.checksums, expected, "{kernel}");
    }
}

#[test]
fn a_process_pool_twin_starts_its_processes_by_the_method_asked_and_says_which() {
    if no_python("a_process_pool_twin_starts_its_processes_by_the_method_asked_and_says_which") {
        return;
    }
    for &method in <ProcessStart as Token>::ALL {
        let e = decode(&format!(
            "w=cpu&s=proc&k=2&n=2&size=3&start={}",
            method.token()
        ));
        let program = python(&e);
        assert!(
            program.contains(&format!("START_METHOD = \"{}\"", method.token())),
            "{}",
            method.token()
        );
        let ran = run_python(&program, &[]).unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(ran.summary.start_method.as_deref(), Some(method.token()));
        let expected: Vec<Option<u64>> = checksums(&e, 1.0).into_iter().map(Some).collect();
        assert_eq!(ran.summary.checksums, expected, "{}", method.token());
    }
    // A twin without processes names no start method.
    let ran = run_python(&python(&decode("w=cpu&s=conc&n=1&size=3")), &[]).expect("runs");
    assert_eq!(ran.summary.start_method, None);
}

#[test]
fn python_draws_cores_latencies_and_failures() {
    if no_python("python_draws_cores_latencies_and_failures") {
        return;
    }
    let mut script = String::from(
        "import array, hashlib, json, math, struct, threading, time, asyncio, argparse\n",
    );
    let fragments = Fragments::native();
    script += &constants(&fragments);
    script += LIBRARY;
    let mut expected = Vec::new();
    for (i, lat) in ["fixed", "uniform", "exp", "lognormal"].iter().enumerate() {
        let e = decode(&format!(
            "w=io&io=300&lat={lat}&ms=80&spread=30&sigma=1.5&cap=900&fail=0.25&seed={}",
            i * 1000 + 3
        ));
        script += &format!(
            "print(json.dumps(io_workload({}, {}, failure_rate={}, **dict(distribution={:?}, latency_ms={}, spread_ms={}, sigma={}, cap_ms={}))))\n",
            e.io_task_count(),
            e.seed,
            py_float(e.failure_rate),
            fragments.of("latency.", e.latency.token()),
            py_float(f64::from(e.latency_ms)),
            py_float(f64::from(e.spread_ms)),
            py_float(e.sigma),
            py_float(f64::from(e.cap_ms)),
        );
        expected.push(io_tasks(&e));
    }
    let path = scratch_path("latencies", "py");
    std::fs::write(&path, script).expect("write the script");
    let out = std::process::Command::new("python3")
        .arg(&path)
        .output()
        .expect("python3 runs");
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for (line, tasks) in text.lines().zip(&expected) {
        let drawn: Vec<(u64, bool)> = serde_json::from_str(line).expect("a JSON list");
        let core: Vec<(u64, bool)> = tasks.iter().map(|t| (t.latency_us, t.fails)).collect();
        assert_eq!(drawn, core);
    }
    assert_eq!(text.lines().count(), expected.len());
}

/// A valid experiment drawn from `r`, small enough to run in Python quickly,
/// and the scale that keeps its CPU tasks to a few steps.
fn random_experiment(r: &mut rand_pcg::Pcg64Mcg) -> (Experiment, f64) {
    let mut pick = |n: u32| ((unit_f64(r) * f64::from(n)) as u32).min(n - 1);
    // I/O alone and fixed latencies are drawn more often: those runs are the
    // ones compared with the page's counts.
    let workload = [Workload::Io, Workload::Io, Workload::Cpu, Workload::Mixed][pick(4) as usize];
    let all = <Strategy as Token>::ALL;
    let mut strategy = all[pick(all.len() as u32) as usize];
    if strategy.unfit_for(workload).is_some() {
        // Only what can run the workload: the page's editor offers no other.
        let io_ones = [
            Strategy::SequentialAwait,
            Strategy::ConcurrentAwait,
            Strategy::BlockingIo,
            Strategy::ToThread,
        ];
        strategy = if workload == Workload::Io {
            io_ones[pick(4) as usize]
        } else {
            Strategy::InlineBlocking
        };
    }
    let kernel = [
        Kernel::Primes,
        Kernel::Mandelbrot,
        Kernel::HashChain,
        Kernel::Reduce,
    ][pick(4) as usize];
    let latency = [
        Latency::Fixed,
        Latency::Fixed,
        Latency::Fixed,
        Latency::Uniform,
        Latency::Exponential,
        Latency::LogNormal,
    ][pick(6) as usize];
    let latency_ms = 5 + pick(50);
    let e = Experiment {
        workload,
        strategy,
        // Blocking calls hold CPython's loop for real: a few of them.
        io_tasks: 1 + pick(if strategy == Strategy::BlockingIo {
            4
        } else {
            30
        }),
        cpu_tasks: 1 + pick(6),
        io_source: [IoSource::Timer, IoSource::Timer, IoSource::Fetch][pick(3) as usize],
        latency,
        latency_ms,
        spread_ms: pick(latency_ms + 1),
        sigma: f64::from(pick(15)) / 10.0,
        cap_ms: 200,
        failure_rate: [0.0, 0.2][pick(2) as usize],
        seed: u64::from(pick(1_000_000)),
        kernel,
        size: 1 + pick(kernel.max_size()),
        serial_fraction: f64::from(pick(6)) / 10.0,
        workers: 1 + pick(4),
        chunk: 1 + pick(5),
        return_when: [
            ReturnWhen::AllCompleted,
            ReturnWhen::FirstCompleted,
            ReturnWhen::FirstException,
        ][pick(3) as usize],
        timeout_ms: [None, None, Some(10 + pick(150))][pick(3) as usize],
        after_wait: [
            AfterWait::CancelPending,
            AfterWait::LetFinish,
            AfterWait::StopRunning,
        ][pick(3) as usize],
        switch_ms: 1 + pick(20),
        awaiting: <Awaiting as Token>::ALL[pick(4) as usize],
        limit: [None, None, Some(1 + pick(5))][pick(3) as usize],
        neglect: <Neglect as Token>::ALL[pick(3) as usize],
        python: <Python as Token>::ALL[pick(2) as usize],
        // Each start method's own test runs it (spawn takes a fifth of a
        // second per run): here, the default.
        process_start: ProcessStart::default(),
    };
    let steps = if kernel == Kernel::Reduce { 1.0 } else { 3.0 };
    (e.clone(), (steps / f64::from(e.size)).min(1.0))
}

/// Whether `e`'s done/pending counts depend on timing only through its
/// sleeps: I/O alone, one fixed latency, and no timeout near a moment when
/// tasks end.
fn deterministic(e: &Experiment) -> bool {
    let n = e.io_task_count();
    // Waits in flight at once: one, a semaphore's places, or all.
    let slots = match (e.strategy, e.io_limit()) {
        (Strategy::SequentialAwait | Strategy::BlockingIo, _) => 1,
        (_, Some(limit)) => limit.min(n),
        _ => n,
    };
    let rounds = n.div_ceil(slots.max(1));
    let ends_near = |timeout: u32| {
        (1..=rounds).any(|k| (i64::from(timeout) - i64::from(k * e.latency_ms)).abs() < 20)
            // The neglected task fails at half the latency.
            || (e.neglected() != Neglect::None
                && (i64::from(timeout) - i64::from(e.latency_ms / 2)).abs() < 20)
    };
    // Blocking calls on threads wake one by one, so CPython may see them end
    // in different turns; and the default executor's size is the machine's.
    let threads_ok = e.strategy != Strategy::ToThread
        || (e.awaiting.return_when(e.return_when) == ReturnWhen::AllCompleted && n <= 5);
    e.workload == Workload::Io
        && e.io_source == IoSource::Timer
        && e.latency == Latency::Fixed
        && threads_ok
        && !e.timeout_ms.is_some_and(ends_near)
}

#[test]
fn sixty_random_experiments_run_in_cpython_like_the_page() {
    if no_python("sixty_random_experiments_run_in_cpython_like_the_page") {
        return;
    }
    let mut r = rng(2026, 15);
    let mut cases = Vec::new();
    // Sixty, and then until every strategy is drawn and every way of
    // awaiting compared.
    let covered = |cases: &[(Experiment, f64)]| {
        <Strategy as Token>::ALL
            .iter()
            .all(|&s| cases.iter().any(|(e, _)| e.strategy == s))
            && <Awaiting as Token>::ALL.iter().all(|&a| {
                cases
                    .iter()
                    .any(|(e, _)| e.awaiting == a && deterministic(e))
            })
    };
    while cases.len() < 60 || (!covered(&cases) && cases.len() < 90) {
        let (e, scale) = random_experiment(&mut r);
        if let Ok(valid) = ValidExperiment::new(e) {
            cases.push((valid.get().clone(), scale));
        }
    }
    // The draw covers what the checks need: runs compared with the page's
    // counts, runs cut short, and every strategy.
    let compared = cases.iter().filter(|(e, _)| deterministic(e)).count();
    let cut = cases
        .iter()
        .filter(|(e, _)| e.return_when != ReturnWhen::AllCompleted || e.timeout_ms.is_some())
        .count();
    assert!(
        compared >= 5 && cut >= 20,
        "{compared} compared, {cut} cut short"
    );
    for &s in <Strategy as Token>::ALL {
        assert!(
            cases.iter().any(|(e, _)| e.strategy == s),
            "{s:?} never drawn"
        );
    }
    assert!(cases
        .iter()
        .any(|(e, _)| e.io_source == IoSource::Fetch && e.io_task_count() > 0));
    for &a in <Awaiting as Token>::ALL {
        assert!(
            cases
                .iter()
                .any(|(e, _)| e.awaiting == a && deterministic(e)),
            "{a:?} never compared"
        );
    }
    // Every case on every CPython 3.11+ here, four runs at a time from one
    // queue: the machine has two cores, and most runs wait on timers.
    let pythons = interpreters();
    let jobs: Vec<(&std::path::Path, &(Experiment, f64))> = pythons
        .iter()
        .flat_map(|p| cases.iter().map(move |c| (p.as_path(), c)))
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures: Vec<(usize, String)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    let mut failed = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((python, (e, scale))) = jobs.get(i) else {
                            return failed;
                        };
                        if let Err(why) = check_case_on(python, e, *scale) {
                            failed.push((i, why));
                        }
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("no panic"))
            .collect()
    });
    // Timers due at the same instant end in one turn of CPython's loop only
    // if the process was not preempted while it started them: four runs at
    // once on two cores sometimes are. A case that differed runs again,
    // alone, twice; it fails if every run differed, with each run's counts.
    let failures: Vec<String> = failures
        .into_iter()
        .filter_map(|(i, first)| {
            let (python, (e, scale)) = jobs[i];
            let mut seen = vec![first];
            for _ in 0..2 {
                match check_case_on(python, e, *scale) {
                    Ok(()) => return None,
                    Err(why) => seen.push(why),
                }
            }
            Some(seen.join("\n  then: "))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// [`check_case_on`] with `python3`.
fn check_case(e: &Experiment, scale: f64) -> Result<(), String> {
    check_case_on(std::path::Path::new("python3"), e, scale)
}

/// What `python` printed for `e` says which CPython ran it (its version and
/// GIL) and how its process pool started ([`start_method_of`]).
pub(super) fn check_said_who_ran(
    python: &std::path::Path,
    e: &Experiment,
    s: &Summary,
) -> Result<(), String> {
    let version = twin_version(python).ok_or("no version")?;
    let free_threaded = version.ends_with('t');
    let start = start_method_of(e).map(str::to_owned);
    if version.trim_end_matches('t') != s.python
        || s.gil == free_threaded
        || s.start_method != start
    {
        return Err(format!(
            "{}: {version} ran it, it says python {:?}, gil {}, start_method {:?} (expected {start:?})",
            python.display(),
            s.python,
            s.gil,
            s.start_method
        ));
    }
    Ok(())
}

/// `e`'s twin run by `python` at `scale`, held to core and to the page.
fn check_case_on(python_path: &std::path::Path, e: &Experiment, scale: f64) -> Result<(), String> {
    let query = e.to_query();
    let who = python_path.display();
    let fail = |what: String| Err(format!("{query} (scale {scale}, {who}): {what}"));
    let path = scratch_path("case", "json");
    let trace_arg = path.to_string_lossy().into_owned();
    let ran = run_python_with(
        python_path,
        &python(e),
        &["--scale", &scale.to_string(), "--trace", &trace_arg],
    );
    let trace = std::fs::read_to_string(&path);
    let _ = std::fs::remove_file(&path);
    let ran = match ran {
        Ok(ran) => ran,
        Err(err) => return fail(err),
    };
    let s = &ran.summary;
    if let Err(why) = check_said_who_ran(python_path, e, s) {
        return fail(why);
    }
    // Its trace imports with the wall it printed, at the scale it ran.
    match trace.map(|text| crate::record::import(&text, "case.json")) {
        Ok(Ok(r)) if (r.figures.wall_ms - s.wall_ms).abs() < 0.01 && r.scale == scale => {}
        Ok(Ok(r)) => {
            return fail(format!(
                "its trace imports with wall {} ms at scale {}, it printed {} ms",
                r.figures.wall_ms, r.scale, s.wall_ms
            ))
        }
        Ok(Err(why)) => return fail(format!("its trace does not import: {why:?}")),
        Err(why) => return fail(format!("no trace: {why}")),
    }
    let total = (e.io_task_count() + e.cpu_task_count()) as usize;
    if s.done + s.pending != total || s.ok + s.errors + s.cancelled != total {
        return fail(format!("counts do not add up to {total}: {s:?}"));
    }
    let core = checksums(e, scale);
    if s.checksums.len() != core.len() {
        return fail(format!(
            "{} checksums, core has {}",
            s.checksums.len(),
            core.len()
        ));
    }
    for (i, (py, rs)) in s.checksums.iter().zip(&core).enumerate() {
        if py.is_some_and(|py| py != *rs) {
            return fail(format!("CPU task {i}: Python {py:?}, core {rs}"));
        }
    }
    if e.awaiting.return_when(e.return_when) == ReturnWhen::AllCompleted && e.timeout_ms.is_none() {
        let failing = io_tasks(e).iter().filter(|t| t.fails).count();
        if s.done != total || s.errors != failing || s.checksums.iter().any(Option::is_none) {
            return fail(format!(
                "not everything finished ({failing} failures due): {s:?}"
            ));
        }
    }
    if deterministic(e) {
        let page = page_counts(e).expect("an I/O run ends");
        let python = [s.done, s.pending, s.ok, s.errors, s.cancelled];
        if python != page {
            return fail(format!(
                "CPython done/pending/ok/errors/cancelled {python:?}, the page {page:?}"
            ));
        }
        let page = page_neglected(e);
        if s.neglected != page {
            return fail(format!(
                "the neglected coroutine: CPython {:?}, the page {page:?}",
                s.neglected
            ));
        }
    }
    // What CPython says of the mistake, where it says it.
    let said = |words: &str| ran.stderr.contains(words);
    match e.neglected() {
        Neglect::Unawaited if !said("coroutine 'io_task' was never awaited") => {
            return fail(format!("no RuntimeWarning: {}", ran.stderr));
        }
        Neglect::Unretrieved
            if s.neglected.as_deref() == Some("error")
                && !said("Task exception was never retrieved") =>
        {
            return fail(format!("no log of the lost exception: {}", ran.stderr));
        }
        _ => {}
    }
    Ok(())
}

#[test]
fn neglected_coroutines_end_as_in_cpython() {
    if no_python("neglected_coroutines_end_as_in_cpython") {
        return;
    }
    // One more coroutine beside the awaited tasks: never awaited (it never
    // runs), or started and forgotten (it fails at half the latency, unseen
    // by the wait, its exception never retrieved), under every way of
    // awaiting, a wait cut short by FIRST_COMPLETED or a timeout, and
    // pending tasks left to finish.
    let mut failures = Vec::new();
    let mut seen = Vec::new();
    for neglect in [Neglect::Unawaited, Neglect::Unretrieved] {
        for &awaiting in <Awaiting as Token>::ALL {
            for (return_when, timeout_ms, after_wait) in [
                (ReturnWhen::AllCompleted, None, AfterWait::CancelPending),
                (ReturnWhen::FirstCompleted, None, AfterWait::CancelPending),
                (ReturnWhen::AllCompleted, Some(15), AfterWait::LetFinish),
                (ReturnWhen::AllCompleted, Some(15), AfterWait::CancelPending),
            ] {
                let e = Experiment {
                    workload: Workload::Io,
                    strategy: Strategy::ConcurrentAwait,
                    io_tasks: 4,
                    latency: Latency::Fixed,
                    latency_ms: 80,
                    spread_ms: 0,
                    return_when,
                    timeout_ms,
                    after_wait,
                    awaiting,
                    neglect,
                    ..Experiment::default()
                };
                let valid = ValidExperiment::new(e).expect("valid");
                seen.push(page_neglected(valid.get()));
                if let Err(err) = check_case(valid.get(), 1.0) {
                    failures.push(err);
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Each ending appears: never ran, failed unseen, cancelled with the rest.
    for words in ["never ran", "error", "cancelled"] {
        assert!(
            seen.iter().any(|s| s.as_deref() == Some(words)),
            "{words}: {seen:?}"
        );
    }
}

#[test]
fn a_pool_smaller_than_k_gives_the_program_the_threads_that_ran() {
    let e = Experiment {
        workload: Workload::Cpu,
        strategy: Strategy::Pool,
        workers: 6,
        cpu_tasks: 4,
        size: 2,
        ..Experiment::default()
    };
    let asked = python(&e);
    assert!(asked.contains("CPU_TASKS, SIZE = 4, 2\nSEED = 42\nWORKERS = 6\n"));
    let ran = python_as_run(&e, Some(2));
    assert!(ran.contains("\nWORKERS = 2\n"), "{ran}");
    assert!(!ran.contains("IO_TASKS"), "no I/O tasks: {ran}");
    assert!(ran.contains("k = 6 was asked, but the page's pool has 2 threads"));
    // A pool as large as k changes nothing.
    assert_eq!(python_as_run(&e, Some(8)), asked);
    if no_python("a_pool_smaller_than_k_gives_the_program_the_threads_that_ran") {
        return;
    }
    let summary = run_python(&ran, &[]).expect("runs").summary;
    assert_eq!(summary.ok, 4);
}

#[test]
fn a_timeout_of_zero_runs_as_in_cpython() {
    if no_python("a_timeout_of_zero_runs_as_in_cpython") {
        return;
    }
    // Python accepts a timeout of 0: the wait gives up at once, in each
    // construct after its own fashion.
    let mut failures = Vec::new();
    for &awaiting in <Awaiting as Token>::ALL {
        for &after_wait in <AfterWait as Token>::ALL {
            for strategy in [Strategy::ConcurrentAwait, Strategy::SequentialAwait] {
                let e = Experiment {
                    workload: Workload::Io,
                    strategy,
                    io_tasks: 4,
                    latency: Latency::Fixed,
                    latency_ms: 20,
                    spread_ms: 0,
                    timeout_ms: Some(0),
                    awaiting,
                    after_wait,
                    ..Experiment::default()
                };
                let valid = ValidExperiment::new(e).expect("a timeout of 0 is valid");
                if let Err(err) = check_case(valid.get(), 1.0) {
                    failures.push(err);
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn blocking_calls_on_the_loop_run_as_in_cpython() {
    if no_python("blocking_calls_on_the_loop_run_as_in_cpython") {
        return;
    }
    // time.sleep inside each coroutine: whatever the wait asks for, the loop
    // is held until every call returned, so CPython sees them all done.
    let mut failures = Vec::new();
    for &awaiting in <Awaiting as Token>::ALL {
        for (return_when, timeout_ms) in [
            (ReturnWhen::AllCompleted, None),
            (ReturnWhen::FirstCompleted, None),
            (ReturnWhen::AllCompleted, Some(30)),
        ] {
            let e = Experiment {
                workload: Workload::Io,
                strategy: Strategy::BlockingIo,
                io_tasks: 4,
                latency: Latency::Fixed,
                latency_ms: 20,
                spread_ms: 0,
                return_when,
                timeout_ms,
                awaiting,
                ..Experiment::default()
            };
            let valid = ValidExperiment::new(e).expect("valid");
            let page = page_counts(valid.get()).expect("it ends");
            assert_eq!(
                page[0],
                4,
                "{}: the page saw {page:?}",
                valid.get().to_query()
            );
            if let Err(err) = check_case(valid.get(), 1.0) {
                failures.push(err);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------
// The twin in the page's language: every comment has its entry, French
// changes only comments, docstrings and messages, and still runs.
// ---------------------------------------------------------------------------

use super::comments::{
    comment_blocks, untranslated_comments, CommentIndex, Syntax, COMMENT_PREFIXES,
};
use crate::i18n::placeholders;
use crate::Lang;

/// Every kind of program the page can write: each strategy and workload
/// that validates, under every way of awaiting, every policy after the
/// wait, every neglected coroutine, with and without a semaphore, timers
/// and fetches, and a pool smaller than `k` or not.
pub(super) fn every_kind_of_program() -> Vec<(Experiment, Option<u32>)> {
    let mut out = Vec::new();
    for &workload in <Workload as Token>::ALL {
        for &strategy in <Strategy as Token>::ALL {
            for &awaiting in <Awaiting as Token>::ALL {
                for &after_wait in <AfterWait as Token>::ALL {
                    for &neglect in <Neglect as Token>::ALL {
                        for limit in [None, Some(2)] {
                            for io_source in [IoSource::Timer, IoSource::Fetch] {
                                let e = Experiment {
                                    workload,
                                    strategy,
                                    awaiting,
                                    after_wait,
                                    neglect,
                                    limit,
                                    io_source,
                                    workers: 4,
                                    io_tasks: 4,
                                    cpu_tasks: 2,
                                    ..Experiment::default()
                                };
                                // Each Python where it changes the threads.
                                let pythons = if strategy.runs_python_threads() {
                                    <Python as Token>::ALL
                                } else {
                                    &[Python::FreeThreaded]
                                };
                                for &python in pythons {
                                    let e = Experiment {
                                        python,
                                        ..e.clone()
                                    };
                                    if let Ok(valid) = ValidExperiment::new(e) {
                                        for pool in [None, Some(2)] {
                                            out.push((valid.get().clone(), pool));
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

/// The English program of `e` without the library (checked on its own).
fn generated_part(e: &Experiment, pool: Option<u32>, text: &crate::i18n::Catalogue) -> String {
    let english = code_text(Lang::En);
    python_with_library(e, pool, "", &Fragments::native(), text, &english)
}

/// The blocks of `program` (in the language of `to`) still in English:
/// those whose text is an English entry that `to` says otherwise.
fn english_left(program: &str, syntax: Syntax, to: &crate::i18n::Catalogue) -> Vec<String> {
    let english = code_text(Lang::En);
    let index = CommentIndex::new(&english);
    comment_blocks(program, syntax)
        .into_iter()
        .filter(|b| {
            index.find(&b.text).is_some_and(|(key, bound)| {
                let args: Vec<(&str, &dyn std::fmt::Display)> = bound
                    .iter()
                    .map(|(n, v)| (n.as_str(), v as &dyn std::fmt::Display))
                    .collect();
                to.fill(key, &args)
                    .split_ascii_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    != b.text
            })
        })
        .map(|b| b.text)
        .collect()
}

#[test]
fn every_twin_comment_has_an_english_entry_and_every_entry_is_used() {
    let english = code_text(Lang::En);
    let index = CommentIndex::new(&english);
    let mut used = std::collections::BTreeSet::new();
    let mut missing = std::collections::BTreeSet::new();
    // The shared parts whole (each program keeps only what it uses of them).
    let mut programs = vec![
        LIBRARY.to_owned(),
        super::english::comments(&constants(&Fragments::native()), &english),
    ];
    let kinds = every_kind_of_program();
    assert!(kinds.len() > 1000, "{} programs", kinds.len());
    for &s in <Strategy as Token>::ALL {
        assert!(kinds.iter().any(|(e, _)| e.strategy == s), "{s:?}");
    }
    programs.extend(
        kinds
            .iter()
            .map(|(e, pool)| generated_part(e, *pool, &english)),
    );
    for program in &programs {
        index.tally(program, Syntax::Python, &mut used, &mut missing);
    }
    assert!(
        missing.is_empty(),
        "comments without an entry in crates/core/text/en/code.txt:\n{}",
        missing.into_iter().collect::<Vec<_>>().join("\n")
    );
    let unused: Vec<&str> = english
        .keys()
        .filter(|k| k.starts_with("code.py.") || k.starts_with("code.twin."))
        .filter(|k| !used.contains(*k))
        .collect();
    assert!(
        unused.is_empty(),
        "entries no twin comment uses: {unused:?}"
    );
    assert!(untranslated_comments(&python(&kinds[0].0), Syntax::Python, &english).is_empty());
}

#[test]
fn the_twins_catalogue_entries_agree_in_both_languages() {
    let (en, fr) = (code_text(Lang::En), code_text(Lang::Fr));
    let en_keys: Vec<&str> = en.keys().collect();
    let fr_keys: Vec<&str> = fr.keys().collect();
    assert!(
        en_keys.len() > 100,
        "the English code.txt reads: {}",
        en_keys.len()
    );
    assert_eq!(
        en_keys, fr_keys,
        "the same keys in en/code.txt and fr/code.txt"
    );
    let mut texts = std::collections::BTreeMap::new();
    for (key, value) in en.entries() {
        let french = fr.get(key);
        assert_eq!(placeholders(value), placeholders(&french), "{key}");
        if COMMENT_PREFIXES.iter().any(|p| key.starts_with(p)) {
            // One entry per comment: a text given twice could not say which.
            if let Some(other) = texts.insert(value.to_owned(), key) {
                panic!("{key} and {other} have the same English text");
            }
            assert_ne!(value, french, "{key} is not translated");
        }
    }
    for name in MESSAGES {
        for text in [&en, &fr] {
            let m = text.get(&format!("twin.msg.{name}"));
            assert!(text.has(&format!("twin.msg.{name}")), "twin.msg.{name}");
            // str.format reads every brace; argparse formats help with %.
            let braces = m.matches('{').count() + m.matches('}').count();
            assert_eq!(braces, 2 * placeholders(&m).len(), "{m}");
            assert!(!(name.starts_with("help") && m.contains('%')), "{m}");
        }
    }
}

/// Each program's syntax tree with its docstrings and its `TEXT` dict's
/// values blanked (comments are not in it), by CPython's own parser: the
/// program is otherwise the same code.
const SKELETON: &str = r#"
import ast, json, sys

def skeleton(source):
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                first.value.value = "<docstring>"
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "TEXT" for t in node.targets):
            for value in node.value.values:
                value.value = "<message>"
    return ast.dump(tree)

for line in open(sys.argv[1], encoding="utf-8"):
    en, fr = json.loads(line)
    print(json.dumps([skeleton(en) == skeleton(fr), ast.get_docstring(ast.parse(fr)).splitlines()[0]]))
"#;

#[test]
fn a_french_twin_differs_from_the_english_only_in_comments_docstrings_and_messages() {
    let fr = code_text(Lang::Fr);
    let kinds = every_kind_of_program();
    // Every strategy and way of awaiting, and a spread of the rest.
    let mut chosen: Vec<&(Experiment, Option<u32>)> = kinds.iter().step_by(29).collect();
    for &s in <Strategy as Token>::ALL {
        for &a in <Awaiting as Token>::ALL {
            if let Some(k) = kinds
                .iter()
                .find(|(e, _)| e.strategy == s && e.awaiting == a)
            {
                chosen.push(k);
            }
        }
    }
    let mut pairs = String::new();
    for (e, pool) in &chosen {
        let english = python_as_run(e, *pool);
        let french = python_with_library(
            e,
            *pool,
            LIBRARY,
            &Fragments::native(),
            &fr,
            &code_text(Lang::En),
        );
        assert_ne!(english, french);
        let left = english_left(&french, Syntax::Python, &fr);
        assert!(
            left.is_empty(),
            "{}: English left in French: {left:?}",
            e.to_query()
        );
        for name in MESSAGES {
            let m = fr.get(&format!("twin.msg.{name}"));
            assert!(french.contains(&py_str(&m)), "{name}");
        }
        pairs += &serde_json::to_string(&(english, french)).expect("JSON");
        pairs += "\n";
    }
    if no_python("a_french_twin_differs_from_the_english_only_in_comments_docstrings_and_messages")
    {
        return;
    }
    let (script, data) = (
        scratch_path("skeleton", "py"),
        scratch_path("pairs", "json"),
    );
    std::fs::write(&script, SKELETON).expect("write the script");
    std::fs::write(&data, pairs).expect("write the pairs");
    let out = std::process::Command::new("python3")
        .arg(&script)
        .arg(&data)
        .output()
        .expect("python3 runs");
    let _ = (std::fs::remove_file(&script), std::fs::remove_file(&data));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answers: Vec<(bool, String)> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("an answer"))
        .collect();
    assert_eq!(answers.len(), chosen.len());
    for ((same, title), (e, _)) in answers.iter().zip(&chosen) {
        assert!(same, "{}: the French program's code differs", e.to_query());
        // The docstring's first line is argparse's description.
        assert_eq!(
            title,
            &format!(
                "L’expérience « {} » d’Overlap, en programme Python.",
                e.to_query()
            )
        );
    }
}

#[test]
fn a_french_twin_runs_in_cpython_and_speaks_french() {
    if no_python("a_french_twin_runs_in_cpython_and_speaks_french") {
        return;
    }
    let fr = code_text(Lang::Fr);
    let english = code_text(Lang::En);
    let french =
        |e: &Experiment| python_with_library(e, None, LIBRARY, &Fragments::native(), &fr, &english);
    // Failures and a timeout: the messages it prints are French, the
    // summary the same data as the English program's.
    let e = decode("w=io&s=conc&io=6&lat=fixed&ms=80&fail=0.5&seed=11");
    let ran = run_python(&french(&e), &[]).expect("the French twin runs");
    let en = run_python(&python(&e), &[]).expect("the English twin runs");
    assert_eq!(
        [
            ran.summary.done,
            ran.summary.pending,
            ran.summary.ok,
            ran.summary.errors,
            ran.summary.cancelled
        ],
        [
            en.summary.done,
            en.summary.pending,
            en.summary.ok,
            en.summary.errors,
            en.summary.cancelled
        ]
    );
    assert_eq!(ran.summary.experiment, e.to_query());
    assert!(
        ran.stdout.contains("a échoué : la tâche d’E/S"),
        "{}",
        ran.stdout
    );
    assert!(en.stdout.contains("failed: I/O task"), "{}", en.stdout);
    let timed_out = decode("w=io&s=conc&io=4&lat=fixed&ms=200&by=gather&timeout=50");
    let ran = run_python(&french(&timed_out), &[]).expect("runs");
    assert!(
        ran.stdout
            .contains("délai dépassé : les tâches encore en cours ont été annulées"),
        "{}",
        ran.stdout
    );
    // argparse speaks it too.
    let err = run_python(&french(&e), &["--scale", "-1"]).expect_err("a bad scale");
    assert!(err.contains("--scale doit être un nombre positif"), "{err}");
    // Each strategy's French program runs to the same checksums.
    for &s in <Strategy as Token>::ALL {
        let w = if s.unfit_for(Workload::Mixed).is_some() {
            "io"
        } else {
            "mixed"
        };
        let e = decode(&format!(
            "w={w}&s={}&io=3&n=2&lat=fixed&ms=20&spread=0&kernel=primes&size=3",
            s.token()
        ));
        let ran = run_python(&french(&e), &[]).unwrap_or_else(|err| panic!("{s:?}: {err}"));
        let core: Vec<Option<u64>> = checksums(&e, 1.0).into_iter().map(Some).collect();
        assert_eq!(ran.summary.checksums, core, "{s:?}");
    }
}
