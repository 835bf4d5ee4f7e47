//! The headline figures of a run, each defined once here and nowhere else.
//!
//! - **concurrency** = Σ time in flight ÷ wall: how many tasks were in flight
//!   on average (the figure of I/O). A task is in flight from the start of
//!   its first span that is not `Queued` (the moment it first ran: its wait
//!   on the loop or its blocking call began, it computed, it was copied to a
//!   process, it blocked the loop) to the end of its last span, cut at the
//!   wait's return. Everything in between counts, gaps included: a task
//!   between two cooperative chunks, or whose thread waits for the GIL
//!   between two slices, has started and not ended. Queued time never
//!   counts: from its submission to its first run a task waits for a
//!   semaphore's place, a thread of the default executor, a worker of the
//!   pool or a process, and holds none yet (a pool job's wait for the GIL
//!   before its first slice is recorded as queued too: the page cannot tell
//!   it from the pool's queue). So under `asyncio.Semaphore(5)` concurrency
//!   is at most 5, and `to_thread`'s blocking calls on a default executor of
//!   six threads at most 6;
//! - **in the system** (`in_system`) = Σ task lifetimes ÷ wall, a lifetime
//!   running from the task's submission (the start of its first span,
//!   queueing included) to the end of its last, cut at the wait's return:
//!   Little's law L = λ·W on that boundary, with W the time from submission
//!   and λ the throughput (exactly, when every task ended before the wait
//!   returned). At least the concurrency; the difference is the queue. A
//!   CPU task the run takes from its list only as one of its `k`
//!   dispatchers frees up (every CPU placement but `to_thread`'s and the
//!   processes') has no span before then: its wait in that list counts in
//!   neither figure, here as in the model;
//! - **parallelism** = Σ CPU-busy time ÷ wall: how many threads computed on
//!   average;
//! - **speed-up** = T₁ ÷ wall, with T₁ the measured single-thread time of the
//!   same CPU tasks (a separate reference run); **efficiency** = speed-up ÷
//!   the threads the run was given (k capped by the pool, the default
//!   executor's size for `to_thread`, k processes, 1 for the main thread),
//!   so a run that gained nothing from two threads reads 50 %.
//!
//! A [`Tally`] accumulates a run's spans as they are recorded (it is not
//! capped like the trace, so the figures stay right however many spans a run
//! has); [`Figures::measure`] turns it into the figures.
//!
//! The tally counts a run's spans up to the wait's return, where the run's wall
//! ends. Each figure has its catalogue entries (`figure.<key>.label`,
//! `.definition`). [`drawing`] says what the page's own drawing took from a
//! run, [`guess`] reads the visitor's guess.

use serde::{Deserialize, Serialize};

use crate::i18n::Catalogue;
pub use tally::{peak_threads, Tally, TaskTally};

/// Why a run shows no speed-up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoSpeedup {
    /// The run has no CPU work: speed-up is a figure of CPU work.
    NoCpuWork,
    /// Some CPU task did not run to its end (timeout, `return_when`, failure,
    /// cancel), so the run did less than the reference run measured.
    Incomplete,
    /// The reference run (T₁) could not be measured.
    NoReference,
}

impl NoSpeedup {
    /// Why, in one sentence for the page.
    pub fn explain(self, text: &Catalogue) -> String {
        text.get(match self {
            NoSpeedup::NoCpuWork => "nospeedup.no_cpu_work",
            NoSpeedup::Incomplete => "nospeedup.incomplete",
            NoSpeedup::NoReference => "nospeedup.no_reference",
        })
    }
}

/// What [`Figures::measure`] needs besides the tally.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FigureInputs {
    /// Wall time of the wait, ms.
    pub wall_ms: f64,
    /// Measured single-thread time of the experiment's CPU tasks, ms
    /// (`None` when there are none or the reference run failed).
    pub t1_ms: Option<f64>,
    /// Whether the experiment has CPU tasks.
    pub has_cpu: bool,
    /// Whether every CPU task ran to its end within the wait.
    pub cpu_complete: bool,
    /// Most threads that computed at the same instant (see [`peak_threads`]),
    /// when every span was kept to count it; else the threads that computed
    /// at any time are used.
    pub peak_threads: Option<u32>,
    /// Tasks that ended on their own (a result or an error) before the wait returned.
    pub finished: usize,
    /// Threads the run was given to compute on (see
    /// [`crate::experiment::Profile::threads_given`]); 0 when unknown (an
    /// imported trace), and then there is no efficiency.
    pub threads_given: u32,
}

/// The headline figures of one run. `None` where a figure does not apply.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// Wall time of the wait, ms.
    pub wall_ms: f64,
    /// Σ time in flight (from each task's first run) ÷ wall.
    pub concurrency: Option<f64>,
    /// Σ task lifetimes from submission (queueing included) ÷ wall; absent
    /// from records of runs before it was kept.
    #[serde(default)]
    pub in_system: Option<f64>,
    /// Σ CPU-busy time ÷ wall.
    pub parallelism: Option<f64>,
    /// Single-thread reference time of the same CPU tasks, ms.
    pub t1_ms: Option<f64>,
    /// T₁ ÷ wall.
    pub speedup: Option<f64>,
    /// Speed-up ÷ threads the run was given.
    pub efficiency: Option<f64>,
    /// Most threads computing at the same instant.
    pub threads_used: u32,
    /// Threads the run was given to compute on (0: unknown).
    #[serde(default)]
    pub threads_given: u32,
    /// Why there is no speed-up, when there is none.
    pub no_speedup: Option<NoSpeedup>,
    /// Tasks finished ÷ wall, per second (Little's law: tasks in flight ÷
    /// time each takes).
    pub throughput_per_s: Option<f64>,
}

/// `part ÷ whole` when both make sense (a positive whole, a part not
/// negative, a finite result): the one division behind every figure.
pub(crate) fn ratio(part: f64, whole: f64) -> Option<f64> {
    let r = part / whole;
    (whole > 0.0 && part >= 0.0 && r.is_finite()).then_some(r)
}

/// Speed-up `t1 ÷ wall`: how many times faster than one thread (both in
/// the same unit).
pub fn speedup(t1: f64, wall: f64) -> Option<f64> {
    ratio(t1, wall)
}

impl Figures {
    /// The figures of a run from its tally and the reference time.
    pub fn measure(tally: &Tally, inputs: FigureInputs) -> Figures {
        let wall = inputs.wall_ms;
        let threads_used = inputs.peak_threads.unwrap_or_else(|| tally.threads_used());
        let no_speedup = if !inputs.has_cpu {
            Some(NoSpeedup::NoCpuWork)
        } else if !inputs.cpu_complete {
            Some(NoSpeedup::Incomplete)
        } else if inputs.t1_ms.is_none_or(|t| !t.is_finite() || t <= 0.0) {
            Some(NoSpeedup::NoReference)
        } else {
            None
        };
        let speedup = if no_speedup.is_none() {
            inputs.t1_ms.and_then(|t1| speedup(t1, wall))
        } else {
            None
        };
        Figures {
            wall_ms: wall,
            concurrency: ratio(tally.in_flight_us() as f64 / 1000.0, wall),
            in_system: ratio(tally.lifetimes_us() as f64 / 1000.0, wall),
            parallelism: ratio(tally.cpu_us() as f64 / 1000.0, wall),
            t1_ms: inputs.t1_ms.filter(|_| inputs.has_cpu),
            speedup,
            efficiency: speedup.and_then(|s| ratio(s, f64::from(inputs.threads_given))),
            threads_used,
            threads_given: inputs.threads_given,
            no_speedup: if speedup.is_none() {
                no_speedup.or(Some(NoSpeedup::NoReference))
            } else {
                None
            },
            throughput_per_s: ratio(inputs.finished as f64, wall / 1000.0),
        }
    }
}

/// Error of a prediction against its measurement: (measured − predicted) ÷
/// predicted, in % (positive: the run took or showed more than the model
/// said; measured 152.9 against a prediction of 147.3 is +4 %).
pub fn error_percent(predicted: Option<f64>, measured: Option<f64>) -> Option<f64> {
    let (p, m) = (predicted?, measured?);
    let e = (m - p) / p * 100.0;
    (p != 0.0 && e.is_finite()).then_some(e)
}

/// How a prediction's error is best read.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PredictionError {
    /// (measured − predicted) ÷ predicted, in %.
    Percent(f64),
    /// measured − predicted, in the figure's unit: for figures near zero
    /// (lag on a free loop), where a percentage says nothing.
    Difference(f64),
}

/// The error of `predicted` against `measured`: a difference when the
/// prediction is under `small` (in the figure's unit), else a percentage of
/// the prediction.
pub fn prediction_error(
    predicted: Option<f64>,
    measured: Option<f64>,
    small: f64,
) -> Option<PredictionError> {
    let (p, m) = (predicted?, measured?);
    if p.abs() < small {
        let d = m - p;
        return d.is_finite().then_some(PredictionError::Difference(d));
    }
    error_percent(Some(p), Some(m)).map(PredictionError::Percent)
}

/// The page's figures, each with a one-line definition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Figure {
    /// Wall time of the wait.
    Wall,
    /// Average tasks in flight.
    Concurrency,
    /// Average tasks in the system, queued ones included.
    InSystem,
    /// Average threads computing.
    Parallelism,
    /// Reference time on one thread.
    T1,
    /// T₁ ÷ wall.
    Speedup,
    /// Speed-up per thread the run was given.
    Efficiency,
    /// Tasks finished per second.
    Throughput,
}

impl Figure {
    /// Every figure, in the order the page shows them.
    pub const ALL: [Figure; 8] = [
        Figure::Wall,
        Figure::Concurrency,
        Figure::InSystem,
        Figure::Parallelism,
        Figure::T1,
        Figure::Speedup,
        Figure::Efficiency,
        Figure::Throughput,
    ];

    /// The figure's name in its catalogue keys (`figure.<key>.label`).
    pub fn key(self) -> &'static str {
        match self {
            Figure::Wall => "wall",
            Figure::Concurrency => "concurrency",
            Figure::InSystem => "in_system",
            Figure::Parallelism => "parallelism",
            Figure::T1 => "t1",
            Figure::Speedup => "speedup",
            Figure::Efficiency => "efficiency",
            Figure::Throughput => "throughput",
        }
    }

    /// The figure's name.
    pub fn label(self, text: &Catalogue) -> String {
        text.get(&format!("figure.{}.label", self.key()))
    }

    /// The figure's definition, in one line.
    pub fn definition(self, text: &Catalogue) -> String {
        text.get(&format!("figure.{}.definition", self.key()))
    }
}

pub mod drawing;
pub mod guess;
pub mod share;
mod tally;
#[cfg(test)]
mod tests;
