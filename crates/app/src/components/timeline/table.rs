//! The timeline's table alternative: a row per span (task, what, lane,
//! start, end, outcome), behind a disclosure under the drawing.

use overlap_core::i18n::Catalogue;
use overlap_core::trace::{Span, NO_TASK};

use super::describe::{kind_name, outcome_name};
use crate::components::chart_table::TABLE_ROWS;
use crate::format;

/// The rows of `spans`, at most [`TABLE_ROWS`]; none while `live`: the live
/// timeline redraws during the run, which should not pay for a table it
/// does not show.
pub(super) fn rows(spans: &[Span], live: bool, text: &Catalogue) -> Vec<Vec<String>> {
    let shown = if live { &spans[..0] } else { spans };
    shown
        .iter()
        .take(TABLE_ROWS)
        .map(|s| {
            let ms = |us: u64| format::ms(text.lang(), us as f64 / 1000.0);
            vec![
                if s.task == NO_TASK {
                    "–".to_owned()
                } else {
                    (s.task + 1).to_string()
                },
                kind_name(text, s.kind),
                s.lane.label(text),
                ms(s.start_us),
                ms(s.end_us),
                outcome_name(text, s.outcome),
            ]
        })
        .collect::<Vec<_>>()
}
