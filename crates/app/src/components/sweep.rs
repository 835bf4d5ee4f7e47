//! The sweep: the same experiment for k = 1…N, speed-up against k with the
//! ideal line and the fitted serial fraction (Amdahl's law).

use overlap_core::metrics::fit_amdahl;
use yew::prelude::*;

use crate::format;
use crate::state::Sweep;

/// Inputs of [`SweepView`].
#[derive(Properties, PartialEq, Clone)]
pub struct SweepProps {
    /// The sweep to show.
    pub sweep: Sweep,
}

/// Progress while running, then the chart.
#[function_component(SweepView)]
pub fn sweep_view(props: &SweepProps) -> Html {
    let sweep = &props.sweep;
    let done = sweep.points.len() as u32;
    let base = sweep.points.first().map(|p| p.1);
    let speedups: Vec<(u32, f64)> = sweep
        .points
        .iter()
        .filter_map(|&(k, wall)| base.filter(|_| wall > 0.0).map(|b| (k, b / wall)))
        .collect();
    let fit = fit_amdahl(&speedups);
    let max_k = sweep.max_k.max(1) as f64;
    let (w, h, pad) = (320.0, 200.0, 30.0);
    let sx = |k: f64| pad + (k - 1.0) / (max_k - 1.0).max(1.0) * (w - 2.0 * pad);
    let sy = |s: f64| h - pad - (s - 0.0) / max_k * (h - 2.0 * pad);
    let measured: String = speedups
        .iter()
        .map(|&(k, s)| format!("{:.1},{:.1} ", sx(f64::from(k)), sy(s)))
        .collect();
    html! {
        <section class="panel sweep" aria-labelledby="sweep-title" data-testid="sweep">
            <h2 id="sweep-title">{ format!("Sweep k = 1 … {}", sweep.max_k) }</h2>
            <progress max={sweep.max_k.to_string()} value={done.to_string()} aria-label="Sweep progress">
                { format!("{done} of {}", sweep.max_k) }
            </progress>
            <p class="hint" data-testid="sweep-status">
                { if sweep.running { format!("Running k = {} …", done + 1) }
                  else if let Some(why) = &sweep.stopped { format!("Stopped after {done} of {}: {why}.", sweep.max_k) }
                  else { format!("Done: {done} runs.") } }
            </p>
            <svg viewBox={format!("0 0 {w} {h}")} role="img" aria-label="Speed-up against k, with the ideal line">
                <line class="axis-line" x1={pad.to_string()} y1={(h - pad).to_string()} x2={(w - pad).to_string()} y2={(h - pad).to_string()} />
                <line class="axis-line" x1={pad.to_string()} y1={pad.to_string()} x2={pad.to_string()} y2={(h - pad).to_string()} />
                <line class="ideal" x1={format!("{:.1}", sx(1.0))} y1={format!("{:.1}", sy(1.0))}
                      x2={format!("{:.1}", sx(max_k))} y2={format!("{:.1}", sy(max_k))} />
                <polyline class="measured" points={measured} />
                { for speedups.iter().map(|&(k, s)| html! {
                    <circle class="measured-point" cx={format!("{:.1}", sx(f64::from(k)))} cy={format!("{:.1}", sy(s))} r="3">
                        <title>{ format!("k = {k}: speed-up {}", format::ratio(s)) }</title>
                    </circle>
                }) }
                <text class="axis" x={(w / 2.0).to_string()} y={(h - 6.0).to_string()} text-anchor="middle">{ "k (workers)" }</text>
                <text class="axis" x="4" y="16">{ "speed-up" }</text>
            </svg>
            <p data-testid="sweep-fit">
                { match fit {
                    Some(f) if speedups.len() >= 2 => format!("Fitted serial fraction s = {:.2} (Amdahl's law; dashed line: ideal speed-up = k).", f.serial_fraction),
                    _ => "The fit needs at least two points.".to_owned(),
                } }
            </p>
        </section>
    }
}
