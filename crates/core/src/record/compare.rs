//! Two runs side by side: each figure of both with its difference, how
//! much faster one ran than the other, the parameters that differ, and the
//! scale of their CPU sizes where it differs (a twin run with `--scale`).

use crate::experiment::url::{decode_str, differing};
use crate::experiment::Field;
use crate::figures::{ratio, Figure, Figures};
use crate::i18n::{Catalogue, Lang};

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
    /// The second run's CPU sizes ÷ the first's, where their scales differ
    /// and either has CPU work: then they are not the same experiment,
    /// whatever their parameters say.
    pub scale_factor: Option<f64>,
}

impl Comparison {
    /// Whether the two runs are the same experiment: every parameter and
    /// the scale of their CPU sizes equal.
    pub fn same_experiment(&self) -> bool {
        self.differing.is_empty() && self.scale_factor.is_none()
    }

    /// What the scales' difference means, in `text`'s language ("not the
    /// same experiment: CPU sizes × 0.1"), where they differ.
    pub fn scale_note(&self, text: &Catalogue) -> Option<String> {
        self.scale_factor
            .map(|f| text.fill("compare.scale", &[("factor", &factor(text.lang(), f))]))
    }
}

/// A factor with at most three significant digits and no trailing zeros:
/// `0.1`, `20`, `0.333`, in `lang`.
fn factor(lang: Lang, f: f64) -> String {
    // Decimals for three significant digits (no log10: its code would weigh on the wasm).
    let (mut digits, mut x) = (2usize, f.abs());
    while x >= 10.0 && digits > 0 {
        x /= 10.0;
        digits -= 1;
    }
    while x > 0.0 && x < 1.0 && digits < 9 {
        x *= 10.0;
        digits += 1;
    }
    lang.trimmed(f, digits)
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
    let has_cpu = ea.workload.has_cpu() || eb.workload.has_cpu();
    let scale_factor = ratio(b.scale, a.scale).filter(|f| has_cpu && (f - 1.0).abs() > 1e-9);
    Comparison {
        figures,
        speedup_b_over_a: ratio(a.figures.wall_ms, b.figures.wall_ms),
        differing,
        scale_factor,
    }
}
