//! The comments of a program in another language: the code panel shows the
//! Python twin and Rust functions with their comments and docstrings in the
//! page's language, the code itself unchanged.
//!
//! A program's comments are cut into blocks: in Python, a paragraph of `#`
//! lines at one indentation, a trailing `# …` after code (always a block of
//! its own), or a paragraph of a docstring; in Rust, a paragraph of `//`,
//! `///` or `//!` lines. Paragraphs end at an empty comment line or a rule
//! (`# -----`), which are kept as they are. A block's text is its lines
//! without their markers, joined by single spaces.
//!
//! A block is translated through the English catalogue: its text must be the
//! English value of a key under [`COMMENT_PREFIXES`] (a value's
//! `{placeholders}` match any words, which are carried over into the
//! translation), and the same key's value in the target catalogue replaces
//! it, wrapped to the width of the block's longest line, each line with the
//! block's indentation and marker. A block without an English entry, or whose
//! translation is its own text, is left exactly as it is.

mod blocks;
mod index;
mod rewrite;
mod scan;
mod segment;
#[cfg(test)]
mod tests;

use crate::i18n::Catalogue;
use blocks::{block_text, blocks_of};
pub use index::CommentIndex;
use rewrite::rewrite;
use segment::normalise;

/// The catalogue keys whose English values are comment texts: the Python
/// library, the Rust functions the panel quotes, and the twin generator's
/// own comments.
pub const COMMENT_PREFIXES: [&str; 3] = ["code.py.", "code.rs.", "code.twin."];

/// The language of a program's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// `#` comments and `"""` docstrings.
    Python,
    /// `//`, `///` and `//!` comments.
    Rust,
}

/// One comment block of a program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommentBlock {
    /// Its first line, counted from 0.
    pub first: usize,
    /// Its last line (the same as `first` for a one-line block).
    pub last: usize,
    /// Its text: its lines without markers, joined by single spaces.
    pub text: String,
}

/// The comment blocks of `code`, in order.
pub fn comment_blocks(code: &str, syntax: Syntax) -> Vec<CommentBlock> {
    blocks_of(code, syntax)
        .iter()
        .map(|b| CommentBlock {
            first: b[0].line,
            last: b[b.len() - 1].line,
            text: block_text(b),
        })
        .collect()
}

/// The blocks of `code` that have no English entry: what a test holds to
/// nothing, so that a new comment comes with its translation.
pub fn untranslated_comments(code: &str, syntax: Syntax, english: &Catalogue) -> Vec<String> {
    let index = CommentIndex::new(english);
    comment_blocks(code, syntax)
        .into_iter()
        .filter(|b| index.find(&b.text).is_none())
        .map(|b| b.text)
        .collect()
}

/// `code` with each comment block that has an English entry in `english`
/// replaced by the same key's value in `to` (see the module's
/// documentation); the code itself is unchanged.
pub fn translate_comments(
    code: &str,
    syntax: Syntax,
    english: &Catalogue,
    to: &Catalogue,
) -> String {
    let index = CommentIndex::new(english);
    // (first line, last line, new lines) of each block replaced, in order.
    let mut replaced: Vec<(usize, usize, Vec<String>)> = Vec::new();
    for block in blocks_of(code, syntax) {
        let text = block_text(&block);
        let Some((key, bound)) = index.find(&text) else {
            continue;
        };
        if !to.has(key) {
            continue;
        }
        let args: Vec<(&str, &dyn std::fmt::Display)> = bound
            .iter()
            .map(|(n, v)| (n.as_str(), v as &dyn std::fmt::Display))
            .collect();
        let translated = normalise(&to.fill(key, &args));
        if translated == text {
            continue;
        }
        let first = block[0].line;
        let last = block[block.len() - 1].line;
        replaced.push((first, last, rewrite(&block, &translated)));
    }
    if replaced.is_empty() {
        return code.to_owned();
    }
    let lines: Vec<&str> = code.split('\n').collect();
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut next = replaced.into_iter().peekable();
    let mut i = 0;
    while i < lines.len() {
        match next.next_if(|(first, _, _)| *first == i) {
            Some((_, last, new)) => {
                out.extend(new);
                i = last + 1;
            }
            None => {
                out.push(lines[i].to_owned());
                i += 1;
            }
        }
    }
    out.join("\n")
}
