//! Only what a program uses: the twin's helpers (its constants, messages and
//! library) are cut into top-level definitions, and a program carries those
//! its own part reaches, directly or through another helper, and the imports
//! they need. A twin of I/O alone thus has no kernel, and one strategy's
//! program no other strategy's driver.
//!
//! A definition is a line at column 0 that starts a `def`, `async def`,
//! `class` or an assignment, with the comment lines right above it, up to the
//! next one. A comment paragraph followed by a blank line is a heading: it is
//! kept when a definition under it (up to the next heading) is.

use std::collections::BTreeSet;

/// One part of a text: a heading, or a definition and what it names.
struct Piece<'a> {
    text: &'a str,
    /// The names it defines (none for a heading).
    defines: Vec<String>,
}

/// The names a line at column 0 defines, if it starts a definition.
fn defined(line: &str) -> Option<Vec<String>> {
    let rest = line.strip_prefix("async ").unwrap_or(line);
    for keyword in ["def ", "class "] {
        if let Some(r) = rest.strip_prefix(keyword) {
            let name: String = r.chars().take_while(|&c| is_word(c)).collect();
            return Some(vec![name]);
        }
    }
    let (left, right) = line.split_once('=')?;
    if right.starts_with('=') {
        return None;
    }
    let names: Vec<String> = left.split(',').map(|n| n.trim().to_owned()).collect();
    let identifier = |n: &String| {
        n.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && n.chars().all(is_word)
    };
    names.iter().all(identifier).then_some(names)
}

/// A character of a name. ASCII only: the programs name nothing else, and
/// Unicode's letter tables would weigh 1.5 KB gzip on the wasm (issue 29).
fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn is_comment(line: &str) -> bool {
    line.starts_with('#')
}

/// `text` cut into headings and definitions, in order.
fn pieces(text: &str) -> Vec<Piece<'_>> {
    // Byte offset of each line's start, and one past the end.
    let mut starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    if starts.last() != Some(&text.len()) {
        starts.push(text.len());
    }
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let blank = |i: usize| lines[i].trim().is_empty();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if blank(i) {
            i += 1;
            continue;
        }
        // A paragraph of comments at column 0, then what follows it.
        let mut j = i;
        while j < lines.len() && is_comment(lines[j]) {
            j += 1;
        }
        if j > i && (j == lines.len() || blank(j)) {
            out.push(Piece {
                text: &text[starts[i]..starts[j]],
                defines: Vec::new(),
            });
            i = j;
            continue;
        }
        let defines = defined(lines[j]).unwrap_or_default();
        // To the next line at column 0 that is a comment or starts another
        // definition (a closing bracket at column 0 belongs to this one).
        let mut end = j + 1;
        while end < lines.len()
            && (blank(end)
                || lines[end].starts_with([' ', '\t', ')', ']', '}'])
                || !(is_comment(lines[end]) || defined(lines[end]).is_some()))
        {
            end += 1;
        }
        while end > j + 1 && blank(end - 1) {
            end -= 1;
        }
        out.push(Piece {
            text: &text[starts[i]..starts[end]],
            defines,
        });
        i = end;
    }
    out
}

/// The names `code` reads: its identifiers outside strings and comments,
/// but not attributes (`x.name`).
pub(super) fn names_used(code: &str) -> BTreeSet<String> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = BTreeSet::new();
    let mut i = 0;
    let mut after_dot = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '#' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '"' || c == '\'' {
            i = string_end(&chars, i);
            after_dot = false;
            continue;
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && is_word(chars[i]) {
                i += 1;
            }
            if !after_dot {
                out.insert(chars[start..i].iter().collect());
            }
            after_dot = false;
            continue;
        } else if !c.is_whitespace() {
            after_dot = c == '.';
        }
        i += 1;
    }
    out
}

/// Where the string literal opening at `i` ends (one past its last quote).
fn string_end(chars: &[char], i: usize) -> usize {
    let q = chars[i];
    let triple = chars.get(i + 1) == Some(&q) && chars.get(i + 2) == Some(&q);
    let mut k = i + if triple { 3 } else { 1 };
    while k < chars.len() {
        if chars[k] == '\\' {
            k += 2;
        } else if triple {
            if chars[k..].starts_with(&[q, q, q]) {
                return k + 3;
            }
            k += 1;
        } else if chars[k] == q || chars[k] == '\n' {
            return k + 1;
        } else {
            k += 1;
        }
    }
    k
}

/// The parts of each of `texts` that `roots` reach, each text's kept
/// definitions (and their headings) in their order, two blank lines apart.
pub(super) fn keep(roots: &[&str], texts: &[&str]) -> Vec<String> {
    let all: Vec<Vec<Piece<'_>>> = texts.iter().map(|t| pieces(t)).collect();
    let mut wanted: BTreeSet<String> = roots.iter().flat_map(|r| names_used(r)).collect();
    let mut kept: BTreeSet<(usize, usize)> = BTreeSet::new();
    loop {
        let mut more = Vec::new();
        for (t, ps) in all.iter().enumerate() {
            for (p, piece) in ps.iter().enumerate() {
                if !kept.contains(&(t, p)) && piece.defines.iter().any(|n| wanted.contains(n)) {
                    kept.insert((t, p));
                    more.extend(names_used(piece.text));
                }
            }
        }
        let before = wanted.len();
        wanted.extend(more);
        if wanted.len() == before {
            break;
        }
    }
    all.iter()
        .enumerate()
        .map(|(t, ps)| {
            let mut out: Vec<&str> = Vec::new();
            let mut heading: Vec<&str> = Vec::new();
            for (p, piece) in ps.iter().enumerate() {
                if piece.defines.is_empty() {
                    // A new heading: the last one goes if nothing under it was kept.
                    if p > 0 && !ps[p - 1].defines.is_empty() {
                        heading.clear();
                    }
                    heading.push(piece.text);
                } else if kept.contains(&(t, p)) {
                    out.append(&mut heading);
                    out.push(piece.text);
                }
            }
            let mut joined = String::new();
            for (k, piece) in out.iter().enumerate() {
                if k > 0 {
                    joined += separator(out[k - 1], piece);
                }
                joined += piece.trim_end_matches('\n');
            }
            joined
        })
        .collect()
}

/// The blank lines between two kept parts, as PEP 8 lays them out: two
/// around a function or class, none between one-line constants, one
/// between other constants.
fn separator(before: &str, after: &str) -> &'static str {
    let constant = |p: &str| {
        p.lines().find(|l| !is_comment(l)).is_some_and(|l| {
            !["def ", "async def ", "class "]
                .iter()
                .any(|k| l.starts_with(k))
        })
    };
    let one_line = |p: &str| p.trim_end_matches('\n').lines().count() == 1 && !is_comment(p);
    match (constant(before), constant(after)) {
        (true, true) if one_line(before) && one_line(after) => "\n",
        (true, true) => "\n\n",
        _ => "\n\n\n",
    }
}

/// The modules the program may use, in the order it imports them.
const MODULES: [&str; 14] = [
    "argparse",
    "array",
    "asyncio",
    "hashlib",
    "json",
    "math",
    "multiprocessing",
    "os",
    "platform",
    "struct",
    "sys",
    "threading",
    "time",
    "urllib",
];

/// The `import` lines for the modules `code` uses (`urllib` is imported as
/// `urllib.request`, the part it uses).
pub(super) fn imports(code: &str) -> String {
    let used = names_used(code);
    MODULES
        .iter()
        .filter(|m| used.contains(**m))
        .map(|m| match *m {
            "urllib" => "import urllib.request\n".to_owned(),
            m => format!("import {m}\n"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_is_reached_is_kept_with_its_heading() {
        let lib = "# Head.\n\nA = 1\n\n\ndef f():\n    return A\n\n\n\
                   # Other.\n\n# About g.\ndef g(x):\n    \"\"\"Uses h? no: 'h'.\"\"\"\n    return x.h  # h\n\n\n\
                   def h():\n    return {\n        1: 2,\n}\n";
        let kept = keep(&["print(f())"], &[lib]);
        assert_eq!(kept, ["# Head.\n\n\nA = 1\n\n\ndef f():\n    return A"]);
        let kept = keep(&["g(1)"], &[lib]);
        assert_eq!(kept, ["# Other.\n\n\n# About g.\ndef g(x):\n    \"\"\"Uses h? no: 'h'.\"\"\"\n    return x.h  # h"]);
        let kept = keep(&["h()"], &[lib]);
        assert_eq!(
            kept,
            ["# Other.\n\n\ndef h():\n    return {\n        1: 2,\n}"]
        );
    }

    #[test]
    fn names_in_strings_comments_and_attributes_are_not_uses() {
        let used = names_used("x = f'{a}' + \"b\" + '''c\nd''' # e\ny.z(w)\n");
        let used: Vec<&str> = used.iter().map(String::as_str).collect();
        assert_eq!(used, ["f", "w", "x", "y"]);
        assert_eq!(
            imports("asyncio.run(m)\nurllib.request.x\n"),
            "import asyncio\nimport urllib.request\n"
        );
    }
}
