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
use overlap_runtime::executor::{run, RunOptions};
use yew::prelude::*;

use crate::state::{Action, Playground as State, SWEEP_REPEATS};
use crate::text::Text;

/// Two runs kept side by side: a preset's and its variation's.
pub type Pair = Option<(Rc<RunRecord>, Rc<RunRecord>)>;

/// What a run started in the page updates as it goes and when it ends.
#[derive(Clone)]
pub struct RunHandles {
    /// The playground's state.
    pub state: UseReducerHandle<State>,
    /// Spans as the run records them (the live timeline reads them).
    pub live: Rc<RefCell<Vec<Span>>>,
    /// The spans the timeline shows once the run ended.
    pub snapshot: UseStateHandle<Rc<Vec<Span>>>,
    /// The model's prediction, shown before the run starts.
    pub prediction: UseStateHandle<Option<Rc<RunPrediction>>>,
    /// The last run as the history keeps it.
    pub latest: UseStateHandle<Option<Rc<RunRecord>>>,
    /// The replay's instant.
    pub cursor: UseStateHandle<Option<u64>>,
    /// The page's drawing during the run going on.
    pub meter: Rc<RefCell<DrawingCost>>,
    /// The page's drawing during the last run.
    pub drawing: UseStateHandle<Option<DrawingCost>>,
    /// A run and its variation, side by side.
    pub pair: UseStateHandle<Pair>,
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
        self.cursor.set(None);
        self.live.borrow_mut().clear();
        *self.meter.borrow_mut() = DrawingCost::default();
        self.drawing.set(None);
        self.prediction.set(None);
        self.pair.set(None);
        self.state.dispatch(Action::RunStarted);
        let handles = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let sink = handles.live.clone();
            let prediction = handles.prediction.clone();
            let options = RunOptions {
                cancel: token,
                on_span: Some(Rc::new(move |span: &Span| sink.borrow_mut().push(*span))),
                on_prediction: Some(Rc::new(move |p: &RunPrediction| {
                    prediction.set(Some(Rc::new(p.clone())))
                })),
            };
            let outcome = run(&experiment, options).await;
            handles.drawing.set(Some(*handles.meter.borrow()));
            match outcome {
                Ok(report) => {
                    handles.snapshot.set(Rc::new(report.trace.spans.clone()));
                    let record = Rc::new(RunRecord::of_report(
                        &report,
                        overlap_runtime::env::build(),
                        &default_name(&handles.text, &report.experiment),
                    ));
                    if let Some(first) = beside {
                        handles.pair.set(Some((first, record.clone())));
                    }
                    handles.latest.set(Some(record));
                    handles.state.dispatch(Action::RunDone(Rc::new(report)));
                }
                Err(err) => {
                    handles.snapshot.set(Rc::new(handles.live.borrow().clone()));
                    handles
                        .state
                        .dispatch(Action::RunFailed(err.message(&handles.text)))
                }
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
                        return;
                    }
                }
            }
        }
        state.dispatch(Action::SweepEnded(None));
    });
}
