//! Fault injection, for tests only: the page exposes it when opened with
//! `debug=faults`. One armed trap is taken by the next chunk of CPU work,
//! on a pool worker or in a process, whichever computes first, so a test
//! can kill a worker exactly as a bug in a kernel would.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};

/// Armed by [`inject`], cleared by the one chunk of work that traps.
static TRAP_ARMED: AtomicBool = AtomicBool::new(false);

/// A fault a test can inject.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// A pool worker (or a process) traps during its current or next task,
    /// which kills it as a panic does under panic=abort.
    WorkerTrap,
}

impl Fault {
    /// Every fault, as the hook names them.
    pub const ALL: [Fault; 1] = [Fault::WorkerTrap];

    /// The fault's name in `injectFault(kind)`.
    pub fn token(self) -> &'static str {
        match self {
            Fault::WorkerTrap => "worker-trap",
        }
    }

    /// The fault named `token`, if there is one.
    pub fn from_token(token: &str) -> Result<Fault, UnknownFault> {
        Fault::ALL
            .into_iter()
            .find(|f| f.token() == token)
            .ok_or_else(|| UnknownFault(token.to_owned()))
    }
}

/// A fault name that is not one of [`Fault::ALL`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownFault(pub String);

impl fmt::Display for UnknownFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let known: Vec<&str> = Fault::ALL.iter().map(|f| f.token()).collect();
        write!(
            f,
            "unknown fault “{}” (known: {})",
            self.0,
            known.join(", ")
        )
    }
}

impl std::error::Error for UnknownFault {}

/// Arms `fault`.
pub fn inject(fault: Fault) {
    match fault {
        Fault::WorkerTrap => TRAP_ARMED.store(true, Ordering::Release),
    }
}

/// Whether the caller must trap now; true once per [`inject`]. A plain load
/// first: workers call this at every chunk, and it must cost nothing until
/// a test arms it.
pub fn take_trap() -> bool {
    TRAP_ARMED.load(Ordering::Relaxed) && TRAP_ARMED.swap(false, Ordering::AcqRel)
}

/// Traps this thread's instance (wasm `unreachable`), as a kernel bug would.
pub fn trap() {
    #[cfg(target_arch = "wasm32")]
    core::arch::wasm32::unreachable();
}
