//! Runs started from the playground: one run (the Run button, a preset's
//! variation) with its live timeline, prediction, drawing cost and record,
//! and a k sweep.

use std::cell::RefCell;
use std::rc::Rc;

use overlap_core::figures::drawing::DrawingCost;
use overlap_core::predict::RunPrediction;
use overlap_core::record::{default_name, RunRecord};
use overlap_core::trace::{Outcome, Span};
use overlap_core::{Experiment, ValidExperiment};
use overlap_runtime::cancel::CancelToken;
use overlap_runtime::measure::{run, RunOptions};
use yew::prelude::*;

use crate::state::{Action, Ending, Playground as State, SWEEP_REPEATS};
use crate::text::Text;

/// After a run's error has been reported: a pool that lost a worker is
/// short of it, and its shared memory suspect, so the page starts over on
/// fresh memory (boot.js), keeping what the visitor had; `cause` (the run's
/// error) is said to the visitor afterwards. The page decides this, not the
/// run; the automation hook does the same.
pub fn rebuild_if_broken(cause: &str) {
    if overlap_runtime::pool::is_broken() {
        overlap_runtime::pool::rebuild_page(cause);
    }
}

/// What a run started in the page shares with the page while it goes: the
/// state it reports to, and the streams the live views read between renders.
#[derive(Clone)]
pub struct RunHandles {
    /// The playground's state.
    pub state: UseReducerHandle<State>,
    /// Spans as the run records them (the live timeline reads them).
    pub live: Rc<RefCell<Vec<Span>>>,
    /// The page's drawing during the run going on.
    pub meter: Rc<RefCell<DrawingCost>>,
    /// The page's words (a run's default name, why it failed).
    pub text: Text,
}

impl RunHandles {
    /// Runs `experiment`; with `beside`, the finished run is kept beside
    /// that one (a preset's variation).
    pub fn start(
        &self,
        experiment: ValidExperiment,
        token: CancelToken,
        beside: Option<Rc<RunRecord>>,
    ) {
        self.live.borrow_mut().clear();
        *self.meter.borrow_mut() = DrawingCost::default();
        self.state.dispatch(Action::RunStarted);
        let handles = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let sink = handles.live.clone();
            let state = handles.state.clone();
            let options = RunOptions {
                cancel: token,
                on_span: Some(Rc::new(move |span: &Span| sink.borrow_mut().push(*span))),
                on_prediction: Some(Rc::new(move |p: &RunPrediction| {
                    state.dispatch(Action::Predicted(Rc::new(p.clone())))
                })),
            };
            let outcome = run(&experiment, options).await;
            let failure = outcome.as_ref().err().map(ToString::to_string);
            let ending = match outcome {
                Ok(report) => {
                    let record = Rc::new(RunRecord::of_report(
                        &report,
                        overlap_runtime::env::build(),
                        &default_name(&handles.text, &report.experiment),
                    ));
                    Ending::Done {
                        report: Rc::new(report),
                        record,
                    }
                }
                Err(err) => Ending::Failed {
                    message: err.message(&handles.text),
                    spans: Rc::new(handles.live.borrow().clone()),
                },
            };
            let drawing = *handles.meter.borrow();
            handles.state.dispatch(Action::RunEnded {
                ending,
                drawing,
                beside,
            });
            if let Some(cause) = failure {
                rebuild_if_broken(&cause);
            }
        });
    }
}

/// Runs `experiment` for k = 1…`max_k` on a pool of `threads`,
/// `SWEEP_REPEATS` rounds (so that a busy moment of the machine slows one
/// run of each k, not every run of one), into the state's sweep; stops at
/// the first run that would not compare. Why it stopped is said with `text`.
pub fn sweep(
    state: UseReducerHandle<State>,
    text: Text,
    experiment: ValidExperiment,
    token: CancelToken,
    max_k: u32,
    threads: u32,
) {
    state.dispatch(Action::SweepStarted { max_k, threads });
    wasm_bindgen_futures::spawn_local(async move {
        for _round in 0..SWEEP_REPEATS {
            for k in 1..=max_k {
                if token.is_cancelled() {
                    state.dispatch(Action::SweepEnded(Some(text.get("launch.sweep.cancelled"))));
                    return;
                }
                let Ok(at_k) = ValidExperiment::new(Experiment {
                    workers: k,
                    ..experiment.get().clone()
                }) else {
                    state.dispatch(Action::SweepEnded(Some(
                        text.fill("launch.sweep.invalid_k", &[("k", &k)]),
                    )));
                    return;
                };
                let options = RunOptions {
                    cancel: token.clone(),
                    ..RunOptions::default()
                };
                match run(&at_k, options).await {
                    Ok(report)
                        if report.timed_out
                            || !report.pending.is_empty()
                            || report.tasks.iter().any(|t| t.outcome == Outcome::Error) =>
                    {
                        state.dispatch(Action::SweepEnded(Some(
                            text.fill("launch.sweep.incomplete", &[("k", &k)]),
                        )));
                        return;
                    }
                    Ok(report) if !report.cancelled => {
                        state.dispatch(Action::SweepPoint(k, report.wall_ms))
                    }
                    Ok(_) => {
                        state
                            .dispatch(Action::SweepEnded(Some(text.get("launch.sweep.cancelled"))));
                        return;
                    }
                    Err(err) => {
                        state.dispatch(Action::SweepEnded(Some(err.message(&text))));
                        rebuild_if_broken(&err.to_string());
                        return;
                    }
                }
            }
        }
        state.dispatch(Action::SweepEnded(None));
    });
}
