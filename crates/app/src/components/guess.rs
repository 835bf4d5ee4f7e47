//! "Predict, then run": the visitor's guess of the wall time, typed before
//! a run, and set beside the model's prediction and the measurement after it.

use overlap_core::figures::guess::{guess_error_percent, parse_guess, GuessError, MAX_GUESS_MS};
use overlap_core::i18n::Catalogue;
use overlap_core::report::RunReport;
use yew::prelude::*;

use crate::format;
use crate::text::Words;

/// Why what was typed is not a guess, as a sentence.
fn guess_problem(text: &Catalogue, error: GuessError) -> String {
    match error {
        GuessError::NotANumber => text.get("guess.not_a_number"),
        GuessError::OutOfRange => text.fill("guess.out_of_range", &[("max", &MAX_GUESS_MS)]),
    }
}

/// The guess field, with core's reason when what was typed (`typed`) is
/// not a guess, in the language of `text`; `on_edit` is called with each
/// edit, and the field is fixed while a run goes on (`disabled`). A
/// function, not a component: it has no state of its own (issue 29).
pub fn guess_input(
    text: &Catalogue,
    typed: &str,
    on_edit: Callback<String>,
    disabled: bool,
) -> Html {
    let oninput = Callback::from(move |e: InputEvent| {
        on_edit.emit(
            e.target_unchecked_into::<web_sys::HtmlInputElement>()
                .value(),
        )
    });
    let problem = parse_guess(typed, text.lang()).err();
    html! {
        <div class={classes!("field", "guess", problem.is_some().then_some("invalid"))}>
            <label for="guess">{ text.html("guess.label") }</label>
            <input id="guess" type="text" inputmode="decimal" data-testid="guess" value={typed.to_owned()}
                   {oninput} {disabled} aria-invalid={problem.is_some().to_string()} />
            if let Some(why) = problem {
                <p class="problem" role="alert">{ guess_problem(text, why) }</p>
            }
        </div>
    }
}

/// Guess, model and measurement of the wall time, side by side.
pub fn guess_result(text: &Catalogue, report: &RunReport, guess_ms: f64) -> Html {
    let (guess, model, measured) = (
        format::ms(text.lang(), guess_ms),
        format::ms(text.lang(), report.predicted.wall_ms),
        format::ms(text.lang(), report.wall_ms),
    );
    let line = match guess_error_percent(guess_ms, report.wall_ms) {
        Some(e) => text.fill(
            "guess.result.off",
            &[
                ("guess", &guess),
                ("model", &model),
                ("measured", &measured),
                ("off", &text.lang().signed(e, 0)),
            ],
        ),
        None => text.fill(
            "guess.result",
            &[
                ("guess", &guess),
                ("model", &model),
                ("measured", &measured),
            ],
        ),
    };
    html! {
        <p class="guess-result" data-testid="guess-result">{ line }</p>
    }
}
