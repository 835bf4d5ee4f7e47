//! The page's text: the catalogue of the visitor's language (core's
//! [`Catalogue`]), which boot.js fetches and hands over, given to every
//! component through a Yew context so that a change of language redraws
//! them all where they stand.

use std::ops::Deref;
use std::rc::Rc;

use overlap_core::i18n::Catalogue;
use overlap_core::Lang;
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

/// The catalogue that boot.js loaded, as it hands it over: `{ lang, text,
/// pseudo }`. A file that cannot be read gives an empty catalogue, whose
/// keys then show in place of text.
pub fn from_js(value: &JsValue) -> Text {
    let field = |name: &str| js_sys::Reflect::get(value, &JsValue::from_str(name)).ok();
    let lang = field("lang")
        .and_then(|v| v.as_string())
        .map_or(Lang::En, |tag| Lang::from_tag(&tag));
    let text = field("text")
        .and_then(|v| v.as_string())
        .unwrap_or_default();
    let pseudo = field("pseudo").is_some_and(|v| v.is_truthy());
    let catalogue = Catalogue::parse(lang, &text).unwrap_or_default();
    Text(Rc::new(if pseudo {
        Catalogue::pseudo(&catalogue)
    } else {
        catalogue
    }))
}

/// Awaits the catalogue boot.js is loading (`window.overlapText`).
pub async fn loaded() -> Text {
    let promise = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str("overlapText")).ok())
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok());
    match promise {
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
