//! The playground: presets, editor, Run / Cancel / Sweep, the live timeline,
//! responsiveness, results, the sweep chart and the code panel.

use std::cell::RefCell;
use std::rc::Rc;

use overlap_core::experiment::Field;
use overlap_core::figures::drawing::DrawingCost;
use overlap_core::report::wait_return;
use overlap_core::sweep::sweep_max_k;
use overlap_core::trace::Span;
use overlap_core::ValidExperiment;
use overlap_runtime::cancel::CancelToken;
use wasm_bindgen::JsValue;
use yew::prelude::*;

mod parts;
use parts::{guess_input, notes, problems_banner, timeline_panel};

use crate::components::code_panel::CodePanel;
use crate::components::compare::CompareView;
use crate::components::editor::editor;
use crate::components::history::HistoryPanel;
use crate::components::key_figures::KeyFigures;
use crate::components::launch::{sweep, RunHandles};
use crate::components::presets::{lesson, PresetBar};
use crate::components::responsiveness::{LagView, Responsiveness};
use crate::components::results::prediction_view;
use crate::components::run_output::RunOutput;
use crate::components::share::CopyLink;
use crate::components::sweep::sweep_view;
use crate::components::timeline::wait_marker;
use crate::presets;
use crate::state::{Action, Playground as State, RunPhase};
use crate::text::use_text;
use crate::text::Words;

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(self.apply(action))
    }
}

/// Inputs of [`Playground`].
#[derive(Properties, PartialEq, Clone)]
pub struct PlaygroundProps {
    /// Whether the worker pool is ready (pool strategies wait for it).
    pub pool_ready: bool,
    /// Worker threads in the pool (lanes, and the sweep's largest k).
    pub pool_threads: usize,
}

fn initial_state() -> State {
    let query = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let empty = State::for_build(overlap_runtime::env::build());
    if query.trim_start_matches('?').is_empty() {
        // A first visit starts where the story does.
        empty.apply(Action::Preset(presets::PRESETS[0].id))
    } else {
        empty.apply(Action::Load(query))
    }
}

/// A fresh Cancel token, kept where the Cancel button finds it.
fn arm(cancel: &Rc<RefCell<Option<CancelToken>>>) -> CancelToken {
    let token = CancelToken::new();
    *cancel.borrow_mut() = Some(token.clone());
    token
}

/// The experiment to run and a fresh Cancel token for it, unless the draft
/// is invalid or something runs.
fn begin(
    state: &UseReducerHandle<State>,
    cancel: &Rc<RefCell<Option<CancelToken>>>,
) -> Option<(ValidExperiment, CancelToken)> {
    if state.busy() {
        return None;
    }
    let experiment = state.runnable()?;
    Some((experiment, arm(cancel)))
}

/// Keeps the address bar on the current experiment and loads the entry's
/// experiment on Back and Forward. Choosing a preset makes a new entry, so
/// that Back returns to the experiment before it; an edit replaces the entry.
#[hook]
fn use_address_bar(state: &UseReducerHandle<State>) {
    let shown_preset = use_mut_ref(|| state.preset);
    use_effect_with(state.query(), {
        let (preset, shown) = (state.preset, shown_preset.clone());
        move |query| {
            let url = format!("?{query}");
            if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                let new_entry = preset.is_some() && *shown.borrow() != preset;
                let _ = if new_entry {
                    history.push_state_with_url(&JsValue::NULL, "", Some(&url))
                } else {
                    history.replace_state_with_url(&JsValue::NULL, "", Some(&url))
                };
            }
            *shown.borrow_mut() = preset;
        }
    });
    // Back and Forward: the entry's experiment, read as a link is.
    use_effect_with((), {
        let state = state.clone();
        move |_| {
            let listener = web_sys::window().map(|window| {
                gloo_events::EventListener::new(&window, "popstate", move |_| {
                    let query = web_sys::window()
                        .and_then(|w| w.location().search().ok())
                        .unwrap_or_default();
                    state.dispatch(Action::Load(query));
                })
            });
            move || drop(listener)
        }
    });
}

/// The buttons' callbacks: Run, the story's variation, the sweep, Cancel.
struct Commands {
    run: Callback<MouseEvent>,
    /// Runs the story's variation of this index beside the last run.
    variation: Option<Callback<usize>>,
    sweep: Callback<MouseEvent>,
    cancel: Callback<MouseEvent>,
}

impl Commands {
    fn new(
        handles: &RunHandles,
        cancel: &Rc<RefCell<Option<CancelToken>>>,
        threads: u32,
    ) -> Commands {
        let state = &handles.state;
        let run = {
            let (state, cancel, handles) = (state.clone(), cancel.clone(), handles.clone());
            Callback::from(move |_: MouseEvent| {
                if let Some((experiment, token)) = begin(&state, &cancel) {
                    handles.start(experiment, token, None);
                }
            })
        };
        // The variation the story's preset offers, once a run finished: it
        // runs beside that run, and the editor shows it.
        let variation = match (state.latest.clone(), &state.run) {
            (Some(first), RunPhase::Done(_)) if !state.busy() => {
                let (state, cancel, handles) = (state.clone(), cancel.clone(), handles.clone());
                Some(Callback::from(move |index: usize| {
                    if let Some(experiment) = state.variation(index) {
                        state.dispatch(Action::Variation(index));
                        handles.start(experiment, arm(&cancel), Some(first.clone()));
                    }
                }))
            }
            _ => None,
        };
        let sweep = {
            let (state, cancel, text) = (state.clone(), cancel.clone(), handles.text.clone());
            let max_k = sweep_max_k(threads, overlap_runtime::env::capabilities().logical_cores);
            Callback::from(move |_: MouseEvent| {
                if let Some((experiment, token)) = begin(&state, &cancel) {
                    sweep(
                        state.clone(),
                        text.clone(),
                        experiment,
                        token,
                        max_k,
                        threads,
                    );
                }
            })
        };
        let cancel = {
            let cancel = cancel.clone();
            Callback::from(move |_: MouseEvent| {
                if let Some(token) = cancel.borrow().as_ref() {
                    token.cancel();
                }
            })
        };
        Commands {
            run,
            variation,
            sweep,
            cancel,
        }
    }
}

/// Brings a variation's comparison into view once it is there, and moves the
/// focus to its title, so that the visitor who pressed the variation's
/// button (far above it) sees the contrast and a screen reader says where it
/// is. The returned ref goes on the title.
#[hook]
fn use_compare_in_view(state: &UseReducerHandle<State>) -> NodeRef {
    let title = use_node_ref();
    let pair = state
        .pair
        .as_ref()
        .map(|(a, b)| (Rc::as_ptr(a) as usize, Rc::as_ptr(b) as usize));
    {
        let title = title.clone();
        use_effect_with(pair, move |pair| {
            if let (Some(_), Some(el)) = (pair, title.cast::<web_sys::HtmlElement>()) {
                el.scroll_into_view_with_bool(true);
                let _ = el.focus();
            }
        });
    }
    title
}

/// The whole playground.
#[function_component(Playground)]
pub fn playground(props: &PlaygroundProps) -> Html {
    let text = use_text();
    let state = use_reducer(initial_state);
    let live: Rc<RefCell<Vec<Span>>> = use_mut_ref(Vec::new);
    // What the page's own drawing took from the run going on.
    let meter: Rc<RefCell<DrawingCost>> = use_mut_ref(DrawingCost::default);
    let cancel: Rc<RefCell<Option<CancelToken>>> = use_mut_ref(|| None);
    use_address_bar(&state);

    let handles = RunHandles {
        state: state.clone(),
        live,
        meter,
        text: text.clone(),
    };
    let threads = u32::try_from(props.pool_threads.max(1)).unwrap_or(1);
    let commands = Commands::new(&handles, &cancel, threads);
    let on_edit = {
        let state = state.clone();
        Callback::from(move |(field, text): (Field, String)| {
            state.dispatch(Action::Edit(field, text))
        })
    };
    let on_preset = {
        let state = state.clone();
        Callback::from(move |id: &'static str| state.dispatch(Action::Preset(id)))
    };

    let needs_pool =
        state.experiment.strategy.needs_thread_pool() && state.experiment.workload.has_cpu();
    let can_run = state.runnable().is_some() && !state.busy() && (props.pool_ready || !needs_pool);
    // k changes nothing for the other strategies.
    let sweep_makes_sense = state.experiment.profile().sweeps;
    let report = match &state.run {
        RunPhase::Done(report) => Some(report.clone()),
        _ => None,
    };
    // Once per run, not per render: the marker goes over every span and sorts
    // the pending tasks, and each step of the replay renders the playground.
    let marker = use_memo(report.as_ref().map(|r| Rc::as_ptr(r) as usize), {
        let report = report.clone();
        move |_| {
            report
                .as_ref()
                .map(|r| wait_marker(&wait_return(r), &r.pending))
        }
    });
    let lag = Rc::new(
        report
            .as_ref()
            .map(|r| r.samples.lag.clone())
            .unwrap_or_default(),
    );
    let max_k = sweep_max_k(threads, overlap_runtime::env::capabilities().logical_cores);
    let pool_threads = u32::try_from(props.pool_threads).unwrap_or(u32::MAX);
    let compare_title = use_compare_in_view(&state);

    let running = matches!(state.run, RunPhase::Running);
    // Run, Cancel and the sweep, under the lesson.
    let actions = html! {
        <div class="actions">
            <button type="button" data-testid="run" onclick={commands.run} disabled={!can_run}>{ text.html("playground.run") }</button>
            <button type="button" data-testid="cancel" class="secondary" onclick={commands.cancel} disabled={!state.busy()}>{ text.html("playground.cancel") }</button>
            <button type="button" data-testid="sweep-run" class="secondary" onclick={commands.sweep}
                    disabled={!can_run || !sweep_makes_sense}
                    title={text.get("playground.sweep.title")}>{ text.fill_html("playground.sweep", &[("max", &max_k)]) }</button>
        </div>
    };
    html! {
        <section class="playground" aria-label={text.get("playground.label")}>
            <PresetBar active={state.preset} story={state.story} on_choose={on_preset} disabled={state.busy()} />
            { problems_banner(&state, &text) }
            // The lesson on one screen: what to look at and Run, the dial, the
            // timeline and the lesson's figures side by side.
            <div class="stage">
                { lesson(&text, state.story, &state.changed_from_story(), commands.variation, actions) }
                <div class="stage-view">
                    { timeline_panel(&state, &handles, props.pool_threads, (*marker).clone()) }
                    <KeyFigures story={state.story} experiment={state.experiment.clone()} report={report.clone()}
                                prediction={if running { state.prediction.clone() } else { None }} />
                </div>
                <Responsiveness active={running} meter={handles.meter.clone()} />
                // Under the lesson on wide screens, after the figures on phones.
                <div class="stage-notes">
                    { notes(&state, &text, pool_threads, needs_pool && !props.pool_ready) }
                </div>
            </div>
            <div class="workbench">
                <div class="panel">
                    <h2>{ text.html("playground.edit") }</h2>
                    { editor(&text, &state, &on_edit) }
                    <CopyLink />
                    { guess_input(&state, &text) }
                </div>
                <div class="outputs">
                    if let (RunPhase::Running, Some(p)) = (&state.run, &state.prediction) {
                        { prediction_view(&text, p) }
                    }
                    if let (Some(report), Some(record)) = (report.clone(), state.latest.clone()) {
                        <RunOutput {report} {record} guess_ms={state.run_guess} drawing={state.drawing} story={state.story} />
                    }
                    if !lag.is_empty() {
                        <LagView lag={lag} wall_ms={report.as_ref().map_or(0.0, |r| r.wall_ms)} />
                    }
                </div>
            </div>
            if let Some((a, b)) = state.pair.clone() {
                <section class="panel variation-compare" data-testid="variation-compare" aria-labelledby="variation-title">
                    <h2 id="variation-title" tabindex="-1" ref={compare_title}>{ text.html("playground.variation_compare") }</h2>
                    <CompareView {a} {b} story={state.story} />
                </section>
            }
            if let Some(sweep) = &state.sweep {
                { sweep_view(&text, sweep) }
            }
            <HistoryPanel latest={state.latest.clone()} />
            <CodePanel experiment={state.experiment.clone()} pool_threads={props.pool_threads} />
        </section>
    }
}
