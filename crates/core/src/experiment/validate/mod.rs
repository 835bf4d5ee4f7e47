//! Validation: typed problems naming the field and the violated bound.
//!
//! [`normalize`] is the single source of truth: it clamps each field into its
//! bounds, then checks the rules that tie fields together, and reports one
//! [`Problem`] per change. [`validate`] is `normalize` without the result.
//! Each problem words itself in the catalogue's language
//! ([`Problem::message`] for a link, [`Problem::editor_message`] for the
//! editor).

use super::bounds::*;
use super::{Experiment, Field};
use serde::{Deserialize, Serialize};

mod message;

/// What is wrong with one parameter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ProblemKind {
    /// The value is below the minimum.
    BelowMin {
        /// Smallest valid value.
        min: f64,
        /// Value given.
        got: f64,
    },
    /// The value is above the maximum.
    AboveMax {
        /// Largest valid value.
        max: f64,
        /// Value given.
        got: f64,
    },
    /// The value may not exceed another field's value.
    AboveField {
        /// The field that bounds this one.
        other: Field,
        /// That field's value.
        max: f64,
        /// Value given.
        got: f64,
    },
    /// The value is not a finite number (NaN or infinite).
    NotFinite,
    /// The CPU tasks' data would exceed the memory budget.
    OverMemory {
        /// Bytes the tasks would hold at once.
        needed: u64,
        /// The budget, [`KERNEL_DATA_BUDGET`].
        limit: u64,
    },
    /// URL: the value could not be read as this field's type.
    Malformed {
        /// The text given (shortened).
        got: String,
    },
    /// URL: the value is not one of the field's choices.
    UnknownChoice {
        /// The text given (shortened).
        got: String,
        /// The valid choices.
        choices: Vec<String>,
    },
    /// URL: the key is not a parameter (it was ignored).
    UnknownKey,
    /// URL: the key appeared more than once (the first one was kept).
    Duplicate,
    /// The strategy runs CPU work on the thread pool, which the running build
    /// lacks (see [`super::Build`]).
    NeedsSharedMemory,
    /// The strategy decides where CPU tasks run, and the workload has none.
    NeedsCpuTasks,
    /// The strategy makes blocking I/O calls, and the workload has no I/O.
    NeedsIoTasks,
    /// Blocking calls on the loop that could hold the page too long.
    BlocksTooLong {
        /// Longest they could hold it, ms.
        needed_ms: u64,
        /// The limit, [`MAX_BLOCKING_MS`].
        limit_ms: u64,
    },
    /// A blocking call on the loop sleeps its latency: a real request
    /// cannot block the page, so the timer stands for it.
    CannotBlockOnFetch,
}

/// One problem with an experiment: which parameter, and what is wrong.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// The parameter, if the key named one.
    pub field: Option<Field>,
    /// The URL key as given (the field's key when there is a field).
    pub key: String,
    /// What is wrong.
    pub kind: ProblemKind,
}

impl Problem {
    /// A problem with a known field.
    pub fn new(field: Field, kind: ProblemKind) -> Problem {
        Problem {
            field: Some(field),
            key: field.key().to_owned(),
            kind,
        }
    }
}

/// Checks an experiment; `Err` lists every problem, each naming its field and bound.
pub fn validate(e: &Experiment) -> Result<(), Vec<Problem>> {
    let (_, mut problems, replaced) = nearest(e);
    // A non-finite number where a field does not apply is replaced without
    // a problem on the way to the nearest experiment (no link or file can
    // hold it), but an experiment that holds one is not valid as it is: it
    // would not survive its own link.
    problems.extend(
        replaced
            .into_iter()
            .map(|field| Problem::new(field, ProblemKind::NotFinite)),
    );
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// An experiment that passed [`validate`]: the only kind the runtime accepts,
/// so that no unchecked parameter can reach a kernel or an allocation.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidExperiment(Experiment);

impl ValidExperiment {
    /// Validates `e`; the problems are those [`validate`] lists.
    pub fn new(e: Experiment) -> Result<ValidExperiment, Vec<Problem>> {
        validate(&e).map(|()| ValidExperiment(e))
    }

    /// The nearest valid experiment to `e` (see [`normalize`]), with what was fixed.
    pub fn nearest(e: &Experiment) -> (ValidExperiment, Vec<Problem>) {
        let (valid, problems) = normalize(e);
        (ValidExperiment(valid), problems)
    }

    /// The experiment itself.
    pub fn get(&self) -> &Experiment {
        &self.0
    }
}

impl std::ops::Deref for ValidExperiment {
    type Target = Experiment;

    fn deref(&self) -> &Experiment {
        &self.0
    }
}

/// The nearest valid experiment, and the problems that had to be fixed to reach it.
///
/// Out-of-range numbers are clamped to the nearest bound, non-finite numbers
/// take their default, and a size over the memory budget is reduced until the
/// tasks fit. The result always passes [`validate`].
///
/// A field the experiment does not read ([`Field::applies`]) is never a
/// problem: it can neither refuse the experiment nor change a field that
/// applies. Its value is kept as given, out of range or not, so that the
/// link keeps every value and switching back shows it with its problem: it
/// reaches no kernel, allocation or model while it does not apply (the
/// executor's tests run such values). Only a non-finite number takes its
/// default, silently, since JSON (the history, the hook) cannot hold it.
pub fn normalize(e: &Experiment) -> (Experiment, Vec<Problem>) {
    let (out, problems, _) = nearest(e);
    (out, problems)
}

/// [`normalize`], with the fields that do not apply whose non-finite value
/// was replaced silently.
fn nearest(e: &Experiment) -> (Experiment, Vec<Problem>, Vec<Field>) {
    let mut out = e.clone();
    let mut problems = Vec::new();
    let mut replaced = Vec::new();
    // What the experiment reads once its strategy fits its workload: the one
    // change below that decides which fields apply.
    let shape = Experiment {
        strategy: e.strategy.fit_for(e.workload),
        ..e.clone()
    };

    // Every numeric field against the one table of limits (`bounds::BOUNDS`),
    // in field order so that problems are listed as the editor shows them.
    let kernel_sized = out.clone();
    for (field, slot) in [
        (Field::IoTasks, Slot::Whole(&mut out.io_tasks)),
        (Field::CpuTasks, Slot::Whole(&mut out.cpu_tasks)),
        (Field::LatencyMs, Slot::Whole(&mut out.latency_ms)),
        (Field::SpreadMs, Slot::Whole(&mut out.spread_ms)),
        (Field::Sigma, Slot::Real(&mut out.sigma)),
        (Field::CapMs, Slot::Whole(&mut out.cap_ms)),
        (Field::FailureRate, Slot::Real(&mut out.failure_rate)),
        (Field::Size, Slot::Whole(&mut out.size)),
        (Field::SerialFraction, Slot::Real(&mut out.serial_fraction)),
        (Field::Workers, Slot::Whole(&mut out.workers)),
        (Field::Chunk, Slot::Whole(&mut out.chunk)),
        (Field::SwitchMs, Slot::Whole(&mut out.switch_ms)),
    ] {
        match slot {
            _ if !field.applies(&shape) => {
                if slot.keep_finite(field) {
                    replaced.push(field);
                }
            }
            Slot::Whole(v) => clamp_u32(&mut problems, field, v, &kernel_sized),
            Slot::Real(v) => clamp_f64(&mut problems, field, v),
        }
    }
    if let Some(t) = out.timeout_ms.as_mut() {
        clamp_u32(&mut problems, Field::TimeoutMs, t, &kernel_sized);
    }
    if let Some(l) = out.limit.as_mut().filter(|_| Field::Limit.applies(&shape)) {
        clamp_u32(&mut problems, Field::Limit, l, &kernel_sized);
    }

    // Rules between fields, checked on the clamped values, where both apply.
    if Field::SpreadMs.applies(&shape) && out.spread_ms > out.latency_ms {
        problems.push(Problem::new(
            Field::SpreadMs,
            ProblemKind::AboveField {
                other: Field::LatencyMs,
                max: f64::from(out.latency_ms),
                got: f64::from(out.spread_ms),
            },
        ));
        out.spread_ms = out.latency_ms;
    }
    if let Some(kind) = out.strategy.unfit_for(out.workload) {
        problems.push(Problem::new(Field::Strategy, kind));
        out.strategy = out.strategy.fit_for(out.workload);
    }
    if out.strategy == super::Strategy::BlockingIo {
        if out.io_source == super::IoSource::Fetch {
            problems.push(Problem::new(
                Field::IoSource,
                ProblemKind::CannotBlockOnFetch,
            ));
            out.io_source = super::IoSource::Timer;
        }
        let worst_ms = u64::from(worst_latency_ms(&out)).max(1);
        let needed_ms = u64::from(out.io_tasks).saturating_mul(worst_ms);
        if needed_ms > MAX_BLOCKING_MS {
            problems.push(Problem::new(
                Field::IoTasks,
                ProblemKind::BlocksTooLong {
                    needed_ms,
                    limit_ms: MAX_BLOCKING_MS,
                },
            ));
            out.io_tasks = u32::try_from(MAX_BLOCKING_MS / worst_ms)
                .unwrap_or(1)
                .max(1);
            // One call alone too long: the longest latency it can draw is cut.
            let limit = u32::try_from(MAX_BLOCKING_MS).unwrap_or(u32::MAX);
            if worst_ms > MAX_BLOCKING_MS {
                match out.latency {
                    super::Latency::Fixed => {
                        out.latency_ms = limit;
                        out.spread_ms = out.spread_ms.min(limit);
                    }
                    super::Latency::Uniform => {
                        out.latency_ms = out.latency_ms.min(limit);
                        out.spread_ms = out.spread_ms.min(limit - out.latency_ms);
                    }
                    super::Latency::Exponential | super::Latency::LogNormal => out.cap_ms = limit,
                }
            }
        }
    }
    let needed = kernel_data_bytes(&out);
    if needed > KERNEL_DATA_BUDGET {
        problems.push(Problem::new(
            Field::Size,
            ProblemKind::OverMemory {
                needed,
                limit: KERNEL_DATA_BUDGET,
            },
        ));
        let per_unit = out.kernel.memory_bytes(1).max(1);
        let fit = KERNEL_DATA_BUDGET / per_unit / u64::from(out.cpu_tasks.max(1));
        // cpu_tasks ≤ 256 and a unit ≤ 64 KiB, so at least 32 units always fit.
        out.size = u32::try_from(fit)
            .unwrap_or(u32::MAX)
            .clamp(1, out.kernel.max_size());
    }
    (out, problems, replaced)
}

/// The longest one I/O task's latency can be drawn, ms.
fn worst_latency_ms(e: &Experiment) -> u32 {
    match e.latency {
        super::Latency::Fixed => e.latency_ms,
        super::Latency::Uniform => e.latency_ms.saturating_add(e.spread_ms),
        super::Latency::Exponential | super::Latency::LogNormal => e.cap_ms,
    }
}

/// A numeric field of an experiment, to clamp in place.
enum Slot<'a> {
    /// An integer field.
    Whole(&'a mut u32),
    /// A real field.
    Real(&'a mut f64),
}

impl Slot<'_> {
    /// A field that does not apply: kept as given, but for a non-finite
    /// number, which takes the default without a problem (see [`normalize`]);
    /// whether it did.
    fn keep_finite(self, field: Field) -> bool {
        if let (Slot::Real(v), Some(b)) = (self, bounds_of(field)) {
            if !v.is_finite() {
                *v = b.default;
                return true;
            }
        }
        false
    }
}

/// Clamps an integer field to its bounds in `e` (the size's depend on the kernel).
fn clamp_u32(problems: &mut Vec<Problem>, field: Field, v: &mut u32, e: &Experiment) {
    let Some(b) = bounds_of(field) else { return };
    // The table's limits of integer fields are whole numbers within u32.
    let (min, max) = (b.min as u32, b.max_for(e) as u32);
    if *v < min {
        problems.push(Problem::new(
            field,
            ProblemKind::BelowMin {
                min: f64::from(min),
                got: f64::from(*v),
            },
        ));
        *v = min;
    } else if *v > max {
        problems.push(Problem::new(
            field,
            ProblemKind::AboveMax {
                max: f64::from(max),
                got: f64::from(*v),
            },
        ));
        *v = max;
    }
}

/// Clamps a real field to its bounds; a non-finite value takes the default.
fn clamp_f64(problems: &mut Vec<Problem>, field: Field, v: &mut f64) {
    let Some(b) = bounds_of(field) else { return };
    if !v.is_finite() {
        problems.push(Problem::new(field, ProblemKind::NotFinite));
        *v = b.default;
    } else if *v < b.min {
        problems.push(Problem::new(
            field,
            ProblemKind::BelowMin {
                min: b.min,
                got: *v,
            },
        ));
        *v = b.min;
    } else if *v > b.max {
        problems.push(Problem::new(
            field,
            ProblemKind::AboveMax {
                max: b.max,
                got: *v,
            },
        ));
        *v = b.max;
    }
}

#[cfg(test)]
mod tests;
