//! Real I/O for the "fetch" variant of I/O tasks: one HTTP GET of a file
//! served beside the page, never from the cache, abortable.

use js_sys::ArrayBuffer;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::env::js_error_text;

/// The file I/O tasks fetch, relative to the page (Trunk copies it into dist/).
pub const FETCH_URL: &str = "io-sample.txt";

fn message(err: JsValue) -> String {
    js_error_text(&err).unwrap_or_else(|| "the request failed".to_owned())
}

/// The response of a fetch of `url`, if it succeeded (a 2xx status).
async fn answered(fetch: js_sys::Promise, url: &str) -> Result<web_sys::Response, String> {
    let response: web_sys::Response = JsFuture::from(fetch)
        .await
        .map_err(message)?
        .dyn_into()
        .map_err(|_| "fetch returned something other than a response".to_owned())?;
    if response.ok() {
        Ok(response)
    } else {
        Err(format!("HTTP {} for {url}", response.status()))
    }
}

/// A fetch in flight; dropping it aborts the request.
pub struct Fetch {
    controller: Option<web_sys::AbortController>,
}

impl Drop for Fetch {
    fn drop(&mut self) {
        if let Some(controller) = self.controller.take() {
            controller.abort();
        }
    }
}

impl Fetch {
    /// A fetch that aborts its request if dropped before it finishes.
    pub fn new() -> Fetch {
        Fetch {
            controller: web_sys::AbortController::new().ok(),
        }
    }

    /// Fetches `url` bypassing the cache; resolves with the body's size in bytes.
    pub async fn get(mut self, url: &str) -> Result<u64, String> {
        let window = web_sys::window().ok_or("fetch needs a page (no window here)")?;
        let init = web_sys::RequestInit::new();
        init.set_cache(web_sys::RequestCache::NoStore);
        if let Some(controller) = &self.controller {
            init.set_signal(Some(&controller.signal()));
        }
        let response = answered(window.fetch_with_str_and_init(url, &init), url).await?;
        let body = JsFuture::from(response.array_buffer().map_err(message)?)
            .await
            .map_err(message)?;
        // Finished: nothing left to abort.
        self.controller = None;
        Ok(body
            .dyn_into::<ArrayBuffer>()
            .map_or(0, |b| u64::from(b.byte_length())))
    }
}

/// Fetches `url` (relative to the page) and resolves with its body as text:
/// files served beside the page that the UI shows only on demand.
pub async fn text(url: &str) -> Result<String, String> {
    text_of(start_text(url), url).await
}

/// Sends the request for `url` now, before anything awaits it: several
/// started one after another are in flight together, and are then awaited
/// in turn with [`text_of`] (no join of futures, whose code weighs on the
/// wasm: 3.5 KB gzip for eleven files).
pub fn start_text(url: &str) -> Result<js_sys::Promise, String> {
    let window = web_sys::window().ok_or("fetch needs a page (no window here)")?;
    Ok(window.fetch_with_str(url))
}

/// The body, as text, of the request [`start_text`] sent for `url`.
pub async fn text_of(
    started: Result<js_sys::Promise, String>,
    url: &str,
) -> Result<String, String> {
    let response = answered(started?, url).await?;
    JsFuture::from(response.text().map_err(message)?)
        .await
        .map_err(message)?
        .as_string()
        .ok_or_else(|| format!("the body of {url} is not text"))
}

impl Default for Fetch {
    fn default() -> Self {
        Self::new()
    }
}
