//! Writes the page's catalogues as JSON, read from `crates/core/text/` with
//! core's own reader (`i18n::Catalogue::parse`, strict: a malformed line or
//! a key given twice fails the build):
//!
//! ```sh
//! cargo run --release -p overlap-core --example catalogue -- dist/text
//! ```
//!
//! writes `<dir>/<lang>.json` for each language and `<dir>/pseudo.json`
//! (English, every entry marked ⟦…⟧, for `debug=pseudo`), each
//! `{"lang": …, "entries": {key: value}}` (`i18n::Catalogue::to_json`).
//! Trunk's post-build hook runs it through `scripts/catalogue.mjs`; boot.js
//! and the wasm read only what it writes.

use std::path::PathBuf;
use std::process::ExitCode;

use overlap_core::i18n::{shipped, Catalogue};
use overlap_core::Lang;

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: catalogue <output directory>");
        return ExitCode::FAILURE;
    };
    let mut files = Vec::new();
    for lang in Lang::ALL {
        match shipped(lang) {
            Ok(c) => files.push((lang.tag(), c)),
            Err(why) => {
                eprintln!("catalogue: crates/core/text/{}: {why}", lang.tag());
                return ExitCode::FAILURE;
            }
        }
    }
    let pseudo = Catalogue::pseudo(&files[0].1);
    files.push(("pseudo", pseudo));
    if let Err(why) = std::fs::create_dir_all(&dir) {
        eprintln!("catalogue: {}: {why}", dir.display());
        return ExitCode::FAILURE;
    }
    for (name, c) in &files {
        let path = dir.join(format!("{name}.json"));
        if let Err(why) = std::fs::write(&path, c.to_json()) {
            eprintln!("catalogue: {}: {why}", path.display());
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
