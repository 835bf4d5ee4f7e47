//! Where the code panel's texts come from: the files it quotes and the
//! twin's library, copied beside the page by index.html and fetched when the
//! panel shows (so that they are not carried in the wasm), and the English
//! catalogue through which their comments are found.

use overlap_core::i18n::Catalogue;
use overlap_core::twin::library;
use overlap_core::Lang;

pub(super) const PLACEMENT_FILE: &str = "crates/core/src/execute/placement/mod.rs";
pub(super) const IO_FILE: &str = "crates/core/src/execute/placement/io.rs";
pub(super) const PROCESSES_FILE: &str = "crates/core/src/execute/placement/processes.rs";
pub(super) const WORKER_JOBS_FILE: &str = "crates/runtime/src/worker_jobs.rs";

/// The folder of the Python twin's library (its files are core's
/// [`library::PARTS`]), and where its files are served beside the page.
pub(super) const LIBRARY_DIR: (&str, &str) = ("crates/core/src/twin/library", "source/library");

/// The files the panel quotes, by path (where core places each task, and
/// what runs on the pool's workers), and where each is served beside the
/// page: index.html copies them there, as it copies the twin's library, so
/// that their text is fetched when the panel shows rather than carried in
/// the wasm.
pub(super) const SOURCE_URLS: [(&str, &str); 4] = [
    (PLACEMENT_FILE, "source/placement/mod.rs"),
    (IO_FILE, "source/placement/io.rs"),
    (PROCESSES_FILE, "source/placement/processes.rs"),
    (WORKER_JOBS_FILE, "source/worker_jobs.rs"),
];

/// Where the English catalogue is served as JSON (core's `catalogue` example
/// writes it), which the panel reads to find
/// each comment's key whatever the page's language (scripts/catalogue.mjs
/// writes it; boot.js fetches the page's own from beside it).
fn english_url() -> String {
    format!("text/{}.json", Lang::En.tag())
}

/// The texts of the quoted files, by path, the twin's library, and the
/// English catalogue.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sources {
    pub(super) files: Vec<(&'static str, String)>,
    pub(super) library: String,
    pub(super) english: Catalogue,
}

impl Sources {
    /// The text of the quoted file `path` (empty when it is not loaded).
    pub(super) fn get(&self, path: &str) -> &str {
        self.files
            .iter()
            .find(|(p, _)| *p == path)
            .map_or("", |(_, text)| text)
    }
}

/// Fetches the twin's library, every quoted file and the English catalogue
/// from beside the page.
pub async fn fetch_sources() -> Result<Sources, String> {
    let (library_dir, library_url) = LIBRARY_DIR;
    let mut parts = Vec::with_capacity(library::PARTS.len());
    for part in library::PARTS {
        let text = overlap_runtime::fetch::text(&format!("{library_url}/{part}"))
            .await
            .map_err(|why| format!("{library_dir}/{part}: {why}"))?;
        parts.push(text);
    }
    let library = library::join(&parts);
    let mut files = Vec::with_capacity(SOURCE_URLS.len());
    for (path, url) in SOURCE_URLS {
        let text = overlap_runtime::fetch::text(url)
            .await
            .map_err(|why| format!("{path}: {why}"))?;
        files.push((path, text));
    }
    let url = english_url();
    let text = overlap_runtime::fetch::text(&url)
        .await
        .map_err(|why| format!("{url}: {why}"))?;
    let english = Catalogue::from_json(&text).map_err(|why| format!("{url}: {why}"))?;
    Ok(Sources {
        files,
        library,
        english,
    })
}
