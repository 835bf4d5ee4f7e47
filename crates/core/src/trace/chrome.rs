//! A trace as Chrome trace-event JSON, which Perfetto and chrome://tracing
//! open: threads as tracks, spans as slices, and the wait's return as a
//! slice on the main thread with flows from the task(s) that made it return.

use serde::Serialize;

use super::model::{Lane, Outcome, Span, SpanKind, Trace};
use super::replay::{Cause, WaitReturn};
use super::{SCHEMA, SCHEMA_VERSION};

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

fn cause_name(c: Cause) -> &'static str {
    match c {
        Cause::FirstCompleted => "first_completed",
        Cause::FirstException => "first_exception",
        Cause::AllCompleted => "all_completed",
        Cause::Timeout => "timeout",
        Cause::Cancelled => "cancelled",
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

/// One Chrome trace event: metadata (`"M"`), a complete slice (`"X"`), or
/// the start (`"s"`) or end (`"f"`) of a flow.
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
    /// A flow's id: its start and end share it.
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<u32>,
    /// A flow end binds to the slice that encloses it (`"e"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    bp: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    args: Option<Args>,
}

impl Event {
    fn new(name: String, ph: &'static str, tid: u32, ts: u64) -> Event {
        Event {
            name,
            cat: None,
            ph,
            pid: 1,
            tid,
            ts,
            dur: None,
            cname: None,
            id: None,
            bp: None,
            args: None,
        }
    }
}

/// An event's arguments.
#[derive(Serialize)]
#[serde(untagged)]
enum Args {
    Name {
        name: String,
    },
    Sort {
        sort_index: u32,
    },
    Task {
        task: u32,
        outcome: &'static str,
    },
    Wait {
        cause: &'static str,
        tasks: Vec<u32>,
    },
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
        args: Some(args),
        ..Event::new(name.to_owned(), "M", tid, 0)
    }
}

/// The wait's return: a 1 µs slice on the main thread, and a flow from the
/// end of each task that made it return (the flow's end binds to that slice).
fn wait_events(trace: &Trace, wait: &WaitReturn) -> Vec<Event> {
    let main = Lane::Main.tid();
    let mut events = vec![Event {
        cat: Some("wait"),
        dur: Some(1),
        cname: Some("black"),
        args: Some(Args::Wait {
            cause: cause_name(wait.cause),
            tasks: wait.tasks.clone(),
        }),
        ..Event::new(
            format!("asyncio.wait returned ({})", cause_name(wait.cause)),
            "X",
            main,
            wait.at_us,
        )
    }];
    for (id, &task) in (1..).zip(&wait.tasks) {
        let Some(last) = trace
            .spans
            .iter()
            .filter(|s| s.task == task)
            .max_by_key(|s| s.end_us)
        else {
            continue;
        };
        let name = format!("task {task} made the wait return");
        // Inside the task's last slice, so that the flow starts from it.
        let from = last.end_us.saturating_sub(1).max(last.start_us);
        events.push(Event {
            cat: Some("wait"),
            id: Some(id),
            ..Event::new(name.clone(), "s", last.lane.tid(), from)
        });
        events.push(Event {
            cat: Some("wait"),
            id: Some(id),
            bp: Some("e"),
            ..Event::new(name, "f", main, wait.at_us)
        });
    }
    events
}

/// The trace as Chrome trace-event JSON (object form), which Perfetto and
/// chrome://tracing open.
///
/// Each span is a complete event (`"ph": "X"`) with `ts` and `dur` in µs on
/// process 1; each lane is a thread (`tid` from [`Lane::tid`]) named by a
/// `thread_name` metadata event and ordered main first. With `wait`, the
/// wait's return and its flows are added ([`wait_events`]).
pub fn to_chrome_trace(trace: &Trace, wait: Option<&WaitReturn>) -> String {
    let mut events = vec![metadata(
        "process_name",
        0,
        Args::Name {
            name: "Overlap".to_owned(),
        },
    )];
    for lane in trace.lanes() {
        let name = lane.trace_name();
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
            cat: Some(kind_name(span.kind)),
            dur: Some(span.duration_us()),
            cname: Some(colour(span)),
            args: Some(Args::Task {
                task: span.task,
                outcome: outcome_name(span.outcome),
            }),
            ..Event::new(
                format!("task {} ({})", span.task, kind_name(span.kind)),
                "X",
                span.lane.tid(),
                span.start_us,
            )
        });
    }
    if let Some(wait) = wait {
        events.extend(wait_events(trace, wait));
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
    use crate::trace::model::ok_span;
    use serde_json::Value;

    fn sample() -> Trace {
        let mut t = Trace::new("w=mixed&s=pool&k=2");
        t.push(ok_span(0, Lane::Main, SpanKind::IoWait, 0, 120_000));
        t.push(ok_span(1, Lane::Worker(0), SpanKind::Queued, 0, 5));
        t.push(ok_span(1, Lane::Worker(0), SpanKind::Cpu, 5, 50_005));
        let mut cancelled = ok_span(2, Lane::Worker(1), SpanKind::Cpu, 7, 30_000);
        cancelled.outcome = Outcome::Cancelled;
        t.push(cancelled);
        let mut failed = ok_span(3, Lane::Main, SpanKind::IoWait, 0, 80_000);
        failed.outcome = Outcome::Error;
        t.push(failed);
        t
    }

    fn events(text: &str) -> Vec<Value> {
        let v: Value = serde_json::from_str(text).unwrap();
        assert_eq!(v["displayTimeUnit"], "ms");
        v["traceEvents"].as_array().expect("traceEvents").clone()
    }

    #[test]
    fn chrome_trace_has_the_required_fields() {
        let events = events(&to_chrome_trace(&sample(), None));
        // 1 process name + 3 lanes × 2 metadata + 5 spans.
        assert_eq!(events.len(), 12);
        for e in &events {
            // Required by the trace-event format for every event.
            assert!(e["name"].is_string(), "{e}");
            assert!(
                e["pid"].is_u64() && e["tid"].is_u64() && e["ts"].is_u64(),
                "{e}"
            );
            match e["ph"].as_str().unwrap() {
                "X" => assert!(e["dur"].is_u64() && e["cat"].is_string(), "{e}"),
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
    }

    #[test]
    fn the_wait_return_is_a_slice_with_a_flow_from_its_cause() {
        let wait = WaitReturn {
            at_us: 50_010,
            cause: Cause::FirstCompleted,
            tasks: vec![1],
        };
        let events = events(&to_chrome_trace(&sample(), Some(&wait)));
        let slice = events
            .iter()
            .find(|e| e["cat"] == "wait" && e["ph"] == "X")
            .expect("the wait's slice");
        assert_eq!(
            (slice["ts"].as_u64(), slice["tid"].as_u64()),
            (Some(50_010), Some(0))
        );
        assert_eq!(slice["args"]["cause"], "first_completed");
        let start = events.iter().find(|e| e["ph"] == "s").expect("flow start");
        let end = events.iter().find(|e| e["ph"] == "f").expect("flow end");
        assert_eq!(start["id"], end["id"]);
        // From inside task 1's last slice (worker 1 = tid 1) to the wait's slice.
        assert_eq!(
            (start["ts"].as_u64(), start["tid"].as_u64()),
            (Some(50_004), Some(1))
        );
        assert_eq!(
            (end["ts"].as_u64(), end["tid"].as_u64(), end["bp"].as_str()),
            (Some(50_010), Some(0), Some("e"))
        );
    }

    #[test]
    fn an_empty_trace_exports() {
        assert_eq!(events(&to_chrome_trace(&Trace::new(""), None)).len(), 1);
    }
}
