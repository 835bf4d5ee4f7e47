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
