//! Saving text the page made (an exported run) as a file the visitor downloads.

use overlap_core::i18n::Catalogue;
use wasm_bindgen::JsCast;

/// Offers `text` as a download named `file_name`, through a Blob URL (a
/// `data:` URL of a large trace would be slow, and some browsers cap them).
/// A refusal comes back as a clause in the catalogue's language.
pub fn offer(words: &Catalogue, file_name: &str, text: &str) -> Result<(), String> {
    let refused = |what: &str| words.get(&format!("download.refused.{what}"));
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| refused("document"))?;
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| refused("file"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| refused("file"))?;
    let link: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| refused("link"))?
        .unchecked_into();
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    // Revoked once the download surely started (revoking at once may cancel it).
    gloo_timers::callback::Timeout::new(30_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}
