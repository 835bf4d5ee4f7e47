//! The visitor's guess of the wall time, made before a run ("predict, then
//! run"), read from what they typed and set beside the model and the
//! measurement.

use crate::i18n::Lang;

/// The longest guess read, ms (an hour, as the longest timeout).
pub const MAX_GUESS_MS: f64 = 3_600_000.0;

/// Why a guess was not read.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum GuessError {
    /// Not a number.
    NotANumber,
    /// Zero, negative, or longer than [`MAX_GUESS_MS`].
    OutOfRange,
}

impl std::fmt::Display for GuessError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GuessError::NotANumber => {
                f.write_str("a guess is a number of milliseconds, such as 450")
            }
            GuessError::OutOfRange => {
                write!(f, "a guess is more than 0 and at most {MAX_GUESS_MS} ms")
            }
        }
    }
}

/// The guess in `text`, typed on a page in `lang` (ms; spaces, a trailing
/// "ms" and the language's digit grouping allowed); `Ok(None)` when nothing
/// was typed. English groups with commas ("1,200" is 1200); French writes a
/// decimal comma ("1,5" is 1.5) and groups with spaces, and a decimal point
/// typed there is read as one too.
pub fn parse_guess(text: &str, lang: Lang) -> Result<Option<f64>, GuessError> {
    let t = text.trim();
    let t = t.strip_suffix("ms").unwrap_or(t).trim();
    let spaces = [' ', '\u{a0}', '\u{202f}', '_'];
    let t = match lang {
        Lang::En => t.replace(spaces, "").replace(',', ""),
        Lang::Fr => t.replace(spaces, "").replace(',', "."),
    };
    if t.is_empty() {
        return Ok(None);
    }
    let ms = crate::decimal::parse_f64(&t).ok_or(GuessError::NotANumber)?;
    if !ms.is_finite() || ms <= 0.0 || ms > MAX_GUESS_MS {
        return Err(GuessError::OutOfRange);
    }
    Ok(Some(ms))
}

/// How far the guess was from the measurement, in % of the measurement
/// (positive: the guess expected more).
pub fn guess_error_percent(guess_ms: f64, measured_ms: f64) -> Option<f64> {
    // The measurement is the yardstick here: "your guess was 50 % too high".
    super::ratio(guess_ms, measured_ms).map(|r| (r - 1.0) * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_french_guess_has_a_decimal_comma_and_spaces_between_groups() {
        assert_eq!(parse_guess("1,5", Lang::Fr), Ok(Some(1.5)));
        assert_eq!(parse_guess("1,5", Lang::En), Ok(Some(15.0)));
        assert_eq!(parse_guess("2\u{202f}276,5 ms", Lang::Fr), Ok(Some(2276.5)));
        assert_eq!(parse_guess("1 200", Lang::Fr), Ok(Some(1200.0)));
        assert_eq!(parse_guess("0.5", Lang::Fr), Ok(Some(0.5)));
        assert_eq!(parse_guess("1,2,3", Lang::Fr), Err(GuessError::NotANumber));
    }

    #[test]
    fn a_guess_is_read_from_what_people_type() {
        let parse_guess = |t: &str| parse_guess(t, Lang::En);
        assert_eq!(parse_guess(""), Ok(None));
        assert_eq!(parse_guess("  450 "), Ok(Some(450.0)));
        assert_eq!(parse_guess("1,200 ms"), Ok(Some(1200.0)));
        assert_eq!(parse_guess("0.5"), Ok(Some(0.5)));
        assert_eq!(parse_guess("abc"), Err(GuessError::NotANumber));
        assert_eq!(parse_guess("NaN"), Err(GuessError::OutOfRange));
        assert_eq!(parse_guess("0"), Err(GuessError::OutOfRange));
        assert_eq!(parse_guess("-3"), Err(GuessError::OutOfRange));
        assert_eq!(parse_guess("1e12"), Err(GuessError::OutOfRange));
    }

    #[test]
    fn a_guess_is_judged_against_the_measurement() {
        assert_eq!(guess_error_percent(600.0, 400.0), Some(50.0));
        assert_eq!(guess_error_percent(200.0, 400.0), Some(-50.0));
    }
}
