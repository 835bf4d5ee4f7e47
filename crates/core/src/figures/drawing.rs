//! The page's own drawing during a run: how much of the main thread the
//! instrument took from the experiment it shows. The hook's runs draw
//! nothing; a run clicked in the page pays for its live timeline and dial,
//! and the page says how much, so a visitor can judge the figures.
//!
//! The page draws at a low pace ([`Pace`], [`DIAL_STEP_MS`]): a few steps a
//! second on one grid of instants, so that the dial and the live timeline share
//! their frames instead of each asking for its own.

use crate::i18n::Catalogue;
#[cfg(test)]
use crate::i18n::Lang;

/// Least time between two steps of the responsiveness dial's hand, ms. Every
/// step makes the browser draw a frame, and on two cores each frame drawn
/// is taken from the run: sixty a second took a tenth of a pool run's wall.
pub const DIAL_STEP_MS: f64 = 200.0;

/// Main-thread time the page spent drawing during one run.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct DrawingCost {
    /// Main-thread script time spent drawing, ms.
    pub busy_ms: f64,
    /// Drawing updates (live timeline redraws and dial frames).
    pub updates: u32,
}

impl DrawingCost {
    /// Counts one update that ran from `from_ms` to `to_ms` on the page
    /// clock; a clock that went backwards counts nothing.
    pub fn add(&mut self, from_ms: f64, to_ms: f64) {
        let took = to_ms - from_ms;
        if took.is_finite() && took > 0.0 {
            self.busy_ms += took;
        }
        self.updates = self.updates.saturating_add(1);
    }

    /// The drawing's share of the run's wall time, in percent; `None` for a
    /// run of no duration.
    pub fn percent_of(&self, wall_ms: f64) -> Option<f64> {
        (wall_ms.is_finite() && wall_ms > 0.0).then(|| self.busy_ms / wall_ms * 100.0)
    }
}

/// Steps of the page's live drawing on a grid of frame times: due when a
/// frame falls in a new period of `period_ms`. Every animation frame carries
/// the same timestamp, so drawings paced on multiples of one period land in
/// the same frames: each frame the browser draws costs the machine, whatever
/// it shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pace {
    period_ms: f64,
    last: Option<i64>,
}

impl Pace {
    /// Due at most once per `period_ms` (at least 1 ms).
    pub fn every(period_ms: f64) -> Pace {
        Pace {
            period_ms: period_ms.max(1.0),
            last: None,
        }
    }

    /// How long from `now_ms` to the start of the next period, ms: a page
    /// that draws a few times a second sleeps until then rather than wake
    /// at every frame to ask.
    pub fn wait_from(&self, now_ms: f64) -> f64 {
        if !now_ms.is_finite() {
            return self.period_ms;
        }
        self.period_ms - now_ms.rem_euclid(self.period_ms)
    }

    /// Whether a frame at `t_ms` should draw: the first frame does, and then
    /// the first frame of each new period.
    pub fn due(&mut self, t_ms: f64) -> bool {
        if !t_ms.is_finite() {
            return false;
        }
        let period = (t_ms / self.period_ms).floor() as i64;
        if self.last == Some(period) {
            return false;
        }
        self.last = Some(period);
        true
    }
}

/// A gap between two steps of the paced drawing longer than this means the
/// main thread did not answer meanwhile (steps are due every
/// [`DIAL_STEP_MS`]; one late frame is not a block).
pub const NOT_ANSWERING_MS: f64 = 2.0 * DIAL_STEP_MS;

/// Whether the main thread answers during a run, from the steps of the paced
/// drawing: what the static indicator says where motion is reduced.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Answers {
    last_ms: Option<f64>,
    /// The longest the main thread did not answer in this run, ms (0: it
    /// always answered within [`NOT_ANSWERING_MS`]).
    pub longest_block_ms: f64,
}

impl Answers {
    /// A step at `t_ms`: a gap since the last one longer than
    /// [`NOT_ANSWERING_MS`] counts as a block.
    pub fn beat(&mut self, t_ms: f64) {
        if let Some(gap) = self.last_ms.map(|last| t_ms - last) {
            if gap > NOT_ANSWERING_MS && gap > self.longest_block_ms {
                self.longest_block_ms = gap;
            }
        }
        self.last_ms = Some(t_ms);
    }

    /// What the indicator says now, in `text`'s language.
    pub fn text(&self, text: &Catalogue) -> String {
        if self.longest_block_ms > 0.0 {
            let s = text.lang().number(self.longest_block_ms / 1000.0, 1);
            text.fill("dial.answered_again", &[("s", &s)])
        } else {
            text.get("dial.answering")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gap_between_steps_is_a_block() {
        let mut answers = Answers::default();
        for t in [0.0, 200.0, 401.0, 610.0] {
            answers.beat(t);
        }
        assert_eq!(answers.longest_block_ms, 0.0, "late frames are not blocks");
        let en = crate::i18n::shipped(Lang::En).expect("English");
        let fr = crate::i18n::shipped(Lang::Fr).expect("French");
        assert_eq!(answers.text(&en), "The main thread is answering.");
        assert_eq!(answers.text(&fr), "Le fil principal répond.");
        answers.beat(1_810.0);
        answers.beat(2_000.0);
        answers.beat(2_700.0);
        assert_eq!(answers.longest_block_ms, 1_200.0, "the longest gap is kept");
        assert!(answers.text(&en).contains("did not answer for 1.2 s"));
        assert!(answers.text(&fr).contains("pas répondu pendant 1,2 s"));
    }

    #[test]
    fn paces_on_a_shared_grid() {
        let mut dial = Pace::every(200.0);
        let mut timeline = Pace::every(400.0);
        let frames: Vec<f64> = (0..60).map(|i| 5.0 + f64::from(i) * 16.7).collect();
        let dial_at: Vec<f64> = frames.iter().copied().filter(|&t| dial.due(t)).collect();
        let timeline_at: Vec<f64> = frames
            .iter()
            .copied()
            .filter(|&t| timeline.due(t))
            .collect();
        assert_eq!(dial_at.len(), 5, "{dial_at:?}");
        assert_eq!(timeline_at.len(), 3, "{timeline_at:?}");
        // Every frame the timeline draws in, the dial draws in too.
        assert!(timeline_at.iter().all(|t| dial_at.contains(t)));
        assert!(!dial.due(f64::NAN));
        assert!((dial.wait_from(450.0) - 150.0).abs() < 1e-9);
        assert!((timeline.wait_from(400.0) - 400.0).abs() < 1e-9);
        assert_eq!(dial.wait_from(f64::NAN), 200.0);
    }

    #[test]
    fn sums_updates_and_gives_the_share_of_the_wall() {
        let mut cost = DrawingCost::default();
        cost.add(10.0, 12.5);
        cost.add(100.0, 100.5);
        assert_eq!(cost.updates, 2);
        assert!((cost.busy_ms - 3.0).abs() < 1e-9);
        assert!((cost.percent_of(300.0).unwrap() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn a_clock_going_backwards_or_no_wall_counts_nothing() {
        let mut cost = DrawingCost::default();
        cost.add(5.0, 4.0);
        cost.add(f64::NAN, 4.0);
        assert_eq!(cost.busy_ms, 0.0);
        assert_eq!(cost.updates, 2);
        assert_eq!(cost.percent_of(0.0), None);
        assert_eq!(cost.percent_of(f64::INFINITY), None);
    }
}
