//! The timeline's lanes from top to bottom: for a run of at most
//! `MAX_TASK_ROWS` tasks, core's `trace::rows` (a row per task under its
//! thread); else the loop's lane (twice as tall when its concurrent waits
//! need sub-rows) and a lane per worker or process; then the GIL holder's
//! lane in GIL mode, and the axis. Where each bar sits, and the lanes' rules
//! and labels.

use overlap_core::i18n::Catalogue;
use overlap_core::trace::rows::{task_rows, TaskRows, HEADER_H};
use overlap_core::trace::{lanes_in_order, Lane, Span, SpanKind};
use yew::prelude::*;

use super::{band, Frame, LANE_H};

/// Sub-rows of the main lane for concurrent waits, so that they do not all
/// draw over one another.
const IO_ROWS: u32 = 8;

/// Whether `s` is drawn in the main lane's sub-rows: an I/O task's time in
/// a queue (a semaphore, the executor) shares its row with its wait, so the
/// two read as one task. A blocking call's wait is on its executor thread's
/// lane, one at a time, and needs none.
pub(super) fn in_io_row(s: &Span) -> bool {
    matches!(s.kind, SpanKind::IoWait | SpanKind::Queued) && s.lane == Lane::Main
}

/// The lanes of one drawing and their heights (SVG units).
pub(super) struct Layout {
    /// The lanes, top to bottom.
    pub(super) lanes: Vec<Lane>,
    /// Sub-rows of the main lane (1: none).
    io_rows: u32,
    /// Height of the main lane; the worker lanes follow it.
    main_h: f64,
    /// A row per task, when the run has few enough tasks.
    pub(super) rows: Option<TaskRows>,
    /// Top of the GIL holder's lane (drawn only in GIL mode).
    pub(super) gil_y: f64,
    /// Bottom of the last lane.
    pub(super) plot_h: f64,
    /// Height of the drawing: the lanes and the ticks' ends (the labels
    /// have a strip of their own, `axis::label_strip`).
    pub(super) height: f64,
}

impl Layout {
    /// The lanes of `spans`, with `workers` worker lanes even when idle and
    /// a lane for the GIL's holder when `gil`.
    pub(super) fn new(spans: &[Span], workers: usize, gil: bool) -> Layout {
        let lanes: Vec<Lane> = lanes_in_order(
            std::iter::once(Lane::Main)
                .chain((0..workers).map(|i| Lane::Worker(u16::try_from(i).unwrap_or(u16::MAX))))
                .chain(spans.iter().map(|s| s.lane)),
        );
        let io_rows = spans
            .iter()
            .filter(|s| in_io_row(s))
            .map(|s| s.task)
            .max()
            .map_or(1, |m| (m + 1).min(IO_ROWS));
        // The main lane grows with its sub-rows; the worker lanes follow it.
        let main_h = if io_rows > 1 { LANE_H * 2.0 } else { LANE_H };
        let rows = task_rows(spans, &lanes);
        let gil_y = rows
            .as_ref()
            .map_or(main_h + LANE_H * (lanes.len() - 1) as f64, |r| r.height);
        let plot_h = gil_y + if gil { LANE_H } else { 0.0 };
        Layout {
            lanes,
            io_rows,
            main_h,
            rows,
            gil_y,
            plot_h,
            height: plot_h + 4.0,
        }
    }

    /// The height of `lane` (with its tasks' rows).
    pub(super) fn lane_h(&self, lane: Lane) -> f64 {
        if let Some(rows) = &self.rows {
            rows.group(lane).map_or(HEADER_H, |g| g.height)
        } else if lane == Lane::Main {
            self.main_h
        } else {
            LANE_H
        }
    }

    /// The top of `lane`.
    pub(super) fn lane_y(&self, lane: Lane) -> f64 {
        if let Some(rows) = &self.rows {
            return rows.group(lane).map_or(0.0, |g| g.top);
        }
        let index = self.lanes.iter().position(|l| *l == lane).unwrap_or(0);
        if index == 0 {
            0.0
        } else {
            self.main_h + LANE_H * (index - 1) as f64
        }
    }

    /// The top and height of `span`'s bar.
    pub(super) fn bar(&self, span: &Span) -> (f64, f64) {
        if let Some(bar) = self.rows.as_ref().and_then(|r| r.bar(span)) {
            return bar;
        }
        let (lane_y, lane_h) = (self.lane_y(span.lane), self.lane_h(span.lane));
        if span.kind == SpanKind::Handled {
            // An instant: a tick across the loop's lane.
            (lane_y, lane_h)
        } else if in_io_row(span) && self.io_rows > 1 {
            let row_h = (lane_h - 6.0) / f64::from(self.io_rows);
            (
                lane_y + 3.0 + row_h * f64::from(span.task % self.io_rows),
                row_h - 1.0,
            )
        } else {
            (lane_y + 4.0, lane_h - 8.0)
        }
    }

    /// Where the density band is drawn: across the plot, in the main lane.
    pub(super) fn band_area(&self, frame: Frame) -> band::Area {
        band::Area {
            x: frame.label_w,
            width: frame.plot_w,
            y: self.lane_y(Lane::Main) + 3.0,
            height: self.lane_h(Lane::Main) - 6.0,
        }
    }

    /// Each lane's rule under it and its name left of the plot.
    pub(super) fn labels<'a>(
        &'a self,
        text: &'a Catalogue,
        frame: Frame,
    ) -> impl Iterator<Item = Html> + 'a {
        let (label_w, plot_w) = (frame.label_w, frame.plot_w);
        self.lanes.iter().map(move |&lane| {
            let (lane_y, lane_h) = (self.lane_y(lane), self.lane_h(lane));
            // With task rows, the name is in the lane's own row, at its top.
            let y = lane_y + if self.rows.is_some() { HEADER_H } else { lane_h } / 2.0 + 4.0;
            let name = match lane {
                Lane::Main => text.get("timeline.lane.main"),
                other => other.label(text),
            };
            html! {
                <>
                    <line class="lane" x1={label_w.to_string()} x2={(label_w + plot_w).to_string()}
                          y1={format!("{:.1}", lane_y + lane_h)} y2={format!("{:.1}", lane_y + lane_h)} />
                    <text class="lane-label" x="4" y={format!("{y:.1}")}>{ name }</text>
                </>
            }
        })
    }
}
