//! One reader per format (issue 25): the catalogue's `key = value` files
//! and the page's query are read by core alone. boot.js, which runs before
//! the wasm, reads the catalogue as JSON that core's `catalogue` example
//! wrote (scripts/catalogue.mjs), hands the query it was opened with to the
//! wasm, which reads it with core's codec, and takes its languages from the
//! switch in index.html, which must be core's. These tests fail if boot.js
//! grows a reader of either format again, or the switch and core disagree.

use std::path::Path;

use overlap_core::Lang;

fn read(path: &str) -> String {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path);
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// boot.js without its comments, which may name what the code must not do.
fn boot_code() -> String {
    read("www/boot.js")
        .lines()
        .map(|line| match line.find("//") {
            Some(at) if !line[..at].contains('\'') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn boot_js_reads_the_catalogue_as_json_only() {
    let code = boot_code();
    assert!(
        code.contains("JSON.parse("),
        "boot.js reads the catalogue's JSON"
    );
    assert!(code.contains("'.json'"), "boot.js fetches text/<name>.json");
    for parser in [
        "' = '",          // the key = value separator
        "\" = \"",        //
        "split('\\n')",   // a file cut into lines
        "split(\"\\n\")", //
        ".txt",           // the catalogue's source files
        "'#'",            // its comment lines
        "\\\\n",          // its escaped line breaks
        "⟦",              // the pseudo-language's marks (core's PSEUDO_MARKS)
    ] {
        assert!(
            !code.contains(parser),
            "boot.js parses the catalogue ({parser})"
        );
    }
}

#[test]
fn boot_js_reads_no_key_of_the_query() {
    let code = boot_code();
    for reader in [
        "debug=",
        "[?&;]",
        "URLSearchParams",
        "location.search.",
        ".search.match",
        ".search)",
    ] {
        assert!(!code.contains(reader), "boot.js reads the query ({reader})");
    }
    // What it does with the query: keeps it for the wasm.
    assert_eq!(code.matches("location.search").count(), 1);
    assert!(code.contains("window.overlapQuery = window.location.search;"));
}

#[test]
fn the_language_switch_offers_core_s_languages() {
    let index = read("index.html");
    let select = &index[index.find("<select id=\"lang\"").expect("the switch")..];
    let select = &select[..select.find("</select>").expect("its end")];
    let offered: Vec<&str> = select
        .split("<option value=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    let core: Vec<&str> = Lang::ALL.iter().map(|l| l.tag()).collect();
    assert_eq!(offered, core, "index.html's switch and core's Lang::ALL");
    assert_eq!(
        Lang::default(),
        Lang::ALL[0],
        "the first option is the default"
    );
}
