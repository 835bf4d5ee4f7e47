//! The table of the fields an experiment reads ([`Field::applies`]) held to
//! the engine: for every strategy and the workloads it runs, each latency
//! distribution and each way of awaiting, every field that does not apply
//! is set to other values (out of range too), and the experiment must stay
//! valid and unchanged, its prediction the same, and its run on the fake
//! host the same span for span.

use super::*;
use crate::experiment::{
    normalize, validate, AfterWait, Awaiting, Field, IoSource, Neglect, ProcessStart, Python,
    ReturnWhen, Token, Workload,
};
use crate::predict::predict_run;

/// The experiments the table is checked around: small runs of each strategy
/// and workload it fits, under each distribution and way of awaiting.
fn bases() -> Vec<Experiment> {
    let mut out = Vec::new();
    for &strategy in Strategy::ALL {
        for &workload in Workload::ALL {
            if strategy.unfit_for(workload).is_some() {
                continue;
            }
            let small = Experiment {
                workload,
                strategy,
                io_tasks: 3,
                cpu_tasks: 3,
                latency_ms: 2,
                spread_ms: 1,
                failure_rate: 0.4,
                // The fake host times every kernel's steps alike, so the
                // kernel is the cheapest to compute: the test makes some
                // 5,500 runs, and 20 steps of primes took 37 s of them.
                kernel: Kernel::Mandelbrot,
                size: 20,
                workers: 2,
                chunk: 4,
                ..Experiment::default()
            };
            // The distribution matters with I/O only.
            let latencies = if workload.has_io() {
                Latency::ALL
            } else {
                &[Latency::Exponential]
            };
            for &latency in latencies {
                out.push(Experiment {
                    latency,
                    ..small.clone()
                });
            }
            // Each Python, where the strategy's threads compute.
            for &python in Python::ALL {
                out.push(Experiment {
                    python,
                    ..small.clone()
                });
            }
            for (awaiting, timeout_ms, return_when) in [
                (Awaiting::Wait, Some(1), ReturnWhen::AllCompleted),
                (Awaiting::Wait, None, ReturnWhen::FirstCompleted),
                (Awaiting::Gather, Some(1), ReturnWhen::AllCompleted),
                (Awaiting::TaskGroup, None, ReturnWhen::AllCompleted),
                (Awaiting::AsCompleted, Some(1), ReturnWhen::AllCompleted),
            ] {
                out.push(Experiment {
                    awaiting,
                    timeout_ms,
                    return_when,
                    ..small.clone()
                });
            }
        }
    }
    out
}

/// Every token of a choice, as `e` with `set` applied to it.
fn each<T: Token>(e: &Experiment, set: impl Fn(&mut Experiment, T)) -> Vec<Experiment> {
    T::ALL
        .iter()
        .map(|&v| {
            let mut x = e.clone();
            set(&mut x, v);
            x
        })
        .collect()
}

/// `e` with `field` set to other values: in range, at the edges, beyond them.
fn variants(e: &Experiment, field: Field) -> Vec<Experiment> {
    let whole = |set: fn(&mut Experiment, u32)| -> Vec<Experiment> {
        [0, 7, u32::MAX]
            .into_iter()
            .map(|v| {
                let mut x = e.clone();
                set(&mut x, v);
                x
            })
            .collect()
    };
    let real = |set: fn(&mut Experiment, f64)| -> Vec<Experiment> {
        [0.5, -3.0, 1e300]
            .into_iter()
            .map(|v| {
                let mut x = e.clone();
                set(&mut x, v);
                x
            })
            .collect()
    };
    match field {
        Field::IoTasks => whole(|x, v| x.io_tasks = v),
        Field::CpuTasks => whole(|x, v| x.cpu_tasks = v),
        Field::LatencyMs => whole(|x, v| x.latency_ms = v),
        Field::SpreadMs => whole(|x, v| x.spread_ms = v),
        Field::CapMs => whole(|x, v| x.cap_ms = v),
        Field::Size => whole(|x, v| x.size = v),
        Field::Workers => whole(|x, v| x.workers = v),
        Field::Chunk => whole(|x, v| x.chunk = v),
        Field::SwitchMs => whole(|x, v| x.switch_ms = v),
        Field::Limit => {
            let mut all = whole(|x, v| x.limit = Some(v));
            all.push(Experiment {
                limit: None,
                ..e.clone()
            });
            all
        }
        Field::Sigma => real(|x, v| x.sigma = v),
        Field::FailureRate => real(|x, v| x.failure_rate = v),
        Field::SerialFraction => real(|x, v| x.serial_fraction = v),
        Field::IoSource => each(e, |x, v: IoSource| x.io_source = v),
        Field::Latency => each(e, |x, v: Latency| x.latency = v),
        Field::Kernel => each(e, |x, v: Kernel| x.kernel = v),
        Field::ReturnWhen => each(e, |x, v: ReturnWhen| x.return_when = v),
        Field::AfterWait => each(e, |x, v: AfterWait| x.after_wait = v),
        Field::Neglect => each(e, |x, v: Neglect| x.neglect = v),
        Field::Python => each(e, |x, v: Python| x.python = v),
        Field::ProcessStart => each(e, |x, v: ProcessStart| x.process_start = v),
        Field::Workload | Field::Strategy | Field::Seed | Field::Awaiting | Field::TimeoutMs => {
            panic!("{field:?} always applies, yet not to {e:?}")
        }
    }
}

/// What a run did that the experiment decides: its spans, its results,
/// when and how its wait returned, its neglected coroutine.
fn ran(e: &Experiment) -> impl PartialEq + std::fmt::Debug {
    let x = run(&FakeHost::new(), e.clone());
    (
        x.trace.spans,
        x.done,
        x.late,
        x.timed_out,
        x.wall_ms,
        x.threads_given,
        x.neglected,
    )
}

#[test]
fn a_field_that_does_not_apply_changes_neither_the_run_nor_the_model() {
    let device = device(2);
    let mut checked = 0;
    for base in bases() {
        assert_eq!(validate(&base), Ok(()), "{}", base.to_query());
        let read: Vec<Field> = Field::read_by(&base).collect();
        let (base_run, base_model) = (ran(&base), predict_run(&base, &device));
        for field in Field::ALL.into_iter().filter(|f| !read.contains(f)) {
            let all = variants(&base, field);
            for (i, changed) in all.iter().enumerate() {
                let query = changed.to_query();
                // What applies is the same, and nothing is refused or fixed.
                assert_eq!(Field::read_by(changed).collect::<Vec<_>>(), read, "{query}");
                assert_eq!(normalize(changed), (changed.clone(), Vec::new()), "{query}");
                assert_eq!(predict_run(changed, &device), base_model, "{query}");
                // The runs, slower than the model, at the ends of each
                // field's values (a choice's first and last; 0 and u32::MAX).
                if i == 0 || i + 1 == all.len() {
                    assert_eq!(ran(changed), base_run, "{field:?}: {query}");
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 1_000, "{checked}");
}

#[test]
fn a_non_finite_number_that_does_not_apply_takes_its_default_unsaid() {
    let e = Experiment {
        workload: Workload::Cpu,
        sigma: f64::NAN,
        failure_rate: f64::INFINITY,
        ..Experiment::default()
    };
    let (fixed, problems) = normalize(&e);
    assert_eq!(problems, Vec::new());
    assert_eq!((fixed.sigma, fixed.failure_rate), (0.5, 0.0));
}
