//! The experiment as a runnable Python program and as the Rust Overlap
//! runs, side by side; the Python can be copied or saved.

use std::rc::Rc;

use overlap_core::Experiment;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use crate::code;

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
/// because web-sys puts `navigator.clipboard` behind its unstable APIs.
async fn copy_to_clipboard(text: String) -> Result<(), String> {
    let unavailable =
        || "this browser does not let the page copy (no Clipboard API here)".to_owned();
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
        .map_err(|_| "the browser refused to copy (permission); use Download instead".to_owned())
}

/// Two code blocks, updated as the parameters change.
#[function_component(CodePanel)]
pub fn code_panel(props: &CodePanelProps) -> Html {
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
            "// Loading the Rust source…".to_owned(),
            "# Loading the Python twin…".to_owned(),
            false,
        ),
        Some(Err(why)) => (
            format!("// The Rust source could not be loaded ({why}); reload to try again."),
            format!("# The Python twin could not be loaded ({why}); reload to try again."),
            false,
        ),
        Some(Ok(sources)) => (
            code::rust(&props.experiment, sources),
            code::python(&props.experiment, pool, sources),
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
        let (copied, text) = (copied.clone(), python.clone());
        Callback::from(move |_: MouseEvent| {
            let (copied, text) = (copied.clone(), text.clone());
            wasm_bindgen_futures::spawn_local(async move {
                copied.set(Some(copy_to_clipboard(text).await));
            });
        })
    };
    let href = format!(
        "data:text/x-python;charset=utf-8,{}",
        String::from(js_sys::encode_uri_component(&python))
    );
    let status = match &*copied {
        Some(Ok(())) => "Copied.".to_owned(),
        Some(Err(why)) => why.clone(),
        None => String::new(),
    };
    html! {
        <section class="panel code" aria-labelledby="code-title">
            <h2 id="code-title">{ "The same experiment in code" }</h2>
            <div class="code-pair">
                <figure>
                    <figcaption>
                        { "Python twin: runs on CPython 3.11+ with the standard library \
                           (python3 overlap_twin.py --scale 0.05 --trace trace.json)" }
                    </figcaption>
                    <div class="code-actions">
                        <button type="button" data-testid="code-copy" onclick={on_copy} disabled={!loaded}>{ "Copy" }</button>
                        if loaded {
                            <a class="button" data-testid="code-download" href={href} download={TWIN_FILE}>
                                { "Download " }{ TWIN_FILE }
                            </a>
                        }
                        <span role="status" data-testid="code-copy-status">{ status }</span>
                    </div>
                    <pre data-testid="code-python" tabindex="0" aria-label="Python twin"><code>{ python }</code></pre>
                </figure>
                <figure>
                    <figcaption>{ "Rust: the functions Overlap runs for this strategy" }</figcaption>
                    <pre data-testid="code-rust" tabindex="0" aria-label="Rust source"><code>{ rust }</code></pre>
                </figure>
            </div>
        </section>
    }
}
