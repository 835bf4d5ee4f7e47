//! Overlap's CPU kernels: deterministic work whose result is a checksum.
//!
//! A crate of their own so that the release build can optimise them for
//! speed (opt-level 3) while the rest of core, the runtime and the user
//! interface are optimised for size; core re-exports it as `kernels`, and
//! `overlap_core::determinism` holds the checksums every platform must give.
//!
//! Every kernel is described by a [`CpuTask`] (kernel, size, seed, task index)
//! and can be run three ways that give the same checksum:
//! - [`CpuTask::run`]: sequentially, in one call;
//! - [`CpuTask::chunked`]: a [`ChunkedRun`] advanced a bounded number of steps
//!   per call, so a caller on the event loop can yield or cancel in between;
//! - [`CpuTask::run_parallel`]: data-parallel over the current rayon pool.
//!
//! Sizes are bounded by [`Kernel::max_size`], chosen so that one task is a few
//! seconds of CPU at most and never allocates past [`Kernel::memory_bytes`].
//!
//! A split is limited to `k` lanes ([`CpuTask::run_split_pieces_until`]): it
//! reports, through a [`SplitObserver`], each thread's stretch of work (the
//! timeline's bars) and asks between pieces whether to go on (a cancel). Tests:
//! `tests.rs` (the three forms agree), and core's `determinism` for every
//! platform.

mod chunked;
pub mod hash_chain;
pub mod mandelbrot;
pub mod primes;
pub mod reduce;

pub use chunked::{ChunkedRun, Progress};

use reduce::ReduceBuffer;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Which CPU kernel a task runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kernel {
    /// Prime counting by trial division: compute-bound, even work per unit.
    Primes,
    /// Mandelbrot tiles: compute-bound, very uneven work from tile to tile.
    Mandelbrot,
    /// SHA-256 hash chains: compute-bound, strictly sequential inside a chain.
    HashChain,
    /// A large reduction over a task-owned buffer: memory-bound.
    Reduce,
}

impl Kernel {
    /// Every kernel, in display order.
    pub const ALL: [Kernel; 4] = [
        Kernel::Primes,
        Kernel::Mandelbrot,
        Kernel::HashChain,
        Kernel::Reduce,
    ];

    /// Short name used in URLs and JSON.
    pub fn token(self) -> &'static str {
        match self {
            Kernel::Primes => "primes",
            Kernel::Mandelbrot => "mandelbrot",
            Kernel::HashChain => "hash",
            Kernel::Reduce => "reduce",
        }
    }

    /// The kernel named by `token` (see [`Kernel::token`]).
    pub fn from_token(token: &str) -> Option<Kernel> {
        Kernel::ALL.into_iter().find(|k| k.token() == token)
    }

    /// Largest valid task size: about 2–4 s of one native core (see the baseline example).
    pub fn max_size(self) -> u32 {
        match self {
            Kernel::Primes => 20_000,
            Kernel::Mandelbrot => 40_000,
            Kernel::HashChain => 50_000,
            Kernel::Reduce => 1_024,
        }
    }

    /// Default task size: tens of milliseconds of one native core.
    pub fn default_size(self) -> u32 {
        match self {
            Kernel::Primes => 200,
            Kernel::Mandelbrot => 300,
            Kernel::HashChain => 2_000,
            Kernel::Reduce => 256,
        }
    }

    /// Heap bytes one task of `size` holds while it runs (0 for the compute kernels).
    pub fn memory_bytes(self, size: u32) -> u64 {
        match self {
            Kernel::Reduce => u64::from(size).saturating_mul(reduce::BLOCK_BYTES),
            _ => 0,
        }
    }

    /// Steps the chunked form of a task of `size` takes.
    pub fn steps(self, size: u32) -> u64 {
        match self {
            Kernel::Reduce => u64::from(size).saturating_mul(1 + reduce::PASSES),
            _ => u64::from(size),
        }
    }
}

/// One CPU task: which kernel, how big, and which instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CpuTask {
    /// The kernel to run.
    pub kernel: Kernel,
    /// Work units; at most [`Kernel::max_size`] (larger values are clamped).
    pub size: u32,
    /// Seed of the input data (hash chains and reduction).
    pub seed: u64,
    /// Index of the task in its experiment (selects the Mandelbrot tile, varies hash input).
    pub index: u32,
}

impl CpuTask {
    /// A task; `size` is clamped to `1..=kernel.max_size()` so no call can run away.
    pub fn new(kernel: Kernel, size: u32, seed: u64, index: u32) -> CpuTask {
        CpuTask {
            kernel,
            size: size.clamp(1, kernel.max_size()),
            seed,
            index,
        }
    }

    fn size(&self) -> u32 {
        // Fields are public, so re-clamp: a hand-built task must not run away either.
        self.size.clamp(1, self.kernel.max_size())
    }

    /// Steps of the chunked form (see [`Kernel::steps`]).
    pub fn steps(&self) -> u64 {
        self.kernel.steps(self.size())
    }

    /// Heap bytes this task holds while it runs.
    pub fn memory_bytes(&self) -> u64 {
        self.kernel.memory_bytes(self.size())
    }

    /// Steps that run on one thread when a fraction `serial_fraction` of the task cannot be split.
    pub fn serial_steps(&self, serial_fraction: f64) -> u64 {
        let f = if serial_fraction.is_finite() {
            serial_fraction.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let steps = self.steps();
        // Float-to-int `as` saturates, and the product is at most `steps`.
        ((steps as f64 * f) as u64).min(steps)
    }

    fn unit(&self, u: u64) -> u64 {
        match self.kernel {
            Kernel::Primes => primes::unit(u),
            Kernel::Mandelbrot => mandelbrot::unit(self.index, self.size(), u),
            Kernel::HashChain => hash_chain::unit(self.seed, self.index, u),
            // The reduction is not unit-independent: see `ReduceBuffer`.
            Kernel::Reduce => 0,
        }
    }

    /// Runs step `u` alone and returns its part of the checksum, for the
    /// kernels whose steps are independent (`None` for the reduction, whose
    /// steps walk one buffer, and for a step past the end). Used to sample a
    /// task's cost without running all of it.
    pub fn run_step(&self, u: u64) -> Option<u64> {
        (self.kernel != Kernel::Reduce && u < self.steps()).then(|| self.unit(u))
    }

    /// Runs the whole task on this thread and returns its checksum.
    ///
    /// Purely sequential: it never touches rayon, so it is safe on a thread
    /// (the page's main thread) where no rayon pool exists yet, or where
    /// reaching for one would wait.
    pub fn run(&self) -> u64 {
        match self.kernel {
            Kernel::Reduce => ReduceBuffer::new(self).run(0, self.steps(), false),
            _ => (0..self.steps()).fold(0u64, |acc, u| acc.wrapping_add(self.unit(u))),
        }
    }

    /// Runs the task data-parallel on the current rayon pool; same checksum as [`CpuTask::run`].
    ///
    /// Called from a thread that may not block (the browser's main thread),
    /// this spins until done: only the "parallel but blocking" strategy does that.
    pub fn run_parallel(&self) -> u64 {
        self.run_split(0)
    }

    /// Runs the first `serial_steps` steps on this thread, the rest data-parallel (Amdahl's law
    /// made concrete); same checksum as [`CpuTask::run`] for any split.
    pub fn run_split(&self, serial_steps: u64) -> u64 {
        let total = self.steps();
        let serial = serial_steps.min(total);
        match self.kernel {
            Kernel::Reduce => {
                let mut buffer = ReduceBuffer::new(self);
                buffer
                    .run(0, serial, false)
                    .wrapping_add(buffer.run(serial, total, true))
            }
            _ => {
                let head = (0..serial).fold(0u64, |acc, u| acc.wrapping_add(self.unit(u)));
                let tail = (serial..total)
                    .into_par_iter()
                    .map(|u| self.unit(u))
                    .reduce(|| 0, u64::wrapping_add);
                head.wrapping_add(tail)
            }
        }
    }

    /// Like [`CpuTask::run_split`], with the parallel part cut into at most
    /// `pieces` lanes, so that no more than `pieces` threads work on it at
    /// once (the `k` of a sweep). The reduction walks its buffer phase by
    /// phase, each phase's blocks cut into `pieces` lanes.
    pub fn run_split_pieces(&self, serial_steps: u64, pieces: u32) -> u64 {
        self.run_split_pieces_until(serial_steps, pieces, &Unobserved)
            .unwrap_or(0)
    }

    /// [`CpuTask::run_split_pieces`] under an observer: asked between blocks
    /// of a few steps whether to go on (`None` once it says no), and told
    /// when each stretch of work (the serial head, each lane) starts and ends
    /// on the current thread. The reduction asks before each phase.
    pub fn run_split_pieces_until(
        &self,
        serial_steps: u64,
        pieces: u32,
        observer: &dyn SplitObserver,
    ) -> Option<u64> {
        if self.kernel == Kernel::Reduce {
            if !observer.keep_going() {
                return None;
            }
            let mut buffer = ReduceBuffer::new(self);
            let serial = serial_steps.min(self.steps());
            let mut head = 0;
            if serial > 0 {
                observer.stretch_started();
                head = buffer.run(0, serial, false);
                observer.stretch_ended();
            }
            let tail = buffer.run_pieces(serial, self.steps(), pieces, observer)?;
            return Some(head.wrapping_add(tail));
        }
        let total = self.steps();
        let serial = serial_steps.min(total);
        let mut head = 0u64;
        if serial > 0 {
            observer.stretch_started();
            for u in 0..serial {
                if u % 16 == 0 && !observer.keep_going() {
                    observer.stretch_ended();
                    return None;
                }
                head = head.wrapping_add(self.unit(u));
            }
            observer.stretch_ended();
        }
        // `pieces` lanes pull small blocks from one counter, so a lane whose
        // thread is slow (or never picked up by a second thread) does not
        // hold the others back, and no more than `pieces` threads work.
        let rest = total - serial;
        let pieces = u64::from(pieces.max(1));
        let block = rest.div_ceil(pieces.saturating_mul(16)).max(1);
        let blocks = rest.div_ceil(block);
        let next = AtomicU64::new(0);
        let stopped = AtomicBool::new(false);
        let tail = (0..pieces)
            .into_par_iter()
            .map(|_| {
                let mut acc = 0u64;
                let mut started = false;
                loop {
                    if stopped.load(Ordering::Relaxed) {
                        break;
                    }
                    let b = next.fetch_add(1, Ordering::Relaxed);
                    if b >= blocks {
                        break;
                    }
                    if !observer.keep_going() {
                        stopped.store(true, Ordering::Relaxed);
                        break;
                    }
                    if !started {
                        // Only lanes that get work are reported.
                        observer.stretch_started();
                        started = true;
                    }
                    let lo = serial + b * block;
                    let hi = (lo + block).min(total);
                    acc = (lo..hi).fold(acc, |acc, u| acc.wrapping_add(self.unit(u)));
                }
                if started {
                    observer.stretch_ended();
                }
                acc
            })
            .reduce(|| 0, u64::wrapping_add);
        (!stopped.load(Ordering::Relaxed)).then(|| head.wrapping_add(tail))
    }

    /// The task as a resumable computation (allocates the reduction's buffer now).
    pub fn chunked(&self) -> ChunkedRun {
        ChunkedRun::new(CpuTask {
            size: self.size(),
            ..*self
        })
    }
}

/// Watches a split run ([`CpuTask::run_split_pieces_until`]) from the
/// threads that do its work; every method has a do-nothing default.
pub trait SplitObserver: Sync {
    /// Whether to go on; false stops the run at the next block.
    fn keep_going(&self) -> bool {
        true
    }
    /// A stretch of the task's work starts on the current thread.
    fn stretch_started(&self) {}
    /// The stretch on the current thread ends.
    fn stretch_ended(&self) {}
}

/// An observer that lets the run go to its end and records nothing.
struct Unobserved;

impl SplitObserver for Unobserved {}

#[cfg(test)]
mod tests;
