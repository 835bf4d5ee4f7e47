//! A block rewritten in another language: the translation wrapped to the
//! block's width, each line with the block's indentation and marker, and
//! the pseudo-language's marks on every line.

use super::segment::{indent_of, Group, Segment};
use crate::i18n::PSEUDO_MARKS;

/// Words of `text` as they may be cut into lines: French punctuation that
/// follows a space (`:`, `;`, `!`, `?`, `»`) stays with the word before it,
/// and `«` with the word after.
pub(super) fn unbreakable_words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut glue_next = false;
    for w in text.split_ascii_whitespace() {
        let closing = w.chars().all(|c| ":;!?»".contains(c));
        match out.last_mut() {
            Some(last) if closing || glue_next => {
                last.push(' ');
                last.push_str(w);
            }
            _ => out.push(w.to_owned()),
        }
        glue_next = w == "«";
    }
    out
}

/// The narrowest a block of several lines is wrapped to.
const MIN_WIDTH: usize = 60;

/// The width a one-line comment may grow to before it is wrapped.
const ONE_LINE_WIDTH: usize = 79;

/// `block` with its text replaced by `text`: the first line keeps its lead,
/// the others take the block's continuation lead, the last keeps the tail;
/// a block is wrapped to the width of its longest line (at least
/// [`MIN_WIDTH`], or [`ONE_LINE_WIDTH`] for a one-line comment), except a
/// comment after code or a one-line docstring, which stay one line.
pub(super) fn rewrite(block: &[Segment], text: &str) -> Vec<String> {
    let first = &block[0];
    let last = &block[block.len() - 1];
    let continuation = match &first.group {
        Group::Doc(_) => block.get(1).map_or_else(
            || indent_of(&first.lead).to_owned(),
            |second| second.lead.clone(),
        ),
        Group::Lines(marker) => format!("{marker} "),
        Group::Trailing => String::new(),
    };
    let longest = block
        .iter()
        .map(|s| (s.lead.clone() + &s.text + &s.tail).chars().count())
        .max()
        .unwrap_or(0);
    let width = match (&first.group, block.len()) {
        // A comment after code, and a one-line docstring (a program's first
        // line may be its argparse description), stay one line.
        (Group::Trailing | Group::Doc(_), 1) => usize::MAX,
        (Group::Lines(_), 1) => longest.max(ONE_LINE_WIDTH),
        _ => longest.max(MIN_WIDTH),
    };
    // The pseudo-language marks each line, so that a line left out stands out.
    let (open, close) = PSEUDO_MARKS;
    let (text, marks) = match text.strip_prefix(open).and_then(|t| t.strip_suffix(close)) {
        Some(inner) => (inner, 2),
        None => (text, 0),
    };
    let mut lines: Vec<(String, String)> = Vec::new();
    let mut lead = first.lead.clone();
    let mut words = String::new();
    for word in unbreakable_words(text) {
        let len = lead.chars().count()
            + marks
            + words.chars().count()
            + usize::from(!words.is_empty())
            + word.chars().count();
        if !words.is_empty() && len > width {
            lines.push((
                std::mem::replace(&mut lead, continuation.clone()),
                std::mem::take(&mut words),
            ));
        }
        if !words.is_empty() {
            words.push(' ');
        }
        words.push_str(&word);
    }
    lines.push((lead, words));
    let count = lines.len();
    lines
        .into_iter()
        .enumerate()
        .map(|(i, (lead, words))| {
            let tail = if i + 1 == count {
                last.tail.as_str()
            } else {
                ""
            };
            if marks > 0 {
                format!("{lead}{open}{words}{close}{tail}")
            } else {
                format!("{lead}{words}{tail}")
            }
        })
        .collect()
}
