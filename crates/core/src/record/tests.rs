use super::*;
use crate::experiment::url::decode_str;
use crate::experiment::Field;
use crate::trace::model::ok_span;
use crate::trace::{Lane, SpanKind};

/// Two CPU tasks side by side on two workers for 100 ms.
fn pool_run(name: &str, query: &str, wall_us: u64) -> RunRecord {
    let query = decode_str(query).experiment.to_query();
    let mut trace = Trace::new(query.clone());
    trace.push(ok_span(0, Lane::Worker(0), SpanKind::Cpu, 0, wall_us));
    trace.push(ok_span(1, Lane::Worker(1), SpanKind::Cpu, 0, wall_us));
    RunRecord {
        name: name.to_owned(),
        origin: Origin::Page {
            build: Build::Threaded,
        },
        experiment: query,
        figures: figures_of_trace(&trace, None),
        trace,
        wait: Some(WaitReturn {
            at_us: wall_us,
            cause: crate::trace::Cause::AllCompleted,
            tasks: vec![1],
        }),
        scale: 1.0,
        python: None,
        responsiveness: None,
    }
}

#[test]
fn a_record_survives_export_and_import() {
    let record = pool_run("two on the pool", "w=cpu&s=pool&k=2&n=2", 100_000);
    let back = import(&record.to_json(), "run.json").unwrap();
    assert_eq!(back, record, "the wait's return included");
    let chrome = record.to_chrome_trace();
    assert!(chrome.contains("\"ph\":\"X\""));
    assert!(chrome.contains("asyncio.wait returned (all_completed)"));
    // A file without the wait (older, or hand-made) still imports.
    let older = RunRecord {
        wait: None,
        ..record.clone()
    };
    assert_eq!(import(&older.to_json(), "old.json").unwrap().wait, None);
    // A wait naming a flood of tasks is refused.
    let flood = RunRecord {
        wait: Some(WaitReturn {
            tasks: vec![0; MAX_WAIT_TASKS + 1],
            ..record.wait.clone().unwrap()
        }),
        ..record
    };
    assert!(matches!(
        import(&flood.to_json(), "x.json"),
        Err(ImportError::Invalid(_))
    ));
}

#[test]
fn figures_of_a_trace_come_from_its_spans() {
    let f = pool_run("x", "w=cpu&s=pool&k=2&n=2", 100_000).figures;
    assert_eq!(f.wall_ms, 100.0);
    assert_eq!(f.parallelism, Some(2.0));
    assert_eq!(f.concurrency, Some(2.0));
    assert_eq!(f.threads_used, 2);
    assert_eq!(f.speedup, None, "no reference run in a trace");
    assert_eq!(f.throughput_per_s, Some(20.0));
}

#[test]
fn the_python_twins_trace_imports_as_a_python_run() {
    let text = r#"{"schema": "overlap-trace", "version": 1, "time_unit": "us",
        "experiment": "w=io&s=conc&io=2&lat=fixed&ms=100", "dropped_spans": 0,
        "spans": [
          {"task": 0, "lane": "main", "kind": "io-wait", "start_us": 10, "end_us": 100010, "outcome": "ok"},
          {"task": 1, "lane": "main", "kind": "io-wait", "start_us": 20, "end_us": 100020, "outcome": "ok"}]}"#;
    let record = import(text, "twin.json").unwrap();
    assert_eq!(record.origin, Origin::Python);
    assert_eq!(record.name, "Python: twin.json");
    assert_eq!(record.trace.spans.len(), 2);
    // Version 1 says nothing of the wait: the wall runs to the last span.
    assert!((record.figures.wall_ms - 100.02).abs() < 1e-9);
    let concurrency = record.figures.concurrency.unwrap();
    assert!((concurrency - 2.0).abs() < 0.01, "{concurrency}");
    assert_eq!(
        (record.wait, record.scale, record.python),
        (None, 1.0, None)
    );
}

/// A twin's trace of version 2: two waits, one of 100 ms and one of 300 ms,
/// and a wait that returned at 100 ms for `cause`.
fn twin_trace_v2(cause: &str) -> String {
    format!(
        r#"{{"schema": "overlap-trace", "version": 2, "time_unit": "us",
        "experiment": "w=io&s=conc&io=2&lat=fixed&ms=100", "dropped_spans": 0,
        "wait": {{"at_us": 100500, "cause": "{cause}"}}, "scale": 0.5,
        "python": {{"version": "3.12.1", "gil": true}},
        "spans": [
          {{"task": 0, "lane": "main", "kind": "io-wait", "start_us": 0, "end_us": 100000, "outcome": "ok"}},
          {{"task": 1, "lane": "main", "kind": "io-wait", "start_us": 0, "end_us": 300000, "outcome": "ok"}}]}}"#
    )
}

#[test]
fn a_twins_trace_of_version_2_has_the_twins_own_wall() {
    let record = import(&twin_trace_v2("first_completed"), "twin.json").unwrap();
    // The wall ends where the wait returned, not at the last span (300 ms),
    // and the figures count up to there, as the page's do.
    assert_eq!(record.figures.wall_ms, 100.5);
    let concurrency = record.figures.concurrency.unwrap();
    assert!((concurrency - 2.0).abs() < 0.01, "{concurrency}");
    assert_eq!(record.figures.throughput_per_s.map(f64::round), Some(10.0));
    let wait = record.wait.clone().unwrap();
    assert_eq!(wait.cause, crate::trace::Cause::FirstCompleted);
    assert_eq!(
        wait.tasks,
        vec![0],
        "the task that made it return, from the spans"
    );
    assert_eq!(record.scale, 0.5);
    assert_eq!(
        record.python,
        Some(crate::trace::Python {
            version: "3.12.1".into(),
            gil: true
        })
    );
    // Exported and imported again, nothing is lost.
    assert_eq!(import(&record.to_json(), "again.json").unwrap(), record);
    // A timeout names no task; an unknown cause is refused.
    let timeout = import(&twin_trace_v2("timeout"), "t.json").unwrap();
    assert_eq!(timeout.wait.unwrap().tasks, Vec::<u32>::new());
    assert!(matches!(
        import(&twin_trace_v2("bored"), "t.json"),
        Err(ImportError::Invalid(_))
    ));
}

#[test]
fn the_pages_trace_json_is_version_2_with_scale_1_and_no_python() {
    let record = pool_run("page", "w=cpu&s=pool&k=2&n=2", 100_000);
    let v: serde_json::Value = serde_json::from_str(&record.to_trace_json()).unwrap();
    assert_eq!(v["version"], 2);
    assert_eq!(v["scale"], 1.0);
    assert!(v.get("python").is_none_or(serde_json::Value::is_null));
    assert_eq!(v["wait"]["at_us"], 100_000);
    let back = import(&record.to_trace_json(), "page.json").unwrap();
    assert_eq!((back.figures, &back.wait), (record.figures, &record.wait));
    // The run record keeps scale and Python too, and refuses what is not one.
    let mut scaled = record.clone();
    scaled.scale = 0.25;
    assert_eq!(import(&scaled.to_json(), "s.json").unwrap().scale, 0.25);
    let bad = scaled.to_json().replace("\"scale\":0.25", "\"scale\":-1");
    assert!(matches!(
        import(&bad, "b.json"),
        Err(ImportError::Invalid(_))
    ));
}

#[test]
fn a_scale_that_differs_is_named_and_the_experiment_is_not_the_same() {
    let page = pool_run("page", "w=cpu&s=pool&k=2&n=2", 100_000);
    let mut twin = pool_run("twin", "w=cpu&s=pool&k=2&n=2", 10_000);
    twin.origin = Origin::Python;
    twin.scale = 0.1;
    let en = crate::i18n::shipped(crate::Lang::En).expect("English");
    let fr = crate::i18n::shipped(crate::Lang::Fr).expect("French");
    let c = compare(&page, &twin);
    assert!(c.differing.is_empty());
    assert!(!c.same_experiment());
    assert_eq!(c.scale_factor, Some(0.1));
    assert_eq!(
        c.scale_note(&en).as_deref(),
        Some("Not the same experiment: CPU sizes × 0.1.")
    );
    assert!(c.scale_note(&fr).unwrap().contains("× 0,1"));
    let back = compare(&twin, &page);
    assert_eq!(
        back.scale_note(&en).as_deref(),
        Some("Not the same experiment: CPU sizes × 10.")
    );
    twin.scale = 0.05;
    assert!(compare(&page, &twin)
        .scale_note(&en)
        .unwrap()
        .ends_with("× 0.05."));
    twin.scale = 1.0 / 3.0;
    assert!(compare(&page, &twin)
        .scale_note(&en)
        .unwrap()
        .ends_with("× 0.333."));
    // Equal scales, or no CPU work to scale: the same experiment.
    twin.scale = 1.0;
    assert!(compare(&page, &twin).same_experiment());
    let io = |scale| RunRecord {
        scale,
        ..pool_run("io", "w=io&s=conc&io=4", 1_000)
    };
    assert!(compare(&io(1.0), &io(0.1)).same_experiment());
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn a_trace_cpython_wrote_imports_and_compares_with_the_page() {
    use crate::twin::native::{no_python, run_python, scratch_path};
    if no_python("a_trace_cpython_wrote_imports_and_compares_with_the_page") {
        return;
    }
    let query = "w=io&s=conc&io=4&lat=fixed&ms=100";
    let e = decode_str(query).experiment;
    let path = scratch_path("record", "json");
    let program = crate::twin::python(&e);
    let ran = run_python(&program, &["--trace", path.to_str().unwrap()]);
    let text = std::fs::read_to_string(&path);
    let _ = std::fs::remove_file(&path);
    ran.unwrap();
    let python = import(&text.unwrap(), "twin.json").unwrap();
    assert_eq!(python.origin, Origin::Python);
    assert_eq!(python.experiment, e.to_query());
    // Four 100 ms waits overlapping: about four in flight, about 100 ms.
    assert!(
        python.figures.concurrency.unwrap() > 3.0,
        "{:?}",
        python.figures
    );
    let mut page = pool_run("page", query, 100_000);
    page.figures.wall_ms = 100.0;
    let c = compare(&page, &python);
    assert!(c.differing.is_empty(), "same experiment: {:?}", c.differing);
    let ratio = c.speedup_b_over_a.unwrap();
    assert!(
        (0.5..1.01).contains(&ratio),
        "CPython's 100 ms waits against the page's: {ratio}"
    );
}

#[test]
fn hostile_files_are_refused_with_the_reason() {
    let good = pool_run("x", "w=cpu&s=pool&k=2&n=2", 1_000).to_json();
    let cases: Vec<(String, &str)> = vec![
        ("not json".into(), "not a valid Overlap run"),
        ("[1, 2]".into(), "names no schema"),
        (
            r#"{"schema": "<script>alert(1)</script>"}"#.into(),
            "neither",
        ),
        (good.replace("\"version\":1", "\"version\":2"), "version 2"),
        (good.replace("k=2", "k=0"), "cannot run"),
        (good.replace("\"wall_ms\":1.0", "\"wall_ms\":-1.0"), "wall"),
        (
            good.replace("\"spans\":[", "\"spans\":[{\"task\":\"x\"},"),
            "not a valid",
        ),
        ("[".repeat(10_000), "Overlap run"),
        (" ".repeat(MAX_IMPORT_BYTES + 1), "MB"),
    ];
    for (text, reason) in cases {
        let err = import(&text, "f.json").unwrap_err();
        let en = crate::i18n::shipped(crate::Lang::En).expect("catalogue");
        let message = err.message(&en);
        assert!(message.contains(reason), "{message} lacks {reason:?}");
    }
}

#[test]
fn a_name_is_cleaned_and_bounded() {
    assert_eq!(clean_name("  a\u{0}b\nc  ", "x"), "abc");
    assert_eq!(clean_name("\n\t", "fallback"), "fallback");
    assert_eq!(
        clean_name(&"é".repeat(500), "x").chars().count(),
        MAX_NAME_CHARS
    );
    let mut record = pool_run("x", "w=cpu&s=pool&k=2&n=2", 1_000);
    record.name = "<img src=x onerror=alert(1)>".into();
    // Kept as text: the page renders names as text, never as HTML.
    assert_eq!(import(&record.to_json(), "f").unwrap().name, record.name);
}

#[test]
fn the_history_keeps_a_bounded_trace_and_the_runs_own_figures() {
    let mut trace = Trace::new("w=io&s=conc&io=10000");
    for task in 0..10_000 {
        trace.push(ok_span(task, Lane::Main, SpanKind::IoWait, 0, 100_000));
    }
    let record = RunRecord {
        name: "big".into(),
        origin: Origin::Page {
            build: Build::Fallback,
        },
        experiment: "w=io&s=conc&io=10000".into(),
        figures: figures_of_trace(&trace, None),
        trace,
        wait: None,
        scale: 1.0,
        python: None,
        responsiveness: None,
    };
    let kept = record.for_history();
    assert_eq!(kept.trace.spans.len(), HISTORY_SPANS);
    assert_eq!(kept.trace.dropped_spans, 10_000 - HISTORY_SPANS as u64);
    assert_eq!(kept.figures, record.figures);
    let small = pool_run("x", "w=cpu&s=pool&k=2&n=2", 1_000);
    assert_eq!(small.for_history(), small);
}

#[test]
fn a_comparison_gives_differences_the_speed_up_and_the_parameters_that_differ() {
    let slow = pool_run("k=1", "w=cpu&s=pool&k=1&n=2", 200_000);
    let fast = pool_run("k=2", "w=cpu&s=pool&k=2&n=2", 100_000);
    let c = compare(&slow, &fast);
    assert_eq!(c.speedup_b_over_a, Some(2.0));
    assert_eq!(c.differing, vec![(Field::Workers, "1".into(), "2".into())]);
    let wall = c
        .figures
        .iter()
        .find(|d| d.figure == crate::figures::Figure::Wall)
        .unwrap();
    assert_eq!(
        (wall.a, wall.b, wall.difference),
        (Some(200.0), Some(100.0), Some(-100.0))
    );
    let t1 = c
        .figures
        .iter()
        .find(|d| d.figure == crate::figures::Figure::T1)
        .unwrap();
    assert_eq!(t1.difference, None, "no T₁ in either");
}

#[test]
fn new_runs_are_named_after_their_experiment_and_files_after_their_name() {
    let e = decode_str("w=cpu&s=pool&k=2&n=8").experiment;
    let en = crate::i18n::shipped(crate::Lang::En).expect("catalogue");
    let name = default_name(&en, &e);
    assert!(name.contains("k = 2") && name.ends_with("8 CPU"), "{name}");
    assert_eq!(
        default_name(&en, &decode_str("w=io&s=conc&io=5").experiment)
            .matches("k =")
            .count(),
        0
    );
    assert_eq!(file_stem("Pool, k = 2 · 8 CPU"), "pool-k-2-8-cpu");
    assert_eq!(file_stem("<script>"), "script");
    assert_eq!(file_stem("···"), "run");
}

#[test]
fn an_origin_reads_as_it_is_written() {
    for origin in [
        Origin::Python,
        Origin::Page {
            build: Build::Fallback,
        },
    ] {
        let text = serde_json::to_string(&origin).unwrap();
        assert_eq!(serde_json::from_str::<Origin>(&text).unwrap(), origin);
    }
    assert_eq!(
        serde_json::to_string(&Origin::Page {
            build: Build::Threaded
        })
        .unwrap(),
        r#"{"kind":"page","build":"threaded"}"#
    );
    assert!(serde_json::from_str::<Origin>(r#"{"kind":"page"}"#).is_err());
    assert!(serde_json::from_str::<Origin>(r#"{"kind":"elsewhere"}"#).is_err());
}

#[test]
fn a_record_written_before_in_system_reads_its_concurrency_as_in_system() {
    // Two 100 ms waits through a semaphore of one: the second queued for
    // 100 ms. Then, concurrency counted it from its submission: 1.5.
    let query = decode_str("w=io&s=conc&io=2&lat=fixed&ms=100&limit=1")
        .experiment
        .to_query();
    let mut trace = Trace::new(query.clone());
    trace.push(ok_span(0, Lane::Main, SpanKind::IoWait, 0, 100_000));
    trace.push(ok_span(1, Lane::Main, SpanKind::Queued, 0, 100_000));
    trace.push(ok_span(1, Lane::Main, SpanKind::IoWait, 100_000, 200_000));
    let record = RunRecord {
        name: "semaphore".into(),
        origin: Origin::Page {
            build: Build::Threaded,
        },
        experiment: query,
        figures: figures_of_trace(&trace, None),
        trace,
        wait: None,
        scale: 1.0,
        python: None,
        responsiveness: None,
    };
    assert_eq!(
        (record.figures.concurrency, record.figures.in_system),
        (Some(1.0), Some(1.5))
    );
    // Today's file reads back as it was.
    assert_eq!(import(&record.to_json(), "new.json").unwrap(), record);
    // An older file: no in_system, and its concurrency the lifetimes'.
    let older = record.to_json().replace(
        "\"concurrency\":1.0,\"in_system\":1.5",
        "\"concurrency\":1.5",
    );
    assert_ne!(older, record.to_json());
    let back = import(&older, "old.json").unwrap();
    assert_eq!(back.figures, record.figures, "counted again from its spans");
    // Without every span, today's concurrency cannot be counted again.
    let cut = older.replace("\"dropped_spans\":0", "\"dropped_spans\":3");
    let back = import(&cut, "old.json").unwrap();
    assert_eq!(
        (back.figures.concurrency, back.figures.in_system),
        (None, Some(1.5))
    );
    // A negative one is refused like any figure.
    let bad = record
        .to_json()
        .replace("\"in_system\":1.5", "\"in_system\":-1.5");
    let en = crate::i18n::shipped(crate::Lang::En).expect("catalogue");
    let err = import(&bad, "bad.json").unwrap_err();
    assert!(err.message(&en).contains("in_system"), "{err:?}");
}

#[test]
fn a_variation_s_verdict_is_about_the_figure_its_preset_is_about() {
    use crate::record::Responsiveness;
    use crate::report::KeyFigure as K;
    let with_loop = |name: &str, query: &str, lag: f64, frames: u64| RunRecord {
        responsiveness: Some(Responsiveness {
            lag_p95_ms: Some(lag),
            lag_max_ms: Some(lag * 1.5),
            frames_missed: frames,
        }),
        ..pool_run(name, query, 100_000)
    };
    let blocking = with_loop("inline", "w=cpu&s=inline&n=3", 342.0, 40);
    let coop = with_loop("coop", "w=cpu&s=coop&n=3", 0.8, 0);
    let c = compare(&blocking, &coop);
    let h = c
        .headline(Some(&[K::LagP95, K::FramesMissed]))
        .expect("both runs have a lag");
    assert_eq!(
        (h.figure, h.a, h.b, h.b_better),
        (K::LagP95, 342.0, 0.8, Some(true))
    );
    // Lag, its longest block and frames are compared where both runs know them.
    assert_eq!(c.responsiveness.len(), 3);
    assert_eq!(c.responsiveness[2].a, Some(40.0));
    // No preset, or only the wall time named: the verdict stays the wall time's.
    assert_eq!(c.headline(None), None);
    assert_eq!(c.headline(Some(&[K::Wall])), None);
    assert_eq!(c.headline(Some(&[K::Wall, K::LagP95])), None);
    assert_eq!(
        c.headline(Some(&[K::WaitSum, K::FramesMissed]))
            .map(|h| h.figure),
        Some(K::FramesMissed)
    );
    // A twin's trace knows no lag: nothing to say about it.
    let twin = RunRecord {
        origin: Origin::Python,
        responsiveness: None,
        ..pool_run("twin", "w=cpu&s=coop&n=3", 100_000)
    };
    assert!(compare(&blocking, &twin).responsiveness.is_empty());
    assert_eq!(compare(&blocking, &twin).headline(Some(&[K::LagP95])), None);
}
