//! The catalogues: one key set in both languages, read strictly.
use super::*;

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
        for p in Python::ALL {
            assert!(text.has(&format!("python.{}", p.token())));
        }
        for m in ProcessStart::ALL {
            assert!(text.has(&format!("start.{}", m.token())));
        }
    }
}

#[test]
fn the_json_the_page_reads_gives_the_same_catalogue() {
    for c in [en(), fr(), Catalogue::pseudo(&en())] {
        let json = c.to_json();
        assert_eq!(Catalogue::from_json(&json).expect("reads"), c);
        assert!(json.starts_with(&format!(r#"{{"lang":"{}","entries":{{"#, c.lang().tag())));
    }
    // Line breaks are the reader's (`\n` in a file), not the page's to undo.
    let c = Catalogue::parse(Lang::Fr, "a = un\\ndeux").unwrap();
    assert_eq!(c.to_json(), r#"{"lang":"fr","entries":{"a":"un\ndeux"}}"#);
    assert!(Catalogue::from_json(r#"{"lang":"de","entries":{}}"#).is_err());
    assert!(Catalogue::from_json("a = b").is_err());
}

#[test]
fn a_count_takes_the_singular_by_each_languages_rule() {
    // English: only 1 is singular; French: 0 and 1.
    let forms = |lang: Lang| [0, 1, 2, 1_000].map(|n| lang.plural(n));
    assert_eq!(forms(Lang::En), ["other", "one", "other", "other"]);
    assert_eq!(forms(Lang::Fr), ["one", "one", "other", "other"]);
    let en = Catalogue::parse(Lang::En, "t.one = {n} task\nt.other = {n} tasks\n").unwrap();
    let fr = Catalogue::parse(Lang::Fr, "t.one = {n} tâche\nt.other = {n} tâches\n").unwrap();
    let say = |c: &Catalogue, n: u64| c.fill_count("t", n, &[("n", &n)]);
    assert_eq!(
        [say(&en, 0), say(&en, 1), say(&en, 2)],
        ["0 tasks", "1 task", "2 tasks"]
    );
    assert_eq!(
        [say(&fr, 0), say(&fr, 1), say(&fr, 2)],
        ["0 tâche", "1 tâche", "2 tâches"]
    );
    // The pseudo-language keeps its source's rule.
    assert_eq!(say(&Catalogue::pseudo(&fr), 0), "⟦0 tâche⟧");
}

#[test]
fn every_counted_sentence_has_both_forms_and_none_says_s_in_brackets() {
    for text in [en(), fr()] {
        for (key, value) in text.entries() {
            assert!(
                !value.contains("(s)"),
                "{key}: “(s)” instead of a singular and a plural"
            );
            // The singular may leave the count out (“1 worker”, “the same
            // CPU task”) where it is never 0, which French words as one too.
            if let Some(stem) = key.strip_suffix(".other") {
                let one = text.get(&format!("{stem}.one"));
                assert!(text.has(&format!("{stem}.one")), "{key} without its .one");
                let other = placeholders(value);
                assert!(
                    placeholders(&one).iter().all(|p| other.contains(p)),
                    "{stem}.one has a placeholder {key} lacks"
                );
            }
        }
    }
}

#[test]
fn english_numbers_read_as_format_writes_them() {
    let en = Lang::En;
    assert_eq!(en.number(2276.0, 1), "2276.0");
    assert_eq!(en.number(1.934, 2), "1.93");
    assert_eq!(en.number(-3.26, 1), "-3.3");
    assert_eq!(en.number(1234.5, 0), "1234");
    assert_eq!(en.signed(4.2, 0), "+4");
    assert_eq!(en.signed(-0.34, 1), "-0.3");
    assert_eq!(en.ratio(1.914, 2), "1.91×");
    assert_eq!(en.integer(0), "0");
    assert_eq!(en.integer(999), "999");
    assert_eq!(en.integer(1_000), "1,000");
    assert_eq!(en.integer(12_345_678), "12,345,678");
    assert_eq!(en.shortest(0.5), "0.5");
    assert_eq!(en.shortest(20_000.0), "20000");
    assert_eq!(en.trimmed(1.5, 3), "1.5");
    assert_eq!(en.trimmed(2.0, 3), "2");
    assert_eq!(en.trimmed(250.0, 0), "250");
    assert_eq!(en.trimmed(1950.0, 3), "1950");
    assert_eq!(en.given(20_000.0), "20,000");
    assert_eq!(en.given(0.5), "0.5");
    assert_eq!(en.given(-1.0), "-1");
    // The same rounding as format!, whatever the value.
    for v in [0.05, 0.25, 0.35, 2.675, -0.05, 1e-9, 123_456.789_5, -0.0] {
        for d in 0..4 {
            assert_eq!(en.number(v, d), format!("{v:.d$}"), "{v} to {d}");
        }
    }
}

#[test]
fn french_numbers_have_a_decimal_comma_and_narrow_spaces() {
    let fr = Lang::Fr;
    assert_eq!(fr.number(2276.0, 1), "2\u{202F}276,0");
    assert_eq!(fr.number(1.914, 2), "1,91");
    assert_eq!(fr.ratio(1.914, 2), "1,91\u{202F}×");
    assert_eq!(fr.number(999.94, 1), "999,9");
    assert_eq!(fr.number(999.96, 1), "1\u{202F}000,0");
    assert_eq!(fr.number(-12_345.678, 2), "-12\u{202F}345,68");
    assert_eq!(fr.number(1_234_567.0, 0), "1\u{202F}234\u{202F}567");
    assert_eq!(fr.number(0.05, 1), "0,1");
    assert_eq!(fr.number(0.25, 1), "0,2");
    assert_eq!(fr.signed(4.2, 0), "+4");
    assert_eq!(fr.signed(-1.25, 1), "-1,2");
    assert_eq!(fr.integer(999), "999");
    assert_eq!(fr.integer(20_000), "20\u{202F}000");
    assert_eq!(fr.shortest(0.5), "0,5");
    assert_eq!(fr.shortest(20_000.0), "20\u{202F}000");
    assert_eq!(fr.trimmed(1.5, 3), "1,5");
    assert_eq!(fr.trimmed(1.0, 3), "1");
    assert_eq!(fr.trimmed(1250.0, 3), "1\u{202F}250");
    assert_eq!(fr.given(20_000.0), "20\u{202F}000");
    assert_eq!(fr.given(2.5), "2,5");
}

#[test]
fn numbers_that_are_not_finite_never_panic() {
    for lang in Lang::ALL {
        for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            for d in 0..3 {
                assert_eq!(lang.number(v, d), format!("{v:.d$}"));
                assert_eq!(lang.signed(v, d), format!("{v:+.d$}"));
                assert_eq!(lang.trimmed(v, d), format!("{v:.d$}"));
            }
            assert_eq!(lang.shortest(v), format!("{v}"));
            assert_eq!(lang.given(v), format!("{v}"));
        }
        assert_eq!(
            lang.integer(u64::MAX)
                .chars()
                .filter(char::is_ascii_digit)
                .count(),
            20
        );
        assert!(lang.number(f64::MAX, 1).len() > 300);
    }
}
