//! Fuzzing of what the page takes from outside: links (the URL codec),
//! experiments (validation) and files (the import of a kept run). Each
//! target runs proptest's runner over generated hostile inputs for as many
//! executions as asked and checks properties, not only the absence of a
//! panic; it prints the executions and the failures (0, or the smallest
//! failing input proptest found).
//!
//! `make fuzz` runs it long (1,000,000 executions per target); `make test`
//! runs a short pass. A long proptest run rather than cargo-fuzz: it needs
//! no second nightly toolchain nor a sanitizer runtime, and the inputs are
//! shaped (keys, numbers, JSON) where random bytes would rarely get past the
//! first check.
//!
//! Usage: `cargo run --release -p overlap-core --example fuzz -- [executions]`

use std::sync::atomic::{AtomicU64, Ordering};

use overlap_core::experiment::url::{decode, encode};
use overlap_core::experiment::validate::{validate, ValidExperiment};
use overlap_core::experiment::{
    AfterWait, Awaiting, Build, Field, IoSource, Latency, Neglect, ProcessStart, Python,
    ReturnWhen, Strategy as Placement, Token, Workload,
};
use overlap_core::kernels::Kernel;
use overlap_core::record::{figures_of_trace, import, Origin, RunRecord};
use overlap_core::trace::{Cause, Lane, Outcome, Span, SpanKind, Trace, WaitReturn};
use overlap_core::Experiment;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

fn main() {
    let executions: u32 = std::env::args()
        .nth(1)
        .and_then(|n| n.replace('_', "").parse().ok())
        .unwrap_or(1_000_000);
    let mut failed = false;
    failed |= target("url codec (links)", executions, links(), |query| {
        let d = decode(&query);
        // The decoder always lands on a valid experiment, whose link decodes
        // back to itself without a problem.
        validate(&d.experiment).map_err(|_| fail("decoded to an invalid experiment"))?;
        let again = decode(encode(&d.experiment).as_bytes());
        prop_assert!(again.problems.is_empty());
        prop_assert_eq!(again.experiment, d.experiment);
        Ok(())
    });
    failed |= target("validation (experiments)", executions, experiments(), |e| {
        // Valid or not, never a panic; what passes fits the memory ceiling
        // and survives its link.
        if validate(&e).is_ok() {
            let valid = ValidExperiment::new(e.clone()).map_err(|_| fail("new refused it"))?;
            prop_assert!(
                valid.get().worst_case_memory_bytes()
                    <= overlap_core::experiment::bounds::WORST_CASE_MEMORY_BYTES
            );
            prop_assert_eq!(&decode(encode(&e).as_bytes()).experiment, &e);
        } else {
            prop_assert!(ValidExperiment::new(e).is_err());
        }
        Ok(())
    });
    let good = sample_record().to_json();
    failed |= target(
        "trace import (files)",
        executions / 4,
        files(good),
        |text| {
            // A file is imported or refused with a reason; what is imported runs
            // as it is and is exported back the same.
            if let Ok(record) = import(&text, "fuzz.json") {
                let d = decode(record.experiment.as_bytes());
                prop_assert!(d.problems.is_empty());
                let back =
                    import(&record.to_json(), "again.json").map_err(|e| fail(&format!("{e:?}")))?;
                prop_assert_eq!(back, record);
            }
            Ok(())
        },
    );
    if failed {
        std::process::exit(1);
    }
}

fn fail(why: &str) -> TestCaseError {
    TestCaseError::fail(why.to_owned())
}

/// Runs `check` over `executions` inputs of `inputs`; says how it went and
/// returns whether it failed.
fn target<T: std::fmt::Debug>(
    name: &str,
    executions: u32,
    inputs: impl Strategy<Value = T>,
    check: impl Fn(T) -> Result<(), TestCaseError>,
) -> bool {
    let count = AtomicU64::new(0);
    let mut runner = TestRunner::new(Config {
        cases: executions,
        failure_persistence: None,
        max_shrink_iters: 2_000,
        ..Config::default()
    });
    let started = std::time::Instant::now();
    let outcome = runner.run(&inputs, |input| {
        count.fetch_add(1, Ordering::Relaxed);
        check(input)
    });
    let ran = count.load(Ordering::Relaxed);
    let secs = started.elapsed().as_secs_f64();
    match outcome {
        Ok(()) => {
            println!("{name}: {ran} executions, 0 failures, {secs:.1} s");
            false
        }
        Err(e) => {
            println!("{name}: FAILED after {ran} executions: {e}");
            true
        }
    }
}

/// Links: pairs of known and unknown keys with numbers (huge, negative,
/// non-finite), choices, unicode, escapes, HTML and script payloads, and
/// raw bytes, repeated keys included.
fn links() -> impl Strategy<Value = Vec<u8>> {
    let key = prop_oneof![
        4 => proptest::sample::select(Field::ALL.map(|f| f.key()).to_vec()).prop_map(str::to_owned),
        1 => "[a-z%;=&]{0,6}",
        1 => Just("debug".to_owned()),
    ];
    let value = prop_oneof![
        "-?[0-9]{0,30}(\\.[0-9]{0,8})?(e[+-]?[0-9]{1,4})?",
        proptest::sample::select(vec![
            "NaN",
            "inf",
            "-inf",
            "Infinity",
            "1e308",
            "-0",
            "0x10",
            "1_000",
            "",
            "io",
            "cpu",
            "pool",
            "first",
            "group",
            "none",
            "unawaited",
            "mandelbrot",
            "%00",
            "%ZZ",
            "%",
            "<script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
            "javascript:alert(1)",
            "é%C3%A9\u{202e}\u{1F600}",
        ])
        .prop_map(str::to_owned),
        ".{0,40}",
        ("[a-z9%]", 500usize..20_000).prop_map(|(c, n)| c.repeat(n)),
    ];
    let pairs = proptest::collection::vec((key, value), 0..30).prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
            .into_bytes()
    });
    prop_oneof![
        4 => pairs,
        1 => proptest::collection::vec(any::<u8>(), 0..512),
    ]
}

fn token<T: Token + std::fmt::Debug>() -> impl Strategy<Value = T> {
    proptest::sample::select(T::ALL.to_vec())
}

fn number() -> impl Strategy<Value = u32> {
    prop_oneof![0u32..=4, 0u32..=100_000, any::<u32>()]
}

fn fraction() -> impl Strategy<Value = f64> {
    prop_oneof![
        0.0f64..=1.0,
        any::<f64>(),
        proptest::sample::select(vec![f64::NAN, f64::INFINITY, -0.0, -1.0, 1e300]),
    ]
}

/// Experiments with every field anywhere in its type's range.
fn experiments() -> impl Strategy<Value = Experiment> {
    let a = (
        token::<Workload>(),
        token::<Placement>(),
        number(),
        number(),
        token::<IoSource>(),
        token::<Latency>(),
        number(),
        number(),
        fraction(),
        number(),
        fraction(),
        any::<u64>(),
    );
    let b = (
        proptest::sample::select(Kernel::ALL.to_vec()),
        number(),
        fraction(),
        number(),
        number(),
        token::<ReturnWhen>(),
        token::<AfterWait>(),
        number(),
        proptest::option::of(number()),
        token::<Awaiting>(),
        proptest::option::of(number()),
        token::<Neglect>(),
    );
    let c = (token::<Python>(), token::<ProcessStart>());
    (a, b, c).prop_map(|(a, b, (python, process_start))| Experiment {
        workload: a.0,
        strategy: a.1,
        python,
        io_tasks: a.2,
        cpu_tasks: a.3,
        io_source: a.4,
        latency: a.5,
        latency_ms: a.6,
        spread_ms: a.7,
        sigma: a.8,
        cap_ms: a.9,
        failure_rate: a.10,
        seed: a.11,
        kernel: b.0,
        size: b.1,
        serial_fraction: b.2,
        workers: b.3,
        chunk: b.4,
        return_when: b.5,
        after_wait: b.6,
        switch_ms: b.7,
        timeout_ms: b.8,
        awaiting: b.9,
        limit: b.10,
        neglect: b.11,
        process_start,
    })
}

/// A kept run as the page exports it: four CPU tasks on two workers.
fn sample_record() -> RunRecord {
    let experiment = "w=cpu&s=pool&k=2&n=4".to_owned();
    let mut trace = Trace::new(experiment.clone());
    for task in 0..4u32 {
        let start_us = u64::from(task / 2) * 50_000;
        trace.push(Span {
            task,
            lane: Lane::Worker((task % 2) as u16),
            kind: SpanKind::Cpu,
            start_us,
            end_us: start_us + 50_000,
            outcome: Outcome::Ok,
        });
    }
    RunRecord {
        name: "fuzz".to_owned(),
        origin: Origin::Page {
            build: Build::Threaded,
        },
        experiment,
        figures: figures_of_trace(&trace, None),
        trace,
        wait: Some(WaitReturn {
            at_us: 100_000,
            cause: Cause::AllCompleted,
            tasks: vec![3],
        }),
        scale: 1.0,
        python: None,
        responsiveness: None,
    }
}

/// Files: a good export cut, spliced with hostile fragments, its numbers and
/// strings replaced, nested deeply, or plain garbage.
fn files(good: String) -> impl Strategy<Value = String> {
    let len = good.len();
    let fragment = proptest::sample::select(vec![
        "",
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "null",
        "true",
        "-1",
        "1e999",
        "NaN",
        "\"\"",
        "\"<script>alert(1)</script>\"",
        "\"\\u0000\"",
        "\"\\ud800\"",
        "99999999999999999999999",
        "{\"schema\":\"overlap-run\",\"version\":2}",
        "\"version\":0",
        "\"spans\":[{}]",
    ]);
    let cut = (0..=len).prop_map({
        let good = good.clone();
        move |at| good[..good.floor_char_boundary(at)].to_owned()
    });
    let spliced = (0..=len, 0..=len, fragment.clone()).prop_map({
        let good = good.clone();
        move |(a, b, f)| {
            let (a, b) = (
                good.floor_char_boundary(a.min(b)),
                good.floor_char_boundary(a.max(b)),
            );
            format!("{}{f}{}", &good[..a], &good[b..])
        }
    });
    let numbers = ("-?[0-9]{1,25}(\\.[0-9]{1,3})?", 0usize..40).prop_map({
        let good = good.clone();
        move |(n, nth)| replace_nth_number(&good, nth, &n)
    });
    let nested = (1usize..100_000, proptest::bool::ANY).prop_map(|(depth, object)| {
        if object {
            "{\"a\":".repeat(depth) + &"}".repeat(depth)
        } else {
            "[".repeat(depth) + &"]".repeat(depth)
        }
    });
    prop_oneof![
        3 => spliced,
        2 => numbers,
        1 => cut,
        1 => nested,
        1 => ".{0,200}",
        1 => fragment.prop_map(str::to_owned),
    ]
}

/// `text` with its `nth` run of digits (counting from 0) replaced by `by`.
fn replace_nth_number(text: &str, nth: usize, by: &str) -> String {
    let bytes = text.as_bytes();
    let mut seen = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let end = (i..bytes.len())
                .find(|&j| !bytes[j].is_ascii_digit())
                .unwrap_or(bytes.len());
            if seen == nth {
                return format!("{}{by}{}", &text[..i], &text[end..]);
            }
            seen += 1;
            i = end;
        } else {
            i += 1;
        }
    }
    text.to_owned()
}
