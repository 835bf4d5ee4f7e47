//! The playground's parts drawn from its state: the problems banner, the
//! notes under the buttons, and the timeline panel.

use std::rc::Rc;

use overlap_core::experiment::KCap;
use overlap_core::i18n::Catalogue;
use overlap_core::report::{executor_note, queue_note};
use yew::prelude::*;

use crate::components::launch::RunHandles;
use crate::components::replay::Replay;
use crate::components::timeline::{LiveTimeline, Timeline, WaitMarker};
use crate::state::{Action, Playground as State, RunPhase};
use crate::text::Words;

/// What is wrong with the link the page was opened with, and with the draft.
pub(super) fn problems_banner(state: &State, text: &Catalogue) -> Html {
    if state.link_problems.is_empty() && state.problems.is_empty() {
        return Html::default();
    }
    html! {
        <div class="link-problems" role="alert" data-testid="error">
            if !state.link_problems.is_empty() {
                <p>{ text.html("playground.link_problems") }</p>
                <ul>{ for state.link_problems.iter().map(|p| html! { <li>{ p.message(text) }</li> }) }</ul>
            }
            if !state.problems.is_empty() {
                <p>{ {
                    let n = state.problems.len() as u64;
                    text.fill_count("playground.problems", n, &[("n", &n)])
                } }</p>
                <ul>{ for state.problems.iter().map(|p| html! { <li>{ p.editor_message(text) }</li> }) }</ul>
            }
        </div>
    }
}

/// The hints under the buttons: what the build changed, the pool not ready,
/// `k` beyond the pool, the default executor, why the run failed, and what a
/// screen reader hears when a run starts and ends.
pub(super) fn notes(
    state: &UseReducerHandle<State>,
    text: &Catalogue,
    pool_threads: u32,
    waits_for_pool: bool,
) -> Html {
    let runnable = state.problems.is_empty();
    let queue = runnable
        .then(|| {
            queue_note(
                text,
                state.experiment.strategy,
                state.experiment.workers,
                pool_threads,
            )
        })
        .flatten();
    let default_executor = state.experiment.profile().k_cap == KCap::DefaultExecutor;
    html! {
        <>
            if !state.adapted.is_empty() {
                <p class="hint" data-testid="build-note">{
                    state.adapted.iter().map(|p| p.message(text)).collect::<Vec<_>>().join(" ")
                }</p>
            }
            if runnable && waits_for_pool {
                <p class="hint">{ text.html("playground.pool_not_ready") }</p>
            }
            if let Some(note) = queue {
                <p class="hint" data-testid="queue-note">{ note }</p>
            }
            if runnable && default_executor {
                <p class="hint" data-testid="executor-note">{ executor_note(
                    text,
                    overlap_runtime::env::capabilities().logical_cores,
                    pool_threads,
                ) }</p>
            }
            if let RunPhase::Failed(message) = &state.run {
                <p class="problem" role="alert" data-testid="run-error">{ message.clone() }</p>
            }
            <p class="visually-hidden" role="status" data-testid="announcer"
               data-state={match &state.run {
                   RunPhase::Idle => "idle",
                   RunPhase::Running => "running",
                   RunPhase::Done(_) => "done",
                   RunPhase::Failed(_) => "failed",
               }}>{ match &state.run {
                RunPhase::Running => text.get("playground.running"),
                RunPhase::Done(r) => r.announcement(text),
                RunPhase::Idle | RunPhase::Failed(_) => String::new(),
            } }</p>
        </>
    }
}

/// The visitor's guess of the wall time, asked before the run.
pub(super) fn guess_input(state: &UseReducerHandle<State>, text: &Catalogue) -> Html {
    let on_edit = {
        let (state, lang) = (state.clone(), text.lang());
        Callback::from(move |t| state.dispatch(Action::Guess(t, lang)))
    };
    crate::components::guess::guess_input(text, &state.guess, on_edit, state.busy())
}

/// The timeline of the run going on (live) or of the last one, with its replay.
pub(super) fn timeline_panel(
    state: &UseReducerHandle<State>,
    handles: &RunHandles,
    workers: usize,
    marker: Option<WaitMarker>,
) -> Html {
    let text = &handles.text;
    let running = matches!(state.run, RunPhase::Running);
    let report = match &state.run {
        RunPhase::Done(report) => Some(report.clone()),
        _ => None,
    };
    // The experiment the timeline shows: the finished run's, else the editor's.
    let shown = report.as_ref().map_or(&state.experiment, |r| &r.experiment);
    let gil = shown.profile().gil;
    let on_cursor = {
        let state = state.clone();
        Callback::from(move |us| state.dispatch(Action::Cursor(us)))
    };
    html! {
        <section class="panel timeline-panel" aria-labelledby="timeline-title">
            <h2 id="timeline-title">{ text.html(if running { "playground.timeline.live" } else { "playground.timeline" }) }</h2>
            if running {
                <LiveTimeline source={handles.live.clone()} meter={handles.meter.clone()} {workers} {gil} />
            } else {
                <Timeline spans={if matches!(state.run, RunPhase::Idle) { Rc::default() } else { state.snapshot.clone() }} {workers} {gil}
                          live=false
                          total={report.as_ref().map_or(state.snapshot.len(), |r| r.trace.spans.len())}
                          cursor_us={report.as_ref().and(state.cursor)}
                          {marker} />
            }
            if report.is_some() {
                <Replay spans={state.snapshot.clone()} cursor_us={state.cursor} {on_cursor} />
            }
        </section>
    }
}
