//! The numbers of a run, each beside the model's prediction (labelled as one).

use std::rc::Rc;

use overlap_core::trace::Outcome;
use overlap_runtime::executor::RunReport;
use yew::prelude::*;

use crate::format;

/// Inputs of [`Results`].
#[derive(Properties, Clone)]
pub struct ResultsProps {
    /// The finished run.
    pub report: Rc<RunReport>,
}

impl PartialEq for ResultsProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.report, &other.report)
    }
}

fn number(value: Option<f64>, digits: usize) -> String {
    value
        .filter(|v| v.is_finite())
        .map_or_else(|| "–".to_owned(), |v| format!("{v:.digits$}"))
}

/// A table: metric, measured, predicted.
#[function_component(Results)]
pub fn results(props: &ResultsProps) -> Html {
    let r = &props.report;
    let predicted_wall = r.prediction.wall_us as f64 / 1000.0;
    let summed = r.cpu_ms + r.io_wait_ms;
    let predicted_speedup = r.predicted_speedup;
    let predicted_efficiency = predicted_speedup.map(|s| s / f64::from(r.cpu_threads.max(1)));
    let lag = r.lag.drift_ms.as_ref();
    let count = |o: Outcome| r.tasks.iter().filter(|t| t.outcome == o).count();
    let row = |label: &str,
               testid: Option<&str>,
               measured: String,
               unit: &str,
               predicted: String| {
        html! {
            <tr>
                <th scope="row">{ label.to_owned() }</th>
                <td><span data-testid={testid.map(str::to_owned)}>{ measured }</span>{ unit.to_owned() }</td>
                <td class="predicted">{ predicted }</td>
            </tr>
        }
    };
    html! {
        <section class="panel results" aria-labelledby="results-title">
            <h2 id="results-title">{ "Results" }</h2>
            <table>
                <thead><tr><th scope="col">{ "Figure" }</th><th scope="col">{ "Measured" }</th>
                    <th scope="col">{ "Predicted (model)" }</th></tr></thead>
                <tbody>
                    { row("Wall time", Some("metric-wall-ms"), format::ms(r.wall_ms), " ms",
                          format!("{} ms ({:?})", format::ms(predicted_wall), r.prediction.model)) }
                    { row("Summed task time", Some("metric-summed-ms"), format::ms(summed), " ms",
                          "measured input of the model".to_owned()) }
                    { row("Speed-up (summed ÷ wall)", Some("metric-speedup"), number(r.speedup, 2),
                          if r.speedup.is_some() { "×" } else { "" },
                          predicted_speedup.map_or_else(|| "–".to_owned(), |s| format!("{s:.2}×"))) }
                    { row("Efficiency (speed-up ÷ threads)", Some("metric-efficiency"), number(r.efficiency, 2), "",
                          if r.experiment.workload.has_io() { "CPU-only runs".to_owned() } else { number(predicted_efficiency, 2) }) }
                    { row("Event-loop lag p50", Some("metric-lag-p50-ms"), number(lag.map(|p| p.p50), 1), " ms",
                          "small unless the loop is held most of the time".to_owned()) }
                    { row("Event-loop lag p95", Some("metric-lag-p95-ms"), number(lag.map(|p| p.p95), 1), " ms",
                          format!("main thread busy {} ms in all", format::ms(r.prediction.main_blocked_us as f64 / 1000.0))) }
                    { row("Event-loop lag max", Some("metric-lag-max-ms"), number(lag.map(|p| p.max), 1), " ms",
                          format!("≈ {} ms (longest stretch on the main thread)", format::ms(r.predicted_stall_ms))) }
                    { row("Frames missed (60 Hz)", Some("metric-frames-missed"), r.frames_missed.to_string(), "",
                          format!("≈ {}", r.predicted_frames_missed)) }
                    { row("Long tasks", Some("metric-long-tasks"),
                          r.long_tasks.map_or_else(|| "not available".to_owned(), |n| n.to_string()), "",
                          r.predicted_long_tasks.to_string()) }
                    { row("Tasks ok / failed / cancelled", None,
                          format!("{} / {} / {}", count(Outcome::Ok), count(Outcome::Error), count(Outcome::Cancelled)), "",
                          if r.prediction.timed_out { "times out".to_owned() } else { "".to_owned() }) }
                </tbody>
            </table>
            <p class="hint">
                if r.experiment.workload.has_cpu() {
                    { format!("{} could run CPU work. ", if r.cpu_threads == 1 { "One thread".to_owned() } else { format!("{} threads", r.cpu_threads) }) }
                }
                if r.timed_out { { "The wait hit its timeout. " } }
                if !r.pending.is_empty() { { format!("{} task(s) were still pending when the wait returned and were then cancelled. ", r.pending.len()) } }
                if r.cancelled { { "You cancelled this run. " } }
                if r.speedup.is_none() && r.predicted_speedup.is_some() && !r.experiment.workload.has_io() {
                    { "Each task ran split over several threads, so its time is not its one-thread cost: \
                       compare with a k = 1 run, or sweep. " }
                }
                if r.trace.dropped_spans > 0 {
                    { format!("The timeline kept the first {} spans and left out {}; the figures count them all. ",
                              format::thousands(r.trace.spans.len() as u64), format::thousands(r.trace.dropped_spans)) }
                }
                if let Some(us) = r.yield_overhead_us { { format!("One yield to the event loop costs about {} µs here.", format::ms(us)) } }
            </p>
        </section>
    }
}
