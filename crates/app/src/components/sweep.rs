//! The sweep: the same experiment for k = 1…N, several runs per k, speed-up
//! against k with each k's spread, the ideal line, the model for the
//! experiment's own parameters (flat past the pool's threads), the fitted
//! serial fraction with its uncertainty, Karp–Flatt, and the same in a table.

use overlap_core::i18n::Catalogue;
use overlap_core::sweep::{analyse, SweepAnalysis, SweepInputs, SweepModel};
use yew::prelude::*;

use crate::state::Sweep;
use crate::text::Words;

fn model_text(text: &Catalogue, a: &SweepAnalysis) -> String {
    let lang = text.lang();
    let model = match a.model {
        SweepModel::Amdahl {
            serial_fraction,
            threads,
        } => text.fill(
            "sweep.model.amdahl",
            &[
                ("s", &lang.number(serial_fraction, 2)),
                ("threads", &threads),
            ],
        ),
        SweepModel::ListScheduling { tasks, threads } => text.fill_count(
            "sweep.model.list",
            u64::from(tasks),
            &[
                ("tasks", &lang.integer(u64::from(tasks))),
                ("threads", &threads),
            ],
        ),
        SweepModel::OneAtATime => text.get("sweep.model.one"),
    };
    let fit = a.fit.map(|f| {
        text.fill(
            "sweep.fit",
            &[
                ("points", &f.points),
                ("s", &lang.number(f.serial_fraction, 2)),
                ("error", &lang.number(f.std_error, 2)),
            ],
        )
    });
    let past = text.fill("sweep.past", &[("threads", &a.threads)]);
    [Some(model), fit, Some(past)]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where the sweep stands, in one sentence.
fn status(text: &Catalogue, sweep: &Sweep, total: u32) -> String {
    if sweep.running {
        text.fill(
            "sweep.status.running",
            &[
                ("run", &(sweep.runs + 1)),
                ("total", &total),
                ("max", &sweep.max_k),
                ("rounds", &sweep.repeats),
            ],
        )
    } else if let Some(why) = &sweep.stopped {
        text.fill(
            "sweep.status.stopped",
            &[("runs", &sweep.runs), ("total", &total), ("why", why)],
        )
    } else {
        text.fill(
            "sweep.status.done",
            &[("runs", &sweep.runs), ("repeats", &sweep.repeats)],
        )
    }
}

/// The measured points as a table: runs, median, range, model.
fn points_table(text: &Catalogue, a: &SweepAnalysis) -> Html {
    html! {
    <table class="sweep-table" data-testid="sweep-table">
        <caption>{ text.html("sweep.table.caption") }</caption>
        <thead><tr><th scope="col" translate="no">{ "k" }</th><th scope="col">{ text.html("sweep.table.runs") }</th>
            <th scope="col">{ text.html("sweep.table.median") }</th>
            <th scope="col">{ text.html("sweep.table.range") }</th><th scope="col">{ text.html("sweep.table.model") }</th></tr></thead>
        <tbody>
            { for a.points.iter().map(|p| html! {
                <tr>
                    <th scope="row">{ p.k }</th>
                    <td>{ p.runs }</td>
                    <td>{ text.lang().number(p.median, 2) }</td>
                    <td>{ [text.lang().number(p.min, 2), text.lang().number(p.max, 2)].join(" – ") }</td>
                    <td>{ text.lang().number(a.model.speedup_at(p.k), 2) }</td>
                </tr>
            }) }
        </tbody>
    </table>
    }
}

/// `sweep`'s progress while it runs, then its chart and table, in the
/// language of `text`. A function, not a component: it has no state of its
/// own, and a component weighs Yew's mount, reuse and props code on the
/// wasm (issue 29).
pub fn sweep_view(text: &Catalogue, sweep: &Sweep) -> Html {
    let total = sweep.max_k.max(1) * sweep.repeats.max(1);
    let a = analyse(SweepInputs {
        profile: sweep.profile,
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
            <h2 id="sweep-title">{ text.fill_html("sweep.title", &[("max", &sweep.max_k)]) }</h2>
            <progress max={total.to_string()} value={sweep.runs.to_string()} aria-label={text.get("sweep.progress.label")}>
                { text.fill_html("sweep.progress.value", &[("runs", &sweep.runs), ("total", &total)]) }
            </progress>
            <p class="hint" data-testid="sweep-status">
                { status(text, sweep, total) }
            </p>
            <svg viewBox={format!("0 0 {w} {h}")} role="img" aria-label={text.get("sweep.chart.label")}>
                <path class="tick-line" d={grid} />
                { for (0..=top as u32).map(|t| html! {
                    <text class="axis" x={(left - 6.0).to_string()} y={format!("{:.1}", sy(f64::from(t)) + 4.0)} text-anchor="end">{ t }</text>
                }) }
                { for (1..=max_k).map(|k| html! {
                    <text class="axis" data-testid="sweep-k" x={format!("{:.1}", sx(f64::from(k)))} y={(h - pad + 14.0).to_string()} text-anchor="middle">{ k }</text>
                }) }
                <line class="cores-line" x1={cores_x.clone()} x2={cores_x} y1={pad.to_string()} y2={(h - pad).to_string()} />
                <text class="axis" x={format!("{:.1}", sx(f64::from(a.threads.min(max_k))) + 4.0)} y={(h - pad - 6.0).to_string()}>{ text.fill_html("sweep.threads", &[("threads", &a.threads)]) }</text>
                <polyline class="ideal" points={curve(&|k| f64::from(k.min(a.threads)))} />
                <polyline class="model" data-testid="sweep-model" points={curve(&|k| a.model.speedup_at(k))} />
                if let Some(points) = fitted {
                    <polyline class="fitted" points={points} />
                }
                <path class="range" d={ranges} />
                <path class="median" d={medians} />
                <text class="axis" x={((left + w - right) / 2.0).to_string()} y={(h - 4.0).to_string()} text-anchor="middle">{ text.html("sweep.axis.k") }</text>
                <text class="axis" x="4" y="12">{ text.html("sweep.axis.speedup") }</text>
            </svg>
            <p data-testid="sweep-fit">{ format!("{} {}", model_text(text, &a), text.get("sweep.ideal")) }</p>
            if !a.karp_flatt.is_empty() {
                <p data-testid="sweep-karp-flatt">
                    { text.fill_html("sweep.karp_flatt", &[(
                        "values",
                        &a.karp_flatt.iter().map(|(k, e)| {
                            text.fill("sweep.karp_flatt.value", &[("k", k), ("e", &text.lang().number(*e, 2))])
                        }).collect::<Vec<_>>().join(text.lang().list_separator()),
                    )]) }
                </p>
            }
            { points_table(text, &a) }
        </section>
    }
}
