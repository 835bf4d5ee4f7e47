//! The sweep: the same experiment for k = 1…N, speed-up against k with the
//! ideal line and the model that fits the strategy (core's `sweep`):
//! Amdahl's fitted serial fraction for data-parallel tasks, list scheduling
//! for a pool of whole tasks, one thread at a time for GIL mode; Karp–Flatt
//! for every k ≥ 2.

use overlap_core::sweep::{analyse, SweepModel};
use yew::prelude::*;

use crate::format;
use crate::state::Sweep;

/// Inputs of [`SweepView`].
#[derive(Properties, PartialEq, Clone)]
pub struct SweepProps {
    /// The sweep to show.
    pub sweep: Sweep,
}

fn model_text(model: Option<SweepModel>, points: usize) -> String {
    match model {
        Some(SweepModel::Amdahl(f)) => format!(
            "Fitted serial fraction s = {:.2} (Amdahl's law, solid grey line; dashed: ideal speed-up = k).",
            f.serial_fraction
        ),
        Some(SweepModel::ListScheduling { tasks }) => format!(
            "Model: {tasks} whole tasks on k workers take ⌈{tasks}/k⌉ rounds (list scheduling, solid grey line). \
             A shortfall here is load imbalance, not serial code, so no serial fraction is fitted."
        ),
        Some(SweepModel::OneAtATime) => {
            "Model: one thread computes at a time whatever k is (GIL), so the speed-up stays at 1.".to_owned()
        }
        None if points < 2 => "The model needs at least two points.".to_owned(),
        None => "No model fits these points.".to_owned(),
    }
}

/// Progress while running, then the chart.
#[function_component(SweepView)]
pub fn sweep_view(props: &SweepProps) -> Html {
    let sweep = &props.sweep;
    let total = sweep.max_k.max(1) * sweep.repeats.max(1);
    let analysis = analyse(sweep.strategy, sweep.tasks, &sweep.points);
    let max_k = sweep.max_k.max(1);
    let top = f64::from(max_k).max(analysis.speedups.iter().map(|p| p.1).fold(1.0, f64::max));
    let (w, h, pad) = (320.0, 200.0, 34.0);
    let sx = |k: f64| pad + (k - 1.0) / (f64::from(max_k) - 1.0).max(1.0) * (w - 2.0 * pad);
    let sy = |s: f64| h - pad - s / top * (h - 2.0 * pad);
    let line = |points: &[(u32, f64)]| -> String {
        points
            .iter()
            .map(|&(k, s)| format!("{:.1},{:.1} ", sx(f64::from(k)), sy(s)))
            .collect()
    };
    let model_curve: Vec<(u32, f64)> = analysis
        .model
        .map(|m| (1..=max_k).map(|k| (k, m.speedup_at(k))).collect())
        .unwrap_or_default();
    html! {
        <section class="panel sweep" aria-labelledby="sweep-title" data-testid="sweep">
            <h2 id="sweep-title">{ format!("Sweep k = 1 … {}", sweep.max_k) }</h2>
            <progress max={total.to_string()} value={sweep.runs.to_string()} aria-label="Sweep progress">
                { format!("{} of {total}", sweep.runs) }
            </progress>
            <p class="hint" data-testid="sweep-status">
                { if sweep.running { format!("Running {} of {total} runs (k = 1 … {}, {} rounds; each point is the fastest of its runs) …", sweep.runs + 1, sweep.max_k, sweep.repeats) }
                  else if let Some(why) = &sweep.stopped { format!("Stopped after {} of {total} runs: {why}.", sweep.runs) }
                  else { format!("Done: {} runs; each point is the fastest of {} runs.", sweep.runs, sweep.repeats) } }
            </p>
            <svg viewBox={format!("0 0 {w} {h}")} role="img" aria-label="Speed-up against k, with the ideal line and the model">
                <line class="axis-line" x1={pad.to_string()} y1={(h - pad).to_string()} x2={(w - pad).to_string()} y2={(h - pad).to_string()} />
                <line class="axis-line" x1={pad.to_string()} y1={pad.to_string()} x2={pad.to_string()} y2={(h - pad).to_string()} />
                { for (1..=max_k).map(|k| html! {
                    <text class="axis" x={format!("{:.1}", sx(f64::from(k)))} y={(h - pad + 14.0).to_string()} text-anchor="middle">{ k }</text>
                }) }
                { for [1.0, top].iter().map(|&s| html! {
                    <text class="axis" x={(pad - 4.0).to_string()} y={format!("{:.1}", sy(s) + 4.0)} text-anchor="end">{ format!("{s:.0}") }</text>
                }) }
                <line class="ideal" x1={format!("{:.1}", sx(1.0))} y1={format!("{:.1}", sy(1.0))}
                      x2={format!("{:.1}", sx(f64::from(max_k)))} y2={format!("{:.1}", sy(f64::from(max_k)))} />
                <polyline class="model" points={line(&model_curve)} />
                <polyline class="measured" points={line(&analysis.speedups)} />
                { for analysis.speedups.iter().map(|&(k, s)| html! {
                    <circle class="measured-point" cx={format!("{:.1}", sx(f64::from(k)))} cy={format!("{:.1}", sy(s))} r="3">
                        <title>{ format!("k = {k}: speed-up {}", format::ratio(s)) }</title>
                    </circle>
                }) }
                <text class="axis" x={(w / 2.0).to_string()} y={(h - 4.0).to_string()} text-anchor="middle">{ "k (workers)" }</text>
                <text class="axis" x="4" y="14">{ "speed-up vs k = 1" }</text>
            </svg>
            <p data-testid="sweep-fit">{ model_text(analysis.model, analysis.speedups.len()) }</p>
            if !analysis.karp_flatt.is_empty() {
                <p data-testid="sweep-karp-flatt">
                    { "Karp–Flatt serial fraction (flat: serial code; rising: imbalance or overhead): " }
                    { analysis.karp_flatt.iter().map(|(k, e)| format!("k = {k}: {e:.2}")).collect::<Vec<_>>().join(", ") }
                </p>
            }
        </section>
    }
}
