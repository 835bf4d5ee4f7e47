//! The experiment as Python and as Rust, side by side.

use overlap_core::Experiment;
use yew::prelude::*;

use crate::code;

/// Inputs of [`CodePanel`].
#[derive(Properties, PartialEq, Clone)]
pub struct CodePanelProps {
    /// The experiment to write out.
    pub experiment: Experiment,
}

/// Two code blocks, updated as the parameters change.
#[function_component(CodePanel)]
pub fn code_panel(props: &CodePanelProps) -> Html {
    html! {
        <section class="panel code" aria-labelledby="code-title">
            <h2 id="code-title">{ "The same experiment in code" }</h2>
            <div class="code-pair">
                <figure>
                    <figcaption>{ "Python (asyncio, concurrent.futures)" }</figcaption>
                    <pre data-testid="code-python"><code>{ code::python(&props.experiment) }</code></pre>
                </figure>
                <figure>
                    <figcaption>{ "Rust (what Overlap runs, in outline)" }</figcaption>
                    <pre data-testid="code-rust"><code>{ code::rust(&props.experiment) }</code></pre>
                </figure>
            </div>
        </section>
    }
}
