//! Bounds of every numeric parameter, and the worst-case memory they allow.
//!
//! [`BOUNDS`] is the one table of every numeric field's limits (key, min,
//! max, default, unit): validation clamps to it, the editor shows it, and
//! the tests walk it. The largest values are these constants, which the
//! memory bound below also uses.
//!
//! Kernel sizes: primes ≤ 20,000 blocks, Mandelbrot ≤ 40,000 rows, hash chains
//! ≤ 50,000 chains, reduction ≤ 1,024 blocks of 64 KiB (64 MiB per task).
//!
//! # Worst-case memory
//!
//! The estimate assumes that every CPU task of the experiment holds its
//! buffer at the same time (true of no strategy, since at most `k` or the
//! pool's size run at once, but it keeps the bound independent of the
//! device's core count). Kernel data is limited by validation to
//! [`KERNEL_DATA_BUDGET`] = 320 MiB (`cpu_tasks × size × 64 KiB` for the
//! reduction, 0 for the other kernels). Each task is granted
//! [`TASK_ALLOWANCE_BYTES`] = 1 KiB of bookkeeping (future, spans, result),
//! and the trace at most [`MAX_TRACE_SPANS`] spans.
//!
//! The largest valid experiment (mixed workload, 100,000 I/O tasks, 256
//! reduction tasks of 20 blocks, or any other split of the 320 MiB) thus
//! needs at most 320 MiB + 100,256 KiB + 1,000,000 × 48 B ≈ 463.7 MiB
//! ([`WORST_CASE_MEMORY_BYTES`] = 486,206,464 bytes), under half the 1 GiB
//! shared-memory ceiling whatever the device's core count, with about
//! 560 MiB left for code, stacks and the allocator. `bounds::tests` checks
//! this figure, and an end-to-end test the peak memory of the largest
//! experiment of each workload.

use super::{Experiment, Field, Workload};
use crate::kernels::Kernel;

/// Most I/O tasks (enough for 100,000 concurrent waits).
pub const MAX_IO_TASKS: u32 = 100_000;
/// Longest the blocking calls of one run may hold the page, ms: blocking
/// the page is the lesson, not hanging it.
pub const MAX_BLOCKING_MS: u64 = 10_000;
/// Most CPU tasks.
pub const MAX_CPU_TASKS: u32 = 256;
/// Largest latency parameter, in ms.
pub const MAX_LATENCY_MS: u32 = 60_000;
/// Largest latency cap, in ms.
pub const MAX_CAP_MS: u32 = 600_000;
/// Largest log-normal shape.
pub const MAX_SIGMA: f64 = 3.0;
/// Most pool workers `k`.
pub const MAX_WORKERS: u32 = 64;
/// Most processes of the process-style pool: each is a worker with a whole
/// instance and memory of its own, so they are fewer than threads.
pub const MAX_PROCESSES: u32 = 16;
/// Most steps per cooperative chunk.
pub const MAX_CHUNK: u32 = 10_000;
/// Longest timeout, in ms (one hour).
pub const MAX_TIMEOUT_MS: u32 = 3_600_000;
/// Longest GIL switch interval, ms (CPython accepts any; a second is already sluggish).
pub const MAX_SWITCH_MS: u32 = 1_000;

/// The limits of one numeric field.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bound {
    /// The field (its URL key is [`Field::key`]).
    pub field: Field,
    /// Smallest valid value.
    pub min: f64,
    /// Largest valid value (for `size`, of the largest kernel: see [`Bound::max_for`]).
    pub max: f64,
    /// Default value (for `size`, see [`Kernel::default_size`]).
    pub default: f64,
    /// Unit shown after the number (`ms`, `steps`), or empty.
    pub unit: &'static str,
}

impl Bound {
    /// The largest valid value in `e`: the size's depends on the kernel,
    /// and `k` is at most [`MAX_PROCESSES`] for the process-style pool.
    /// (The spread is also at most the latency: a rule between two fields,
    /// checked after both are in range.)
    pub fn max_for(&self, e: &Experiment) -> f64 {
        match self.field {
            Field::Size => f64::from(e.kernel.max_size()),
            Field::Workers if e.strategy == super::Strategy::ProcessPool => {
                f64::from(MAX_PROCESSES)
            }
            _ => self.max,
        }
    }
}

const fn bound(field: Field, min: f64, max: f64, default: f64, unit: &'static str) -> Bound {
    Bound {
        field,
        min,
        max,
        default,
        unit,
    }
}

/// Every numeric field's limits, in editor order. The seed takes any `u64`.
pub const BOUNDS: [Bound; 15] = [
    bound(Field::Workers, 1.0, MAX_WORKERS as f64, 4.0, ""),
    bound(Field::CpuTasks, 1.0, MAX_CPU_TASKS as f64, 8.0, ""),
    bound(Field::Size, 1.0, MAX_KERNEL_SIZE as f64, 200.0, ""),
    bound(Field::SerialFraction, 0.0, 1.0, 0.0, ""),
    bound(Field::Chunk, 1.0, MAX_CHUNK as f64, 1.0, "steps"),
    bound(Field::SwitchMs, 1.0, MAX_SWITCH_MS as f64, 5.0, "ms"),
    bound(Field::IoTasks, 1.0, MAX_IO_TASKS as f64, 8.0, ""),
    bound(Field::LatencyMs, 0.0, MAX_LATENCY_MS as f64, 100.0, "ms"),
    bound(Field::SpreadMs, 0.0, MAX_LATENCY_MS as f64, 50.0, "ms"),
    bound(Field::Sigma, 0.0, MAX_SIGMA, 0.5, ""),
    bound(Field::CapMs, 1.0, MAX_CAP_MS as f64, 2_000.0, "ms"),
    bound(Field::FailureRate, 0.0, 1.0, 0.0, ""),
    bound(Field::Seed, 0.0, u64::MAX as f64, 42.0, ""),
    bound(Field::TimeoutMs, 0.0, MAX_TIMEOUT_MS as f64, f64::NAN, "ms"),
    bound(Field::Limit, 1.0, MAX_IO_TASKS as f64, f64::NAN, ""),
];

/// The largest size of any kernel.
pub const MAX_KERNEL_SIZE: u32 = 50_000;

/// The limits of `field`, if it is numeric.
pub fn bounds_of(field: Field) -> Option<&'static Bound> {
    BOUNDS.iter().find(|b| b.field == field)
}

/// The shared wasm memory's hard ceiling (exceeding it traps).
pub const SHARED_MEMORY_CEILING: u64 = 1 << 30;
/// Most bytes of kernel data one experiment may hold.
pub const KERNEL_DATA_BUDGET: u64 = 320 << 20;
/// Bookkeeping bytes granted per task (future, spans, result).
pub const TASK_ALLOWANCE_BYTES: u64 = 1 << 10;
/// Most spans a [`crate::trace::Trace`] keeps.
pub const MAX_TRACE_SPANS: u64 = 1_000_000;
/// Upper bound of one stored span, in bytes.
pub const SPAN_BYTES: u64 = 48;
/// Worst-case memory of the largest valid experiment (see the module docs).
pub const WORST_CASE_MEMORY_BYTES: u64 = KERNEL_DATA_BUDGET
    + (MAX_IO_TASKS as u64 + MAX_CPU_TASKS as u64) * TASK_ALLOWANCE_BYTES
    + MAX_TRACE_SPANS * SPAN_BYTES;

// Checked at compile time: the worst case stays under half the ceiling.
const _: () = assert!(WORST_CASE_MEMORY_BYTES < SHARED_MEMORY_CEILING / 2);

/// Bytes of kernel data the experiment's CPU tasks hold if all run at once.
pub fn kernel_data_bytes(e: &Experiment) -> u64 {
    if !e.workload.has_cpu() {
        return 0;
    }
    let one = Kernel::memory_bytes(e.kernel, e.size.min(e.kernel.max_size()));
    one.saturating_mul(u64::from(e.cpu_tasks))
}

/// Upper bound of the memory the experiment may need (see the module docs).
pub fn worst_case_memory_bytes(e: &Experiment) -> u64 {
    let tasks = u64::from(e.io_task_count()) + u64::from(e.cpu_task_count());
    kernel_data_bytes(e)
        .saturating_add(tasks.saturating_mul(TASK_ALLOWANCE_BYTES))
        .saturating_add(MAX_TRACE_SPANS * SPAN_BYTES)
}

/// The largest valid experiment: most tasks of both kinds, the most kernel data.
pub fn largest_valid_experiment() -> Experiment {
    Experiment {
        workload: Workload::Mixed,
        io_tasks: MAX_IO_TASKS,
        cpu_tasks: MAX_CPU_TASKS,
        kernel: Kernel::Reduce,
        size: (KERNEL_DATA_BUDGET / Kernel::Reduce.memory_bytes(MAX_CPU_TASKS)) as u32,
        workers: MAX_WORKERS,
        ..Experiment::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::validate;

    #[test]
    fn the_largest_valid_experiment_stays_well_under_the_ceiling() {
        let e = largest_valid_experiment();
        assert_eq!(validate(&e), Ok(()));
        assert_eq!(e.worst_case_memory_bytes(), WORST_CASE_MEMORY_BYTES);
        assert_eq!(WORST_CASE_MEMORY_BYTES, 486_206_464);
        assert_eq!(kernel_data_bytes(&e), KERNEL_DATA_BUDGET);
        // One more block per task breaks the budget.
        let mut more = e.clone();
        more.size += 1;
        assert!(validate(&more).is_err());
    }

    #[test]
    fn the_table_agrees_with_the_defaults_and_the_kernels() {
        let d = Experiment::default();
        for b in BOUNDS {
            assert!(b.min <= b.max, "{:?}", b.field);
            let text = crate::experiment::url::field_text(&d, b.field);
            if let Ok(value) = text.parse::<f64>() {
                assert_eq!(value, b.default, "{:?}", b.field);
            } else {
                assert!(b.default.is_nan(), "{:?} defaults to {text:?}", b.field);
            }
        }
        let largest = Kernel::ALL.iter().map(|k| k.max_size()).max();
        assert_eq!(largest, Some(MAX_KERNEL_SIZE));
        let numeric = Field::ALL
            .iter()
            .filter(|f| bounds_of(**f).is_some())
            .count();
        assert_eq!(numeric, BOUNDS.len());
    }

    #[test]
    fn every_bound_is_enforced_at_both_ends_through_a_link() {
        use crate::experiment::url::decode_str;
        for b in BOUNDS.iter().filter(|b| b.field != Field::Seed) {
            let max = b.max_for(&Experiment::default());
            let key = b.field.key();
            for (value, valid) in [
                (b.min, true),
                (max, true),
                (b.min - 1.0, false),
                (max + 1.0, false),
            ] {
                // Where the field applies (elsewhere no value is refused);
                // the spread is also at most the latency: give it room.
                let applies = match b.field {
                    Field::Sigma => "w=mixed&s=par&lat=lognormal",
                    Field::CapMs => "w=mixed&s=par&lat=exp",
                    Field::Chunk | Field::SwitchMs => "w=mixed&s=pool&py=gil",
                    _ => "w=mixed&s=par&lat=uniform",
                };
                let query = if b.field == Field::SpreadMs {
                    format!("{applies}&{key}={value}&ms={MAX_LATENCY_MS}")
                } else {
                    format!("{applies}&{key}={value}")
                };
                let flagged = decode_str(&query)
                    .problems
                    .iter()
                    .any(|p| p.field == Some(b.field));
                assert_eq!(flagged, !valid, "{query}");
            }
        }
    }

    #[test]
    fn no_kernel_size_alone_breaks_the_budget() {
        for k in Kernel::ALL {
            assert!(k.memory_bytes(k.max_size()) <= KERNEL_DATA_BUDGET);
        }
    }
}
