//! How the editor presents each field: a choice or a number, and its range.

use overlap_core::experiment::bounds::bounds_of;
use overlap_core::experiment::ProblemKind;
use overlap_core::experiment::{
    AfterWait, Awaiting, Build, Field, IoSource, Latency, Neglect, ReturnWhen, Strategy, Token,
    Workload,
};
use overlap_core::i18n::{
    after_wait_label, awaiting_label, neglect_label, strategy_label, workload_label,
};
use overlap_core::{Experiment, Kernel, Lang};

use crate::format::thousands;

/// One option of a select.
pub struct Choice {
    /// The value's token (as in URLs).
    pub token: &'static str,
    /// What the visitor reads.
    pub label: String,
    /// Whether it can be chosen in this build.
    pub enabled: bool,
}

/// What kind of input a field gets.
pub enum Input {
    /// A select of choices.
    Choice(Vec<Choice>),
    /// A number; the text says the valid range.
    Number(String),
}

fn tokens<T: Token>(label: impl Fn(T) -> String) -> Input {
    Input::Choice(
        T::ALL
            .iter()
            .map(|&v| Choice {
                token: v.token(),
                label: label(v),
                enabled: true,
            })
            .collect(),
    )
}

/// The strategies, those that cannot run `e`'s workload (or cannot in this
/// build) marked so, with the reason.
fn strategies(e: &Experiment, lang: Lang, build: Build) -> Input {
    Input::Choice(
        Strategy::ALL
            .iter()
            .map(|&s| {
                let label = strategy_label(lang, s);
                let why = match s.unfit_for(e.workload) {
                    Some(ProblemKind::NeedsCpuTasks) => Some("CPU tasks only"),
                    Some(_) => Some("needs I/O tasks"),
                    None if !build.runs(s, e.workload) => Some("needs shared memory"),
                    None => None,
                };
                Choice {
                    token: s.token(),
                    label: why.map_or_else(|| label.to_owned(), |why| format!("{label} ({why})")),
                    enabled: why.is_none(),
                }
            })
            .collect(),
    )
}

/// The input for `field` of `e` in `build` (the size's range depends on the
/// kernel, the strategies on the build).
pub fn input(field: Field, e: &Experiment, lang: Lang, build: Build) -> Input {
    match field {
        Field::Workload => tokens(|w: Workload| workload_label(lang, w).to_owned()),
        Field::Strategy => strategies(e, lang, build),
        Field::IoSource => tokens(|s: IoSource| s.token().to_owned()),
        Field::Latency => tokens(|l: Latency| l.token().to_owned()),
        Field::Kernel => tokens(|k: Kernel| k.token().to_owned()),
        Field::ReturnWhen => tokens(|r: ReturnWhen| r.token().to_owned()),
        Field::AfterWait => tokens(|a: AfterWait| after_wait_label(lang, a).to_owned()),
        Field::Awaiting => tokens(|a: Awaiting| awaiting_label(lang, a).to_owned()),
        Field::Neglect => tokens(|n: Neglect| neglect_label(lang, n).to_owned()),
        _ => numeric(field, e),
    }
}

/// A number as the editor writes a bound: digits grouped, fractions as they are.
fn bound_text(x: f64) -> String {
    if x.fract() == 0.0 && (0.0..1e15).contains(&x) {
        thousands(x as u64)
    } else {
        format!("{x}")
    }
}

/// The range of a numeric field, from core's one table of bounds.
fn numeric(field: Field, e: &Experiment) -> Input {
    let Some(b) = bounds_of(field) else {
        return Input::Number(String::new());
    };
    let unit = if b.unit.is_empty() {
        String::new()
    } else {
        format!(" {}", b.unit)
    };
    let max = match field {
        Field::Size => format!(
            "{} × {}",
            thousands(u64::from(e.kernel.max_size())),
            e.kernel.unit_name()
        ),
        Field::SpreadMs => format!("{} ms (the latency)", thousands(u64::from(e.latency_ms))),
        Field::Seed => "2⁶⁴ − 1".to_owned(),
        Field::TimeoutMs | Field::Limit => format!("{}{unit}, or none", bound_text(b.max)),
        _ => format!("{}{unit}", bound_text(b.max)),
    };
    Input::Number(format!("{} – {max}", bound_text(b.min)))
}

/// The editor's groups of fields, in order.
pub const GROUPS: [(&str, &[Field]); 4] = [
    (
        "Experiment",
        &[Field::Workload, Field::Strategy, Field::Workers],
    ),
    (
        "CPU tasks",
        &[
            Field::CpuTasks,
            Field::Kernel,
            Field::Size,
            Field::SerialFraction,
            Field::Chunk,
            Field::SwitchMs,
        ],
    ),
    (
        "I/O tasks",
        &[
            Field::IoTasks,
            Field::IoSource,
            Field::Latency,
            Field::LatencyMs,
            Field::SpreadMs,
            Field::Sigma,
            Field::CapMs,
            Field::FailureRate,
            Field::Seed,
            Field::Limit,
        ],
    ),
    (
        "Waiting for the tasks",
        &[
            Field::Awaiting,
            Field::ReturnWhen,
            Field::TimeoutMs,
            Field::AfterWait,
            Field::Neglect,
        ],
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_ranges_come_from_core_s_table() {
        let e = Experiment::default();
        let text = |field| match input(field, &e, Lang::En, Build::Threaded) {
            Input::Number(t) => t,
            Input::Choice(_) => panic!("{field:?} is numeric"),
        };
        assert_eq!(text(Field::IoTasks), "1 – 100,000");
        assert_eq!(text(Field::Chunk), "1 – 10,000 steps");
        assert_eq!(text(Field::Sigma), "0 – 3");
        assert_eq!(text(Field::TimeoutMs), "0 – 3,600,000 ms, or none");
        assert_eq!(text(Field::Size), "1 – 20,000 × block of 256 integers");
    }

    #[test]
    fn strategies_that_cannot_run_are_marked_with_the_reason() {
        let disabled = |query: &str, build| match input(
            Field::Strategy,
            &overlap_core::experiment::url::decode_str(query).experiment,
            Lang::En,
            build,
        ) {
            Input::Choice(c) => c
                .iter()
                .filter(|c| !c.enabled)
                .map(|c| {
                    let why = c.label.rsplit_once(" (").map_or("", |(_, why)| why);
                    (c.token, why.to_owned())
                })
                .collect::<Vec<_>>(),
            Input::Number(_) => panic!("the strategy is a choice"),
        };
        assert_eq!(
            disabled("w=cpu", Build::Threaded),
            [("block", "needs I/O tasks)".to_owned())]
        );
        let shared = || "needs shared memory)".to_owned();
        assert_eq!(
            disabled("w=mixed", Build::Fallback),
            [
                ("pool", shared()),
                ("par", shared()),
                ("parblock", shared()),
                ("gil", shared()),
                ("thread", shared())
            ]
        );
        let cpu_only = "CPU tasks only)".to_owned();
        let io = [
            ("inline", cpu_only.clone()),
            ("coop", cpu_only.clone()),
            ("pool", cpu_only.clone()),
            ("par", cpu_only.clone()),
            ("parblock", cpu_only.clone()),
            ("gil", cpu_only.clone()),
            ("proc", cpu_only.clone()),
        ];
        let io: Vec<(&str, String)> = io.iter().map(|(t, w)| (*t, w.clone())).collect();
        assert_eq!(disabled("w=io", Build::Fallback), io);
        assert_eq!(disabled("w=io", Build::Threaded), io);
    }

    #[test]
    fn every_field_is_in_exactly_one_group() {
        for field in Field::ALL {
            let count = GROUPS
                .iter()
                .filter(|(_, fields)| fields.contains(&field))
                .count();
            assert_eq!(count, 1, "{field:?}");
        }
    }
}
