//! The browser's [`Host`]: the page clock and the page's one JS timer.

use futures_util::future::LocalBoxFuture;
use overlap_core::host::Host;

use crate::clock::page_now_ms;
use crate::timers::sleep_ms;

/// The page's clock and timers, for core's scheduling code.
#[derive(Clone, Copy, Debug, Default)]
pub struct BrowserHost;

impl Host for BrowserHost {
    fn now_ms(&self) -> f64 {
        page_now_ms()
    }

    fn sleep(&self, ms: u32) -> LocalBoxFuture<'static, ()> {
        Box::pin(sleep_ms(ms))
    }
}
