//! On the fake host: the core share (tasks that take what the calibration
//! said read 1.0, tasks that take twice as long, as when another program
//! shares the cores, read 0.5, on every kind of thread), and a run on the
//! main thread that is its own T₁.

use super::*;

/// Enough tasks that each thread computes well over
/// [`crate::figures::share::MIN_MEASURED_US`].
const TASKS: u32 = 12;

fn share(host: &FakeHost, e: &Experiment) -> Option<f64> {
    report(run(host, e.clone())).core_share
}

#[test]
fn tasks_at_the_calibrated_pace_read_one_and_at_half_pace_one_half() {
    for e in [
        cpu(Strategy::Pool, 2, TASKS),
        cpu(Strategy::InlineBlocking, 2, TASKS),
        cpu(Strategy::CooperativeChunks, 2, TASKS),
        cpu(Strategy::ProcessPool, 2, TASKS),
        under_gil(cpu(Strategy::Pool, 2, TASKS)),
        under_gil(cpu(Strategy::DataParallel, 2, TASKS)),
    ] {
        let strategy = (e.strategy, e.python);
        let quiet = share(&FakeHost::new(), &e).expect("CPU work timed");
        assert!((quiet - 1.0).abs() < 0.02, "{strategy:?}: {quiet}");
        let busy = share(&FakeHost::new().with_ms_per_step(2.0 * MS_PER_STEP), &e)
            .expect("CPU work timed");
        assert!((busy - 0.5).abs() < 0.02, "{strategy:?}: {busy}");
    }
}

#[test]
fn no_share_without_cpu_work_or_calibration() {
    let host = FakeHost::new();
    assert_eq!(
        report(run(&host, io(Strategy::ConcurrentAwait, 4, 100))).core_share,
        None
    );
    let mut x = run(&host, cpu(Strategy::Pool, 2, TASKS));
    x.calibration = None;
    assert_eq!(report(x).core_share, None);
}

#[test]
fn a_run_on_one_thread_at_a_time_is_its_own_reference_and_never_faster_than_one_thread() {
    use crate::report::{ReferenceThread, T1};
    for (e, thread) in [
        (
            cpu(Strategy::InlineBlocking, 2, TASKS),
            ReferenceThread::Main,
        ),
        (
            cpu(Strategy::CooperativeChunks, 2, TASKS),
            ReferenceThread::Main,
        ),
        (
            under_gil(cpu(Strategy::Pool, 2, TASKS)),
            ReferenceThread::Worker,
        ),
        (cpu(Strategy::ToThread, 2, TASKS), ReferenceThread::Worker),
        (
            under_gil(cpu(Strategy::DataParallel, 2, TASKS)),
            ReferenceThread::Worker,
        ),
        (
            under_gil(cpu(Strategy::ParallelBlocking, 2, TASKS)),
            ReferenceThread::Worker,
        ),
    ] {
        let strategy = (e.strategy, e.python);
        let x = run(&FakeHost::new(), e);
        let own = T1::of_run(&x).expect("every CPU task ended, one at a time");
        assert!(own.in_run && own.fresh);
        assert_eq!(own.thread, thread, "{strategy:?}");
        assert!(
            (own.ms - f64::from(TASKS) * TASK_MS).abs() < 1e-6,
            "{strategy:?}: T₁ {} ms",
            own.ms
        );
        let r = build(Inputs {
            run: x,
            samples: ProbeSamples::default(),
            yield_overhead_us: None,
            pool_threads: 2,
            t1: Some(own),
            t1_tasks_ms: Vec::new(),
        });
        let speedup = r.figures.speedup.expect("a complete run");
        assert!(speedup <= 1.0 + 1e-9, "{strategy:?}: speed-up {speedup}");
        assert!(r.figures.efficiency.expect("efficiency") <= 1.0 + 1e-9);
    }
    let pool = run(&FakeHost::new(), cpu(Strategy::Pool, 2, TASKS));
    assert_eq!(
        T1::of_run(&pool),
        None,
        "a pool run is timed against a reference apart"
    );
}

#[test]
fn a_reference_timed_apart_is_the_pace_each_task_is_held_to() {
    // Tasks of the reference's pace read 1.0 however wrong the calibration;
    // tasks twice as slow as their reference read 0.5.
    let reference = vec![TASK_MS; TASKS as usize];
    let with_reference = |host: &FakeHost| {
        let mut x = run(host, cpu(Strategy::Pool, 2, TASKS));
        x.calibration = x.calibration.map(|c| Calibration {
            size_per_ms: c.size_per_ms * 3.0,
            ..c
        });
        build(Inputs {
            run: x,
            samples: ProbeSamples::default(),
            yield_overhead_us: None,
            pool_threads: 2,
            t1: None,
            t1_tasks_ms: reference.clone(),
        })
        .core_share
        .expect("CPU work timed")
    };
    let quiet = with_reference(&FakeHost::new());
    assert!((quiet - 1.0).abs() < 0.02, "{quiet}");
    let busy = with_reference(&FakeHost::new().with_ms_per_step(2.0 * MS_PER_STEP));
    assert!((busy - 0.5).abs() < 0.02, "{busy}");
}
