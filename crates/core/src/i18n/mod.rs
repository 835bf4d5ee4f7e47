//! The page's words in English and French: the catalogue (one key set, two
//! files, fetched by the page) and the messages core formats from it
//! (problems of an experiment, the editor's choices, notes beside a run).
//!
//! Templates use named placeholders (`{field}`, `{min}`, …); both catalogues
//! have the same keys with the same placeholders, which a test checks.

mod catalogue;

pub use catalogue::{fill_template, folder, placeholders, Catalogue, CatalogueError, PSEUDO_MARKS};
#[cfg(not(target_arch = "wasm32"))]
pub use catalogue::{shipped, source};

use crate::experiment::{
    AfterWait, Awaiting, Field, Neglect, Problem, ProblemKind, Strategy, Token, Workload,
};
use serde::{Deserialize, Serialize};

/// A language of the interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// French.
    Fr,
}

impl Lang {
    /// Both languages.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// The tag of this language in `<html lang>` and in the catalogue's file name.
    pub fn tag(self) -> &'static str {
        folder(self)
    }

    /// The language of a BCP 47 tag such as `fr-CA` (English when not French).
    pub fn from_tag(tag: &str) -> Lang {
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("fr") {
            Lang::Fr
        } else {
            Lang::En
        }
    }
}

/// The catalogue key of a problem's message.
pub fn message_key(kind: &ProblemKind) -> &'static str {
    match kind {
        ProblemKind::BelowMin { .. } => "problem.below_min",
        ProblemKind::AboveMax { .. } => "problem.above_max",
        ProblemKind::AboveField { .. } => "problem.above_field",
        ProblemKind::NotFinite => "problem.not_finite",
        ProblemKind::OverMemory { .. } => "problem.over_memory",
        ProblemKind::Malformed { .. } => "problem.malformed",
        ProblemKind::UnknownChoice { .. } => "problem.unknown_choice",
        ProblemKind::UnknownKey => "problem.unknown_key",
        ProblemKind::Duplicate => "problem.duplicate",
        ProblemKind::NeedsSharedMemory => "problem.needs_shared_memory",
        ProblemKind::NeedsCpuTasks => "problem.needs_cpu_tasks",
        ProblemKind::NeedsIoTasks => "problem.needs_io_tasks",
        ProblemKind::CannotBlockOnFetch => "problem.cannot_block_on_fetch",
        ProblemKind::NeglectNeedsConcurrentIo => "problem.neglect_needs_concurrent_io",
        ProblemKind::BlocksTooLong { .. } => "problem.blocks_too_long",
    }
}

/// The template of a problem's key as the editor says it: the draft is not
/// run until fixed (Run is disabled), so nothing "is used instead". It is
/// the link's template up to what the link gets in its place (after its
/// last semicolon), then what to do: one entry, two sentences.
pub fn editor_template(text: &Catalogue, key: &str) -> String {
    let link = text.get(key);
    let statement = link
        .rsplit_once(';')
        .map_or(link.as_str(), |(s, _)| s)
        .trim_end();
    let statement = statement.trim_end_matches('.');
    format!("{statement}. {}", text.get("problem.todo"))
}

/// The label of the choice `v` of a field whose catalogue prefix is
/// `prefix` (`strategy`, `workload`, `after`, …): the entry `prefix.token`.
pub fn choice_label<T: Token>(text: &Catalogue, prefix: &str, v: T) -> String {
    text.get(&format!("{prefix}.{}", v.token()))
}

/// The neglected coroutine `n` as the editor offers it.
pub fn neglect_label(text: &Catalogue, n: Neglect) -> String {
    choice_label(text, "neglect", n)
}

/// What became of a run's neglected coroutine: the mistake, what the page
/// saw, and what CPython says of it.
pub fn neglect_note(text: &Catalogue, n: &crate::report::Neglected) -> String {
    use crate::trace::Outcome;
    let key = match n.outcome {
        None => "neglect.note.never",
        Some(Outcome::Cancelled) => "neglect.note.cancelled",
        Some(_) => "neglect.note.error",
    };
    text.fill(key, &[("task", &(n.task + 1))])
}

/// What the choice `a` does: whose semantics it is, Python's or Overlap's.
pub fn after_wait_label(text: &Catalogue, a: AfterWait) -> String {
    choice_label(text, "after", a)
}

/// The asyncio construct `a` stands for.
pub fn awaiting_label(text: &Catalogue, a: Awaiting) -> String {
    choice_label(text, "by", a)
}

/// What the page says of `asyncio.to_thread` on a device of `cores` with a
/// pool of `pool_threads`: the default executor's size, what a waiting
/// thread costs, and how many threads really compute.
pub fn executor_note(text: &Catalogue, cores: u32, pool_threads: u32) -> String {
    let d = crate::experiment::default_executor_size(cores);
    text.fill("executor.note", &[("d", &d), ("n", &pool_threads)])
}

/// What the page says when `k` asks for more threads than the pool has
/// (`None` when it does not, or the strategy has no `k`): only the pool's
/// threads compute at once, the rest queue, where Python's executor would
/// start `k` threads.
pub fn queue_note(
    text: &Catalogue,
    strategy: Strategy,
    k: u32,
    pool_threads: u32,
) -> Option<String> {
    let split = matches!(
        strategy,
        Strategy::DataParallel | Strategy::ParallelBlocking
    );
    let pooled = matches!(strategy, Strategy::Pool | Strategy::GilMode);
    if !(split || pooled) || pool_threads == 0 || k <= pool_threads {
        return None;
    }
    let key = if split {
        "queue.note.split"
    } else {
        "queue.note.pool"
    };
    Some(text.fill(key, &[("k", &k), ("n", &pool_threads)]))
}

/// The human name of a field.
pub fn field_label(text: &Catalogue, field: Field) -> String {
    text.get(&format!("field.{}", field.key()))
}

/// The human name of a strategy.
pub fn strategy_label(text: &Catalogue, s: Strategy) -> String {
    choice_label(text, "strategy", s)
}

/// The human name of a workload.
pub fn workload_label(text: &Catalogue, w: Workload) -> String {
    choice_label(text, "workload", w)
}

/// A number as people read it in `lang` (French uses a decimal comma).
fn number(lang: Lang, x: f64) -> String {
    let s = format!("{x}");
    match lang {
        Lang::En => s,
        Lang::Fr => s.replace('.', ","),
    }
}

/// The problem as one sentence, as a link's problems are told (the nearest
/// valid value is used instead).
pub fn problem_message(text: &Catalogue, p: &Problem) -> String {
    fill(&text.get(message_key(&p.kind)), text, p)
}

/// `template` with the problem's values in its placeholders.
fn fill(template: &str, text: &Catalogue, p: &Problem) -> String {
    let lang = text.lang();
    let field = match p.field {
        Some(f) => field_label(text, f),
        None => p.key.clone(),
    };
    let mut values: Vec<(&str, String)> = vec![("field", field), ("key", p.key.clone())];
    match &p.kind {
        ProblemKind::BelowMin { min, got } => {
            values.push(("min", number(lang, *min)));
            values.push(("got", number(lang, *got)));
        }
        ProblemKind::AboveMax { max, got } => {
            values.push(("max", number(lang, *max)));
            values.push(("got", number(lang, *got)));
        }
        ProblemKind::AboveField { other, max, got } => {
            values.push(("other", lowercase_first(&field_label(text, *other))));
            values.push(("max", number(lang, *max)));
            values.push(("got", number(lang, *got)));
        }
        ProblemKind::OverMemory { needed, limit } => {
            values.push(("needed", (needed >> 20).to_string()));
            values.push(("limit", (limit >> 20).to_string()));
        }
        ProblemKind::BlocksTooLong {
            needed_ms,
            limit_ms,
        } => {
            values.push(("needed", number(lang, *needed_ms as f64 / 1000.0)));
            values.push(("limit", number(lang, *limit_ms as f64 / 1000.0)));
        }
        ProblemKind::Malformed { got } => values.push(("got", got.clone())),
        ProblemKind::UnknownChoice { got, choices } => {
            values.push(("got", got.clone()));
            values.push(("choices", choices.join(", ")));
        }
        ProblemKind::NotFinite
        | ProblemKind::UnknownKey
        | ProblemKind::Duplicate
        | ProblemKind::NeedsSharedMemory
        | ProblemKind::NeedsCpuTasks
        | ProblemKind::NeedsIoTasks
        | ProblemKind::CannotBlockOnFetch
        | ProblemKind::NeglectNeedsConcurrentIo => {}
    }
    let args: Vec<(&str, &dyn std::fmt::Display)> = values
        .iter()
        .map(|(n, v)| (*n, v as &dyn std::fmt::Display))
        .collect();
    fill_template(template, &args)
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

impl Problem {
    /// This problem as one sentence in the catalogue's language.
    pub fn message(&self, text: &Catalogue) -> String {
        problem_message(text, self)
    }

    /// This problem as the editor tells it: what to correct before Run is
    /// enabled, never a value used in its place.
    pub fn editor_message(&self, text: &Catalogue) -> String {
        fill(&editor_template(text, message_key(&self.kind)), text, self)
    }
}

#[cfg(test)]
mod tests;
