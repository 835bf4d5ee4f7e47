//! **Core share**: how fast the threads that computed went, against a
//! reference of the same work on the same kind of thread: T₁'s time of each
//! task (or, for a run on the main thread alone, which is its own T₁, the
//! calibration taken before the run). 1.0 is full speed; 0.5 is half, as
//! when each of two threads shared its core with another program.
//!
//! A run that gained little from two threads is either a strategy that
//! cannot gain (the GIL, the main thread) or a device whose cores were busy
//! with other work; without this figure the page could not tell which, and
//! a learner would conclude that parallelism does not work.
//!
//! Per thread: Σ reference time of the tasks it computed ÷ Σ their measured
//! CPU time; the figure is the median over the threads. A task counts for
//! the thread of its first CPU span (a task split over the pool counts
//! whole, for the thread that began it). Only tasks that ran to their end
//! count; a thread that computed less than [`MIN_MEASURED_US`] is left out,
//! its time too short to time well.

use std::collections::BTreeMap;

use crate::i18n::Catalogue;
use crate::trace::Lane;

/// Least CPU time a thread must have computed for its pace to count, µs.
pub const MIN_MEASURED_US: u64 = 1_000;

/// Below this share the page says the cores were shared.
pub const SHARED_BELOW: f64 = 0.8;

/// One finished task's pace: where it computed, what the calibration said
/// it would take, what it took.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TaskPace {
    /// The thread it computed on (its first CPU span's).
    pub lane: Lane,
    /// Its time in the reference (T₁'s, or at the calibrated rate), µs.
    pub calibrated_us: u64,
    /// Its measured CPU time, µs.
    pub measured_us: u64,
}

/// The median over threads of calibrated ÷ measured time (see the module's
/// doc); `None` without a thread that computed long enough.
pub fn core_share(paces: impl IntoIterator<Item = TaskPace>) -> Option<f64> {
    let mut per_lane: BTreeMap<Lane, (u64, u64)> = BTreeMap::new();
    for p in paces {
        let lane = per_lane.entry(p.lane).or_default();
        lane.0 = lane.0.saturating_add(p.calibrated_us);
        lane.1 = lane.1.saturating_add(p.measured_us);
    }
    let mut shares: Vec<f64> = per_lane
        .values()
        .filter(|(calibrated, measured)| *measured >= MIN_MEASURED_US && *calibrated > 0)
        .filter_map(|&(calibrated, measured)| super::ratio(calibrated as f64, measured as f64))
        .collect();
    shares.sort_by(f64::total_cmp);
    let n = shares.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(shares[n / 2]),
        _ => Some((shares[n / 2 - 1] + shares[n / 2]) / 2.0),
    }
}

/// Below this share a strategy whose main thread spins beside its workers
/// (parallel-but-blocking) says that its own spinning slowed them.
pub const SPIN_SHARED_BELOW: f64 = 0.9;

/// Whether `share` says other work slowed the run's threads enough to name it.
pub fn cores_shared(share: Option<f64>) -> bool {
    share.is_some_and(|s| s < SHARED_BELOW)
}

/// The sentence beside speed-up when the threads went slower than
/// calibrated, for a run that computed on `threads` threads at once; a
/// strategy whose main thread `spins_main` beside its workers names that
/// first, since the page itself takes a core then. `None` at full speed.
pub fn note(
    text: &Catalogue,
    share: Option<f64>,
    threads: u32,
    spins_main: bool,
) -> Option<String> {
    let share = share?;
    let key = if spins_main {
        (share < SPIN_SHARED_BELOW).then_some("share.note.spin")?
    } else if share >= SHARED_BELOW {
        return None;
    } else {
        match threads {
            0 | 1 => "share.note.one",
            2 => "share.note.both",
            _ => "share.note.many",
        }
    };
    let percent = text.lang().number(share * 100.0, 0);
    Some(text.fill(key, &[("percent", &percent), ("threads", &threads)]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pace(lane: Lane, calibrated_us: u64, measured_us: u64) -> TaskPace {
        TaskPace {
            lane,
            calibrated_us,
            measured_us,
        }
    }

    #[test]
    fn full_speed_reads_one_and_half_speed_one_half() {
        let quiet = [
            pace(Lane::Worker(0), 40_000, 40_000),
            pace(Lane::Worker(1), 40_000, 40_000),
        ];
        assert_eq!(core_share(quiet), Some(1.0));
        let busy = [
            pace(Lane::Worker(0), 40_000, 80_000),
            pace(Lane::Worker(1), 40_000, 80_000),
            pace(Lane::Worker(1), 40_000, 80_000),
        ];
        assert_eq!(core_share(busy), Some(0.5));
        assert!(cores_shared(core_share(busy)));
        assert!(!cores_shared(core_share(quiet)));
        assert!(!cores_shared(None));
    }

    #[test]
    fn the_median_thread_speaks_for_the_run() {
        // One thread slowed to a third, two at full speed: the median is 1.
        let paces = [
            pace(Lane::Worker(0), 30_000, 90_000),
            pace(Lane::Worker(1), 30_000, 30_000),
            pace(Lane::Worker(2), 30_000, 30_000),
        ];
        assert_eq!(core_share(paces), Some(1.0));
        // Two threads: the mean of both.
        let two = [
            pace(Lane::Main, 30_000, 60_000),
            pace(Lane::Worker(0), 30_000, 30_000),
        ];
        assert_eq!(core_share(two), Some(0.75));
    }

    #[test]
    fn a_slowed_run_says_why_in_each_language() {
        use crate::i18n::{shipped, Lang};
        let en = shipped(Lang::En).expect("the English catalogue reads");
        let fr = shipped(Lang::Fr).expect("the French catalogue reads");
        let both = note(&en, Some(0.52), 2, false).expect("below 0.8");
        assert!(both.starts_with("Both threads computed at once"), "{both}");
        assert!(
            both.contains("52 %") && both.contains("Close them"),
            "{both}"
        );
        assert!(note(&en, Some(0.6), 1, false)
            .unwrap()
            .contains("The thread that computed ran at 60 %"));
        assert!(note(&fr, Some(0.5), 4, false)
            .unwrap()
            .contains("Les 4 threads"));
        assert_eq!(note(&en, Some(0.85), 2, false), None, "near full speed");
        assert_eq!(note(&en, None, 2, false), None, "no CPU work timed");
        let spin = note(&en, Some(0.7), 2, true).expect("the page's own spinning");
        assert!(
            spin.contains("main thread spins") && spin.contains("70 %"),
            "{spin}"
        );
        assert_eq!(note(&en, Some(0.95), 2, true), None);
        for text in [&en, &fr] {
            for (share, threads, spins) in [
                (0.5, 1, false),
                (0.5, 2, false),
                (0.5, 3, false),
                (0.5, 2, true),
            ] {
                let line = note(text, Some(share), threads, spins).expect("a sentence");
                assert!(!line.contains('{') && !line.contains('‹'), "{line}");
            }
        }
    }

    #[test]
    fn threads_too_brief_to_time_are_left_out() {
        assert_eq!(core_share([pace(Lane::Worker(0), 500, 900)]), None);
        assert_eq!(core_share([]), None);
        let mixed = [
            pace(Lane::Worker(0), 500, 900),
            pace(Lane::Worker(1), 20_000, 40_000),
        ];
        assert_eq!(core_share(mixed), Some(0.5));
    }
}
