//! The presets, from core's table ([`overlap_core::presets`]): their
//! experiments, variations and key figures are pure data that core tests
//! natively; the page reads them from here.

pub use overlap_core::presets::*;
