//! The model's primitives and strategies, checked by hand.

use super::*;
use crate::experiment::{Python, Strategy};

fn cpu(ms: &[u64]) -> Vec<TaskTime> {
    ms.iter().map(|&m| TaskTime::cpu(m * 1000, 10)).collect()
}

fn params(k: u32) -> ModelParams {
    ModelParams {
        workers: k,
        ..ModelParams::default()
    }
}

#[test]
fn primitives_by_hand() {
    assert_eq!(sum_us(&[1, 2, 3]), 6);
    assert_eq!(max_us(&[]), 0);
    assert_eq!(rounds_us(10, 4, 50), 150);
    // 5, 4, 3, 3, 3 on 2 workers in order: w0 ends 5, w1 4; then w1 (free at 4)
    // ends 7, w0 (free at 5) ends 8, w1 (free at 7) ends 10.
    let s = list_schedule(&[5, 4, 3, 3, 3], 2);
    assert_eq!(s.finish_us, [5, 4, 7, 8, 10]);
    assert_eq!(s.lane, [0, 1, 1, 0, 1]);
    assert_eq!(s.makespan_us, 10);
    // In order 1,1,1,1,4 on 2 workers: 2,2 then 4 → 6 (the long task last).
    assert_eq!(list_schedule(&[1, 1, 1, 1, 4], 2).makespan_us, 6);
    assert_eq!(list_schedule(&[], 3).makespan_us, 0);
    assert_eq!(amdahl_us(1000, 4, 0.2), 400); // 200 + 800/4
    assert!((amdahl_speedup(4, 0.2) - 2.5).abs() < 1e-12);
    assert_eq!(amdahl_us(1000, 0, 2.0), 1000);
}

#[test]
fn strategies_by_hand() {
    let t = cpu(&[40, 30, 20, 10]);
    let wall = |s: Profile, p: &ModelParams| predict(s, &t, p).wall_us / 1000;
    assert_eq!(wall(Strategy::SequentialAwait.profile(), &params(4)), 100);
    assert_eq!(wall(Strategy::InlineBlocking.profile(), &params(4)), 100);
    assert_eq!(wall(gil_pool(), &params(4)), 100);
    assert_eq!(wall(Strategy::Pool.profile(), &params(4)), 40);
    assert_eq!(wall(Strategy::Pool.profile(), &params(2)), 50); // 40 | 30+20 → 50, then 10 after 40 → 50
    assert_eq!(wall(Strategy::Pool.profile(), &params(1)), 100);
    let amdahl = ModelParams {
        serial_fraction: 0.5,
        ..params(2)
    };
    assert_eq!(wall(Strategy::DataParallel.profile(), &amdahl), 75);
    let coop = ModelParams {
        yield_overhead_us: 100,
        ..params(1)
    };
    // 100 ms plus 4 tasks × 10 chunks × 0.1 ms.
    assert_eq!(
        predict(Strategy::CooperativeChunks.profile(), &t, &coop).wall_us,
        104_000
    );
    assert_eq!(
        predict(Strategy::ParallelBlocking.profile(), &t, &params(4)).main_blocked_us,
        25_000
    );
    assert_eq!(
        predict(Strategy::DataParallel.profile(), &t, &params(4)).main_blocked_us,
        0
    );
}

#[test]
fn io_overlaps_unless_the_loop_is_blocked() {
    let mut t = vec![
        TaskTime::io(100, false),
        TaskTime::io(300, false),
        TaskTime::io(200, true),
    ];
    let p = params(1);
    assert_eq!(
        predict(Strategy::SequentialAwait.profile(), &t, &p).wall_us,
        600
    );
    let conc = predict(Strategy::ConcurrentAwait.profile(), &t, &p);
    assert_eq!((conc.wall_us, conc.model), (300, Model::Max));
    // A 250 µs CPU task on the loop holds back the first and third completions.
    t.push(TaskTime::cpu(250, 1));
    let mixed = predict(Strategy::ConcurrentAwait.profile(), &t, &p);
    assert_eq!(mixed.completions_us, [250, 300, 250, 250]);
    let pooled = predict(Strategy::Pool.profile(), &t, &p);
    assert_eq!(pooled.completions_us, [100, 300, 200, 250]);
}

#[test]
fn a_task_queued_for_a_place_is_submitted_at_once_and_runs_when_it_gets_one() {
    // Four 100 µs waits through a semaphore of two: two rounds, every task
    // submitted at 0, the second pair running from 100.
    let io = vec![TaskTime::io(100, false); 4];
    let p = ModelParams {
        io_slots: Some(2),
        ..params(1)
    };
    let limited = predict(Strategy::ConcurrentAwait.profile(), &io, &p);
    assert_eq!(limited.starts_us, [0, 0, 0, 0]);
    assert_eq!(limited.run_starts_us, [0, 0, 100, 100]);
    assert_eq!(limited.completions_us, [100, 100, 200, 200]);
    // Processes take the CPU tasks in turn: submitted at once too.
    let t = cpu(&[40, 30, 20]);
    let procs = predict(Strategy::ProcessPool.profile(), &t, &params(2));
    assert_eq!(procs.starts_us, [0, 0, 0]);
    assert_eq!(procs.run_starts_us, [0, 0, 30_000]);
    // The pool's tasks are taken from the list as a worker frees up: their
    // life as the run records it starts there.
    let pool = predict(Strategy::Pool.profile(), &t, &params(2));
    assert_eq!(pool.starts_us, pool.run_starts_us);
}

#[test]
fn an_experiment_becomes_model_input() {
    use crate::experiment::Workload;
    use crate::io_model::io_tasks;
    let e = Experiment {
        workload: Workload::Mixed,
        io_tasks: 3,
        cpu_tasks: 2,
        size: 10,
        chunk: 4,
        timeout_ms: Some(2),
        ..Experiment::default()
    };
    let t = task_times(&e, &io_tasks(&e), |task| u64::from(task.size) * 100);
    assert_eq!(t.len(), 5);
    assert_eq!(t[3], TaskTime::cpu(1_000, 3));
    let p = ModelParams::of(&e, 5, 7);
    assert_eq!(
        (p.workers, p.timeout_us, p.dispatch_overhead_us),
        (4, Some(2_000), 7)
    );
}

#[test]
fn return_when_and_timeout() {
    let t = vec![
        TaskTime::io(100, false),
        TaskTime::io(300, false),
        TaskTime::io(200, true),
    ];
    let with = |rw, timeout_us| ModelParams {
        return_when: rw,
        timeout_us,
        ..params(1)
    };
    let wall = |p| predict(Strategy::ConcurrentAwait.profile(), &t, &p);
    assert_eq!(wall(with(ReturnWhen::FirstCompleted, None)).wall_us, 100);
    assert_eq!(wall(with(ReturnWhen::FirstException, None)).wall_us, 200);
    let no_fail = [TaskTime::io(100, false)];
    assert_eq!(
        predict(
            Strategy::ConcurrentAwait.profile(),
            &no_fail,
            &with(ReturnWhen::FirstException, None)
        )
        .wall_us,
        100
    );
    let cut = wall(with(ReturnWhen::AllCompleted, Some(250)));
    assert_eq!((cut.wall_us, cut.timed_out), (250, true));
    assert_eq!(
        predict(Strategy::Pool.profile(), &[], &params(4)).wall_us,
        0
    );
}

fn device(ms_per_task_of_200: f64) -> Device {
    Device {
        calibration: Some(crate::calibrate::Calibration {
            kernel: crate::kernels::Kernel::Primes,
            size_per_ms: 200.0 / ms_per_task_of_200,
            measured_size: 200,
            measured_ms: ms_per_task_of_200,
        }),
        pool_threads: 2,
        cores: 2,
        yield_overhead_us: 0,
    }
}

/// The thread pool's row under CPython's default build.
fn gil_pool() -> Profile {
    Profile {
        gil: true,
        ..Strategy::Pool.profile()
    }
}

fn experiment(strategy: Strategy, workers: u32) -> Experiment {
    Experiment {
        strategy,
        workers,
        cpu_tasks: 8,
        size: 200,
        ..Experiment::default()
    }
}

#[test]
fn a_run_is_predicted_from_the_experiment_and_the_device_alone() {
    let pool = predict_run(&experiment(Strategy::Pool, 2), &device(100.0));
    assert_eq!(
        (pool.wall_ms, pool.t1_ms, pool.threads),
        (400.0, Some(800.0), 2)
    );
    assert_eq!(
        (pool.speedup, pool.parallelism, pool.concurrency),
        (Some(2.0), Some(2.0), Some(2.0))
    );
    assert_eq!(pool.efficiency, Some(1.0));
    assert_eq!(
        (pool.lag_p95_ms, pool.frames_missed, pool.long_tasks),
        (Some(0.0), 0, 0)
    );
    // k larger than the pool: no more threads than the pool has.
    assert_eq!(
        predict_run(&experiment(Strategy::Pool, 8), &device(100.0)).wall_ms,
        400.0
    );

    let gil = predict_run(
        &Experiment {
            python: Python::Gil,
            ..experiment(Strategy::Pool, 2)
        },
        &device(100.0),
    );
    assert_eq!(
        (gil.wall_ms, gil.speedup, gil.parallelism),
        (800.0, Some(1.0), Some(1.0))
    );
    assert_eq!(gil.concurrency, Some(2.0));
    // The loop waits for the GIL: heartbeats late by about one switch
    // interval (5 ms), no long task; the pool's loop stays free.
    let lag = gil.lag_p95_ms.unwrap();
    assert!((4.0..=10.0).contains(&lag), "GIL lag p95 {lag}");
    assert_eq!(gil.long_tasks, 0);
    let pool = predict_run(&experiment(Strategy::Pool, 2), &device(100.0));
    assert!(pool.lag_p95_ms.unwrap() < 1.0);

    let inline = predict_run(&experiment(Strategy::InlineBlocking, 2), &device(100.0));
    assert_eq!(
        (inline.speedup, inline.stall_ms, inline.long_tasks),
        (Some(1.0), 800.0, 1)
    );
    assert!(inline.lag_p95_ms.unwrap() >= 700.0);
    assert_eq!(inline.frames_missed, 48);

    let coop = Experiment {
        chunk: 10,
        ..experiment(Strategy::CooperativeChunks, 1)
    };
    let coop = predict_run(
        &coop,
        &Device {
            yield_overhead_us: 40,
            ..device(100.0)
        },
    );
    // 160 chunks of 5 ms and 160 yields of 40 µs.
    assert_eq!(coop.wall_ms, 806.4);
    assert_eq!(
        (coop.stall_ms, coop.long_tasks, coop.frames_missed),
        (5.0, 0, 0)
    );
    assert!(coop.lag_p95_ms.unwrap() <= 5.0);

    let amdahl = Experiment {
        serial_fraction: 0.3,
        ..experiment(Strategy::DataParallel, 2)
    };
    let amdahl = predict_run(&amdahl, &device(100.0));
    assert!((amdahl.speedup.unwrap() - 1.0 / (0.3 + 0.7 / 2.0)).abs() < 1e-3);
}

#[test]
fn waits_are_concurrency_and_a_cut_wait_has_no_speedup() {
    use crate::experiment::{Latency, Workload};
    let io = Experiment {
        workload: Workload::Io,
        strategy: Strategy::ConcurrentAwait,
        io_tasks: 20,
        latency: Latency::Fixed,
        latency_ms: 100,
        ..Experiment::default()
    };
    let p = predict_run(
        &io,
        &Device {
            calibration: None,
            ..device(1.0)
        },
    );
    assert_eq!(
        (p.wall_ms, p.concurrency, p.parallelism),
        (100.0, Some(20.0), Some(0.0))
    );
    assert_eq!((p.speedup, p.t1_ms, p.threads), (None, None, 0));
    let sequential = predict_run(
        &Experiment {
            strategy: Strategy::SequentialAwait,
            ..io
        },
        &Device {
            calibration: None,
            ..device(1.0)
        },
    );
    assert_eq!(
        (sequential.wall_ms, sequential.concurrency),
        (2000.0, Some(1.0))
    );

    let cut = Experiment {
        timeout_ms: Some(300),
        ..experiment(Strategy::Pool, 2)
    };
    let cut = predict_run(&cut, &device(100.0));
    assert_eq!(
        (cut.wall_ms, cut.timed_out, cut.speedup),
        (300.0, true, None)
    );
    assert_eq!(cut.parallelism, Some(2.0));
}

#[test]
fn the_predicted_concurrency_counts_tasks_in_flight_and_in_system_the_queue_too() {
    use crate::experiment::{Latency, Workload};
    let semaphore = Experiment {
        workload: Workload::Io,
        strategy: Strategy::ConcurrentAwait,
        io_tasks: 40,
        latency: Latency::Fixed,
        latency_ms: 100,
        limit: Some(5),
        ..Experiment::default()
    };
    let no_cpu = Device {
        calibration: None,
        ..device(1.0)
    };
    let p = predict_run(&semaphore, &no_cpu);
    assert_eq!(
        (p.wall_ms, p.concurrency, p.in_system),
        (800.0, Some(5.0), Some(22.5))
    );
    // to_thread on two cores: six threads for forty blocking calls.
    let to_thread = Experiment {
        strategy: Strategy::ToThread,
        limit: None,
        ..semaphore
    };
    let p = predict_run(&to_thread, &no_cpu);
    let (c, s) = (p.concurrency.unwrap(), p.in_system.unwrap());
    assert!(c <= 6.0 && c > 5.0, "{c}");
    assert!(s > 3.0 * c, "{s}");
}

#[test]
fn gil_tasks_share_one_core_fairly() {
    // Four equal tasks, two in flight: pairs end together, one pair after the other.
    assert_eq!(
        shared_core(&[100, 100, 100, 100], 2),
        [(0, 200), (0, 200), (200, 400), (200, 400)]
    );
    // A short task ends first and frees its slot for the next.
    assert_eq!(shared_core(&[30, 10, 20], 2), [(0, 60), (0, 20), (20, 60)]);
    assert_eq!(shared_core(&[], 3), []);
}

#[test]
fn nothing_ends_the_wait_while_cpu_work_holds_the_loop() {
    let t = cpu(&[100, 100]);
    let with = |rw, timeout_us| ModelParams {
        return_when: rw,
        timeout_us,
        ..params(2)
    };
    // Inline: the timeout at 50 ms is handled only when the loop is free, at
    // 200 ms, when every task is done: the wait does not time out.
    let inline = predict(
        Strategy::InlineBlocking.profile(),
        &t,
        &with(ReturnWhen::AllCompleted, Some(50_000)),
    );
    assert_eq!((inline.wall_us, inline.timed_out), (200_000, false));
    let first = predict(
        Strategy::InlineBlocking.profile(),
        &t,
        &with(ReturnWhen::FirstCompleted, None),
    );
    assert_eq!(first.wall_us, 200_000);
    // Sequential await yields between tasks: the wait returns after the
    // task that was running when the timeout fell.
    let seq = predict(
        Strategy::SequentialAwait.profile(),
        &t,
        &with(ReturnWhen::AllCompleted, Some(50_000)),
    );
    assert_eq!((seq.wall_us, seq.timed_out), (100_000, true));
    // On the pool the loop is free: the timeout ends the wait on time.
    let pool = predict(
        Strategy::Pool.profile(),
        &cpu(&[100, 100, 100]),
        &with(ReturnWhen::AllCompleted, Some(50_000)),
    );
    assert_eq!((pool.wall_us, pool.timed_out), (50_000, true));
}
