//! The timeline's rows for a run of few tasks: each task its own row,
//! grouped under the lane (thread) it ran on, like Perfetto's async tracks,
//! so that tasks can be counted and a sequential run reads as a staircase,
//! a concurrent one as a block.
//!
//! A task's row holds all of its pieces, whatever lane each ran on: its time
//! queued, its waits, its CPU spans, its copies, the loop's handling of its
//! result. The row sits under the task's *home* lane: the first lane (in
//! [`lanes_in_order`]'s order) where it computed, else where it waited on
//! I/O, else any lane it has a span on; a task split over several workers is
//! therefore one row under its first worker. Each lane keeps a header row of
//! its own, with its name and the spans of no task (a process starting), so
//! that an idle thread still shows. Above [`MAX_TASK_ROWS`] tasks the
//! timeline draws lanes instead (the density band for thousands of waits).

use super::model::{lanes_in_order, Lane, Span, SpanKind, NO_TASK};

/// Most tasks drawn one row each; a run of more draws one lane per thread.
pub const MAX_TASK_ROWS: usize = 64;

/// Height of one task's row, px: room for a bar and its kind's pattern.
pub const ROW_H: f64 = 12.0;

/// Height of a lane's own row (its name, the spans of no task), px.
pub const HEADER_H: f64 = 18.0;

/// Narrowest a bar is drawn, px, so that a short span (a copy, a result
/// handled) stays visible and its colour readable.
pub const MIN_BAR_W: f64 = 2.0;

/// The drawn width of a bar from `x0` to `x1`: at least [`MIN_BAR_W`].
pub fn bar_width(x0: f64, x1: f64) -> f64 {
    let w = x1 - x0;
    if w.is_finite() {
        w.max(MIN_BAR_W)
    } else {
        MIN_BAR_W
    }
}

/// One task's row.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TaskRow {
    /// The task.
    pub task: u32,
    /// Its home lane, the group the row is drawn under.
    pub lane: Lane,
    /// Top of the row, px from the top of the drawing.
    pub top: f64,
}

/// A lane and the rows of the tasks at home on it.
#[derive(Clone, Debug, PartialEq)]
pub struct LaneGroup {
    /// The lane.
    pub lane: Lane,
    /// Top of its header row, px.
    pub top: f64,
    /// Its header and its tasks' rows, px.
    pub height: f64,
}

/// Every task's row and every lane's group, top to bottom.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskRows {
    /// The lanes' groups, in lane order.
    pub groups: Vec<LaneGroup>,
    /// The tasks' rows, top to bottom.
    pub rows: Vec<TaskRow>,
    /// Bottom of the last group, px.
    pub height: f64,
}

impl TaskRows {
    /// The row of `task`, if it has one.
    pub fn row(&self, task: u32) -> Option<&TaskRow> {
        self.rows.iter().find(|r| r.task == task)
    }

    /// The group of `lane`, if it is drawn.
    pub fn group(&self, lane: Lane) -> Option<&LaneGroup> {
        self.groups.iter().find(|g| g.lane == lane)
    }

    /// Top and height of `span`'s bar: inside its task's row, or inside its
    /// lane's header for a span of no task.
    pub fn bar(&self, span: &Span) -> Option<(f64, f64)> {
        if span.kind == SpanKind::Handled {
            // An instant: a tick across the row.
            return self.row(span.task).map(|r| (r.top, ROW_H));
        }
        match self.row(span.task) {
            Some(r) => Some((r.top + 1.0, ROW_H - 2.0)),
            None => self.group(span.lane).map(|g| (g.top + 3.0, HEADER_H - 6.0)),
        }
    }
}

/// How strongly a span's lane makes it the task's home: computing first,
/// then waiting on I/O, then anything else (queued, copies, blocked).
fn home_rank(kind: SpanKind) -> u8 {
    match kind {
        SpanKind::Cpu => 0,
        SpanKind::IoWait => 1,
        _ => 2,
    }
}

/// Per task: (home rank, home lane, first start), over `spans`; `None` as
/// soon as there are more than [`MAX_TASK_ROWS`] tasks, so that a run of
/// thousands costs no more than one of 65.
fn homes(spans: &[Span]) -> Option<Vec<(u32, u8, Lane, u64)>> {
    let mut out: Vec<(u32, u8, Lane, u64)> = Vec::new();
    for s in spans.iter().filter(|s| s.task != NO_TASK) {
        let rank = home_rank(s.kind);
        // An instant of handling says nothing of when the task started.
        let start = if s.kind == SpanKind::Handled {
            u64::MAX
        } else {
            s.start_us
        };
        let full = out.len() == MAX_TASK_ROWS;
        match out.iter_mut().find(|h| h.0 == s.task) {
            Some(h) => {
                if (rank, s.lane) < (h.1, h.2) {
                    (h.1, h.2) = (rank, s.lane);
                }
                h.3 = h.3.min(start);
            }
            None if full => return None,
            None => out.push((s.task, rank, s.lane, start)),
        }
    }
    Some(out)
}

/// The rows of `spans`' tasks under `lanes` (plus every lane a span is on),
/// or `None` for a run of more than [`MAX_TASK_ROWS`] tasks. Within a
/// lane, rows go by their task's first start, then its number.
pub fn task_rows(spans: &[Span], lanes: &[Lane]) -> Option<TaskRows> {
    // In order as they are inserted (at most 64): a general sort would add
    // its own copy of the sort code to the wasm.
    let mut homes_in_order: Vec<(Lane, u64, u32)> = Vec::new();
    for h in homes(spans)? {
        let key = (h.2, h.3, h.0);
        if let Err(at) = homes_in_order.binary_search(&key) {
            homes_in_order.insert(at, key);
        }
    }
    let lanes = lanes_in_order(lanes.iter().copied().chain(spans.iter().map(|s| s.lane)));
    let (mut groups, mut rows) = (Vec::with_capacity(lanes.len()), Vec::new());
    let mut top = 0.0;
    let mut next = homes_in_order.iter().peekable();
    for lane in lanes {
        let group_top = top;
        top += HEADER_H;
        while let Some(&(_, _, task)) = next.next_if(|h| h.0 == lane) {
            rows.push(TaskRow { task, lane, top });
            top += ROW_H;
        }
        groups.push(LaneGroup {
            lane,
            top: group_top,
            height: top - group_top,
        });
    }
    Some(TaskRows {
        groups,
        rows,
        height: top,
    })
}

#[cfg(test)]
#[path = "rows_tests.rs"]
mod tests;
