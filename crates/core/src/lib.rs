//! Overlap's core: everything in the playground that is not the browser.
//!
//! This crate must never depend on wasm-bindgen, web-sys, js-sys or yew: it is
//! built and tested natively with `cargo test`, where its kernels also give the
//! native baseline that the browser figures are compared with.
//!
//! It is also compiled to threaded wasm32 and called from the page's main
//! thread and from Web Workers, hence three rules for everything reachable at
//! run time: no `std::time` (it panics on wasm32-unknown-unknown; clocks are
//! injected), no threads except through rayon, and no panic reachable from a
//! validated experiment.
//!
//! | module | what it is for |
//! |---|---|
//! | [`experiment`] | the experiment model, its bounds, validation and URL codec |
//! | [`decimal`] | a decimal number read as `f64::from_str` does, by serde_json's reader |
//! | [`cancel`] | a run's cancel token: a flag for workers, a future for the caller |
//! | [`execute`] | the executor: placement by strategy, waits, timeouts, cancel, on any [`host::Host`] |
//! | [`figures`] | concurrency, parallelism, speed-up: each defined once |
//! | [`host`] | what a run needs from the platform (clock, timers, yield, pool hand-off, fetch), and a fake in virtual time |
//! | [`i18n`] | the page's words in English and French: the catalogue and its look-up (a leaf: each type words itself) |
//! | [`kernels`] | CPU kernels: sequential, chunked and data-parallel forms |
//! | [`calibrate`] | kernel rate on this device, with an injected clock |
//! | [`io_model`] | seeded I/O latencies and failures |
//! | [`predict`] | predicted wall time per strategy |
//! | [`presets`] | the presets: the story's experiments, their variations and key figures |
//! | [`metrics`] | speed-up, percentiles, lag without coordinated omission, Amdahl fit, Karp–Flatt |
//! | [`report`] | a run's report built from what the runtime measured |
//! | [`sweep`] | a k sweep's speed-ups, Karp–Flatt, and the model that fits the strategy |
//! | [`trace`] | spans of a run, exported to JSON and Chrome trace events |
//! | [`twin`] | the experiment as a runnable Python program, and the summary it prints |
//! | [`wait`] | `asyncio.wait` and `as_completed` over any futures |
//! | [`determinism`] | fixed values any platform can check itself against |
#![deny(missing_docs)]

pub mod calibrate;
pub mod cancel;
pub mod decimal;
pub mod determinism;
pub mod execute;
pub mod experiment;
pub mod figures;
pub mod host;
pub mod i18n;
pub mod io_model;
/// The CPU kernels (the `overlap-kernels` crate, built for speed).
pub use overlap_kernels as kernels;
pub mod metrics;
pub mod predict;
pub mod presets;
pub mod record;
pub mod report;
mod slots;
pub mod sweep;
pub mod trace;
pub mod twin;
pub mod wait;

pub use experiment::url::{decode, encode, Decoded};
pub use experiment::{normalize, validate, Experiment, Problem, ProblemKind, ValidExperiment};
pub use i18n::Lang;
pub use kernels::{ChunkedRun, CpuTask, Kernel, Progress};
