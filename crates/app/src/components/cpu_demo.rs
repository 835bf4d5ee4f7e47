//! Proof of parallelism: CPU tasks handed to the worker pool, and where each ran.

use overlap_runtime::demo::{cpu_tasks_on_pool, CpuDemoReport};
use yew::prelude::*;

use crate::format;

/// How many CPU tasks the proof hands to the pool.
const CPU_TASKS: usize = 8;
/// Each task counts the primes below this limit (tens of ms of work).
const PRIME_LIMIT: u64 = 1_000_000;

/// Inputs of [`CpuDemo`].
#[derive(Properties, PartialEq)]
pub struct CpuDemoProps {
    /// Whether the pool accepts work; the button waits for it.
    pub pool_ready: bool,
}

/// A button that runs [`CPU_TASKS`] prime counts on the pool and shows which worker ran each.
#[function_component(CpuDemo)]
pub fn cpu_demo(props: &CpuDemoProps) -> Html {
    let outcome = use_state(|| None::<Result<CpuDemoReport, String>>);
    let running = use_state(|| false);
    let onclick = {
        let (outcome, running) = (outcome.clone(), running.clone());
        Callback::from(move |_| {
            let (outcome, running) = (outcome.clone(), running.clone());
            running.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let result = cpu_tasks_on_pool(CPU_TASKS, PRIME_LIMIT).await;
                outcome.set(Some(result.map_err(|e| e.to_string())));
                running.set(false);
            });
        })
    };
    let label = if *running {
        "Computing…".to_owned()
    } else {
        format!("{CPU_TASKS} CPU tasks on the pool")
    };
    html! {
        <article class="panel demo" aria-labelledby="cpu-title">
            <h2 id="cpu-title">{ "Parallelism on the worker pool" }</h2>
            <p>{ format!("{CPU_TASKS} tasks each count the primes below {}, handed to \
                          the pool like run_in_executor. The page stays responsive while the \
                          workers compute, each on its own core.", format::thousands(PRIME_LIMIT)) }</p>
            <button type="button" {onclick} disabled={*running || !props.pool_ready} data-testid="cpu-run">
                { label }
            </button>
            { match &*outcome {
                None => html! {},
                Some(Err(message)) => html! {
                    <p class="error" role="alert" data-testid="cpu-error">{ message.clone() }</p>
                },
                Some(Ok(report)) => cpu_results(report),
            } }
        </article>
    }
}

fn cpu_results(report: &CpuDemoReport) -> Html {
    let origin = report
        .tasks
        .iter()
        .map(|t| t.start_ms)
        .fold(f64::INFINITY, f64::min);
    html! {
        <>
            <dl class="results" aria-live="polite">
                <div><dt>{ "Wall time" }</dt>
                    <dd><span data-testid="cpu-wall-ms">{ format::ms(report.wall_ms) }</span>{ " ms" }</dd></div>
                <div><dt>{ "Summed task time" }</dt>
                    <dd><span data-testid="cpu-busy-ms">{ format::ms(report.busy_ms()) }</span>{ " ms" }</dd></div>
                <div><dt>{ "Speed-up (summed ÷ wall)" }</dt>
                    <dd>{ format::ratio(report.busy_ms() / report.wall_ms.max(f64::EPSILON)) }</dd></div>
                <div><dt>{ "Workers used" }</dt>
                    <dd><span data-testid="cpu-workers-used">{ report.workers_used() }</span></dd></div>
            </dl>
            <table class="tasks">
                <caption>{ "Where each task ran (times from the first start)" }</caption>
                <thead><tr><th scope="col">{ "Task" }</th><th scope="col">{ "Worker" }</th>
                    <th scope="col">{ "Start (ms)" }</th><th scope="col">{ "End (ms)" }</th></tr></thead>
                <tbody>
                    { for report.tasks.iter().map(|t| html! {
                        <tr>
                            <td>{ t.task + 1 }</td>
                            <td data-testid="cpu-task-worker">{ t.worker + 1 }</td>
                            <td>{ format::ms(t.start_ms - origin) }</td>
                            <td>{ format::ms(t.end_ms - origin) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </>
    }
}
