use super::*;
use proptest::prelude::*;

fn chunked_checksum(task: &CpuTask, chunk: u32) -> (u64, u64) {
    let mut run = task.chunked();
    let mut calls = 0;
    loop {
        let before = run.done_steps();
        let p = run.step(chunk);
        calls += 1;
        // Bounded work per call: never more than `chunk` steps.
        assert!(run.done_steps() - before <= u64::from(chunk.max(1)));
        if let Progress::Done(sum) = p {
            return (sum, calls);
        }
    }
}

#[test]
fn sequential_chunked_and_parallel_agree_for_every_kernel() {
    for kernel in Kernel::ALL {
        for size in [1, 2, 5, 17] {
            let task = CpuTask::new(kernel, size, 7, 35);
            let seq = task.run();
            assert_eq!(task.run_parallel(), seq, "{kernel:?} {size}");
            for chunk in [1, 3, 1000] {
                let (sum, calls) = chunked_checksum(&task, chunk);
                assert_eq!(sum, seq, "{kernel:?} {size} chunk {chunk}");
                assert_eq!(calls, task.steps().div_ceil(u64::from(chunk)));
            }
            for serial in 0..=task.steps() {
                assert_eq!(
                    task.run_split(serial),
                    seq,
                    "{kernel:?} {size} split {serial}"
                );
            }
        }
    }
}

#[test]
fn sizes_are_clamped_so_no_task_runs_away() {
    let t = CpuTask::new(Kernel::Reduce, u32::MAX, 1, 0);
    assert_eq!(t.size, Kernel::Reduce.max_size());
    let hand_built = CpuTask {
        kernel: Kernel::Reduce,
        size: u32::MAX,
        seed: 0,
        index: 0,
    };
    assert_eq!(hand_built.memory_bytes(), 64 << 20);
    assert_eq!(CpuTask::new(Kernel::Primes, 0, 1, 0).steps(), 1);
}

#[test]
fn steps_and_memory_per_kernel() {
    assert_eq!(Kernel::Reduce.steps(10), 90);
    assert_eq!(Kernel::Primes.steps(10), 10);
    assert_eq!(Kernel::Reduce.memory_bytes(1_024), 64 << 20);
    assert_eq!(Kernel::Mandelbrot.memory_bytes(40_000), 0);
    for k in Kernel::ALL {
        assert_eq!(Kernel::from_token(k.token()), Some(k));
        assert!(k.default_size() <= k.max_size());
    }
}

#[test]
fn serial_steps_is_a_bounded_fraction() {
    let t = CpuTask::new(Kernel::Primes, 100, 0, 0);
    assert_eq!(t.serial_steps(0.25), 25);
    assert_eq!(t.serial_steps(f64::NAN), 0);
    assert_eq!(t.serial_steps(7.0), 100);
    assert_eq!(t.serial_steps(-1.0), 0);
}

#[test]
fn cancelling_is_dropping_between_steps() {
    let task = CpuTask::new(Kernel::Reduce, 4, 3, 0);
    let mut run = task.chunked();
    assert_eq!(run.step(2), Progress::Running { done: 2, total: 36 });
    drop(run);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn any_small_task_agrees_in_all_forms(
        k in 0usize..4, size in 1u32..12, seed: u64, index: u32, chunk in 1u32..9, serial in 0.0f64..=1.0
    ) {
        let task = CpuTask::new(Kernel::ALL[k], size, seed, index);
        let seq = task.run();
        prop_assert_eq!(task.run_parallel(), seq);
        prop_assert_eq!(chunked_checksum(&task, chunk).0, seq);
        prop_assert_eq!(task.run_split(task.serial_steps(serial)), seq);
    }
}

#[test]
fn split_into_pieces_gives_the_sequential_checksum() {
    for kernel in Kernel::ALL {
        let task = CpuTask::new(kernel, 7, 42, 3);
        let expected = task.run();
        for pieces in [1, 2, 3, 64] {
            for serial in [0, 2, task.steps()] {
                assert_eq!(
                    task.run_split_pieces(serial, pieces),
                    expected,
                    "{kernel:?} pieces {pieces} serial {serial}"
                );
            }
        }
    }
}

#[test]
fn split_into_pieces_stops_when_told_to_and_reports_its_stretches() {
    use std::sync::atomic::{AtomicU32, Ordering::Relaxed};
    struct Watch {
        asked: AtomicU32,
        limit: u32,
        started: AtomicU32,
        ended: AtomicU32,
    }
    impl SplitObserver for Watch {
        fn keep_going(&self) -> bool {
            self.asked.fetch_add(1, Relaxed) < self.limit
        }
        fn stretch_started(&self) {
            self.started.fetch_add(1, Relaxed);
        }
        fn stretch_ended(&self) {
            self.ended.fetch_add(1, Relaxed);
        }
    }
    let watch = |limit| Watch {
        asked: AtomicU32::new(0),
        limit,
        started: AtomicU32::new(0),
        ended: AtomicU32::new(0),
    };
    let task = CpuTask::new(Kernel::Primes, 64, 42, 0);

    let stopped = watch(3);
    assert_eq!(task.run_split_pieces_until(0, 2, &stopped), None);
    assert!(stopped.asked.load(Relaxed) < 40, "it kept going");
    assert_eq!(stopped.started.load(Relaxed), stopped.ended.load(Relaxed));

    let full = watch(u32::MAX);
    assert_eq!(task.run_split_pieces_until(10, 2, &full), Some(task.run()));
    let stretches = full.started.load(Relaxed);
    assert!(
        (2..=3).contains(&stretches),
        "head plus one or two lanes, got {stretches}"
    );
    assert_eq!(stretches, full.ended.load(Relaxed));

    // The reduction splits each phase into at most `pieces` lanes.
    let reduce = CpuTask::new(Kernel::Reduce, 8, 42, 0);
    let lanes = watch(u32::MAX);
    assert_eq!(
        reduce.run_split_pieces_until(0, 2, &lanes),
        Some(reduce.run())
    );
    let phases = 1 + crate::reduce::PASSES as u32;
    assert_eq!(
        lanes.started.load(Relaxed),
        2 * phases,
        "two lanes per phase"
    );
    let stopped = watch(2);
    assert_eq!(reduce.run_split_pieces_until(0, 2, &stopped), None);
}
