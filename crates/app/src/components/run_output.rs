//! What a finished run leaves under the timeline: its figures, the visitor's
//! guess beside the model and the measurement, the exports, and the
//! Mandelbrot image when the run computed one.

use std::rc::Rc;

use overlap_core::figures::drawing::DrawingCost;
use overlap_core::i18n::Catalogue;
use overlap_core::kernels::Kernel;
use overlap_core::record::RunRecord;
use overlap_runtime::measure::RunReport;
use yew::prelude::*;

use crate::components::guess::guess_result;
use crate::components::history::export_buttons;
use crate::components::mandelbrot::MandelbrotView;
use crate::components::results::results;
use crate::text::use_text;

/// Inputs of [`RunOutput`].
#[derive(Properties)]
pub struct RunOutputProps {
    /// The finished run.
    pub report: Rc<RunReport>,
    /// The same run as the history keeps and exports it.
    pub record: Rc<RunRecord>,
    /// The guess the run was started with (ms), if any.
    pub guess_ms: Option<f64>,
    /// What the page's own drawing took during the run, if it drew it.
    pub drawing: Option<DrawingCost>,
    /// The preset whose story the run belongs to: its key figures lead.
    pub story: Option<&'static str>,
}

impl PartialEq for RunOutputProps {
    // The same run is the same allocation: no need to compare reports.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.report, &other.report)
            && Rc::ptr_eq(&self.record, &other.record)
            && self.guess_ms == other.guess_ms
            && self.drawing == other.drawing
            && self.story == other.story
    }
}

/// The results of a finished run.
#[function_component(RunOutput)]
pub fn run_output(props: &RunOutputProps) -> Html {
    let text = use_text();
    let problem = use_state(|| None::<String>);
    let report = &props.report;
    html! {
        <>
            { results(&text, report, props.story) }
            if let Some(cost) = props.drawing {
                { drawing_line(&text, &cost, report.wall_ms) }
            }
            if let Some(guess) = props.guess_ms {
                { guess_result(&text, report, guess) }
            }
            <div class="export-actions">
                { export_buttons(&text, &props.record, "", &problem) }
                if let Some(why) = &*problem {
                    <p class="problem" role="alert">{ why.clone() }</p>
                }
            </div>
            if report.experiment.kernel == Kernel::Mandelbrot && report.experiment.workload.has_cpu() {
                <MandelbrotView report={report.clone()} />
            }
        </>
    }
}

/// The instrument's own cost, so that a visitor can tell it stayed quiet.
fn drawing_line(text: &Catalogue, cost: &DrawingCost, wall_ms: f64) -> Html {
    // Filled but for `{ms}`, where the measured value goes in a span of its own.
    let line = match cost.percent_of(wall_ms) {
        Some(p) => text.fill_count(
            "output.drawing.share",
            u64::from(cost.updates),
            &[
                ("updates", &text.lang().integer(u64::from(cost.updates))),
                ("percent", &text.lang().number(p, 1)),
            ],
        ),
        None => text.fill_count(
            "output.drawing",
            u64::from(cost.updates),
            &[("updates", &text.lang().integer(u64::from(cost.updates)))],
        ),
    };
    let (before, after) = line.split_once("{ms}").unwrap_or((line.as_str(), ""));
    html! {
        <p class="hint drawing-cost" title={text.get("output.drawing.definition")}>
            { before.to_owned() }
            <span data-testid="metric-drawing-ms" data-value={format!("{:.3}", cost.busy_ms)}>{ text.lang().number(cost.busy_ms, 1) }</span>
            { after.to_owned() }
        </p>
    }
}
