//! The page's text: the catalogue of the visitor's language (core's
//! [`Catalogue`]), which boot.js fetches as JSON and hands over (core reads
//! it, [`Catalogue::from_json`]), given to every component through a Yew
//! context so that a change of language redraws them all where they stand.

use std::ops::Deref;
use std::rc::Rc;

use overlap_core::experiment::url::has_debug;
use overlap_core::i18n::Catalogue;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

/// The catalogue in use. Two are equal when they are the same load, which
/// is what a redraw needs to know.
#[derive(Clone, Debug, Default)]
pub struct Text(pub Rc<Catalogue>);

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// A catalogue's entries as nodes: one call each, never inlined, so that
/// the hundreds of places that show an entry do not each carry the
/// conversion's code.
pub trait Words {
    /// The text of `key` as a node.
    fn html(&self, key: &str) -> Html;
    /// The text of `key` filled with `args` (as [`Catalogue::fill`]) as a node.
    fn fill_html(&self, key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> Html;
}

impl Words for Catalogue {
    #[inline(never)]
    fn html(&self, key: &str) -> Html {
        Html::from(self.get(key))
    }

    #[inline(never)]
    fn fill_html(&self, key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> Html {
        Html::from(self.fill(key, args))
    }
}

impl Deref for Text {
    type Target = Catalogue;
    fn deref(&self) -> &Catalogue {
        &self.0
    }
}

thread_local! {
    // The catalogue the page shows, for what runs outside the components
    // (the automation hook's messages).
    static CURRENT: std::cell::RefCell<Text> = std::cell::RefCell::new(Text::default());
}

/// The catalogue the page shows now.
pub fn current() -> Text {
    CURRENT.with(|c| c.borrow().clone())
}

/// Makes `text` the catalogue the page shows now.
pub fn set_current(text: &Text) {
    CURRENT.with(|c| *c.borrow_mut() = text.clone());
}

/// The catalogue in use, for a component (an empty one outside the page's
/// provider, which shows keys).
#[hook]
pub fn use_text() -> Text {
    use_context::<Text>().unwrap_or_default()
}

/// The catalogue that boot.js loaded, as it hands it over: `{ lang,
/// entries, json }`, of which core reads `json` (the language is in it).
/// A file that cannot be read gives an empty catalogue, whose keys then
/// show in place of text.
pub fn from_js(value: &JsValue) -> Text {
    let json = js_sys::Reflect::get(value, &JsValue::from_str("json"))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default();
    Text(Rc::new(Catalogue::from_json(&json).unwrap_or_default()))
}

/// Calls the function `name` of the window (one of boot.js's) with `args`.
fn call_window(name: &str, args: &[JsValue]) -> Option<JsValue> {
    let window = web_sys::window()?;
    let f = js_sys::Reflect::get(&window, &JsValue::from_str(name))
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    f.apply(&window, &args.iter().collect()).ok()
}

/// The query the page was opened with, as boot.js kept it
/// (`window.overlapQuery`; the page rewrites its address since).
pub fn opening_query() -> String {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str("overlapQuery")).ok())
        .and_then(|q| q.as_string())
        .unwrap_or_default()
}

/// Awaits the catalogue the page mounts in: the pseudo-language when the
/// page was opened with `debug=pseudo` (core's codec reads the query; boot.js
/// shows it, `overlapShow`), else the one boot.js is loading
/// (`window.overlapText`).
pub async fn loaded() -> Text {
    let promise = if has_debug(&opening_query(), "pseudo") {
        call_window("overlapShow", &[JsValue::from_str("pseudo")])
    } else {
        web_sys::window()
            .and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str("overlapText")).ok())
    };
    match promise.and_then(|p| p.dyn_into::<js_sys::Promise>().ok()) {
        Some(p) => match wasm_bindgen_futures::JsFuture::from(p).await {
            Ok(value) => from_js(&value),
            Err(_) => Text::default(),
        },
        None => Text::default(),
    }
}

/// Calls `on_change` with each catalogue that boot.js loads when the
/// visitor picks another language; the listener lasts as long as the value
/// returned.
pub fn on_language_change(on_change: Callback<Text>) -> Option<gloo_events::EventListener> {
    let window = web_sys::window()?;
    Some(gloo_events::EventListener::new(
        &window,
        "overlap-lang",
        move |event| {
            if let Some(event) = event.dyn_ref::<web_sys::CustomEvent>() {
                on_change.emit(from_js(&event.detail()));
            }
        },
    ))
}
