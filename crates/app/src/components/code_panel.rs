//! The experiment as a runnable Python program and as the Rust Overlap
//! runs, side by side; the Python can be copied or saved. Both in the
//! page's language: their comments, docstrings and the program's messages
//! (the code itself is the same in every language).

use std::rc::Rc;

use overlap_core::i18n::Catalogue;
use overlap_core::Experiment;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use crate::code;
use crate::text::use_text;
use crate::text::Words;

/// The file name the Python twin is saved under.
const TWIN_FILE: &str = "overlap_twin.py";

/// Inputs of [`CodePanel`].
#[derive(Properties, PartialEq, Clone)]
pub struct CodePanelProps {
    /// The experiment to write out.
    pub experiment: Experiment,
    /// Threads of the page's pool (0 before it is ready): the program uses
    /// what the page runs when `k` is larger.
    pub pool_threads: usize,
}

/// Copies `text` with the asynchronous Clipboard API, through `Reflect`
/// because web-sys puts `navigator.clipboard` behind its unstable APIs; the
/// error says why in the words of `words`.
async fn copy_to_clipboard(text: String, words: Rc<Catalogue>) -> Result<(), String> {
    let unavailable = || words.get("code.panel.no_clipboard");
    let window = web_sys::window().ok_or_else(unavailable)?;
    let clipboard = js_sys::Reflect::get(&window.navigator(), &"clipboard".into())
        .ok()
        .filter(|c| !c.is_undefined())
        .ok_or_else(unavailable)?;
    let write: js_sys::Function = js_sys::Reflect::get(&clipboard, &"writeText".into())
        .map_err(|_| unavailable())?
        .into();
    let promise: js_sys::Promise = write
        .call1(&clipboard, &JsValue::from_str(&text))
        .map_err(|_| unavailable())?
        .into();
    JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|_| words.get("code.panel.copy_refused"))
}

/// Two code blocks, updated as the parameters change.
#[function_component(CodePanel)]
pub fn code_panel(props: &CodePanelProps) -> Html {
    let text = use_text();
    let sources = use_state(|| None::<Result<Rc<code::Sources>, String>>);
    {
        let sources = sources.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                sources.set(Some(code::fetch_sources().await.map(Rc::new)));
            });
        });
    }
    let pool = u32::try_from(props.pool_threads).ok().filter(|&n| n > 0);
    let (rust, python, loaded) = match &*sources {
        None => (
            format!("// {}", text.get("code.panel.rust.loading")),
            format!("# {}", text.get("code.panel.python.loading")),
            false,
        ),
        Some(Err(why)) => (
            format!(
                "// {}",
                text.fill("code.panel.rust.failed", &[("why", why)])
            ),
            format!(
                "# {}",
                text.fill("code.panel.python.failed", &[("why", why)])
            ),
            false,
        ),
        Some(Ok(sources)) => (
            code::rust(&props.experiment, sources, &text),
            code::python(&props.experiment, pool, sources, &text),
            true,
        ),
    };
    let copied = use_state(|| None::<Result<(), String>>);
    {
        // A new experiment is a new program: forget the last copy's status.
        let copied = copied.clone();
        use_effect_with(props.experiment.clone(), move |_| copied.set(None));
    }
    let on_copy = {
        let (copied, program, words) = (copied.clone(), python.clone(), text.0.clone());
        Callback::from(move |_: MouseEvent| {
            let (copied, program, words) = (copied.clone(), program.clone(), words.clone());
            wasm_bindgen_futures::spawn_local(async move {
                copied.set(Some(copy_to_clipboard(program, words).await));
            });
        })
    };
    let href = format!(
        "data:text/x-python;charset=utf-8,{}",
        String::from(js_sys::encode_uri_component(&python))
    );
    // The experiment's own program open, the shared helpers folded below it.
    let (own, helpers) = code::python_parts(&python);
    let status = match &*copied {
        Some(Ok(())) => text.get("code.panel.copied"),
        Some(Err(why)) => why.clone(),
        None => String::new(),
    };
    html! {
        <section class="panel code" aria-labelledby="code-title">
            <h2 id="code-title">{ text.html("code.panel.title") }</h2>
            <div class="code-pair">
                <figure>
                    <figcaption>{ text.html("code.panel.python.caption") }</figcaption>
                    <div class="code-actions">
                        <button type="button" data-testid="code-copy" onclick={on_copy} disabled={!loaded}>
                            { text.html("code.panel.copy") }
                        </button>
                        if loaded {
                            <a class="button" data-testid="code-download" href={href} download={TWIN_FILE}>
                                { text.fill_html("code.panel.download", &[("file", &TWIN_FILE)]) }
                            </a>
                        }
                        <span role="status" data-testid="code-copy-status">{ status }</span>
                    </div>
                    <pre data-testid="code-python" tabindex="0" aria-label={text.get("code.panel.python.label")}><code translate="no">{ own }</code></pre>
                    if !helpers.is_empty() {
                        // Folded: the helpers every twin shares are not this experiment.
                        <details class="helpers">
                            <summary>{ text.html("code.panel.python.helpers") }</summary>
                            <pre data-testid="code-python-helpers" tabindex="0" aria-label={text.get("code.panel.python.helpers_label")}><code translate="no">{ helpers }</code></pre>
                        </details>
                    }
                </figure>
            </div>
            // Folded: a Python reader needs the twin; how Overlap runs it is one click away.
            <details class="rust-fold" data-testid="code-rust-fold">
                <summary>{ text.html("code.panel.rust.fold") }</summary>
                <figure>
                    <figcaption>{ text.html("code.panel.rust.caption") }</figcaption>
                    <pre data-testid="code-rust" tabindex="0" aria-label={text.get("code.panel.rust.label")}><code translate="no">{ rust }</code></pre>
                </figure>
            </details>
        </section>
    }
}
