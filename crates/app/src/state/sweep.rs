//! A k = 1…N sweep as the playground keeps it while it runs.

use overlap_core::experiment::Profile;

/// A k = 1…N sweep: every run's wall time per k.
#[derive(Clone, Debug, PartialEq)]
pub struct Sweep {
    /// The largest k.
    pub max_k: u32,
    /// The swept experiment's row of the strategy table, under its Python
    /// (it decides the model the curve is compared with).
    pub profile: Profile,
    /// CPU tasks in the swept experiment.
    pub tasks: u32,
    /// The serial fraction the swept experiment sets.
    pub serial_fraction: f64,
    /// Threads of the pool (past them, k only queues).
    pub threads: u32,
    /// Runs per k.
    pub repeats: u32,
    /// Runs done so far.
    pub runs: u32,
    /// (k, every run's wall ms), in k order.
    pub points: Vec<(u32, Vec<f64>)>,
    /// Whether it is still running.
    pub running: bool,
    /// Why it stopped early, if it did.
    pub stopped: Option<String>,
}

impl Sweep {
    /// Counts one run of `k` that took `wall_ms`.
    pub fn record(&mut self, k: u32, wall_ms: f64) {
        self.runs += 1;
        // Kept in k order by inserting in place (a sort here weighed 3 KB of wasm).
        match self.points.binary_search_by_key(&k, |p| p.0) {
            Ok(i) => self.points[i].1.push(wall_ms),
            Err(i) => self.points.insert(i, (k, vec![wall_ms])),
        }
    }
}
