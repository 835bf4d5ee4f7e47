//! Metrics: percentiles, event-loop lag, Amdahl fit, Karp–Flatt. Speed-up
//! and efficiency are figures, defined once in [`crate::figures`].
//!
//! Functions return `None` rather than a NaN or a panic when the input cannot
//! give an answer (an empty sample, a zero time, k = 1 for Karp–Flatt).
//!
//! Lag is counted without coordinated omission: a stall is corrected by the
//! expected interval, so it counts for every heartbeat it swallowed; the
//! model's stalls are summarised the same way, so that measured and predicted
//! lag compare.

use serde::{Deserialize, Serialize};

/// The Karp–Flatt metric: the experimentally determined serial fraction
/// `(1/S − 1/k) / (1 − 1/k)` for a speed-up `S` on `k > 1` workers.
pub fn karp_flatt(speedup: f64, k: u32) -> Option<f64> {
    if k < 2 || speedup.is_nan() || speedup <= 0.0 {
        return None;
    }
    let inv_k = 1.0 / f64::from(k);
    finite((1.0 / speedup - inv_k) / (1.0 - inv_k))
}

/// Period of the event-loop heartbeat the lag probe uses, in ms: short
/// enough to see a 16 ms stall, long enough not to load the loop (and above
/// browsers' 4 ms timer clamp).
pub const HEARTBEAT_MS: u32 = 5;

/// A display refresh period (60 Hz), for counting missed frames, in ms.
pub const FRAME_PERIOD_MS: f64 = 1000.0 / 60.0;

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// Summary of a sample: count, mean, p50, p95, p99 and max.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Percentiles {
    /// Finite values in the sample.
    pub count: usize,
    /// Arithmetic mean.
    pub mean: f64,
    /// Median (nearest rank).
    pub p50: f64,
    /// 95th percentile (nearest rank).
    pub p95: f64,
    /// 99th percentile (nearest rank).
    pub p99: f64,
    /// Largest value.
    pub max: f64,
}

impl Percentiles {
    /// Percentiles of the finite values of `sample` (nearest-rank method); `None` if there are none.
    pub fn of(sample: &[f64]) -> Option<Percentiles> {
        let mut v: Vec<f64> = sample.iter().copied().filter(|x| x.is_finite()).collect();
        if v.is_empty() {
            return None;
        }
        v.sort_by(f64::total_cmp);
        let n = v.len();
        // Nearest rank: the smallest value with at least p% of the sample at or below it.
        let rank = |p: f64| v[((p / 100.0 * n as f64).ceil() as usize).clamp(1, n) - 1];
        Some(Percentiles {
            count: n,
            mean: v.iter().sum::<f64>() / n as f64,
            p50: rank(50.0),
            p95: rank(95.0),
            p99: rank(99.0),
            max: v[n - 1],
        })
    }
}

/// Event-loop lag: how late heartbeats fired, and how often the loop was held long.
///
/// Without coordinated omission: a heartbeat due every `interval` that fires
/// `d` late stands for every beat the stall swallowed, so it also records
/// `d − interval`, `d − 2·interval`, … down to one interval (HdrHistogram's
/// expected-interval correction). One 250 ms block in a 1 s run with a 5 ms
/// heartbeat is then 50 samples out of about 200, not one.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LagSummary {
    /// Percentiles of the corrected drift samples, in ms (`None` without samples).
    pub drift_ms: Option<Percentiles>,
    /// Heartbeats that fired at or over the long-task threshold late.
    pub long: usize,
    /// The threshold used, in ms.
    pub long_threshold_ms: f64,
    /// Total drift of the heartbeats that fired, in ms: time the loop could not answer.
    pub total_ms: f64,
}

/// Most samples the correction adds for one late heartbeat, so that a
/// pathological stall cannot allocate without bound (a 10 s stall at 5 ms
/// adds 2,000).
const MAX_CORRECTION_SAMPLES: usize = 100_000;

/// The drifts (ms, negatives as 0) with the beats each stall swallowed added
/// back, for a heartbeat due every `interval_ms`.
pub fn corrected_drifts(drifts_ms: &[f64], interval_ms: f64) -> Vec<f64> {
    let mut out = Vec::with_capacity(drifts_ms.len());
    for d in drifts_ms
        .iter()
        .filter(|x| x.is_finite())
        .map(|&x| x.max(0.0))
    {
        out.push(d);
        if interval_ms.is_finite() && interval_ms > 0.0 {
            let mut missing = d - interval_ms;
            let mut added = 0;
            while missing >= interval_ms && added < MAX_CORRECTION_SAMPLES {
                out.push(missing);
                missing -= interval_ms;
                added += 1;
            }
        }
    }
    out
}

impl LagSummary {
    /// The browser's long-task threshold, in ms.
    pub const LONG_TASK_MS: f64 = 50.0;

    /// Summarises heartbeat drifts (actual minus expected firing time, in ms;
    /// negatives count as 0) of a heartbeat due every `interval_ms`, with the
    /// expected-interval correction.
    pub fn from_heartbeats(
        drifts_ms: &[f64],
        interval_ms: f64,
        long_threshold_ms: f64,
    ) -> LagSummary {
        let fired: Vec<f64> = drifts_ms
            .iter()
            .filter(|x| x.is_finite())
            .map(|&x| x.max(0.0))
            .collect();
        LagSummary {
            drift_ms: Percentiles::of(&corrected_drifts(&fired, interval_ms)),
            long: fired.iter().filter(|&&x| x >= long_threshold_ms).count(),
            long_threshold_ms,
            total_ms: fired.iter().sum(),
        }
    }

    /// What a heartbeat due every `interval_ms` would see over `wall_ms` in
    /// which the main thread is held for `count` stalls of each `ms`, and is
    /// free otherwise: the model's lag, summarised like a measured one.
    ///
    /// A stall at least one interval long delays one beat by its length and
    /// swallows the rest (corrected as [`corrected_drifts`] does). A shorter
    /// one delays a beat only if one falls due inside it (a chance of
    /// `ms / interval`), by half its length on average. Stalls are given as
    /// (ms, count), so a cooperative run of millions of equal chunks costs a
    /// few entries, not millions.
    pub fn of_stalls(stalls: &[(f64, u64)], wall_ms: f64, interval_ms: f64) -> LagSummary {
        let stalls: Vec<(f64, f64)> = stalls
            .iter()
            .filter(|s| s.0.is_finite() && s.0 > 0.0 && s.1 > 0)
            .map(|&(ms, count)| (ms, count as f64))
            .collect();
        let beats = if interval_ms > 0.0 && wall_ms.is_finite() && wall_ms > 0.0 {
            (wall_ms / interval_ms).floor()
        } else {
            0.0
        };
        // (drift, weight): weights count heartbeats.
        let mut weighted: Vec<(f64, f64)> = Vec::new();
        let mut delayed = 0.0;
        for &(ms, count) in &stalls {
            if ms >= interval_ms {
                for d in corrected_drifts(&[ms], interval_ms) {
                    weighted.push((d, count));
                    delayed += count;
                }
            } else {
                let hit = ms / interval_ms * count;
                weighted.push((ms / 2.0, hit));
                delayed += hit;
            }
        }
        weighted.push((0.0, (beats - delayed).max(0.0)));
        let held = stalls.iter().map(|&(ms, count)| ms * count).sum();
        LagSummary {
            drift_ms: weighted_percentiles(&mut weighted),
            long: stalls
                .iter()
                .filter(|s| s.0 >= LagSummary::LONG_TASK_MS)
                .map(|s| s.1 as usize)
                .sum(),
            long_threshold_ms: LagSummary::LONG_TASK_MS,
            total_ms: held,
        }
    }
}

/// Percentiles of (value, weight) pairs, nearest rank by weight; `None`
/// without weight.
fn weighted_percentiles(sample: &mut [(f64, f64)]) -> Option<Percentiles> {
    sample.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = sample.iter().map(|s| s.1.max(0.0)).sum();
    if total.is_nan() || total <= 0.0 {
        return None;
    }
    let rank = |p: f64| {
        let want = (p / 100.0 * total).max(f64::MIN_POSITIVE);
        let mut seen = 0.0;
        for &(v, w) in sample.iter() {
            seen += w.max(0.0);
            if seen >= want - 1e-9 {
                return v;
            }
        }
        sample.last().map_or(0.0, |s| s.0)
    };
    let max = sample
        .iter()
        .filter(|s| s.1 > 0.0)
        .map(|s| s.0)
        .fold(0.0, f64::max);
    Some(Percentiles {
        count: total.round() as usize,
        mean: sample.iter().map(|s| s.0 * s.1.max(0.0)).sum::<f64>() / total,
        p50: rank(50.0),
        p95: rank(95.0),
        p99: rank(99.0),
        max,
    })
}

/// Frames missed between successive animation-frame timestamps (ms) at `period_ms` per frame.
pub fn frames_missed(frame_times_ms: &[f64], period_ms: f64) -> u64 {
    if period_ms.is_nan() || period_ms <= 0.0 {
        return 0;
    }
    frame_times_ms
        .windows(2)
        .map(|w| {
            let gap = (w[1] - w[0]) / period_ms;
            // A gap of ~2 periods is one missed frame; jitter under half a period is none.
            if gap.is_finite() && gap > 1.5 {
                libm::round(gap) as u64 - 1
            } else {
                0
            }
        })
        .fold(0u64, u64::saturating_add)
}

/// Least-squares fit of Amdahl's law to a k-sweep.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct AmdahlFit {
    /// Fitted serial fraction, in `0..=1`.
    pub serial_fraction: f64,
    /// Root-mean-square error of the fitted speed-ups.
    pub rms_error: f64,
    /// Standard error of the serial fraction (from the residuals of the
    /// linear fit; 0 with a single point, where nothing says how far off).
    pub std_error: f64,
    /// Points used (finite, positive speed-ups with k ≥ 1).
    pub points: usize,
}

/// Fits `s` in `1/S = s + (1−s)/k` to `(k, speed-up)` points by least squares.
///
/// With `x = 1 − 1/k` and `y = 1/S − 1/k` the law is `y = s·x`, a line through
/// the origin, so `s = Σxy / Σx²`. Needs one point with k ≥ 2.
pub fn fit_amdahl(points: &[(u32, f64)]) -> Option<AmdahlFit> {
    let used: Vec<(f64, f64)> = points
        .iter()
        .filter(|&&(k, s)| k >= 1 && s.is_finite() && s > 0.0)
        .map(|&(k, s)| (f64::from(k), s))
        .collect();
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for &(k, s) in &used {
        let x = 1.0 - 1.0 / k;
        sxy += x * (1.0 / s - 1.0 / k);
        sxx += x * x;
    }
    if sxx == 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    let serial_fraction = slope.clamp(0.0, 1.0);
    // The slope's standard error, σ / √Σx², σ² from the residuals (points at
    // k = 1 have x = 0 and tell nothing, so they do not count as degrees of
    // freedom).
    let informative = used.iter().filter(|&&(k, _)| k > 1.0).count();
    let residuals: f64 = used
        .iter()
        .map(|&(k, s)| {
            let (x, y) = (1.0 - 1.0 / k, 1.0 / s - 1.0 / k);
            (y - slope * x) * (y - slope * x)
        })
        .sum();
    let std_error = if informative >= 2 {
        libm::sqrt(residuals / (informative - 1) as f64 / sxx)
    } else {
        0.0
    };
    let sq: f64 = used
        .iter()
        .map(|&(k, s)| {
            let model = 1.0 / (serial_fraction + (1.0 - serial_fraction) / k);
            (model - s) * (model - s)
        })
        .sum();
    Some(AmdahlFit {
        serial_fraction,
        rms_error: libm::sqrt(sq / used.len() as f64),
        std_error,
        points: used.len(),
    })
}

#[cfg(test)]
mod tests;
