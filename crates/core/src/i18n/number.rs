//! Numbers in the page's language: the one path every number the page
//! shows goes through (the automation hook's numbers do not: it gives JSON
//! numbers, which no language touches).
//!
//! Written by hand: Rust's standard library formats numbers in one way only,
//! and a locale-aware formatter in wasm means ICU's data, which would cost
//! more than the page's whole 350 KB (gzip) budget of wasm. Two languages
//! need little: a decimal separator and a digit group separator.
//!
//! Each form is Rust's own (`format!("{:.1}")`) rewritten afterwards, so both
//! languages round alike, exactly as `format!` does: the value nearest in
//! binary is rounded, ties to even (0.25 → `0.2`, 0.05 → `0.1` as 0.05 is a
//! little over it in binary). Negative numbers keep `-`, as the page has
//! always written them; NaN and infinities come out as `format!` writes them,
//! never a panic.
//!
//! - English: a decimal point; counts grouped by three with commas
//!   ([`Lang::integer`], `20,000`), every other number left ungrouped
//!   (`2276.0`, `20000`), as the page has always shown them: the
//!   end-to-end tests and anyone reading the page's figures parse them as
//!   plain numbers.
//! - French: a decimal comma and groups of three separated by a narrow
//!   no-break space (U+202F), as French typography has it, from four digits
//!   on (`2 276,0`, `20 000`); a ratio's sign stands after such a space
//!   (`1,91 ×`).

use super::Lang;

/// The narrow no-break space, French typography's digit group separator
/// (and the space before `×`).
pub const NARROW_NBSP: char = '\u{202F}';

impl Lang {
    /// `value` with `decimals` decimals, in this language (`2276.0`,
    /// `2 276,0`).
    pub fn number(self, value: f64, decimals: usize) -> String {
        self.localise(&format!("{value:.decimals$}"))
    }

    /// `value` with `decimals` decimals and its sign always written (`+4`,
    /// `-0.3`), for differences and errors.
    pub fn signed(self, value: f64, decimals: usize) -> String {
        self.localise(&format!("{value:+.decimals$}"))
    }

    /// `value` in its shortest form that reads back as itself (`0.5`,
    /// `20000`), in this language: for values given rather than measured
    /// (an editor's bounds).
    pub fn shortest(self, value: f64) -> String {
        self.localise(&format!("{value}"))
    }

    /// `value` with at most `decimals` decimals, its trailing zeros dropped
    /// (`1.5`, `2`), in this language: for an axis's round ticks.
    pub fn trimmed(self, value: f64, decimals: usize) -> String {
        let text = format!("{value:.decimals$}");
        let text = if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.')
        } else {
            &text
        };
        self.localise(text)
    }

    /// A count with its digits grouped by three (`20,000`, `20 000`).
    pub fn integer(self, value: u64) -> String {
        group(&value.to_string(), self.group_separator(true))
    }

    /// A value given rather than measured, as the editor writes a bound:
    /// a whole one as a count (`20,000`), any other in its shortest form
    /// (`0.5`).
    pub fn given(self, value: f64) -> String {
        if value.fract() == 0.0 && (0.0..1e15).contains(&value) {
            self.integer(value as u64)
        } else {
            self.shortest(value)
        }
    }

    /// A ratio with `decimals` decimals and its times sign (`1.91×`,
    /// `1,91 ×`).
    pub fn ratio(self, value: f64, decimals: usize) -> String {
        [self.number(value, decimals), self.times().to_owned()].concat()
    }

    /// The times sign after a ratio, with the space this language puts
    /// before it (none in English).
    pub fn times(self) -> &'static str {
        match self {
            Lang::En => "×",
            Lang::Fr => "\u{202F}×",
        }
    }

    /// What separates the numbers of a list (`1.91, 1.80`): a comma in
    /// English; in French, whose decimal mark is a comma, a semicolon
    /// (`1,91 ; 1,80`).
    pub fn list_separator(self) -> &'static str {
        match self {
            Lang::En => ", ",
            Lang::Fr => " ; ",
        }
    }

    /// The separator of digit groups, for a count or (`count` false) any
    /// other number; `None`: not grouped.
    fn group_separator(self, count: bool) -> Option<char> {
        match self {
            Lang::En if count => Some(','),
            Lang::En => None,
            Lang::Fr => Some(NARROW_NBSP),
        }
    }

    /// `text`, a number as Rust's `format!` writes it (`-2276.05`), in this
    /// language; anything else (`NaN`, `inf`) as it is.
    fn localise(self, text: &str) -> String {
        let (sign, rest) = match text.strip_prefix(['-', '+']) {
            Some(rest) => text.split_at(text.len() - rest.len()),
            None => ("", text),
        };
        let (whole, fraction) = match rest.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (rest, None),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || fraction.is_some_and(|f| !digits(f)) {
            return text.to_owned();
        }
        let mut out = String::with_capacity(text.len() + 4);
        out.push_str(sign);
        out.push_str(&group(whole, self.group_separator(false)));
        if let Some(f) = fraction {
            out.push(match self {
                Lang::En => '.',
                Lang::Fr => ',',
            });
            out.push_str(f);
        }
        out
    }
}

/// `digits` grouped by three from the right with `separator` when it has
/// four or more (`None`: as they are).
fn group(digits: &str, separator: Option<char>) -> String {
    let Some(separator) = separator.filter(|_| digits.len() > 3) else {
        return digits.to_owned();
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}
