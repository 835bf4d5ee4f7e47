//! A problem in words, in the catalogue's language: one entry per kind
//! (`problem.<kind>`), its placeholders filled with the problem's field,
//! bounds and values (numbers as `lang` writes them). A link's problem says
//! what is used instead; the editor's says what to correct
//! ([`Problem::editor_message`]).

use super::{Problem, ProblemKind};
use crate::i18n::{fill_template, Catalogue, Lang};

/// The catalogue key of a problem's message.
fn message_key(kind: &ProblemKind) -> &'static str {
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
        ProblemKind::BlocksTooLong { .. } => "problem.blocks_too_long",
    }
}

/// The template of a problem's key as the editor says it: the draft is not
/// run until fixed (Run is disabled), so nothing "is used instead". It is
/// the link's template up to what the link gets in its place (after its
/// last semicolon), then what to do: one entry, two sentences.
fn editor_template(text: &Catalogue, key: &str) -> String {
    let link = text.get(key);
    let statement = link
        .rsplit_once(';')
        .map_or(link.as_str(), |(s, _)| s)
        .trim_end();
    let statement = statement.trim_end_matches('.');
    format!("{statement}. {}", text.get("problem.todo"))
}

/// A bound or a value as people read it in `lang` (the page's one way,
/// [`Lang::shortest`]: a decimal comma and grouped digits in French).
fn number(lang: Lang, x: f64) -> String {
    lang.shortest(x)
}

/// `template` with the problem's values in its placeholders.
fn fill(template: &str, text: &Catalogue, p: &Problem) -> String {
    let lang = text.lang();
    let field = match p.field {
        Some(f) => f.label(text),
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
            values.push(("other", lowercase_first(&other.label(text))));
            values.push(("max", number(lang, *max)));
            values.push(("got", number(lang, *got)));
        }
        ProblemKind::OverMemory { needed, limit } => {
            values.push(("needed", lang.integer(needed >> 20)));
            values.push(("limit", lang.integer(limit >> 20)));
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
        | ProblemKind::CannotBlockOnFetch => {}
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
    /// This problem as one sentence in the catalogue's language, as a
    /// link's problems are told (the nearest valid value is used instead).
    pub fn message(&self, text: &Catalogue) -> String {
        fill(&text.get(message_key(&self.kind)), text, self)
    }

    /// This problem as the editor tells it: what to correct before Run is
    /// enabled, never a value used in its place.
    pub fn editor_message(&self, text: &Catalogue) -> String {
        fill(&editor_template(text, message_key(&self.kind)), text, self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::url::decode_str;
    use crate::experiment::Field;
    use crate::i18n::{placeholders, shipped};

    fn en() -> Catalogue {
        shipped(Lang::En).expect("the English catalogue reads")
    }

    fn fr() -> Catalogue {
        shipped(Lang::Fr).expect("the French catalogue reads")
    }

    #[test]
    fn the_editor_never_claims_a_value_is_used_in_its_place() {
        let (en, fr) = (en(), fr());
        for key in en
            .keys()
            .filter(|k| k.starts_with("problem.") && *k != "problem.todo")
        {
            let (e, f) = (editor_template(&en, key), editor_template(&fr, key));
            assert_ne!(e, f);
            assert_eq!(placeholders(&e), placeholders(&f), "{key}");
            assert!(!e.contains("instead") && !e.contains("lowered"), "{e}");
        }
    }

    #[test]
    fn messages_leave_no_placeholder_behind() {
        let d = decode_str(
            "w=mixed&lat=uniform&k=99&size=-1&fail=inf&s=x&zz=1&k=2&n=q&spread=500&ms=10",
        );
        let mut with_memory = d.problems.clone();
        with_memory.push(Problem::new(
            Field::Size,
            ProblemKind::OverMemory {
                needed: 600 << 20,
                limit: 320 << 20,
            },
        ));
        assert_eq!(with_memory.len(), 9);
        for text in [en(), fr()] {
            for p in &with_memory {
                for m in [p.message(&text), p.editor_message(&text)] {
                    assert!(
                        !m.contains('{') && !m.contains('}') && !m.contains('‹'),
                        "{m}"
                    );
                }
            }
        }
    }

    #[test]
    fn messages_read_naturally() {
        let (en, fr) = (en(), fr());
        let p = Problem::new(
            Field::Workers,
            ProblemKind::AboveMax {
                max: 64.0,
                got: 100.0,
            },
        );
        assert_eq!(
            p.message(&en),
            "Workers (k) must be at most 64 (it was 100); 64 is used instead."
        );
        assert_eq!(
            p.message(&fr),
            "Le nombre de workers (k) doit valoir au plus 64 (valeur reçue : 100) ; 64 est utilisé à la place."
        );
        let p = Problem::new(
            Field::FailureRate,
            ProblemKind::AboveMax { max: 1.0, got: 1.5 },
        );
        assert!(p.message(&fr).contains("1,5"));
    }
}
