//! A page that lost a pool worker starts over: boot.js replaces this
//! instance by a fresh one over fresh memory ([`rebuild_page`]), and the new
//! instance reads what it went through ([`recovery`]). The app asks for the
//! rebuild once it has reported the error of a run on a broken pool
//! ([`super::is_broken`]); a run never does.

use wasm_bindgen::prelude::*;

/// What happened before this instance started, when boot.js started it to
/// replace one whose pool had lost a worker (`window.overlapRecovery`).
#[derive(Clone, Debug, PartialEq)]
pub struct Recovery {
    /// The error of the run that saw the worker die.
    pub cause: String,
    /// When the rebuild began (page ms).
    pub began_ms: f64,
    /// Rebuilds on this page so far, this one included.
    pub count: u32,
}

impl Recovery {
    /// How long the rebuild took, from its start to a pool ready at `ready_ms`.
    pub fn took_ms(&self, ready_ms: f64) -> f64 {
        (ready_ms - self.began_ms).max(0.0)
    }
}

/// The rebuild this instance comes from, if it does.
pub fn recovery() -> Option<Recovery> {
    let window = web_sys::window()?;
    let said = js_sys::Reflect::get(&window, &"overlapRecovery".into()).ok()?;
    let field = |key: &str| js_sys::Reflect::get(&said, &key.into()).ok();
    Some(Recovery {
        cause: field("cause")?.as_string()?,
        began_ms: field("beganMs")?.as_f64()?,
        count: field("count")?.as_f64().map_or(1, |n| n as u32),
    })
}

#[wasm_bindgen]
extern "C" {
    // boot.js's restart: the page replaced by a fresh instance of the module
    // over fresh memory, which builds a whole pool again.
    #[wasm_bindgen(js_namespace = window, js_name = overlapRestart, catch)]
    fn overlap_restart(cause: &str) -> Result<(), JsValue>;
}

/// Asks the page to rebuild the pool the only way it can be rebuilt: the
/// global rayon pool of this instance cannot be replaced, so boot.js starts
/// a fresh instance over fresh memory, which carries the experiment, the
/// editor and the history over. `cause` is said to the visitor afterwards.
/// False where the page cannot (a test page has no boot.js: calling the
/// missing function throws, which `catch` turns into an error).
pub fn rebuild_page(cause: &str) -> bool {
    overlap_restart(cause).is_ok()
}
