//! Validation: bounds, typed problems and the nearest valid experiment.

use super::*;
use crate::experiment::{Strategy, Workload};
use crate::kernels::Kernel;

#[test]
fn the_default_experiment_is_valid() {
    assert_eq!(validate(&Experiment::default()), Ok(()));
}

#[test]
fn each_problem_names_its_field_and_bound() {
    let e = Experiment {
        workload: Workload::Mixed,
        latency: crate::experiment::Latency::LogNormal,
        workers: 65,
        cpu_tasks: 0,
        sigma: f64::NAN,
        failure_rate: -0.5,
        ..Experiment::default()
    };
    let problems = validate(&e).unwrap_err();
    assert_eq!(
        problems,
        vec![
            Problem::new(
                Field::CpuTasks,
                ProblemKind::BelowMin { min: 1.0, got: 0.0 }
            ),
            Problem::new(Field::Sigma, ProblemKind::NotFinite),
            Problem::new(
                Field::FailureRate,
                ProblemKind::BelowMin {
                    min: 0.0,
                    got: -0.5
                }
            ),
            Problem::new(
                Field::Workers,
                ProblemKind::AboveMax {
                    max: 64.0,
                    got: 65.0
                }
            ),
        ]
    );
    let (fixed, _) = normalize(&e);
    assert_eq!(
        (
            fixed.workers,
            fixed.cpu_tasks,
            fixed.sigma,
            fixed.failure_rate
        ),
        (64, 1, 0.5, 0.0)
    );
}

#[test]
fn spread_may_not_exceed_latency() {
    let e = Experiment {
        workload: Workload::Io,
        strategy: crate::experiment::Strategy::ConcurrentAwait,
        latency: crate::experiment::Latency::Uniform,
        latency_ms: 10,
        spread_ms: 20,
        ..Experiment::default()
    };
    let (fixed, problems) = normalize(&e);
    assert_eq!(fixed.spread_ms, 10);
    assert_eq!(
        problems,
        vec![Problem::new(
            Field::SpreadMs,
            ProblemKind::AboveField {
                other: Field::LatencyMs,
                max: 10.0,
                got: 20.0
            }
        )]
    );
}

#[test]
fn kernel_size_bound_depends_on_the_kernel() {
    let e = Experiment {
        kernel: Kernel::Reduce,
        size: 5_000,
        cpu_tasks: 1,
        ..Experiment::default()
    };
    let (fixed, problems) = normalize(&e);
    assert_eq!(fixed.size, 1_024);
    assert_eq!(problems.len(), 1);
    let e = Experiment {
        kernel: Kernel::Mandelbrot,
        size: 5_000,
        ..Experiment::default()
    };
    assert_eq!(validate(&e), Ok(()));
}

#[test]
fn memory_budget_reduces_the_size_to_fit() {
    let e = Experiment {
        kernel: Kernel::Reduce,
        size: 1_024,
        cpu_tasks: 100,
        ..Experiment::default()
    };
    let (fixed, problems) = normalize(&e);
    assert_eq!(
        problems,
        vec![Problem::new(
            Field::Size,
            ProblemKind::OverMemory {
                needed: 100 * (64 << 20),
                limit: 320 << 20
            }
        )]
    );
    assert_eq!(fixed.size, 51); // 320 MiB / 100 tasks / 64 KiB = 51.2
    assert_eq!(validate(&fixed), Ok(()));
    // The same sizes are fine when the workload has no CPU task.
    assert_eq!(
        validate(&Experiment {
            workload: Workload::Io,
            strategy: crate::experiment::Strategy::ConcurrentAwait,
            ..e
        }),
        Ok(())
    );
}

#[test]
fn timeout_is_checked_only_when_set() {
    // Python accepts a timeout of 0 (give up at once); beyond an hour, no.
    let e = Experiment {
        timeout_ms: Some(0),
        ..Experiment::default()
    };
    assert!(validate(&e).is_ok());
    let long = Experiment {
        timeout_ms: Some(MAX_TIMEOUT_MS + 1),
        ..Experiment::default()
    };
    assert_eq!(normalize(&long).0.timeout_ms, Some(MAX_TIMEOUT_MS));
    assert!(validate(&Experiment {
        timeout_ms: None,
        ..e
    })
    .is_ok());
}

#[test]
fn only_valid_experiments_become_valid_experiments() {
    let bad = Experiment {
        workers: 0,
        ..Experiment::default()
    };
    let problems = ValidExperiment::new(bad.clone()).unwrap_err();
    assert_eq!(problems[0].field, Some(Field::Workers));
    let (nearest, fixed) = ValidExperiment::nearest(&bad);
    assert_eq!(nearest.workers, 1);
    assert_eq!(fixed, problems);
    assert_eq!(ValidExperiment::new(nearest.get().clone()), Ok(nearest));
}

#[test]
fn a_strategy_must_fit_the_workload() {
    use crate::experiment::url::decode_str;
    use crate::experiment::{IoSource, Strategy};
    // Asked for: a CPU strategy for I/O only, blocking I/O for CPU only.
    let d = decode_str("w=io&s=pool");
    assert_eq!(d.experiment.strategy, Strategy::ConcurrentAwait);
    assert_eq!(d.problems[0].kind, ProblemKind::NeedsCpuTasks);
    let d = decode_str("w=cpu&s=block");
    assert_eq!(d.experiment.strategy, Strategy::InlineBlocking);
    assert_eq!(d.problems[0].kind, ProblemKind::NeedsIoTasks);
    // Not asked for: the default strategy gives way silently.
    let d = decode_str("w=io");
    assert!(d.problems.is_empty(), "{:?}", d.problems);
    assert_eq!(d.experiment.strategy, Strategy::ConcurrentAwait);
    // Blocking calls: on the timer, and never holding the page past the limit.
    let d = decode_str("w=io&s=block&src=fetch&io=1000&lat=fixed&ms=100");
    assert_eq!(d.experiment.io_source, IoSource::Timer);
    assert_eq!(d.experiment.io_tasks, 100);
    assert_eq!(d.problems.len(), 2, "{:?}", d.problems);
    let d = decode_str("w=mixed&s=block&io=3&lat=fixed&ms=50");
    assert!(d.problems.is_empty(), "{:?}", d.problems);
}

#[test]
fn a_field_that_does_not_apply_refuses_nothing_and_is_kept() {
    use crate::experiment::url::decode_str;
    // A fixed latency has no spread: the default spread (50) is no problem.
    let d = decode_str("w=io&s=seq&io=7&lat=fixed&ms=30");
    assert_eq!(d.problems, Vec::new());
    assert_eq!(d.experiment.spread_ms, 50);
    // A distribution that reads a spread still refuses one above the latency.
    let d = decode_str("w=io&s=seq&io=7&lat=uniform&ms=30");
    assert_eq!(d.problems.len(), 1);
    assert_eq!(d.problems[0].field, Some(Field::SpreadMs));
    // Out of range where it does not apply: kept as typed, in the link too.
    let d = decode_str("w=io&s=conc&size=999999&k=0&chunk=0");
    assert_eq!(d.problems, Vec::new());
    assert_eq!((d.experiment.size, d.experiment.workers), (999_999, 0));
    assert!(d.experiment.to_query().contains("size=999999"));
}

#[test]
fn a_non_finite_number_where_a_field_does_not_apply_is_not_valid_as_it_is() {
    // Found by `make fuzz`: a to_thread run (which splits nothing) with a
    // NaN serial fraction passed, and its link read back 0.0.
    let e = Experiment {
        workload: Workload::Cpu,
        strategy: Strategy::ToThread,
        serial_fraction: f64::NAN,
        ..Experiment::default()
    };
    assert!(!Field::SerialFraction.applies(&e));
    assert_eq!(
        validate(&e),
        Err(vec![Problem::new(
            Field::SerialFraction,
            ProblemKind::NotFinite
        )])
    );
    let (nearest, problems) = normalize(&e);
    assert!(problems.is_empty(), "silently replaced: {problems:?}");
    assert!(validate(&nearest).is_ok());
}
