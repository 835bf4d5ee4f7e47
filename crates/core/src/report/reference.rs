//! What a run is compared with, like for like: T₁, the single-thread
//! reference its speed-up divides (and where it was timed), and the
//! calibration its pace is held to (its core share).

use super::{Execution, TaskResult};
use crate::experiment::Strategy;
use crate::figures::share::TaskPace;
use crate::i18n::Catalogue;
use crate::predict::TaskKind;
use crate::trace::Outcome;

/// Where the reference run computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferenceThread {
    /// One pool worker, one task after another.
    Worker,
    /// The page's main thread, in chunks with a yield between; only the
    /// chunks' time counts.
    Main,
}

impl ReferenceThread {
    /// Where T₁ of a run of `strategy` is timed: like for like, on the kind
    /// of thread its CPU work runs on. A worker and the main thread need not
    /// compute at the same speed: on a busy two-core laptop a worker took
    /// 885 ms for the tasks the main thread ran inline in 532 ms, and one
    /// thread read 1.66 times as fast as one thread. Without a
    /// pool (`pool_ready` false, the fallback build) only the main thread
    /// is there to time it.
    pub fn for_run(strategy: Strategy, pool_ready: bool) -> ReferenceThread {
        if strategy.profile().computes_on_main() || !pool_ready {
            ReferenceThread::Main
        } else {
            ReferenceThread::Worker
        }
    }

    /// The hook's name for it: `main` or `worker`.
    pub fn token(self) -> &'static str {
        match self {
            ReferenceThread::Worker => "worker",
            ReferenceThread::Main => "main",
        }
    }
}

/// T₁: the measured single-thread time of an experiment's CPU tasks.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct T1 {
    /// Σ of the tasks' times, ms.
    pub ms: f64,
    /// When it was measured, on the page clock (ms).
    pub measured_at_ms: f64,
    /// Where.
    pub thread: ReferenceThread,
    /// Whether this run measured it (`false`: it came from the session's cache).
    pub fresh: bool,
    /// Whether it is the run's own CPU time: a run that computed one task at
    /// a time (on the main thread alone, or on threads taking turns under
    /// the GIL) ran the same tasks on one thread at a time, in the very
    /// form compared, and is its own single-thread reference.
    pub in_run: bool,
}

impl T1 {
    /// T₁ of a run whose strategy computes one task at a time (on the main
    /// thread, or under the GIL): the CPU time of its own CPU tasks (each
    /// counted to its end, so `None` when one did not end before the wait
    /// returned; the page then times a reference). A GIL run's CPU spans are
    /// the GIL holds only, so they too add up to one thread's time.
    /// A reference timed apart is timed at another moment of a shared
    /// machine and in another form (chunks against whole tasks): an inline
    /// run read 1.13–1.20 times as fast as one thread beside a reference
    /// chunked on the main thread on a loaded laptop, and a `to_thread` run
    /// of two 1 ms tasks 1.17 times beside one timed on a worker.
    pub fn of_run(run: &Execution) -> Option<T1> {
        let e = run.experiment.get();
        let profile = e.profile();
        if !profile.computes_one_at_a_time() {
            return None;
        }
        let thread = if profile.computes_on_main() {
            ReferenceThread::Main
        } else {
            ReferenceThread::Worker
        };
        let cpu_tasks = run.n_io as u32..run.n_io as u32 + e.cpu_task_count();
        let finished = |task: u32| {
            run.done
                .iter()
                .any(|d| d.task == task && d.outcome == Outcome::Ok)
        };
        let mut cpu_us = 0u64;
        for task in cpu_tasks {
            if !finished(task) {
                return None;
            }
            cpu_us = cpu_us.saturating_add(run.tally.task(task)?.cpu_us);
        }
        (cpu_us > 0).then(|| T1 {
            ms: cpu_us as f64 / 1000.0,
            measured_at_ms: run.t0_ms + run.wall_ms,
            thread,
            fresh: true,
            in_run: true,
        })
    }

    /// How and when it was measured, in one sentence of the results, for a
    /// run of `strategy` with `tasks` CPU tasks (the main thread is named
    /// as the run's own thread, or as the stand-in for a pool not ready).
    pub fn describe(&self, text: &Catalogue, strategy: Strategy, tasks: u32) -> String {
        let n = u64::from(tasks);
        let ms = text.lang().number(self.ms, 1);
        let count = text.lang().integer(n);
        if self.in_run {
            let tasks = text.fill_count("results.t1.run.tasks", n, &[("n", &count)]);
            let key = match self.thread {
                ReferenceThread::Main => "results.t1.run",
                ReferenceThread::Worker => "results.t1.run.gil",
            };
            return text.fill(key, &[("ms", &ms), ("tasks", &tasks)]);
        }
        let tasks = text.fill_count("results.t1.tasks", n, &[("n", &count)]);
        let place = match self.thread {
            ReferenceThread::Worker => "results.t1.where.worker",
            ReferenceThread::Main if strategy.profile().computes_on_main() => {
                "results.t1.where.main"
            }
            ReferenceThread::Main => "results.t1.where.no_pool",
        };
        let when = if self.fresh {
            "results.t1.when.fresh"
        } else {
            "results.t1.when.earlier"
        };
        text.fill(
            "results.t1",
            &[
                ("ms", &ms),
                ("tasks", &tasks),
                ("where", &text.get(place)),
                ("at", &text.lang().number(self.measured_at_ms / 1000.0, 1)),
                ("when", &text.get(when)),
            ],
        )
    }
}

/// The run's core share: each CPU task that ran to its end, timed against
/// the reference run's time of the same task (`t1_tasks_ms`, one per CPU
/// task, on the kind of thread the run computed on), or, where the run was
/// its own reference, against the calibration its prediction used. The
/// reference times every task for what it is: a sampled calibration misses
/// tasks of uneven cost by a fifth or more (Mandelbrot's tiles: a quiet run
/// read 1.17 against the calibration).
pub(super) fn core_share(
    run: &Execution,
    tasks: &[TaskResult],
    t1_tasks_ms: &[f64],
) -> Option<f64> {
    let cpu_tasks = run.experiment.get().cpu_task_list();
    let timed_apart = t1_tasks_ms.len() == cpu_tasks.len();
    let calibration = run.calibration;
    if !timed_apart && calibration.is_none() {
        return None;
    }
    let paces = tasks
        .iter()
        .filter(|t| t.kind == TaskKind::Cpu && t.outcome == Outcome::Ok && !t.pending_at_return)
        .filter_map(|t| {
            let tally = run.tally.task(t.task)?;
            let i = (t.task as usize).checked_sub(run.n_io)?;
            let reference_ms = if timed_apart {
                *t1_tasks_ms.get(i)?
            } else {
                calibration?.ms_for_size(cpu_tasks.get(i)?.size)
            };
            Some(TaskPace {
                lane: tally.cpu_lane?,
                calibrated_us: (reference_ms * 1000.0).round().max(0.0) as u64,
                measured_us: tally.cpu_us,
            })
        });
    crate::figures::share::core_share(paces)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{shipped, Lang};

    #[test]
    fn t1_is_timed_on_the_thread_the_run_computes_on() {
        for on_main in [
            Strategy::InlineBlocking,
            Strategy::CooperativeChunks,
            Strategy::SequentialAwait,
        ] {
            assert_eq!(
                ReferenceThread::for_run(on_main, true),
                ReferenceThread::Main
            );
        }
        for on_workers in [Strategy::Pool, Strategy::DataParallel, Strategy::ToThread] {
            assert_eq!(
                ReferenceThread::for_run(on_workers, true),
                ReferenceThread::Worker
            );
            assert_eq!(
                ReferenceThread::for_run(on_workers, false),
                ReferenceThread::Main,
                "no pool: only the main thread can time it"
            );
        }
    }

    #[test]
    fn the_sentence_says_where_and_why() {
        let en = shipped(Lang::En).expect("the English catalogue reads");
        let fr = shipped(Lang::Fr).expect("the French catalogue reads");
        let t1 = |thread, fresh| T1 {
            ms: 532.04,
            measured_at_ms: 12_345.0,
            thread,
            fresh,
            in_run: false,
        };
        let own = T1 {
            in_run: true,
            ..t1(ReferenceThread::Main, true)
        }
        .describe(&fr, Strategy::InlineBlocking, 3);
        assert!(own.contains("cette exécution"), "{own}");
        assert!(!own.contains('{'), "{own}");
        let inline = t1(ReferenceThread::Main, true).describe(&en, Strategy::InlineBlocking, 3);
        assert!(inline.starts_with("T₁ = 532.0 ms"), "{inline}");
        assert!(
            inline.contains("the thread this run computed on"),
            "{inline}"
        );
        assert!(inline.contains("just after this run"), "{inline}");
        assert!(inline.contains("12.3 s"), "{inline}");
        let stand_in = t1(ReferenceThread::Main, false).describe(&en, Strategy::Pool, 3);
        assert!(stand_in.contains("the pool was not ready"), "{stand_in}");
        assert!(stand_in.contains("earlier in this session"), "{stand_in}");
        let pool = t1(ReferenceThread::Worker, true).describe(&fr, Strategy::Pool, 3);
        assert!(pool.contains("worker du pool"), "{pool}");
        assert!(!pool.contains('{'), "every placeholder filled: {pool}");
    }
}
