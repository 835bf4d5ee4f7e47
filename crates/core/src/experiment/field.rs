//! The fields of an experiment: one name per parameter, for problems, URLs
//! and labels; and the labels themselves, in the catalogue's language: a
//! field's (`field.<url key>`) and those of the choices core words itself
//! (`strategy.<token>`, `workload.…`, `after.…`, `by.…`, `neglect.…`,
//! `start.…`).

use serde::{Deserialize, Serialize};

use super::{AfterWait, Awaiting, Neglect, ProcessStart, Python, Strategy, Token, Workload};
use crate::i18n::Catalogue;

/// One parameter of an experiment: names it in problems, URLs and labels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// [`Experiment::workload`].
    Workload,
    /// [`Experiment::strategy`].
    Strategy,
    /// [`Experiment::python`].
    Python,
    /// [`Experiment::io_tasks`].
    IoTasks,
    /// [`Experiment::cpu_tasks`].
    CpuTasks,
    /// [`Experiment::io_source`].
    IoSource,
    /// [`Experiment::latency`].
    Latency,
    /// [`Experiment::latency_ms`].
    LatencyMs,
    /// [`Experiment::spread_ms`].
    SpreadMs,
    /// [`Experiment::sigma`].
    Sigma,
    /// [`Experiment::cap_ms`].
    CapMs,
    /// [`Experiment::failure_rate`].
    FailureRate,
    /// [`Experiment::seed`].
    Seed,
    /// [`Experiment::kernel`].
    Kernel,
    /// [`Experiment::size`].
    Size,
    /// [`Experiment::serial_fraction`].
    SerialFraction,
    /// [`Experiment::workers`].
    Workers,
    /// [`Experiment::chunk`].
    Chunk,
    /// [`Experiment::return_when`].
    ReturnWhen,
    /// [`Experiment::timeout_ms`].
    TimeoutMs,
    /// [`Experiment::after_wait`].
    AfterWait,
    /// [`Experiment::switch_ms`].
    SwitchMs,
    /// [`Experiment::awaiting`].
    Awaiting,
    /// [`Experiment::limit`].
    Limit,
    /// [`Experiment::neglect`].
    Neglect,
    /// [`Experiment::process_start`].
    ProcessStart,
}

impl Field {
    /// Every field, in URL order.
    pub const ALL: [Field; 26] = [
        Field::Workload,
        Field::Strategy,
        Field::Python,
        Field::IoTasks,
        Field::CpuTasks,
        Field::IoSource,
        Field::Latency,
        Field::LatencyMs,
        Field::SpreadMs,
        Field::Sigma,
        Field::CapMs,
        Field::FailureRate,
        Field::Seed,
        Field::Kernel,
        Field::Size,
        Field::SerialFraction,
        Field::Workers,
        Field::Chunk,
        Field::ReturnWhen,
        Field::TimeoutMs,
        Field::AfterWait,
        Field::SwitchMs,
        Field::Awaiting,
        Field::Limit,
        Field::Neglect,
        Field::ProcessStart,
    ];

    /// The field's key in the URL query string.
    pub fn key(self) -> &'static str {
        match self {
            Field::Workload => "w",
            Field::Strategy => "s",
            Field::Python => "py",
            Field::IoTasks => "io",
            Field::CpuTasks => "n",
            Field::IoSource => "src",
            Field::Latency => "lat",
            Field::LatencyMs => "ms",
            Field::SpreadMs => "spread",
            Field::Sigma => "sigma",
            Field::CapMs => "cap",
            Field::FailureRate => "fail",
            Field::Seed => "seed",
            Field::Kernel => "kernel",
            Field::Size => "size",
            Field::SerialFraction => "serial",
            Field::Workers => "k",
            Field::Chunk => "chunk",
            Field::ReturnWhen => "rw",
            Field::TimeoutMs => "timeout",
            Field::AfterWait => "after",
            Field::SwitchMs => "switch",
            Field::Awaiting => "by",
            Field::Limit => "limit",
            Field::Neglect => "neglect",
            Field::ProcessStart => "start",
        }
    }

    /// The field whose URL key is `key`.
    pub fn from_key(key: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.key() == key)
    }

    /// The human name of this field.
    pub fn label(self, text: &Catalogue) -> String {
        text.get(&format!("field.{}", self.key()))
    }
}

/// The label of the choice `v` of a field whose catalogue prefix is
/// `prefix` (`strategy`, `workload`, `after`, …): the entry `prefix.token`.
fn choice_label<T: Token>(text: &Catalogue, prefix: &str, v: T) -> String {
    text.get(&format!("{prefix}.{}", v.token()))
}

impl Strategy {
    /// The human name of this strategy.
    pub fn label(self, text: &Catalogue) -> String {
        choice_label(text, "strategy", self)
    }
}

impl Python {
    /// The human name of this build of CPython.
    pub fn label(self, text: &Catalogue) -> String {
        choice_label(text, "python", self)
    }
}

impl Workload {
    /// The human name of this workload.
    pub fn label(self, text: &Catalogue) -> String {
        choice_label(text, "workload", self)
    }
}

impl AfterWait {
    /// What this choice does: whose semantics it is, Python's or Overlap's.
    pub fn label(self, text: &Catalogue) -> String {
        choice_label(text, "after", self)
    }
}

impl Awaiting {
    /// The asyncio construct this choice stands for.
    pub fn label(self, text: &Catalogue) -> String {
        choice_label(text, "by", self)
    }
}

impl Neglect {
    /// This neglected coroutine as the editor offers it.
    pub fn label(self, text: &Catalogue) -> String {
        choice_label(text, "neglect", self)
    }
}

impl ProcessStart {
    /// This start method as the editor offers it.
    pub fn label(self, text: &Catalogue) -> String {
        choice_label(text, "start", self)
    }
}

impl Field {
    /// A value of this field in words, from its text as the URL and the
    /// editor write it: a choice by the label the editor shows (an unknown
    /// token as typed), a number as typed, with `ms` where it is a time.
    /// The compare and the "Changed from" line say values this way, never
    /// as link tokens.
    pub fn value_words(self, value: &str, text: &Catalogue) -> String {
        fn choice<T: Token>(value: &str, label: impl Fn(T) -> String) -> Option<String> {
            T::from_token(value).map(label)
        }
        let page_choice = |value: &str| {
            // The editor's own words for choices core does not word itself.
            let key = format!("fields.choice.{}.{value}", self.key());
            text.has(&key).then(|| text.get(&key))
        };
        let words = match self {
            Field::Workload => choice(value, |w: Workload| w.label(text)),
            Field::Strategy => choice(value, |s: Strategy| s.label(text)),
            Field::Python => choice(value, |p: Python| p.label(text)),
            Field::AfterWait => choice(value, |a: AfterWait| a.label(text)),
            Field::Awaiting => choice(value, |a: Awaiting| a.label(text)),
            Field::Neglect => choice(value, |n: Neglect| n.label(text)),
            Field::ProcessStart => choice(value, |m: ProcessStart| m.label(text)),
            Field::IoSource | Field::Latency | Field::Kernel | Field::ReturnWhen => {
                page_choice(value)
            }
            Field::LatencyMs
            | Field::SpreadMs
            | Field::CapMs
            | Field::TimeoutMs
            | Field::SwitchMs
                if !value.trim().is_empty() =>
            {
                Some(format!("{} ms", value.trim()))
            }
            _ => None,
        };
        words.unwrap_or_else(|| match value.trim() {
            "" => text.get("fields.empty"),
            typed => typed.to_owned(),
        })
    }
}
