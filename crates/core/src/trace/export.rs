//! Trace export: our own versioned JSON (the Chrome trace-event form is in `chrome`).
//!
//! Version 2 adds what a trace says of its run beyond its spans, all
//! optional ([`RunContext`]): when and why the wait returned, so that an
//! imported run's wall ends where the run's did rather than at its last
//! span; the scale of its CPU sizes (the twin's `--scale`); and the CPython
//! that ran it. Version 1 files still read, as a run of scale 1 whose wait
//! is unknown.

use super::model::{Span, Trace};
use super::replay::WaitReturn;
use serde::{Deserialize, Serialize};

/// Schema name written in our JSON.
pub const SCHEMA: &str = "overlap-trace";
/// Version of our JSON schema; bump on any incompatible change.
pub const SCHEMA_VERSION: u32 = 2;
/// The oldest version this build still reads.
pub const OLDEST_VERSION: u32 = 1;
/// Longest Python version string a trace may carry.
pub const MAX_PYTHON_VERSION_CHARS: usize = 32;

/// The interpreter that ran a Python twin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Python {
    /// Its version, as `sys.version` begins (`3.12.1`, `3.13.0rc1`).
    pub version: String,
    /// Whether its GIL was enabled (`sys._is_gil_enabled()`; always before 3.13).
    pub gil: bool,
}

/// What a trace says of its run besides its spans (version 2's optional fields).
#[derive(Clone, Debug, PartialEq)]
pub struct RunContext {
    /// When and why the wait returned (the run's wall ends there); its
    /// `tasks` may be empty, the twin does not name them.
    pub wait: Option<WaitReturn>,
    /// What the CPU sizes were multiplied by (the twin's `--scale`; 1 on the page).
    pub scale: f64,
    /// The CPython that ran it; `None` for the page.
    pub python: Option<Python>,
}

impl Default for RunContext {
    fn default() -> RunContext {
        RunContext {
            wait: None,
            scale: 1.0,
            python: None,
        }
    }
}

impl RunContext {
    /// Why the context cannot be believed, if it cannot: a scale that is
    /// not a positive number, or a Python version that is not one.
    pub fn problem(&self) -> Option<String> {
        if !(self.scale.is_finite() && self.scale > 0.0) {
            return Some("its scale is not a positive number".to_owned());
        }
        let version_ok = |v: &str| {
            (1..=MAX_PYTHON_VERSION_CHARS).contains(&v.chars().count())
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-'))
        };
        match &self.python {
            Some(p) if !version_ok(&p.version) => {
                Some("its Python version is not a version".to_owned())
            }
            _ => None,
        }
    }
}

fn unit_scale() -> f64 {
    1.0
}

/// Our JSON document (schema `overlap-trace`, version 2).
#[derive(Serialize, Deserialize)]
struct TraceFile {
    schema: String,
    version: u32,
    /// Times are integer microseconds since the run began.
    time_unit: String,
    experiment: String,
    dropped_spans: u64,
    spans: Vec<Span>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    wait: Option<WaitReturn>,
    #[serde(default = "unit_scale")]
    scale: f64,
    /// Written only by the twin (the page omits it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    python: Option<Python>,
}

/// Why a JSON trace could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TraceError {
    /// Not JSON of the expected shape (serde_json's message), or a field
    /// whose value cannot be believed.
    Invalid(String),
    /// JSON of another schema.
    WrongSchema(String),
    /// Our schema, but a version this build does not read.
    UnsupportedVersion(u32),
}

impl std::fmt::Display for TraceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TraceError::Invalid(m) => write!(f, "not a valid trace: {m}"),
            TraceError::WrongSchema(s) => write!(f, "schema “{s}” is not “{SCHEMA}”"),
            TraceError::UnsupportedVersion(v) => write!(f, "trace version {v} is not supported"),
        }
    }
}

impl std::error::Error for TraceError {}

/// The trace as our versioned JSON, with what `context` says of its run.
pub fn to_json(trace: &Trace, context: &RunContext) -> String {
    let file = TraceFile {
        schema: SCHEMA.to_owned(),
        version: SCHEMA_VERSION,
        time_unit: "us".to_owned(),
        experiment: trace.experiment.clone(),
        dropped_spans: trace.dropped_spans,
        spans: trace.spans.clone(),
        wait: context.wait.clone(),
        scale: context.scale,
        python: context.python.clone(),
    };
    // Serialising plain structs with string keys cannot fail (a scale that
    // is not finite is written as null, and refused when read back).
    serde_json::to_string(&file).unwrap_or_default()
}

/// The schema and version of an Overlap JSON document, read before the rest
/// so that each schema is read straight into its own type.
#[derive(Deserialize)]
pub(crate) struct Head {
    #[serde(default)]
    pub(crate) schema: Option<String>,
    #[serde(default)]
    pub(crate) version: Option<u64>,
}

impl Head {
    /// The head of `text`; `Err(None)` when it is JSON but not an object.
    pub(crate) fn of(text: &str) -> Result<Head, Option<String>> {
        serde_json::from_str::<Head>(text).map_err(|e| match e.classify() {
            serde_json::error::Category::Data => None,
            _ => Some(e.to_string()),
        })
    }
}

/// Reads a trace written by [`to_json`] (or by the twin), without its context.
pub fn from_json(text: &str) -> Result<Trace, TraceError> {
    read(text).map(|(trace, _)| trace)
}

/// Reads a trace written by [`to_json`] (or by the twin), version 1 or 2,
/// and what it says of its run (a version 1 file says nothing: scale 1).
pub fn read(text: &str) -> Result<(Trace, RunContext), TraceError> {
    let head = Head::of(text).map_err(|e| match e {
        Some(m) => TraceError::Invalid(m),
        None => TraceError::WrongSchema(String::new()),
    })?;
    match head.schema.as_deref() {
        Some(SCHEMA) => {}
        other => return Err(TraceError::WrongSchema(other.unwrap_or("").to_owned())),
    }
    let version = head.version.unwrap_or(0);
    if !(u64::from(OLDEST_VERSION)..=u64::from(SCHEMA_VERSION)).contains(&version) {
        return Err(TraceError::UnsupportedVersion(
            u32::try_from(version).unwrap_or(u32::MAX),
        ));
    }
    let file: TraceFile =
        serde_json::from_str(text).map_err(|e| TraceError::Invalid(e.to_string()))?;
    let context = RunContext {
        wait: file.wait,
        scale: file.scale,
        python: file.python,
    };
    if let Some(why) = context.problem() {
        return Err(TraceError::Invalid(why));
    }
    let mut trace = Trace::new(file.experiment);
    for span in file.spans {
        trace.push(span);
    }
    trace.dropped_spans = trace.dropped_spans.saturating_add(file.dropped_spans);
    Ok((trace, context))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::model::{Lane, Outcome, SpanKind};
    use serde_json::Value;

    fn sample() -> Trace {
        let mut t = Trace::new("w=mixed&s=pool&k=2");
        let spans = [
            (0, Lane::Main, SpanKind::IoWait, 0, 120_000, Outcome::Ok),
            (1, Lane::Worker(0), SpanKind::Queued, 0, 5, Outcome::Ok),
            (1, Lane::Worker(0), SpanKind::Cpu, 5, 50_005, Outcome::Ok),
            (
                2,
                Lane::Worker(1),
                SpanKind::Cpu,
                7,
                30_000,
                Outcome::Cancelled,
            ),
            (3, Lane::Main, SpanKind::IoWait, 0, 80_000, Outcome::Error),
        ];
        for (task, lane, kind, start_us, end_us, outcome) in spans {
            t.push(Span {
                task,
                lane,
                kind,
                start_us,
                end_us,
                outcome,
            });
        }
        t
    }

    #[test]
    fn own_json_round_trips_and_is_versioned() {
        let t = sample();
        let text = to_json(&t, &RunContext::default());
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["schema"], "overlap-trace");
        assert_eq!(v["version"], 2);
        assert_eq!(v["scale"], 1.0);
        assert!(v.get("python").is_none() && v.get("wait").is_none());
        assert_eq!(v["spans"][1]["lane"], "worker-0");
        assert_eq!(v["spans"][0]["kind"], "io-wait");
        assert_eq!(read(&text), Ok((t.clone(), RunContext::default())));
        assert!(matches!(from_json("{}"), Err(TraceError::WrongSchema(_))));
        let future = text.replace("\"version\":2", "\"version\":3");
        assert_eq!(from_json(&future), Err(TraceError::UnsupportedVersion(3)));
        let before = text.replace("\"version\":2", "\"version\":0");
        assert_eq!(from_json(&before), Err(TraceError::UnsupportedVersion(0)));
        assert!(matches!(from_json("not json"), Err(TraceError::Invalid(_))));
    }

    #[test]
    fn an_executor_thread_s_lane_round_trips_in_our_json_and_has_its_own_chrome_thread() {
        let mut t = Trace::new("w=io&s=thread&io=2");
        t.push(crate::trace::model::ok_span(
            1,
            Lane::Thread(3),
            SpanKind::IoWait,
            0,
            100,
        ));
        let text = to_json(&t, &RunContext::default());
        assert!(text.contains("\"lane\":\"thread-3\""), "{text}");
        assert_eq!(read(&text), Ok((t.clone(), RunContext::default())));
        let chrome = crate::trace::to_chrome_trace(&t, None);
        assert!(chrome.contains("\"thread 4\""), "{chrome}");
        assert!(chrome.contains("\"tid\":2004"), "{chrome}");
    }

    #[test]
    fn version_2_carries_the_wait_the_scale_and_the_python() {
        let t = sample();
        let context = RunContext {
            wait: Some(WaitReturn {
                at_us: 90_000,
                cause: crate::trace::Cause::Timeout,
                tasks: vec![],
            }),
            scale: 0.1,
            python: Some(Python {
                version: "3.13.0rc1".to_owned(),
                gil: false,
            }),
        };
        let text = to_json(&t, &context);
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["wait"]["at_us"], 90_000);
        assert_eq!(v["wait"]["cause"], "timeout");
        assert_eq!(v["python"]["gil"], false);
        assert_eq!(read(&text), Ok((t, context)));
        // The twin writes its wait without tasks.
        let twin = text.replace(",\"tasks\":[]", "");
        assert_ne!(twin, text);
        assert_eq!(read(&twin).unwrap().1.wait.unwrap().at_us, 90_000);
        for (bad, why) in [
            (text.replace("\"scale\":0.1", "\"scale\":-0.1"), "scale"),
            (text.replace("\"scale\":0.1", "\"scale\":0"), "scale"),
            (text.replace("3.13.0rc1", "3.13 <b>"), "version"),
            (text.replace("3.13.0rc1", &"3".repeat(33)), "version"),
            (text.replace("3.13.0rc1", ""), "version"),
        ] {
            match read(&bad) {
                Err(TraceError::Invalid(m)) => assert!(m.contains(why), "{m}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_version_1_file_still_reads_as_a_run_of_scale_1() {
        let t = sample();
        let v1 = serde_json::json!({
            "schema": "overlap-trace", "version": 1, "time_unit": "us",
            "experiment": t.experiment, "dropped_spans": 0, "spans": t.spans,
        });
        assert_eq!(read(&v1.to_string()), Ok((t, RunContext::default())));
    }

    #[test]
    fn empty_trace_exports() {
        let t = Trace::new("");
        assert_eq!(
            from_json(&to_json(&t, &RunContext::default())),
            Ok(t.clone())
        );
    }
}
