//! Reads a decimal number exactly as `str::parse::<f64>` does, through
//! serde_json's exact reader (its `float_roundtrip`, which importing a run
//! needs anyway): the page then carries one float reader, not two. Core's
//! `f64::from_str` brings a 10 KB table of powers of five: 11.6 KB gzip of
//! the 350 KB budget (issue 29).
//!
//! The grammar is `f64::from_str`'s: an optional sign, then `inf`,
//! `infinity` or `nan` in any case, or digits with an optional fraction
//! (`1.`, `.5`) and an optional exponent (`e`/`E`, signed). It is rewritten
//! into JSON's (no `+`, no leading zero, both parts present) before
//! serde_json reads it; what is too large for an `f64` is an infinity, as
//! `from_str` gives.

/// `s` as `s.parse::<f64>().ok()` reads it, to the last bit.
pub fn parse_f64(s: &str) -> Option<f64> {
    let (negative, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let signed = |v: f64| if negative { -v } else { v };
    if body.eq_ignore_ascii_case("inf") || body.eq_ignore_ascii_case("infinity") {
        return Some(signed(f64::INFINITY));
    }
    if body.eq_ignore_ascii_case("nan") {
        return Some(signed(f64::NAN));
    }
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if !digits(int) || !digits(frac) || int.len() + frac.len() == 0 {
        return None;
    }
    let (exp_negative, exp) = match exponent {
        None => (false, "0"),
        Some(e) => {
            let (neg, rest) = match e.as_bytes().first() {
                Some(b'-') => (true, &e[1..]),
                Some(b'+') => (false, &e[1..]),
                _ => (false, e),
            };
            if rest.is_empty() || !digits(rest) {
                return None;
            }
            (neg, rest)
        }
    };
    let nonzero = |t: &'static str, x: &str| -> String {
        let x = x.trim_start_matches('0');
        if x.is_empty() {
            t.to_owned()
        } else {
            x.to_owned()
        }
    };
    let json = format!(
        "{}{}.{}e{}{}",
        if negative { "-" } else { "" },
        nonzero("0", int),
        if frac.is_empty() { "0" } else { frac },
        if exp_negative { "-" } else { "" },
        nonzero("0", exp),
    );
    // The text is valid JSON by now: serde_json fails only on a magnitude
    // beyond f64::MAX, which `from_str` reads as an infinity.
    Some(serde_json::from_str::<f64>(&json).unwrap_or(signed(f64::INFINITY)))
}

#[cfg(test)]
mod tests {
    use super::parse_f64;
    use proptest::prelude::*;

    fn same(s: &str) {
        let want = s.parse::<f64>().ok();
        let got = parse_f64(s);
        match (want, got) {
            (Some(w), Some(g)) if w.is_nan() => assert!(g.is_nan(), "{s:?}: {g}"),
            (Some(w), Some(g)) => assert_eq!(w.to_bits(), g.to_bits(), "{s:?}: {w} vs {g}"),
            (None, None) => {}
            _ => panic!("{s:?}: from_str {want:?}, parse_f64 {got:?}"),
        }
    }

    #[test]
    fn reads_as_from_str_does() {
        for s in [
            "", "+", "-", ".", "e", "1e", "1e+", "e5", ".e1", "+.5", "-.5", "1.", "-1.", "0", "-0",
            "+0", "00", "007", "0.5", "-0.0", "1e5", "1E5", "1e+5", "1e-5", "1.5e3", "1_000",
            " 1", "1 ", "0x10", "1.2.3", "1e5e5", "--1", "+-1", "inf", "-inf", "+Infinity",
            "INF", "infinit", "NaN", "-nan", "nan1", "1e308", "1.8e308", "-1.8e308", "1e309",
            "1e-320", "1e-400", "-1e-400", "4.9e-324", "2.4e-324", "2.5e-324",
            "1e99999999999999999999", "0e99999999999999999999", "1e-99999999999999999999",
            "0.000000000000000000000000000001e99999999999",
            "9007199254740993", "18446744073709551617", "123456789012345678901234567890",
            "2.2250738585072011e-308", "2.2250738585072012e-308", "0.1", "0.3", "300", "260.5",
            "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791.9999999999999999999999999999999999999999999999999999999999999999999999",
            "1٣", "٣", "1e٣",
        ] {
            same(s);
        }
    }

    proptest! {
        #[test]
        fn any_text_reads_the_same(s in "[-+]?[0-9]{0,25}(\\.[0-9]{0,25})?([eE][-+]?[0-9]{0,4})?") {
            same(&s);
        }

        #[test]
        fn any_float_reads_back(bits in any::<u64>()) {
            let x = f64::from_bits(bits);
            same(&format!("{x}"));
            same(&format!("{x:e}"));
        }
    }
}
