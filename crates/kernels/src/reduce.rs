//! A large reduction: memory-bound work over a task-owned buffer.
//!
//! A task of size `s` owns `s` blocks of [`BLOCK_WORDS`] 64-bit words
//! ([`BLOCK_BYTES`] each). It first fills every block (a write sweep), then
//! makes [`PASSES`] read sweeps over the whole buffer, each block's
//! contribution being added to the checksum. Because each sweep covers the
//! whole buffer before the next begins, a buffer larger than the caches is
//! streamed from memory every time: the cost is memory bandwidth, not
//! arithmetic. Steps (the chunked form's unit) are block-visits: `s` fills
//! then `s` × [`PASSES`] reads.

use rayon::prelude::*;

use super::{CpuTask, SplitObserver};

/// 64-bit words per block.
pub const BLOCK_WORDS: usize = 8 * 1024;
/// Bytes per block (64 KiB).
pub const BLOCK_BYTES: u64 = (BLOCK_WORDS * 8) as u64;
/// Read sweeps after the fill.
pub const PASSES: u64 = 8;

/// Fills `block` (number `b` of the task seeded with `seed`) with its deterministic contents.
pub fn fill_block(seed: u64, b: u64, block: &mut [u64]) {
    let base = b.wrapping_mul(BLOCK_WORDS as u64);
    for (j, w) in block.iter_mut().enumerate() {
        // Cheap on purpose: the sweep must be limited by stores, not by math.
        *w = seed ^ base.wrapping_add(j as u64).rotate_left(17);
    }
}

/// Contribution of one block to the checksum during read sweep `pass` (1-based).
pub fn read_block(pass: u64, block: &[u64]) -> u64 {
    let r = (pass as u32) * 7;
    block
        .iter()
        .fold(0u64, |acc, &w| acc.wrapping_add(w.rotate_left(r)))
}

/// The reduction's buffer and the code that walks its steps (phase-major: fill, then sweeps).
#[derive(Debug)]
pub(super) struct ReduceBuffer {
    seed: u64,
    blocks: u64,
    words: Vec<u64>,
}

impl ReduceBuffer {
    pub(super) fn new(task: &CpuTask) -> ReduceBuffer {
        let blocks = task.size();
        ReduceBuffer {
            seed: task.seed,
            blocks: u64::from(blocks),
            // At most max_size × 64 KiB = 64 MiB: validated, and clamped in `size()`.
            words: vec![0u64; BLOCK_WORDS * blocks as usize],
        }
    }

    /// Runs steps `from..to` like [`ReduceBuffer::run`], each phase's blocks
    /// cut into at most `pieces` lanes that run in parallel and report their
    /// stretch; `None` once the observer says stop (asked before each phase).
    pub(super) fn run_pieces(
        &mut self,
        from: u64,
        to: u64,
        pieces: u32,
        observer: &dyn SplitObserver,
    ) -> Option<u64> {
        const WORDS: usize = BLOCK_WORDS;
        let mut acc = 0u64;
        let mut s = from;
        while s < to {
            if !observer.keep_going() {
                return None;
            }
            let phase = s / self.blocks;
            let first = s % self.blocks;
            let last = (to - phase * self.blocks).min(self.blocks);
            let lane_blocks = ((last - first) as usize)
                .div_ceil(pieces.max(1) as usize)
                .max(1);
            let seed = self.seed;
            let words = &mut self.words[first as usize * WORDS..last as usize * WORDS];
            let lane = |(l, lane_words): (usize, &mut [u64])| -> u64 {
                observer.stretch_started();
                let lane_first = first + (l * lane_blocks) as u64;
                let sum = if phase == 0 {
                    for (i, block) in lane_words.chunks_mut(WORDS).enumerate() {
                        fill_block(seed, lane_first + i as u64, block);
                    }
                    0
                } else {
                    lane_words
                        .chunks(WORDS)
                        .fold(0u64, |a, block| a.wrapping_add(read_block(phase, block)))
                };
                observer.stretch_ended();
                sum
            };
            let sweep = words
                .par_chunks_mut(lane_blocks * WORDS)
                .enumerate()
                .map(lane)
                .reduce(|| 0, u64::wrapping_add);
            acc = acc.wrapping_add(sweep);
            s = phase * self.blocks + last;
        }
        Some(acc)
    }

    /// Runs steps `from..to`; a step is (phase, block) with phase 0 the fill.
    pub(super) fn run(&mut self, from: u64, to: u64, parallel: bool) -> u64 {
        let mut acc = 0u64;
        let mut s = from;
        while s < to {
            let phase = s / self.blocks;
            let first = s % self.blocks;
            let last = (to - phase * self.blocks).min(self.blocks);
            let range = first as usize * BLOCK_WORDS..last as usize * BLOCK_WORDS;
            let seed = self.seed;
            let words = &mut self.words[range];
            if phase == 0 {
                let fill =
                    |(i, block): (usize, &mut [u64])| fill_block(seed, first + i as u64, block);
                if parallel {
                    words.par_chunks_mut(BLOCK_WORDS).enumerate().for_each(fill);
                } else {
                    words.chunks_mut(BLOCK_WORDS).enumerate().for_each(fill);
                }
            } else {
                let sweep = if parallel {
                    words
                        .par_chunks(BLOCK_WORDS)
                        .map(|block| read_block(phase, block))
                        .reduce(|| 0, u64::wrapping_add)
                } else {
                    words
                        .chunks(BLOCK_WORDS)
                        .fold(0u64, |a, block| a.wrapping_add(read_block(phase, block)))
                };
                acc = acc.wrapping_add(sweep);
            }
            s = phase * self.blocks + last;
        }
        acc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_depend_on_seed_and_position() {
        let mut a = vec![0; BLOCK_WORDS];
        let mut b = vec![0; BLOCK_WORDS];
        fill_block(1, 0, &mut a);
        fill_block(1, 1, &mut b);
        assert_ne!(a, b);
        fill_block(2, 0, &mut b);
        assert_ne!(a, b);
        assert_ne!(read_block(1, &a), read_block(2, &a));
    }
}
