//! The timeline: one lane per thread, a bar per task segment; waits, CPU work
//! and queueing drawn differently; failures and cancellations marked; a
//! time axis; zoom and pan (buttons, keyboard, Ctrl + wheel, dragging, pinching);
//! the wait's return with what caused it; the replay's cursor.

use std::rc::Rc;

mod axis;
mod band;
mod bars;
mod describe;
mod frame;
mod gestures;
mod gil;
mod layout;
mod legend;
mod live;
mod marker;
mod table;
mod zoom;

use overlap_core::trace::{Span, Window};
use yew::prelude::*;

use frame::Frame;
use layout::{in_io_row, Layout};
pub use live::LiveTimeline;
pub use marker::{wait_marker, WaitMarker};

use crate::components::chart_table::{caption, ChartTable};
use crate::format;
use crate::text::use_text;

/// Most bars drawn; beyond, the timeline says how many it left out (a DOM of
/// 100,000 bars would freeze the page it is meant to watch).
pub const MAX_BARS: usize = 1_500;

const LANE_H: f64 = 30.0;

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

/// The time the plot spans, µs: the scale shared with another timeline,
/// else the run's last end; at least 1 µs.
fn plot_end_us(props: &TimelineProps) -> u64 {
    props
        .scale_end_us
        .unwrap_or_else(|| props.spans.iter().map(|s| s.end_us).max().unwrap_or(0))
        .max(1)
}

/// The lanes and bars, with a detail line for the bar under the pointer or focus.
#[function_component(Timeline)]
pub fn timeline(props: &TimelineProps) -> Html {
    let text = use_text();
    let selected = use_state(|| None::<Span>);
    let window = zoom::use_window(&props.spans);
    let gestures = use_mut_ref(gestures::Gestures::default);
    let svg_ref = use_node_ref();
    let frame = frame::use_frame(&svg_ref);
    let (label_w, plot_w) = (frame.label_w, frame.plot_w);
    let layout = Layout::new(&props.spans, props.workers, props.gil);
    let (plot_h, height) = (layout.plot_h, layout.height);
    let end_us = plot_end_us(props);
    let view = (*window).map_or(Window::whole(end_us), |w| w.clamp_to(end_us));
    let set_view = {
        let window = window.clone();
        move |w: Window| window.set((w != Window::whole(end_us)).then_some(w))
    };
    let onkeydown = zoom::on_key(view, end_us, set_view.clone());
    let gestures::Handlers {
        onwheel,
        onpointerdown,
        onpointermove,
        onpointerup,
    } = gestures::handlers(&gestures, &svg_ref, frame, view, end_us, set_view.clone());
    // Beyond the window a bar is cut at the plot's edge.
    let x = |us: u64| label_w + plot_w * view.fraction_of(us).clamp(-0.001, 1.001);
    let visible = |s: &&Span| s.end_us >= view.start_us && s.start_us <= view.end_us;
    // Thousands of waits read as a density band, not as hairlines; a run of
    // few tasks has a row per task instead.
    let as_band = layout.rows.is_none()
        && props
            .spans
            .iter()
            .filter(visible)
            .filter(|s| in_io_row(s))
            .count()
            >= band::BAND_FROM;
    let drawn = |s: &&Span| visible(s) && !(as_band && in_io_row(s));
    let in_view = props.spans.iter().filter(drawn).count();
    let shown = in_view.min(MAX_BARS);
    let density = as_band.then(|| band::band(&text, &props.spans, view, &layout.band_area(frame)));

    // A task still pending when the wait returned, drawn past the marker.
    let still_pending = |span: &Span| {
        props
            .marker
            .as_ref()
            .is_some_and(|m| span.end_us > m.at_us && m.pending.binary_search(&span.task).is_ok())
    };
    let draw = |spans: Vec<&Span>| -> Html {
        bars::bars(
            &text,
            spans.into_iter(),
            &layout,
            &x,
            &still_pending,
            &selected,
        )
        .collect()
    };
    let spans: Vec<&Span> = props.spans.iter().filter(drawn).take(MAX_BARS).collect();
    let bars = match &layout.rows {
        Some(rows) => bars::in_rows(&spans, rows, frame.width, &draw),
        None => draw(spans),
    };
    let in_window = |us: u64| (0.0..=1.0).contains(&view.fraction_of(us));
    let cursor = props.cursor_us.filter(|&t| in_window(t)).map(|t| {
        let cx = format!("{:.2}", x(t));
        html! { <line class="cursor" data-testid="replay-cursor" x1={cx.clone()} x2={cx} y1="0" y2={format!("{plot_h:.1}")} /> }
    });
    let marker = props
        .marker
        .as_ref()
        .filter(|m| in_window(m.at_us))
        .map(|m| m.draw(&text, &props.spans, &layout, &x));
    let holds = props.gil.then(|| {
        let spans = props.spans.iter().filter(visible).take(MAX_BARS);
        gil::holder_lane(&text, spans, &x, layout.gil_y, frame)
    });
    // Before a run: the lanes, but no time axis and a sentence instead of
    // the pointer's help.
    let empty = props.spans.is_empty();
    let ticks = axis::axis_ticks(text.lang(), view, frame, empty);
    let table_rows = use_memo(
        (props.spans.clone(), props.live, text.clone()),
        |(spans, live, text)| table::rows(spans, *live, text),
    );
    html! {
        <figure class="timeline" data-testid="timeline" data-spans={props.total.to_string()}
                data-window={format!("{}-{}", view.start_us, view.end_us)}>
            { zoom::toolbar(&text, view, end_us, empty, set_view) }
            // A run of many tasks scrolls inside its own box, not the page.
            <div class="timeline-scroll">
            <svg ref={svg_ref.clone()} viewBox={format!("0 0 {:.0} {height:.0}", frame.width)} aria-label={text.get("timeline.svg.label")}
                 tabindex="0" {onkeydown} {onwheel} {onpointerdown} {onpointermove} onpointerup={onpointerup.clone()} onpointercancel={onpointerup}>
                { bars::defs() }
                { for axis::tick_lines(&ticks, &x, plot_h) }
                { for layout.labels(&text, frame) }
                { for density }
                { bars }
                { for holds }
                { for marker }
                { for cursor }
            </svg>
            if !empty || props.live {
                { axis::label_strip(&ticks, &x, frame, props.live) }
            }
            </div>
            { legend::legend(&text, &legend::Shown::of(&props.spans, props.spans.iter().any(still_pending), as_band, props.gil), (in_view > shown || (!as_band && props.total > props.spans.len())).then(|| text.fill(
                "timeline.left_out",
                &[
                    ("shown", &format::thousands(text.lang(), shown as u64)),
                    ("total", &format::thousands(text.lang(), in_view.max(props.total) as u64)),
                ],
            ))) }
            <p class="span-detail" aria-live="polite">
                { describe::detail(&text, selected.as_ref(), empty && !props.live) }
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
