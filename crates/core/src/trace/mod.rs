//! Traces of a run: spans on lanes, and their export to JSON and Chrome's trace format.
//!
//! [`coalesce`] merges a task's close spans for drawing; `axis` gives the
//! timeline's ticks and its zoom [`Window`]; `density` counts the waits in
//! flight per column (the band drawn for 300+ waits); `replay` reads a run at
//! one instant ([`moment`]) and says why the wait returned ([`wait_cause`]);
//! `chrome` writes Chrome trace events, with the wait's return and its flows;
//! `export` our own JSON, whose version 2 carries the run's [`RunContext`];
//! `rows` gives each task of a small run its own row, under its thread.

pub mod axis;
pub mod chrome;
pub mod density;
pub mod export;
pub mod model;
mod process_costs;
pub mod replay;
pub mod rows;

pub use axis::{ticks, Tick, Window};
pub use chrome::to_chrome_trace;
pub use density::{density, Density};
pub use export::{
    from_json, read, to_json, Python, RunContext, TraceError, OLDEST_VERSION, SCHEMA,
    SCHEMA_VERSION,
};
pub use model::{
    coalesce, lanes_in_order, task_extents, Lane, Outcome, Span, SpanKind, Trace, NO_TASK,
};
pub use process_costs::{process_costs, ProcessCosts};
pub use replay::{
    failed_tasks, moment, task_names, wait_cause, Cause, LaneActivity, Moment, WaitReturn,
};
