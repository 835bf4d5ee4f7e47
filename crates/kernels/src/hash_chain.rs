//! Hash chains: SHA-256 applied repeatedly to its own output.
//!
//! Each work unit is an independent chain of [`CHAIN_LEN`] hashes seeded by
//! (seed, task index, unit), so a task's units can be spread over threads while
//! each chain stays strictly sequential. Its result is the first 8 bytes of
//! the last digest, read little-endian.

use sha2::{Digest, Sha256};

/// Hashes per work unit.
pub const CHAIN_LEN: u32 = 256;

/// Result of work unit `unit` of the task (`seed`, `index`).
pub fn unit(seed: u64, index: u32, unit: u64) -> u64 {
    let mut start = [0u8; 20];
    start[..8].copy_from_slice(&seed.to_le_bytes());
    start[8..12].copy_from_slice(&index.to_le_bytes());
    start[12..].copy_from_slice(&unit.to_le_bytes());
    let mut digest = Sha256::digest(start);
    for _ in 1..CHAIN_LEN {
        digest = Sha256::digest(digest);
    }
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_le_bytes(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_is_the_standard_one() {
        let d = Sha256::digest(b"abc");
        assert_eq!(
            d[..4],
            [0xba, 0x78, 0x16, 0xbf],
            "SHA-256(\"abc\") starts with ba7816bf"
        );
    }

    #[test]
    fn units_differ_by_seed_index_and_position() {
        let a = unit(1, 0, 0);
        assert_ne!(a, unit(2, 0, 0));
        assert_ne!(a, unit(1, 1, 0));
        assert_ne!(a, unit(1, 0, 1));
        assert_eq!(a, unit(1, 0, 0));
    }
}
