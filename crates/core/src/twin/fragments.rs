//! The Python the generator writes around the library, by name: the
//! fragments of `program.txt` (its first lines say how it is written). The
//! page fetches the file from beside it, as it fetches the library, so that
//! the wasm carries only the names (issue 29); native callers take it from
//! the source tree ([`Fragments::native`]).

/// The text of `program.txt` as this crate was built with it (the page
/// fetches its copy, which must be this file).
#[cfg(not(target_arch = "wasm32"))]
pub const PROGRAM: &str = include_str!("program.txt");

use std::fmt::Display;

use crate::i18n::fill_template;

/// The line that starts a fragment, before its name.
const HEADER: &str = "@@ ";

/// `program.txt` cut into its fragments: `(name, text)`, in the file's order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fragments {
    entries: Vec<(String, String)>,
}

impl Fragments {
    /// The fragments of `text` (a `program.txt`): each from its `@@ name`
    /// line to the next one, the newline before that line left out; the
    /// lines before the first are the file's own comments. An error if it
    /// has none, or names one twice.
    pub fn parse(text: &str) -> Result<Fragments, String> {
        let mut entries: Vec<(String, String)> = Vec::new();
        for line in text.split_inclusive('\n') {
            if let Some(name) = line.strip_prefix(HEADER) {
                let name = name.trim_end();
                if entries.iter().any(|(n, _)| n == name) {
                    return Err(format!("{HEADER}{name} twice"));
                }
                end_fragment(&mut entries);
                entries.push((name.to_owned(), String::new()));
            } else if let Some((_, fragment)) = entries.last_mut() {
                fragment.push_str(line);
            }
        }
        if entries.is_empty() {
            return Err(format!("no {HEADER}line"));
        }
        end_fragment(&mut entries);
        Ok(Fragments { entries })
    }

    /// The fragments this crate was built with (tests, tools).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn native() -> Fragments {
        Fragments::parse(PROGRAM).unwrap_or_default()
    }

    /// The fragment `name`: empty when there is none, which tests of debug
    /// builds catch here (every program the tests write reads each of its
    /// fragments).
    pub fn get(&self, name: &str) -> &str {
        let found = self.entries.iter().find(|(n, _)| n == name);
        debug_assert!(found.is_some(), "no fragment {name}");
        found.map_or("", |(_, text)| text)
    }

    /// The fragment `name` with each `{key}` of `args` replaced by its
    /// value, as the catalogue's entries are filled (a `{…}` not in `args`
    /// stays as it is).
    pub fn fill(&self, name: &str, args: &[(&str, &dyn Display)]) -> String {
        fill_template(self.get(name), args)
    }

    /// The fragment `prefix` + `name`: one of a family (`kernel.primes`).
    pub fn of(&self, prefix: &str, name: &str) -> &str {
        self.get(&[prefix, name].concat())
    }
}

/// Drops the last fragment's final newline, the one before the next `@@`
/// line (or the file's last).
fn end_fragment(entries: &mut [(String, String)]) {
    if let Some((_, fragment)) = entries.last_mut() {
        if fragment.ends_with('\n') {
            fragment.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_are_cut_at_their_headers_and_filled() {
        let text = "# a comment\n@@ a\nx = {v}\n\n@@ b\n{w for w in v}\n@@ c\n\nz\n";
        let f = Fragments::parse(text).unwrap();
        assert_eq!(f.get("a"), "x = {v}\n");
        assert_eq!(f.get("b"), "{w for w in v}");
        assert_eq!(f.get("c"), "\nz");
        assert_eq!(f.fill("a", &[("v", &1)]), "x = 1\n");
        assert_eq!(f.fill("b", &[("v", &1)]), "{w for w in v}");
        assert!(Fragments::parse("@@ a\n@@ a\n").is_err());
        assert!(Fragments::parse("x\n").is_err());
    }

    #[test]
    fn the_built_file_parses() {
        assert!(Fragments::parse(PROGRAM).is_ok());
    }
}
