//! A finished run as Overlap keeps it (the page's history), writes it
//! (export) and reads it back (import): the experiment, its figures and its
//! trace, in a versioned JSON document (`overlap-run`, version 1).
//!
//! Import (`import.rs`) also reads the Python twin's `--trace` file
//! (`overlap-trace`), whose figures are computed from its spans here (its
//! wall ends where its wait returned, when the file says so), so that a
//! browser run and CPython's run of the same experiment can be compared. A file is never
//! trusted: its size, its schema, its experiment (through the URL codec's
//! validation), its figures and its name are all checked, and what fails
//! is an [`ImportError`] that names the reason.

mod compare;
mod import;
mod names;
mod older;
mod origin;

pub use compare::{compare, Comparison, FigureDiff, Headline, LoopDiff};
pub use import::{figures_of_trace, import};
pub use names::names_apart;
pub use origin::Origin;

use serde::{Deserialize, Serialize};

use crate::experiment::Build;
use crate::figures::Figures;
use crate::report::{wait_return, RunReport};
use crate::trace::{coalesce, Python, RunContext, Trace, WaitReturn, SCHEMA as TRACE_SCHEMA};

/// Schema name of a run record.
pub const SCHEMA: &str = "overlap-run";
/// Version of the run record's schema; bump on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;
/// Largest file import reads, bytes: a whole trace of the largest run is
/// about 10 MB of JSON.
pub const MAX_IMPORT_BYTES: usize = 16 * 1024 * 1024;
/// Longest name of a run, in characters.
pub const MAX_NAME_CHARS: usize = 80;
/// Most spans a record keeps in the history (the browser's storage is a few
/// MB): beyond, close spans of a task are merged, then the latest dropped.
pub const HISTORY_SPANS: usize = 4_000;

/// Most tasks a record's wait may name (one made it return, in practice).
pub const MAX_WAIT_TASKS: usize = 64;

/// One finished run (written and read as JSON by [`RunRecord::to_json`] and [`import`]).
#[derive(Clone, Debug, PartialEq)]
pub struct RunRecord {
    /// What the visitor calls it (the history lists it by this name).
    pub name: String,
    /// Where it ran.
    pub origin: Origin,
    /// The experiment, as its canonical query string.
    pub experiment: String,
    /// Its headline figures, as measured.
    pub figures: Figures,
    /// Its spans (possibly fewer than were recorded: see `trace.dropped_spans`).
    pub trace: Trace,
    /// When and why its wait returned (unknown for a Python twin's trace
    /// of version 1).
    pub wait: Option<WaitReturn>,
    /// What its CPU sizes were multiplied by (the twin's `--scale`; 1 on the page).
    pub scale: f64,
    /// The CPython that ran it, for a twin's trace that says so.
    pub python: Option<Python>,
    /// How the page's main thread answered during the run (a page's run
    /// only: a twin's trace does not say).
    pub responsiveness: Option<Responsiveness>,
}

/// How the page's event loop answered during a run: what a lesson about
/// responsiveness compares (lag, frames), beside the figures.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Responsiveness {
    /// Event-loop lag, 95th percentile, ms.
    pub lag_p95_ms: Option<f64>,
    /// The longest the loop answered late, ms: the longest block.
    pub lag_max_ms: Option<f64>,
    /// Animation frames missed at 60 Hz.
    pub frames_missed: u64,
}

fn unit_scale() -> f64 {
    1.0
}

fn is_unit(scale: &f64) -> bool {
    *scale == 1.0
}

/// The document a record is written as.
#[derive(Serialize, Deserialize)]
struct RecordFile {
    schema: String,
    version: u32,
    name: String,
    origin: Origin,
    experiment: String,
    figures: Figures,
    time_unit: String,
    dropped_spans: u64,
    spans: Vec<crate::trace::Span>,
    /// Absent from files of runs that did not know it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    wait: Option<WaitReturn>,
    /// Absent where it is 1 (every page run).
    #[serde(default = "unit_scale", skip_serializing_if = "is_unit")]
    scale: f64,
    /// Present for a twin's run that said which CPython ran it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    python: Option<Python>,
    /// Present for a page's run (absent from files written before it was).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    responsiveness: Option<Responsiveness>,
}

/// Why a file could not be imported.
#[derive(Clone, Debug, PartialEq)]
pub enum ImportError {
    /// The file is larger than [`MAX_IMPORT_BYTES`].
    TooLarge {
        /// Its size.
        bytes: usize,
    },
    /// Not JSON, or not of the shape its schema says (serde's message).
    Invalid(String),
    /// JSON of neither Overlap schema.
    WrongSchema(String),
    /// An Overlap schema, in a version this build does not read.
    UnsupportedVersion(u64),
    /// The experiment it names is not one Overlap can run (the first problem).
    Experiment(Box<crate::Problem>),
    /// A figure is negative or not a number.
    Figure(&'static str),
}

impl ImportError {
    /// Why, in one clause for the page, in the catalogue's language.
    pub fn message(&self, text: &crate::i18n::Catalogue) -> String {
        match self {
            ImportError::TooLarge { bytes } => text.fill(
                "import.too_large",
                &[
                    ("size", &text.lang().number(*bytes as f64 / 1e6, 1)),
                    (
                        "max",
                        &text.lang().integer(MAX_IMPORT_BYTES as u64 / (1024 * 1024)),
                    ),
                ],
            ),
            ImportError::Invalid(m) => text.fill("import.invalid", &[("detail", m)]),
            ImportError::WrongSchema(s) if s.is_empty() => text.get("import.no_schema"),
            ImportError::WrongSchema(s) => text.fill(
                "import.wrong_schema",
                &[
                    ("schema", &shorten(s)),
                    ("run", &SCHEMA),
                    ("trace", &TRACE_SCHEMA),
                ],
            ),
            ImportError::UnsupportedVersion(v) => {
                text.fill("import.unsupported_version", &[("version", v)])
            }
            ImportError::Experiment(p) => {
                text.fill("import.experiment", &[("detail", &p.message(text))])
            }
            ImportError::Figure(name) => text.fill("import.figure", &[("figure", name)]),
        }
    }
}

/// At most 40 characters of `s`, for messages about untrusted text.
fn shorten(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// `name` as a record keeps it: control characters dropped, spaces trimmed,
/// at most [`MAX_NAME_CHARS`] characters, never empty.
pub fn clean_name(name: &str, fallback: &str) -> String {
    let cleaned: String = name
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME_CHARS)
        .collect();
    let trimmed = cleaned.trim();
    if trimmed.is_empty() {
        fallback.chars().take(MAX_NAME_CHARS).collect()
    } else {
        trimmed.to_owned()
    }
}

/// The name a new run gets: its strategy, `k` where it matters, and its
/// tasks, in the catalogue's language.
pub fn default_name(text: &crate::i18n::Catalogue, e: &crate::Experiment) -> String {
    let strategy = e.strategy.label(text);
    let workers = if e.strategy.uses_workers() {
        format!(", k = {}", e.workers)
    } else {
        String::new()
    };
    let (io, cpu) = (
        text.lang().integer(u64::from(e.io_tasks)),
        text.lang().integer(u64::from(e.cpu_tasks)),
    );
    let tasks = match (e.workload.has_io(), e.workload.has_cpu()) {
        (true, true) => text.fill("record.name.mixed", &[("io", &io), ("cpu", &cpu)]),
        (true, false) => text.fill("record.name.io", &[("io", &io)]),
        _ => text.fill("record.name.cpu", &[("cpu", &cpu)]),
    };
    clean_name(&format!("{strategy}{workers} · {tasks}"), "run")
}

/// A file name stem for `name`: letters, digits and dashes only.
pub fn file_stem(name: &str) -> String {
    let mut stem = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            stem.push(c.to_ascii_lowercase());
        } else if !stem.ends_with('-') && !stem.is_empty() {
            stem.push('-');
        }
    }
    let stem = stem.trim_end_matches('-');
    if stem.is_empty() {
        "run".to_owned()
    } else {
        stem.chars().take(60).collect()
    }
}

impl RunRecord {
    /// The record of a run this page measured.
    pub fn of_report(report: &RunReport, build: Build, name: &str) -> RunRecord {
        RunRecord {
            name: clean_name(name, "run"),
            origin: Origin::Page { build },
            experiment: report.experiment.to_query(),
            figures: report.figures,
            trace: report.trace.clone(),
            wait: Some(wait_return(report)),
            scale: 1.0,
            python: None,
            responsiveness: Some(Responsiveness {
                lag_p95_ms: report.lag.drift_ms.as_ref().map(|l| l.p95),
                lag_max_ms: report.lag.drift_ms.as_ref().map(|l| l.max),
                frames_missed: report.frames_missed,
            }),
        }
    }

    /// The record as the history keeps it: at most [`HISTORY_SPANS`] spans
    /// (a task's spans less than 1 ms apart merged first, then the latest
    /// left out and counted as dropped). Its figures are the run's own.
    pub fn for_history(&self) -> RunRecord {
        if self.trace.spans.len() <= HISTORY_SPANS {
            return self.clone();
        }
        let mut merged = coalesce(&self.trace.spans, 1_000);
        let dropped = merged.len().saturating_sub(HISTORY_SPANS);
        merged.truncate(HISTORY_SPANS);
        let mut trace = Trace::new(self.trace.experiment.clone());
        trace.spans = merged;
        trace.dropped_spans = self.trace.dropped_spans.saturating_add(dropped as u64);
        // Field by field: `..self.clone()` would copy every span first.
        RunRecord {
            name: self.name.clone(),
            origin: self.origin,
            experiment: self.experiment.clone(),
            figures: self.figures,
            trace,
            wait: self.wait.clone(),
            scale: self.scale,
            python: self.python.clone(),
            responsiveness: self.responsiveness,
        }
    }

    /// The record as Overlap's versioned JSON.
    pub fn to_json(&self) -> String {
        let file = RecordFile {
            schema: SCHEMA.to_owned(),
            version: SCHEMA_VERSION,
            name: self.name.clone(),
            origin: self.origin,
            experiment: self.experiment.clone(),
            figures: self.figures,
            time_unit: "us".to_owned(),
            dropped_spans: self.trace.dropped_spans,
            spans: self.trace.spans.clone(),
            wait: self.wait.clone(),
            scale: self.scale,
            python: self.python.clone(),
            responsiveness: self.responsiveness,
        };
        // Plain structs with string keys and finite numbers always serialise.
        serde_json::to_string(&file).unwrap_or_default()
    }

    /// The run as our trace JSON (`overlap-trace`, version 2), its wait, its
    /// scale and its Python included: what the twin's `--trace` writes.
    pub fn to_trace_json(&self) -> String {
        let context = RunContext {
            wait: self.wait.clone(),
            scale: self.scale,
            python: self.python.clone(),
        };
        crate::trace::to_json(&self.trace, &context)
    }

    /// The run as Chrome trace-event JSON (Perfetto opens it).
    pub fn to_chrome_trace(&self) -> String {
        crate::trace::to_chrome_trace(&self.trace, self.wait.as_ref())
    }
}

#[cfg(test)]
mod tests;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod twin_tests;
