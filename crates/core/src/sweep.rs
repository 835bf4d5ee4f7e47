//! What a sweep over k = 1…N shows, and which model it is compared with.
//!
//! Every k is run several times; a point's speed-up is wall(k = 1) ÷ wall(k)
//! (the median of the k = 1 runs over each run at k), shown as the median
//! with the spread of its runs. Beside the points, the model for the
//! experiment's own parameters: a data-parallel task has a serial fraction,
//! so Amdahl's law with the fraction the experiment sets; a pool of whole
//! tasks falls short by load imbalance, so list scheduling (n equal tasks
//! take ⌈n/k⌉ rounds); GIL mode computes on one thread at a time. None of
//! them computes on more threads than the pool has: past that, k only
//! queues work, and the curve is flat (oversubscription). For data-parallel
//! tasks the serial fraction is also fitted to the runs, with its standard
//! error. Karp–Flatt's experimentally determined serial fraction is given
//! for every k ≥ 2: flat when the shortfall is serial work, rising when it
//! is imbalance or overhead.

use serde::{Deserialize, Serialize};

use crate::experiment::{CpuPlace, Profile};
use crate::metrics::{fit_amdahl, karp_flatt, AmdahlFit, Percentiles};
use crate::predict::amdahl_speedup;

/// Runs per k in a sweep: enough to see the spread of a noisy machine.
pub const SWEEP_REPEATS: u32 = 3;

/// The largest k a sweep runs on a pool of `pool_threads` and a device of
/// `cores`: twice the cores (at least the pool), so that the points past
/// the cores show the plateau, within the editor's bound on k.
pub fn sweep_max_k(pool_threads: u32, cores: u32) -> u32 {
    pool_threads.max(cores.saturating_mul(2)).clamp(2, 16)
}

/// The model a sweep's points are compared with.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SweepModel {
    /// Amdahl's law with this serial fraction (data-parallel tasks), on at
    /// most `threads` threads.
    Amdahl {
        /// The serial fraction.
        serial_fraction: f64,
        /// Threads that can compute at once.
        threads: u32,
    },
    /// n equal whole tasks on k workers, at most `threads` at once:
    /// n ÷ ⌈n/min(k, threads)⌉.
    ListScheduling {
        /// Tasks in the experiment.
        tasks: u32,
        /// Threads that can compute at once.
        threads: u32,
    },
    /// One thread computes at a time: 1 whatever k is.
    OneAtATime,
}

impl SweepModel {
    /// The model's speed-up at `k`.
    pub fn speedup_at(&self, k: u32) -> f64 {
        match *self {
            SweepModel::Amdahl {
                serial_fraction,
                threads,
            } => amdahl_speedup(k.min(threads.max(1)), serial_fraction),
            SweepModel::ListScheduling { tasks, threads } => {
                list_speedup(tasks, k.min(threads.max(1)))
            }
            SweepModel::OneAtATime => 1.0,
        }
    }
}

/// Speed-up of n equal tasks on k workers over one worker: n ÷ ⌈n/k⌉.
pub fn list_speedup(tasks: u32, k: u32) -> f64 {
    let n = tasks.max(1);
    f64::from(n) / f64::from(n.div_ceil(k.max(1)))
}

/// What a sweep ran: the experiment's parameters and every run's wall time.
#[derive(Clone, Copy, Debug)]
pub struct SweepInputs<'a> {
    /// The swept experiment's row of the strategy table (its Python's GIL
    /// included: [`crate::experiment::Experiment::profile`]).
    pub profile: Profile,
    /// CPU tasks in the experiment.
    pub tasks: u32,
    /// The serial fraction the experiment sets (data-parallel tasks).
    pub serial_fraction: f64,
    /// Threads of the pool: past them, k only queues.
    pub threads: u32,
    /// (k, every run's wall ms), in k order.
    pub runs: &'a [(u32, Vec<f64>)],
}

/// One k of a sweep: its runs' speed-ups.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    /// Workers asked for.
    pub k: u32,
    /// Median speed-up of its runs.
    pub median: f64,
    /// Slowest run's speed-up.
    pub min: f64,
    /// Fastest run's speed-up.
    pub max: f64,
    /// Runs measured.
    pub runs: usize,
}

/// A sweep's runs turned into speed-ups, with their models.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepAnalysis {
    /// One point per k with a k = 1 base and a positive wall time.
    pub points: Vec<SweepPoint>,
    /// (k, Karp–Flatt serial fraction of the median) for every k from 2 to
    /// the pool's threads.
    pub karp_flatt: Vec<(u32, f64)>,
    /// The model for the experiment's own parameters.
    pub model: SweepModel,
    /// The serial fraction fitted to every run (data-parallel tasks with a
    /// k ≥ 2 run), with its standard error.
    pub fit: Option<AmdahlFit>,
    /// Threads of the pool, where the plateau starts.
    pub threads: u32,
}

/// Analyses a sweep's runs.
pub fn analyse(inputs: SweepInputs<'_>) -> SweepAnalysis {
    let usable = |w: &f64| *w > 0.0 && w.is_finite();
    let base = inputs
        .runs
        .iter()
        .find(|(k, _)| *k == 1)
        .and_then(|(_, walls)| {
            let walls: Vec<f64> = walls.iter().copied().filter(usable).collect();
            Percentiles::of(&walls).map(|p| p.p50)
        });
    // (k, speed-up) of every run.
    let each: Vec<(u32, f64)> = inputs
        .runs
        .iter()
        .flat_map(|(k, walls)| walls.iter().filter(|w| usable(w)).map(move |w| (*k, *w)))
        .filter_map(|(k, wall)| Some((k, base? / wall)))
        .collect();
    let points: Vec<SweepPoint> = inputs
        .runs
        .iter()
        .filter_map(|(k, _)| {
            let speedups: Vec<f64> = each.iter().filter(|p| p.0 == *k).map(|p| p.1).collect();
            Some(SweepPoint {
                k: *k,
                median: Percentiles::of(&speedups)?.p50,
                min: speedups.iter().copied().fold(f64::INFINITY, f64::min),
                max: speedups.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                runs: speedups.len(),
            })
        })
        .collect();
    let threads = inputs.threads.max(1);
    // Past the pool's threads more k only queues: Karp–Flatt would read the
    // queueing as serial work.
    let karp_flatt = points
        .iter()
        .filter(|p| p.k <= threads)
        .filter_map(|p| karp_flatt(p.median, p.k).map(|e| (p.k, e)))
        .collect();
    let profile = inputs.profile;
    let (model, fit) = match profile.cpu {
        CpuPlace::Split => {
            // Fitted on the threads that computed: past the pool, k queues.
            let effective: Vec<(u32, f64)> =
                each.iter().map(|&(k, s)| (k.min(threads), s)).collect();
            (
                SweepModel::Amdahl {
                    serial_fraction: inputs.serial_fraction,
                    threads,
                },
                fit_amdahl(&effective)
                    .filter(|f| effective.iter().any(|p| p.0 >= 2) && f.points >= 2),
            )
        }
        _ if profile.gil => (SweepModel::OneAtATime, None),
        _ => (
            SweepModel::ListScheduling {
                tasks: inputs.tasks,
                threads,
            },
            None,
        ),
    };
    SweepAnalysis {
        points,
        karp_flatt,
        model,
        fit,
        threads,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::Strategy;

    fn inputs(strategy: Strategy, tasks: u32, runs: &[(u32, Vec<f64>)]) -> SweepInputs<'_> {
        SweepInputs {
            profile: strategy.profile(),
            tasks,
            serial_fraction: 0.3,
            threads: 8,
            runs,
        }
    }

    #[test]
    fn a_synthetic_serial_fraction_is_recovered_from_noisy_runs() {
        // T₁ = 1,000 ms, s = 0.3, k = 1…8, three runs each off by up to ±1.5 %.
        let noise = [0.0, 0.012, -0.015, 0.008, -0.01, 0.015, -0.004, 0.011];
        let runs: Vec<(u32, Vec<f64>)> = (1..=8)
            .map(|k| {
                let ideal = 1000.0 * (0.3 + 0.7 / f64::from(k));
                let n = noise[k as usize - 1];
                (k, vec![ideal * (1.0 + n), ideal * (1.0 - n), ideal])
            })
            .collect();
        let a = analyse(inputs(Strategy::DataParallel, 4, &runs));
        let fit = a.fit.expect("a fit");
        assert!((fit.serial_fraction - 0.3).abs() <= 0.02, "fit {fit:?}");
        assert!(fit.std_error > 0.0 && fit.std_error < 0.02, "{fit:?}");
        assert_eq!(fit.points, 24);
        assert_eq!(a.points.len(), 8);
        assert!(a
            .points
            .iter()
            .all(|p| p.runs == 3 && p.min <= p.median && p.median <= p.max));
        assert_eq!(a.karp_flatt.len(), 7);
        assert!(a.karp_flatt.iter().all(|&(_, e)| (e - 0.3).abs() < 0.06));
        // The model is the experiment's own serial fraction, not the fit.
        assert_eq!(
            a.model,
            SweepModel::Amdahl {
                serial_fraction: 0.3,
                threads: 8
            }
        );
    }

    #[test]
    fn past_the_pool_the_model_is_flat_and_the_fit_counts_the_threads_that_computed() {
        // Two threads: k = 3 and 4 run as k = 2 would.
        let runs: Vec<(u32, Vec<f64>)> = vec![
            (1, vec![1000.0; 3]),
            (2, vec![650.0; 3]),
            (3, vec![650.0; 3]),
            (4, vec![650.0; 3]),
        ];
        let a = analyse(SweepInputs {
            threads: 2,
            ..inputs(Strategy::DataParallel, 2, &runs)
        });
        let model = a.model;
        assert!((model.speedup_at(4) - model.speedup_at(2)).abs() < 1e-12);
        assert!((model.speedup_at(2) - 1.0 / 0.65).abs() < 1e-9);
        let fit = a.fit.expect("a fit");
        assert!((fit.serial_fraction - 0.3).abs() < 1e-9, "{fit:?}");
        let pool = analyse(SweepInputs {
            threads: 2,
            ..inputs(Strategy::Pool, 8, &runs)
        });
        assert_eq!(pool.model.speedup_at(4), 2.0);
        assert!(pool.fit.is_none());
        assert_eq!(
            a.karp_flatt.len(),
            1,
            "only k ≤ the threads: {:?}",
            a.karp_flatt
        );
    }

    #[test]
    fn a_pool_of_whole_tasks_is_load_imbalance_not_serial_work() {
        // 4 equal tasks of 100 ms: k = 3 still needs two rounds.
        let runs = [
            (1, vec![400.0]),
            (2, vec![200.0]),
            (3, vec![200.0]),
            (4, vec![100.0]),
        ];
        let a = analyse(inputs(Strategy::Pool, 4, &runs));
        assert_eq!(
            a.model,
            SweepModel::ListScheduling {
                tasks: 4,
                threads: 8
            }
        );
        for p in &a.points {
            assert!(
                (a.model.speedup_at(p.k) - p.median).abs() < 1e-9,
                "k = {}",
                p.k
            );
        }
        // Karp–Flatt says 0 where the rounds fit and > 0 at k = 3: imbalance.
        assert_eq!(a.karp_flatt[0], (2, 0.0));
        assert!(a.karp_flatt[1].1 > 0.2);
        assert_eq!(list_speedup(8, 3), 8.0 / 3.0);
        let gil = SweepInputs {
            profile: Profile {
                gil: true,
                ..Strategy::Pool.profile()
            },
            ..inputs(Strategy::Pool, 4, &runs)
        };
        assert_eq!(analyse(gil).model.speedup_at(4), 1.0);
        assert_eq!(sweep_max_k(2, 2), 4);
        assert_eq!(sweep_max_k(64, 32), 16);
    }

    #[test]
    fn no_point_without_a_base_and_no_fit_without_a_second_k() {
        let one = [(1, vec![100.0, 110.0])];
        let a = analyse(inputs(Strategy::DataParallel, 1, &one));
        assert!(a.fit.is_none());
        assert_eq!(a.points.len(), 1);
        let no_base = analyse(inputs(Strategy::Pool, 2, &[(2, vec![100.0])]));
        assert!(no_base.points.is_empty());
    }
}
