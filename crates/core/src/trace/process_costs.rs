//! What the process-style pool cost a run beyond the work: its processes'
//! start-up and the copies of tasks and results, from the trace.

use super::{Span, SpanKind};

/// The process-style pool's costs in one run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ProcessCosts {
    /// The longest start-up of a process, ms (they start together).
    pub startup_ms: f64,
    /// Copies between the page and a process (two per task that ran).
    pub copies: usize,
    /// Their total time, ms.
    pub copy_ms: f64,
}

impl ProcessCosts {
    /// The mean time of one copy, ms.
    pub fn per_copy_ms(&self) -> Option<f64> {
        (self.copies > 0).then(|| self.copy_ms / self.copies as f64)
    }
}

/// The costs in `spans`, or `None` when no process ran.
pub fn process_costs(spans: &[Span]) -> Option<ProcessCosts> {
    let ms = |s: &Span| s.duration_us() as f64 / 1000.0;
    let startups: Vec<f64> = spans
        .iter()
        .filter(|s| s.kind == SpanKind::Startup)
        .map(ms)
        .collect();
    if startups.is_empty() {
        return None;
    }
    let copies: Vec<f64> = spans
        .iter()
        .filter(|s| s.kind == SpanKind::Transfer)
        .map(ms)
        .collect();
    Some(ProcessCosts {
        startup_ms: startups.iter().copied().fold(0.0, f64::max),
        copies: copies.len(),
        copy_ms: copies.iter().sum(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::{Lane, Outcome, NO_TASK};

    fn span(task: u32, kind: SpanKind, start_us: u64, end_us: u64) -> Span {
        Span {
            task,
            lane: Lane::Process(0),
            kind,
            start_us,
            end_us,
            outcome: Outcome::Ok,
        }
    }

    #[test]
    fn start_up_is_the_longest_and_copies_add_up() {
        let spans = [
            span(NO_TASK, SpanKind::Startup, 0, 40_000),
            span(NO_TASK, SpanKind::Startup, 0, 55_000),
            span(0, SpanKind::Transfer, 55_000, 55_500),
            span(0, SpanKind::Cpu, 55_500, 90_000),
            span(0, SpanKind::Transfer, 90_000, 91_500),
        ];
        let c = process_costs(&spans).expect("processes ran");
        assert_eq!(c.startup_ms, 55.0);
        assert_eq!(c.copies, 2);
        assert!((c.copy_ms - 2.0).abs() < 1e-9);
        assert_eq!(c.per_copy_ms(), Some(1.0));
        assert_eq!(process_costs(&spans[2..]), None);
    }
}
