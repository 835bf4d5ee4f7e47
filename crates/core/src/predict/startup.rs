//! What starting a process pool costs the page, by start method: the model's
//! constants, measured (not derived), and where they come from.
//!
//! Measured in Chrome 156 on the 2-core machine this project is built on,
//! with the runtime's own start-up (`crates/runtime/src/process.rs`) in a
//! release build of `crates/runtime/tests/process.rs` (`wasm-pack test
//! --release --headless --chrome`), medians of five to seven starts, each
//! from when the pool was asked for to when a process was ready:
//!
//! | method | one process | a pool of two |
//! |---|---|---|
//! | `fork` | 20–26 ms (21) | 26–50 ms (37) |
//! | `spawn` | 112–129 ms (117) | 145–186 ms (166) |
//! | `forkserver` | 123–146 ms (128) | 140–188 ms (167) |
//!
//! Processes are asked for at once, but each one's creation and its messages
//! go through the page's thread, and a fresh start's compile and start-up
//! work share the cores: each process after the first adds its own part
//! ([`FORK_NEXT_US`], [`SPAWN_NEXT_US`]). A forkserver pays one fresh start
//! (its server) and then a pool of copies. Another device has other costs:
//! the prediction says it is a model, and the run measures its own.

use crate::experiment::ProcessStart;

/// The first process started as a copy (`fork`): a worker, the glue, and
/// an instance of a compiled module over a fresh memory, µs.
pub const FORK_FIRST_US: u64 = 21_000;
/// Each further copy started at once, µs.
pub const FORK_NEXT_US: u64 = 16_000;
/// The first process started fresh (`spawn`): the same, plus the program
/// fetched and compiled, and the page's start-up work, µs.
pub const SPAWN_FIRST_US: u64 = 117_000;
/// Each further fresh process started at once, µs.
pub const SPAWN_NEXT_US: u64 = 49_000;

/// How long `k` processes started at once by `method` take until the last
/// is ready, µs (0 for none).
pub fn pool_startup_us(method: ProcessStart, k: u32) -> u64 {
    let copies = |k: u32| match k {
        0 => 0,
        k => FORK_FIRST_US.saturating_add(u64::from(k - 1).saturating_mul(FORK_NEXT_US)),
    };
    match (method, k) {
        (_, 0) => 0,
        (ProcessStart::Fork, k) => copies(k),
        (ProcessStart::Spawn, k) => {
            SPAWN_FIRST_US.saturating_add(u64::from(k - 1).saturating_mul(SPAWN_NEXT_US))
        }
        (ProcessStart::Forkserver, k) => SPAWN_FIRST_US.saturating_add(copies(k)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_is_cheapest_and_a_forkserver_pays_one_fresh_start() {
        for k in 1..=16 {
            let [fork, forkserver, spawn] = [
                ProcessStart::Fork,
                ProcessStart::Forkserver,
                ProcessStart::Spawn,
            ]
            .map(|m| pool_startup_us(m, k));
            assert!(fork < spawn && fork < forkserver, "k = {k}");
            assert_eq!(forkserver, SPAWN_FIRST_US + fork, "k = {k}");
        }
        // Past one process, k fresh starts cost more than one and k copies.
        assert!(
            pool_startup_us(ProcessStart::Spawn, 4) > pool_startup_us(ProcessStart::Forkserver, 4)
        );
        assert_eq!(pool_startup_us(ProcessStart::Spawn, 0), 0);
    }
}
