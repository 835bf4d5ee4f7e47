//! Core's preset table held to its promises: valid experiments and
//! variations, their text in the catalogue, the Python they name, and key
//! figures their runs have.
use overlap_core::experiment::url::{decode_str, differing};
use overlap_core::presets::{by_id, PRESETS};

#[test]
fn every_preset_is_a_valid_experiment_with_a_unique_id() {
    for preset in PRESETS {
        let decoded = decode_str(preset.query);
        assert!(
            decoded.problems.is_empty(),
            "{}: {:?}",
            preset.id,
            decoded.problems
        );
        assert_eq!(PRESETS.iter().filter(|p| p.id == preset.id).count(), 1);
        assert_eq!(by_id(preset.id), Some(&preset));
        for variation in preset.variations {
            let varied = decode_str(variation.query);
            assert!(
                varied.problems.is_empty(),
                "{}: {:?}",
                preset.id,
                varied.problems
            );
            assert!(
                !differing(&decoded.experiment, &varied.experiment).is_empty(),
                "{}: the variation changes nothing",
                preset.id
            );
            assert_eq!(
                preset
                    .variations
                    .iter()
                    .filter(|v| v.id == variation.id)
                    .count(),
                1
            );
        }
    }
}

#[test]
fn every_preset_and_only_they_have_their_text() {
    let text = overlap_core::i18n::shipped(overlap_core::Lang::En).expect("catalogue");
    for preset in PRESETS {
        let explain = text.get(&format!("preset.{}.explain", preset.id));
        assert!(explain.len() > 40, "{}: {explain:?}", preset.id);
        assert!(text.has(&format!("preset.{}.title", preset.id)));
        for variation in preset.variations {
            let key = format!("preset.{}.variation.{}", preset.id, variation.id);
            assert!(text.has(&key), "{key}");
        }
    }
    for key in text.keys().filter(|k| k.starts_with("preset.")) {
        let mut parts = key.split('.');
        let id = parts.nth(1).unwrap_or_default();
        let preset = by_id(id).unwrap_or_else(|| panic!("not a preset's key: {key}"));
        if parts.next() == Some("variation") {
            let variation = parts.next().unwrap_or_default();
            assert!(
                preset.variations.iter().any(|v| v.id == variation),
                "not a variation's key: {key}"
            );
        }
    }
}

#[test]
fn presets_whose_threads_compute_name_their_python_and_offer_the_other() {
    use overlap_core::experiment::{Field, Python};
    let text = overlap_core::i18n::shipped(overlap_core::Lang::En).expect("catalogue");
    let mut seen = 0;
    for preset in PRESETS {
        let e = decode_str(preset.query).experiment;
        if !Field::Python.applies(&e) {
            continue;
        }
        seen += 1;
        assert!(
            preset.query.contains("&py="),
            "{}: says which Python",
            preset.id
        );
        let other = preset.variations.iter().any(|v| {
            let varied = decode_str(v.query).experiment;
            differing(&e, &varied)
                .iter()
                .map(|d| d.0)
                .eq([Field::Python])
        });
        assert!(other, "{}: offers the other build as it is", preset.id);
        let explain = text.get(&format!("preset.{}.explain", preset.id));
        let names = match e.python {
            Python::FreeThreaded => "3.14t",
            Python::Gil => "default build",
        };
        assert!(explain.contains(names), "{}: {explain}", preset.id);
    }
    assert_eq!(seen, 6);
}

#[test]
fn every_preset_leads_with_figures_its_run_has_and_its_lesson_is_about() {
    use overlap_core::report::KeyFigure as K;
    for preset in PRESETS {
        let e = decode_str(preset.query).experiment;
        assert!(!preset.key_figures.is_empty(), "{}", preset.id);
        for f in preset.key_figures {
            assert!(f.applies(&e), "{}: {f:?} does not apply", preset.id);
        }
        let lead = K::lead(Some(preset.key_figures), &e);
        assert_eq!(lead[0], K::Wall, "{}", preset.id);
        assert_eq!(
            lead.len(),
            1 + preset.key_figures.iter().filter(|&&f| f != K::Wall).count()
        );
    }
    let named = |id: &str| by_id(id).map(|p| p.key_figures).unwrap_or_default();
    // The lessons, as the issue names them.
    assert_eq!(
        named("io-concurrent"),
        [K::Wall, K::WaitSum, K::Concurrency]
    );
    for id in ["cpu-blocks", "cooperative", "mistake-blocking-call"] {
        assert_eq!(named(id)[..2], [K::LagP95, K::FramesMissed], "{id}");
    }
    for id in [
        "run-in-executor",
        "process-pool",
        "amdahl",
        "mandelbrot",
        "gil",
    ] {
        assert_eq!(named(id)[..2], [K::Speedup, K::Parallelism], "{id}");
    }
}

#[test]
fn an_experiment_of_the_visitors_own_leads_with_what_its_work_is_about() {
    use overlap_core::report::KeyFigure as K;
    let lead = |q: &str| K::lead(None, &decode_str(q).experiment);
    assert_eq!(
        lead("w=cpu&s=pool&k=2"),
        [K::Wall, K::Speedup, K::Parallelism]
    );
    assert_eq!(
        lead("w=cpu&s=proc&k=2"),
        [K::Wall, K::Speedup, K::Parallelism]
    );
    assert_eq!(
        lead("w=cpu&s=inline"),
        [K::Wall, K::LagP95, K::FramesMissed]
    );
    assert_eq!(lead("w=io&s=conc"), [K::Wall, K::WaitSum, K::Concurrency]);
    assert_eq!(
        lead("w=mixed&s=coop"),
        [K::Wall, K::LagP95, K::FramesMissed]
    );
    // A preset's figure that its experiment, edited, no longer has is left out.
    let cpu = decode_str("w=cpu&s=conc").experiment;
    assert_eq!(
        K::lead(Some(&[K::WaitSum, K::Concurrency]), &cpu),
        [K::Wall, K::Concurrency]
    );
}

#[test]
fn the_chapters_hold_every_preset_once_in_story_order() {
    use overlap_core::presets::{chapter_of, CHAPTERS};
    let mut next = 0;
    for chapter in CHAPTERS {
        assert_eq!(chapter.presets.start, next, "{} leaves a gap", chapter.id);
        assert!(!chapter.presets().is_empty(), "{} is empty", chapter.id);
        assert_eq!(chapter.presets().len(), chapter.presets.len());
        next = chapter.presets.end;
        for p in chapter.presets() {
            assert_eq!(chapter_of(p.id), Some(&chapter));
        }
    }
    assert_eq!(next, PRESETS.len());
    assert_eq!(chapter_of("no-such-preset"), None);
    for lang in [overlap_core::Lang::En, overlap_core::Lang::Fr] {
        let text = overlap_core::i18n::shipped(lang).expect("catalogue");
        for chapter in CHAPTERS {
            assert!(
                text.has(&format!("chapter.{}.title", chapter.id)),
                "{}",
                chapter.id
            );
        }
    }
    // The story's lessons where its chapters say they are.
    assert_eq!(chapter_of("io-concurrent").map(|c| c.id), Some("waiting"));
    assert_eq!(chapter_of("cpu-blocks").map(|c| c.id), Some("blocking"));
    assert_eq!(chapter_of("process-pool").map(|c| c.id), Some("offloading"));
    assert_eq!(chapter_of("gil").map(|c| c.id), Some("gil"));
    assert_eq!(
        chapter_of("mistake-blocking-call").map(|c| c.id),
        Some("mistakes")
    );
}
