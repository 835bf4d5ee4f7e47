//! Fixed expected values, so any platform can prove it computes what the host computes.
//!
//! The native tests check these values; the runtime can call [`self_check`]
//! in a wasm test (in a browser) to show that kernels and the I/O model give
//! the same results there, bit for bit.

use crate::experiment::Latency;
use crate::io_model::{generate, LatencyModel};
use crate::kernels::{CpuTask, Kernel};

/// Expected checksums of `CpuTask::new(kernel, size, 42, 27)`.
pub const KERNEL_CHECKSUMS: [(Kernel, u32, u64); 4] = [
    (Kernel::Primes, 7, 96),
    (Kernel::Mandelbrot, 9, 174_098),
    (Kernel::HashChain, 5, 7_086_505_658_969_306_623),
    (Kernel::Reduce, 3, 4_793_208_723_458_752_512),
];

/// Expected first five latencies (µs) for seed 42: mean/median 100 ms, spread 50 ms,
/// sigma 0.5, cap 2 s.
pub const LATENCIES_SEED_42: [(Latency, [u64; 5]); 4] = [
    (Latency::Fixed, [100_000; 5]),
    (Latency::Uniform, [83_287, 142_705, 141_045, 82_594, 51_151]),
    (
        Latency::Exponential,
        [40_477, 261_797, 241_297, 39_443, 1_158],
    ),
    (
        Latency::LogNormal,
        [150_811, 46_981, 81_756, 152_543, 97_648],
    ),
];

/// Recomputes every fixed value; `Err` lists each one that differs.
pub fn self_check() -> Result<(), Vec<String>> {
    let mut errors = Vec::new();
    for (kernel, size, want) in KERNEL_CHECKSUMS {
        let task = CpuTask::new(kernel, size, 42, 27);
        // Every form the strategies run: whole, chunked (pool and
        // cooperative tasks), split into k lanes with a serial head
        // (data-parallel), and rayon's own split.
        let chunked = {
            let mut run = task.chunked();
            loop {
                if let crate::kernels::Progress::Done(c) = run.step(2) {
                    break c;
                }
            }
        };
        let forms = [
            ("run", task.run()),
            ("chunked", chunked),
            ("split_pieces", task.run_split_pieces(1, 2)),
            ("run_parallel", task.run_parallel()),
        ];
        for (form, got) in forms {
            if got != want {
                errors.push(format!("{kernel:?} {form}: {got} instead of {want}"));
            }
        }
    }
    for (distribution, want) in LATENCIES_SEED_42 {
        let model = LatencyModel {
            distribution,
            latency_ms: 100.0,
            spread_ms: 50.0,
            sigma: 0.5,
            cap_ms: 2_000.0,
        };
        let got: Vec<u64> = generate(&model, 0.0, 5, 42)
            .iter()
            .map(|t| t.latency_us)
            .collect();
        if got != want {
            errors.push(format!(
                "{distribution:?} latencies: {got:?} instead of {want:?}"
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn this_platform_computes_the_fixed_values() {
        assert_eq!(super::self_check(), Ok(()));
    }
}
