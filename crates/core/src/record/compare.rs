//! Two runs side by side: each figure of both with its difference, how
//! much faster one ran than the other, the parameters that differ, and the
//! scale of their CPU sizes where it differs (a twin run with `--scale`).

use crate::experiment::url::{decode_str, differing};
use crate::experiment::Field;
use crate::figures::{ratio, Figure, Figures};
use crate::i18n::{Catalogue, Lang};
use crate::report::KeyFigure;

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
    /// How the page's event loop answered in each (lag p95, lag max, frames
    /// missed), where both runs know it: the figures of a lesson about
    /// responsiveness.
    pub responsiveness: Vec<LoopDiff>,
    /// Each key figure's values in both runs, where both have it.
    keyed: Vec<(KeyFigure, f64, f64)>,
}

/// One figure of how the event loop answered, in two runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LoopDiff {
    /// The figure's catalogue key (`results.lag_p95`, …).
    pub label_key: &'static str,
    /// In the first run.
    pub a: Option<f64>,
    /// In the second.
    pub b: Option<f64>,
    /// Whether it is a count (frames), not milliseconds.
    pub count: bool,
}

/// The one figure a comparison's verdict is about, in both runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Headline {
    /// Which figure.
    pub figure: KeyFigure,
    /// In the first run.
    pub a: f64,
    /// In the second.
    pub b: f64,
    /// Whether the second run did better on it (lower lag, wall, frames;
    /// higher speed-up, parallelism, concurrency…); `None` when equal.
    pub b_better: Option<bool>,
}

impl KeyFigure {
    /// Whether less of it is better (times, lag, frames).
    pub fn lower_is_better(self) -> bool {
        matches!(
            self,
            KeyFigure::Wall
                | KeyFigure::WaitSum
                | KeyFigure::LagP95
                | KeyFigure::FramesMissed
                | KeyFigure::LongTasks
        )
    }
}

impl Comparison {
    /// What the verdict is about: the first of `named` (a preset's key
    /// figures) that both runs have; `None` where that is the wall time
    /// (or there is no preset, or none of its figures in both), whose
    /// verdict is how many times faster one ran.
    pub fn headline(&self, named: Option<&[KeyFigure]>) -> Option<Headline> {
        named?
            .iter()
            .find_map(|&f| self.keyed.iter().find(|k| k.0 == f))
            .filter(|k| k.0 != KeyFigure::Wall)
            .map(|&(figure, a, b)| Headline {
                figure,
                a,
                b,
                b_better: (a != b).then(|| (b < a) == figure.lower_is_better()),
            })
    }

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
    let loop_of = |r: &RunRecord| r.responsiveness;
    let responsiveness = match (loop_of(a), loop_of(b)) {
        (Some(x), Some(y)) => vec![
            LoopDiff {
                label_key: "results.lag_p95",
                a: x.lag_p95_ms,
                b: y.lag_p95_ms,
                count: false,
            },
            LoopDiff {
                label_key: "results.lag_max",
                a: x.lag_max_ms,
                b: y.lag_max_ms,
                count: false,
            },
            LoopDiff {
                label_key: "results.frames_missed",
                a: Some(x.frames_missed as f64),
                b: Some(y.frames_missed as f64),
                count: true,
            },
        ],
        _ => Vec::new(),
    };
    let keyed = KeyFigure::ALL
        .iter()
        .filter_map(|&f| Some((f, key_value(a, f)?, key_value(b, f)?)))
        .collect();
    Comparison {
        figures,
        speedup_b_over_a: ratio(a.figures.wall_ms, b.figures.wall_ms),
        differing,
        scale_factor,
        responsiveness,
        keyed,
    }
}

/// Key figure `f` of a kept run, where the record has it.
fn key_value(r: &RunRecord, f: KeyFigure) -> Option<f64> {
    let loop_ = r.responsiveness;
    match f {
        KeyFigure::LagP95 => loop_.and_then(|l| l.lag_p95_ms),
        KeyFigure::FramesMissed => loop_.map(|l| l.frames_missed as f64),
        _ => f.in_figures(&r.figures),
    }
}
