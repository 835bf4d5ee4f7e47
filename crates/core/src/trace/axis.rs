//! The timeline's time axis: round tick positions and their labels.
//!
//! [`Window`] is the part of the run the timeline shows: zoomed by buttons,
//! keys and the wheel around a point, panned by dragging, pinched with two
//! fingers; every window stays inside the run.

use crate::i18n::Lang;

/// One tick of the time axis.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    /// Where it stands, µs from the run's start.
    pub at_us: u64,
    /// What it reads, with its unit (`0`, `250 ms`, `1.5 s`), in the
    /// page's language (`1,5 s`).
    pub label: String,
}

/// The steps ticks may be apart, µs: 1, 2 and 5 times each power of ten.
fn steps() -> impl Iterator<Item = u64> {
    (0..12u32).flat_map(|p| [1, 2, 5].map(|m| m * 10u64.pow(p)))
}

/// `us` in the unit of the whole axis, chosen by its step so that labels
/// stay short (`0.2 s` rather than `200000 µs`), written as `lang` writes numbers.
fn label(us: u64, step_us: u64, lang: Lang) -> String {
    if us == 0 {
        return "0".to_owned();
    }
    let (value, unit) = if step_us >= 100_000 {
        (us as f64 / 1e6, "s")
    } else if step_us >= 100 {
        (us as f64 / 1e3, "ms")
    } else {
        (us as f64, "µs")
    };
    // Drops trailing zeros while keeping the digits a step of 2 or 5 needs.
    format!("{} {unit}", lang.trimmed(value, 3))
}

/// Ticks over `[start_us, end_us]`, at the smallest round step that gives at
/// most `max_ticks` of them (at least 2 are asked for), labelled in `lang`.
pub fn ticks(start_us: u64, end_us: u64, max_ticks: usize, lang: Lang) -> Vec<Tick> {
    let span = end_us.saturating_sub(start_us).max(1);
    let max_ticks = max_ticks.max(2) as u64;
    let step = steps().find(|s| span / s < max_ticks).unwrap_or(span);
    let first = start_us.div_ceil(step) * step;
    (0..)
        .map(|i| first + i * step)
        .take_while(|&at| at <= end_us)
        .map(|at_us| Tick {
            at_us,
            label: label(at_us, step, lang),
        })
        .collect()
}

/// The part of a run a timeline shows, µs: zoomed and panned within the
/// whole run, never narrower than [`Window::MIN_US`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// First instant shown.
    pub start_us: u64,
    /// Last instant shown.
    pub end_us: u64,
}

impl Window {
    /// The narrowest window, µs: a tick step of 2 µs still reads.
    pub const MIN_US: u64 = 10;

    /// The whole run `[0, total_us]`.
    pub fn whole(total_us: u64) -> Window {
        Window {
            start_us: 0,
            end_us: total_us.max(1),
        }
    }

    /// Its length, µs.
    pub fn len_us(self) -> u64 {
        self.end_us - self.start_us
    }

    /// `self` moved and cut to lie within `[0, total_us]`, at least `MIN_US` long.
    fn clamped(start: f64, len: f64, total_us: u64) -> Window {
        let total = total_us.max(1) as f64;
        let len = len.clamp((Window::MIN_US as f64).min(total), total);
        let start = start.clamp(0.0, total - len);
        Window {
            start_us: start.round() as u64,
            end_us: (start + len).round() as u64,
        }
    }

    /// The same window within a run of `total_us` (a run that shrank, as a
    /// new one replacing it, moves or cuts it).
    pub fn clamp_to(self, total_us: u64) -> Window {
        Window::clamped(self.start_us as f64, self.len_us() as f64, total_us)
    }

    /// Zoomed by `factor` (2 = twice as close) around the instant at
    /// `fraction` of the window (0 = its start, 1 = its end), which stays
    /// where it was on screen.
    pub fn zoom(self, factor: f64, fraction: f64, total_us: u64) -> Window {
        let factor = if factor.is_finite() && factor > 0.0 {
            factor
        } else {
            1.0
        };
        let fraction = if fraction.is_finite() {
            fraction.clamp(0.0, 1.0)
        } else {
            0.5
        };
        let len = self.len_us() as f64;
        let pivot = self.start_us as f64 + fraction * len;
        let new_len = len / factor;
        Window::clamped(pivot - fraction * new_len, new_len, total_us)
    }

    /// Zoomed by two fingers that went from `apart_from` to `apart_to`
    /// (px) apart, around the point between them at `fraction` of the window.
    pub fn pinch(self, apart_from: f64, apart_to: f64, fraction: f64, total_us: u64) -> Window {
        self.zoom(apart_to / apart_from.max(1.0), fraction, total_us)
    }

    /// Moved by `fraction` of its length (negative: earlier).
    pub fn pan(self, fraction: f64, total_us: u64) -> Window {
        let fraction = if fraction.is_finite() { fraction } else { 0.0 };
        let len = self.len_us() as f64;
        Window::clamped(self.start_us as f64 + fraction * len, len, total_us)
    }

    /// Where `us` falls in the window, as a fraction (outside: below 0 or above 1).
    pub fn fraction_of(self, us: u64) -> f64 {
        (us as f64 - self.start_us as f64) / self.len_us().max(1) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zooming_keeps_the_pointed_instant_in_place_and_stays_within_the_run() {
        let total = 1_000_000;
        let w = Window::whole(total).zoom(4.0, 0.5, total);
        assert_eq!((w.start_us, w.end_us), (375_000, 625_000));
        let w2 = Window::whole(total).zoom(2.0, 0.25, total);
        assert!((w2.fraction_of(250_000) - 0.25).abs() < 1e-9);
        assert_eq!(
            w.zoom(0.01, 0.5, total),
            Window::whole(total),
            "zooming out stops at the run"
        );
        let tiny = Window::whole(total).zoom(1e12, 0.5, total);
        assert_eq!(tiny.len_us(), Window::MIN_US);
        assert_eq!(
            Window::whole(total).zoom(f64::NAN, f64::NAN, total),
            Window::whole(total)
        );
    }

    #[test]
    fn panning_moves_by_a_share_of_the_window_and_stops_at_the_ends() {
        let total = 1_000_000;
        let w = Window::whole(total).zoom(4.0, 0.0, total);
        assert_eq!((w.start_us, w.end_us), (0, 250_000));
        let right = w.pan(0.5, total);
        assert_eq!((right.start_us, right.end_us), (125_000, 375_000));
        assert_eq!(w.pan(-1.0, total), w, "no earlier than the start");
        assert_eq!(w.pan(100.0, total).end_us, total, "no later than the end");
    }

    fn labels(start: u64, end: u64, max: usize) -> Vec<String> {
        ticks(start, end, max, Lang::En)
            .into_iter()
            .map(|t| t.label)
            .collect()
    }

    #[test]
    fn ticks_are_round_and_bounded_in_number() {
        assert_eq!(
            labels(0, 1_000_000, 6),
            ["0", "0.2 s", "0.4 s", "0.6 s", "0.8 s", "1 s"]
        );
        assert_eq!(
            labels(0, 2_500_000, 6),
            ["0", "0.5 s", "1 s", "1.5 s", "2 s", "2.5 s"]
        );
        assert_eq!(labels(0, 30_000_000, 4), ["0", "10 s", "20 s", "30 s"]);
        assert_eq!(
            labels(0, 250_000, 6),
            ["0", "50 ms", "100 ms", "150 ms", "200 ms", "250 ms"]
        );
        assert_eq!(labels(0, 900, 4), ["0", "0.5 ms"]);
        assert_eq!(labels(0, 90, 4), ["0", "50 µs"]);
        for end in [1, 7, 999, 123_456, 98_765_432] {
            for max in [2, 5, 10] {
                let t = ticks(0, end, max, Lang::En);
                assert!(t.len() <= max, "{end} {max}: {t:?}");
                assert!(t.windows(2).all(|w| w[0].at_us < w[1].at_us));
            }
        }
    }

    #[test]
    fn a_zoomed_window_starts_at_its_first_round_tick() {
        let t = ticks(1_230_000, 1_480_000, 6, Lang::En);
        assert_eq!(t[0].at_us, 1_250_000);
        assert_eq!(t[0].label, "1250 ms");
        assert_eq!(t.last().unwrap().at_us, 1_450_000);
    }

    #[test]
    fn french_ticks_have_a_decimal_comma_and_grouped_digits() {
        let fr = |start, end, max| -> Vec<String> {
            ticks(start, end, max, Lang::Fr)
                .into_iter()
                .map(|t| t.label)
                .collect()
        };
        assert_eq!(
            fr(0, 2_500_000, 6),
            ["0", "0,5 s", "1 s", "1,5 s", "2 s", "2,5 s"]
        );
        assert_eq!(fr(1_230_000, 1_480_000, 6)[0], "1\u{202F}250 ms");
    }
}
