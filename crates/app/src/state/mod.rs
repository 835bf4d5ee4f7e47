//! The playground's state and its reducer: plain Rust, tested natively.
//!
//! The editor keeps every field as the text the visitor typed, so a value out
//! of range is shown with core's message and never silently clamped; the
//! experiment that runs is decoded from that text by core's URL codec, the
//! same code that reads links.
//!
//! The address bar is [`Playground::query`]: a preset chosen makes a new
//! history entry, an edit replaces it, and Back/Forward (`popstate`) load the
//! entry's query as a link.

use std::rc::Rc;

use overlap_core::experiment::url::{decode_str, encode, field_text, query_of};
use overlap_core::experiment::{Build, Field, Problem};
use overlap_core::figures::drawing::DrawingCost;
use overlap_core::figures::guess::parse_guess;
use overlap_core::predict::RunPrediction;
use overlap_core::record::RunRecord;
pub use overlap_core::sweep::SWEEP_REPEATS;
use overlap_core::trace::Span;
use overlap_core::{Experiment, Lang, ValidExperiment};
use overlap_runtime::measure::RunReport;

use crate::presets;

mod sweep;
pub use sweep::Sweep;

/// Where the current run stands.
#[derive(Clone, Debug, Default)]
pub enum RunPhase {
    /// Nothing has run yet.
    #[default]
    Idle,
    /// A run is going on.
    Running,
    /// The last run finished; its report.
    Done(Rc<RunReport>),
    /// The last run could not finish; why.
    Failed(String),
}

/// Everything the playground shows.
#[derive(Clone, Debug)]
pub struct Playground {
    /// Each field's text, in `Field::ALL` order.
    pub draft: Vec<(Field, String)>,
    /// The nearest valid experiment to the draft.
    pub experiment: Experiment,
    /// What is wrong with the draft; empty when it can run.
    pub problems: Vec<Problem>,
    /// Problems of the link the page was opened with (already fixed).
    pub link_problems: Vec<Problem>,
    /// What this build changed in the last preset (CPU work moved from the
    /// thread pool to the process pool in the fallback), until edited.
    pub adapted: Vec<Problem>,
    /// The build the page runs: it decides which strategies can run.
    pub build: Build,
    /// The preset last applied, while unedited.
    pub preset: Option<&'static str>,
    /// The preset last applied, edited or not: its explanation stays while
    /// the visitor varies it (a link starts none).
    pub story: Option<&'static str>,
    /// The current run.
    pub run: RunPhase,
    /// The current or last sweep.
    pub sweep: Option<Sweep>,
    /// The visitor's guess of the wall time, as typed.
    pub guess: String,
    /// The language the guess was typed in (its decimal mark).
    pub guess_lang: Lang,
    /// The guess the current or last run was started with (ms).
    pub run_guess: Option<f64>,
    /// The model's prediction for the run going on, shown before it ends.
    pub prediction: Option<Rc<RunPrediction>>,
    /// The last run as the history keeps and exports it.
    pub latest: Option<Rc<RunRecord>>,
    /// A preset's run and its variation's, side by side.
    pub pair: Option<(Rc<RunRecord>, Rc<RunRecord>)>,
    /// The spans the timeline shows once a run ended.
    pub snapshot: Rc<Vec<Span>>,
    /// The replay's instant in the finished run (µs).
    pub cursor: Option<u64>,
    /// What the page's own drawing took from the last run.
    pub drawing: Option<DrawingCost>,
}

/// How a run ended, with what the page keeps of it.
#[derive(Clone, Debug)]
pub enum Ending {
    /// It finished: its report and its record.
    Done {
        /// The run's report.
        report: Rc<RunReport>,
        /// The run as the history keeps it.
        record: Rc<RunRecord>,
    },
    /// It could not finish: why, and the spans it recorded.
    Failed {
        /// Why, in the page's words.
        message: String,
        /// The spans recorded before it failed.
        spans: Rc<Vec<Span>>,
    },
}

/// What can happen to the playground.
#[derive(Clone, Debug)]
pub enum Action {
    /// The visitor typed `text` into `field`.
    Edit(Field, String),
    /// The visitor chose a preset.
    Preset(&'static str),
    /// The visitor ran variation `index` of those the story's preset
    /// offers: the editor shows it, the story stays.
    Variation(usize),
    /// The page was opened with this query string.
    Load(String),
    /// The visitor typed a guess of the wall time, on a page in this language.
    Guess(String, Lang),
    /// A run started.
    RunStarted,
    /// The model predicted the run going on.
    Predicted(Rc<RunPrediction>),
    /// The run ended: how, what the page's drawing took meanwhile, and the
    /// run to keep it beside (a preset's, when this is its variation).
    RunEnded {
        /// How it ended.
        ending: Ending,
        /// The page's drawing during the run.
        drawing: DrawingCost,
        /// The run it is the variation of.
        beside: Option<Rc<RunRecord>>,
    },
    /// The replay's cursor moved to this instant (µs).
    Cursor(u64),
    /// A sweep over k = 1…max_k started, on a pool of this many threads.
    SweepStarted {
        /// The largest k.
        max_k: u32,
        /// Threads of the pool.
        threads: u32,
    },
    /// One sweep point was measured.
    SweepPoint(u32, f64),
    /// The sweep ended; with a reason when it stopped early.
    SweepEnded(Option<String>),
}

fn draft_of(e: &Experiment) -> Vec<(Field, String)> {
    Field::ALL.iter().map(|&f| (f, field_text(e, f))).collect()
}

impl Default for Playground {
    fn default() -> Self {
        Playground::from_experiment(Experiment::default())
    }
}

impl Playground {
    /// An empty playground for `build` (its experiment is the default,
    /// adapted to the build).
    pub fn for_build(build: Build) -> Playground {
        let (experiment, _) = build.adapt(&Experiment::default());
        Playground {
            build,
            ..Playground::from_experiment(experiment)
        }
    }
}

impl Playground {
    /// A playground showing `experiment`.
    pub fn from_experiment(experiment: Experiment) -> Playground {
        Playground {
            draft: draft_of(&experiment),
            experiment,
            problems: Vec::new(),
            link_problems: Vec::new(),
            adapted: Vec::new(),
            build: Build::Threaded,
            preset: None,
            story: None,
            run: RunPhase::Idle,
            sweep: None,
            guess: String::new(),
            guess_lang: Lang::En,
            run_guess: None,
            prediction: None,
            latest: None,
            pair: None,
            snapshot: Rc::default(),
            cursor: None,
            drawing: None,
        }
    }

    /// The text of `field` in the editor.
    pub fn text(&self, field: Field) -> &str {
        self.draft
            .iter()
            .find(|(f, _)| *f == field)
            .map_or("", |(_, t)| t.as_str())
    }

    /// Problems of one field.
    pub fn problems_of(&self, field: Field) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(move |p| p.field == Some(field))
    }

    /// The experiment, when the draft is valid (the Run button's condition).
    pub fn runnable(&self) -> Option<ValidExperiment> {
        if self.problems.is_empty() {
            ValidExperiment::new(self.experiment.clone()).ok()
        } else {
            None
        }
    }

    /// Whether a run or a sweep is going on.
    pub fn busy(&self) -> bool {
        matches!(self.run, RunPhase::Running) || self.sweep.as_ref().is_some_and(|s| s.running)
    }

    /// Variation `index` of those the story's preset offers, as this build
    /// runs it, with what the build changed in it.
    fn story_variation(&self, index: usize) -> Option<(Experiment, Vec<Problem>)> {
        let variation = self.story.and_then(presets::by_id)?.variations.get(index)?;
        Some(self.build.adapt(&decode_str(variation.query).experiment))
    }

    /// Variation `index` of those the story's preset offers, ready to run.
    pub fn variation(&self, index: usize) -> Option<ValidExperiment> {
        ValidExperiment::new(self.story_variation(index)?.0).ok()
    }

    /// What the visitor changed from the story's preset: (field, the
    /// preset's text, the text the editor holds now, as typed: a `k` of 0
    /// reads 0, not the 1 the run would use); empty while unedited.
    pub fn changed_from_story(&self) -> Vec<(Field, String, String)> {
        match self.story.and_then(presets::by_id) {
            Some(preset) if self.preset.is_none() => {
                let (original, _) = self.build.adapt(&decode_str(preset.query).experiment);
                self.draft
                    .iter()
                    .map(|(field, now)| (*field, field_text(&original, *field), now.trim()))
                    .filter(|(_, then, now)| then != now)
                    .map(|(field, then, now)| (field, then, now.to_owned()))
                    .collect()
            }
            _ => Vec::new(),
        }
    }

    /// The query string the address bar should hold: the short form of a
    /// valid experiment, or the draft as typed (typos included) otherwise.
    pub fn query(&self) -> String {
        if self.problems.is_empty() {
            encode(&self.experiment)
        } else {
            query_of(self.draft.iter().map(|(f, t)| (*f, t.as_str())))
        }
    }

    fn redecode(mut self) -> Playground {
        let decoded = decode_str(&query_of(self.draft.iter().map(|(f, t)| (*f, t.as_str()))));
        self.experiment = decoded.experiment;
        self.problems = decoded.problems;
        self.problems.extend(self.build.problem(&self.experiment));
        self
    }

    /// Shows `e` (already decoded), adapted to the build; what the build
    /// changed is returned.
    fn show(&mut self, e: &Experiment) -> Vec<Problem> {
        let (experiment, adapted) = self.build.adapt(e);
        self.draft = draft_of(&experiment);
        self.experiment = experiment;
        adapted
    }

    fn end_run(&mut self, ending: Ending, drawing: DrawingCost, beside: Option<Rc<RunRecord>>) {
        self.drawing = Some(drawing);
        match ending {
            Ending::Done { report, record } => {
                self.snapshot = Rc::new(report.trace.spans.clone());
                self.pair = beside.map(|first| (first, record.clone()));
                self.latest = Some(record);
                self.run = RunPhase::Done(report);
            }
            Ending::Failed { message, spans } => {
                self.snapshot = spans;
                self.run = RunPhase::Failed(message);
            }
        }
    }

    /// The state after `action`.
    pub fn apply(&self, action: Action) -> Playground {
        let mut next = self.clone();
        match action {
            Action::Edit(field, text) => {
                if let Some(slot) = next.draft.iter_mut().find(|(f, _)| *f == field) {
                    slot.1 = text;
                }
                next.preset = None;
                next.adapted = Vec::new();
                next = next.redecode();
            }
            Action::Preset(id) => {
                if let Some(preset) = presets::by_id(id) {
                    let decoded = decode_str(preset.query);
                    next.adapted = next.show(&decoded.experiment);
                    next.problems = decoded.problems;
                    next.preset = Some(preset.id);
                    next.story = Some(preset.id);
                    next.sweep = None;
                    next.run = RunPhase::Idle;
                    next.pair = None;
                }
            }
            Action::Variation(index) => {
                if let Some((experiment, adapted)) = self.story_variation(index) {
                    next.draft = draft_of(&experiment);
                    next.experiment = experiment;
                    next.adapted = adapted;
                    next.problems = Vec::new();
                    next.preset = None;
                    next.sweep = None;
                }
            }
            Action::Load(query) => {
                let decoded = decode_str(query.trim_start_matches('?'));
                let adapted = next.show(&decoded.experiment);
                next.problems = Vec::new();
                next.adapted = Vec::new();
                next.link_problems = decoded.problems.into_iter().chain(adapted).collect();
                next.preset = None;
                next.story = None;
            }
            Action::Guess(text, lang) => {
                next.guess = text;
                next.guess_lang = lang;
            }
            Action::RunStarted => {
                next.run = RunPhase::Running;
                next.run_guess = parse_guess(&next.guess, next.guess_lang).ok().flatten();
                next.cursor = None;
                next.drawing = None;
                next.prediction = None;
                next.pair = None;
            }
            Action::Predicted(prediction) => next.prediction = Some(prediction),
            Action::RunEnded {
                ending,
                drawing,
                beside,
            } => next.end_run(ending, drawing, beside),
            Action::Cursor(us) => next.cursor = Some(us),
            Action::SweepStarted { max_k, threads } => {
                next.sweep = Some(Sweep {
                    max_k,
                    profile: next.experiment.profile(),
                    tasks: next.experiment.cpu_task_count(),
                    serial_fraction: next.experiment.serial_fraction,
                    threads,
                    repeats: SWEEP_REPEATS,
                    runs: 0,
                    points: Vec::new(),
                    running: true,
                    stopped: None,
                });
            }
            Action::SweepPoint(k, wall_ms) => {
                if let Some(sweep) = next.sweep.as_mut() {
                    sweep.record(k, wall_ms);
                }
            }
            Action::SweepEnded(stopped) => {
                if let Some(sweep) = next.sweep.as_mut() {
                    sweep.running = false;
                    sweep.stopped = stopped;
                }
            }
        }
        next
    }
}

#[cfg(test)]
mod tests;
