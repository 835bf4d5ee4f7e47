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

use super::{Catalogue, PSEUDO_MARKS};

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

/// What a comment line is part of: lines join a block only when this is the
/// same for both.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Group {
    /// Whole-line comments with this lead (indentation and marker).
    Lines(String),
    /// The docstring that begins on this line.
    Doc(usize),
    /// A comment after code: a block of its own.
    Trailing,
}

/// The comment part of one line.
#[derive(Clone, Debug)]
struct Segment {
    line: usize,
    /// What comes before the text on the line (indentation, marker, code).
    lead: String,
    text: String,
    /// What comes after it (a docstring's closing quotes).
    tail: String,
    group: Group,
}

/// Whether a comment line's text is no prose: empty, or a rule of dashes.
fn is_separator(text: &str) -> bool {
    !text.chars().any(char::is_alphanumeric)
}

/// `s` with runs of ASCII whitespace made single spaces, trimmed. (Not
/// Unicode whitespace: French keeps its no-break spaces.)
fn normalise(s: &str) -> String {
    s.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
}

fn indent_of(line: &str) -> &str {
    &line[..line.len() - line.trim_start().len()]
}

/// `text` split into lead (the marker and the spaces after it) and words.
fn split_marker(rest: &str, marker_len: usize) -> (&str, &str) {
    let after = &rest[marker_len..];
    let spaces = after.len() - after.trim_start().len();
    (&rest[..marker_len + spaces], after.trim())
}

/// The comment segments of a Python program.
fn python_segments(code: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    // An open docstring: its quotes and the line it began on.
    let mut doc: Option<(&str, usize)> = None;
    // An open triple-quoted string that is not a docstring.
    let mut string: Option<&str> = None;
    for (i, line) in code.split('\n').enumerate() {
        if let Some((quotes, start)) = doc {
            let indent = indent_of(line);
            let body = line.trim_start();
            let text = match body.find(quotes) {
                Some(p) => {
                    doc = None;
                    &body[..p]
                }
                None => body,
            };
            let text = text.trim_end();
            out.push(Segment {
                line: i,
                lead: indent.to_owned(),
                text: text.to_owned(),
                tail: line[indent.len() + text.len()..].to_owned(),
                group: Group::Doc(start),
            });
            continue;
        }
        let mut from = 0;
        if let Some(quotes) = string {
            match line.find(quotes) {
                Some(p) => {
                    string = None;
                    from = p + 3;
                }
                None => continue,
            }
        }
        let body = line.trim_start();
        if from == 0 {
            if let Some(quotes) = ["\"\"\"", "'''"].into_iter().find(|q| body.starts_with(q)) {
                let lead_len = line.len() - body.len() + 3;
                let rest = &line[lead_len..];
                let text_len = match rest.find(quotes) {
                    Some(p) => p,
                    None => {
                        doc = Some((quotes, i));
                        rest.len()
                    }
                };
                let text = rest[..text_len].trim_end();
                out.push(Segment {
                    line: i,
                    lead: line[..lead_len].to_owned(),
                    text: text.to_owned(),
                    tail: line[lead_len + text.len()..].to_owned(),
                    group: Group::Doc(i),
                });
                continue;
            }
        }
        // Code: a `#` outside strings starts a comment.
        let bytes = line.as_bytes();
        let mut quote: Option<u8> = None;
        let mut j = from;
        while j < bytes.len() {
            let b = bytes[j];
            match quote {
                Some(q) => {
                    if b == b'\\' {
                        j += 1;
                    } else if b == q {
                        quote = None;
                    }
                }
                None => {
                    if b == b'"' || b == b'\'' {
                        let triple = if b == b'"' { "\"\"\"" } else { "'''" };
                        if line[j..].starts_with(triple) {
                            match line[j + 3..].find(triple) {
                                Some(p) => j += 3 + p + 2,
                                None => {
                                    string = Some(triple);
                                    break;
                                }
                            }
                        } else {
                            quote = Some(b);
                        }
                    } else if b == b'#' {
                        let code_part = &line[..j];
                        if i == 0 && line[j..].starts_with("#!") {
                            break;
                        }
                        let (lead, text) = split_marker(&line[j..], 1);
                        let whole = code_part.trim().is_empty();
                        out.push(Segment {
                            line: i,
                            lead: format!("{code_part}{lead}"),
                            text: text.to_owned(),
                            tail: String::new(),
                            group: if whole {
                                Group::Lines(format!("{code_part}#"))
                            } else {
                                Group::Trailing
                            },
                        });
                        break;
                    }
                }
            }
            j += 1;
        }
    }
    out
}

/// The comment segments of Rust source.
fn rust_segments(code: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    // Inside a string literal that goes on past a line's end.
    let mut in_string = false;
    for (i, line) in code.split('\n').enumerate() {
        let bytes = line.as_bytes();
        let mut j = 0;
        while j < bytes.len() {
            let b = bytes[j];
            if in_string {
                if b == b'\\' {
                    j += 1;
                } else if b == b'"' {
                    in_string = false;
                }
            } else if b == b'"' {
                in_string = true;
            } else if b == b'\'' {
                // A char literal ('x', '\n', '"'); otherwise a lifetime.
                let rest = line.get(j + 1..).unwrap_or_default();
                match rest.chars().next() {
                    Some('\\') => {
                        if let Some(end) = rest[1..].find('\'') {
                            j += 1 + end + 1;
                        }
                    }
                    Some(c) if rest[c.len_utf8()..].starts_with('\'') => {
                        j += c.len_utf8() + 1;
                    }
                    _ => {}
                }
            } else if bytes[j..].starts_with(b"//") {
                let code_part = &line[..j];
                let rest = &line[j..];
                let doc = rest.starts_with("//!")
                    || (rest.starts_with("///") && !rest.starts_with("////"));
                let marker = if doc { 3 } else { 2 };
                let (lead, text) = split_marker(rest, marker);
                let whole = code_part.trim().is_empty();
                out.push(Segment {
                    line: i,
                    lead: format!("{code_part}{lead}"),
                    text: text.to_owned(),
                    tail: String::new(),
                    group: if whole {
                        Group::Lines(format!("{code_part}{}", &rest[..marker]))
                    } else {
                        Group::Trailing
                    },
                });
                break;
            }
            j += 1;
        }
    }
    out
}

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

fn blocks_of(code: &str, syntax: Syntax) -> Vec<Vec<Segment>> {
    group(match syntax {
        Syntax::Python => python_segments(code),
        Syntax::Rust => rust_segments(code),
    })
}

fn block_text(block: &[Segment]) -> String {
    normalise(
        &block
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    )
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

/// Words of `text` as they may be cut into lines: French punctuation that
/// follows a space (`:`, `;`, `!`, `?`, `»`) stays with the word before it,
/// and `«` with the word after.
fn unbreakable_words(text: &str) -> Vec<String> {
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
fn rewrite(block: &[Segment], text: &str) -> Vec<String> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    fn catalogues(en: &str, fr: &str) -> (Catalogue, Catalogue) {
        (
            Catalogue::parse(Lang::En, en).expect("en"),
            Catalogue::parse(Lang::Fr, fr).expect("fr"),
        )
    }

    #[test]
    fn python_blocks_are_paragraphs_docstrings_and_trailing_comments() {
        let code = "#!/usr/bin/env python3\n\
                    \"\"\"Title line.\n\nA paragraph\nof two lines.\n\"\"\"\n\
                    # -----\n# One comment\n# on two lines.\n# -----\n\n\
                    x = \"# not a comment\"  # but this is\n\
                    def f():\n    \"\"\"Short.\"\"\"\n    # Indented.\n    return 1\n";
        let texts: Vec<String> = comment_blocks(code, Syntax::Python)
            .into_iter()
            .map(|b| b.text)
            .collect();
        assert_eq!(
            texts,
            [
                "Title line.",
                "A paragraph of two lines.",
                "One comment on two lines.",
                "but this is",
                "Short.",
                "Indented."
            ]
        );
    }

    #[test]
    fn rust_blocks_keep_their_markers_apart() {
        let code = "//! Module.\n/// Doc one\n/// two.\n///\n/// Doc three.\nfn f() {\n    // Inside.\n    let s = \"// no\"; // after\n    let c = '\"'; // quote\n    let e = ('é', \"é // no\"); // accent\n}\n";
        let texts: Vec<String> = comment_blocks(code, Syntax::Rust)
            .into_iter()
            .map(|b| b.text)
            .collect();
        assert_eq!(
            texts,
            [
                "Module.",
                "Doc one two.",
                "Doc three.",
                "Inside.",
                "after",
                "quote",
                "accent"
            ]
        );
    }

    #[test]
    fn a_block_is_replaced_by_its_translation_in_its_place() {
        let (en, fr) = catalogues(
            "code.py.a.1 = One comment on two lines.\ncode.py.b.1 = Short.\ncode.twin.c.1 = k = {k} was asked, {n} ran.\ncode.py.d.1 = but this is\nother.key = Short.\n",
            "code.py.a.1 = Un commentaire sur deux lignes, un peu plus long en français.\ncode.py.b.1 = Bref.\ncode.twin.c.1 = k = {k} demandé, {n} lancé(s).\ncode.py.d.1 = mais ceci l’est\nother.key = Court.\n",
        );
        let code = "    # One comment\n    # on two lines.\nx = 1  # but this is\n\"\"\"Short.\"\"\"\n# k = 6 was asked,\n# 2 ran.\n\n# Unknown.\n";
        let out = translate_comments(code, Syntax::Python, &en, &fr);
        assert_eq!(
            out,
            "    # Un commentaire sur deux lignes, un peu plus long en\n    # français.\nx = 1  # mais ceci l’est\n\"\"\"Bref.\"\"\"\n# k = 6 demandé, 2 lancé(s).\n\n# Unknown.\n"
        );
        // English to English changes nothing, however the block is wrapped.
        assert_eq!(translate_comments(code, Syntax::Python, &en, &en), code);
    }

    #[test]
    fn docstring_paragraphs_keep_their_quotes() {
        let (en, fr) = catalogues(
            "code.py.f.1 = Runs steps start..end; returns their part of the checksum.\ncode.py.g.1 = Title {query} here.\n",
            "code.py.f.1 = Exécute les pas start..end ; renvoie leur part de la somme de contrôle.\ncode.py.g.1 = Titre {query} ici.\n",
        );
        let code = "def f():\n    \"\"\"Runs steps start..end; returns their part\n    of the checksum.\"\"\"\n\"\"\"Title \"w=io\" here.\n\"\"\"\n";
        let out = translate_comments(code, Syntax::Python, &en, &fr);
        assert_eq!(
            out,
            "def f():\n    \"\"\"Exécute les pas start..end ; renvoie leur part de la\n    somme de contrôle.\"\"\"\n\"\"\"Titre \"w=io\" ici.\n\"\"\"\n"
        );
    }

    #[test]
    fn a_long_translation_of_a_one_line_comment_is_wrapped_but_not_after_code() {
        let (en, fr) = catalogues(
            "code.py.a.1 = Primes: count the primes in blocks.\ncode.py.b.1 = let timers run\n",
            "code.py.a.1 = Nombres premiers : compte les nombres premiers par blocs de PRIMES_BLOCK entiers à partir de PRIMES_BASE.\ncode.py.b.1 = laisse passer les minuteurs et les entrées-sorties, et tout ce qui attend la boucle\n",
        );
        let code = "# Primes: count the primes in blocks.\n        await asyncio.sleep(0)  # let timers run\n";
        assert_eq!(
            translate_comments(code, Syntax::Python, &en, &fr),
            "# Nombres premiers : compte les nombres premiers par blocs de PRIMES_BLOCK\n\
             # entiers à partir de PRIMES_BASE.\n        \
             await asyncio.sleep(0)  # laisse passer les minuteurs et les entrées-sorties, et tout ce qui attend la boucle\n"
        );
    }

    #[test]
    fn the_pseudo_language_marks_every_line_of_a_block() {
        let (en, _) = catalogues(
            "code.py.a.1 = One comment that is long enough to be cut into two lines when it is marked.\n",
            "",
        );
        let pseudo = Catalogue::pseudo(&en);
        let code =
            "# One comment that is long enough to be cut into two lines\n# when it is marked.\n";
        let out = translate_comments(code, Syntax::Python, &en, &pseudo);
        assert_eq!(
            out,
            "# ⟦One comment that is long enough to be cut into two lines⟧\n# ⟦when it is marked.⟧\n"
        );
    }

    #[test]
    fn french_punctuation_is_not_cut_from_its_word() {
        assert_eq!(
            unbreakable_words("a « b » c : d"),
            ["a", "« b »", "c :", "d"]
        );
    }
}
