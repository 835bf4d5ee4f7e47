//! "Copy link": the address of the current experiment on the clipboard, and
//! a plain statement of what a link carries (the experiment, not the results).

use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

/// What the last copy did.
#[derive(Clone, PartialEq)]
enum Copied {
    /// Nothing copied yet.
    Not,
    /// On the clipboard.
    Done,
    /// The browser refused: the link is shown to be copied by hand.
    Refused(String),
}

/// The Copy link button.
#[function_component(CopyLink)]
pub fn copy_link() -> Html {
    let copied = use_state(|| Copied::Not);
    let onclick = {
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(window) = web_sys::window() else {
                return;
            };
            // The address bar always holds the current experiment.
            let href = window.location().href().unwrap_or_default();
            let promise = window.navigator().clipboard().write_text(&href);
            let copied = copied.clone();
            wasm_bindgen_futures::spawn_local(async move {
                copied.set(match JsFuture::from(promise).await {
                    Ok(_) => Copied::Done,
                    Err(_) => Copied::Refused(href),
                });
            });
        })
    };
    html! {
        <div class="copy-link">
            <button type="button" class="secondary" data-testid="copy-link" {onclick}>{ "Copy link" }</button>
            <p class="hint" data-testid="copy-link-note" aria-live="polite">{ match &*copied {
                Copied::Not => "A link restores this experiment, not its results: those stay in your history.".to_owned(),
                Copied::Done => "Link copied. It restores this experiment; its results are not part of it.".to_owned(),
                Copied::Refused(_) => "The browser did not let the page copy; select the link below and copy it.".to_owned(),
            } }</p>
            if let Copied::Refused(href) = &*copied {
                <input type="text" readonly=true value={href.clone()} aria-label="Link to this experiment" data-testid="copy-link-text" />
            }
        </div>
    }
}
