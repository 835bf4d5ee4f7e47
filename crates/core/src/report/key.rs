//! The figures a run's results lead with: each preset names the ones its
//! lesson is about (core's preset table), an edited experiment gets those
//! its kind of work is about, and the wall time always leads. The page shows
//! them big, each beside its prediction, and folds the rest of the table.

use super::RunReport;
use crate::experiment::Experiment;
use crate::figures::Figures;
use crate::predict::RunPrediction;

/// A figure the results can lead with (`data-figure` on the page).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyFigure {
    /// Wall time of the wait.
    Wall,
    /// Σ of the I/O waits: what they would have cost one after another.
    WaitSum,
    /// Tasks in flight on average.
    Concurrency,
    /// Tasks in the system on average, queued ones included.
    InSystem,
    /// Threads computing on average.
    Parallelism,
    /// T₁ ÷ wall.
    Speedup,
    /// Speed-up per thread given.
    Efficiency,
    /// Tasks finished per second.
    Throughput,
    /// Event-loop lag, 95th percentile.
    LagP95,
    /// Animation frames missed.
    FramesMissed,
    /// Stretches of 50 ms or more that kept the page from drawing.
    LongTasks,
}

/// The unit a key figure is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyUnit {
    /// Milliseconds.
    Ms,
    /// "×", a ratio of times.
    Times,
    /// Per second.
    PerSecond,
    /// A count or a ratio without a unit.
    None,
}

/// A key figure of one run: measured, predicted before the run, and how
/// to write it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KeyValue {
    /// Measured in this run, `None` where it does not apply.
    pub measured: Option<f64>,
    /// The model's, made before the run.
    pub predicted: Option<f64>,
    /// Its unit.
    pub unit: KeyUnit,
    /// Digits after the decimal separator.
    pub digits: usize,
}

impl KeyFigure {
    /// Every key figure, in the order the table shows them.
    pub const ALL: [KeyFigure; 11] = [
        KeyFigure::Wall,
        KeyFigure::WaitSum,
        KeyFigure::Concurrency,
        KeyFigure::InSystem,
        KeyFigure::Parallelism,
        KeyFigure::Speedup,
        KeyFigure::Efficiency,
        KeyFigure::Throughput,
        KeyFigure::LagP95,
        KeyFigure::FramesMissed,
        KeyFigure::LongTasks,
    ];

    /// Its name in `data-figure` and in the hook.
    pub fn key(self) -> &'static str {
        match self {
            KeyFigure::Wall => "wall",
            KeyFigure::WaitSum => "wait_sum",
            KeyFigure::Concurrency => "concurrency",
            KeyFigure::InSystem => "in_system",
            KeyFigure::Parallelism => "parallelism",
            KeyFigure::Speedup => "speedup",
            KeyFigure::Efficiency => "efficiency",
            KeyFigure::Throughput => "throughput",
            KeyFigure::LagP95 => "lag_p95",
            KeyFigure::FramesMissed => "frames_missed",
            KeyFigure::LongTasks => "long_tasks",
        }
    }

    /// The unit it is written in.
    pub fn unit(self) -> KeyUnit {
        match self {
            KeyFigure::Wall | KeyFigure::WaitSum | KeyFigure::LagP95 => KeyUnit::Ms,
            KeyFigure::Speedup => KeyUnit::Times,
            KeyFigure::Throughput => KeyUnit::PerSecond,
            _ => KeyUnit::None,
        }
    }

    /// Digits after the decimal separator it is written with: counts none,
    /// times and rates one, ratios two.
    pub fn digits(self) -> usize {
        match self {
            KeyFigure::FramesMissed | KeyFigure::LongTasks => 0,
            _ if matches!(self.unit(), KeyUnit::Ms | KeyUnit::PerSecond) => 1,
            _ => 2,
        }
    }

    /// Its value in `fig`, for the figures a run's [`Figures`] hold (the
    /// wall and the ratios); `None` for the others, which the page's report
    /// and a kept record each take from where they keep them. One match, so
    /// that the page and the comparison of records read the same field.
    pub fn in_figures(self, fig: &Figures) -> Option<f64> {
        match self {
            KeyFigure::Wall => Some(fig.wall_ms),
            KeyFigure::Concurrency => fig.concurrency,
            KeyFigure::InSystem => fig.in_system,
            KeyFigure::Parallelism => fig.parallelism,
            KeyFigure::Speedup => fig.speedup,
            KeyFigure::Efficiency => fig.efficiency,
            KeyFigure::Throughput => fig.throughput_per_s,
            KeyFigure::WaitSum
            | KeyFigure::LagP95
            | KeyFigure::FramesMissed
            | KeyFigure::LongTasks => None,
        }
    }

    /// Whether a run of `e` has this figure at all: the CPU figures need
    /// CPU tasks, the sum of the waits I/O tasks.
    pub fn applies(self, e: &Experiment) -> bool {
        match self {
            KeyFigure::WaitSum => e.io_task_count() > 0,
            KeyFigure::Parallelism | KeyFigure::Speedup | KeyFigure::Efficiency => {
                e.cpu_task_count() > 0
            }
            _ => true,
        }
    }

    /// The figures a run of `e` leads with, given those its preset names
    /// (`named`, when it runs a preset's experiment): the wall time first,
    /// then the named ones that apply, or, for an experiment of the
    /// visitor's own, what its kind of work is about: speed-up and
    /// parallelism where threads or processes compute, lag and frames where
    /// the main thread does, the waits' sum and concurrency for I/O alone.
    pub fn lead(named: Option<&[KeyFigure]>, e: &Experiment) -> Vec<KeyFigure> {
        let profile = e.profile();
        let own: &[KeyFigure] = if e.cpu_task_count() > 0 && profile.uses_workers() {
            &[KeyFigure::Speedup, KeyFigure::Parallelism]
        } else if e.cpu_task_count() > 0 {
            &[KeyFigure::LagP95, KeyFigure::FramesMissed]
        } else {
            &[KeyFigure::WaitSum, KeyFigure::Concurrency]
        };
        let mut out = vec![KeyFigure::Wall];
        for &f in named.unwrap_or(own) {
            if f.applies(e) && !out.contains(&f) {
                out.push(f);
            }
        }
        out
    }
}

impl RunPrediction {
    /// The model's value of key figure `f`, made before the run: what the
    /// page shows while the run goes on, and beside the measured value after.
    pub fn key_predicted(&self, f: KeyFigure) -> Option<f64> {
        match f {
            KeyFigure::Wall => Some(self.wall_ms),
            KeyFigure::WaitSum => self.io_wait_ms,
            KeyFigure::Concurrency => self.concurrency,
            KeyFigure::InSystem => self.in_system,
            KeyFigure::Parallelism => self.parallelism,
            KeyFigure::Speedup => self.speedup,
            KeyFigure::Efficiency => self.efficiency,
            KeyFigure::Throughput => self.throughput_per_s,
            KeyFigure::LagP95 => self.lag_p95_ms,
            KeyFigure::FramesMissed => Some(self.frames_missed as f64),
            KeyFigure::LongTasks => Some(self.long_tasks as f64),
        }
    }
}

impl RunReport {
    /// Key figure `f` of this run, beside its prediction.
    pub fn key_value(&self, f: KeyFigure) -> KeyValue {
        let lag = self.lag.drift_ms.as_ref();
        let measured = match f {
            KeyFigure::Wall => Some(self.wall_ms),
            KeyFigure::WaitSum => {
                (self.experiment.get().io_task_count() > 0).then_some(self.io_wait_ms)
            }
            KeyFigure::LagP95 => lag.map(|l| l.p95),
            KeyFigure::FramesMissed => Some(self.frames_missed as f64),
            KeyFigure::LongTasks => self.long_tasks.map(|n| n as f64),
            _ => f.in_figures(&self.figures),
        };
        KeyValue {
            measured,
            predicted: self.predicted.key_predicted(f),
            unit: f.unit(),
            digits: f.digits(),
        }
    }
}
