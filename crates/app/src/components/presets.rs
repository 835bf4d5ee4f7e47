//! The preset buttons and the explanation of the story's preset, which stays
//! while the visitor varies it, with what was changed and the variations the
//! preset offers as a second run.

use std::rc::Rc;

use overlap_core::experiment::Field;
use yew::prelude::*;

use crate::presets::{by_id, PRESETS};
use crate::text::use_text;
use crate::text::Words;

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
    /// Runs the story's variation of this index beside the last run, when
    /// it may now.
    pub on_variation: Option<Callback<usize>>,
}

/// One button per preset, then what to look at.
#[function_component(PresetBar)]
pub fn preset_bar(props: &PresetBarProps) -> Html {
    let text = use_text();
    let story = props.story.and_then(by_id);
    let explanation = match story {
        None => text.get("presets.none"),
        Some(p) => text.get(&format!("preset.{}.explain", p.id)),
    };
    html! {
        <section class="panel presets" aria-labelledby="presets-title">
            <h2 id="presets-title">{ text.html("presets.title") }</h2>
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
                            { text.html(&format!("preset.{id}.title")) }
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
                        { text.fill_html("presets.changed", &[
                            ("preset", &text.get(&format!("preset.{}.title", p.id))),
                            ("changes", &props.changes.iter().map(|(field, then, now)| {
                                text.fill("presets.change", &[
                                    ("field", &field.label(&text)),
                                    ("then", &field.value_words(then, &text)),
                                    ("now", &field.value_words(now, &text)),
                                ])
                            }).collect::<Vec<_>>().join(" · ")),
                        ]) }
                    </p>
                }
                if let (Some(p), Some(run)) = (story, props.on_variation.clone()) {
                    { for p.variations.iter().enumerate().map(|(index, v)| {
                        let run = run.clone();
                        // The first keeps the plain test id scripts knew before
                        // presets offered more than one.
                        let testid = if index == 0 {
                            "variation-run".to_owned()
                        } else {
                            format!("variation-run-{}", v.id)
                        };
                        html! {
                            <button type="button" class="secondary" data-testid={testid}
                                    onclick={Callback::from(move |_: MouseEvent| run.emit(index))}>
                                { text.fill_html("presets.run_variation", &[
                                    ("variation", &text.get(&format!("preset.{}.variation.{}", p.id, v.id))),
                                ]) }
                            </button>
                        }
                    }) }
                }
            </div>
        </section>
    }
}
