//! The fields of an experiment: one name per parameter, for problems, URLs
//! and labels.

use serde::{Deserialize, Serialize};

/// One parameter of an experiment: names it in problems, URLs and labels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// [`Experiment::workload`].
    Workload,
    /// [`Experiment::strategy`].
    Strategy,
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
}

impl Field {
    /// Every field, in URL order.
    pub const ALL: [Field; 24] = [
        Field::Workload,
        Field::Strategy,
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
    ];

    /// The field's key in the URL query string.
    pub fn key(self) -> &'static str {
        match self {
            Field::Workload => "w",
            Field::Strategy => "s",
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
        }
    }

    /// The field whose URL key is `key`.
    pub fn from_key(key: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.key() == key)
    }
}
