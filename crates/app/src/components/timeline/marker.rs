//! The wait's return on the timeline: when it returned, which tasks made it
//! return (core's `report::wait_return`), and which were still pending; drawn
//! as a line with an arrow from the end of each task that made it return.

use std::rc::Rc;

use overlap_core::i18n::Catalogue;
use overlap_core::trace::{task_names, Cause, Span, WaitReturn};
use yew::prelude::*;

use super::layout::Layout;
use crate::format;

/// The wait's return on the timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct WaitMarker {
    /// When it returned, µs.
    pub at_us: u64,
    /// Why (in words: [`WaitMarker::label`]).
    pub cause: Cause,
    /// The tasks that made it return (none for a timeout or a cancel).
    pub tasks: Vec<u32>,
    /// The tasks still pending when it returned, ascending.
    pub pending: Rc<[u32]>,
}

/// The wait's return for the timeline, with the tasks still pending then
/// (`pending`, any order; empty for a run read back from a file).
pub fn wait_marker(wait: &WaitReturn, pending: &[u32]) -> WaitMarker {
    let mut pending = pending.to_vec();
    pending.sort_unstable();
    WaitMarker {
        at_us: wait.at_us,
        cause: wait.cause,
        tasks: wait.tasks.clone(),
        pending: Rc::from(pending),
    }
}

impl WaitMarker {
    /// When the wait returned and why, in words, with the tasks still
    /// pending then.
    pub fn label(&self, text: &Catalogue) -> String {
        let why = text.get(match self.cause {
            Cause::FirstCompleted => "timeline.marker.first_completed",
            Cause::FirstException => "timeline.marker.first_exception",
            Cause::AllCompleted => "timeline.marker.all_completed",
            Cause::Timeout => "timeline.marker.timeout",
            Cause::Cancelled => "timeline.marker.cancelled",
        });
        let ms = format::ms(text.lang(), self.at_us as f64 / 1000.0);
        let returned = if self.tasks.is_empty() {
            text.fill("timeline.marker.returned", &[("ms", &ms), ("why", &why)])
        } else {
            text.fill(
                "timeline.marker.returned.tasks",
                &[
                    ("ms", &ms),
                    ("why", &why),
                    ("tasks", &task_names(text, &self.tasks, 6)),
                ],
            )
        };
        if self.pending.is_empty() {
            returned
        } else {
            let still = text.fill(
                "timeline.marker.pending",
                &[("tasks", &task_names(text, &self.pending, 6))],
            );
            format!("{returned} {still}")
        }
    }

    /// The marker over `spans`, drawn by `layout` and `x` (µs to SVG units).
    pub(super) fn draw(
        &self,
        text: &Catalogue,
        spans: &[Span],
        layout: &Layout,
        x: &dyn Fn(u64) -> f64,
    ) -> Html {
        let mx = x(self.at_us);
        // An arrow from the end of each task that made the wait return.
        let arrows = self.tasks.iter().filter_map(|&task| {
            let end = spans
                .iter()
                .filter(|s| s.task == task)
                .max_by_key(|s| s.end_us)?;
            // From the middle of the task's last bar (its row, with task rows).
            let (bar_y, bar_h) = layout.bar(end);
            let (ex, ey) = (x(end.end_us), bar_y + bar_h / 2.0);
            Some(html! {
                <line class="cause-arrow" x1={format!("{ex:.1}")} y1={format!("{ey:.1}")}
                      x2={format!("{:.1}", mx - 1.0)} y2="6" marker-end="url(#arrow-head)" />
            })
        });
        let plot_h = layout.plot_h;
        html! {
            <g class="wait-marker" data-testid="wait-marker">
                <line class="wait-line" x1={format!("{mx:.2}")} x2={format!("{mx:.2}")} y1="0" y2={format!("{plot_h:.1}")} />
                { for arrows }
                <title>{ self.label(text) }</title>
            </g>
        }
    }
}
