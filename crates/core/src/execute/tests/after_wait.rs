//! What happens to the tasks `wait` left pending: Python's cancel, letting
//! them finish, and Overlap's own stop.

use super::*;
use crate::experiment::AfterWait;

/// A 1 ms wait and two pool tasks of 4 ms: FIRST_COMPLETED returns at 1 ms
/// with both tasks running.
fn running_when_wait_returns(after_wait: AfterWait) -> Execution {
    let host = FakeHost::new();
    let e = Experiment {
        workload: Workload::Mixed,
        io_tasks: 1,
        latency: Latency::Fixed,
        latency_ms: 1,
        spread_ms: 0,
        size: 400,
        return_when: ReturnWhen::FirstCompleted,
        after_wait,
        ..cpu(Strategy::Pool, 2, 2)
    };
    run(&host, e)
}

fn outcomes(x: &Execution) -> Vec<(u32, Outcome)> {
    let mut all: Vec<(u32, Outcome)> = x
        .done
        .iter()
        .chain(&x.late)
        .map(|s| (s.task, s.outcome))
        .collect();
    all.sort_by_key(|t| t.0);
    all
}

/// The end of the last CPU span of `task`, ms.
fn cpu_end_ms(x: &Execution, task: u32) -> f64 {
    x.trace
        .spans
        .iter()
        .filter(|s| s.task == task && s.kind == SpanKind::Cpu)
        .map(|s| s.end_us as f64 / 1000.0)
        .fold(0.0, f64::max)
}

#[test]
fn cancelling_the_pending_lets_running_executor_jobs_run_to_their_end() {
    let x = running_when_wait_returns(AfterWait::CancelPending);
    assert!(close(x.wall_ms, 1.0), "wall {}", x.wall_ms);
    // Python: the futures are cancelled, the threads go on to the end (4 ms).
    assert_eq!(
        outcomes(&x),
        vec![
            (0, Outcome::Ok),
            (1, Outcome::Cancelled),
            (2, Outcome::Cancelled)
        ]
    );
    assert!(close(cpu_end_ms(&x, 1), 4.0), "{}", cpu_end_ms(&x, 1));
}

#[test]
fn letting_the_pending_finish_gives_every_result() {
    let x = running_when_wait_returns(AfterWait::LetFinish);
    assert!(close(x.wall_ms, 1.0), "wall {}", x.wall_ms);
    assert_eq!(
        outcomes(&x),
        vec![(0, Outcome::Ok), (1, Outcome::Ok), (2, Outcome::Ok)]
    );
    assert!(x.late.iter().all(|s| s.checksum.is_some()));
}

#[test]
fn overlaps_own_stop_ends_running_tasks_at_their_next_chunk() {
    let x = running_when_wait_returns(AfterWait::StopRunning);
    assert_eq!(
        outcomes(&x),
        vec![
            (0, Outcome::Ok),
            (1, Outcome::Cancelled),
            (2, Outcome::Cancelled)
        ]
    );
    // Chunks of 4 steps cost 0.04 ms: stopped just after 1 ms, not at 4.
    assert!(cpu_end_ms(&x, 1) < 1.1, "{}", cpu_end_ms(&x, 1));
}

/// The notes under the results about the pending tasks, in `lang`.
fn pending_notes(x: Execution, lang: crate::Lang) -> Vec<String> {
    let text = crate::i18n::shipped(lang).expect("the catalogue reads");
    report(x)
        .notes(&text)
        .into_iter()
        .filter(|n| n.kind == crate::report::NoteKind::Pending)
        .map(|n| n.text)
        .collect()
}

#[test]
fn the_results_say_what_became_of_the_pending_executor_jobs() {
    // Cancelled the Python way: said so, and that their threads went on.
    assert_eq!(
        pending_notes(
            running_when_wait_returns(AfterWait::CancelPending),
            crate::Lang::En
        ),
        [
            "2 tasks had not finished when the wait returned: they were cancelled.",
            "2 of the cancelled tasks were already computing, and their workers went on \
             after the wait returned, until 4.0 ms.",
        ]
    );
    // Let finish: nothing was cancelled, and nothing says so.
    assert_eq!(
        pending_notes(
            running_when_wait_returns(AfterWait::LetFinish),
            crate::Lang::Fr
        ),
        [
            "2 tâches n’étaient pas terminées au retour de l’attente et ont continué \
          jusqu’à leur résultat."
        ]
    );
}

/// The "wait-timeout" preset, on the fake host: asyncio.wait's timeout
/// leaves five of its eight seeded waits pending.
fn wait_timeout(after: &str) -> RunReport {
    let query = format!("w=io&s=conc&io=8&lat=uniform&ms=300&spread=250&timeout=260&after={after}");
    let decoded = crate::experiment::url::decode_str(&query);
    assert!(decoded.problems.is_empty(), "{:?}", decoded.problems);
    let r = report(run(&FakeHost::new(), decoded.experiment));
    assert!(r.timed_out);
    assert_eq!(r.pending.len(), 5, "{:?}", r.pending);
    r
}

#[test]
fn pending_tasks_let_finish_are_never_said_to_be_cancelled() {
    let r = wait_timeout("finish");
    assert!(r.tasks.iter().all(|t| t.outcome == Outcome::Ok));
    for (lang, cancel, pending) in [
        (
            crate::Lang::En,
            "cancel",
            "5 tasks had not finished when the wait returned and ran on to their results.",
        ),
        (
            crate::Lang::Fr,
            "annul",
            "5 tâches n’étaient pas terminées au retour de l’attente et ont continué \
             jusqu’à leur résultat.",
        ),
    ] {
        let text = crate::i18n::shipped(lang).expect("the catalogue reads");
        let notes: Vec<String> = r.notes(&text).into_iter().map(|n| n.text).collect();
        assert!(
            notes.iter().all(|n| !n.to_lowercase().contains(cancel)),
            "{notes:?}"
        );
        assert!(notes.iter().any(|n| n == pending), "{notes:?}");
    }
    // Cancelled, the same tasks are said to be.
    let r = wait_timeout("cancel");
    let en = crate::i18n::shipped(crate::Lang::En).expect("the catalogue reads");
    assert!(
        r.notes(&en)
            .iter()
            .any(|n| n.text
                == "5 tasks had not finished when the wait returned: they were cancelled.")
    );
}
