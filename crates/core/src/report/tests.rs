//! Report building, checked on hand-made measurements.

use super::*;
use crate::experiment::{Experiment, Strategy, Workload};
use crate::figures::NoSpeedup;
use crate::predict::{predict_run, Device};
use crate::trace::{Lane, Span, SpanKind};

/// The notes under a run's results ([`RunReport::notes`]).
#[path = "notes_tests.rs"]
mod notes;

fn en() -> Catalogue {
    crate::i18n::shipped(crate::Lang::En).expect("the English catalogue reads")
}

fn fr() -> Catalogue {
    crate::i18n::shipped(crate::Lang::Fr).expect("the French catalogue reads")
}

fn experiment(cpu_tasks: u32) -> ValidExperiment {
    ValidExperiment::new(Experiment {
        workload: Workload::Cpu,
        strategy: Strategy::Pool,
        workers: 2,
        cpu_tasks,
        ..Experiment::default()
    })
    .expect("valid")
}

/// Task `task` of a CPU run (no I/O tasks), ended with `outcome`.
fn settled(task: u32, outcome: Outcome) -> TaskResult {
    TaskResult {
        outcome,
        checksum: (outcome == Outcome::Ok).then_some(7),
        error: (outcome == Outcome::Error).then(|| "boom".to_owned()),
        ..TaskResult::never_started(task, 0)
    }
}

fn cpu_span(task: u32, worker: u16, start_ms: u64, end_ms: u64) -> Span {
    Span {
        task,
        lane: Lane::Worker(worker),
        kind: SpanKind::Cpu,
        start_us: start_ms * 1000,
        end_us: end_ms * 1000,
        outcome: Outcome::Ok,
    }
}

fn inputs(e: ValidExperiment, wall_ms: f64, spans: &[Span], t1_ms: Option<f64>) -> Inputs {
    let mut tally = Tally::new();
    let mut trace = Trace::new(e.to_query());
    for s in spans {
        tally.add(s, Some((wall_ms * 1000.0) as u64));
        trace.push(*s);
    }
    let predicted = predict_run(
        e.get(),
        &Device {
            calibration: None,
            pool_threads: 2,
            cores: 2,
            yield_overhead_us: 0,
        },
    );
    Inputs {
        run: Execution {
            experiment: e,
            n_io: 0,
            threads_given: 2,
            calibration: None,
            done: Vec::new(),
            late: Vec::new(),
            timed_out: false,
            cancelled: false,
            t0_ms: 1_000.0,
            wall_ms,
            trace,
            tally,
            predicted,
            neglected: None,
        },
        samples: ProbeSamples::default(),
        yield_overhead_us: None,
        pool_threads: 2,
        t1: t1_ms.map(|ms| T1 {
            ms,
            measured_at_ms: 5_000.0,
            thread: ReferenceThread::Worker,
            fresh: true,
            in_run: false,
        }),
        t1_tasks_ms: Vec::new(),
    }
}

#[test]
fn a_whole_run_has_its_speedup_and_every_task_its_result() {
    let spans = [cpu_span(0, 0, 0, 100), cpu_span(1, 1, 0, 100)];
    let mut i = inputs(experiment(2), 100.0, &spans, Some(190.0));
    i.run.done = vec![settled(1, Outcome::Ok), settled(0, Outcome::Ok)];
    let r = build(i);
    assert_eq!(r.done, [1, 0]);
    assert!(r.pending.is_empty());
    assert!(r
        .tasks
        .iter()
        .all(|t| t.outcome == Outcome::Ok && t.checksum == Some(7)));
    assert_eq!(r.figures.speedup, Some(1.9));
    assert_eq!(r.figures.parallelism, Some(2.0));
    assert_eq!(r.cpu_ms, 200.0);
    assert_eq!(
        r.announcement(&en()),
        "Run finished: wall time 100 ms, concurrency 2.00, parallelism 2.00, speed-up 1.90; \
         2 tasks ok, 0 failed, 0 cancelled."
    );
}

#[test]
fn tasks_left_pending_by_the_wait_are_marked_and_the_run_has_no_speedup() {
    let spans = [
        cpu_span(0, 0, 0, 50),
        cpu_span(1, 1, 0, 80),
        cpu_span(2, 0, 50, 80),
    ];
    let mut i = inputs(experiment(3), 50.0, &spans, Some(200.0));
    i.run.timed_out = true;
    i.run.done = vec![settled(0, Outcome::Ok)];
    // Pending when the wait returned, cancelled then.
    i.run.late = [2, 1]
        .map(|t| TaskResult {
            pending_at_return: true,
            ..settled(t, Outcome::Cancelled)
        })
        .to_vec();
    let r = build(i);
    assert_eq!(
        (r.done.as_slice(), r.pending.as_slice()),
        (&[0][..], &[1, 2][..])
    );
    assert!(r.tasks[1].pending_at_return && r.tasks[2].pending_at_return);
    assert!(!r.tasks[0].pending_at_return);
    assert_eq!(r.figures.no_speedup, Some(NoSpeedup::Incomplete));
    // Only the work before the wait returned counts: 50 + 50 ms.
    assert_eq!(r.cpu_ms, 100.0);
    // A task the run never settled is reported as cancelled, not lost.
    let r = build(inputs(experiment(1), 10.0, &[], Some(10.0)));
    assert_eq!(r.tasks[0].outcome, Outcome::Cancelled);
}

#[test]
fn lag_and_frames_count_what_the_run_swallowed() {
    let mut i = inputs(experiment(1), 200.0, &[cpu_span(0, 0, 0, 200)], Some(200.0));
    i.run.done = vec![settled(0, Outcome::Ok)];
    // The loop answered on time, then not for 100 ms.
    i.samples.lag = (0..20)
        .map(|n| LagSample {
            at_ms: 1_000.0 + f64::from(n) * 5.0,
            drift_ms: 0.1,
        })
        .chain(std::iter::once(LagSample {
            at_ms: 1_200.0,
            drift_ms: 100.0,
        }))
        .collect();
    // No animation frame at all during the run: every frame of it is missed.
    i.samples.frames_ms = Vec::new();
    let r = build(i);
    let lag = r.lag.drift_ms.unwrap();
    assert_eq!(lag.max, 100.0);
    assert!(lag.p95 >= 90.0, "p95 {}", lag.p95);
    assert_eq!(r.frames_missed, 11);
    assert_eq!(r.long_tasks, None);
}

#[test]
fn a_long_task_belongs_to_the_run_it_overlaps() {
    let task = |start_ms, duration_ms| LongTask {
        start_ms,
        duration_ms,
    };
    // The run went from 1,000 to 2,000 ms of the page clock.
    assert!(task(1_100.0, 822.0).overlaps(1_000.0, 2_000.0), "inside");
    assert!(
        task(960.0, 400.0).overlaps(1_000.0, 2_000.0),
        "begun in the click's frame, lasting into the run"
    );
    assert!(
        !task(900.0, 60.0).overlaps(1_000.0, 2_000.0),
        "over before the run"
    );
    assert!(
        !task(2_010.0, 80.0).overlaps(1_000.0, 2_000.0),
        "begun after the run"
    );
}
