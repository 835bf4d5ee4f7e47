//! Trace export: our own versioned JSON (the Chrome trace-event form is in `chrome`).

use super::model::{Span, Trace};
use serde::{Deserialize, Serialize};

/// Schema name written in our JSON.
pub const SCHEMA: &str = "overlap-trace";
/// Version of our JSON schema; bump on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// Our JSON document (schema `overlap-trace`, version 1).
#[derive(Serialize, Deserialize)]
struct TraceFile {
    schema: String,
    version: u32,
    /// Times are integer microseconds since the run began.
    time_unit: String,
    experiment: String,
    dropped_spans: u64,
    spans: Vec<Span>,
}

/// Why a JSON trace could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TraceError {
    /// Not JSON of the expected shape (serde_json's message).
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

/// The trace as our versioned JSON.
pub fn to_json(trace: &Trace) -> String {
    let file = TraceFile {
        schema: SCHEMA.to_owned(),
        version: SCHEMA_VERSION,
        time_unit: "us".to_owned(),
        experiment: trace.experiment.clone(),
        dropped_spans: trace.dropped_spans,
        spans: trace.spans.clone(),
    };
    // Serialising plain structs with string keys cannot fail.
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

/// Reads a trace written by [`to_json`].
pub fn from_json(text: &str) -> Result<Trace, TraceError> {
    let head = Head::of(text).map_err(|e| match e {
        Some(m) => TraceError::Invalid(m),
        None => TraceError::WrongSchema(String::new()),
    })?;
    match head.schema.as_deref() {
        Some(SCHEMA) => {}
        other => return Err(TraceError::WrongSchema(other.unwrap_or("").to_owned())),
    }
    let version = head.version.unwrap_or(0);
    if version != u64::from(SCHEMA_VERSION) {
        return Err(TraceError::UnsupportedVersion(
            u32::try_from(version).unwrap_or(u32::MAX),
        ));
    }
    let file: TraceFile =
        serde_json::from_str(text).map_err(|e| TraceError::Invalid(e.to_string()))?;
    let mut trace = Trace::new(file.experiment);
    for span in file.spans {
        trace.push(span);
    }
    trace.dropped_spans = trace.dropped_spans.saturating_add(file.dropped_spans);
    Ok(trace)
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
        let text = to_json(&t);
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["schema"], "overlap-trace");
        assert_eq!(v["version"], 1);
        assert_eq!(v["spans"][1]["lane"], "worker-0");
        assert_eq!(v["spans"][0]["kind"], "io-wait");
        assert_eq!(from_json(&text), Ok(t));
        assert!(matches!(from_json("{}"), Err(TraceError::WrongSchema(_))));
        let future = text.replace("\"version\":1", "\"version\":2");
        assert_eq!(from_json(&future), Err(TraceError::UnsupportedVersion(2)));
        assert!(matches!(from_json("not json"), Err(TraceError::Invalid(_))));
    }

    #[test]
    fn empty_trace_exports() {
        let t = Trace::new("");
        assert_eq!(from_json(&to_json(&t)), Ok(t.clone()));
    }
}
