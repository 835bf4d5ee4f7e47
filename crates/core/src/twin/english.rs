//! The English of the generator's own comments, taken from the catalogue
//! rather than carried in the wasm (issue 29): the generator writes a
//! comment as a marker line, `#@<name>` (indented as the comment), which
//! [`comments`] replaces by the English catalogue's `code.twin.<name>`,
//! wrapped at [`WIDTH`] columns; the comments are then translated as any
//! other (`comments::translate_comments`).

use crate::i18n::Catalogue;

/// The widest line of a comment the generator writes (PEP 8's 79 columns).
pub(super) const WIDTH: usize = 79;

/// `text` cut at spaces into lines of at most `width` characters, each
/// starting with `lead` (a word longer than a line stands alone), joined by
/// newlines, with no newline after the last.
pub(super) fn wrapped(lead: &str, text: &str, width: usize) -> String {
    let lead_len = lead.chars().count();
    let mut out = String::from(lead);
    let mut line = lead_len;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if line > lead_len && line + 1 + len > width {
            out.push('\n');
            out.push_str(lead);
            line = lead_len;
        } else if line > lead_len {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += len;
    }
    out
}

/// `program` with each marker line `<indent>#@<name>` replaced by the
/// comment `<indent># …` in the English of `code.twin.<name>` in `english`.
/// A marker whose entry is missing stays as it is, a comment with no
/// English entry, which the tests that hold every comment to one find.
pub(super) fn comments(program: &str, english: &Catalogue) -> String {
    let mut out = String::with_capacity(program.len() + 4096);
    for line in program.split_inclusive('\n') {
        let body = line.trim_start();
        let key = body
            .strip_prefix("#@")
            .map(|name| format!("code.twin.{}", name.trim_end()));
        match key {
            Some(key) if english.has(&key) => {
                let indent = &line[..line.len() - body.len()];
                out += &wrapped(&format!("{indent}# "), &english.get(&key), WIDTH);
                out.push('\n');
            }
            _ => out.push_str(line),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{comments, wrapped};
    use crate::i18n::Catalogue;
    use crate::Lang;

    #[test]
    fn a_marker_becomes_the_english_comment_wrapped() {
        let english = Catalogue::parse(
            Lang::En,
            "code.twin.a.1 = one two three four five six seven eight nine ten\n",
        )
        .unwrap();
        let program = "x = 1\n    #@a.1\n    #@b.1\ny = 2  #@a.1\n";
        let out = comments(program, &english);
        assert_eq!(
            out,
            "x = 1\n    # one two three four five six seven eight nine ten\n    #@b.1\ny = 2  #@a.1\n"
        );
        assert_eq!(wrapped("  # ", "aa bb cc", 9), "  # aa bb\n  # cc");
        assert_eq!(wrapped("", "aaaaaaaaaaaa b", 5), "aaaaaaaaaaaa\nb");
    }
}
