//! The page's text in one language: a catalogue read from plain files
//! (`crates/core/text/<lang>/*.txt`) by this module's reader, the only one;
//! the page gets it as JSON (`json.rs`), served beside the page and fetched
//! at boot, so that neither language weighs on the wasm.
//!
//! Written by hand rather than with an i18n crate: the page needs keys,
//! named placeholders and two languages, and the crates that do more
//! (plural rules, ICU formatting) cost tens of kilobytes of wasm.
//!
//! The file is one entry per line, `key = value`; `#` starts a comment line;
//! `\n` in a value is a line break. Placeholders are `{name}`.
//!
//! Each language's file is joined from parts, `crates/core/text/<lang>/*.txt`
//! (one per area of the page, in the order of their names), by `source`: in
//! native tests, and at build time in core's `catalogue` example, which
//! writes the JSON the page reads (run by `scripts/catalogue.mjs`).

use std::fmt;

use super::Lang;

/// Marks that open and close every entry of the pseudo-language
/// ([`Catalogue::pseudo`]): text shown without them bypassed the catalogue.
pub const PSEUDO_MARKS: (char, char) = ('⟦', '⟧');

/// Why a catalogue file could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CatalogueError {
    /// A line that is neither a comment, blank, nor `key = value`.
    Malformed {
        /// Its number, from 1.
        line: usize,
    },
    /// A key given twice.
    Duplicate {
        /// The key.
        key: String,
    },
}

impl fmt::Display for CatalogueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CatalogueError::Malformed { line } => {
                write!(f, "line {line} is not “key = value”")
            }
            CatalogueError::Duplicate { key } => write!(f, "the key “{key}” is given twice"),
        }
    }
}

/// The page's text in one language, by key.
///
/// The entries are a vector sorted by key, searched by bisection: a map's
/// code would cost the wasm more, and the page looks up hundreds of keys
/// per drawing. The look-ups are never inlined, for the same reason: the
/// page calls them from hundreds of places.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Catalogue {
    lang: Lang,
    entries: Vec<(String, String)>,
}

fn is_key(k: &str) -> bool {
    !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

impl Catalogue {
    /// Reads the catalogue of `lang` from the text of its file.
    pub fn parse(lang: Lang, text: &str) -> Result<Catalogue, CatalogueError> {
        let mut entries = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let malformed = CatalogueError::Malformed { line: i + 1 };
            let (key, value) = line.split_once(" = ").ok_or(malformed.clone())?;
            let key = key.trim();
            if !is_key(key) || value.trim().is_empty() {
                return Err(malformed);
            }
            entries.push((key.to_owned(), value.trim().replace("\\n", "\n")));
        }
        let Catalogue { lang, entries } = Catalogue::from_entries(lang, entries);
        if let Some(twice) = entries.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(CatalogueError::Duplicate {
                key: twice[0].0.clone(),
            });
        }
        Ok(Catalogue { lang, entries })
    }

    /// A catalogue of `entries` in any order (sorted here for the look-up).
    pub(super) fn from_entries(lang: Lang, mut entries: Vec<(String, String)>) -> Catalogue {
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Catalogue { lang, entries }
    }

    fn find(&self, key: &str) -> Option<&str> {
        self.entries
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .map(|i| self.entries[i].1.as_str())
    }

    /// The pseudo-language of `source`: every entry wrapped in
    /// [`PSEUDO_MARKS`], placeholders kept. A page shown in it makes any
    /// text that bypassed the catalogue stand out (the end-to-end tests
    /// look for it); its `lang` stays the source's.
    pub fn pseudo(source: &Catalogue) -> Catalogue {
        let (open, close) = PSEUDO_MARKS;
        let entries = source
            .entries
            .iter()
            .map(|(k, v)| {
                let marked = v
                    .split('\n')
                    .map(|line| format!("{open}{line}{close}"))
                    .collect::<Vec<_>>()
                    .join("\n");
                (k.clone(), marked)
            })
            .collect();
        Catalogue {
            lang: source.lang,
            entries,
        }
    }

    /// The language of this catalogue.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The text of `key`. A key the catalogue lacks shows as itself in
    /// angle quotes, visible rather than blank (the tests keep it from
    /// happening).
    #[inline(never)]
    pub fn get(&self, key: &str) -> String {
        match self.find(key) {
            Some(value) => value.to_owned(),
            None => ["‹", key, "›"].concat(),
        }
    }

    /// Whether the catalogue has `key`.
    #[inline(never)]
    pub fn has(&self, key: &str) -> bool {
        self.find(key).is_some()
    }

    /// The text of `key` with each `{name}` replaced by its value in `args`
    /// (placeholders without a value are left as they are).
    #[inline(never)]
    pub fn fill(&self, key: &str, args: &[(&str, &dyn fmt::Display)]) -> String {
        fill_template(&self.get(key), args)
    }

    /// The entry `key.one` or `key.other`, whichever the count `n` takes in
    /// this catalogue's language ([`Lang::plural`]), filled with `args` (the
    /// count among them, under the name its sentence gives it).
    #[inline(never)]
    pub fn fill_count(&self, key: &str, n: u64, args: &[(&str, &dyn fmt::Display)]) -> String {
        self.fill(&[key, ".", self.lang.plural(n)].concat(), args)
    }

    /// Every key, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(k, _)| k.as_str())
    }

    /// Every entry, in key order.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// `template` with each `{name}` replaced by its value in `args`.
#[inline(never)]
pub fn fill_template(template: &str, args: &[(&str, &dyn fmt::Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            args.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (close, v.to_string()))
        });
        match value {
            Some((close, v)) => {
                out.push_str(&v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholder names of `template`, sorted, each once.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names: Vec<&str> = template
        .split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name))
        .filter(|name| is_key(name))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// The folder of a language's catalogue: `crates/core/text/<lang>/` holds
/// one file per part of the page, joined in the order of their names
/// ([`source`]); the page's build writes it as `text/<lang>.json`.
pub fn folder(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Fr => "fr",
    }
}

/// The text of `lang`'s catalogue, its parts joined, read from the source
/// tree (native tests, and the build's `catalogue` example).
#[cfg(not(target_arch = "wasm32"))]
pub fn source(lang: Lang) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("text")
        .join(folder(lang));
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    names.retain(|p| p.extension().is_some_and(|e| e == "txt"));
    names.sort();
    names
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// `lang`'s catalogue read from the source tree (native tests and tools).
#[cfg(not(target_arch = "wasm32"))]
pub fn shipped(lang: Lang) -> Result<Catalogue, CatalogueError> {
    Catalogue::parse(lang, &source(lang))
}
