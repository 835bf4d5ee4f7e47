//! The preset buttons and the explanation of the one chosen.

use yew::prelude::*;

use crate::presets::{by_id, PRESETS};

/// Inputs of [`PresetBar`].
#[derive(Properties, PartialEq, Clone)]
pub struct PresetBarProps {
    /// The preset in use, if the experiment was not edited since.
    pub active: Option<&'static str>,
    /// Called with the chosen preset's id.
    pub on_choose: Callback<&'static str>,
    /// Whether choosing is disabled (during a run).
    pub disabled: bool,
}

/// One button per preset, then what to look at.
#[function_component(PresetBar)]
pub fn preset_bar(props: &PresetBarProps) -> Html {
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
            <p class="explanation" aria-live="polite" data-testid="preset-explanation">
                { props.active.and_then(by_id).map_or(
                    "Edit any parameter below, or pick a preset: each one tells a part of the story.",
                    |p| p.explanation) }
            </p>
        </section>
    }
}
