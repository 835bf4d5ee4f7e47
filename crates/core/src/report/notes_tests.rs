//! The notes under a run's results say what the run did: each follows its
//! tasks' outcomes, with a singular and a plural in both languages (whole
//! runs on the fake host: `execute/tests/after_wait.rs`).

use super::*;

/// The notes of `r` about its pending tasks, in `text`'s language.
fn pending(r: &RunReport, text: &Catalogue) -> Vec<String> {
    r.notes(text)
        .into_iter()
        .filter(|n| n.kind == NoteKind::Pending)
        .map(|n| n.text)
        .collect()
}

#[test]
fn one_task_is_said_in_the_singular_in_both_languages() {
    // Three CPU tasks: 0 done, 1 pending then cancelled (its worker went on
    // to 80 ms), 2 pending then run on to its result.
    let spans = [
        cpu_span(0, 0, 0, 50),
        cpu_span(1, 1, 0, 80),
        cpu_span(2, 0, 50, 90),
    ];
    let mut i = inputs(experiment(3), 50.0, &spans, Some(200.0));
    i.run.timed_out = true;
    i.run.done = vec![settled(0, Outcome::Ok)];
    i.run.late = [(1, Outcome::Cancelled), (2, Outcome::Ok)]
        .map(|(t, o)| TaskResult {
            pending_at_return: true,
            ..settled(t, o)
        })
        .to_vec();
    let r = build(i);
    assert_eq!(
        pending(&r, &en()),
        [
            "1 task had not finished when the wait returned: it was cancelled.",
            "1 of the cancelled tasks was already computing, and its worker went on after \
             the wait returned, until 80.0 ms.",
            "1 task had not finished when the wait returned and ran on to its result.",
        ]
    );
    assert_eq!(
        pending(&r, &fr()),
        [
            "1 tâche n’était pas terminée au retour de l’attente : elle a été annulée.",
            "1 des tâches annulées calculait déjà, et son worker a continué après le retour \
             de l’attente, jusqu’à 80,0 ms.",
            "1 tâche n’était pas terminée au retour de l’attente et a continué jusqu’à son \
             résultat.",
        ]
    );
    // The same run failing its pending task instead.
    let mut r = r;
    r.tasks[2].outcome = Outcome::Error;
    assert_eq!(
        pending(&r, &en())[2],
        "1 task had not finished when the wait returned, ran on and failed."
    );
    // A trace that left spans out cannot tell which worker went on.
    r.trace.dropped_spans = 1;
    assert_eq!(pending(&r, &en()).len(), 2);
    assert!(r
        .notes(&en())
        .iter()
        .any(|n| n.kind == NoteKind::DroppedSpans && n.text.contains("left out 1;")));
}

#[test]
fn t1_and_the_announcement_count_their_tasks_in_each_language() {
    let t1 = |tasks: u32, text: &Catalogue| {
        let r = build(inputs(experiment(tasks), 10.0, &[], Some(12.0)));
        let notes = r.notes(text);
        assert_eq!(notes[0].kind, NoteKind::T1);
        (notes[0].text.clone(), r.announcement(text))
    };
    let (one, announced) = t1(1, &en());
    assert!(
        one.starts_with(
            "T₁ = 12.0 ms: the same CPU task, run on its own on one pool worker, the kind of thread this run computed on, measured 5.0 s"
        ),
        "{one}"
    );
    assert!(
        announced.ends_with("; 0 tasks ok, 0 failed, 1 cancelled."),
        "{announced}"
    );
    let (two, _) = t1(2, &en());
    assert!(
        two.starts_with(
            "T₁ = 12.0 ms: the same 2 CPU tasks, run one after another on one pool worker"
        ),
        "{two}"
    );
    let (un, annonce) = t1(1, &fr());
    assert!(
        un.starts_with("T₁ = 12,0 ms : la même tâche de calcul, exécutée seule sur un seul worker"),
        "{un}"
    );
    // French puts 0 in the singular too.
    assert!(
        annonce.ends_with(" ; 0 tâche réussie, 0 en échec, 1 annulée."),
        "{annonce}"
    );
    let (deux, _) = t1(2, &fr());
    assert!(
        deux.contains("les mêmes 2 tâches de calcul, exécutées l’une après l’autre"),
        "{deux}"
    );
}

#[test]
fn numbers_in_the_notes_and_the_announcement_are_written_in_the_page_language() {
    let r = build(inputs(experiment(200), 2_276.04, &[], Some(4_321.0)));
    let (t1, announced) = (r.notes(&en())[0].text.clone(), r.announcement(&en()));
    assert!(
        t1.starts_with("T₁ = 4321.0 ms: the same 200 CPU tasks"),
        "{t1}"
    );
    assert!(announced.contains("2276 ms"), "{announced}");
    let (t1, announced) = (r.notes(&fr())[0].text.clone(), r.announcement(&fr()));
    assert!(
        t1.starts_with("T₁ = 4\u{202F}321,0 ms : les mêmes 200 tâches de calcul"),
        "{t1}"
    );
    assert!(t1.contains(" 5,0 s "), "{t1}");
    assert!(announced.contains("2\u{202F}276 ms"), "{announced}");
    assert!(!announced.contains("2276"), "{announced}");
}

#[test]
fn a_run_that_left_nothing_pending_says_nothing_of_it() {
    let mut i = inputs(experiment(2), 100.0, &[], None);
    i.run.done = vec![settled(1, Outcome::Ok), settled(0, Outcome::Ok)];
    let r = build(i);
    let kinds: Vec<NoteKind> = r.notes(&en()).iter().map(|n| n.kind).collect();
    // No T₁ given, a speed-up without it: why, and the model.
    assert_eq!(
        kinds,
        [NoteKind::NoSpeedup, NoteKind::Python, NoteKind::Model]
    );
    assert!(pending(&r, &fr()).is_empty());
}

#[test]
fn every_run_says_which_python_it_shows_or_why_the_build_makes_no_difference() {
    use crate::experiment::url::decode_str;
    use crate::report::notes::python_note;
    let says = |q: &str, text: &Catalogue| python_note(text, &decode_str(q).experiment);
    for (query, words) in [
        ("w=cpu&s=pool&py=ft", "3.14t"),
        ("w=cpu&s=par&py=ft", "3.14t"),
        ("w=cpu&s=pool&py=gil&switch=7", "every 7 ms"),
        ("w=cpu&s=thread", "with the GIL"),
        ("w=cpu&s=proc", "Each process runs its own interpreter"),
        ("w=io&s=thread", "releases the GIL"),
        ("w=io&s=conc", "one thread"),
        ("w=cpu&s=inline", "one thread"),
    ] {
        let note = says(query, &en());
        assert!(note.contains(words), "{query}: {note}");
        assert!(note.starts_with("Python"), "{query}: {note}");
    }
    assert!(says("w=cpu&s=pool&py=ft", &en()).contains("no free-threaded build was run"));
    assert!(says("w=cpu&s=pool&py=gil", &fr()).contains("avec le GIL"));
}
