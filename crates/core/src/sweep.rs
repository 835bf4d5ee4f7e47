//! What a sweep over k = 1…N shows, and which model it is compared with.
//!
//! The speed-up of a sweep point is wall(k = 1) ÷ wall(k). Each strategy gets
//! the model that explains its shortfall: a data-parallel task has a serial
//! fraction, so Amdahl's law is fitted to it; a pool of whole tasks falls
//! short by load imbalance, so its curve is list scheduling (n equal tasks
//! take ⌈n/k⌉ rounds) and no serial fraction is fitted; GIL mode computes on
//! one thread at a time whatever k is. Karp–Flatt's experimentally determined
//! serial fraction is given for every k ≥ 2 point: flat when the shortfall is
//! serial work, rising when it is imbalance or overhead.

use serde::{Deserialize, Serialize};

use crate::experiment::Strategy;
use crate::metrics::{fit_amdahl, karp_flatt, AmdahlFit};
use crate::predict::amdahl_speedup;

/// The model a sweep's measured curve is compared with.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SweepModel {
    /// Amdahl's law with the fitted serial fraction (data-parallel tasks).
    Amdahl(AmdahlFit),
    /// n equal whole tasks on k workers: n ÷ ⌈n/k⌉.
    ListScheduling {
        /// Tasks in the experiment.
        tasks: u32,
    },
    /// One thread computes at a time: 1 whatever k is.
    OneAtATime,
}

impl SweepModel {
    /// The model's speed-up at `k`.
    pub fn speedup_at(&self, k: u32) -> f64 {
        match *self {
            SweepModel::Amdahl(fit) => amdahl_speedup(k, fit.serial_fraction),
            SweepModel::ListScheduling { tasks } => list_speedup(tasks, k),
            SweepModel::OneAtATime => 1.0,
        }
    }
}

/// Speed-up of n equal tasks on k workers over one worker: n ÷ ⌈n/k⌉.
pub fn list_speedup(tasks: u32, k: u32) -> f64 {
    let n = tasks.max(1);
    f64::from(n) / f64::from(n.div_ceil(k.max(1)))
}

/// A sweep's points turned into speed-ups, with their model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepAnalysis {
    /// (k, wall(1) ÷ wall(k)) for every point with a positive wall time.
    pub speedups: Vec<(u32, f64)>,
    /// (k, Karp–Flatt serial fraction) for every k ≥ 2 point.
    pub karp_flatt: Vec<(u32, f64)>,
    /// The model for this strategy (`None` when it cannot be made yet, e.g.
    /// an Amdahl fit with no k ≥ 2 point).
    pub model: Option<SweepModel>,
}

/// Analyses the (k, wall ms) points of a sweep of `strategy` over `tasks` CPU tasks.
pub fn analyse(strategy: Strategy, tasks: u32, points: &[(u32, f64)]) -> SweepAnalysis {
    let base = points
        .iter()
        .find(|p| p.0 == 1)
        .map(|p| p.1)
        .filter(|w| *w > 0.0 && w.is_finite());
    let speedups: Vec<(u32, f64)> = points
        .iter()
        .filter_map(|&(k, wall)| {
            let b = base?;
            (wall > 0.0 && wall.is_finite()).then_some((k, b / wall))
        })
        .collect();
    let karp_flatt = speedups
        .iter()
        .filter_map(|&(k, s)| karp_flatt(s, k).map(|e| (k, e)))
        .collect();
    let model = match strategy {
        Strategy::DataParallel | Strategy::ParallelBlocking => fit_amdahl(&speedups)
            .filter(|f| f.points >= 2)
            .map(SweepModel::Amdahl),
        Strategy::GilMode => Some(SweepModel::OneAtATime),
        _ => Some(SweepModel::ListScheduling { tasks }),
    };
    SweepAnalysis {
        speedups,
        karp_flatt,
        model,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_synthetic_serial_fraction_is_recovered_from_noisy_walls() {
        // T₁ = 1,000 ms, s = 0.3, k = 1…8, each wall off by up to ±1.5 %.
        let noise = [0.0, 0.012, -0.015, 0.008, -0.01, 0.015, -0.004, 0.011];
        let points: Vec<(u32, f64)> = (1..=8)
            .map(|k| {
                let ideal = 1000.0 * (0.3 + 0.7 / f64::from(k));
                (k, ideal * (1.0 + noise[k as usize - 1]))
            })
            .collect();
        let a = analyse(Strategy::DataParallel, 4, &points);
        let Some(SweepModel::Amdahl(fit)) = a.model else {
            panic!("no Amdahl fit: {a:?}");
        };
        assert!(
            (fit.serial_fraction - 0.3).abs() <= 0.02,
            "fit {}",
            fit.serial_fraction
        );
        assert_eq!(a.karp_flatt.len(), 7);
        assert!(a.karp_flatt.iter().all(|&(_, e)| (e - 0.3).abs() < 0.06));
    }

    #[test]
    fn a_pool_of_whole_tasks_is_load_imbalance_not_serial_work() {
        // 4 equal tasks of 100 ms: k = 3 still needs two rounds.
        let points = [(1, 400.0), (2, 200.0), (3, 200.0), (4, 100.0)];
        let a = analyse(Strategy::Pool, 4, &points);
        assert_eq!(a.model, Some(SweepModel::ListScheduling { tasks: 4 }));
        let model = a.model.unwrap();
        for &(k, s) in &a.speedups {
            assert!((model.speedup_at(k) - s).abs() < 1e-9, "k = {k}");
        }
        // Karp–Flatt says 0 where the rounds fit and > 0 at k = 3: imbalance.
        assert_eq!(a.karp_flatt[0], (2, 0.0));
        assert!(a.karp_flatt[1].1 > 0.2);
        assert_eq!(list_speedup(8, 3), 8.0 / 3.0);
        assert_eq!(
            analyse(Strategy::GilMode, 4, &points)
                .model
                .unwrap()
                .speedup_at(4),
            1.0
        );
    }

    #[test]
    fn no_fit_without_a_base_or_a_second_point() {
        assert!(analyse(Strategy::DataParallel, 1, &[(1, 100.0)])
            .model
            .is_none());
        let no_base = analyse(Strategy::Pool, 2, &[(2, 100.0)]);
        assert!(no_base.speedups.is_empty());
    }
}
