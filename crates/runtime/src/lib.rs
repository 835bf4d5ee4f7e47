//! Overlap's browser runtime: the rayon pool of Web Workers, the executors that
//! run an experiment, and the probes that watch the page while it runs.
//!
//! This crate knows the browser (wasm-bindgen, web-sys) but not Yew: the UI in
//! `overlap-app` calls it and renders what it returns.

pub mod cancel;
pub mod clock;
pub mod env;
pub mod fault;
pub mod fetch;
pub mod frames;
pub mod gil;
pub mod host;
mod instance;
pub mod measure;
pub mod pool;
pub mod probes;
pub mod process;
pub mod reference;
pub mod timers;
pub mod wait;
mod worker_jobs;
pub mod yield_now;

// Re-exported so that the final wasm links wasm-bindgen-rayon and exports its
// `initThreadPool`, which the pool host worker calls (see `pool`).
#[cfg(target_feature = "atomics")]
#[doc(hidden)]
pub use wasm_bindgen_rayon::init_thread_pool;
