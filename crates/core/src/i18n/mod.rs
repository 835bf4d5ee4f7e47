//! The page's words in English and French: the catalogue (one key set, two
//! languages, read here and given to the page as JSON), its look-up (`get`,
//! `fill`, and `fill_count` for a count's singular or plural), the
//! pseudo-language, [`Lang`], and numbers in each language (`number.rs`:
//! [`Lang::number`], [`Lang::integer`] and their kin, the page's one way of
//! writing a number).
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
//! A sentence with a count has two entries, `<key>.one` and `<key>.other`
//! (never “task(s)”): [`Lang::plural`] says which one a count takes, by
//! each language's own rule, and [`Catalogue::fill_count`] fills it.
//!
//! A type's `Display` stays English, for logs and the automation hook; its
//! `message(&Catalogue)` is what the page shows. Tests (`tests.rs`): both
//! languages have the same keys with the same placeholders, French is written
//! out rather than copied, every field and choice has its entry, a file is read
//! strictly.

mod catalogue;
mod json;
mod number;

pub use catalogue::{fill_template, folder, placeholders, Catalogue, CatalogueError, PSEUDO_MARKS};
#[cfg(not(target_arch = "wasm32"))]
pub use catalogue::{shipped, source};
pub use number::NARROW_NBSP;

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

    /// Which of a counted sentence's entries `n` takes in this language:
    /// `"one"` (the singular) or `"other"` (the plural). English puts only
    /// 1 in the singular (“1 task”, “0 tasks”), French 0 and 1 (“0 tâche”,
    /// “1 tâche”, “2 tâches”). The catalogue's `<key>.one` and `<key>.other`
    /// are those forms ([`Catalogue::fill_count`]).
    pub fn plural(self, n: u64) -> &'static str {
        let singular = match self {
            Lang::En => n == 1,
            Lang::Fr => n <= 1,
        };
        if singular {
            "one"
        } else {
            "other"
        }
    }
}

#[cfg(test)]
mod tests;
