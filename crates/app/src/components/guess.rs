//! "Predict, then run": the visitor's guess of the wall time, typed before
//! a run, and set beside the model's prediction and the measurement after it.

use overlap_core::figures::guess::{guess_error_percent, parse_guess};
use overlap_core::report::RunReport;
use yew::prelude::*;

use crate::format;

/// Inputs of [`GuessInput`].
#[derive(Properties, PartialEq)]
pub struct GuessProps {
    /// What the visitor typed.
    pub text: String,
    /// Called with each edit.
    pub on_edit: Callback<String>,
    /// Whether a run is going on (the guess is then fixed).
    pub disabled: bool,
}

/// The guess field, with core's reason when what was typed is not a guess.
#[function_component(GuessInput)]
pub fn guess_input(props: &GuessProps) -> Html {
    let oninput = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: InputEvent| {
            on_edit.emit(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value(),
            )
        })
    };
    let problem = parse_guess(&props.text).err();
    html! {
        <div class={classes!("field", "guess", problem.is_some().then_some("invalid"))}>
            <label for="guess">{ "Your guess of the wall time, before you run (ms, optional)" }</label>
            <input id="guess" type="text" inputmode="decimal" data-testid="guess" value={props.text.clone()}
                   {oninput} disabled={props.disabled} aria-invalid={problem.is_some().to_string()} />
            if let Some(why) = problem {
                <p class="problem" role="alert">{ format!("{why}.") }</p>
            }
        </div>
    }
}

/// Guess, model and measurement of the wall time, side by side.
pub fn guess_result(report: &RunReport, guess_ms: f64) -> Html {
    let verdict = guess_error_percent(guess_ms, report.wall_ms).map_or(String::new(), |e| {
        format!(" Your guess was off by {e:+.0} %.")
    });
    html! {
        <p class="guess-result" data-testid="guess-result">
            { format!(
                "Wall time: your guess {} ms · the model {} ms · measured {} ms.{verdict}",
                format::ms(guess_ms),
                format::ms(report.predicted.wall_ms),
                format::ms(report.wall_ms),
            ) }
        </p>
    }
}
