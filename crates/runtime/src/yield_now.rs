//! Yielding to the event loop between cooperative chunks, without the 4 ms
//! clamp that nested `setTimeout(0)` gets.

use js_sys::Promise;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use crate::clock::page_now_ms;

/// Lets the event loop run (timers, input, rendering) before continuing:
/// a message posted to a `MessageChannel`, a macrotask that is not clamped.
///
/// Not `scheduler.yield()`: in Firefox its continuations ran ahead of every
/// timer for as long as the chunks went on (a 2 s cooperative run let no
/// heartbeat and no Cancel timer fire), which defeats the point of yielding.
pub async fn yield_now() {
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
