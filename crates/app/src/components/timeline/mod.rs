//! The timeline: one lane per thread, a bar per task segment; waits, CPU work
//! and queueing drawn differently; failures and cancellations marked; a
//! time axis; zoom and pan (buttons, keyboard, Ctrl + wheel, dragging, pinching);
//! the wait's return with what caused it; the replay's cursor.

use std::rc::Rc;

mod band;
mod describe;
mod frame;
mod gestures;
mod gil;
mod legend;
mod live;
mod marker;

use overlap_core::trace::{lanes_in_order, ticks, Cause, Lane, Span, SpanKind, Window, NO_TASK};
use yew::prelude::*;

use describe::bar_class;
pub use describe::describe;
use frame::Frame;
pub use live::LiveTimeline;
pub use marker::wait_marker;

use crate::components::chart_table::{caption, ChartTable, TABLE_ROWS};
use crate::format;
use crate::text::use_text;
use crate::text::Words;

/// Most bars drawn; beyond, the timeline says how many it left out (a DOM of
/// 100,000 bars would freeze the page it is meant to watch).
pub const MAX_BARS: usize = 1_500;

const LANE_H: f64 = 30.0;
/// Most ticks on the time axis (fewer on a narrow plot).
const AXIS_TICKS: usize = 8;
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
    /// The time the plot spans, µs, when it is shared with another timeline
    /// (the compare view); else the run's own last end.
    #[prop_or_default]
    pub scale_end_us: Option<u64>,
    /// The replay's instant, µs, drawn as a cursor.
    #[prop_or_default]
    pub cursor_us: Option<u64>,
    /// When the wait returned and why, drawn as a marker with arrows from
    /// the tasks that made it return.
    #[prop_or_default]
    pub marker: Option<WaitMarker>,
}

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

impl PartialEq for TimelineProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.spans, &other.spans)
            && self.spans.len() == other.spans.len()
            && self.workers == other.workers
            && self.live == other.live
            && self.total == other.total
            && self.gil == other.gil
            && self.scale_end_us == other.scale_end_us
            && self.cursor_us == other.cursor_us
            && self.marker == other.marker
    }
}

/// The lanes and bars, with a detail line for the bar under the pointer or focus.
#[function_component(Timeline)]
pub fn timeline(props: &TimelineProps) -> Html {
    let text = use_text();
    let selected = use_state(|| None::<Span>);
    // The zoomed window, `None` for the whole run; a new run shows whole.
    let window = use_state(|| None::<Window>);
    {
        let window = window.clone();
        // Only when zoomed: a set re-renders, and the live view brings new
        // spans four times a second.
        use_effect_with(Rc::as_ptr(&props.spans) as usize, move |_| {
            if window.is_some() {
                window.set(None)
            }
        });
    }
    let gestures = use_mut_ref(gestures::Gestures::default);
    let svg_ref = use_node_ref();
    // The drawn width, measured after each render (the viewBox follows it).
    let drawn_px = use_state(|| 1_000.0_f64);
    {
        let (drawn_px, svg_ref) = (drawn_px.clone(), svg_ref.clone());
        use_effect(move || {
            if let Some(svg) = svg_ref.cast::<web_sys::Element>() {
                let px = svg.get_bounding_client_rect().width();
                if px > 0.0 && (px - *drawn_px).abs() > 1.0 {
                    drawn_px.set(px);
                }
            }
        });
    }
    let frame = Frame::of_width(*drawn_px);
    let (label_w, plot_w) = (frame.label_w, frame.plot_w);
    let lanes: Vec<Lane> = lanes_in_order(
        std::iter::once(Lane::Main)
            .chain((0..props.workers).map(|i| Lane::Worker(u16::try_from(i).unwrap_or(u16::MAX))))
            .chain(props.spans.iter().map(|s| s.lane)),
    );
    let end_us = props
        .scale_end_us
        .unwrap_or_else(|| props.spans.iter().map(|s| s.end_us).max().unwrap_or(0))
        .max(1);
    let view = (*window).map_or(Window::whole(end_us), |w| w.clamp_to(end_us));
    let set_view = {
        let window = window.clone();
        move |w: Window| window.set((w != Window::whole(end_us)).then_some(w))
    };
    let button = |testid: &'static str,
                  label: String,
                  title: String,
                  change: fn(Window, u64) -> Window| {
        let set_view = set_view.clone();
        let onclick = Callback::from(move |_: MouseEvent| set_view(change(view, end_us)));
        html! { <button type="button" class="secondary zoom" data-testid={testid} {onclick} title={title.clone()} aria-label={title}>{ label }</button> }
    };
    let onkeydown = {
        let set_view = set_view.clone();
        Callback::from(move |e: KeyboardEvent| {
            let next = match e.key().as_str() {
                "+" | "=" => view.zoom(2.0, 0.5, end_us),
                "-" | "_" => view.zoom(0.5, 0.5, end_us),
                "ArrowLeft" => view.pan(-0.2, end_us),
                "ArrowRight" => view.pan(0.2, end_us),
                "0" | "Home" => Window::whole(end_us),
                _ => return,
            };
            e.prevent_default();
            set_view(next);
        })
    };
    let onwheel = {
        let (set_view, svg_ref) = (set_view.clone(), svg_ref.clone());
        Callback::from(move |e: WheelEvent| {
            // Ctrl (or ⌘) + wheel zooms; the plain wheel keeps scrolling the page.
            if !(e.ctrl_key() || e.meta_key()) {
                return;
            }
            e.prevent_default();
            let svg = svg_ref.cast::<web_sys::Element>();
            if let Some((f, _)) =
                svg.and_then(|svg| gestures::plot_fraction(&svg, frame, f64::from(e.client_x())))
            {
                set_view(view.zoom(if e.delta_y() < 0.0 { 1.25 } else { 0.8 }, f, end_us));
            }
        })
    };
    // One pointer pans, two (fingers) pinch to zoom.
    let onpointerdown = {
        let (gestures, svg_ref) = (gestures.clone(), svg_ref.clone());
        Callback::from(move |e: PointerEvent| {
            if let Some(svg) = svg_ref.cast::<web_sys::Element>() {
                gestures.borrow_mut().down(&svg, &e, view);
            }
        })
    };
    let onpointermove = {
        let (gestures, set_view, svg_ref) = (gestures.clone(), set_view.clone(), svg_ref.clone());
        Callback::from(move |e: PointerEvent| {
            let svg = svg_ref.cast::<web_sys::Element>();
            let next = svg.and_then(|svg| gestures.borrow_mut().moved(&svg, frame, &e, end_us));
            if let Some(w) = next {
                set_view(w);
            }
        })
    };
    let onpointerup = {
        let gestures = gestures.clone();
        Callback::from(move |e: PointerEvent| gestures.borrow_mut().up(&e, view))
    };
    // Beyond the window a bar is cut at the plot's edge.
    let x = |us: u64| label_w + plot_w * view.fraction_of(us).clamp(-0.001, 1.001);
    let visible = |s: &&Span| s.end_us >= view.start_us && s.start_us <= view.end_us;
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
    let plot_h = gil_y + if props.gil { LANE_H } else { 0.0 };
    let height = plot_h + 20.0;
    let lane_y = |lane: Lane| {
        let index = lanes.iter().position(|l| *l == lane).unwrap_or(0);
        if index == 0 {
            0.0
        } else {
            main_h + LANE_H * (index - 1) as f64
        }
    };
    // Thousands of waits read as a density band, not as hairlines.
    let as_band = props
        .spans
        .iter()
        .filter(visible)
        .filter(|s| in_io_row(s))
        .count()
        >= band::BAND_FROM;
    let drawn = |s: &&Span| visible(s) && !(as_band && in_io_row(s));
    let in_view = props.spans.iter().filter(drawn).count();
    let shown = in_view.min(MAX_BARS);
    let density = as_band.then(|| {
        let area = band::Area {
            x: label_w,
            width: plot_w,
            y: lane_y(Lane::Main) + 3.0,
            height: main_h - 6.0,
        };
        band::band(&text, &props.spans, view, &area)
    });

    // A task still pending when the wait returned, drawn past the marker.
    let still_pending = |span: &Span| {
        props
            .marker
            .as_ref()
            .is_some_and(|m| span.end_us > m.at_us && m.pending.binary_search(&span.task).is_ok())
    };
    let bars = props.spans.iter().filter(drawn).take(MAX_BARS).map(|span| {
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
        let mut class = bar_class(span);
        // A task still pending when the wait returned: its bar beyond the marker.
        if still_pending(span) {
            class.push("pending");
        }
        // A task's number inside its bar when there is room for it.
        let label = (x1 - x0 > 28.0 && h >= 12.0 && span.task != NO_TASK).then(|| {
            html! { <text class="bar-label" x={format!("{:.1}", x0 + 3.0)} y={format!("{:.1}", y + h / 2.0 + 4.0)}>{ format!("T{}", span.task + 1) }</text> }
        });
        let said = describe(&text, span);
        let (enter, focus) = {
            let (a, b) = (selected.clone(), selected.clone());
            let span = *span;
            (Callback::from(move |_: MouseEvent| a.set(Some(span))), Callback::from(move |_: FocusEvent| b.set(Some(span))))
        };
        html! {
            <>
                <rect {class} x={format!("{x0:.2}")} y={format!("{y:.1}")}
                    width={format!("{:.2}", (x1 - x0).max(1.0))} height={format!("{h:.1}")}
                    tabindex="0" role="img" aria-label={said.clone()} onmouseenter={enter} onfocus={focus}>
                    <title>{ said }</title>
                </rect>
                { for label }
            </>
        }
    });
    let in_window = |us: u64| (0.0..=1.0).contains(&view.fraction_of(us));
    let cursor = props.cursor_us.filter(|&t| in_window(t)).map(|t| {
        let cx = format!("{:.2}", x(t));
        html! { <line class="cursor" data-testid="replay-cursor" x1={cx.clone()} x2={cx} y1="0" y2={format!("{plot_h:.1}")} /> }
    });
    let marker = props.marker.as_ref().filter(|m| in_window(m.at_us)).map(|m| {
        let mx = x(m.at_us);
        // An arrow from the end of each task that made the wait return.
        let arrows = m.tasks.iter().filter_map(|&task| {
            let end = props.spans.iter().filter(|s| s.task == task).max_by_key(|s| s.end_us)?;
            let (ex, ey) = (x(end.end_us), lane_y(end.lane) + lane_h(end.lane) / 2.0);
            Some(html! {
                <line class="cause-arrow" x1={format!("{ex:.1}")} y1={format!("{ey:.1}")}
                      x2={format!("{:.1}", mx - 1.0)} y2="6" marker-end="url(#arrow-head)" />
            })
        });
        html! {
            <g class="wait-marker" data-testid="wait-marker">
                <line class="wait-line" x1={format!("{mx:.2}")} x2={format!("{mx:.2}")} y1="0" y2={format!("{plot_h:.1}")} />
                { for arrows }
                <title>{ m.label(&text) }</title>
            </g>
        }
    });
    let holds = props.gil.then(|| {
        let spans = props.spans.iter().filter(visible).take(MAX_BARS);
        gil::holder_lane(&text, spans, &x, gil_y, frame)
    });
    let lane_labels = lanes.iter().map(|&lane| {
        let y = lane_y(lane) + lane_h(lane) / 2.0 + 4.0;
        let name = match lane {
            Lane::Main => text.get("timeline.lane.main"),
            other => other.label(&text),
        };
        html! {
            <>
                <line class="lane" x1={label_w.to_string()} x2={(label_w + plot_w).to_string()}
                      y1={format!("{:.1}", lane_y(lane) + lane_h(lane))} y2={format!("{:.1}", lane_y(lane) + lane_h(lane))} />
                <text class="lane-label" x="4" y={format!("{y:.1}")}>{ name }</text>
            </>
        }
    });
    // Not while live: the live timeline redraws during the run, which
    // should not pay for a table it does not show.
    let table_rows = use_memo(
        (props.spans.clone(), props.live, text.clone()),
        |(spans, live, text)| {
            let shown = if *live { &spans[..0] } else { &spans[..] };
            shown
                .iter()
                .take(TABLE_ROWS)
                .map(|s| {
                    let ms = |us: u64| format::ms(us as f64 / 1000.0);
                    vec![
                        if s.task == NO_TASK {
                            "–".to_owned()
                        } else {
                            (s.task + 1).to_string()
                        },
                        describe::kind_name(text, s.kind),
                        s.lane.label(text),
                        ms(s.start_us),
                        ms(s.end_us),
                        describe::outcome_name(text, s.outcome),
                    ]
                })
                .collect::<Vec<_>>()
        },
    );
    html! {
        <figure class="timeline" data-testid="timeline" data-spans={props.total.to_string()}
                data-window={format!("{}-{}", view.start_us, view.end_us)}>
            <div class="zoom-controls" role="toolbar" aria-label={text.get("timeline.zoom.label")}>
                { button("timeline-zoom-in", "+".to_owned(), text.get("timeline.zoom.in"), |w, t| w.zoom(2.0, 0.5, t)) }
                { button("timeline-zoom-out", "−".to_owned(), text.get("timeline.zoom.out"), |w, t| w.zoom(0.5, 0.5, t)) }
                { button("timeline-pan-left", "←".to_owned(), text.get("timeline.zoom.earlier"), |w, t| w.pan(-0.25, t)) }
                { button("timeline-pan-right", "→".to_owned(), text.get("timeline.zoom.later"), |w, t| w.pan(0.25, t)) }
                { button("timeline-reset", text.get("timeline.zoom.whole"), text.get("timeline.zoom.whole.title"), |_, t| Window::whole(t)) }
                <span class="zoom-window">{ text.fill_html("timeline.window", &[
                    ("start", &format::ms(view.start_us as f64 / 1000.0)),
                    ("end", &format::ms(view.end_us as f64 / 1000.0)),
                ]) }</span>
            </div>
            <svg ref={svg_ref.clone()} viewBox={format!("0 0 {:.0} {height:.0}", frame.width)} aria-label={text.get("timeline.svg.label")}
                 tabindex="0" {onkeydown} {onwheel} {onpointerdown} {onpointermove} onpointerup={onpointerup.clone()} onpointercancel={onpointerup}>
                <defs>
                    <marker id="arrow-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                        <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head" />
                    </marker>
                    <pattern id="blocked-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                        <rect width="2" height="6" fill="var(--bad)" />
                    </pattern>
                </defs>
                { for ticks(view.start_us, view.end_us, ((plot_w / 90.0) as usize).clamp(2, AXIS_TICKS)).into_iter().map(|t| {
                    let at = x(t.at_us);
                    let tx = format!("{at:.2}");
                    // A label at the plot's right edge ends at its tick rather than run off.
                    let anchor = if at > frame.width - 30.0 { "end" } else { "middle" };
                    html! {
                        <g class="tick" data-testid="tick">
                            <line class="tick-line" x1={tx.clone()} x2={tx.clone()} y1="0" y2={format!("{:.1}", plot_h + 3.0)} />
                            <text class="axis" x={tx} text-anchor={anchor} y={format!("{:.0}", height - 4.0)}>{ t.label }</text>
                        </g>
                    }
                }) }
                { for lane_labels }
                { for density }
                { for bars }
                { for holds }
                { for marker }
                { for cursor }
                if props.live {
                    <text class="axis" x={format!("{:.0}", frame.width - 4.0)} text-anchor="end" y={format!("{:.0}", height - 4.0)}>{ "…" }</text>
                }
            </svg>
            { legend::legend(&text, &legend::Shown {
                handled: props.spans.iter().any(|s| s.kind == SpanKind::Handled),
                processes: props.spans.iter().any(|s| s.kind == SpanKind::Transfer),
                pending: props.spans.iter().any(still_pending),
                band: as_band,
            }, (in_view > shown || (!as_band && props.total > props.spans.len())).then(|| text.fill(
                "timeline.left_out",
                &[
                    ("shown", &format::thousands(shown as u64)),
                    ("total", &format::thousands(in_view.max(props.total) as u64)),
                ],
            ))) }
            <p class="span-detail" aria-live="polite">
                { selected.as_ref().map_or_else(|| text.get("timeline.detail.none"), |s| describe(&text, s)) }
            </p>
            if !props.live && !props.spans.is_empty() {
                <ChartTable testid="timeline-table" summary={text.get("timeline.table.summary")}
                            caption={caption(&text, "timeline.table.caption", table_rows.len(), props.spans.len())}
                            head={["task", "what", "lane", "start", "end", "outcome"].map(|h| text.get(&format!("timeline.table.{h}"))).to_vec()}
                            rows={table_rows} />
            }
        </figure>
    }
}
