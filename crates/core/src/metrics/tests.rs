//! Metrics checked by hand.

use super::*;

#[test]
fn karp_flatt_by_hand() {
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
    let model = LagSummary::of_stalls(&[(250.0, 1)], 1000.0, 5.0)
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

#[test]
fn short_stalls_delay_only_the_beats_that_fall_in_them() {
    // A cooperative run: 1,000 s of 0.5 ms chunks, half the time busy. A beat
    // falls in a chunk half the time and waits 0.25 ms on average; millions
    // of chunks cost one entry.
    let lag = LagSummary::of_stalls(&[(0.5, 1_000_000)], 1_000_000.0, 5.0);
    let p = lag.drift_ms.unwrap();
    assert_eq!(p.count, 200_000);
    assert_eq!((p.p50, p.p95, p.max), (0.0, 0.25, 0.25));
    assert_eq!(lag.long, 0);
    // Ten 100 ms stalls in 1 s: the loop is held all the time.
    let held = LagSummary::of_stalls(&[(100.0, 10)], 1_000.0, 5.0)
        .drift_ms
        .unwrap();
    assert!(held.p50 >= 45.0 && held.max == 100.0, "{held:?}");
}
