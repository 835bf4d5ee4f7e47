//! A catalogue as the page gets it: JSON, `{"lang": "fr", "entries":
//! {"key": "value", …}}`, written at build time from the text files read by
//! [`Catalogue::parse`] (core's `catalogue` example, run by Trunk's hook
//! through `scripts/catalogue.mjs`), one file per language and one for the
//! pseudo-language. boot.js needs nothing but `JSON.parse` to show the
//! page's static text and boot messages before the wasm exists; the wasm
//! reads the same file with [`Catalogue::from_json`]. So the `key = value`
//! format has one reader, this crate's, and the page never parses it.

use std::fmt;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use super::{Catalogue, Lang};

/// The entries of a JSON object, in its order, without a map's code.
struct Entries(Vec<(String, String)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Entries, D::Error> {
        struct Pairs;
        impl<'de> Visitor<'de> for Pairs {
            type Value = Entries;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of key → value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut out = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(pair) = map.next_entry()? {
                    out.push(pair);
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(Pairs)
    }
}

#[derive(Deserialize)]
struct Wire {
    lang: Lang,
    entries: Entries,
}

impl Catalogue {
    /// Reads a catalogue from its JSON (see the module's docs).
    pub fn from_json(json: &str) -> Result<Catalogue, serde_json::Error> {
        let wire: Wire = serde_json::from_str(json)?;
        Ok(Catalogue::from_entries(wire.lang, wire.entries.0))
    }

    /// This catalogue as the page reads it (see the module's docs).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn to_json(&self) -> String {
        struct ByKey<'a>(&'a Catalogue);
        impl serde::Serialize for ByKey<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_map(self.0.entries())
            }
        }
        #[derive(serde::Serialize)]
        struct Out<'a> {
            lang: Lang,
            entries: ByKey<'a>,
        }
        let out = Out {
            lang: self.lang(),
            entries: ByKey(self),
        };
        serde_json::to_string(&out).unwrap_or_default()
    }
}
