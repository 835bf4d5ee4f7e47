//! The preset buttons and the explanation of the story's preset, which stays
//! while the visitor varies it, with what was changed and the variation the
//! preset offers as a second run.

use std::rc::Rc;

use overlap_core::experiment::Field;
use overlap_core::i18n::field_label;
use overlap_core::Lang;
use yew::prelude::*;

use crate::presets::{by_id, fetch_explanations, Explanations, PRESETS};

/// Inputs of [`PresetBar`].
#[derive(Properties, PartialEq, Clone)]
pub struct PresetBarProps {
    /// The preset in use, if the experiment was not edited since.
    pub active: Option<&'static str>,
    /// The preset last chosen, edited or not.
    pub story: Option<&'static str>,
    /// What was changed from the story's preset: (field, then, now).
    pub changes: Rc<Vec<(Field, String, String)>>,
    /// Called with the chosen preset's id.
    pub on_choose: Callback<&'static str>,
    /// Whether choosing is disabled (during a run).
    pub disabled: bool,
    /// Runs the story's variation beside the last run, when it may now.
    pub on_variation: Option<Callback<MouseEvent>>,
}

/// One button per preset, then what to look at.
#[function_component(PresetBar)]
pub fn preset_bar(props: &PresetBarProps) -> Html {
    let story = props.story.and_then(by_id);
    let explanations = use_state(|| None::<Result<Rc<Explanations>, String>>);
    {
        let explanations = explanations.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                explanations.set(Some(fetch_explanations().await.map(Rc::new)));
            });
        });
    }
    let explanation = match (story, &*explanations) {
        (None, _) => {
            "Edit any parameter below, or pick a preset: each one tells a part of the story."
                .to_owned()
        }
        (Some(_), None) => "Loading the explanation…".to_owned(),
        (Some(p), Some(Ok(texts))) => texts.of(p.id).unwrap_or_default().to_owned(),
        (Some(_), Some(Err(why))) => {
            format!("The explanation could not be loaded ({why}); reload to try again.")
        }
    };
    html! {
        <section class="panel presets" aria-labelledby="presets-title">
            <h2 id="presets-title">{ "Presets" }</h2>
            <div class="preset-buttons">
                { for PRESETS.iter().map(|p| {
                    let on_choose = props.on_choose.clone();
                    let id = p.id;
                    let active = props.active == Some(id);
                    html! {
                        <button type="button" class={classes!("preset", active.then_some("active"))}
                                aria-pressed={active.to_string()} disabled={props.disabled}
                                data-testid={format!("preset-{id}")}
                                onclick={Callback::from(move |_| on_choose.emit(id))}>
                            { p.title }
                        </button>
                    }
                }) }
            </div>
            <div class="explanation" aria-live="polite">
                <p data-testid="preset-explanation">
                    { explanation }
                </p>
                if let (Some(p), false) = (story, props.changes.is_empty()) {
                    <p class="hint" data-testid="preset-changes">
                        { format!("Changed from “{}”: ", p.title) }
                        { props.changes.iter().map(|(field, then, now)| {
                            format!("{} {then} → {now}", field_label(Lang::En, *field))
                        }).collect::<Vec<_>>().join("; ") }
                    </p>
                }
                if let (Some(variation), Some(run)) = (story.and_then(|p| p.variation), props.on_variation.clone()) {
                    <button type="button" class="secondary" data-testid="variation-run" onclick={run}>
                        { format!("Run again with {}, beside this run", variation.label) }
                    </button>
                }
            </div>
        </section>
    }
}
