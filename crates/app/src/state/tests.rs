use super::*;
use overlap_core::execute::{execute, RunOptions};
use overlap_core::experiment::{Strategy, Workload};
use overlap_core::host::fake::FakeHost;
use overlap_core::predict::Device;
use overlap_core::report::{build, Inputs, ProbeSamples};
use overlap_core::ProblemKind;

#[test]
fn editing_a_field_out_of_range_shows_the_problem_keeps_the_text_and_disables_run() {
    let s = Playground::default().apply(Action::Edit(Field::Workers, "0".into()));
    assert_eq!(
        s.text(Field::Workers),
        "0",
        "the typed text is kept, not clamped"
    );
    let problems: Vec<_> = s.problems_of(Field::Workers).collect();
    assert_eq!(problems.len(), 1);
    assert!(matches!(problems[0].kind, ProblemKind::BelowMin { .. }));
    assert!(s.runnable().is_none());
    assert!(
        s.query().contains("k=0"),
        "the address bar keeps the typo: {}",
        s.query()
    );
    let fixed = s.apply(Action::Edit(Field::Workers, "3".into()));
    assert!(fixed.problems.is_empty());
    assert_eq!(fixed.runnable().unwrap().workers, 3);
}

#[test]
fn garbage_text_is_a_problem_not_a_panic() {
    for text in ["", "abc", "-1", "1e99", "9999999999999", "½", "%zz"] {
        let s = Playground::default().apply(Action::Edit(Field::CpuTasks, text.into()));
        assert!(s.runnable().is_none(), "{text:?} was accepted");
        assert!(s.problems_of(Field::CpuTasks).count() >= 1);
    }
}

#[test]
fn a_preset_replaces_the_experiment_and_editing_leaves_the_preset() {
    let s = Playground::default().apply(Action::Preset("run-in-executor"));
    assert_eq!(s.preset, Some("run-in-executor"));
    assert_eq!(s.experiment.strategy, Strategy::Pool);
    assert_eq!(s.experiment.workers, 2);
    assert_eq!(s.text(Field::Workers), "2");
    let edited = s.apply(Action::Edit(Field::Workers, "1".into()));
    assert_eq!(edited.preset, None);
    // n = 8 is the default, so the short form leaves it out.
    assert_eq!(edited.query(), "w=cpu&s=pool&py=ft&size=1000&k=1");
    // The story stays, with what was changed from it.
    assert_eq!(edited.story, Some("run-in-executor"));
    assert_eq!(
        edited.changed_from_story(),
        vec![(Field::Workers, "2".into(), "1".into())]
    );
    assert!(s.changed_from_story().is_empty());
    // The editor's text as typed, not the value the run would use.
    let zero = s.apply(Action::Edit(Field::Workers, "0".into()));
    assert_eq!(
        zero.changed_from_story(),
        vec![(Field::Workers, "2".into(), "0".into())]
    );
    // A link starts no story.
    assert_eq!(edited.apply(Action::Load("w=io".into())).story, None);
}

#[test]
fn the_variation_keeps_the_story_and_says_what_it_changed() {
    let s = Playground::default().apply(Action::Preset("io-concurrent"));
    let varied = s.apply(Action::Variation(0));
    assert_eq!(varied.story, Some("io-concurrent"));
    assert_eq!(varied.preset, None);
    assert_eq!(varied.experiment.strategy, Strategy::SequentialAwait);
    assert_eq!(
        varied.changed_from_story(),
        vec![(Field::Strategy, "conc".into(), "seq".into())]
    );
    // A variation the preset does not offer leaves the playground as it was.
    let one = Playground::default().apply(Action::Preset("wait-timeout"));
    assert_eq!(one.apply(Action::Variation(0)).query(), one.query());
    assert_eq!(s.apply(Action::Variation(1)).query(), s.query());
    // The second variation of a preset whose threads compute: the other Python.
    let pool = Playground::default().apply(Action::Preset("run-in-executor"));
    let gil = pool.apply(Action::Variation(1));
    assert_eq!(gil.story, Some("run-in-executor"));
    assert_eq!(
        gil.changed_from_story(),
        vec![(Field::Python, "ft".into(), "gil".into())]
    );
}

#[test]
fn a_tampered_link_lists_its_problems_and_continues_with_the_nearest_valid_experiment() {
    let s = Playground::default().apply(Action::Load(
        "?w=io&s=conc&io=99999999&bogus=1&ms=<script>".into(),
    ));
    assert_eq!(s.experiment.workload, Workload::Io);
    assert_eq!(s.experiment.io_tasks, 100_000, "clamped to the bound");
    assert_eq!(s.link_problems.len(), 3, "{:?}", s.link_problems);
    assert!(
        s.runnable().is_some(),
        "the nearest valid experiment can run"
    );
    assert_eq!(s.text(Field::IoTasks), "100000");
}

#[test]
fn url_round_trips_through_the_state() {
    let s = Playground::default().apply(Action::Preset("wait-first-completed"));
    let reloaded = Playground::default().apply(Action::Load(s.query()));
    assert_eq!(reloaded.experiment, s.experiment);
    assert!(reloaded.link_problems.is_empty());
}

#[test]
fn the_fallback_runs_cpu_presets_on_the_process_pool_and_refuses_the_thread_pool() {
    let fallback = Playground::for_build(Build::Fallback);
    assert_eq!(fallback.experiment.strategy, Strategy::ProcessPool);
    let s = fallback.apply(Action::Preset("run-in-executor"));
    assert_eq!(s.experiment.strategy, Strategy::ProcessPool);
    assert_eq!(s.experiment.workers, 2, "k is kept");
    assert_eq!(s.text(Field::Strategy), "proc");
    assert_eq!(s.adapted.len(), 1);
    assert!(s.runnable().is_some());
    // Choosing a thread-pool strategy for CPU work is refused with the reason.
    let edited = s.apply(Action::Edit(Field::Strategy, "pool".into()));
    assert!(edited.adapted.is_empty());
    assert!(edited.runnable().is_none());
    let problems: Vec<_> = edited.problems_of(Field::Strategy).collect();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].kind, ProblemKind::NeedsSharedMemory);
    // A link is adapted and says so with the link's problems.
    let linked = fallback.apply(Action::Load("?w=cpu&s=gil&k=2".into()));
    assert_eq!(linked.experiment.strategy, Strategy::ProcessPool);
    assert_eq!(linked.link_problems.len(), 1);
    // Waits need no shared memory: an I/O preset is left as it is.
    let io = fallback.apply(Action::Preset("to-thread"));
    assert!(io.adapted.is_empty());
    assert_eq!(io.experiment.strategy, Strategy::ToThread);
}

#[test]
fn every_preset_can_run_in_the_fallback() {
    for preset in presets::PRESETS {
        let s = Playground::for_build(Build::Fallback).apply(Action::Preset(preset.id));
        assert!(s.runnable().is_some(), "{}: {:?}", preset.id, s.problems);
        assert!(Build::Fallback.problem(&s.experiment).is_none());
        assert_eq!(
            s.adapted.is_empty(),
            Build::Fallback
                .problem(&decode_str(preset.query).experiment)
                .is_none(),
            "{}",
            preset.id
        );
    }
}

#[test]
fn a_guess_is_fixed_when_the_run_starts() {
    let s = Playground::default().apply(Action::Guess("450".into(), Lang::En));
    assert_eq!(s.run_guess, None);
    let running = s.apply(Action::RunStarted);
    assert_eq!(running.run_guess, Some(450.0));
    let retyped = running.apply(Action::Guess("abc".into(), Lang::En));
    assert_eq!(
        retyped.run_guess,
        Some(450.0),
        "the run keeps the guess it started with"
    );
    assert_eq!(retyped.apply(Action::RunStarted).run_guess, None);
}

#[test]
fn run_and_sweep_transitions() {
    let s = Playground::default().apply(Action::RunStarted);
    assert!(s.busy());
    let s = s.apply(Action::RunEnded {
        ending: Ending::Failed {
            message: "worker lost".into(),
            spans: Rc::new(Vec::new()),
        },
        drawing: DrawingCost::default(),
        beside: None,
    });
    assert!(!s.busy());
    assert!(matches!(s.run, RunPhase::Failed(ref m) if m == "worker lost"));
    let s = s
        .apply(Action::SweepStarted {
            max_k: 2,
            threads: 2,
        })
        .apply(Action::SweepPoint(1, 100.0));
    assert!(s.busy());
    let s = s.apply(Action::SweepEnded(Some("cancelled".into())));
    assert!(!s.busy());
    let sweep = s.sweep.unwrap();
    assert_eq!(sweep.points, vec![(1, vec![100.0])]);
    assert_eq!(sweep.stopped.as_deref(), Some("cancelled"));
}

#[test]
fn a_sweep_keeps_every_run_of_each_k() {
    let s = Playground::default()
        .apply(Action::SweepStarted {
            max_k: 2,
            threads: 2,
        })
        .apply(Action::SweepPoint(1, 100.0))
        .apply(Action::SweepPoint(2, 60.0))
        .apply(Action::SweepPoint(1, 90.0))
        .apply(Action::SweepPoint(2, 70.0));
    let sweep = s.sweep.unwrap();
    assert_eq!(
        sweep.points,
        vec![(1, vec![100.0, 90.0]), (2, vec![60.0, 70.0])]
    );
    assert_eq!(sweep.threads, 2);
    assert_eq!((sweep.runs, sweep.repeats), (4, SWEEP_REPEATS));
}

/// A finished run of `query` on the fake host, as the page keeps it.
fn finished(query: &str) -> (Rc<RunReport>, Rc<RunRecord>) {
    let e = ValidExperiment::new(decode_str(query).experiment).expect("valid");
    let host = FakeHost::new().with_pool_threads(2);
    let device = Device {
        calibration: None,
        pool_threads: 2,
        cores: 2,
        yield_overhead_us: 0,
    };
    let h = host.clone();
    let run = host
        .block_on(async move { execute(h, &e, &device, RunOptions::default()).await })
        .expect("the run ends");
    let report = build(Inputs {
        run,
        samples: ProbeSamples::default(),
        yield_overhead_us: None,
        pool_threads: 2,
        t1: None,
        t1_tasks_ms: Vec::new(),
    });
    let record = RunRecord::of_report(&report, Build::Threaded, "run");
    (Rc::new(report), Rc::new(record))
}

#[test]
fn a_run_its_prediction_replay_and_variation_live_in_the_state() {
    let (report, record) = finished("w=io&s=conc&io=4&lat=fixed&ms=10");
    let started = Playground::default()
        .apply(Action::Cursor(5))
        .apply(Action::RunStarted);
    assert_eq!(
        started.cursor, None,
        "a new run starts with no replay cursor"
    );
    assert!(started.prediction.is_none() && started.pair.is_none());
    let prediction = Rc::new(overlap_core::predict::predict_run(
        &report.experiment,
        &Device {
            calibration: None,
            pool_threads: 2,
            cores: 2,
            yield_overhead_us: 0,
        },
    ));
    let predicted = started.apply(Action::Predicted(prediction.clone()));
    assert!(predicted.prediction.is_some());
    let first = Rc::new(record.as_ref().clone());
    let done = predicted.apply(Action::RunEnded {
        ending: Ending::Done {
            report: report.clone(),
            record: record.clone(),
        },
        drawing: DrawingCost::default(),
        beside: Some(first.clone()),
    });
    assert!(matches!(done.run, RunPhase::Done(_)));
    assert_eq!(done.snapshot.len(), report.trace.spans.len());
    assert!(!done.snapshot.is_empty());
    assert!(done.drawing.is_some());
    assert!(done.latest.is_some());
    let (a, b) = done
        .pair
        .clone()
        .expect("the variation is kept beside its run");
    assert!(Rc::ptr_eq(&a, &first) && Rc::ptr_eq(&b, &record));
    let moved = done.apply(Action::Cursor(1_000));
    assert_eq!(moved.cursor, Some(1_000));
    // Choosing a preset drops the pair; a new run drops the cursor.
    let chosen = moved.apply(Action::Preset(presets::PRESETS[0].id));
    assert!(chosen.pair.is_none());
    assert!(
        chosen.latest.is_some(),
        "the last run stays for the history"
    );
    assert_eq!(moved.apply(Action::RunStarted).cursor, None);
}
