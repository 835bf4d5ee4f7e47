//! Metrics: speed-up, efficiency, percentiles, event-loop lag, lane use, Amdahl fit, Karp–Flatt.
//!
//! Functions return `None` rather than a NaN or a panic when the input cannot
//! give an answer (an empty sample, a zero time, k = 1 for Karp–Flatt).

use crate::trace::{Lane, Span, SpanKind};
use serde::{Deserialize, Serialize};

/// Speed-up `t1 / tk` of a run taking `tk` over one taking `t1`.
pub fn speedup(t1: f64, tk: f64) -> Option<f64> {
    finite(t1 / tk).filter(|_| tk > 0.0 && t1 >= 0.0)
}

/// Efficiency `speed-up / k`: how much of k workers the run put to use.
pub fn efficiency(t1: f64, tk: f64, k: u32) -> Option<f64> {
    if k == 0 {
        return None;
    }
    speedup(t1, tk).map(|s| s / f64::from(k))
}

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
    /// which the main thread is held for each of `stalls_ms` (and free
    /// otherwise): the model's lag, summarised like a measured one.
    pub fn of_stalls(stalls_ms: &[f64], wall_ms: f64, interval_ms: f64) -> LagSummary {
        let held: f64 = stalls_ms
            .iter()
            .filter(|s| s.is_finite())
            .map(|s| s.max(0.0))
            .sum();
        let free_beats = if interval_ms > 0.0 && wall_ms.is_finite() {
            ((wall_ms - held).max(0.0) / interval_ms).floor() as usize
        } else {
            0
        };
        let drifts: Vec<f64> = std::iter::repeat_n(0.0, free_beats.min(MAX_CORRECTION_SAMPLES))
            .chain(stalls_ms.iter().copied())
            .collect();
        LagSummary::from_heartbeats(&drifts, interval_ms, LagSummary::LONG_TASK_MS)
    }
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

/// Busy time of one lane.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LaneUse {
    /// The lane.
    pub lane: Lane,
    /// Time covered by CPU spans (overlaps merged), in µs.
    pub busy_us: u64,
    /// `busy_us` over the window, in `0..=1`.
    pub utilisation: f64,
}

/// Per-lane utilisation of CPU spans over `[start_us, end_us)`, lanes in order (main first).
pub fn lane_utilisation(spans: &[Span], start_us: u64, end_us: u64) -> Vec<LaneUse> {
    let window = end_us.saturating_sub(start_us);
    let mut lanes: Vec<Lane> = spans.iter().map(|s| s.lane).collect();
    lanes.sort_unstable();
    lanes.dedup();
    lanes
        .into_iter()
        .map(|lane| {
            let mut iv: Vec<(u64, u64)> = spans
                .iter()
                .filter(|s| s.lane == lane && s.kind == SpanKind::Cpu)
                .map(|s| (s.start_us.max(start_us), s.end_us.min(end_us)))
                .filter(|(a, b)| a < b)
                .collect();
            iv.sort_unstable();
            let mut busy = 0u64;
            let mut cur: Option<(u64, u64)> = None;
            for (a, b) in iv {
                cur = match cur {
                    Some((ca, cb)) if a <= cb => Some((ca, cb.max(b))),
                    Some((ca, cb)) => {
                        busy += cb - ca;
                        Some((a, b))
                    }
                    None => Some((a, b)),
                };
            }
            if let Some((ca, cb)) = cur {
                busy += cb - ca;
            }
            LaneUse {
                lane,
                busy_us: busy,
                utilisation: if window == 0 {
                    0.0
                } else {
                    busy as f64 / window as f64
                },
            }
        })
        .collect()
}

/// Least-squares fit of Amdahl's law to a k-sweep.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct AmdahlFit {
    /// Fitted serial fraction, in `0..=1`.
    pub serial_fraction: f64,
    /// Root-mean-square error of the fitted speed-ups.
    pub rms_error: f64,
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
    let serial_fraction = (sxy / sxx).clamp(0.0, 1.0);
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
        points: used.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::Outcome;

    #[test]
    fn speedup_efficiency_karp_flatt_by_hand() {
        assert_eq!(speedup(100.0, 25.0), Some(4.0));
        assert_eq!(speedup(100.0, 0.0), None);
        assert_eq!(efficiency(100.0, 50.0, 4), Some(0.5));
        assert_eq!(efficiency(100.0, 50.0, 0), None);
        // S = 2.5 on 4 workers: (0.4 − 0.25) / 0.75 = 0.2.
        assert!((karp_flatt(2.5, 4).unwrap() - 0.2).abs() < 1e-12);
        assert_eq!(karp_flatt(1.0, 1), None);
        assert_eq!(karp_flatt(f64::NAN, 4), None);
    }

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        let p = Percentiles::of(&v).unwrap();
        assert_eq!(
            (p.p50, p.p95, p.p99, p.max, p.mean),
            (50.0, 95.0, 99.0, 100.0, 50.5)
        );
        let p = Percentiles::of(&[3.0, f64::NAN, 1.0, 2.0]).unwrap();
        assert_eq!((p.count, p.p50, p.p99), (3, 2.0, 3.0));
        assert_eq!(Percentiles::of(&[]), None);
        assert_eq!(Percentiles::of(&[7.0]).unwrap().p50, 7.0);
    }

    #[test]
    fn lag_and_frames() {
        let lag = LagSummary::from_heartbeats(&[1.0, -2.0, 60.0, 120.0, f64::INFINITY], 50.0, 50.0);
        assert_eq!(lag.long, 2);
        assert_eq!(lag.total_ms, 181.0);
        // 60 adds nothing past one interval (10 < 50); 120 adds 70.
        assert_eq!(lag.drift_ms.unwrap().count, 5);
        // 16.7 ms frames; one gap of 3 periods (2 missed), one of 2 (1 missed).
        assert_eq!(frames_missed(&[0.0, 16.7, 66.8, 100.2, 116.9], 16.7), 3);
        assert_eq!(frames_missed(&[0.0, 10.0], 0.0), 0);
    }

    #[test]
    fn a_stall_counts_for_every_heartbeat_it_swallowed() {
        // A 1 s run, heartbeat every 5 ms, one 250 ms block: 150 beats on
        // time, then one 250 ms late. One sample per beat said p95 ≈ 0.
        let mut drifts = vec![0.2; 150];
        drifts.push(250.0);
        let naive = Percentiles::of(&drifts).unwrap();
        assert!(naive.p95 < 1.0);
        let lag = LagSummary::from_heartbeats(&drifts, 5.0, 50.0);
        let p = lag.drift_ms.unwrap();
        assert_eq!(p.count, 200);
        assert!(p.p95 >= 200.0, "p95 {}", p.p95);
        assert_eq!((p.max, lag.long), (250.0, 1));
        // An idle page: every beat a little late, nothing swallowed.
        let idle = LagSummary::from_heartbeats(&[0.3; 200], 5.0, 50.0);
        assert!(idle.drift_ms.unwrap().p95 < 5.0);
        // The model's view of the same run gives the same figures.
        let model = LagSummary::of_stalls(&[250.0], 1000.0, 5.0)
            .drift_ms
            .unwrap();
        assert_eq!((model.count, model.p95, model.max), (200, 200.0, 250.0));
        assert_eq!(
            LagSummary::of_stalls(&[], 1000.0, 5.0)
                .drift_ms
                .unwrap()
                .p95,
            0.0
        );
    }

    #[test]
    fn lane_utilisation_merges_overlaps_and_ignores_waits() {
        let span = |lane, kind, a, b| Span {
            task: 0,
            lane,
            kind,
            start_us: a,
            end_us: b,
            outcome: Outcome::Ok,
        };
        let spans = [
            span(Lane::Main, SpanKind::IoWait, 0, 100),
            span(Lane::Main, SpanKind::Cpu, 10, 30),
            span(Lane::Worker(0), SpanKind::Cpu, 0, 60),
            span(Lane::Worker(0), SpanKind::Cpu, 50, 80),
            span(Lane::Worker(1), SpanKind::Queued, 0, 50),
            span(Lane::Worker(1), SpanKind::Cpu, 90, 150),
        ];
        let u = lane_utilisation(&spans, 0, 100);
        let busy: Vec<(Lane, u64)> = u.iter().map(|l| (l.lane, l.busy_us)).collect();
        assert_eq!(
            busy,
            [
                (Lane::Main, 20),
                (Lane::Worker(0), 80),
                (Lane::Worker(1), 10)
            ]
        );
        assert_eq!(u[1].utilisation, 0.8);
    }

    #[test]
    fn amdahl_fit_recovers_the_serial_fraction() {
        let s = 0.1;
        let sweep: Vec<(u32, f64)> = (1..=8)
            .map(|k| (k, 1.0 / (s + (1.0 - s) / f64::from(k))))
            .collect();
        let fit = fit_amdahl(&sweep).unwrap();
        assert!((fit.serial_fraction - 0.1).abs() < 1e-12);
        assert!(fit.rms_error < 1e-9);
        // Karp–Flatt on exact Amdahl data gives s at every k.
        for &(k, sp) in &sweep[1..] {
            assert!((karp_flatt(sp, k).unwrap() - 0.1).abs() < 1e-12);
        }
        assert_eq!(fit_amdahl(&[(1, 1.0)]), None);
        assert_eq!(fit_amdahl(&[(2, 3.0)]).unwrap().serial_fraction, 0.0);
    }
}
