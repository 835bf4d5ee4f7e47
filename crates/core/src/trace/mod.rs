//! Traces of a run: spans on lanes, and their export to JSON and Chrome's trace format.

pub mod export;
pub mod model;
mod process_costs;

pub use export::{from_json, to_chrome_trace, to_json, TraceError, SCHEMA, SCHEMA_VERSION};
pub use model::{coalesce, task_extents, Lane, Outcome, Span, SpanKind, Trace, NO_TASK};
pub use process_costs::{process_costs, ProcessCosts};
