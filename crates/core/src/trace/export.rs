//! Trace export: our own versioned JSON, and Chrome trace-event JSON (Perfetto, chrome://tracing).

use super::model::{Lane, Outcome, Span, SpanKind, Trace};
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
            TraceError::WrongSchema(s) => write!(f, "schema {s:?} is not {SCHEMA:?}"),
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

fn kind_name(kind: SpanKind) -> &'static str {
    match kind {
        SpanKind::Cpu => "cpu",
        SpanKind::IoWait => "io-wait",
        SpanKind::Queued => "queued",
        SpanKind::Blocked => "blocked",
        SpanKind::Handled => "handled",
        SpanKind::Startup => "startup",
        SpanKind::Transfer => "transfer",
    }
}

fn outcome_name(o: Outcome) -> &'static str {
    match o {
        Outcome::Ok => "ok",
        Outcome::Error => "error",
        Outcome::Cancelled => "cancelled",
    }
}

/// Colour names from the trace viewer's reserved palette.
fn colour(span: &Span) -> &'static str {
    match (span.outcome, span.kind) {
        (Outcome::Error, _) => "terrible",
        (Outcome::Cancelled, _) => "bad",
        (_, SpanKind::Cpu) => "good",
        (_, SpanKind::IoWait) => "grey",
        (_, SpanKind::Queued) => "yellow",
        (_, SpanKind::Blocked) => "terrible",
        (_, SpanKind::Handled) => "olive",
        (_, SpanKind::Startup) => "grey",
        (_, SpanKind::Transfer) => "yellow",
    }
}

fn lane_label(lane: Lane) -> String {
    lane.label()
}

/// One Chrome trace event: metadata (`"M"`) or a complete slice (`"X"`).
#[derive(Serialize)]
struct Event {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    cat: Option<&'static str>,
    ph: &'static str,
    pid: u32,
    tid: u32,
    ts: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    dur: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cname: Option<&'static str>,
    args: Args,
}

/// An event's arguments.
#[derive(Serialize)]
#[serde(untagged)]
enum Args {
    Name { name: String },
    Sort { sort_index: u32 },
    Task { task: u32, outcome: &'static str },
}

/// The document Perfetto and chrome://tracing open (the object form).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ChromeTrace<'a> {
    trace_events: Vec<Event>,
    display_time_unit: &'static str,
    other_data: OtherData<'a>,
}

#[derive(Serialize)]
struct OtherData<'a> {
    experiment: &'a str,
    dropped_spans: u64,
    schema: String,
}

/// A metadata event of thread `tid`.
fn metadata(name: &str, tid: u32, args: Args) -> Event {
    Event {
        name: name.to_owned(),
        cat: None,
        ph: "M",
        pid: 1,
        tid,
        ts: 0,
        dur: None,
        cname: None,
        args,
    }
}

/// The trace as Chrome trace-event JSON (object form), which Perfetto and chrome://tracing open.
///
/// Each span is a complete event (`"ph": "X"`) with `ts` and `dur` in µs on
/// process 1; each lane is a thread (`tid` from [`Lane::tid`]) named by a
/// `thread_name` metadata event and ordered main first.
pub fn to_chrome_trace(trace: &Trace) -> String {
    let mut events = vec![metadata(
        "process_name",
        0,
        Args::Name {
            name: "Overlap".to_owned(),
        },
    )];
    for lane in trace.lanes() {
        let name = lane_label(lane);
        events.push(metadata("thread_name", lane.tid(), Args::Name { name }));
        events.push(metadata(
            "thread_sort_index",
            lane.tid(),
            Args::Sort {
                sort_index: lane.tid(),
            },
        ));
    }
    for span in &trace.spans {
        events.push(Event {
            name: format!("task {} ({})", span.task, kind_name(span.kind)),
            cat: Some(kind_name(span.kind)),
            ph: "X",
            pid: 1,
            tid: span.lane.tid(),
            ts: span.start_us,
            dur: Some(span.duration_us()),
            cname: Some(colour(span)),
            args: Args::Task {
                task: span.task,
                outcome: outcome_name(span.outcome),
            },
        });
    }
    let doc = ChromeTrace {
        trace_events: events,
        display_time_unit: "ms",
        other_data: OtherData {
            experiment: &trace.experiment,
            dropped_spans: trace.dropped_spans,
            schema: format!("{SCHEMA}/{SCHEMA_VERSION}"),
        },
    };
    // Plain structs with string keys always serialise.
    serde_json::to_string(&doc).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
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
    fn chrome_trace_has_the_required_fields() {
        let v: Value = serde_json::from_str(&to_chrome_trace(&sample())).unwrap();
        let events = v["traceEvents"]
            .as_array()
            .expect("traceEvents is an array");
        // 1 process name + 3 lanes × 2 metadata + 5 spans.
        assert_eq!(events.len(), 12);
        for e in events {
            // Required by the trace-event format for every event.
            assert!(e["name"].is_string(), "{e}");
            assert!(e["ph"].is_string(), "{e}");
            assert!(
                e["pid"].is_u64() && e["tid"].is_u64() && e["ts"].is_u64(),
                "{e}"
            );
            match e["ph"].as_str().unwrap() {
                "X" => {
                    assert!(e["dur"].is_u64(), "{e}");
                    assert!(e["cat"].is_string());
                }
                "M" => assert!(e["args"].is_object(), "{e}"),
                other => panic!("unexpected phase {other}"),
            }
        }
        let names: Vec<&str> = events
            .iter()
            .filter(|e| e["name"] == "thread_name")
            .map(|e| e["args"]["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["main thread", "worker 1", "worker 2"]);
        let cpu = events.iter().find(|e| e["name"] == "task 1 (cpu)").unwrap();
        assert_eq!(
            (cpu["ts"].as_u64(), cpu["dur"].as_u64(), cpu["tid"].as_u64()),
            (Some(5), Some(50_000), Some(1))
        );
        assert_eq!(v["displayTimeUnit"], "ms");
    }

    #[test]
    fn empty_trace_exports() {
        let t = Trace::new("");
        assert_eq!(from_json(&to_json(&t)), Ok(t.clone()));
        let v: Value = serde_json::from_str(&to_chrome_trace(&t)).unwrap();
        assert_eq!(v["traceEvents"].as_array().unwrap().len(), 1);
    }
}
