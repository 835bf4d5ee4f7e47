//! Where the code panel's texts come from: the files it quotes, the twin's
//! library and the generator's fragments, copied beside the page by
//! index.html and fetched when the panel shows (so that they are not
//! carried in the wasm), and the English catalogue through which their
//! comments are found.

use overlap_core::i18n::Catalogue;
use overlap_core::twin::{library, Fragments};
use overlap_core::Lang;

pub(super) const PLACEMENT_FILE: &str = "crates/core/src/execute/placement/mod.rs";
pub(super) const IO_FILE: &str = "crates/core/src/execute/placement/io.rs";
pub(super) const PROCESSES_FILE: &str = "crates/core/src/execute/placement/processes.rs";
pub(super) const WORKER_JOBS_FILE: &str = "crates/runtime/src/worker_jobs.rs";

/// The folder of the Python twin's library (its files are core's
/// [`library::PARTS`]), and where its files are served beside the page.
pub(super) const LIBRARY_DIR: (&str, &str) = ("crates/core/src/twin/library", "source/library");

/// The Python the twin's generator writes around the library (core's
/// [`Fragments`]), and where it is served beside the page.
pub(super) const PROGRAM_FILE: (&str, &str) = (
    "crates/core/src/twin/program.txt",
    "source/twin/program.txt",
);

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

/// The texts of the quoted files, by path, the twin's library and
/// fragments, and the English catalogue.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sources {
    pub(super) files: Vec<(&'static str, String)>,
    pub(super) library: String,
    pub(super) fragments: Fragments,
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

/// Fetches the twin's library and fragments, every quoted file and the
/// English catalogue from beside the page, every request sent at once: one after another they
/// took about 300 ms of a fresh load, most of it waiting on round trips.
pub async fn fetch_sources() -> Result<Sources, String> {
    use overlap_runtime::fetch::{start_text, text_of};
    let (library_dir, library_url) = LIBRARY_DIR;
    let part_urls = library::PARTS.map(|part| format!("{library_url}/{part}"));
    let english_url = english_url();
    let parts_sent = part_urls.each_ref().map(|url| start_text(url));
    let files_sent = SOURCE_URLS.map(|(_, url)| start_text(url));
    let english_sent = start_text(&english_url);
    let (program_path, program_url) = PROGRAM_FILE;
    let program_sent = start_text(program_url);
    let mut parts = Vec::with_capacity(library::PARTS.len());
    for ((sent, url), part) in parts_sent.into_iter().zip(&part_urls).zip(library::PARTS) {
        let text = text_of(sent, url)
            .await
            .map_err(|why| format!("{library_dir}/{part}: {why}"))?;
        parts.push(text);
    }
    let library = library::join(&parts);
    let mut files = Vec::with_capacity(SOURCE_URLS.len());
    for (sent, (path, url)) in files_sent.into_iter().zip(SOURCE_URLS) {
        let text = text_of(sent, url)
            .await
            .map_err(|why| format!("{path}: {why}"))?;
        files.push((path, text));
    }
    let url = english_url;
    let text = text_of(english_sent, &url)
        .await
        .map_err(|why| format!("{url}: {why}"))?;
    let english = Catalogue::from_json(&text).map_err(|why| format!("{url}: {why}"))?;
    let fragments = text_of(program_sent, program_url)
        .await
        .and_then(|text| Fragments::parse(&text))
        .map_err(|why| format!("{program_path}: {why}"))?;
    Ok(Sources {
        files,
        library,
        fragments,
        english,
    })
}
