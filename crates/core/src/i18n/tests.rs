//! The catalogues: one key set in both languages, and the messages core
//! formats from them.
use super::*;
use crate::experiment::url::decode_str;

fn en() -> Catalogue {
    shipped(Lang::En).expect("the English catalogue reads")
}

fn fr() -> Catalogue {
    shipped(Lang::Fr).expect("the French catalogue reads")
}

#[test]
fn both_catalogues_have_the_same_keys_with_the_same_placeholders() {
    let (en, fr) = (en(), fr());
    let only_en: Vec<&str> = en.keys().filter(|k| !fr.has(k)).collect();
    let only_fr: Vec<&str> = fr.keys().filter(|k| !en.has(k)).collect();
    assert!(only_en.is_empty(), "keys without French: {only_en:?}");
    assert!(only_fr.is_empty(), "keys without English: {only_fr:?}");
    for (key, value) in en.entries() {
        let french = fr.get(key);
        assert_eq!(
            placeholders(value),
            placeholders(&french),
            "{key}: the placeholders differ"
        );
    }
    assert!(en.keys().count() > 100, "the catalogue is the page's text");
}

#[test]
fn french_is_written_out_rather_than_copied() {
    // Entries may legitimately be equal (a code name, a unit); most are not.
    let (en, fr) = (en(), fr());
    let same: Vec<&str> = en.keys().filter(|k| en.get(k) == fr.get(k)).collect();
    assert!(
        same.len() * 10 < en.keys().count(),
        "too many entries identical in both languages: {same:?}"
    );
}

#[test]
fn a_catalogue_file_is_read_strictly() {
    let c =
        Catalogue::parse(Lang::En, "# note\n\na.b = one {n}\nc = two\\nlines\n").expect("reads");
    assert_eq!(c.get("a.b"), "one {n}");
    assert_eq!(c.get("c"), "two\nlines");
    assert_eq!(c.fill("a.b", &[("n", &3)]), "one 3");
    assert_eq!(c.get("missing"), "‹missing›");
    assert_eq!(
        Catalogue::parse(Lang::En, "a = 1\nb 2\n"),
        Err(CatalogueError::Malformed { line: 2 })
    );
    assert_eq!(
        Catalogue::parse(Lang::En, "a = 1\na = 2\n"),
        Err(CatalogueError::Duplicate { key: "a".into() })
    );
    assert_eq!(
        Catalogue::parse(Lang::En, "A = 1\n"),
        Err(CatalogueError::Malformed { line: 1 })
    );
}

#[test]
fn the_pseudo_language_marks_every_entry_and_keeps_placeholders() {
    let c = Catalogue::parse(Lang::En, "a = x {n} y\nb = l1\\nl2\n").expect("reads");
    let p = Catalogue::pseudo(&c);
    assert_eq!(p.fill("a", &[("n", &5)]), "⟦x 5 y⟧");
    assert_eq!(p.get("b"), "⟦l1⟧\n⟦l2⟧");
}

#[test]
fn fill_leaves_unknown_placeholders_and_braces_alone() {
    assert_eq!(fill_template("{a} {b} {", &[("a", &1)]), "1 {b} {");
    assert_eq!(placeholders("{x}, {y} and {x} {"), vec!["x", "y"]);
}

#[test]
fn every_field_choice_and_problem_has_its_entry() {
    use crate::experiment::*;
    for text in [en(), fr()] {
        for f in Field::ALL {
            assert!(text.has(&format!("field.{}", f.key())), "{f:?}");
        }
        for s in Strategy::ALL {
            assert!(text.has(&format!("strategy.{}", s.token())), "{s:?}");
        }
        for w in Workload::ALL {
            assert!(text.has(&format!("workload.{}", w.token())));
        }
        for a in AfterWait::ALL {
            assert!(text.has(&format!("after.{}", a.token())));
        }
        for a in Awaiting::ALL {
            assert!(text.has(&format!("by.{}", a.token())));
        }
        for n in Neglect::ALL {
            assert!(text.has(&format!("neglect.{}", n.token())));
        }
    }
}

#[test]
fn a_k_larger_than_the_pool_is_said_plainly() {
    let (en, fr) = (en(), fr());
    let note = queue_note(&en, Strategy::Pool, 6, 2).expect("k > threads");
    assert!(note.contains("at most 2 tasks compute at once"), "{note}");
    assert!(note.contains("max_workers=6"), "{note}");
    assert!(queue_note(&fr, Strategy::DataParallel, 4, 2)
        .expect("split")
        .contains("2 d’entre eux"));
    assert_eq!(queue_note(&en, Strategy::Pool, 2, 2), None);
    assert_eq!(queue_note(&en, Strategy::ConcurrentAwait, 8, 2), None);
    assert_eq!(
        queue_note(&en, Strategy::Pool, 8, 0),
        None,
        "no pool yet: nothing to compare"
    );
}

#[test]
fn the_editor_never_claims_a_value_is_used_in_its_place() {
    let (en, fr) = (en(), fr());
    for key in en
        .keys()
        .filter(|k| k.starts_with("problem.") && *k != "problem.todo")
    {
        let (e, f) = (editor_template(&en, key), editor_template(&fr, key));
        assert_ne!(e, f);
        assert_eq!(placeholders(&e), placeholders(&f), "{key}");
        assert!(!e.contains("instead") && !e.contains("lowered"), "{e}");
    }
}

#[test]
fn messages_leave_no_placeholder_behind() {
    let d = decode_str("k=99&size=-1&fail=inf&s=x&zz=1&k=2&n=q&spread=500&ms=10");
    let mut with_memory = d.problems.clone();
    with_memory.push(Problem::new(
        Field::Size,
        ProblemKind::OverMemory {
            needed: 600 << 20,
            limit: 320 << 20,
        },
    ));
    assert_eq!(with_memory.len(), 9);
    for text in [en(), fr()] {
        for p in &with_memory {
            for m in [p.message(&text), p.editor_message(&text)] {
                assert!(
                    !m.contains('{') && !m.contains('}') && !m.contains('‹'),
                    "{m}"
                );
            }
        }
    }
}

#[test]
fn messages_read_naturally() {
    let (en, fr) = (en(), fr());
    let p = Problem::new(
        Field::Workers,
        ProblemKind::AboveMax {
            max: 64.0,
            got: 100.0,
        },
    );
    assert_eq!(
        p.message(&en),
        "Workers (k) must be at most 64 (it was 100); 64 is used instead."
    );
    assert_eq!(
        p.message(&fr),
        "Le nombre de workers (k) doit valoir au plus 64 (valeur reçue : 100) ; 64 est utilisé à la place."
    );
    let p = Problem::new(
        Field::FailureRate,
        ProblemKind::AboveMax { max: 1.0, got: 1.5 },
    );
    assert!(p.message(&fr).contains("1,5"));
    assert_eq!(Lang::from_tag("fr-CA"), Lang::Fr);
    assert_eq!(Lang::from_tag("de"), Lang::En);
}
