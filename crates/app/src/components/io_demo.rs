//! Proof of concurrency: many timers awaited together on the one event loop.

use overlap_runtime::demo::{io_tasks_concurrently, IoDemoReport};
use yew::prelude::*;

use crate::format;

/// How many timers the proof awaits.
const IO_TASKS: usize = 100;

/// A button that awaits [`IO_TASKS`] timers at once and compares wall time with their sum.
#[function_component(IoDemo)]
pub fn io_demo() -> Html {
    let report = use_state(|| None::<IoDemoReport>);
    let running = use_state(|| false);
    let onclick = {
        let (report, running) = (report.clone(), running.clone());
        Callback::from(move |_| {
            let (report, running) = (report.clone(), running.clone());
            running.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                report.set(Some(io_tasks_concurrently(IO_TASKS).await));
                running.set(false);
            });
        })
    };
    html! {
        <article class="panel demo" aria-labelledby="io-title">
            <h2 id="io-title">{ "Concurrency on the event loop" }</h2>
            <p>{ format!("{IO_TASKS} tasks each wait 50–150 ms on a timer, like coroutines \
                          awaiting I/O. They are all in flight at once on the page's single \
                          thread, so the whole batch takes about as long as the longest wait.") }</p>
            <button type="button" {onclick} disabled={*running} data-testid="io-run">
                { if *running { "Waiting…".to_owned() } else { format!("{IO_TASKS} I/O tasks concurrently") } }
            </button>
            if let Some(r) = &*report {
                <dl class="results" aria-live="polite">
                    <div><dt>{ "Wall time" }</dt>
                        <dd><span data-testid="io-wall-ms">{ format::ms(r.wall_ms) }</span>{ " ms" }</dd></div>
                    <div><dt>{ "Sum of the waits" }</dt>
                        <dd><span data-testid="io-sum-ms">{ format::ms(r.sum_of_waits_ms) }</span>{ " ms" }</dd></div>
                    <div><dt>{ "Sum ÷ wall" }</dt>
                        <dd>{ format::ratio(r.sum_of_waits_ms / r.wall_ms.max(f64::EPSILON)) }</dd></div>
                </dl>
            }
        </article>
    }
}
