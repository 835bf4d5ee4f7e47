use super::*;
use crate::experiment::{
    validate, AfterWait, Awaiting, IoSource, Latency, Neglect, ProcessStart, Python, ReturnWhen,
    Strategy, Workload,
};
use proptest::prelude::*;
use proptest::strategy::Strategy as _;

#[test]
fn default_experiment_is_short() {
    assert_eq!(encode(&Experiment::default()), "w=cpu&s=pool&py=ft");
    let d = decode_str("w=cpu&s=pool");
    assert_eq!(d.experiment, Experiment::default());
    assert!(d.problems.is_empty());
}

#[test]
fn links_made_before_py_keep_their_meaning_and_new_ones_name_their_python() {
    let read = |q: &str| decode_str(q).experiment;
    // The GIL was a strategy: the thread pool under CPython's default build.
    let gil = read("w=cpu&s=gil&k=2");
    assert_eq!((gil.strategy, gil.python), (Strategy::Pool, Python::Gil));
    assert_eq!(gil.to_query(), "w=cpu&s=pool&py=gil&k=2");
    assert!(decode_str("w=cpu&s=gil&k=2").problems.is_empty());
    // asyncio.to_thread took turns; every other strategy's threads did not.
    assert_eq!(read("w=cpu&s=thread").python, Python::Gil);
    for s in ["pool", "par", "parblock", "proc", "conc"] {
        assert_eq!(
            read(&format!("w=cpu&s={s}")).python,
            Python::FreeThreaded,
            "{s}"
        );
    }
    // A Python named is kept, and written where it applies.
    let ft = read("w=cpu&s=thread&py=ft");
    assert_eq!(ft.python, Python::FreeThreaded);
    assert_eq!(ft.to_query(), "w=cpu&s=thread&py=ft");
    assert_eq!(read("w=cpu&s=par&py=gil").to_query(), "w=cpu&s=par&py=gil");
    // Where it does not apply, only a Python a bare link would not mean.
    assert_eq!(read("w=io&s=thread").to_query(), "w=io&s=thread");
    assert_eq!(read("w=io&s=conc").to_query(), "w=io&s=conc");
    assert_eq!(read("w=io&s=conc&py=gil").to_query(), "w=io&s=conc&py=gil");
    let bad = decode_str("w=cpu&s=pool&py=nogil");
    assert_eq!(bad.problems.len(), 1, "{:?}", bad.problems);
    assert_eq!(bad.problems[0].field, Some(Field::Python));
}

#[test]
fn readable_query_for_a_typical_experiment() {
    let e = Experiment {
        workload: Workload::Mixed,
        strategy: Strategy::CooperativeChunks,
        io_tasks: 1_000,
        latency: Latency::LogNormal,
        sigma: 1.25,
        failure_rate: 0.1,
        kernel: Kernel::Mandelbrot,
        size: 500,
        workers: 8,
        chunk: 4,
        return_when: ReturnWhen::FirstException,
        timeout_ms: Some(5_000),
        ..Experiment::default()
    };
    let q = encode(&e);
    assert_eq!(
        q,
        "w=mixed&s=coop&io=1000&lat=lognormal&sigma=1.25&fail=0.1&kernel=mandelbrot\
         &size=500&k=8&chunk=4&rw=exception&timeout=5000"
    );
    assert_eq!(decode_str(&format!("?{q}")).experiment, e);
}

#[test]
fn missing_size_means_the_kernel_default() {
    let d = decode_str("kernel=reduce");
    assert_eq!(d.experiment.size, Kernel::Reduce.default_size());
    assert!(d.problems.is_empty());
}

#[test]
fn problems_list_each_key_and_the_experiment_carries_on() {
    let d = decode_str("w=mixed&k=500&n=abc&color=red&s=turbo&k=2&fail=NaN&size=-3&seed=x");
    let e = &d.experiment;
    assert_eq!(e.workers, 64);
    assert_eq!(e.cpu_tasks, 8);
    assert_eq!(e.strategy, Strategy::Pool);
    assert_eq!(e.failure_rate, 0.0);
    // A negative size is reported where it is read, against the size's own
    // minimum, which is the nearest valid value.
    assert_eq!(e.size, 1);
    assert_eq!(e.seed, 42);
    let keys: Vec<&str> = d.problems.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(keys, ["n", "color", "s", "k", "size", "seed", "fail", "k"]);
    assert_eq!(
        d.problems[0].kind,
        ProblemKind::Malformed { got: "abc".into() }
    );
    assert_eq!(d.problems[1].kind, ProblemKind::UnknownKey);
    assert!(
        matches!(&d.problems[2].kind, ProblemKind::UnknownChoice { got, choices }
        if got == "turbo" && choices.len() == 10)
    );
    assert_eq!(d.problems[3].kind, ProblemKind::Duplicate);
    assert_eq!(
        d.problems[4].kind,
        ProblemKind::BelowMin {
            min: 1.0,
            got: -3.0
        }
    );
    assert_eq!(d.problems[6].kind, ProblemKind::NotFinite);
    assert_eq!(
        d.problems[7].kind,
        ProblemKind::AboveMax {
            max: 64.0,
            got: 500.0
        }
    );
    assert_eq!(validate(e), Ok(()));
}

#[test]
fn huge_numbers_are_clamped_not_malformed() {
    let d = decode_str("w=io&io=99999999999999999999&timeout=none&ms=%36%30");
    assert_eq!(d.experiment.io_tasks, 100_000);
    assert_eq!(d.experiment.latency_ms, 60);
    assert_eq!(d.experiment.timeout_ms, None);
    assert_eq!(d.problems.len(), 1);
}

#[test]
fn invalid_utf8_and_stray_percents_are_reported_not_fatal() {
    let d = decode(b"w=%FF%FE&%zz=1&s=%&k=%4");
    assert_eq!(d.problems.len(), 4);
    assert_eq!(
        d.problems[0].kind,
        ProblemKind::UnknownChoice {
            got: "\u{FFFD}\u{FFFD}".into(),
            choices: vec!["io".into(), "cpu".into(), "mixed".into()],
        }
    );
    assert_eq!(d.problems[1].key, "%zz");
}

#[test]
fn long_inputs_keep_a_bounded_list_of_problems() {
    let q = "x=1&".repeat(1_000);
    let d = decode_str(&q);
    assert_eq!(d.problems.len(), MAX_PROBLEMS);
    assert_eq!(d.more_problems, 1_000 - MAX_PROBLEMS);
    let long_key = "é".repeat(100);
    let d = decode_str(&long_key);
    assert_eq!(d.problems[0].key.chars().count(), MAX_QUOTE + 1);
}

fn one_of<T: Token + std::fmt::Debug>() -> impl proptest::strategy::Strategy<Value = T> {
    proptest::sample::select(T::ALL)
}

prop_compose! {
    /// Any experiment within the per-field bounds, then made valid by `normalize`.
    fn valid_experiment()(
        workload in one_of::<Workload>(),
        strategy in one_of::<Strategy>(),
        io_tasks in 1u32..=100_000,
        cpu_tasks in 1u32..=256,
        io_source in one_of::<IoSource>(),
        latency in one_of::<Latency>(),
        latency_ms in 0u32..=60_000,
        spread_ms in 0u32..=60_000,
        sigma in 0.0f64..=3.0,
        cap_ms in 1u32..=600_000,
        failure_rate in 0.0f64..=1.0,
        seed: u64,
        kernel in one_of::<Kernel>(),
        size in 1u32..=50_000,
        serial_fraction in prop_oneof![Just(0.0), Just(1.0), 0.0f64..=1.0],
        workers in 1u32..=64,
        chunk in 1u32..=10_000,
        return_when in one_of::<ReturnWhen>(),
        timeout_ms in proptest::option::of(1u32..=3_600_000),
        after_wait in one_of::<AfterWait>(),
        switch_ms in 1u32..=1_000,
        awaiting in one_of::<Awaiting>(),
        limit in proptest::option::of(1u32..=100_000),
        neglect in one_of::<Neglect>(),
        python in one_of::<Python>(),
        process_start in one_of::<ProcessStart>(),
    ) -> Experiment {
        let e = Experiment {
            workload, strategy, python, io_tasks, cpu_tasks, io_source, latency, latency_ms,
            spread_ms, sigma, cap_ms, failure_rate, seed, kernel, size, serial_fraction,
            workers, chunk, return_when, timeout_ms, after_wait, switch_ms, awaiting, limit,
            neglect, process_start,
        };
        normalize(&e).0
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn round_trip(e in valid_experiment()) {
        prop_assert_eq!(validate(&e), Ok(()));
        let q = encode(&e);
        let d = decode_str(&q);
        prop_assert!(d.problems.is_empty(), "{q}: {:?}", d.problems);
        prop_assert_eq!(d.experiment, e);
    }

    #[test]
    fn valid_experiments_fit_in_memory(e in valid_experiment()) {
        prop_assert!(e.worst_case_memory_bytes() <= crate::experiment::bounds::WORST_CASE_MEMORY_BYTES);
    }

    #[test]
    fn key_value_soup_never_panics_and_always_yields_a_valid_experiment(
        pairs in proptest::collection::vec(
            (prop_oneof![
                proptest::sample::select(Field::ALL.map(|f| f.key()).to_vec()).prop_map(str::to_owned),
                "[a-z%]{0,4}",
            ],
            prop_oneof![
                "-?[0-9]{0,22}(\\.[0-9]{0,4})?",
                proptest::sample::select(vec!["io", "cpu", "mixed", "pool", "reduce", "NaN", "inf", "none", "1e9", "lognormal"]).prop_map(str::to_owned),
                ".{0,6}",
            ]),
            0..12,
        )
    ) {
        let q = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
        let d = decode_str(&q);
        prop_assert_eq!(validate(&d.experiment), Ok(()));
    }
}

proptest! {
    // The fuzz target of the issue: 100,000 arbitrary byte strings.
    #![proptest_config(ProptestConfig { cases: 100_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn decoding_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let d = decode(&bytes);
        prop_assert!(d.problems.len() <= MAX_PROBLEMS);
        prop_assert_eq!(validate(&d.experiment), Ok(()));
    }
}

#[test]
fn negative_whole_numbers_are_reported_and_take_the_minimum() {
    let d = decode_str("ms=-0&spread=0&k=-1&timeout=-5&n=-x");
    let e = &d.experiment;
    assert_eq!(
        (e.latency_ms, e.workers, e.timeout_ms, e.cpu_tasks),
        (0, 1, Some(0), 8)
    );
    let keys: Vec<&str> = d.problems.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(keys, ["k", "timeout", "n"]);
    assert_eq!(
        d.problems[0].kind,
        ProblemKind::BelowMin {
            min: 1.0,
            got: -1.0
        }
    );
    assert_eq!(decode_str("timeout=x").experiment.timeout_ms, None);
}

#[test]
fn the_page_s_own_keys_are_passed_over_without_a_problem() {
    let d = decode_str("debug=faults&w=cpu&s=pool&k=3");
    assert!(d.problems.is_empty(), "{}", d.problems.len());
    assert_eq!(d.experiment.workers, 3);
    // Only those keys: a near miss is still unknown.
    let d = decode_str("debugs=faults&w=cpu");
    assert_eq!(d.problems.len(), 1);
    assert_eq!(d.problems[0].kind, ProblemKind::UnknownKey);
}

#[test]
fn debug_modes_are_read_as_every_key_is() {
    for q in [
        "debug=pseudo",
        "?debug=pseudo",
        "w=cpu&debug=pseudo",
        "w=cpu;debug=pseudo;k=2",
        "debug=faults&debug=pseudo",
        "debug=%70seudo",
        "debug = pseudo&",
    ] {
        assert!(has_debug(q, "pseudo"), "{q}");
    }
    for q in [
        "",
        "debug=faults",
        "debug=pseudos",
        "xdebug=pseudo",
        "w=pseudo",
        "debug",
        "w=cpu&debug=pseudo=1",
    ] {
        assert!(!has_debug(q, "pseudo"), "{q}");
    }
    assert!(has_debug("?w=cpu&s=pool&debug=faults", "faults"));
}
