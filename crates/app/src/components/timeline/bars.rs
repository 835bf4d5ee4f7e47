//! The bars of the timeline: one per span in view, placed by the layout,
//! styled by kind and outcome, labelled with their task when there is room,
//! and described to screen readers and in the detail line; for a run of few
//! tasks, grouped in a row per task (core's `trace::rows`).

use overlap_core::i18n::Catalogue;
use overlap_core::trace::rows::{bar_width, TaskRows, ROW_H};
use overlap_core::trace::{Span, NO_TASK};
use yew::prelude::*;

use super::describe::{bar_class, describe};
use super::layout::Layout;

/// The bars of `spans`, placed by `layout` and `x` (µs to SVG units);
/// `still_pending` says which tasks were pending when the wait returned,
/// and a bar under the pointer or focus becomes `selected`.
pub(super) fn bars<'a>(
    text: &'a Catalogue,
    spans: impl Iterator<Item = &'a Span> + 'a,
    layout: &'a Layout,
    x: &'a dyn Fn(u64) -> f64,
    still_pending: &'a dyn Fn(&Span) -> bool,
    selected: &'a UseStateHandle<Option<Span>>,
) -> impl Iterator<Item = Html> + 'a {
    spans.map(move |span| {
        let (x0, x1) = (x(span.start_us), x(span.end_us));
        let (y, h) = layout.bar(span);
        let mut class = bar_class(span);
        // A task still pending when the wait returned: its bar beyond the marker.
        if still_pending(span) {
            class.push("pending");
        }
        // A task's number inside its bar when there is room for it.
        let label = (x1 - x0 > 28.0 && h >= 12.0 && span.task != NO_TASK).then(|| {
            html! { <text class="bar-label" x={format!("{:.1}", x0 + 3.0)} y={format!("{:.1}", y + h / 2.0 + 4.0)}>{ format!("T{}", span.task + 1) }</text> }
        });
        let said = describe(text, span);
        let (enter, focus) = {
            let (a, b) = (selected.clone(), selected.clone());
            let span = *span;
            (Callback::from(move |_: MouseEvent| a.set(Some(span))), Callback::from(move |_: FocusEvent| b.set(Some(span))))
        };
        html! {
            <>
                <rect {class} x={format!("{x0:.2}")} y={format!("{y:.1}")}
                    width={format!("{:.2}", bar_width(x0, x1))} height={format!("{h:.1}")}
                    tabindex="0" role="img" aria-label={said.clone()} onmouseenter={enter} onfocus={focus}>
                    <title>{ said }</title>
                </rect>
                { for label }
            </>
        }
    })
}

/// The bars of `spans` in `rows`, each drawn by `draw`: each task's row a
/// group (for scripts, `data-testid="task-row"` with the task's id and its
/// lane's token) with a background as wide as the drawing (`width`), the
/// task's name left of the plot, and the task's bars; the spans of no task
/// (a process starting) outside any row.
pub(super) fn in_rows<'a>(
    spans: &[&'a Span],
    rows: &TaskRows,
    width: f64,
    draw: &dyn Fn(Vec<&'a Span>) -> Html,
) -> Html {
    let pick = |keep: &dyn Fn(&Span) -> bool| spans.iter().copied().filter(|s| keep(s)).collect();
    let loose = draw(pick(&|s| rows.row(s.task).is_none()));
    let rows = rows.rows.iter().enumerate().map(|(i, row)| {
        let mine = draw(pick(&|s| s.task == row.task));
        html! {
            <g class="task-row" data-testid="task-row" data-task={row.task.to_string()} data-lane={row.lane.token()}>
                <rect class={classes!("row-bg", (i % 2 == 1).then_some("odd"))} x="0" y={format!("{:.1}", row.top)}
                      width={format!("{width:.0}")} height={format!("{ROW_H:.1}")} />
                <text class="row-label" x="14" y={format!("{:.1}", row.top + ROW_H / 2.0 + 3.5)}>{ format!("T{}", row.task + 1) }</text>
                { mine }
            </g>
        }
    });
    html! { <>{ loose }{ for rows }</> }
}

/// The shapes the drawing refers to: the head of the marker's arrows, and
/// the hatch that fills a blocked bar.
pub(super) fn defs() -> Html {
    html! {
        <defs>
            <marker id="arrow-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head" />
            </marker>
            <pattern id="blocked-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                <rect width="2" height="6" fill="var(--bad)" />
            </pattern>
        </defs>
    }
}
