//! Finding a comment's catalogue entry: the English values under
//! [`COMMENT_PREFIXES`], exact or with `{placeholders}` that match any
//! words, searched by a block's text.

use super::segment::normalise;
use super::{comment_blocks, Syntax, COMMENT_PREFIXES};
use crate::i18n::Catalogue;

/// A piece of an English value: words, or a placeholder.
#[derive(Clone, Debug, PartialEq)]
enum Piece {
    Words(String),
    Slot(String),
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

fn pieces(template: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut words = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}').map(|close| &after[..close]) {
            Some(name) if is_name(name) => {
                words.push_str(&rest[..open]);
                if !words.is_empty() {
                    out.push(Piece::Words(std::mem::take(&mut words)));
                }
                out.push(Piece::Slot(name.to_owned()));
                rest = &after[name.len() + 1..];
            }
            _ => {
                words.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    words.push_str(rest);
    if !words.is_empty() {
        out.push(Piece::Words(words));
    }
    out
}

/// Matches `text` against `pieces`, binding each placeholder to the
/// (non-empty) words it stands for; a name used twice binds the same words.
fn matches(pieces: &[Piece], text: &str, bound: &mut Vec<(String, String)>) -> bool {
    match pieces.split_first() {
        None => text.is_empty(),
        Some((Piece::Words(w), rest)) => text
            .strip_prefix(w.as_str())
            .is_some_and(|t| matches(rest, t, bound)),
        Some((Piece::Slot(name), rest)) => {
            if let Some(value) = bound
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
            {
                return text
                    .strip_prefix(value.as_str())
                    .is_some_and(|t| matches(rest, t, bound));
            }
            for (end, _) in text.char_indices().skip(1).chain([(text.len(), ' ')]) {
                bound.push((name.clone(), text[..end].to_owned()));
                if matches(rest, &text[end..], bound) {
                    return true;
                }
                bound.pop();
            }
            false
        }
    }
}

/// The comment entries of the English catalogue, to find a block's key.
pub struct CommentIndex<'a> {
    // A few hundred entries, searched a few dozen times: a vector is
    // enough, and lighter in the wasm than a map.
    exact: Vec<(String, &'a str)>,
    templates: Vec<(&'a str, Vec<Piece>)>,
}

impl<'a> CommentIndex<'a> {
    /// The index of `english`'s entries under [`COMMENT_PREFIXES`].
    pub fn new(english: &'a Catalogue) -> CommentIndex<'a> {
        let mut exact: Vec<(String, &'a str)> = Vec::new();
        let mut templates = Vec::new();
        for (key, value) in english.entries() {
            if !COMMENT_PREFIXES.iter().any(|p| key.starts_with(p)) {
                continue;
            }
            let value = normalise(value);
            let parts = pieces(&value);
            if parts.iter().any(|p| matches!(p, Piece::Slot(_))) {
                templates.push((key, parts));
            } else {
                if !exact.iter().any(|(v, _)| *v == value) {
                    exact.push((value, key));
                }
            }
        }
        CommentIndex { exact, templates }
    }

    /// The key whose English value is `text` (normalised), with the words
    /// its placeholders stand for.
    pub fn find(&self, text: &str) -> Option<(&'a str, Vec<(String, String)>)> {
        let text = normalise(text);
        if let Some((_, key)) = self.exact.iter().find(|(v, _)| *v == text) {
            return Some((key, Vec::new()));
        }
        self.templates.iter().find_map(|(key, parts)| {
            let mut bound = Vec::new();
            matches(parts, &text, &mut bound).then_some((*key, bound))
        })
    }
}

impl CommentIndex<'_> {
    /// Sorts the comment blocks of `code`: the key of each block that has an
    /// entry goes into `used`, the text of each that has none into
    /// `missing` (what the tests hold to every entry used, none missing).
    pub fn tally(
        &self,
        code: &str,
        syntax: Syntax,
        used: &mut std::collections::BTreeSet<String>,
        missing: &mut std::collections::BTreeSet<String>,
    ) {
        for block in comment_blocks(code, syntax) {
            match self.find(&block.text) {
                Some((key, _)) => {
                    used.insert(key.to_owned());
                }
                None => {
                    missing.insert(block.text);
                }
            }
        }
    }
}
