//! URL codec: an experiment as a short, readable query string, and back.
//!
//! `encode` writes the workload and strategy, then only the parameters that
//! differ from their default, e.g. `w=cpu&s=pool&k=8&kernel=mandelbrot&size=500`.
//! A missing `size` means the kernel's default size. `decode` accepts any
//! input (a leading `?`, percent-escapes, `+` for space, invalid UTF-8) and
//! never panics: it returns the nearest valid experiment and every problem it
//! met, so the page can explain and carry on.

use super::bounds::bounds_of;
use super::validate::{normalize, Problem, ProblemKind};
use super::{Experiment, Field, Python, Strategy, Token};
use crate::kernels::Kernel;

/// The strategy token links used for the thread pool under the GIL before
/// which Python runs an experiment was a field of its own (`py=gil`).
const LEGACY_GIL_STRATEGY: &str = "gil";

/// Problems kept by [`decode`]; more are only counted.
pub const MAX_PROBLEMS: usize = 32;
/// Characters of a bad key or value quoted in a problem.
const MAX_QUOTE: usize = 40;

/// The result of decoding a query string.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded {
    /// The nearest valid experiment (always passes [`super::validate()`]).
    pub experiment: Experiment,
    /// Problems met, in input order (at most [`MAX_PROBLEMS`]).
    pub problems: Vec<Problem>,
    /// Problems met beyond [`MAX_PROBLEMS`], not listed.
    pub more_problems: usize,
}

/// Encodes an experiment as a query string (without the leading `?`).
pub fn encode(e: &Experiment) -> String {
    let d = Experiment::default();
    let pairs: Vec<(Field, String)> = Field::ALL
        .iter()
        .filter(|&&f| match f {
            Field::Workload | Field::Strategy => true,
            // Said wherever it applies, so that a link names its Python;
            // elsewhere only when it is not what a link without it means.
            Field::Python => f.applies(e) || e.python != Python::unnamed_for(e.strategy),
            Field::Size => e.size != e.kernel.default_size(),
            _ => field_text(e, f) != field_text(&d, f),
        })
        .map(|&f| (f, field_text(e, f)))
        .collect();
    query_of(pairs.iter().map(|(f, v)| (*f, v.as_str())))
}

/// The fields whose text differs from `a` to `b`, with both texts, in
/// `Field::ALL` order: what a visitor changed from a preset, or what two
/// runs did differently.
pub fn differing(a: &Experiment, b: &Experiment) -> Vec<(Field, String, String)> {
    Field::ALL
        .iter()
        .map(|&field| (field, field_text(a, field), field_text(b, field)))
        .filter(|(_, x, y)| x != y)
        .collect()
}

/// The text of one field as the URL (and the page's editor) writes it.
pub fn field_text(e: &Experiment, field: Field) -> String {
    match field {
        Field::Workload => e.workload.token().to_owned(),
        Field::Strategy => e.strategy.token().to_owned(),
        Field::Python => e.python.token().to_owned(),
        Field::IoTasks => e.io_tasks.to_string(),
        Field::CpuTasks => e.cpu_tasks.to_string(),
        Field::IoSource => e.io_source.token().to_owned(),
        Field::Latency => e.latency.token().to_owned(),
        Field::LatencyMs => e.latency_ms.to_string(),
        Field::SpreadMs => e.spread_ms.to_string(),
        Field::Sigma => float(e.sigma),
        Field::CapMs => e.cap_ms.to_string(),
        Field::FailureRate => float(e.failure_rate),
        Field::Seed => e.seed.to_string(),
        Field::Kernel => e.kernel.token().to_owned(),
        Field::Size => e.size.to_string(),
        Field::SerialFraction => float(e.serial_fraction),
        Field::Workers => e.workers.to_string(),
        Field::Chunk => e.chunk.to_string(),
        Field::ReturnWhen => e.return_when.token().to_owned(),
        Field::AfterWait => e.after_wait.token().to_owned(),
        Field::SwitchMs => e.switch_ms.to_string(),
        Field::TimeoutMs => optional(e.timeout_ms),
        Field::Awaiting => e.awaiting.token().to_owned(),
        Field::Limit => optional(e.limit),
        Field::Neglect => e.neglect.token().to_owned(),
        Field::ProcessStart => e.process_start.token().to_owned(),
    }
}

fn optional(v: Option<u32>) -> String {
    v.map_or_else(|| "none".to_owned(), |t| t.to_string())
}

/// A query string of `key=value` pairs, values percent-escaped; `decode`
/// reads it back (the editor builds its draft this way, typos included).
pub fn query_of<'a>(pairs: impl IntoIterator<Item = (Field, &'a str)>) -> String {
    pairs
        .into_iter()
        .map(|(f, v)| format!("{}={}", f.key(), escape(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Keys of the page's own, not the experiment's: the decoder passes over
/// them without a problem, and [`has_debug`] reads them.
pub const PAGE_KEYS: [&str; 1] = ["debug"];

/// The `key=value` pairs of a query, raw: a leading `?` dropped, pairs
/// separated by `&` or `;`, empty ones skipped, a pair without `=` a key
/// with an empty value. The one grammar of the page's query: [`decode`]
/// and [`has_debug`] read it here.
fn pairs(query: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let query = query.strip_prefix(b"?").unwrap_or(query);
    query
        .split(|&b| b == b'&' || b == b';')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.iter().position(|&b| b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &pair[pair.len()..]),
        })
}

/// Whether the query asks for the page's debug mode `flag` (`debug=pseudo`:
/// the pseudo-language; `debug=faults`: fault injection on the hook), read
/// as [`decode`] reads every key. The page asks this of the query it was
/// opened with (boot.js keeps it as `window.overlapQuery`: the page
/// rewrites its address to the experiment's); boot.js reads no key itself.
pub fn has_debug(query: &str, flag: &str) -> bool {
    pairs(query.as_bytes()).any(|(k, v)| text(k).trim() == PAGE_KEYS[0] && text(v).trim() == flag)
}

/// Decodes a query string (raw bytes, e.g. `location.search`) into the nearest valid experiment.
pub fn decode(query: &[u8]) -> Decoded {
    let mut e = Experiment::default();
    let mut problems = Vec::new();
    let mut seen = [false; Field::ALL.len()];
    let mut size_given = false;
    let mut legacy_gil = false;
    for (raw_key, raw_value) in pairs(query) {
        let key = text(raw_key);
        if PAGE_KEYS.contains(&key.trim()) {
            continue;
        }
        let Some(field) = Field::from_key(key.trim()) else {
            problems.push(Problem {
                field: None,
                key: quote(&key),
                kind: ProblemKind::UnknownKey,
            });
            continue;
        };
        let slot = Field::ALL.iter().position(|&f| f == field).unwrap_or(0);
        if seen[slot] {
            problems.push(Problem::new(field, ProblemKind::Duplicate));
            continue;
        }
        seen[slot] = true;
        size_given |= field == Field::Size;
        let value = text(raw_value);
        if field == Field::Strategy && value.trim() == LEGACY_GIL_STRATEGY {
            // Before `py=`, the GIL was a strategy: the thread pool under
            // CPython's default build.
            e.strategy = Strategy::Pool;
            legacy_gil = true;
            continue;
        }
        if let Err(kind) = set(&mut e, field, value.trim()) {
            problems.push(Problem::new(field, kind));
        }
    }
    if !size_given {
        e.size = e.kernel.default_size();
    }
    // A link that names no strategy asks for none that cannot run its
    // workload: the default (the pool) gives way to one that can, unsaid.
    let strategy_slot = Field::ALL.iter().position(|&f| f == Field::Strategy);
    if strategy_slot.is_some_and(|slot| !seen[slot]) {
        e.strategy = e.strategy.fit_for(e.workload);
    }
    // A link that names no Python keeps the meaning it had before `py=`.
    let python_slot = Field::ALL.iter().position(|&f| f == Field::Python);
    if legacy_gil {
        e.python = Python::Gil;
    } else if python_slot.is_some_and(|slot| !seen[slot]) {
        e.python = Python::unnamed_for(e.strategy);
    }
    let (experiment, mut fixed) = normalize(&e);
    // A value the experiment does not read refuses nothing, even one that
    // cannot be read (it keeps its default): see `normalize`.
    problems.retain(|p| p.field.is_none_or(|f| f.applies(&experiment)));
    problems.append(&mut fixed);
    let more_problems = problems.len().saturating_sub(MAX_PROBLEMS);
    problems.truncate(MAX_PROBLEMS);
    Decoded {
        experiment,
        problems,
        more_problems,
    }
}

/// Decodes a query string given as text.
pub fn decode_str(query: &str) -> Decoded {
    decode(query.as_bytes())
}

/// Sets one field from its URL text; out-of-range numbers are stored as given
/// (saturated to the field's type) so that `normalize` reports them.
fn set(e: &mut Experiment, field: Field, v: &str) -> Result<(), ProblemKind> {
    match field {
        Field::Workload => e.workload = choice(v)?,
        Field::Strategy => e.strategy = choice(v)?,
        Field::Python => e.python = choice(v)?,
        Field::IoSource => e.io_source = choice(v)?,
        Field::Latency => e.latency = choice(v)?,
        Field::Kernel => e.kernel = choice::<Kernel>(v)?,
        Field::ReturnWhen => e.return_when = choice(v)?,
        Field::AfterWait => e.after_wait = choice(v)?,
        Field::IoTasks => whole(field, v, &mut e.io_tasks)?,
        Field::CpuTasks => whole(field, v, &mut e.cpu_tasks)?,
        Field::LatencyMs => whole(field, v, &mut e.latency_ms)?,
        Field::SpreadMs => whole(field, v, &mut e.spread_ms)?,
        Field::CapMs => whole(field, v, &mut e.cap_ms)?,
        Field::Size => whole(field, v, &mut e.size)?,
        Field::Workers => whole(field, v, &mut e.workers)?,
        Field::Chunk => whole(field, v, &mut e.chunk)?,
        Field::SwitchMs => whole(field, v, &mut e.switch_ms)?,
        Field::TimeoutMs => optional_whole(field, v, &mut e.timeout_ms)?,
        Field::Limit => optional_whole(field, v, &mut e.limit)?,
        Field::Awaiting => e.awaiting = choice(v)?,
        Field::Neglect => e.neglect = choice(v)?,
        Field::ProcessStart => e.process_start = choice(v)?,
        Field::Sigma => e.sigma = real(v)?,
        Field::FailureRate => e.failure_rate = real(v)?,
        Field::SerialFraction => e.serial_fraction = real(v)?,
        Field::Seed => {
            e.seed = v
                .parse::<u64>()
                .map_err(|_| ProblemKind::Malformed { got: quote(v) })?
        }
    }
    Ok(())
}

fn choice<T: Token>(v: &str) -> Result<T, ProblemKind> {
    T::from_token(v).ok_or_else(|| ProblemKind::UnknownChoice {
        got: quote(v),
        choices: T::ALL.iter().map(|c| c.token().to_owned()).collect(),
    })
}

/// Sets `slot` from `v`; a negative number is reported and the nearest valid
/// value, the field's minimum, is kept (a malformed one keeps the default).
fn whole(field: Field, v: &str, slot: &mut u32) -> Result<(), ProblemKind> {
    match int(field, v) {
        Ok(n) => {
            *slot = n;
            Ok(())
        }
        Err(problem @ ProblemKind::BelowMin { min, .. }) => {
            *slot = min as u32;
            Err(problem)
        }
        Err(problem) => Err(problem),
    }
}

/// A whole number or `none` (empty too) for a field that may be unset.
fn optional_whole(field: Field, v: &str, slot: &mut Option<u32>) -> Result<(), ProblemKind> {
    if matches!(v, "" | "none") {
        *slot = None;
        return Ok(());
    }
    let mut n = 0;
    let result = whole(field, v, &mut n);
    if !matches!(result, Err(ProblemKind::Malformed { .. })) {
        *slot = Some(n);
    }
    result
}

/// A whole number; values past `u32` saturate (and are reported by `normalize` as above the max).
fn int(field: Field, v: &str) -> Result<u32, ProblemKind> {
    let malformed = || ProblemKind::Malformed { got: quote(v) };
    let digits = v.strip_prefix('+').unwrap_or(v);
    if let Some(neg) = digits.strip_prefix('-') {
        // Below every minimum, including 0: reported against the field's own
        // minimum, never quietly read as 0.
        if neg.is_empty() || !neg.bytes().all(|b| b.is_ascii_digit()) {
            return Err(malformed());
        }
        if neg.bytes().all(|b| b == b'0') {
            return Ok(0);
        }
        return Err(ProblemKind::BelowMin {
            min: bounds_of(field).map_or(0.0, |b| b.min),
            got: -crate::decimal::parse_f64(neg).unwrap_or(f64::MAX),
        });
    }
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed());
    }
    Ok(digits.parse::<u32>().unwrap_or(u32::MAX))
}

/// A decimal number; NaN and infinities are passed on for `normalize` to report.
fn real(v: &str) -> Result<f64, ProblemKind> {
    crate::decimal::parse_f64(v).ok_or_else(|| ProblemKind::Malformed { got: quote(v) })
}

/// Formats a float so it reads back to the same value (Rust's shortest round-trip form).
fn float(x: f64) -> String {
    format!("{x}")
}

/// Percent-decodes `raw` (`+` is a space); invalid UTF-8 becomes U+FFFD.
fn text(raw: &[u8]) -> String {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < raw.len() => match (hex(raw[i + 1]), hex(raw[i + 2])) {
                (Some(hi), Some(lo)) => {
                    out.push(hi << 4 | lo);
                    i += 2;
                }
                // A lone `%` is kept as it is, like browsers do.
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Escapes what a value may not contain in a query string (our values are plain tokens and numbers).
fn escape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Shortens user text quoted in a problem, on a character boundary.
fn quote(v: &str) -> String {
    match v.char_indices().nth(MAX_QUOTE) {
        Some((i, _)) => format!("{}…", &v[..i]),
        None => v.to_owned(),
    }
}

#[cfg(test)]
mod tests;
