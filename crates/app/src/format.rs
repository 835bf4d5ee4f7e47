//! How numbers are written on the page: core's one way ([`Lang::number`]
//! and its kin, in the page's language), named for what the components
//! show. Nothing here formats a number itself; the automation hook's
//! numbers stay JSON numbers and never come here.

use overlap_core::i18n::Lang;

/// Milliseconds with one decimal, e.g. `"161.4"` (`"161,4"` in French).
pub fn ms(lang: Lang, value: f64) -> String {
    lang.number(value, 1)
}

/// A ratio with two decimals and a times sign, e.g. `"1.93×"` (`"1,93 ×"`
/// in French, with a narrow no-break space).
pub fn ratio(lang: Lang, value: f64) -> String {
    lang.ratio(value, 2)
}

/// A count with its digits grouped, e.g. `"1,000,000"` (`"1 000 000"` in
/// French).
pub fn thousands(lang: Lang, value: u64) -> String {
    lang.integer(value)
}

/// `value` with `digits` decimals and `unit`, or a dash where it does not
/// apply (none, or not finite).
pub fn optional(lang: Lang, value: Option<f64>, digits: usize, unit: &str) -> String {
    value.filter(|v| v.is_finite()).map_or_else(
        || "–".to_owned(),
        |v| [lang.number(v, digits).as_str(), unit].concat(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_digits_by_three() {
        assert_eq!(thousands(Lang::En, 0), "0");
        assert_eq!(thousands(Lang::En, 999), "999");
        assert_eq!(thousands(Lang::En, 1_000), "1,000");
        assert_eq!(thousands(Lang::En, 1_000_000), "1,000,000");
        assert_eq!(thousands(Lang::En, 12_345_678), "12,345,678");
        assert_eq!(thousands(Lang::Fr, 20_000), "20\u{202F}000");
    }

    #[test]
    fn writes_ms_and_ratios_with_fixed_decimals() {
        assert_eq!(ms(Lang::En, 161.44), "161.4");
        assert_eq!(ratio(Lang::En, 1.934), "1.93×");
        assert_eq!(ms(Lang::Fr, 2_276.0), "2\u{202F}276,0");
        assert_eq!(ratio(Lang::Fr, 1.914), "1,91\u{202F}×");
    }

    #[test]
    fn a_missing_value_is_a_dash() {
        assert_eq!(optional(Lang::En, Some(2.5), 2, "×"), "2.50×");
        assert_eq!(optional(Lang::Fr, Some(2.5), 1, " ms"), "2,5 ms");
        assert_eq!(optional(Lang::Fr, None, 1, " ms"), "–");
        assert_eq!(optional(Lang::En, Some(f64::NAN), 1, ""), "–");
    }
}
