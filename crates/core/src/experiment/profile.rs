//! Each strategy's rules, in one table ([`Strategy::profile`]).
//!
//! Where a strategy's CPU work runs, how its I/O waits run, whether it holds
//! the event loop, how `k` is capped and how many tasks it runs at once are
//! decided here and nowhere else: placement, the model, the sweep, the twin,
//! the words and the editor read the profile instead of listing strategies.
//! A test (`tests/strategy_matches.rs`) fails where code outside
//! `experiment/` matches strategies, except the per-strategy wording of the
//! twin and of the code panel.

use super::Strategy;

/// Where a strategy runs its CPU tasks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CpuPlace {
    /// Called directly on the main thread: the loop stalls for the task.
    Loop,
    /// On the main thread in chunks, with a yield to the loop between them.
    Chunks,
    /// One task per pool thread, `k` dispatchers taking the next task as
    /// they are free (`loop.run_in_executor` on a `ThreadPoolExecutor`).
    Pool,
    /// Every task submitted at once to asyncio's default executor, waiting
    /// in its queue for a thread (`asyncio.to_thread`).
    DefaultExecutor,
    /// One task per process, the task copied in and its result copied out
    /// (`ProcessPoolExecutor`).
    Processes,
    /// Each task split over the pool's threads, one task at a time.
    Split,
}

/// How a strategy's I/O waits run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IoPlace {
    /// Awaited one after another (`for t in tasks: await t`).
    InTurn,
    /// Blocking calls inside the coroutines: each holds the loop for its
    /// whole latency, one after another.
    Blocking,
    /// All in flight at once on the loop (as a semaphore allows).
    Together,
    /// Each a blocking call on a thread of the default executor.
    Executor,
}

/// When the main thread's event loop is held by the run's own work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoopHold {
    /// Never: the loop stays free (CPU work runs elsewhere).
    Free,
    /// During each CPU task, free between two of them.
    EachTask,
    /// From the first piece of work to the last, back to back: one stall.
    Throughout,
    /// During one chunk at a time.
    EachChunk,
}

/// What bounds the threads (or processes) a strategy computes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KCap {
    /// The main thread only: `k` does not apply.
    MainThread,
    /// `k`, capped by the page's pool: a `k` beyond the pool only queues.
    Pool,
    /// asyncio's default executor ([`super::default_executor_size`]
    /// threads, whatever `k`), computing on at most the pool's threads.
    DefaultExecutor,
    /// `k` processes, computing on at most as many threads as the pool has
    /// (the pool is sized to the device's cores).
    Processes,
}

/// How many CPU tasks a strategy runs at the same time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AtOnce {
    /// One task at a time (on the main thread, or split over the pool).
    One,
    /// Up to one task per thread or process: never more threads than tasks.
    PerThread,
}

/// One row of the strategy table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Profile {
    /// Where CPU tasks run.
    pub cpu: CpuPlace,
    /// How I/O waits run.
    pub io: IoPlace,
    /// When the event loop is held by the run's own work.
    pub hold: LoopHold,
    /// Whether the main thread spins while it waits for the pool (a page's
    /// main thread may not sleep on `Atomics.wait`), taking a core.
    pub spins_main: bool,
    /// Whether its CPU work runs on Python threads (an executor's, or the
    /// pieces of a split), so that which Python runs it matters.
    pub threads: bool,
    /// Whether the CPU work holds the (simulated) GIL: threads take turns,
    /// and the loop's callbacks wait for the lock too. Never set in the
    /// strategy's row: [`Experiment::profile`](super::Experiment::profile)
    /// sets it for threads under [`Python::Gil`](super::Python::Gil).
    pub gil: bool,
    /// What bounds the threads it computes on.
    pub k_cap: KCap,
    /// How many CPU tasks run at the same time.
    pub at_once: AtOnce,
    /// Whether it only decides where CPU tasks run (an I/O workload has
    /// nothing for it to place).
    pub needs_cpu: bool,
    /// Whether it needs I/O tasks (its point is how the waits are made).
    pub needs_io: bool,
    /// Whether a sweep over `k` = 1…max says something about it.
    pub sweeps: bool,
    /// The Python construct it stands for.
    pub python: &'static str,
}

/// The default row: everything on the loop, nothing held, nothing capped.
const ON_LOOP: Profile = Profile {
    cpu: CpuPlace::Loop,
    io: IoPlace::Together,
    hold: LoopHold::Throughout,
    spins_main: false,
    threads: false,
    gil: false,
    k_cap: KCap::MainThread,
    at_once: AtOnce::One,
    needs_cpu: false,
    needs_io: false,
    sweeps: false,
    python: "",
};

impl Strategy {
    /// The strategy's row of the table.
    pub const fn profile(self) -> Profile {
        match self {
            Strategy::SequentialAwait => Profile {
                io: IoPlace::InTurn,
                hold: LoopHold::EachTask,
                python: "for t in tasks: await t",
                ..ON_LOOP
            },
            Strategy::ConcurrentAwait => Profile {
                python: "await asyncio.gather(*tasks)  # CPU work in the coroutines",
                ..ON_LOOP
            },
            Strategy::InlineBlocking => Profile {
                needs_cpu: true,
                python: "kernel(size)  # called inside a coroutine",
                ..ON_LOOP
            },
            Strategy::BlockingIo => Profile {
                io: IoPlace::Blocking,
                needs_io: true,
                python: "time.sleep(latency)  # inside a coroutine",
                ..ON_LOOP
            },
            Strategy::CooperativeChunks => Profile {
                cpu: CpuPlace::Chunks,
                hold: LoopHold::EachChunk,
                needs_cpu: true,
                python: "await asyncio.sleep(0)  # between chunks",
                ..ON_LOOP
            },
            Strategy::Pool => Profile {
                cpu: CpuPlace::Pool,
                hold: LoopHold::Free,
                k_cap: KCap::Pool,
                at_once: AtOnce::PerThread,
                needs_cpu: true,
                sweeps: true,
                threads: true,
                python: "loop.run_in_executor(ThreadPoolExecutor(max_workers=k), kernel, size)",
                ..ON_LOOP
            },
            Strategy::DataParallel => Profile {
                cpu: CpuPlace::Split,
                hold: LoopHold::Free,
                k_cap: KCap::Pool,
                needs_cpu: true,
                sweeps: true,
                threads: true,
                python: "await loop.run_in_executor(ex, split_kernel, size)  # pieces on k threads",
                ..ON_LOOP
            },
            Strategy::ParallelBlocking => Profile {
                hold: LoopHold::Throughout,
                spins_main: true,
                sweeps: false,
                python: "list(ex.map(piece, pieces))  # called on the loop's thread",
                ..Strategy::DataParallel.profile()
            },
            Strategy::ProcessPool => Profile {
                cpu: CpuPlace::Processes,
                hold: LoopHold::Free,
                k_cap: KCap::Processes,
                at_once: AtOnce::PerThread,
                needs_cpu: true,
                python: "loop.run_in_executor(ProcessPoolExecutor(max_workers=k), kernel, size)",
                ..ON_LOOP
            },
            Strategy::ToThread => Profile {
                cpu: CpuPlace::DefaultExecutor,
                io: IoPlace::Executor,
                hold: LoopHold::Free,
                threads: true,
                k_cap: KCap::DefaultExecutor,
                at_once: AtOnce::PerThread,
                python: "await asyncio.to_thread(work)",
                ..ON_LOOP
            },
        }
    }
}

impl Profile {
    /// Whether it uses more than the main thread (and so reads `k`, or the
    /// default executor's size).
    pub fn uses_workers(self) -> bool {
        self.k_cap != KCap::MainThread
    }

    /// Whether its CPU work needs the page's thread pool (processes start
    /// workers of their own).
    pub fn needs_thread_pool(self) -> bool {
        matches!(
            self.cpu,
            CpuPlace::Pool | CpuPlace::DefaultExecutor | CpuPlace::Split
        )
    }

    /// Whether its CPU work runs on the page's main thread (inline, or in
    /// chunks between turns of the loop): its T₁ is then timed there too.
    pub fn computes_on_main(self) -> bool {
        matches!(self.cpu, CpuPlace::Loop | CpuPlace::Chunks)
    }

    /// Whether its CPU tasks compute one at a time, whatever `k`: on the
    /// main thread, or on threads that take turns under the GIL. Its CPU
    /// spans then add up to one thread's time of the same tasks, in the
    /// very form run.
    pub fn computes_one_at_a_time(self) -> bool {
        self.computes_on_main() || self.gil
    }

    /// Whether a `k` beyond the pool only queues (where Python would start
    /// `k` threads): the strategies that take `k` as the pool's size.
    pub fn k_beyond_pool_queues(self) -> bool {
        self.k_cap == KCap::Pool
    }

    /// Threads it computes on with `k` workers asked on a pool of
    /// `pool_threads` (before the number of tasks caps them).
    pub fn cpu_threads(self, k: u32, pool_threads: u32) -> u32 {
        match self.k_cap {
            KCap::MainThread => 1,
            KCap::Pool | KCap::DefaultExecutor | KCap::Processes => pool_share(k, pool_threads),
        }
    }
}

impl Profile {
    /// The threads a run is given to compute on, which efficiency divides
    /// by: `k` capped by the pool; for `asyncio.to_thread` the default
    /// executor's size on `cores`, capped by the pool; `k` processes; 1 for
    /// the main thread. Under the GIL they are given, though they take turns.
    pub fn threads_given(self, k: u32, pool_threads: u32, cores: u32) -> u32 {
        match self.k_cap {
            KCap::MainThread => 1,
            KCap::Pool => pool_share(k, pool_threads),
            KCap::DefaultExecutor => pool_share(super::default_executor_size(cores), pool_threads),
            KCap::Processes => k.clamp(1, super::bounds::MAX_PROCESSES),
        }
    }
}

/// `k` threads asked of a pool of `pool_threads`: at least one, at most the
/// pool (the pieces of a split, the threads computing at once).
pub fn pool_share(k: u32, pool_threads: u32) -> u32 {
    k.clamp(1, pool_threads.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::Token;

    #[test]
    fn the_table_keeps_the_rules_the_page_states() {
        for &s in Strategy::ALL {
            let p = s.profile();
            // Only the main thread's strategies hold the loop.
            if p.hold != LoopHold::Free {
                assert!(
                    matches!(p.cpu, CpuPlace::Loop | CpuPlace::Chunks) || p.spins_main,
                    "{s:?}"
                );
            }
            // A strategy that spins the main thread holds the loop throughout.
            assert!(!p.spins_main || p.hold == LoopHold::Throughout, "{s:?}");
            // Tasks one per thread only where there are threads.
            assert!(p.at_once == AtOnce::One || p.uses_workers(), "{s:?}");
            assert!(!p.sweeps || p.uses_workers(), "{s:?}");
            assert!(!p.python.is_empty(), "{s:?}");
        }
        assert_eq!(Strategy::Pool.profile().cpu_threads(8, 2), 2);
        assert_eq!(Strategy::ConcurrentAwait.profile().cpu_threads(8, 2), 1);
        assert_eq!(pool_share(0, 0), 1);
        let queues: Vec<_> = Strategy::ALL
            .iter()
            .filter(|s| s.profile().k_beyond_pool_queues())
            .map(|s| s.token())
            .collect();
        assert_eq!(queues, ["pool", "par", "parblock"]);
        // Which Python runs it is the experiment's, not the strategy's.
        assert!(Strategy::ALL.iter().all(|s| !s.profile().gil));
        let threads: Vec<_> = Strategy::ALL
            .iter()
            .filter(|s| s.profile().threads)
            .map(|s| s.token())
            .collect();
        assert_eq!(threads, ["pool", "par", "parblock", "thread"]);
    }
}
