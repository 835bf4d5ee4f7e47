//! Yielding to the event loop between cooperative chunks, without the 4 ms
//! clamp that nested `setTimeout(0)` gets.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::clock::page_now_ms;

/// How a yield reaches the event loop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YieldMechanism {
    /// `scheduler.yield()` (Prioritized Task Scheduling), where the browser has it.
    SchedulerYield,
    /// A message posted to a `MessageChannel`: a macrotask, unclamped.
    MessageChannel,
}

fn scheduler_yield() -> Option<(JsValue, Function)> {
    let scheduler = Reflect::get(&js_sys::global(), &"scheduler".into()).ok()?;
    if scheduler.is_undefined() || scheduler.is_null() {
        return None;
    }
    let function = Reflect::get(&scheduler, &"yield".into())
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    Some((scheduler, function))
}

/// Whether this browser has `scheduler.yield()` (feature-detected).
pub fn scheduler_yield_available() -> bool {
    scheduler_yield().is_some()
}

/// The mechanism [`yield_now`] uses.
///
/// A `MessageChannel` everywhere: in Firefox, continuations of
/// `scheduler.yield()` ran ahead of every timer for as long as the chunks went
/// on (a 2 s cooperative run let no heartbeat and no Cancel timer fire, see
/// the executor tests), which defeats the point of yielding.
pub const YIELD_MECHANISM: YieldMechanism = YieldMechanism::MessageChannel;

/// Lets the event loop run (timers, input, rendering) before continuing.
pub async fn yield_now() {
    yield_with(YIELD_MECHANISM).await;
}

/// Yields through the given mechanism; `SchedulerYield` falls back to a
/// `MessageChannel` where the browser lacks it.
pub async fn yield_with(mechanism: YieldMechanism) {
    if mechanism == YieldMechanism::SchedulerYield {
        if let Some(promise) = scheduler_yield().and_then(|(s, f)| f.call0(&s).ok()) {
            let _ = JsFuture::from(Promise::from(promise)).await;
            return;
        }
    }
    let Ok(channel) = web_sys::MessageChannel::new() else {
        return;
    };
    let promise = Promise::new(&mut |resolve, _reject| {
        channel.port1().set_onmessage(Some(&resolve));
        let _ = channel.port2().post_message(&JsValue::NULL);
    });
    let _ = JsFuture::from(promise).await;
    // The channel stays referenced until its message has arrived.
    channel.port1().set_onmessage(None);
}

/// Mean cost of one [`yield_now`] in µs over `samples` yields, when the page is otherwise idle.
pub async fn measure_yield_overhead_us(samples: u32) -> f64 {
    let samples = samples.max(1);
    let start = page_now_ms();
    for _ in 0..samples {
        yield_now().await;
    }
    (page_now_ms() - start) * 1000.0 / f64::from(samples)
}
