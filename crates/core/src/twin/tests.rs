//! The twin held to core with this machine's CPython: the same checksums,
//! the same latencies, and the same done/pending counts where the run is
//! deterministic.

use super::native::{page_counts, page_neglected, run_python, scratch_path};
use super::*;

use crate::experiment::{AfterWait, Awaiting, IoSource, Neglect, Strategy, Token, Workload};

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
    for kernel in ["primes", "mandelbrot", "hash", "reduce"] {
        let e = decode(&format!("w=cpu&s=conc&n=3&kernel={kernel}&size=3&seed=7"));
        let ran = run_python(&python(&e), &[]).unwrap_or_else(|err| panic!("{kernel}: {err}"));
        let expected: Vec<Option<u64>> = checksums(&e, 1.0).into_iter().map(Some).collect();
        assert_eq!(ran.summary.checksums, expected, "{kernel}");
    }
}

#[test]
fn python_draws_cores_latencies_and_failures() {
    let mut script = String::from(
        "import array, hashlib, json, math, struct, threading, time, asyncio, argparse\n",
    );
    script += &constants();
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
            latency_token(e.latency),
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
    let slots = match (e.strategy, e.limit) {
        (Strategy::SequentialAwait | Strategy::BlockingIo, _) => 1,
        (_, Some(limit)) => limit.min(n),
        _ => n,
    };
    let rounds = n.div_ceil(slots.max(1));
    let ends_near = |timeout: u32| {
        (1..=rounds).any(|k| (i64::from(timeout) - i64::from(k * e.latency_ms)).abs() < 20)
            // The neglected task fails at half the latency.
            || (e.neglect != Neglect::None
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
    let mut r = rng(2026, 15);
    let mut cases = Vec::new();
    while cases.len() < 60 {
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
    // Two at a time: the machine has two cores and CPython runs the kernels slowly.
    let half = cases.len() / 2;
    let (a, b) = cases.split_at(half);
    let check = |cases: &[(Experiment, f64)]| -> Vec<String> {
        cases
            .iter()
            .filter_map(|(e, scale)| check_case(e, *scale).err())
            .collect()
    };
    let failures: Vec<String> = std::thread::scope(|s| {
        let left = s.spawn(|| check(a));
        let mut out = check(b);
        out.extend(left.join().expect("no panic"));
        out
    });
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn check_case(e: &Experiment, scale: f64) -> Result<(), String> {
    let query = e.to_query();
    let fail = |what: String| Err(format!("{query} (scale {scale}): {what}"));
    let ran = match run_python(&python(e), &["--scale", &scale.to_string()]) {
        Ok(ran) => ran,
        Err(err) => return fail(err),
    };
    let s = &ran.summary;
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
    match e.neglect {
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
    assert!(asked.contains("IO_TASKS, CPU_TASKS, WORKERS = 0, 4, 6"));
    let ran = python_as_run(&e, Some(2));
    assert!(
        ran.contains("IO_TASKS, CPU_TASKS, WORKERS = 0, 4, 2"),
        "{ran}"
    );
    assert!(ran.contains("k = 6 was asked, but the page's pool has 2 threads"));
    // A pool as large as k changes nothing.
    assert_eq!(python_as_run(&e, Some(8)), asked);
    let summary = run_python(&ran, &[]).expect("runs").summary;
    assert_eq!(summary.ok, 4);
}

#[test]
fn a_timeout_of_zero_runs_as_in_cpython() {
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
