//! Two runs side by side: each figure of both with its difference, how
//! much faster one ran than the other, and the parameters that differ.

use crate::experiment::url::{decode_str, differing};
use crate::experiment::Field;
use crate::figures::{ratio, Figure, Figures};

use super::RunRecord;

/// One figure of two runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FigureDiff {
    /// Which figure.
    pub figure: Figure,
    /// Its value in the first run, when it applies there.
    pub a: Option<f64>,
    /// Its value in the second run.
    pub b: Option<f64>,
    /// `b − a`, when both apply.
    pub difference: Option<f64>,
}

/// What differs between two runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// Every figure, in the page's order.
    pub figures: Vec<FigureDiff>,
    /// The first run's wall ÷ the second's: how many times faster the second
    /// ran (below 1: slower).
    pub speedup_b_over_a: Option<f64>,
    /// The parameters whose values differ, with the first and second run's
    /// values as the editor writes them.
    pub differing: Vec<(Field, String, String)>,
}

/// A figure's value in `f`.
fn value(f: &Figures, figure: Figure) -> Option<f64> {
    match figure {
        Figure::Wall => Some(f.wall_ms),
        Figure::Concurrency => f.concurrency,
        Figure::InSystem => f.in_system,
        Figure::Parallelism => f.parallelism,
        Figure::T1 => f.t1_ms,
        Figure::Speedup => f.speedup,
        Figure::Efficiency => f.efficiency,
        Figure::Throughput => f.throughput_per_s,
    }
}

/// Compares run `a` with run `b`.
pub fn compare(a: &RunRecord, b: &RunRecord) -> Comparison {
    let figures = Figure::ALL
        .iter()
        .map(|&figure| {
            let (x, y) = (value(&a.figures, figure), value(&b.figures, figure));
            FigureDiff {
                figure,
                a: x,
                b: y,
                difference: x.zip(y).map(|(x, y)| y - x),
            }
        })
        .collect();
    let (ea, eb) = (
        decode_str(&a.experiment).experiment,
        decode_str(&b.experiment).experiment,
    );
    let differing = differing(&ea, &eb);
    Comparison {
        figures,
        speedup_b_over_a: ratio(a.figures.wall_ms, b.figures.wall_ms),
        differing,
    }
}
