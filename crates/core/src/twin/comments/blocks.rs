//! A program's comment blocks: its comment lines grouped into paragraphs
//! (see the parent module), each with the text it is looked up by.

use super::scan::{python_segments, rust_segments};
use super::segment::{is_separator, normalise, Group, Segment};
use super::Syntax;

/// The blocks of `segments`, each as its segments.
fn group(segments: Vec<Segment>) -> Vec<Vec<Segment>> {
    let mut blocks: Vec<Vec<Segment>> = Vec::new();
    let mut open = false;
    for s in segments {
        if is_separator(&s.text) {
            open = false;
            continue;
        }
        let joins = open
            && s.group != Group::Trailing
            && blocks
                .last()
                .and_then(|b| b.last())
                .is_some_and(|prev| prev.line + 1 == s.line && prev.group == s.group);
        if joins {
            blocks.last_mut().expect("open").push(s);
        } else {
            open = s.group != Group::Trailing;
            blocks.push(vec![s]);
        }
    }
    blocks
}

pub(super) fn blocks_of(code: &str, syntax: Syntax) -> Vec<Vec<Segment>> {
    group(match syntax {
        Syntax::Python => python_segments(code),
        Syntax::Rust => rust_segments(code),
    })
}

pub(super) fn block_text(block: &[Segment]) -> String {
    normalise(
        &block
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    )
}
