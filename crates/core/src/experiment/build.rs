//! The two builds of the page and what each can run.
//!
//! The threaded build (atomics, one shared memory) runs every strategy. The
//! single-thread fallback, loaded where the page cannot be cross-origin
//! isolated, has no shared memory: CPU work can run on the main thread or on
//! the process-style pool (each process has a memory of its own), never on
//! the thread pool. These rules decide which strategies the editor offers,
//! what a link or a preset becomes there, and what the hook refuses.

use serde::{Deserialize, Serialize};

use super::validate::{normalize, Problem, ProblemKind};
use super::{Experiment, Field, Strategy, Workload};

/// Which build of the page is running.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Build {
    /// Built with atomics: the page shares its memory with a pool of workers.
    Threaded,
    /// Built without atomics: no shared memory, so no thread pool.
    Fallback,
}

impl Build {
    /// Its name in the hook's JSON and on the page: `threaded` or `fallback`.
    pub fn token(self) -> &'static str {
        match self {
            Build::Threaded => "threaded",
            Build::Fallback => "fallback",
        }
    }

    /// Whether `strategy` can run `workload`'s tasks in this build: in the
    /// fallback, CPU work cannot go to the thread pool (waits never need it).
    pub fn runs(self, strategy: Strategy, workload: Workload) -> bool {
        self == Build::Threaded || !(strategy.needs_thread_pool() && workload.has_cpu())
    }

    /// The problem with running `e` in this build, if there is one.
    pub fn problem(self, e: &Experiment) -> Option<Problem> {
        (!self.runs(e.strategy, e.workload))
            .then(|| Problem::new(Field::Strategy, ProblemKind::NeedsSharedMemory))
    }

    /// `e` as this build runs it: in the fallback, CPU work meant for the
    /// thread pool goes to the process-style pool with the same `k` (clamped
    /// to its bounds), which still runs in parallel. Returns the problems
    /// that were fixed, the shared-memory one first.
    pub fn adapt(self, e: &Experiment) -> (Experiment, Vec<Problem>) {
        let Some(problem) = self.problem(e) else {
            return (e.clone(), Vec::new());
        };
        let mut moved = e.clone();
        moved.strategy = Strategy::ProcessPool;
        let (valid, fixed) = normalize(&moved);
        (valid, std::iter::once(problem).chain(fixed).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::url::decode_str;
    use crate::experiment::{validate, Token};

    #[test]
    fn the_threaded_build_runs_everything() {
        for &s in Strategy::ALL {
            for &w in Workload::ALL {
                assert!(Build::Threaded.runs(s, w), "{s:?} {w:?}");
            }
        }
    }

    #[test]
    fn the_fallback_refuses_cpu_work_on_the_thread_pool_only() {
        let refused: Vec<_> = Strategy::ALL
            .iter()
            .filter(|&&s| !Build::Fallback.runs(s, Workload::Cpu))
            .map(|s| s.token())
            .collect();
        assert_eq!(refused, ["pool", "par", "parblock", "thread"]);
        // Waits in asyncio.to_thread need no shared memory: the executor's
        // threads only sleep.
        assert!(Build::Fallback.runs(Strategy::ToThread, Workload::Io));
        assert!(!Build::Fallback.runs(Strategy::ToThread, Workload::Mixed));
        assert!(Build::Fallback.runs(Strategy::ProcessPool, Workload::Mixed));
        assert!(Build::Fallback.runs(Strategy::InlineBlocking, Workload::Cpu));
    }

    #[test]
    fn adapting_moves_cpu_work_to_the_process_pool_with_the_same_k() {
        let e = decode_str("w=cpu&s=pool&k=3&n=6").experiment;
        let problem = Build::Fallback.problem(&e).unwrap();
        assert_eq!(problem.field, Some(Field::Strategy));
        assert_eq!(problem.kind, ProblemKind::NeedsSharedMemory);
        let (adapted, problems) = Build::Fallback.adapt(&e);
        assert_eq!(adapted.strategy, Strategy::ProcessPool);
        assert_eq!((adapted.workers, adapted.cpu_tasks), (3, 6));
        assert_eq!(problems, vec![problem]);
        assert_eq!(Build::Threaded.adapt(&e), (e.clone(), Vec::new()));
        let io = decode_str("w=io&s=thread").experiment;
        assert_eq!(Build::Fallback.adapt(&io), (io.clone(), Vec::new()));
    }

    #[test]
    fn an_adapted_experiment_is_valid_even_when_k_exceeds_the_process_bound() {
        let e = decode_str("w=cpu&s=gil&k=32").experiment;
        let (adapted, problems) = Build::Fallback.adapt(&e);
        assert!(validate(&adapted).is_ok());
        assert!(Build::Fallback.problem(&adapted).is_none());
        assert!(adapted.workers < 32);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(problems[1].field, Some(Field::Workers));
    }
}
