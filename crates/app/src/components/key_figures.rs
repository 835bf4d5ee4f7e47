//! The figures the lesson is about, beside its timeline: named before the
//! run, with the model's values while it goes on, then measured beside
//! them. The folded table of every figure stays with the results below.

use std::rc::Rc;

use overlap_core::experiment::Experiment;
use overlap_core::predict::RunPrediction;
use overlap_core::report::KeyFigure;
use overlap_runtime::measure::RunReport;
use yew::prelude::*;

use crate::components::results::{key_words, lead, rows, unit_of};
use crate::format;
use crate::presets::by_id;
use crate::text::use_text;
use crate::text::Words;

/// Inputs of [`KeyFigures`].
#[derive(Properties, Clone)]
pub struct KeyFiguresProps {
    /// The preset whose story the experiment belongs to: its figures lead.
    pub story: Option<&'static str>,
    /// The experiment in the editor, for the figures before any run.
    pub experiment: Experiment,
    /// The model's figures of the run going on.
    pub prediction: Option<Rc<RunPrediction>>,
    /// The finished run, if the page shows one.
    pub report: Option<Rc<RunReport>>,
}

impl PartialEq for KeyFiguresProps {
    // The same run or prediction is the same allocation.
    fn eq(&self, other: &Self) -> bool {
        let same = |a: Option<*const ()>, b: Option<*const ()>| a == b;
        self.story == other.story
            && self.experiment == other.experiment
            && same(
                self.prediction.as_ref().map(|p| Rc::as_ptr(p).cast()),
                other.prediction.as_ref().map(|p| Rc::as_ptr(p).cast()),
            )
            && same(
                self.report.as_ref().map(|r| Rc::as_ptr(r).cast()),
                other.report.as_ref().map(|r| Rc::as_ptr(r).cast()),
            )
    }
}

/// The lesson's figures: big, each with the model's value, the measured one
/// once the run ended (`data-state` says which: idle, running, done).
#[function_component(KeyFigures)]
pub fn key_figures(props: &KeyFiguresProps) -> Html {
    let text = use_text();
    let lang = text.lang();
    let named = props.story.and_then(by_id).map(|p| p.key_figures);
    let figures = match (&props.report, &props.prediction) {
        (Some(r), None) => {
            let leading = KeyFigure::lead(named, r.experiment.get());
            let all = rows(&text, r);
            let shown = leading.iter().filter_map(|&f| {
                all.iter()
                    .find(|(k, _)| *k == Some(f))
                    .map(|(_, row)| lead(&text, f, row))
            });
            html! { <dl class="key-figures" data-testid="key-figures" data-state="done">{ for shown }</dl> }
        }
        (_, prediction) => {
            // Before the run (or while it goes on): what to watch, and what
            // the model expects of it, without a measured number to mistake.
            let leading = KeyFigure::lead(named, &props.experiment);
            let shown = leading.iter().map(|&f| {
                let (label, _) = key_words(&text, f);
                let predicted = prediction.as_ref().and_then(|p| p.key_predicted(f));
                html! {
                    <div class="key-figure" data-figure={f.key()}>
                        <dt>{ label }</dt>
                        <dd class="key-value">{ if prediction.is_some() { "…" } else { "–" } }</dd>
                        if let Some(p) = predicted {
                            <dd class="key-predicted">
                                { text.html("results.key.model") }{ " " }
                                { format::optional(lang, Some(p), f.digits(), "") }{ unit_of(lang, f.unit()) }
                            </dd>
                        }
                    </div>
                }
            });
            let state = if prediction.is_some() {
                "running"
            } else {
                "idle"
            };
            html! { <dl class="key-figures" data-testid="key-figures" data-state={state}>{ for shown }</dl> }
        }
    };
    html! {
        <section class="panel key-panel" aria-labelledby="key-title">
            <h2 id="key-title">{ text.html("results.key.title") }</h2>
            { figures }
        </section>
    }
}
