//! The notes the page puts beside a run about how this device will run the
//! experiment: the pool's threads against `k` ([`queue_note`]) and the
//! default executor's size for `asyncio.to_thread` ([`executor_note`]).

use crate::experiment::{CpuPlace, Strategy};
use crate::i18n::Catalogue;

/// What the page says of `asyncio.to_thread` on a device of `cores` with a
/// pool of `pool_threads`: the default executor's size, what a waiting
/// thread costs, and how many threads really compute.
pub fn executor_note(text: &Catalogue, cores: u32, pool_threads: u32) -> String {
    let d = crate::experiment::default_executor_size(cores);
    text.fill("executor.note", &[("d", &d), ("n", &pool_threads)])
}

/// What the page says when `k` asks for more threads than the pool has
/// (`None` when it does not, or the strategy has no `k`): only the pool's
/// threads compute at once, the rest queue, where Python's executor would
/// start `k` threads.
pub fn queue_note(
    text: &Catalogue,
    strategy: Strategy,
    k: u32,
    pool_threads: u32,
) -> Option<String> {
    let profile = strategy.profile();
    if !profile.k_beyond_pool_queues() || pool_threads == 0 || k <= pool_threads {
        return None;
    }
    let split = profile.cpu == CpuPlace::Split;
    let key = if split {
        "queue.note.split"
    } else {
        "queue.note.pool"
    };
    Some(text.fill(key, &[("k", &k), ("n", &pool_threads)]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{shipped, Lang};

    #[test]
    fn a_k_larger_than_the_pool_is_said_plainly() {
        let en = shipped(Lang::En).expect("the English catalogue reads");
        let fr = shipped(Lang::Fr).expect("the French catalogue reads");
        let note = queue_note(&en, Strategy::Pool, 6, 2).expect("k > threads");
        assert!(note.contains("at most 2 tasks compute at once"), "{note}");
        assert!(note.contains("max_workers=6"), "{note}");
        assert!(queue_note(&fr, Strategy::DataParallel, 4, 2)
            .expect("split")
            .contains("2 d’entre eux"));
        assert_eq!(queue_note(&en, Strategy::Pool, 2, 2), None);
        assert_eq!(queue_note(&en, Strategy::ConcurrentAwait, 8, 2), None);
        assert_eq!(
            queue_note(&en, Strategy::Pool, 8, 0),
            None,
            "no pool yet: nothing to compare"
        );
    }
}
