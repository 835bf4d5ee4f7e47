//! How the editor presents each field: a choice or a number, and its range.

use overlap_core::experiment::bounds::bounds_of;
use overlap_core::experiment::ProblemKind;
use overlap_core::experiment::{
    AfterWait, Awaiting, Build, Field, IoSource, Latency, Neglect, ProcessStart, Python,
    ReturnWhen, Strategy, Token, Workload,
};
use overlap_core::i18n::Catalogue;
use overlap_core::{Experiment, Kernel};

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

/// The label of the choice `v` of `field` whose words are the page's own
/// (`fields.choice.<field>.<token>`), not core's.
fn choice_label<T: Token>(text: &Catalogue, field: Field, v: T) -> String {
    text.get(&format!("fields.choice.{}.{}", field.key(), v.token()))
}

/// The strategies, those that cannot run `e`'s workload (or cannot in this
/// build) marked so, with the reason.
fn strategies(e: &Experiment, text: &Catalogue, build: Build) -> Input {
    Input::Choice(
        Strategy::ALL
            .iter()
            .map(|&s| {
                let label = s.label(text);
                let why = match s.unfit_for(e.workload) {
                    Some(ProblemKind::NeedsCpuTasks) => Some("fields.unfit.cpu_only"),
                    Some(_) => Some("fields.unfit.needs_io"),
                    None if !build.runs(s, e.workload) => Some("fields.unfit.shared_memory"),
                    None => None,
                };
                Choice {
                    token: s.token(),
                    label: why.map_or_else(
                        || label.clone(),
                        |why| {
                            text.fill(
                                "fields.unfit",
                                &[("label", &label), ("why", &text.get(why))],
                            )
                        },
                    ),
                    enabled: why.is_none(),
                }
            })
            .collect(),
    )
}

/// The input for `field` of `e` in `build` (the size's range depends on the
/// kernel, the strategies on the build).
pub fn input(field: Field, e: &Experiment, text: &Catalogue, build: Build) -> Input {
    match field {
        Field::Workload => tokens(|w: Workload| w.label(text)),
        Field::Strategy => strategies(e, text, build),
        Field::IoSource => tokens(|s: IoSource| choice_label(text, field, s)),
        Field::Latency => tokens(|l: Latency| choice_label(text, field, l)),
        Field::Kernel => tokens(|k: Kernel| choice_label(text, field, k)),
        Field::ReturnWhen => tokens(|r: ReturnWhen| choice_label(text, field, r)),
        Field::AfterWait => tokens(|a: AfterWait| a.label(text)),
        Field::Awaiting => tokens(|a: Awaiting| a.label(text)),
        Field::Neglect => tokens(|n: Neglect| n.label(text)),
        Field::Python => tokens(|p: Python| p.label(text)),
        Field::ProcessStart => tokens(|m: ProcessStart| m.label(text)),
        _ => numeric(field, e, text),
    }
}

/// The range of a numeric field, from core's one table of bounds.
fn numeric(field: Field, e: &Experiment, text: &Catalogue) -> Input {
    let Some(b) = bounds_of(field) else {
        return Input::Number(String::new());
    };
    // As the editor writes a bound: digits grouped, fractions as they are.
    let lang = text.lang();
    let (min, max) = (lang.given(b.min), lang.given(b.max));
    // The unit's word, where the bound has one (`ms`, `steps`).
    let unit = match b.unit {
        "" => None,
        unit => Some(text.get(&format!("fields.unit.{unit}"))),
    };
    let range = match (field, unit) {
        (Field::Size, _) => text.fill(
            "fields.range.size",
            &[
                ("min", &min),
                ("max", &lang.integer(u64::from(e.kernel.max_size()))),
                (
                    "unit",
                    &text.get(&format!("fields.unit.kernel.{}", e.kernel.token())),
                ),
            ],
        ),
        (Field::SpreadMs, _) => text.fill(
            "fields.range.spread",
            &[
                ("min", &min),
                ("max", &lang.integer(u64::from(e.latency_ms))),
            ],
        ),
        (Field::Seed, _) => text.fill("fields.range", &[("min", &min), ("max", &"2⁶⁴ − 1")]),
        (Field::TimeoutMs | Field::Limit, Some(unit)) => text.fill(
            "fields.range.unit.or_none",
            &[("min", &min), ("max", &max), ("unit", &unit)],
        ),
        (Field::TimeoutMs | Field::Limit, None) => {
            text.fill("fields.range.or_none", &[("min", &min), ("max", &max)])
        }
        (_, Some(unit)) => text.fill(
            "fields.range.unit",
            &[("min", &min), ("max", &max), ("unit", &unit)],
        ),
        (_, None) => text.fill("fields.range", &[("min", &min), ("max", &max)]),
    };
    Input::Number(range)
}

/// The editor's groups of fields, in order, each with the catalogue key
/// of its title.
pub const GROUPS: [(&str, &[Field]); 4] = [
    (
        "fields.group.experiment",
        &[
            Field::Workload,
            Field::Strategy,
            Field::Python,
            Field::Workers,
            Field::ProcessStart,
        ],
    ),
    (
        "fields.group.cpu",
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
        "fields.group.io",
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
        "fields.group.waiting",
        &[
            Field::Awaiting,
            Field::ReturnWhen,
            Field::TimeoutMs,
            Field::AfterWait,
            Field::Neglect,
        ],
    ),
];

// Native only: the tests read the shipped catalogues from the source tree.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use overlap_core::i18n::shipped;
    use overlap_core::Lang;

    #[test]
    fn numeric_ranges_come_from_core_s_table() {
        let e = Experiment::default();
        let en = shipped(Lang::En).unwrap();
        let text = |field| match input(field, &e, &en, Build::Threaded) {
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
        let en = shipped(Lang::En).unwrap();
        let disabled = |query: &str, build| match input(
            Field::Strategy,
            &overlap_core::experiment::url::decode_str(query).experiment,
            &en,
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
            ("proc", cpu_only.clone()),
        ];
        let io: Vec<(&str, String)> = io.iter().map(|(t, w)| (*t, w.clone())).collect();
        assert_eq!(disabled("w=io", Build::Fallback), io);
        assert_eq!(disabled("w=io", Build::Threaded), io);
    }

    #[test]
    fn every_label_range_and_group_is_in_both_catalogues() {
        for lang in Lang::ALL {
            let text = shipped(lang).unwrap();
            let missing = |s: &str| s.contains('‹');
            for build in [Build::Threaded, Build::Fallback] {
                for query in ["w=io", "w=cpu", "w=mixed"] {
                    let e = overlap_core::experiment::url::decode_str(query).experiment;
                    for kernel in Kernel::ALL {
                        let e = Experiment {
                            kernel,
                            ..e.clone()
                        };
                        for field in Field::ALL {
                            match input(field, &e, &text, build) {
                                Input::Number(t) => assert!(!missing(&t), "{lang:?} {t}"),
                                Input::Choice(c) => {
                                    for c in c {
                                        assert!(!missing(&c.label), "{lang:?} {}", c.label);
                                    }
                                }
                            }
                        }
                    }
                }
            }
            for (title, _) in GROUPS {
                assert!(text.has(title), "{lang:?} {title}");
            }
        }
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
