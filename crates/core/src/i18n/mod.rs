//! The page's words in English and French: the catalogue (one key set, two
//! languages, read here and given to the page as JSON), its look-up (`get`,
//! `fill`), the pseudo-language, and [`Lang`].
//!
//! Words are a leaf: this module knows no domain type. Each type words
//! itself next to its definition with a `message(&Catalogue)` or
//! `label(&Catalogue)` method (a `Problem` in `experiment::validate`,
//! fields and choices in `experiment`, figures in `figures`, a run's
//! notes in `report`, lanes and spans in `trace`), so that nothing here
//! depends on the modules that use it.
//!
//! Templates use named placeholders (`{field}`, `{min}`, …); both catalogues
//! have the same keys with the same placeholders, which a test checks.
//!
//! A type's `Display` stays English, for logs and the automation hook; its
//! `message(&Catalogue)` is what the page shows. Tests (`tests.rs`): both
//! languages have the same keys with the same placeholders, French is written
//! out rather than copied, every field and choice has its entry, a file is read
//! strictly.

mod catalogue;
mod json;

pub use catalogue::{fill_template, folder, placeholders, Catalogue, CatalogueError, PSEUDO_MARKS};
#[cfg(not(target_arch = "wasm32"))]
pub use catalogue::{shipped, source};

use serde::{Deserialize, Serialize};

/// A language of the interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// French.
    Fr,
}

impl Lang {
    /// Both languages.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// The tag of this language in `<html lang>` and in the catalogue's file
    /// name (`text/<tag>.json`).
    ///
    /// No function here reads a browser's language tags: boot.js picks the
    /// language before the wasm exists, and the catalogue it hands over says
    /// which language it is in (`lang` in its JSON, this type's serde form).
    pub fn tag(self) -> &'static str {
        folder(self)
    }
}

#[cfg(test)]
mod tests;
