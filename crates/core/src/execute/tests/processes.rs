//! The process-style pool on the fake host: processes start, then take the
//! tasks in turn, each copied in and its result copied out; a task not
//! started is dropped when the run stops, a halt terminates them, and a
//! broken process is an error, never a hang.

use super::*;
use crate::experiment::{AfterWait, ProcessStart, Token};
use crate::host::fake::{PROCESS_STARTUP_MS, SPAWN_STARTUP_MS, TRANSFER_MS};
use crate::predict::{pool_startup_us, predict_run};
use crate::trace::NO_TASK;

#[test]
fn k_processes_start_then_take_the_tasks_in_turn_with_their_copies() {
    let host = FakeHost::new();
    let x = run(&host, cpu(Strategy::ProcessPool, 2, 4));
    // Start-up, then two rounds of (copy in, task, copy out) on each process.
    let round = TRANSFER_MS + TASK_MS + TRANSFER_MS;
    assert!(
        close(x.wall_ms, PROCESS_STARTUP_MS + 2.0 * round),
        "wall {}",
        x.wall_ms
    );
    let startups = spans_of(&x, SpanKind::Startup);
    assert_eq!(startups.len(), 2);
    assert!(startups
        .iter()
        .all(|s| s.task == NO_TASK && matches!(s.lane, Lane::Process(_))));
    assert_eq!(
        spans_of(&x, SpanKind::Transfer).len(),
        8,
        "a copy in and out per task"
    );
    let cpu_lanes: std::collections::BTreeSet<Lane> =
        spans_of(&x, SpanKind::Cpu).iter().map(|s| s.lane).collect();
    assert_eq!(
        cpu_lanes.into_iter().collect::<Vec<_>>(),
        [Lane::Process(0), Lane::Process(1)]
    );
    // Results equal to the shared-memory pool's.
    let pooled = run(&FakeHost::new(), cpu(Strategy::Pool, 2, 4));
    let checksums = |x: &Execution| {
        let mut c: Vec<(u32, Option<u64>)> = x.done.iter().map(|s| (s.task, s.checksum)).collect();
        c.sort_unstable();
        c
    };
    assert_eq!(checksums(&x), checksums(&pooled));
    assert!(checksums(&x).iter().all(|c| c.1.is_some()));
    // The start-up does not count as any task's life.
    let r = report(x);
    assert_eq!(r.figures.threads_used, 2);
}

#[test]
fn tasks_not_started_are_dropped_and_a_halt_terminates_the_processes() {
    // Tasks of 4 ms, processes ready at 5 ms, FIRST_COMPLETED on a 6 ms
    // wait: the two running tasks run on (Python's cancel), the two queued
    // are dropped.
    let slow = || FakeHost::new().with_ms_per_step(0.1);
    let host = slow();
    let e = Experiment {
        workload: Workload::Mixed,
        io_tasks: 1,
        latency: Latency::Fixed,
        latency_ms: 6,
        spread_ms: 0,
        return_when: ReturnWhen::FirstCompleted,
        ..cpu(Strategy::ProcessPool, 2, 4)
    };
    let x = run(&host, e.clone());
    assert!(close(x.wall_ms, 6.0), "wall {}", x.wall_ms);
    let cancelled = x
        .late
        .iter()
        .filter(|s| s.outcome == Outcome::Cancelled)
        .count();
    assert_eq!(cancelled, 4, "{:?}", x.late);
    assert_eq!(
        spans_of(&x, SpanKind::Cpu).len(),
        2,
        "the two queued tasks never ran"
    );
    // Overlap's stop terminates the running ones: no CPU span is recorded.
    let stopped = run(
        &slow(),
        Experiment {
            after_wait: AfterWait::StopRunning,
            ..e
        },
    );
    assert!(spans_of(&stopped, SpanKind::Cpu).is_empty());
    assert_eq!(
        stopped
            .late
            .iter()
            .filter(|s| s.outcome == Outcome::Cancelled)
            .count(),
        4
    );
}

#[test]
fn the_process_pool_needs_no_thread_pool() {
    let host = FakeHost::new().without_pool();
    let x = run(&host, cpu(Strategy::ProcessPool, 2, 2));
    assert_eq!(
        x.done.iter().filter(|s| s.outcome == Outcome::Ok).count(),
        2
    );
}

#[test]
fn each_start_method_starts_the_processes_before_any_task_at_its_own_cost() {
    let round = TRANSFER_MS + TASK_MS + TRANSFER_MS;
    let mut fork_model = 0.0;
    for (method, startup) in [
        (ProcessStart::Fork, PROCESS_STARTUP_MS),
        // A fresh start loads the program itself.
        (ProcessStart::Spawn, SPAWN_STARTUP_MS),
        // Its server starts fresh, once; then each process is a copy of it.
        (
            ProcessStart::Forkserver,
            SPAWN_STARTUP_MS + PROCESS_STARTUP_MS,
        ),
    ] {
        let e = Experiment {
            process_start: method,
            ..cpu(Strategy::ProcessPool, 2, 4)
        };
        let x = run(&FakeHost::new(), e.clone());
        let who = method.token();
        assert!(
            close(x.wall_ms, startup + 2.0 * round),
            "{who}: wall {}",
            x.wall_ms
        );
        let startups = spans_of(&x, SpanKind::Startup);
        assert_eq!(startups.len(), 2, "{who}");
        for s in &startups {
            assert!(
                close(s.duration_us() as f64 / 1000.0, startup),
                "{who}: {s:?}"
            );
        }
        // No copy leaves for a process before the processes are ready.
        let ready = startups.iter().map(|s| s.end_us).max().unwrap_or(0);
        assert!(
            spans_of(&x, SpanKind::Transfer)
                .iter()
                .all(|s| s.start_us >= ready),
            "{who}"
        );
        // The model charges its own (measured) cost of the method, before
        // the tasks: its wall is the fork's plus the difference.
        let model = predict_run(&e, &device(2)).wall_ms;
        let cost = pool_startup_us(method, 2) as f64 / 1000.0;
        if method == ProcessStart::Fork {
            fork_model = model;
        }
        let fork_cost = pool_startup_us(ProcessStart::Fork, 2) as f64 / 1000.0;
        assert!(
            close(model - fork_model, cost - fork_cost),
            "{who}: {model}"
        );
        assert!(model > cost, "{who}: {model} ≤ {cost}");
    }
}
