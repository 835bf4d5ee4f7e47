//! Issue 26, point 3: concurrency counts the tasks in flight, never those
//! queued for a place (a semaphore's, an executor's thread, a pool worker,
//! a process); `in_system` counts them from their submission. Measured on
//! the fake host and predicted by the model, both bounded by the places.

use super::*;

/// Rounding of the clock (ms as f64 into µs) may overlap two spans by a µs.
const EPSILON: f64 = 1e-3;

/// The measured and predicted (concurrency, in the system) of a run.
fn both(x: Execution) -> [(f64, f64); 2] {
    let p = x.predicted.clone();
    let f = report(x).figures;
    [
        (
            f.concurrency.expect("tasks ran"),
            f.in_system.expect("tasks ran"),
        ),
        (
            p.concurrency.expect("predicted"),
            p.in_system.expect("predicted"),
        ),
    ]
}

#[test]
fn under_a_semaphore_of_five_at_most_five_are_in_flight() {
    // Preset 2 (forty 100 ms waits), and a hundred waits of uneven latency.
    let fixed = Experiment {
        limit: Some(5),
        ..io(Strategy::ConcurrentAwait, 40, 100)
    };
    let uneven = Experiment {
        latency: Latency::Uniform,
        spread_ms: 80,
        seed: 11,
        io_tasks: 100,
        ..fixed.clone()
    };
    let [(c, s), (pc, ps)] = both(run(&FakeHost::new(), fixed));
    // Eight rounds of five: five in flight throughout, 22.5 in the system
    // (Little's law: 50 tasks/s × 450 ms from submission on average).
    assert!(close(c, 5.0), "concurrency {c}");
    assert!(close(s, 22.5), "in the system {s}");
    assert!(close(pc, 5.0) && close(ps, 22.5), "predicted {pc}, {ps}");
    // A hundred uneven waits, twenty rounds: the queue is most of their lives.
    let [(c, s), (pc, ps)] = both(run(&FakeHost::new(), uneven));
    assert!(c <= 5.0 + EPSILON && c > 4.0, "concurrency {c}");
    assert!(pc <= 5.0 + EPSILON && pc > 4.0, "predicted {pc}");
    assert!(
        s > 5.0 * c && ps > 5.0 * pc,
        "in the system {s}, predicted {ps}"
    );
}

#[test]
fn to_thread_on_six_threads_has_at_most_six_blocking_calls_in_flight() {
    // Two cores: the default executor has min(32, 2 + 4) = 6 threads.
    let [(c, s), (pc, ps)] = both(run(&FakeHost::new(), io(Strategy::ToThread, 40, 100)));
    assert!(c <= 6.0 + EPSILON && c > 5.0, "concurrency {c}");
    assert!(pc <= 6.0 + EPSILON && pc > 5.0, "predicted {pc}");
    // Seven rounds: the queue is most of the tasks' lives.
    assert!(
        s > 2.0 * c && ps > 2.0 * pc,
        "in the system {s}, predicted {ps}"
    );
    assert!((s - ps).abs() < 0.05 * ps, "measured {s}, predicted {ps}");

    // CPU work sent to to_thread: eight tasks for six threads, under the GIL.
    let [(c, s), (pc, ps)] = both(run(&FakeHost::new(), cpu(Strategy::ToThread, 1, 8)));
    assert!(
        c <= 6.0 + EPSILON && pc <= 6.0 + EPSILON,
        "{c}, predicted {pc}"
    );
    assert!(s > c && ps > pc, "in the system {s}, predicted {ps}");
}

#[test]
fn tasks_queued_for_a_worker_or_a_process_are_in_the_system_not_in_flight() {
    // k = 4 dispatchers on 2 workers: tasks 3 and 4 wait for a worker for a
    // round, in the system (3 on average) but not in flight (2).
    let host = FakeHost::new().with_pool_threads(2);
    let [(c, s), _] = both(run(&host, cpu(Strategy::Pool, 4, 4)));
    assert!(close(c, 2.0), "concurrency {c}");
    assert!(close(s, 3.0), "in the system {s}");

    // Two processes, four tasks: the second two wait in the page's queue.
    let [(c, s), (pc, _)] = both(run(&FakeHost::new(), cpu(Strategy::ProcessPool, 2, 4)));
    assert!(
        c <= 2.0 + EPSILON && pc <= 2.0 + EPSILON,
        "{c}, predicted {pc}"
    );
    assert!(s > c, "in the system {s}, concurrency {c}");
}

#[test]
fn without_a_queue_both_figures_agree() {
    let [(c, s), (pc, ps)] = both(run(
        &FakeHost::new(),
        io(Strategy::ConcurrentAwait, 20, 100),
    ));
    assert!(close(c, 20.0) && close(s, 20.0), "{c}, {s}");
    assert!(close(pc, 20.0) && close(ps, 20.0), "predicted {pc}, {ps}");
}
