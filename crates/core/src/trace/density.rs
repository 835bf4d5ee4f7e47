//! Thousands of I/O waits drawn as a density band: the timeline's window cut
//! into equal columns, and for each the number of spans that overlap it.
//! One band stays readable (and cheap to draw) where a hairline per wait
//! would be a smear of thousands of elements.

use super::axis::Window;
use super::model::Span;

/// How many spans overlap each column of a window.
#[derive(Clone, Debug, PartialEq)]
pub struct Density {
    /// Spans overlapping each column (at any instant of it), first column first.
    pub counts: Vec<u32>,
    /// The largest count (0 when no span is in the window).
    pub peak: u32,
    /// How long a column lasts, µs.
    pub column_us: f64,
}

impl Density {
    /// Each column's count as a fraction of `scale` (its own peak, or a
    /// larger one shared with another band), with its index; columns with
    /// no span are left out.
    pub fn heights(&self, scale: u32) -> impl Iterator<Item = (usize, f64)> + '_ {
        let peak = f64::from(scale.max(self.peak).max(1));
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, &c)| c > 0)
            .map(move |(i, &c)| (i, f64::from(c) / peak))
    }

    /// The column holding instant `at_us` of `window`, if it is in it.
    pub fn column_at(&self, window: Window, at_us: u64) -> Option<usize> {
        (window.start_us..=window.end_us)
            .contains(&at_us)
            .then(|| column(window, self.counts.len(), at_us))
    }
}

/// The column of `at_us` (inside the window) among `columns`.
fn column(window: Window, columns: usize, at_us: u64) -> usize {
    let len = u128::from(window.end_us.saturating_sub(window.start_us).max(1));
    let offset = u128::from(at_us.saturating_sub(window.start_us));
    let c = offset * columns as u128 / len;
    usize::try_from(c)
        .unwrap_or(usize::MAX)
        .min(columns.saturating_sub(1))
}

/// The density of `spans` over `columns` equal columns of `window`. A span
/// counts in every column it overlaps, a span of no length in the one
/// column holding it; spans outside the window count nowhere.
pub fn density<'a>(
    spans: impl IntoIterator<Item = &'a Span>,
    window: Window,
    columns: usize,
) -> Density {
    if columns == 0 {
        return Density {
            counts: Vec::new(),
            peak: 0,
            column_us: 0.0,
        };
    }
    // Each span adds 1 from its first column to its last: a difference
    // array makes that O(spans + columns).
    let mut diff = vec![0i64; columns + 1];
    for s in spans {
        let end = s.end_us.max(s.start_us);
        let outside = end < window.start_us || s.start_us > window.end_us;
        // A span that ends exactly where the window starts does not overlap it
        // (unless it has no length and sits on that instant).
        if outside || (end == window.start_us && end > s.start_us) {
            continue;
        }
        let first = column(window, columns, s.start_us.max(window.start_us));
        // The span covers [start, end): its last instant is end - 1.
        let last_instant = if end > s.start_us { end - 1 } else { end };
        let last = column(window, columns, last_instant.min(window.end_us)).max(first);
        diff[first] += 1;
        diff[last + 1] -= 1;
    }
    let mut running = 0i64;
    let counts: Vec<u32> = diff[..columns]
        .iter()
        .map(|d| {
            running += d;
            u32::try_from(running.max(0)).unwrap_or(u32::MAX)
        })
        .collect();
    let peak = counts.iter().copied().max().unwrap_or(0);
    Density {
        counts,
        peak,
        column_us: window.len_us() as f64 / columns as f64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::model::{ok_span, Lane, SpanKind};

    fn wait(task: u32, start: u64, end: u64) -> Span {
        ok_span(task, Lane::Main, SpanKind::IoWait, start, end)
    }

    fn window(start_us: u64, end_us: u64) -> Window {
        Window { start_us, end_us }
    }

    #[test]
    fn a_span_counts_in_each_column_it_overlaps() {
        let spans = [wait(0, 0, 100), wait(1, 50, 100), wait(2, 0, 10)];
        let d = density(&spans, window(0, 100), 4);
        // Columns [0,25) [25,50) [50,75) [75,100].
        assert_eq!(d.counts, vec![2, 1, 2, 2]);
        assert_eq!(d.peak, 2);
        assert_eq!(d.column_us, 25.0);
        assert_eq!(
            d.heights(d.peak).collect::<Vec<_>>(),
            vec![(0, 1.0), (1, 0.5), (2, 1.0), (3, 1.0)]
        );
    }

    #[test]
    fn spans_outside_the_window_count_nowhere_and_cut_spans_count_inside() {
        let spans = [wait(0, 0, 100), wait(1, 900, 1_000), wait(2, 150, 450)];
        let d = density(&spans, window(100, 500), 4);
        // [100,200) [200,300) [300,400) [400,500]: the first span ends at 100,
        // the second starts after the window, the third spans 150..450.
        assert_eq!(d.counts, vec![1, 1, 1, 1]);
        assert_eq!(
            d.heights(4).next(),
            Some((0, 0.25)),
            "a shared, larger scale"
        );
    }

    #[test]
    fn an_instant_counts_once_and_no_columns_is_empty() {
        let spans = [wait(0, 40, 40)];
        assert_eq!(
            density(&spans, window(0, 100), 5).counts,
            vec![0, 0, 1, 0, 0]
        );
        assert_eq!(density(&spans, window(0, 100), 0).counts, Vec::<u32>::new());
        assert_eq!(density(&[], window(0, 100), 3).peak, 0);
    }

    #[test]
    fn a_hundred_thousand_waits_fill_the_band_evenly() {
        let spans: Vec<Span> = (0..100_000).map(|t| wait(t, 0, 100_000)).collect();
        let d = density(&spans, window(0, 100_000), 200);
        assert!(d.counts.iter().all(|&c| c == 100_000));
        assert_eq!(d.column_at(window(0, 100_000), 99_999), Some(199));
        assert_eq!(d.column_at(window(0, 100_000), 100_001), None);
    }
}
