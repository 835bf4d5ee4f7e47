//! The program's `async def main()`: how it awaits the tasks (`asyncio.wait`,
//! `gather` under a timeout, a `TaskGroup`, `as_completed`), what it does
//! with those still pending, and the coroutine it neglects.

use super::shake::names_used;
use super::{page_gil, py_str, start_method_of, strategy, threads_compute, Fragments};
use crate::experiment::{AfterWait, Awaiting, IoSource, Neglect, Token};
use crate::io_model::neglected_latency_us;
use crate::Experiment;

/// What the program does with the pending tasks once `asyncio.wait` returned.
fn after_wait(policy: AfterWait, stop_driver: &str, f: &Fragments) -> String {
    let name = match policy {
        AfterWait::CancelPending => "after_wait.cancel",
        AfterWait::LetFinish => "after_wait.finish",
        AfterWait::StopRunning => "after_wait.stop",
    };
    f.fill(name, &[("stop_driver", &stop_driver)])
}

/// The lines that start the tasks (`started`: the strategy's, then the
/// neglected coroutine) and await them, by the construct the experiment
/// shows; they leave `done`, `pending` and `wall_ms` set. A `TaskGroup`
/// starts them inside it, the others before they await.
fn awaiting(e: &Experiment, started: &str, stop_driver: &str, f: &Fragments) -> String {
    let counted = f.get("awaiting.counted");
    let after = || after_wait(e.after_wait, stop_driver, f);
    let waits = match e.awaiting {
        Awaiting::Wait => f.fill("awaiting.wait", &[("after_wait", &after())]),
        Awaiting::Gather => f.fill(
            "awaiting.gather",
            &[("counted", &counted), ("stop_driver", &stop_driver)],
        ),
        Awaiting::TaskGroup => f.fill(
            "awaiting.task_group",
            &[
                ("started", &indented(started, 8)),
                ("counted", &counted),
                ("stop_driver", &stop_driver),
            ],
        ),
        Awaiting::AsCompleted => f.fill("awaiting.as_completed", &[("after_wait", &after())]),
    };
    if e.awaiting == Awaiting::TaskGroup {
        waits
    } else {
        format!("{started}{waits}")
    }
}

/// `lines` with `n` more spaces before each line that is not empty.
fn indented(lines: &str, n: usize) -> String {
    lines
        .split_inclusive('\n')
        .map(|l| {
            if l.trim().is_empty() {
                l.to_owned()
            } else {
                format!("{:n$}{l}", "")
            }
        })
        .collect()
}

/// The lines that neglect one more coroutine, the mistake `e.neglect` shows.
fn neglect(e: &Experiment, f: &Fragments) -> String {
    let us = neglected_latency_us(e);
    match e.neglected() {
        Neglect::None => String::new(),
        Neglect::Unawaited => f.fill("neglect.unawaited", &[("us", &us)]),
        Neglect::Unretrieved => f.fill("neglect.unretrieved", &[("us", &us)]),
    }
}

/// The program's `async def main(args)`, for `plan`: the experiment's own
/// program (the lines that run it come last, after the helpers).
pub(super) fn main(e: &Experiment, plan: &strategy::Plan, f: &Fragments) -> String {
    let (has_io, has_cpu) = (e.io_task_count() > 0, e.workload.has_cpu());
    let fetches = e.io_source == IoSource::Fetch && has_io;
    let mut summary = String::new();
    if has_cpu {
        summary += f.get(if has_io {
            "summary.cpu_after_io"
        } else {
            "summary.cpu_only"
        });
    }
    if e.neglected() != Neglect::None {
        let token = py_str(e.neglected().token());
        summary += &f.fill("summary.neglect", &[("neglect", &token)]);
    }
    if start_method_of(e).is_some() {
        summary += f.get("summary.start_method");
    }
    let started = format!("{}{}", plan.body, neglect(e, f));
    let when = |yes: bool, name: &str| if yes { f.get(name) } else { "" };
    let rest = f.fill(
        "main.rest",
        &[
            ("serve", &when(fetches, "main.serve")),
            ("awaiting", &awaiting(e, &started, &plan.after_wait, f)),
            ("shutdown", &plan.shutdown),
            ("close", &when(fetches, "main.close")),
            ("summary", &summary),
        ],
    );
    let mut out = f.get("main").to_owned();
    if threads_compute(e) && !page_gil(e) {
        // The page shows the free-threaded build; on a GIL build the same
        // threads take turns, and the program says so before it runs.
        out += f.get("main.gil");
    }
    if threads_compute(e) {
        out += f.get("main.switch");
    }
    out += f.get("main.run");
    if names_used(&rest).contains("loop") {
        out += f.get("main.loop");
    }
    if has_io {
        out += f.get("main.io");
    }
    if has_cpu {
        out += &strategy::cpu_list(e, f);
    }
    if has_io && has_cpu {
        out += f.get("main.n_io");
    }
    out + &rest
}
