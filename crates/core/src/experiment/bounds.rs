//! Bounds of every numeric parameter, and the worst-case memory they allow.
//!
//! | field (URL key)          | default | min | max                          |
//! |--------------------------|---------|-----|------------------------------|
//! | `io_tasks` (`io`)        | 8       | 1   | 100,000                      |
//! | `cpu_tasks` (`n`)        | 8       | 1   | 256                          |
//! | `latency_ms` (`ms`)      | 100     | 0   | 60,000                       |
//! | `spread_ms` (`spread`)   | 50      | 0   | `latency_ms`                 |
//! | `sigma` (`sigma`)        | 0.5     | 0   | 3                            |
//! | `cap_ms` (`cap`)         | 2,000   | 1   | 600,000                      |
//! | `failure_rate` (`fail`)  | 0       | 0   | 1                            |
//! | `seed` (`seed`)          | 42      | 0   | 2^64 − 1                     |
//! | `size` (`size`)          | per kernel | 1 | [`Kernel::max_size`], and the memory budget |
//! | `serial_fraction` (`serial`) | 0   | 0   | 1                            |
//! | `workers` (`k`)          | 4       | 1   | 64                           |
//! | `chunk` (`chunk`)        | 1       | 1   | 10,000                       |
//! | `timeout_ms` (`timeout`) | none    | 1   | 3,600,000                    |
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
//! [`KERNEL_DATA_BUDGET`] = 512 MiB (`cpu_tasks × size × 64 KiB` for the
//! reduction, 0 for the other kernels). Each task is granted
//! [`TASK_ALLOWANCE_BYTES`] = 1 KiB of bookkeeping (future, spans, result),
//! and the trace at most [`MAX_TRACE_SPANS`] spans.
//!
//! The largest valid experiment (mixed workload, 100,000 I/O tasks, 256
//! reduction tasks of 32 blocks, or any other split of the 512 MiB) thus
//! needs at most 512 MiB + 100,256 KiB + 1,000,000 × 48 B ≈ 655.7 MiB
//! ([`WORST_CASE_MEMORY_BYTES`] = 687,533,056 bytes), under the 1 GiB
//! shared-memory ceiling with about 368 MiB left for code, stacks and the
//! allocator. `bounds::tests` checks this figure.

use super::{Experiment, Workload};
use crate::kernels::Kernel;

/// Most I/O tasks (enough for 100,000 concurrent waits).
pub const MAX_IO_TASKS: u32 = 100_000;
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
/// Most steps per cooperative chunk.
pub const MAX_CHUNK: u32 = 10_000;
/// Longest timeout, in ms (one hour).
pub const MAX_TIMEOUT_MS: u32 = 3_600_000;

/// The shared wasm memory's hard ceiling (exceeding it traps).
pub const SHARED_MEMORY_CEILING: u64 = 1 << 30;
/// Most bytes of kernel data one experiment may hold.
pub const KERNEL_DATA_BUDGET: u64 = 512 << 20;
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

// Checked at compile time: the worst case leaves a third of the ceiling free.
const _: () = assert!(WORST_CASE_MEMORY_BYTES < SHARED_MEMORY_CEILING * 2 / 3);

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
        assert_eq!(WORST_CASE_MEMORY_BYTES, 687_533_056);
        assert_eq!(kernel_data_bytes(&e), KERNEL_DATA_BUDGET);
        // One more block per task breaks the budget.
        let mut more = e.clone();
        more.size += 1;
        assert!(validate(&more).is_err());
    }

    #[test]
    fn no_kernel_size_alone_breaks_the_budget() {
        for k in Kernel::ALL {
            assert!(k.memory_bytes(k.max_size()) <= KERNEL_DATA_BUDGET);
        }
    }
}
