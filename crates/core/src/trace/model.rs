//! The trace model: one span per task segment, on the lane (thread) that ran it.

use crate::experiment::bounds::MAX_TRACE_SPANS;
use crate::i18n::Catalogue;
use serde::{Deserialize, Serialize};

/// A thread of the timeline: the page's main thread, pool worker `i`,
/// process `i` of the process-style pool, or thread `i` of the default
/// executor that `asyncio.to_thread` hands calls to (0-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Lane {
    /// The page's main thread (the event loop).
    Main,
    /// Pool worker `i`, counted from 0.
    Worker(u16),
    /// Process `i` of the process-style pool, counted from 0: a worker with
    /// its own memory.
    Process(u16),
    /// Thread `i` of the default executor (`asyncio.to_thread`), counted
    /// from 0: where a blocking call waits, off the event loop.
    Thread(u16),
}

impl Lane {
    /// Stable name used in JSON: `main`, `worker-3`, `process-1` or `thread-0`.
    pub fn token(self) -> String {
        match self {
            Lane::Main => "main".to_owned(),
            Lane::Worker(i) => format!("worker-{i}"),
            Lane::Process(i) => format!("process-{i}"),
            Lane::Thread(i) => format!("thread-{i}"),
        }
    }

    /// Thread id in Chrome traces: 0 for main, `i + 1` for worker `i`,
    /// `1001 + i` for process `i`, `2001 + i` for executor thread `i`.
    pub fn tid(self) -> u32 {
        match self {
            Lane::Main => 0,
            Lane::Worker(i) => u32::from(i) + 1,
            Lane::Process(i) => u32::from(i) + 1001,
            Lane::Thread(i) => u32::from(i) + 2001,
        }
    }

    /// The lane's name for people, in `text`'s language: `main thread`,
    /// `worker 1`, `process 1`, `thread 1`.
    pub fn label(self, text: &Catalogue) -> String {
        match self {
            Lane::Main => text.get("lane.main"),
            Lane::Worker(i) => text.fill("lane.worker", &[("n", &(u32::from(i) + 1))]),
            Lane::Process(i) => text.fill("lane.process", &[("n", &(u32::from(i) + 1))]),
            Lane::Thread(i) => text.fill("lane.thread", &[("n", &(u32::from(i) + 1))]),
        }
    }

    /// The lane's name in trace files (a thread name, in English):
    /// `main thread`, `worker 1`, `process 1`, `thread 1`.
    pub fn trace_name(self) -> String {
        match self {
            Lane::Main => "main thread".to_owned(),
            Lane::Worker(i) => format!("worker {}", u32::from(i) + 1),
            Lane::Process(i) => format!("process {}", u32::from(i) + 1),
            Lane::Thread(i) => format!("thread {}", u32::from(i) + 1),
        }
    }
}

impl From<Lane> for String {
    fn from(l: Lane) -> String {
        l.token()
    }
}

impl TryFrom<String> for Lane {
    type Error = String;
    fn try_from(s: String) -> Result<Lane, String> {
        if s == "main" {
            return Ok(Lane::Main);
        }
        let number = |prefix: &str| s.strip_prefix(prefix).and_then(|i| i.parse::<u16>().ok());
        number("worker-")
            .map(Lane::Worker)
            .or_else(|| number("process-").map(Lane::Process))
            .or_else(|| number("thread-").map(Lane::Thread))
            .ok_or_else(|| format!("unknown lane “{s}”"))
    }
}

/// What a span of a task was doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SpanKind {
    /// Computing.
    Cpu,
    /// Waiting for I/O (drawn differently: nothing runs).
    IoWait,
    /// Submitted but waiting for a free worker.
    Queued,
    /// The main thread held by a parallel job it waits for (spinning): it
    /// answers nothing and computes nothing of the task itself.
    Blocked,
    /// The instant the event loop handled the task's result (an instant:
    /// start = end), as `asyncio.as_completed` hands them over.
    Handled,
    /// A process of the process-style pool starting: a worker and an
    /// instance of the module over fresh memory.
    Startup,
    /// A task's arguments or result travelling between the page and a
    /// process by message (copied, as pickled data between processes).
    Transfer,
}

/// How the task the span belongs to ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Finished normally.
    Ok,
    /// Finished with an error.
    Error,
    /// Cancelled before finishing.
    Cancelled,
}

/// One segment of one task on one lane.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// Task number in the run (I/O tasks first, then CPU tasks).
    pub task: u32,
    /// Lane it ran on.
    pub lane: Lane,
    /// What it was doing.
    pub kind: SpanKind,
    /// Start, in µs since the run began (page time origin).
    pub start_us: u64,
    /// End, in µs since the run began; not before `start_us`.
    pub end_us: u64,
    /// How the task ended.
    pub outcome: Outcome,
}

impl Span {
    /// Length of the span, in µs.
    pub fn duration_us(&self) -> u64 {
        self.end_us.saturating_sub(self.start_us)
    }
}

/// The task number of spans that belong to no task (a process starting).
pub const NO_TASK: u32 = u32::MAX;

/// Each task's extent in `spans`: (first start, last end) in µs, whole
/// (not cut at the wait's return, unlike the figures' tally), so a task that
/// ran on after the wait returned shows where it really ended.
pub fn task_extents(spans: &[Span]) -> std::collections::HashMap<u32, (u64, u64)> {
    let mut out: std::collections::HashMap<u32, (u64, u64)> = std::collections::HashMap::new();
    for s in spans
        .iter()
        .filter(|s| s.kind != SpanKind::Handled && s.task != NO_TASK)
    {
        let e = out.entry(s.task).or_insert((s.start_us, s.end_us));
        e.0 = e.0.min(s.start_us);
        e.1 = e.1.max(s.end_us);
    }
    out
}

/// Spans merged for drawing: a span of the same task, lane, kind and outcome
/// that starts at most `gap_us` after the previous one ended extends it, so
/// the chunks of a cooperative task (a yield apart) draw as one bar.
pub fn coalesce(spans: &[Span], gap_us: u64) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::with_capacity(spans.len().min(4_096));
    let mut last: std::collections::HashMap<(u32, Lane, SpanKind), usize> =
        std::collections::HashMap::new();
    for span in spans {
        let key = (span.task, span.lane, span.kind);
        match last.get(&key).map(|&i| &mut out[i]) {
            Some(prev)
                if prev.outcome == span.outcome
                    && span.start_us >= prev.start_us
                    && span.start_us <= prev.end_us.saturating_add(gap_us) =>
            {
                prev.end_us = prev.end_us.max(span.end_us);
            }
            _ => {
                last.insert(key, out.len());
                out.push(*span);
            }
        }
    }
    out
}

/// A span that ended well, for tests.
#[cfg(test)]
pub(crate) fn ok_span(task: u32, lane: Lane, kind: SpanKind, start_us: u64, end_us: u64) -> Span {
    Span {
        task,
        lane,
        kind,
        start_us,
        end_us,
        outcome: Outcome::Ok,
    }
}

/// Each lane of `lanes` once, in order (main, workers, processes, executor threads).
///
/// Kept sorted as it is built: a run has a few lanes and many spans, and a
/// general sort of `Lane`s would add its own copy of the sort code to the wasm.
pub fn lanes_in_order(lanes: impl IntoIterator<Item = Lane>) -> Vec<Lane> {
    let mut out: Vec<Lane> = Vec::new();
    for lane in lanes {
        if let Err(at) = out.binary_search(&lane) {
            out.insert(at, lane);
        }
    }
    out
}

/// The spans of one run, capped at [`MAX_TRACE_SPANS`] so memory stays bounded.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Trace {
    /// The experiment, as its URL query string.
    pub experiment: String,
    /// Spans in the order recorded.
    pub spans: Vec<Span>,
    /// Spans refused because the cap was reached.
    pub dropped_spans: u64,
}

impl Trace {
    /// An empty trace of the experiment with query string `experiment`.
    pub fn new(experiment: impl Into<String>) -> Trace {
        Trace {
            experiment: experiment.into(),
            ..Trace::default()
        }
    }

    /// Records a span (an end before the start is moved to the start); false if the cap dropped it.
    pub fn push(&mut self, mut span: Span) -> bool {
        if self.spans.len() as u64 >= MAX_TRACE_SPANS {
            self.dropped_spans = self.dropped_spans.saturating_add(1);
            return false;
        }
        span.end_us = span.end_us.max(span.start_us);
        self.spans.push(span);
        true
    }

    /// First start and last end over all spans, in µs (`(0, 0)` when empty).
    pub fn bounds_us(&self) -> (u64, u64) {
        let start = self.spans.iter().map(|s| s.start_us).min().unwrap_or(0);
        let end = self.spans.iter().map(|s| s.end_us).max().unwrap_or(0);
        (start, end)
    }

    /// The lanes that appear, main first.
    pub fn lanes(&self) -> Vec<Lane> {
        lanes_in_order(self.spans.iter().map(|s| s.lane))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_are_named_for_people_in_each_language_and_in_english_in_traces() {
        let en = crate::i18n::shipped(crate::i18n::Lang::En).expect("English");
        let fr = crate::i18n::shipped(crate::i18n::Lang::Fr).expect("French");
        let lanes = [
            Lane::Main,
            Lane::Worker(0),
            Lane::Process(2),
            Lane::Thread(1),
        ];
        let names = |text: &Catalogue| lanes.map(|l| l.label(text));
        assert_eq!(
            names(&en),
            ["main thread", "worker 1", "process 3", "thread 2"]
        );
        assert_eq!(
            names(&fr),
            ["fil principal", "worker 1", "processus 3", "thread 2"]
        );
        assert_eq!(
            lanes.map(Lane::trace_name),
            ["main thread", "worker 1", "process 3", "thread 2"]
        );
        assert_eq!(lanes.map(Lane::tid), [0, 1, 1003, 2002]);
    }

    #[test]
    fn a_tasks_extent_spans_all_of_its_spans() {
        let span = |task, start_us, end_us| Span {
            task,
            lane: Lane::Worker(0),
            kind: SpanKind::Cpu,
            start_us,
            end_us,
            outcome: Outcome::Ok,
        };
        let extents = task_extents(&[
            span(1, 50, 80),
            span(0, 10, 20),
            span(1, 30, 40),
            span(0, 90, 300),
        ]);
        assert_eq!(extents.get(&0), Some(&(10, 300)));
        assert_eq!(extents.get(&1), Some(&(30, 80)));
        assert_eq!(extents.get(&2), None);
    }
    use crate::experiment::bounds::SPAN_BYTES;

    #[test]
    fn span_fits_the_memory_allowance() {
        assert!(std::mem::size_of::<Span>() as u64 <= SPAN_BYTES);
    }

    #[test]
    fn lanes_round_trip_their_token() {
        for lane in [
            Lane::Main,
            Lane::Worker(0),
            Lane::Worker(63),
            Lane::Thread(3),
        ] {
            assert_eq!(Lane::try_from(lane.token()), Ok(lane));
        }
        assert!(Lane::try_from("worker-x".to_owned()).is_err());
        assert!(Lane::Main < Lane::Worker(0));
    }

    #[test]
    fn push_fixes_inverted_spans() {
        let mut t = Trace::new("w=io");
        t.push(Span {
            task: 1,
            lane: Lane::Main,
            kind: SpanKind::IoWait,
            start_us: 50,
            end_us: 10,
            outcome: Outcome::Ok,
        });
        assert_eq!(t.spans[0].duration_us(), 0);
        assert_eq!(t.bounds_us(), (50, 50));
    }

    #[test]
    fn coalescing_merges_a_task_s_close_chunks_only() {
        let span = |task, lane, start_us, end_us| Span {
            task,
            lane,
            kind: SpanKind::Cpu,
            start_us,
            end_us,
            outcome: Outcome::Ok,
        };
        let spans = [
            span(0, Lane::Main, 0, 100),
            span(0, Lane::Main, 130, 200),
            span(1, Lane::Main, 210, 300),
            span(0, Lane::Main, 400, 500),
            span(0, Lane::Worker(0), 500, 600),
        ];
        let merged = coalesce(&spans, 50);
        assert_eq!(
            merged
                .iter()
                .map(|s| (s.task, s.start_us, s.end_us))
                .collect::<Vec<_>>(),
            [(0, 0, 200), (1, 210, 300), (0, 400, 500), (0, 500, 600)]
        );
        assert_eq!(coalesce(&spans, 0).len(), 5);
    }
}
