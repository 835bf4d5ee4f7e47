//! How numbers are written on the page.

/// Milliseconds with one decimal, e.g. `"161.4"`.
pub fn ms(value: f64) -> String {
    format!("{value:.1}")
}

/// A ratio with two decimals and a times sign, e.g. `"1.93×"`.
pub fn ratio(value: f64) -> String {
    format!("{value:.2}×")
}

/// An integer with its digits grouped by commas, e.g. `"1,000,000"` (core's,
/// which words the run's notes with it).
pub fn thousands(value: u64) -> String {
    overlap_core::i18n::thousands(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_digits_by_three() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(12_345_678), "12,345,678");
    }

    #[test]
    fn writes_ms_and_ratios_with_fixed_decimals() {
        assert_eq!(ms(161.44), "161.4");
        assert_eq!(ratio(1.934), "1.93×");
    }
}
