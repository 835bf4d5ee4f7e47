//! Prime counting by trial division: pure compute, no memory traffic.
//!
//! A task's work unit is one block of [`BLOCK`] consecutive integers starting
//! at [`BASE`] + unit × [`BLOCK`]. Starting high up keeps the cost of a unit
//! nearly the same across a task (trial division costs about √n per prime), so
//! "units per millisecond" is a meaningful calibration figure.

/// Integers tested per work unit.
pub const BLOCK: u64 = 256;

/// First integer tested by unit 0 of every task.
pub const BASE: u64 = 100_000_000;

/// Counts the primes in `lo..hi` by trial division (the work grows with `hi`).
pub fn count_primes(lo: u64, hi: u64) -> u64 {
    (lo..hi).filter(|&n| is_prime(n)).count() as u64
}

/// Whether `n` is prime, by trial division with odd divisors.
pub fn is_prime(n: u64) -> bool {
    // Every unit's integers fit in 32 bits. Native x86-64 code already
    // divides such values at 32-bit speed (LLVM's slow-division bypass), but
    // wasm engines emit a full 64-bit division; dividing in u32 here gives
    // both the same, fast instruction, so the wasm/native ratio measures the
    // engine and not this difference.
    match u32::try_from(n) {
        Ok(small) => is_prime_u32(small),
        Err(_) => is_prime_u64(n),
    }
}

// One body for both widths: a macro, because the standard library has no
// trait that gives `isqrt` and `is_multiple_of` to a generic integer.
macro_rules! trial_division {
    ($n:expr) => {{
        let n = $n;
        if n < 2 {
            return false;
        }
        if n.is_multiple_of(2) {
            return n == 2;
        }
        // The integer square root once, rather than `d * d <= n` each time
        // (which overflows near the type's maximum) or `d <= n / d` (a
        // second division).
        let limit = n.isqrt();
        let mut d = 3;
        while d <= limit {
            if n.is_multiple_of(d) {
                return false;
            }
            d += 2;
        }
        true
    }};
}

fn is_prime_u32(n: u32) -> bool {
    trial_division!(n)
}

fn is_prime_u64(n: u64) -> bool {
    trial_division!(n)
}

/// Result of work unit `unit` of a prime-counting task: the primes in its block.
pub fn unit(unit: u64) -> u64 {
    let lo = BASE.saturating_add(unit.saturating_mul(BLOCK));
    count_primes(lo, lo.saturating_add(BLOCK))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_known_prime_totals() {
        assert_eq!(count_primes(0, 100), 25);
        assert_eq!(count_primes(0, 100_000), 9_592);
        assert_eq!(count_primes(100, 200), 21);
    }

    #[test]
    fn is_prime_is_safe_near_the_top_of_u64() {
        // 2^64 - 59 is the largest 64-bit prime; only check that nothing
        // overflows on a number whose factor is found quickly.
        assert!(!is_prime(u64::MAX));
        assert!(!is_prime(u64::MAX - 1));
    }

    #[test]
    fn the_32_bit_and_64_bit_paths_agree() {
        let around_base = BASE - 1_000..BASE + 1_000;
        let around_2_32 = (1u64 << 32) - 1_000..(1u64 << 32);
        for n in (0..10_000).chain(around_base).chain(around_2_32) {
            let small = u32::try_from(n).unwrap();
            assert_eq!(is_prime_u32(small), is_prime_u64(n), "{n}");
        }
        assert!(is_prime(4_294_967_311)); // the first prime above 2^32
    }

    #[test]
    fn first_unit_matches_a_direct_count() {
        assert_eq!(unit(0), count_primes(BASE, BASE + BLOCK));
        assert_eq!(unit(3), count_primes(BASE + 3 * BLOCK, BASE + 4 * BLOCK));
    }
}
