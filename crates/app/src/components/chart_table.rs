//! A chart's table alternative: the same data as rows, for screen readers
//! and for anyone who would rather read numbers. Closed by default; its rows
//! are drawn only while it is open, so that a chart of many bars does not
//! carry thousands of hidden cells through every redraw.

use std::rc::Rc;

use overlap_core::i18n::Catalogue;
use yew::prelude::*;

/// Most rows a table shows (its caption says how many there were).
pub const TABLE_ROWS: usize = 500;

/// Inputs of [`ChartTable`].
#[derive(Properties, PartialEq, Clone)]
pub struct ChartTableProps {
    /// `data-testid` of the `<details>`.
    pub testid: &'static str,
    /// What opens it.
    pub summary: String,
    /// The caption: what the rows are, and how many were left out.
    pub caption: String,
    /// Column headings.
    pub head: Vec<String>,
    /// The rows, at most [`TABLE_ROWS`].
    pub rows: Rc<Vec<Vec<String>>>,
}

/// The table, behind a disclosure.
#[function_component(ChartTable)]
pub fn chart_table(props: &ChartTableProps) -> Html {
    let open = use_state(|| false);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            let shown = e
                .target_dyn_into::<web_sys::Element>()
                .is_some_and(|d| d.has_attribute("open"));
            open.set(shown);
        })
    };
    html! {
        <details class="chart-table" data-testid={props.testid} {ontoggle}>
            <summary>{ props.summary.clone() }</summary>
            if *open {
                // Scrolls within itself on a narrow screen (focusable, so
                // that the keyboard can scroll it too).
                <div class="table-scroll" tabindex="0" role="region" aria-label={props.summary.clone()}>
                <table>
                    <caption>{ props.caption.clone() }</caption>
                    <thead><tr>{ for props.head.iter().map(|h| html! { <th scope="col">{ h.clone() }</th> }) }</tr></thead>
                    <tbody>{ for props.rows.iter().map(|row| html! {
                        <tr>{ for row.iter().map(|cell| html! { <td>{ cell.clone() }</td> }) }</tr>
                    }) }</tbody>
                </table>
                </div>
            }
        </details>
    }
}

/// The caption of a table of `shown` rows out of `total`: the entry
/// `{key}.first` ("The first {shown} of {total} …") when rows were left
/// out, else `{key}.all` ("{total} …").
pub fn caption(text: &Catalogue, key: &str, shown: usize, total: usize) -> String {
    let total_text = crate::format::thousands(text.lang(), total as u64);
    if shown < total {
        text.fill(
            &format!("{key}.first"),
            &[
                (
                    "shown",
                    &crate::format::thousands(text.lang(), shown as u64),
                ),
                ("total", &total_text),
            ],
        )
    } else {
        text.fill_count(
            &format!("{key}.all"),
            total as u64,
            &[("total", &total_text)],
        )
    }
}
