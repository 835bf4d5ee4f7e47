//! Scheduling primitives of the model: sum, max, rounds, list scheduling
//! in submission order, processor sharing, Amdahl's law.

use serde::{Deserialize, Serialize};

/// A schedule of tasks onto workers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// When the last task ends, in µs.
    pub makespan_us: u64,
    /// When each task ends, in input order.
    pub finish_us: Vec<u64>,
    /// Which worker runs each task, in input order.
    pub lane: Vec<u32>,
}

/// Σ durations (saturating).
pub fn sum_us(durations: &[u64]) -> u64 {
    durations.iter().fold(0u64, |a, &d| a.saturating_add(d))
}

/// The longest duration (0 for none).
pub fn max_us(durations: &[u64]) -> u64 {
    durations.iter().copied().max().unwrap_or(0)
}

/// `⌈n/k⌉·t`: n equal tasks of `t_us` on k workers.
pub fn rounds_us(n: u64, k: u32, t_us: u64) -> u64 {
    n.div_ceil(u64::from(k.max(1))).saturating_mul(t_us)
}

/// Greedy list scheduling in the given order: each task goes to the first worker free.
pub fn list_schedule(durations: &[u64], k: u32) -> Schedule {
    let order: Vec<usize> = (0..durations.len()).collect();
    schedule_in_order(durations, k, &order)
}

fn schedule_in_order(durations: &[u64], k: u32, order: &[usize]) -> Schedule {
    let k = k.max(1) as usize;
    let mut free_at = vec![0u64; k.min(durations.len().max(1))];
    let mut finish = vec![0u64; durations.len()];
    let mut lane = vec![0u32; durations.len()];
    for &i in order {
        // First worker with the earliest free time (ties to the lowest index).
        let (w, start) = free_at
            .iter()
            .copied()
            .enumerate()
            .min_by_key(|&(w, t)| (t, w))
            .unwrap_or((0, 0));
        let end = start.saturating_add(durations[i]);
        free_at[w] = end;
        finish[i] = end;
        lane[i] = w as u32;
    }
    Schedule {
        makespan_us: max_us(&finish),
        finish_us: finish,
        lane,
    }
}

/// Amdahl's law: time of a `t_us` job on k workers with serial fraction `s`.
pub fn amdahl_us(t_us: u64, k: u32, s: f64) -> u64 {
    let s = if s.is_finite() {
        s.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let t = t_us as f64;
    let time = s * t + (1.0 - s) * t / f64::from(k.max(1));
    // Non-negative and at most t_us; `as` saturates anyway.
    libm::round(time) as u64
}

/// Amdahl's speed-up on k workers with serial fraction `s`: 1 / (s + (1−s)/k).
pub fn amdahl_speedup(k: u32, s: f64) -> f64 {
    let s = if s.is_finite() {
        s.clamp(0.0, 1.0)
    } else {
        0.0
    };
    1.0 / (s + (1.0 - s) / f64::from(k.max(1)))
}

/// Processor sharing: at most `slots` tasks in flight (taken in order as
/// slots free up), all sharing one core equally — GIL mode, where `k`
/// threads hold tasks but only the lock holder computes, handed over fairly.
/// Returns (start, end) of each task, µs.
pub fn shared_core(durations: &[u64], slots: u32) -> Vec<(u64, u64)> {
    let slots = slots.max(1) as usize;
    let mut out = vec![(0u64, 0u64); durations.len()];
    let mut remaining: Vec<f64> = durations.iter().map(|&d| d as f64).collect();
    let mut active: Vec<usize> = Vec::with_capacity(slots);
    let (mut next, mut t) = (0usize, 0f64);
    loop {
        while active.len() < slots && next < durations.len() {
            out[next].0 = libm::round(t) as u64;
            active.push(next);
            next += 1;
        }
        if active.is_empty() {
            break;
        }
        let least = active
            .iter()
            .map(|&i| remaining[i])
            .fold(f64::INFINITY, f64::min);
        // Each of n active tasks progresses at 1/n: the least one ends after n·least.
        t += least * active.len() as f64;
        for &i in &active {
            remaining[i] -= least;
        }
        active.retain(|&i| {
            let finished = remaining[i] <= 1e-9;
            if finished {
                out[i].1 = libm::round(t) as u64;
            }
            !finished
        });
    }
    out
}
