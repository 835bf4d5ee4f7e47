//! A run's cancellation: core's token, re-exported for the page.

pub use overlap_core::cancel::{CancelFlag, CancelToken};
