//! "Copy link": the address of the current experiment on the clipboard, and
//! a plain statement of what a link carries (the experiment, not the results).

use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use crate::text::use_text;
use crate::text::Words;

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
    let text = use_text();
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
            <button type="button" class="secondary" data-testid="copy-link" {onclick}>{ text.html("share.copy") }</button>
            <p class="hint" data-testid="copy-link-note" aria-live="polite">{ match &*copied {
                Copied::Not => text.get("share.note"),
                Copied::Done => text.get("share.copied"),
                Copied::Refused(_) => text.get("share.refused"),
            } }</p>
            if let Copied::Refused(href) = &*copied {
                <input type="text" readonly=true value={href.clone()} aria-label={text.get("share.link")} data-testid="copy-link-text" />
            }
        </div>
    }
}
