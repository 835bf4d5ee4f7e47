//! Catalogues complete in both languages, and the notes the page shows.
use super::*;

#[test]
fn a_k_larger_than_the_pool_is_said_plainly() {
    let note = queue_note(Lang::En, Strategy::Pool, 6, 2).expect("k > threads");
    assert!(note.contains("at most 2 tasks compute at once"), "{note}");
    assert!(note.contains("max_workers=6"), "{note}");
    assert!(queue_note(Lang::Fr, Strategy::DataParallel, 4, 2)
        .expect("split")
        .contains("2 d’entre eux"));
    assert_eq!(queue_note(Lang::En, Strategy::Pool, 2, 2), None);
    assert_eq!(queue_note(Lang::En, Strategy::ConcurrentAwait, 8, 2), None);
    assert_eq!(
        queue_note(Lang::En, Strategy::Pool, 8, 0),
        None,
        "no pool yet: nothing to compare"
    );
}
use crate::experiment::url::decode_str;

fn placeholders(t: &str) -> Vec<&str> {
    let mut v: Vec<&str> = t
        .split('{')
        .skip(1)
        .filter_map(|s| s.split('}').next())
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

#[test]
fn both_catalogues_have_every_key_with_the_same_placeholders() {
    for key in MessageKey::ALL {
        let (en, fr) = (template(Lang::En, key), template(Lang::Fr, key));
        assert!(!en.is_empty() && !fr.is_empty());
        assert_ne!(en, fr);
        assert_eq!(placeholders(en), placeholders(fr), "{key:?}");
        let (en, fr) = (
            editor_template(Lang::En, key),
            editor_template(Lang::Fr, key),
        );
        assert_ne!(en, fr);
        assert_eq!(placeholders(&en), placeholders(&fr), "{key:?}");
        // The editor never claims a value is used in its place: Run is off.
        assert!(!en.contains("instead") && !en.contains("lowered"), "{en}");
    }
    for f in Field::ALL {
        assert_ne!(field_label(Lang::En, f), field_label(Lang::Fr, f), "{f:?}");
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
    for lang in Lang::ALL {
        for p in &with_memory {
            for m in [p.message(lang), p.editor_message(lang)] {
                assert!(!m.contains('{') && !m.contains('}'), "{m}");
            }
        }
    }
}

#[test]
fn messages_read_naturally() {
    let p = Problem::new(
        Field::Workers,
        ProblemKind::AboveMax {
            max: 64.0,
            got: 100.0,
        },
    );
    assert_eq!(
        p.message(Lang::En),
        "Workers (k) must be at most 64 (it was 100); 64 is used instead."
    );
    assert_eq!(
        p.message(Lang::Fr),
        "Le nombre de workers (k) doit valoir au plus 64 (valeur reçue : 100) ; 64 est utilisé à la place."
    );
    let p = Problem::new(
        Field::FailureRate,
        ProblemKind::AboveMax { max: 1.0, got: 1.5 },
    );
    assert!(p.message(Lang::Fr).contains("1,5"));
    assert_eq!(Lang::from_tag("fr-CA"), Lang::Fr);
    assert_eq!(Lang::from_tag("de"), Lang::En);
}
