//! One line's comment: the piece of a line that a block of comments is
//! made of, what it is part of, and the small text helpers the scanners,
//! the blocks and the rewriting share.

/// What a comment line is part of: lines join a block only when this is the
/// same for both.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Group {
    /// Whole-line comments with this lead (indentation and marker).
    Lines(String),
    /// The docstring that begins on this line.
    Doc(usize),
    /// A comment after code: a block of its own.
    Trailing,
}

/// The comment part of one line.
#[derive(Clone, Debug)]
pub(super) struct Segment {
    pub(super) line: usize,
    /// What comes before the text on the line (indentation, marker, code).
    pub(super) lead: String,
    pub(super) text: String,
    /// What comes after it (a docstring's closing quotes).
    pub(super) tail: String,
    pub(super) group: Group,
}

/// Whether a comment line's text is no prose: empty, or a rule of dashes.
/// (Any character past ASCII counts as prose: Unicode's letter tables would
/// weigh 1.5 KB gzip on the wasm, issue 29.)
pub(super) fn is_separator(text: &str) -> bool {
    !text
        .chars()
        .any(|c| c.is_ascii_alphanumeric() || !c.is_ascii())
}

/// `s` with runs of ASCII whitespace made single spaces, trimmed. (Not
/// Unicode whitespace: French keeps its no-break spaces.)
pub(super) fn normalise(s: &str) -> String {
    s.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
}

pub(super) fn indent_of(line: &str) -> &str {
    &line[..line.len() - line.trim_start().len()]
}

/// `text` split into lead (the marker and the spaces after it) and words.
pub(super) fn split_marker(rest: &str, marker_len: usize) -> (&str, &str) {
    let after = &rest[marker_len..];
    let spaces = after.len() - after.trim_start().len();
    (&rest[..marker_len + spaces], after.trim())
}
