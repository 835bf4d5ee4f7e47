//! Where a program's comments are: each line's comment part, found by
//! scanning Python or Rust source with just enough of its syntax (strings,
//! docstrings, char literals) not to take a `#` or `//` inside a string
//! for a comment.

use super::segment::{indent_of, split_marker, Group, Segment};

/// The comment segments of a Python program.
pub(super) fn python_segments(code: &str) -> Vec<Segment> {
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
pub(super) fn rust_segments(code: &str) -> Vec<Segment> {
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
