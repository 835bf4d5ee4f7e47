//! `asyncio.wait` and `as_completed`: core's, re-exported for the runtime's
//! users (the browser gives the timeout its timers through
//! [`crate::host::BrowserHost`]).

pub use overlap_core::wait::{as_completed, wait, Failure, Unfinished, WaitOutcome};
