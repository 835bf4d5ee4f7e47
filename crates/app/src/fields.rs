//! How the editor presents each field: a choice or a number, and its range.

use overlap_core::experiment::bounds::{
    MAX_CAP_MS, MAX_CHUNK, MAX_CPU_TASKS, MAX_IO_TASKS, MAX_LATENCY_MS, MAX_SIGMA, MAX_TIMEOUT_MS,
    MAX_WORKERS,
};
use overlap_core::experiment::{Field, IoSource, Latency, ReturnWhen, Strategy, Token, Workload};
use overlap_core::i18n::{strategy_label, workload_label};
use overlap_core::{Experiment, Kernel, Lang};

use crate::format::thousands;

/// What kind of input a field gets.
pub enum Input {
    /// A select of (token, label) choices.
    Choice(Vec<(&'static str, String)>),
    /// A number; the text says the valid range.
    Number(String),
}

fn tokens<T: Token>(label: impl Fn(T) -> String) -> Input {
    Input::Choice(T::ALL.iter().map(|&v| (v.token(), label(v))).collect())
}

/// The input for `field` of `e` (the size's range depends on the kernel).
pub fn input(field: Field, e: &Experiment, lang: Lang) -> Input {
    let range = |min: &str, max: String| Input::Number(format!("{min} – {max}"));
    match field {
        Field::Workload => tokens(|w: Workload| workload_label(lang, w).to_owned()),
        Field::Strategy => tokens(|s: Strategy| {
            let label = strategy_label(lang, s);
            // Kept in the list so that links naming it still show it; the run
            // explains that it is not available yet.
            if s == Strategy::ProcessPool {
                format!("{label} (not available yet)")
            } else {
                label.to_owned()
            }
        }),
        Field::IoSource => tokens(|s: IoSource| s.token().to_owned()),
        Field::Latency => tokens(|l: Latency| l.token().to_owned()),
        Field::Kernel => tokens(|k: Kernel| k.token().to_owned()),
        Field::ReturnWhen => tokens(|r: ReturnWhen| r.token().to_owned()),
        Field::IoTasks => range("1", thousands(u64::from(MAX_IO_TASKS))),
        Field::CpuTasks => range("1", thousands(u64::from(MAX_CPU_TASKS))),
        Field::LatencyMs => range("0", format!("{} ms", thousands(u64::from(MAX_LATENCY_MS)))),
        Field::SpreadMs => range(
            "0",
            format!("{} ms (the latency)", thousands(u64::from(e.latency_ms))),
        ),
        Field::Sigma => range("0", format!("{MAX_SIGMA}")),
        Field::CapMs => range("1", format!("{} ms", thousands(u64::from(MAX_CAP_MS)))),
        Field::FailureRate => range("0", "1".to_owned()),
        Field::Seed => range("0", "2⁶⁴ − 1".to_owned()),
        Field::Size => range(
            "1",
            format!(
                "{} × {}",
                thousands(u64::from(e.kernel.max_size())),
                e.kernel.unit_name()
            ),
        ),
        Field::SerialFraction => range("0", "1".to_owned()),
        Field::Workers => range("1", MAX_WORKERS.to_string()),
        Field::Chunk => range("1", format!("{} steps", thousands(u64::from(MAX_CHUNK)))),
        Field::TimeoutMs => range(
            "1",
            format!("{} ms, or none", thousands(u64::from(MAX_TIMEOUT_MS))),
        ),
    }
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
        ],
    ),
    (
        "Waiting (asyncio.wait)",
        &[Field::ReturnWhen, Field::TimeoutMs],
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

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
