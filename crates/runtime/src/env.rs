//! What this browser offers: isolation, shared memory, cores, and the build.

use js_sys::Reflect;
use overlap_core::experiment::Build;
use wasm_bindgen::JsValue;

/// The facts the capability panel shows and the pool needs before it starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Capabilities {
    /// `crossOriginIsolated`: the page was served with COOP and COEP.
    pub cross_origin_isolated: bool,
    /// Whether the `SharedArrayBuffer` constructor is exposed.
    pub shared_array_buffer: bool,
    /// `navigator.hardwareConcurrency` (logical cores the browser reports).
    pub logical_cores: u32,
    /// Whether this wasm was built with atomics (a threaded build).
    pub threaded_build: bool,
}

fn global_property(name: &str) -> JsValue {
    Reflect::get(&js_sys::global(), &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// Reads the capabilities of the current global scope (page or worker).
pub fn capabilities() -> Capabilities {
    let cores = Reflect::get(&global_property("navigator"), &"hardwareConcurrency".into())
        .ok()
        .and_then(|v| v.as_f64())
        .filter(|c| c.is_finite() && *c >= 1.0)
        .map_or(1, |c| c.min(f64::from(u16::MAX)) as u32);
    Capabilities {
        cross_origin_isolated: global_property("crossOriginIsolated").as_bool() == Some(true),
        shared_array_buffer: !global_property("SharedArrayBuffer").is_undefined(),
        logical_cores: cores,
        threaded_build: cfg!(target_feature = "atomics"),
    }
}

/// Which build this wasm is: threaded when compiled with atomics.
pub fn build() -> Build {
    if cfg!(target_feature = "atomics") {
        Build::Threaded
    } else {
        Build::Fallback
    }
}

/// Why the page loaded the fallback build, as the boot script found it
/// (`window.overlapFallbackReason`): a catalogue key and the detail its
/// `{detail}` stands for; `None` when it did not say.
pub fn fallback_reason() -> Option<(String, String)> {
    let reason = global_property("overlapFallbackReason");
    let part = |i: u32| js_sys::Reflect::get_u32(&reason, i).ok()?.as_string();
    Some((
        part(0).filter(|k| !k.is_empty())?,
        part(1).unwrap_or_default(),
    ))
}

/// The message of a thrown JavaScript value (an `Error`'s message, or a
/// thrown string); `None` for anything else, so callers pick their fallback.
pub(crate) fn js_error_text(err: &JsValue) -> Option<String> {
    use wasm_bindgen::JsCast;
    err.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| err.as_string())
}
