//! Calibration: how much of a kernel this device does per millisecond.
//!
//! The clock is injected (`performance.now()` in the browser, `Instant` in
//! the native baseline) because `std::time` panics on wasm32-unknown-unknown.
//! Calibration runs tasks of doubling size until one takes long enough to be
//! measured well, then keeps running tasks until the time budget is spent;
//! the rate is total size over total time. Successive tasks use successive
//! indices, so the rate of the Mandelbrot kernel averages over several tiles.
//!
//! [`calibrate_tasks`] samples single steps of the experiment's own tasks (in
//! golden-ratio order, within a time budget), so that a kernel whose cost
//! varies along a task (Mandelbrot's rows) is measured where it will run.

use crate::kernels::{CpuTask, Kernel};
use serde::{Deserialize, Serialize};

/// A measured rate of one kernel on this device.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// The kernel measured.
    pub kernel: Kernel,
    /// Units of task size done per millisecond.
    pub size_per_ms: f64,
    /// Units of size run while measuring.
    pub measured_size: u64,
    /// Milliseconds measured.
    pub measured_ms: f64,
}

impl Calibration {
    /// The task size that should take about `ms` on this device, within the kernel's bounds.
    pub fn size_for_ms(&self, ms: f64) -> u32 {
        let size = self.size_per_ms * ms;
        let size = if size.is_finite() {
            libm::round(size)
        } else {
            0.0
        };
        // `as` saturates; the clamp keeps the result valid for the kernel.
        (size as u32).clamp(1, self.kernel.max_size())
    }

    /// Milliseconds a task of `size` should take on this device.
    pub fn ms_for_size(&self, size: u32) -> f64 {
        f64::from(size) / self.size_per_ms
    }
}

/// Why calibration gave no rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CalibrationError {
    /// The clock did not advance (or went back) while the work ran.
    ClockStalled,
    /// There were no tasks to measure.
    NoTasks,
}

/// Most single steps [`calibrate_tasks`] samples, whatever the clock says.
const MAX_SAMPLED_STEPS: u64 = 8_192;

/// Most tasks one calibration runs, whatever the clock says.
const MAX_PROBES: u32 = 64;

/// Measures `kernel`'s rate within about `budget_ms` of work, reading time from `now_ms`.
///
/// A probe is first grown (doubling its size) until it takes at least
/// `budget_ms / 8`, so a coarse clock still measures it well.
pub fn calibrate(
    kernel: Kernel,
    now_ms: &mut dyn FnMut() -> f64,
    budget_ms: f64,
) -> Result<Calibration, CalibrationError> {
    let budget = if budget_ms.is_finite() {
        budget_ms.clamp(1.0, 10_000.0)
    } else {
        50.0
    };
    let mut size = 1u32;
    let (mut total_size, mut total_ms) = (0u64, 0.0f64);
    for probe in 0..MAX_PROBES {
        let task = CpuTask::new(kernel, size, 0, probe);
        let start = now_ms();
        std::hint::black_box(task.run());
        let elapsed = now_ms() - start;
        if !elapsed.is_finite() || elapsed < 0.0 {
            continue;
        }
        if elapsed == 0.0 && size == kernel.max_size() {
            // The largest task took no time at all: the clock is not running.
            return Err(CalibrationError::ClockStalled);
        }
        if elapsed < budget / 8.0 && size < kernel.max_size() {
            size = size.saturating_mul(2).min(kernel.max_size());
            continue;
        }
        total_size += u64::from(task.size);
        total_ms += elapsed;
        if total_ms >= budget {
            break;
        }
    }
    if total_ms > 0.0 && total_size > 0 {
        Ok(Calibration {
            kernel,
            size_per_ms: total_size as f64 / total_ms,
            measured_size: total_size,
            measured_ms: total_ms,
        })
    } else {
        Err(CalibrationError::ClockStalled)
    }
}

/// Measures the rate of `tasks` themselves (one kernel and size, as an
/// experiment's CPU tasks are) by running single steps spread over all of
/// them until about `budget_ms` has passed: a kernel whose cost per step
/// varies along the task (primes grow dearer, Mandelbrot tiles differ) is
/// then measured where the experiment will run it, not at small sizes.
/// Steps are taken in a low-discrepancy order (golden-ratio sequence), so
/// however early the budget stops it, the sample covers the whole range.
/// The reduction's steps are not independent: it falls back to [`calibrate`].
pub fn calibrate_tasks(
    tasks: &[CpuTask],
    now_ms: &mut dyn FnMut() -> f64,
    budget_ms: f64,
) -> Result<Calibration, CalibrationError> {
    let Some(first) = tasks.first() else {
        return Err(CalibrationError::NoTasks);
    };
    if first.run_step(0).is_none() {
        return calibrate(first.kernel, now_ms, budget_ms);
    }
    let budget = if budget_ms.is_finite() {
        budget_ms.clamp(1.0, 10_000.0)
    } else {
        20.0
    };
    let steps = first.steps();
    let total = steps.saturating_mul(tasks.len() as u64);
    const GOLDEN: f64 = 0.618_033_988_749_894_8;
    let start = now_ms();
    let (mut sampled, mut elapsed, mut sink) = (0u64, 0.0f64, 0u64);
    // Enough samples for a rate even if the clock stood still (it never
    // should): the budget then cannot stop the loop.
    while sampled < total.min(MAX_SAMPLED_STEPS) {
        let position = libm::floor(((sampled as f64 + 0.5) * GOLDEN).fract() * total as f64) as u64;
        let position = position.min(total - 1);
        let task = &tasks[(position / steps) as usize];
        sink = sink.wrapping_add(task.run_step(position % steps).unwrap_or(0));
        sampled += 1;
        elapsed = now_ms() - start;
        if !elapsed.is_finite() || elapsed >= budget {
            break;
        }
    }
    std::hint::black_box(sink);
    if !(elapsed.is_finite() && elapsed > 0.0) {
        return Err(CalibrationError::ClockStalled);
    }
    Ok(Calibration {
        kernel: first.kernel,
        size_per_ms: sampled as f64 / elapsed,
        measured_size: sampled,
        measured_ms: elapsed,
    })
}

/// Passes of a calibration, taken until its rate holds still: wasm code
/// starts in a baseline tier and is optimised once hot, at a moment no page
/// can choose, so one pass may time baseline code. Measured: a calibration
/// of Mandelbrot taken 1.5 s after the page opened predicted 897 ms where
/// the same tasks then took 533 ms. Two passes in a row within
/// [`Settle::AGREE`] of each other end it (the faster is kept: a slower pass
/// timed colder code or another program); at most [`Settle::MAX_PASSES`].
#[derive(Clone, Copy, Debug, Default)]
pub struct Settle {
    last: Option<Calibration>,
    passes: u32,
}

impl Settle {
    /// Most passes one calibration takes.
    pub const MAX_PASSES: u32 = 6;
    /// How close two passes' rates must be (as a fraction of the faster).
    pub const AGREE: f64 = 0.1;

    /// No pass yet.
    pub fn new() -> Settle {
        Settle::default()
    }

    /// Takes one more pass; the calibration once the rate held still (or
    /// the passes ran out), `None` while another pass is needed.
    pub fn feed(&mut self, pass: Calibration) -> Option<Calibration> {
        self.passes += 1;
        let last = self.last.replace(pass);
        let faster = |a: Calibration, b: Calibration| {
            if b.size_per_ms > a.size_per_ms {
                b
            } else {
                a
            }
        };
        match last {
            Some(before) => {
                let best = faster(before, pass);
                let gap = (before.size_per_ms - pass.size_per_ms).abs() / best.size_per_ms;
                (gap <= Self::AGREE || self.passes >= Self::MAX_PASSES).then_some(best)
            }
            None => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fake clock under which every task "takes" `step` ms, whatever its size.
    fn fixed_step_clock(step: f64) -> impl FnMut() -> f64 {
        let mut t = 0.0;
        let mut calls = 0u32;
        move || {
            calls += 1;
            // Odd calls start a task, even calls end it.
            if calls.is_multiple_of(2) {
                t += step;
            }
            t
        }
    }

    #[test]
    fn grows_the_probe_then_measures_the_rate() {
        let mut clock = fixed_step_clock(5.0);
        let c = calibrate(Kernel::HashChain, &mut clock, 40.0).unwrap();
        // The first probe (size 1) already takes 5 ms ≥ 40/8: eight probes of size 1.
        assert_eq!(c.measured_size, 8);
        assert_eq!(c.measured_ms, 40.0);
        assert_eq!(c.size_per_ms, 0.2);
        assert_eq!(c.size_for_ms(50.0), 10);
        assert_eq!(c.size_for_ms(1e12), Kernel::HashChain.max_size());
        assert_eq!(c.size_for_ms(f64::NAN), 1);
        assert_eq!(c.ms_for_size(10), 50.0);
    }

    #[test]
    fn sampling_the_tasks_measures_where_they_run() {
        // A clock that advances 0.5 ms per reading: every sampled step "takes" 0.5 ms.
        let mut t = 0.0;
        let mut clock = move || {
            t += 0.5;
            t
        };
        let tasks: Vec<CpuTask> = (0..4)
            .map(|i| CpuTask::new(Kernel::Primes, 200, 1, i))
            .collect();
        let c = calibrate_tasks(&tasks, &mut clock, 10.0).unwrap();
        assert_eq!((c.measured_size, c.measured_ms), (20, 10.0));
        assert_eq!(c.ms_for_size(200), 100.0);
        assert_eq!(
            calibrate_tasks(&[], &mut || 0.0, 10.0),
            Err(CalibrationError::NoTasks)
        );
        assert_eq!(
            calibrate_tasks(&tasks, &mut || 3.0, 10.0),
            Err(CalibrationError::ClockStalled)
        );
    }

    #[test]
    fn a_stalled_clock_is_an_error_not_a_hang() {
        // Sizes double up to the kernel's largest, which still "takes" 0 ms.
        let mut frozen = || 7.0;
        assert_eq!(
            calibrate(Kernel::Mandelbrot, &mut frozen, 20.0),
            Err(CalibrationError::ClockStalled)
        );
        // Bad readings are skipped without growing the probe: 64 tiny probes, then an error.
        let mut nan = || f64::NAN;
        assert!(calibrate(Kernel::Primes, &mut nan, 20.0).is_err());
        let mut t = 0.0;
        let mut backwards = move || {
            t -= 1.0;
            t
        };
        assert!(calibrate(Kernel::Primes, &mut backwards, 20.0).is_err());
    }

    fn rate(size_per_ms: f64) -> Calibration {
        Calibration {
            kernel: Kernel::Primes,
            size_per_ms,
            measured_size: 100,
            measured_ms: 10.0,
        }
    }

    #[test]
    fn passes_go_on_until_the_rate_holds_still() {
        let mut s = Settle::new();
        // Baseline code, then optimised code, then the same again.
        assert_eq!(s.feed(rate(1.0)), None);
        assert_eq!(s.feed(rate(1.7)), None, "70 % apart: another pass");
        let done = s.feed(rate(1.65)).expect("within 10 %");
        assert_eq!(done.size_per_ms, 1.7, "the faster of the two");
        // A rate that never settles stops after the last pass.
        let mut s = Settle::new();
        let rates = [1.0, 2.0, 1.0, 2.0, 1.0, 2.0];
        let ends: Vec<_> = rates.iter().map(|&r| s.feed(rate(r))).collect();
        assert!(ends[..5].iter().all(Option::is_none));
        assert_eq!(ends[5].map(|c| c.size_per_ms), Some(2.0));
    }
}
