//! The experiment editor: every parameter, its range, and core's message
//! beside any value it rejects. The fields the experiment reads (core's
//! `Field::applies`) are the form; the others are folded under "More
//! settings", kept as typed and reachable, never shown disabled.

use overlap_core::experiment::Field;
use overlap_core::i18n::Catalogue;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::fields::{input, Input, GROUPS};
use crate::state::Playground;
use crate::text::Words;

/// The form of `state`'s experiment, grouped by topic, in the language of
/// `text`; `on_edit` is called with each edit. A function, not a component:
/// it has no state of its own (issue 29).
pub fn editor(text: &Catalogue, state: &Playground, on_edit: &Callback<(Field, String)>) -> Html {
    let field_view = |field: Field| {
        let id = format!("field-{}", field.key());
        let label = field.label(text);
        let problems: Vec<String> = state
            .problems_of(field)
            .map(|p| p.editor_message(text))
            .collect();
        let invalid = !problems.is_empty();
        let on_edit = on_edit.clone();
        let control = match input(field, &state.experiment, text, state.build) {
            Input::Choice(choices) => {
                let onchange = Callback::from(move |e: Event| {
                    let select: HtmlSelectElement = e.target_unchecked_into();
                    on_edit.emit((field, select.value()));
                });
                let current = state.text(field).to_owned();
                html! {
                    <select id={id.clone()} {onchange} disabled={state.busy()}>
                        { for choices.into_iter().map(|c| html! {
                            <option value={c.token} selected={c.token == current} disabled={!c.enabled}>{ c.label }</option>
                        }) }
                    </select>
                }
            }
            Input::Number(range) => {
                let oninput = Callback::from(move |e: InputEvent| {
                    let input: HtmlInputElement = e.target_unchecked_into();
                    on_edit.emit((field, input.value()));
                });
                let hint = format!("{id}-hint");
                html! {
                    <>
                        // An unset value is "none" in a link, and shown
                        // as an empty field saying so in the visitor's words.
                        <input id={id.clone()} type="text" inputmode="decimal" {oninput}
                            value={Some(state.text(field)).filter(|t| *t != "none").unwrap_or_default().to_owned()}
                            placeholder={matches!(field, Field::TimeoutMs | Field::Limit)
                                .then(|| AttrValue::from(text.get("fields.unset")))}
                            disabled={state.busy()}
                            aria-invalid={invalid.to_string()} aria-describedby={hint.clone()} />
                        <span class="range" id={hint}>{ range }</span>
                    </>
                }
            }
        };
        html! {
            <div class={classes!("field", invalid.then_some("invalid"))}>
                <label for={id}>{ label }</label>
                { control }
                { for problems.into_iter().map(|m| html! { <p class="problem" role="alert">{ m }</p> }) }
            </div>
        }
    };
    let e = &state.experiment;
    // Each group with the fields that apply, or those that do not.
    let groups = |applying: bool| -> Html {
        html! {
            { for GROUPS.iter().filter_map(|(title, fields)| {
                let shown: Vec<Field> = fields
                    .iter()
                    .copied()
                    .filter(|f| f.applies(e) == applying)
                    .collect();
                (!shown.is_empty()).then(|| html! {
                    <fieldset>
                        <legend>{ text.html(title) }</legend>
                        { for shown.into_iter().map(&field_view) }
                    </fieldset>
                })
            }) }
        }
    };
    let folded = Field::ALL.iter().any(|f| !f.applies(e));
    html! {
        <form class="editor" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            { groups(true) }
            if folded {
                <details class="more-fields" data-testid="more-fields">
                    <summary>{ text.get("fields.more") }</summary>
                    { groups(false) }
                </details>
            }
        </form>
    }
}
