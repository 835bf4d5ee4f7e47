//! The story's chapters, the open one's preset buttons, and the lesson: the
//! explanation of the story's preset, which stays while the visitor varies
//! it, with what was changed and the variations it offers as a second run.

use overlap_core::i18n::Catalogue;

use overlap_core::experiment::Field;
use yew::prelude::*;

use crate::presets::{by_id, chapter_of, CHAPTERS};
use crate::text::use_text;
use crate::text::Words;

/// Inputs of [`PresetBar`].
#[derive(Properties, PartialEq, Clone)]
pub struct PresetBarProps {
    /// The preset in use, if the experiment was not edited since.
    pub active: Option<&'static str>,
    /// The preset last chosen, edited or not: its chapter is open.
    pub story: Option<&'static str>,
    /// Called with the chosen preset's id.
    pub on_choose: Callback<&'static str>,
    /// Whether choosing is disabled (during a run).
    pub disabled: bool,
}

/// Where `story`'s chapter is in [`CHAPTERS`]; the first without a story.
fn chapter_index(story: Option<&str>) -> usize {
    story
        .and_then(chapter_of)
        .and_then(|c| CHAPTERS.iter().position(|o| o.id == c.id))
        .unwrap_or(0)
}

/// One button per chapter, and the open chapter's presets. Every preset's
/// button stays in the page (hidden with its chapter, `data-chapter` naming
/// it) so that scripts find each one where the story puts it.
#[function_component(PresetBar)]
pub fn preset_bar(props: &PresetBarProps) -> Html {
    let text = use_text();
    let open = use_state(|| chapter_index(props.story));
    {
        // A link, Back or a variation may change the story: its chapter opens.
        let open = open.clone();
        use_effect_with(props.story, move |story| {
            if story.is_some() {
                open.set(chapter_index(*story));
            }
        });
    }
    html! {
        <nav class="panel presets" aria-labelledby="presets-title">
            <h2 id="presets-title" class="visually-hidden">{ text.html("presets.title") }</h2>
            <div class="chapters" role="group" aria-label={text.get("chapters.label")}>
                { for CHAPTERS.iter().enumerate().map(|(i, c)| {
                    let onclick = { let open = open.clone(); Callback::from(move |_| open.set(i)) };
                    html! {
                        <button type="button" class={classes!("chapter", (*open == i).then_some("open"))}
                                aria-expanded={(*open == i).to_string()} aria-controls={format!("chapter-{}-presets", c.id)}
                                data-testid={format!("chapter-{}", c.id)} {onclick}>
                            { text.html(&format!("chapter.{}.title", c.id)) }
                        </button>
                    }
                }) }
            </div>
            { for CHAPTERS.iter().enumerate().map(|(i, c)| html! {
                <div class="preset-buttons" id={format!("chapter-{}-presets", c.id)} hidden={*open != i}>
                    { for c.presets().iter().map(|p| {
                        let on_choose = props.on_choose.clone();
                        let id = p.id;
                        let active = props.active == Some(id);
                        html! {
                            <button type="button" class={classes!("preset", active.then_some("active"))}
                                    aria-pressed={active.to_string()} disabled={props.disabled}
                                    data-testid={format!("preset-{id}")} data-chapter={c.id}
                                    onclick={Callback::from(move |_| on_choose.emit(id))}>
                                { text.html(&format!("preset.{id}.title")) }
                            </button>
                        }
                    }) }
                </div>
            }) }
        </nav>
    }
}

/// The lesson of `story` (the preset last chosen, edited or not): its title
/// and what to look at, what was changed from its preset (`changes`: field,
/// then, now), the buttons that run it (`children`: Run, Cancel and the
/// sweep), and the variations it offers once it ran (`on_variation` runs
/// the one of this index beside the last run, when it may now). A function,
/// not a component: it has no state of its own (issue 29).
pub fn lesson(
    text: &Catalogue,
    story: Option<&'static str>,
    changes: &[(Field, String, String)],
    on_variation: Option<Callback<usize>>,
    children: Html,
) -> Html {
    let story = story.and_then(by_id);
    let (title, explanation) = match story {
        None => (text.get("playground.experiment"), text.get("presets.none")),
        Some(p) => (
            text.get(&format!("preset.{}.title", p.id)),
            text.get(&format!("preset.{}.explain", p.id)),
        ),
    };
    html! {
        <section class="panel lesson" aria-labelledby="lesson-title">
            <h2 id="lesson-title">{ title }</h2>
            // A long explanation scrolls in its box: the keyboard reaches it.
            <div class="explanation" aria-live="polite" tabindex="0" role="region" aria-labelledby="lesson-title">
                <p data-testid="preset-explanation">{ explanation }</p>
                if let (Some(p), false) = (story, changes.is_empty()) {
                    <p class="hint" data-testid="preset-changes">
                        { text.fill_html("presets.changed", &[
                            ("preset", &text.get(&format!("preset.{}.title", p.id))),
                            ("changes", &changes.iter().map(|(field, then, now)| {
                                text.fill("presets.change", &[
                                    ("field", &field.label(text)),
                                    ("then", &field.value_words(then, text)),
                                    ("now", &field.value_words(now, text)),
                                ])
                            }).collect::<Vec<_>>().join(" · ")),
                        ]) }
                    </p>
                }
            </div>
            { children }
            if let (Some(p), Some(run)) = (story, on_variation) {
                <div class="variations">
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
                </div>
            }
        </section>
    }
}
