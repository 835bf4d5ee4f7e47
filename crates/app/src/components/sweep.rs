//! The sweep: the same experiment for k = 1…N, several runs per k, speed-up
//! against k with each k's spread, the ideal line, the model for the
//! experiment's own parameters (flat past the pool's threads), the fitted
//! serial fraction with its uncertainty, Karp–Flatt, and the same in a table.

use overlap_core::sweep::{analyse, SweepAnalysis, SweepInputs, SweepModel};
use yew::prelude::*;

use crate::state::Sweep;

/// Inputs of [`SweepView`].
#[derive(Properties, PartialEq, Clone)]
pub struct SweepProps {
    /// The sweep to show.
    pub sweep: Sweep,
}

fn model_text(a: &SweepAnalysis) -> String {
    let model = match a.model {
        SweepModel::Amdahl {
            serial_fraction,
            threads,
        } => format!(
            "Model (solid grey): Amdahl's law with the experiment's serial fraction s = {serial_fraction:.2}, \
             on at most {threads} threads."
        ),
        SweepModel::ListScheduling { tasks, threads } => format!(
            "Model (solid grey): {tasks} whole tasks on k workers take ⌈{tasks}/k⌉ rounds (list scheduling), \
             at most {threads} at once. A shortfall here is load imbalance, not serial code, so no serial \
             fraction is fitted."
        ),
        SweepModel::OneAtATime => {
            "Model (solid grey): one thread computes at a time whatever k is (the GIL), so the speed-up stays at 1."
                .to_owned()
        }
    };
    let fit = a.fit.map_or_else(String::new, |f| {
        format!(
            " Fitted to the {} runs (dashed): s = {:.2} ± {:.2} (standard error).",
            f.points, f.serial_fraction, f.std_error
        )
    });
    format!(
        "{model}{fit} Past {} threads, k only queues work: the curve is flat (oversubscription).",
        a.threads
    )
}

/// Progress while running, then the chart and its table.
#[function_component(SweepView)]
pub fn sweep_view(props: &SweepProps) -> Html {
    let sweep = &props.sweep;
    let total = sweep.max_k.max(1) * sweep.repeats.max(1);
    let a = analyse(SweepInputs {
        strategy: sweep.strategy,
        tasks: sweep.tasks,
        serial_fraction: sweep.serial_fraction,
        threads: sweep.threads,
        runs: &sweep.points,
    });
    let max_k = sweep.max_k.max(2);
    let highest = a
        .points
        .iter()
        .map(|p| p.max)
        .chain((1..=max_k).map(|k| a.model.speedup_at(k)))
        .fold(f64::from(a.threads), f64::max);
    let top = highest.ceil().max(2.0);
    let (w, h, left, right, pad) = (360.0, 220.0, 40.0, 16.0, 30.0);
    let sx = |k: f64| left + (k - 1.0) / f64::from(max_k - 1) * (w - left - right);
    let sy = |s: f64| h - pad - s.min(top) / top * (h - 2.0 * pad);
    let curve = |at: &dyn Fn(u32) -> f64| -> String {
        (1..=max_k)
            .map(|k| format!("{:.1},{:.1} ", sx(f64::from(k)), sy(at(k))))
            .collect()
    };
    let fitted = a.fit.map(|f| {
        let model = SweepModel::Amdahl {
            serial_fraction: f.serial_fraction,
            threads: a.threads,
        };
        curve(&|k| model.speedup_at(k))
    });
    // One path each for the grid, the ranges and the medians (a dot is a
    // zero-length stroke with round caps): a few elements, not a few per k.
    let grid: String = (0..=top as u32)
        .map(|t| format!("M{left} {:.1}H{} ", sy(f64::from(t)), w - right))
        .collect();
    let ranges: String = a
        .points
        .iter()
        .map(|p| {
            format!(
                "M{:.1} {:.1}V{:.1} ",
                sx(f64::from(p.k)),
                sy(p.min),
                sy(p.max)
            )
        })
        .collect();
    let medians: String = a
        .points
        .iter()
        .map(|p| format!("M{:.1} {:.1}h0 ", sx(f64::from(p.k)), sy(p.median)))
        .collect();
    let cores_x = format!("{:.1}", sx(f64::from(a.threads.min(max_k))));
    html! {
        <section class="panel sweep" aria-labelledby="sweep-title" data-testid="sweep">
            <h2 id="sweep-title">{ format!("Sweep k = 1 … {}", sweep.max_k) }</h2>
            <progress max={total.to_string()} value={sweep.runs.to_string()} aria-label="Sweep progress">
                { format!("{} of {total}", sweep.runs) }
            </progress>
            <p class="hint" data-testid="sweep-status">
                { if sweep.running { format!("Running {} of {total} runs (k = 1 … {}, {} rounds) …", sweep.runs + 1, sweep.max_k, sweep.repeats) }
                  else if let Some(why) = &sweep.stopped { format!("Stopped after {} of {total} runs: {why}.", sweep.runs) }
                  else { format!("Done: {} runs, {} per k; each point is their median, its bar their range.", sweep.runs, sweep.repeats) } }
            </p>
            <svg viewBox={format!("0 0 {w} {h}")} role="img" aria-label="Speed-up against k: each k's runs, the ideal line, the model and the fit (the table below has the values)">
                <path class="tick-line" d={grid} />
                { for (0..=top as u32).map(|t| html! {
                    <text class="axis" x={(left - 6.0).to_string()} y={format!("{:.1}", sy(f64::from(t)) + 4.0)} text-anchor="end">{ t }</text>
                }) }
                { for (1..=max_k).map(|k| html! {
                    <text class="axis" data-testid="sweep-k" x={format!("{:.1}", sx(f64::from(k)))} y={(h - pad + 14.0).to_string()} text-anchor="middle">{ k }</text>
                }) }
                <line class="cores-line" x1={cores_x.clone()} x2={cores_x} y1={pad.to_string()} y2={(h - pad).to_string()} />
                <text class="axis" x={format!("{:.1}", sx(f64::from(a.threads.min(max_k))) + 4.0)} y={(h - pad - 6.0).to_string()}>{ format!("{} threads", a.threads) }</text>
                <polyline class="ideal" points={curve(&|k| f64::from(k.min(a.threads)))} />
                <polyline class="model" data-testid="sweep-model" points={curve(&|k| a.model.speedup_at(k))} />
                if let Some(points) = fitted {
                    <polyline class="fitted" points={points} />
                }
                <path class="range" d={ranges} />
                <path class="median" d={medians} />
                <text class="axis" x={((left + w - right) / 2.0).to_string()} y={(h - 4.0).to_string()} text-anchor="middle">{ "k (workers asked for)" }</text>
                <text class="axis" x="4" y="12">{ "speed-up vs k = 1" }</text>
            </svg>
            <p data-testid="sweep-fit">{ model_text(&a) }{ " Dotted: the ideal, k times faster up to the threads." }</p>
            if !a.karp_flatt.is_empty() {
                <p data-testid="sweep-karp-flatt">
                    { "Karp–Flatt serial fraction up to the threads (flat: serial code; rising: imbalance or overhead): " }
                    { a.karp_flatt.iter().map(|(k, e)| format!("k = {k}: {e:.2}")).collect::<Vec<_>>().join(", ") }
                </p>
            }
            <table class="sweep-table" data-testid="sweep-table">
                <caption>{ "Speed-up per k (the chart's values)" }</caption>
                <thead><tr><th scope="col">{ "k" }</th><th scope="col">{ "runs" }</th><th scope="col">{ "median" }</th>
                    <th scope="col">{ "range" }</th><th scope="col">{ "model" }</th></tr></thead>
                <tbody>
                    { for a.points.iter().map(|p| html! {
                        <tr>
                            <th scope="row">{ p.k }</th>
                            <td>{ p.runs }</td>
                            <td>{ format!("{:.2}", p.median) }</td>
                            <td>{ format!("{:.2} – {:.2}", p.min, p.max) }</td>
                            <td>{ format!("{:.2}", a.model.speedup_at(p.k)) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </section>
    }
}
