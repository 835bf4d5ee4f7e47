//! Seeded, deterministic I/O workloads: latencies and injected failures.
//!
//! The generator is PCG XSL RR 128/64 (MCG) from `rand_pcg`, seeded through
//! SplitMix64 by this module (not by a library default that could change).
//! Uniform variates take the top 53 bits of a draw. Transcendentals come from
//! `libm`, which is the same code on every target, and latencies are rounded
//! to whole microseconds, so a seed gives the same workload natively and in
//! wasm32. Each task draws exactly two variates for its latency and one for
//! its failure, from two separate streams: changing the distribution or the
//! failure rate keeps the other draws, and task `i` does not depend on the
//! number of tasks.
//!
//! The latencies are fixed, uniform, exponential (a long tail) or log-normal
//! with a cap; failures are drawn at the experiment's rate.

use crate::experiment::{Experiment, Latency};
use rand_core::RngCore;
use rand_pcg::Pcg64Mcg;
use serde::{Deserialize, Serialize};

/// One I/O task of a workload: how long it waits and whether it fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IoTask {
    /// Index of the task among the I/O tasks.
    pub index: u32,
    /// Wait, in whole microseconds.
    pub latency_us: u64,
    /// Whether the task ends with an error.
    pub fails: bool,
}

/// The parameters of a latency distribution, in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LatencyModel {
    /// Which distribution.
    pub distribution: Latency,
    /// Fixed value, mean (uniform, exponential) or median (log-normal), in ms.
    pub latency_ms: f64,
    /// Uniform half-width, in ms.
    pub spread_ms: f64,
    /// Log-normal shape.
    pub sigma: f64,
    /// Largest latency, in ms.
    pub cap_ms: f64,
}

impl LatencyModel {
    /// The latency model of an experiment.
    pub fn of(e: &Experiment) -> LatencyModel {
        LatencyModel {
            distribution: e.latency,
            latency_ms: f64::from(e.latency_ms),
            spread_ms: f64::from(e.spread_ms),
            sigma: e.sigma,
            cap_ms: f64::from(e.cap_ms),
        }
    }

    /// The latency for two uniform variates in `[0, 1)`, in whole µs: at
    /// least 0, and at most the cap for the long tails.
    pub fn sample_us(&self, u1: f64, u2: f64) -> u64 {
        // The cap tames the long tails only: a fixed or uniform latency is
        // what was asked, so that the cap, which the editor shows with the
        // tails alone, changes nothing else.
        let cap_ms = match self.distribution {
            Latency::Fixed | Latency::Uniform => f64::INFINITY,
            Latency::Exponential | Latency::LogNormal => self.cap_ms,
        };
        let ms = match self.distribution {
            Latency::Fixed => self.latency_ms,
            Latency::Uniform => self.latency_ms - self.spread_ms + 2.0 * self.spread_ms * u1,
            // Inverse CDF; 1 - u1 is in (0, 1], so the log is finite.
            Latency::Exponential => -self.latency_ms * libm::log(1.0 - u1),
            // Box–Muller for a standard normal z, then median · e^(σz).
            Latency::LogNormal => {
                let r = libm::sqrt(-2.0 * libm::log(1.0 - u1));
                let z = r * libm::cos(2.0 * core::f64::consts::PI * u2);
                self.latency_ms * libm::exp(self.sigma * z)
            }
        };
        quantise_us(ms, cap_ms)
    }
}

/// Milliseconds to whole microseconds, within `0..=cap_ms`; NaN becomes 0.
fn quantise_us(ms: f64, cap_ms: f64) -> u64 {
    let cap = libm::round(cap_ms.max(0.0) * 1000.0);
    let us = libm::round(ms * 1000.0);
    // `f64::max`/`min` drop NaN, and `as u64` saturates: no input can panic.
    us.max(0.0).min(cap) as u64
}

/// SplitMix64: spreads a seed over 64 bits (Steele, Lea and Flood, 2014).
pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A PCG64-MCG stream for `seed` and `stream`, seeded by SplitMix64.
pub fn rng(seed: u64, stream: u64) -> Pcg64Mcg {
    let a = splitmix64(seed ^ splitmix64(stream));
    let b = splitmix64(a);
    Pcg64Mcg::new((u128::from(a) << 64) | u128::from(b))
}

/// A uniform variate in `[0, 1)` from the top 53 bits of a draw.
pub fn unit_f64(rng: &mut Pcg64Mcg) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

const LATENCY_STREAM: u64 = 1;
const FAILURE_STREAM: u64 = 2;

/// `n` I/O tasks with latencies from `model` and failures of probability `failure_rate`.
pub fn generate(model: &LatencyModel, failure_rate: f64, n: u32, seed: u64) -> Vec<IoTask> {
    let mut lat = rng(seed, LATENCY_STREAM);
    let mut fail = rng(seed, FAILURE_STREAM);
    (0..n)
        .map(|index| {
            let (u1, u2) = (unit_f64(&mut lat), unit_f64(&mut lat));
            IoTask {
                index,
                latency_us: model.sample_us(u1, u2),
                fails: unit_f64(&mut fail) < failure_rate,
            }
        })
        .collect()
}

/// The I/O tasks of an experiment (empty when its workload has none).
pub fn io_tasks(e: &Experiment) -> Vec<IoTask> {
    generate(
        &LatencyModel::of(e),
        e.failure_rate,
        e.io_task_count(),
        e.seed,
    )
}

/// The task a program starts with `create_task` and forgets
/// (`neglect=unretrieved`), numbered after the `awaited` tasks: it waits
/// half the latency, then fails. `None` for any other experiment. The
/// executor runs it, the model predicts it, and the twin waits as long.
pub fn forgotten_task(e: &Experiment, awaited: usize) -> Option<IoTask> {
    (e.neglected() == crate::experiment::Neglect::Unretrieved).then(|| IoTask {
        index: u32::try_from(awaited).unwrap_or(u32::MAX),
        latency_us: neglected_latency_us(e),
        fails: true,
    })
}

/// How long a neglected coroutine of `e` waits, were it to run: half the
/// latency, µs.
pub fn neglected_latency_us(e: &Experiment) -> u64 {
    u64::from(e.latency_ms) * 500
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::Workload;

    fn model(distribution: Latency) -> LatencyModel {
        LatencyModel {
            distribution,
            latency_ms: 100.0,
            spread_ms: 50.0,
            sigma: 0.5,
            cap_ms: 2_000.0,
        }
    }

    #[test]
    fn the_generator_is_pinned() {
        // The latencies themselves are checked by `determinism::self_check`.
        assert_eq!(rng(42, 1).next_u64(), 6_140_392_407_246_455_477);
        assert_eq!(splitmix64(0), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn same_seed_same_workload_and_prefix_stability() {
        let m = model(Latency::LogNormal);
        let a = generate(&m, 0.3, 100, 7);
        assert_eq!(a, generate(&m, 0.3, 100, 7));
        assert_eq!(a[..10], generate(&m, 0.3, 10, 7)[..]);
        assert_ne!(a, generate(&m, 0.3, 100, 8));
        // Failures do not depend on the latency distribution.
        let b = generate(&model(Latency::Fixed), 0.3, 100, 7);
        assert!(a.iter().zip(&b).all(|(x, y)| x.fails == y.fails));
    }

    #[test]
    fn latencies_respect_bounds_and_means() {
        let n = 20_000;
        let exp = generate(&model(Latency::Exponential), 0.0, n, 1);
        assert!(exp.iter().all(|t| t.latency_us <= 2_000_000));
        let mean = exp.iter().map(|t| t.latency_us as f64).sum::<f64>() / f64::from(n);
        assert!(
            (mean - 100_000.0).abs() < 3_000.0,
            "exponential mean {mean}"
        );
        let uni = generate(&model(Latency::Uniform), 0.0, n, 1);
        assert!(uni
            .iter()
            .all(|t| (50_000..=150_000).contains(&t.latency_us)));
        let mut logn: Vec<u64> = generate(&model(Latency::LogNormal), 0.0, n, 1)
            .iter()
            .map(|t| t.latency_us)
            .collect();
        logn.sort_unstable();
        let median = logn[logn.len() / 2] as f64;
        assert!(
            (median - 100_000.0).abs() < 3_000.0,
            "log-normal median {median}"
        );
        let fails = generate(&model(Latency::Fixed), 0.25, n, 1)
            .iter()
            .filter(|t| t.fails)
            .count();
        assert!((4_500..5_500).contains(&fails), "{fails}");
    }

    #[test]
    fn caps_and_extremes_never_panic() {
        let m = LatencyModel {
            cap_ms: 1.0,
            ..model(Latency::Exponential)
        };
        assert_eq!(m.sample_us(0.999_999_999, 0.0), 1_000);
        let m = LatencyModel {
            sigma: 3.0,
            latency_ms: 60_000.0,
            cap_ms: 600_000.0,
            ..model(Latency::LogNormal)
        };
        assert_eq!(m.sample_us(1.0 - f64::EPSILON, 0.0), 600_000_000);
        assert_eq!(quantise_us(f64::NAN, 10.0), 0);
        assert_eq!(quantise_us(-5.0, 10.0), 0);
        assert_eq!(quantise_us(f64::INFINITY, 10.0), 10_000);
    }

    #[test]
    fn experiment_tasks_follow_its_workload() {
        let e = Experiment {
            workload: Workload::Cpu,
            ..Experiment::default()
        };
        assert!(io_tasks(&e).is_empty());
        let e = Experiment {
            workload: Workload::Mixed,
            io_tasks: 3,
            ..e
        };
        assert_eq!(io_tasks(&e).len(), 3);
    }
}
