//! The timeline: one lane per thread, a bar per task segment; waits, CPU work
//! and queueing drawn differently; failures and cancellations marked.

use std::rc::Rc;

use overlap_core::trace::{Lane, Outcome, Span, SpanKind, NO_TASK};
use yew::prelude::*;

use crate::format;

/// Most bars drawn; beyond, the timeline says how many it left out (a DOM of
/// 100,000 bars would freeze the page it is meant to watch).
pub const MAX_BARS: usize = 1_500;

const LABEL_W: f64 = 90.0;
const PLOT_W: f64 = 910.0;
const LANE_H: f64 = 30.0;
/// Sub-rows of the main lane for concurrent waits, so that they do not all
/// draw over one another.
const IO_ROWS: u32 = 8;

/// Inputs of [`Timeline`].
#[derive(Properties, Clone)]
pub struct TimelineProps {
    /// Spans so far (µs from the run's start).
    pub spans: Rc<Vec<Span>>,
    /// Worker lanes to draw even when idle.
    pub workers: usize,
    /// Whether the run is still going (the scale then grows).
    pub live: bool,
    /// Spans recorded in all (`spans` may hold only the first ones).
    pub total: usize,
    /// A GIL-mode run: a lane shows which task holds the GIL (its workers'
    /// CPU spans are exactly the holds).
    #[prop_or_default]
    pub gil: bool,
}

impl PartialEq for TimelineProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.spans, &other.spans)
            && self.spans.len() == other.spans.len()
            && self.workers == other.workers
            && self.live == other.live
            && self.total == other.total
            && self.gil == other.gil
    }
}

fn kind_name(kind: SpanKind) -> &'static str {
    match kind {
        SpanKind::Cpu => "CPU",
        SpanKind::IoWait => "I/O wait",
        SpanKind::Queued => "queued",
        SpanKind::Blocked => "main thread blocked, waiting for the pool",
        SpanKind::Handled => "result handled",
        SpanKind::Startup => "process starting",
        SpanKind::Transfer => "copy between the page and a process",
    }
}

fn outcome_name(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Ok => "ok",
        Outcome::Error => "error",
        Outcome::Cancelled => "cancelled",
    }
}

/// Describes a span in words (tooltip, screen readers, the detail line).
pub fn describe(span: &Span) -> String {
    let lane = span.lane.label();
    if span.task == NO_TASK {
        return format!(
            "{} starting · {}–{} ms ({} ms)",
            lane,
            format::ms(span.start_us as f64 / 1000.0),
            format::ms(span.end_us as f64 / 1000.0),
            format::ms(span.duration_us() as f64 / 1000.0),
        );
    }
    format!(
        "Task {} · {} on the {} · {}–{} ms ({} ms) · {}",
        span.task + 1,
        kind_name(span.kind),
        lane,
        format::ms(span.start_us as f64 / 1000.0),
        format::ms(span.end_us as f64 / 1000.0),
        format::ms(span.duration_us() as f64 / 1000.0),
        outcome_name(span.outcome),
    )
}

/// The lanes and bars, with a detail line for the bar under the pointer or focus.
#[function_component(Timeline)]
pub fn timeline(props: &TimelineProps) -> Html {
    let selected = use_state(|| None::<Span>);
    let mut lanes: Vec<Lane> = std::iter::once(Lane::Main)
        .chain((0..props.workers).map(|i| Lane::Worker(u16::try_from(i).unwrap_or(u16::MAX))))
        .collect();
    for span in props.spans.iter() {
        if !lanes.contains(&span.lane) {
            lanes.push(span.lane);
        }
    }
    lanes.sort();
    let end_us = props
        .spans
        .iter()
        .map(|s| s.end_us)
        .max()
        .unwrap_or(0)
        .max(1);
    let x = |us: u64| LABEL_W + PLOT_W * us as f64 / end_us as f64;
    // An I/O task's time in a queue (a semaphore, the executor) shares its
    // row with its wait, so the two read as one task.
    let in_io_row = |s: &Span| {
        s.kind == SpanKind::IoWait || (s.kind == SpanKind::Queued && s.lane == Lane::Main)
    };
    let io_rows = props
        .spans
        .iter()
        .filter(|s| in_io_row(s))
        .map(|s| s.task)
        .max()
        .map_or(1, |m| (m + 1).min(IO_ROWS));
    // The main lane grows with its sub-rows; the worker lanes follow it.
    let main_h = if io_rows > 1 { LANE_H * 2.0 } else { LANE_H };
    let lane_h = |lane: Lane| if lane == Lane::Main { main_h } else { LANE_H };
    let gil_y = main_h + LANE_H * (lanes.len() - 1) as f64;
    let height = gil_y + if props.gil { LANE_H } else { 0.0 } + 20.0;
    let lane_y = |lane: Lane| {
        let index = lanes.iter().position(|l| *l == lane).unwrap_or(0);
        if index == 0 {
            0.0
        } else {
            main_h + LANE_H * (index - 1) as f64
        }
    };
    let shown = props.spans.len().min(MAX_BARS);

    let bars = props.spans.iter().take(MAX_BARS).map(|span| {
        let (x0, x1) = (x(span.start_us), x(span.end_us));
        let (y, h) = if span.kind == SpanKind::Handled {
            // An instant: a tick across the loop's lane.
            (lane_y(span.lane), lane_h(span.lane))
        } else if in_io_row(span) && io_rows > 1 {
            let row_h = (lane_h(span.lane) - 6.0) / f64::from(io_rows);
            (lane_y(span.lane) + 3.0 + row_h * f64::from(span.task % io_rows), row_h - 1.0)
        } else {
            (lane_y(span.lane) + 4.0, lane_h(span.lane) - 8.0)
        };
        let class = classes!(
            "bar",
            match span.kind {
                SpanKind::Cpu => "cpu",
                SpanKind::IoWait => "io",
                SpanKind::Queued => "queued",
                SpanKind::Blocked => "blocked",
                SpanKind::Handled => "handled",
                SpanKind::Startup => "startup",
                SpanKind::Transfer => "transfer",
            },
            match span.outcome {
                Outcome::Ok => None,
                Outcome::Error => Some("error"),
                Outcome::Cancelled => Some("cancelled"),
            }
        );
        let text = describe(span);
        let (enter, focus) = {
            let (a, b) = (selected.clone(), selected.clone());
            let span = *span;
            (Callback::from(move |_: MouseEvent| a.set(Some(span))), Callback::from(move |_: FocusEvent| b.set(Some(span))))
        };
        html! {
            <rect {class} x={format!("{x0:.2}")} y={format!("{y:.1}")}
                width={format!("{:.2}", (x1 - x0).max(1.0))} height={format!("{h:.1}")}
                tabindex="0" role="img" aria-label={text.clone()} onmouseenter={enter} onfocus={focus}>
                <title>{ text }</title>
            </rect>
        }
    });
    let holds = props
        .spans
        .iter()
        .take(MAX_BARS)
        .filter(|s| props.gil && s.kind == SpanKind::Cpu && matches!(s.lane, Lane::Worker(_)))
        .map(|span| {
            let (x0, x1) = (x(span.start_us), x(span.end_us));
            // A hue per task, so that turns show as alternating colours.
            let hue = (span.task * 137) % 360;
            let text = format!(
                "Task {} holds the GIL · {}–{} ms",
                span.task + 1,
                format::ms(span.start_us as f64 / 1000.0),
                format::ms(span.end_us as f64 / 1000.0)
            );
            html! {
                <rect class="bar gil" x={format!("{x0:.2}")} y={format!("{:.1}", gil_y + 4.0)}
                    width={format!("{:.2}", (x1 - x0).max(1.0))} height={format!("{:.1}", LANE_H - 8.0)}
                    style={format!("fill: hsl({hue} 60% 50%)")} role="img" aria-label={text.clone()}>
                    <title>{ text }</title>
                </rect>
            }
        });
    let gil_label = props.gil.then(|| {
        html! {
            <>
                <line class="lane" x1={LABEL_W.to_string()} x2={(LABEL_W + PLOT_W).to_string()}
                      y1={format!("{:.1}", gil_y + LANE_H)} y2={format!("{:.1}", gil_y + LANE_H)} />
                <text class="lane-label" x="4" y={format!("{:.1}", gil_y + LANE_H / 2.0 + 4.0)}>{ "GIL holder" }</text>
            </>
        }
    });
    let lane_labels = lanes.iter().map(|&lane| {
        let y = lane_y(lane) + lane_h(lane) / 2.0 + 4.0;
        let name = match lane {
            Lane::Main => "main".to_owned(),
            other => other.label(),
        };
        html! {
            <>
                <line class="lane" x1={LABEL_W.to_string()} x2={(LABEL_W + PLOT_W).to_string()}
                      y1={format!("{:.1}", lane_y(lane) + lane_h(lane))} y2={format!("{:.1}", lane_y(lane) + lane_h(lane))} />
                <text class="lane-label" x="4" y={format!("{y:.1}")}>{ name }</text>
            </>
        }
    });
    html! {
        <figure class="timeline" data-testid="timeline" data-spans={props.total.to_string()}>
            <svg viewBox={format!("0 0 1000 {height:.0}")} aria-label="Timeline of the run">
                <defs>
                    <pattern id="blocked-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                        <rect width="2" height="6" fill="var(--bad)" />
                    </pattern>
                </defs>
                { for lane_labels }
                { for gil_label }
                { for bars }
                { for holds }
                <text class="axis" x={LABEL_W.to_string()} y={format!("{:.0}", height - 4.0)}>{ "0 ms" }</text>
                <text class="axis" x="996" text-anchor="end" y={format!("{:.0}", height - 4.0)}>
                    { format!("{} ms{}", format::ms(end_us as f64 / 1000.0), if props.live { " …" } else { "" }) }
                </text>
            </svg>
            <figcaption>
                <span class="key cpu">{ "CPU" }</span>
                <span class="key io">{ "I/O wait" }</span>
                <span class="key queued">{ "queued" }</span>
                <span class="key blocked">{ "main thread blocked" }</span>
                <span class="key error">{ "failed" }</span>
                <span class="key cancelled">{ "cancelled" }</span>
                if props.spans.iter().any(|s| s.kind == SpanKind::Handled) {
                    <span class="key handled">{ "result handled" }</span>
                }
                if props.spans.iter().any(|s| s.kind == SpanKind::Transfer) {
                    <span class="key startup">{ "process starting" }</span>
                    <span class="key transfer">{ "copy to or from a process" }</span>
                }
                if props.total > shown {
                    <span class="note">{ format!("showing {} of {} bars", format::thousands(shown as u64), format::thousands(props.total as u64)) }</span>
                }
            </figcaption>
            <p class="span-detail" aria-live="polite">
                { selected.as_ref().map_or_else(|| "Point at or tab to a bar to see its task, times and outcome.".to_owned(), describe) }
            </p>
        </figure>
    }
}
