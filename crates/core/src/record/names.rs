//! Names that tell two compared runs apart. A run is named after its
//! experiment ("Concurrent await · 40 I/O"), so two runs of one name would
//! read "“X” ran 2.02× as fast as “X”": each name then gains what sets its
//! run apart, the first parameter that differs (in the editor's words), the
//! place it ran (this page or CPython), or its place in the comparison.

use crate::experiment::url::decode_str;
use crate::experiment::url::differing;
use crate::i18n::Catalogue;

use super::{Origin, RunRecord};

impl Origin {
    /// Where the run was measured, in words: this page, or CPython.
    pub fn words(self, text: &Catalogue) -> String {
        text.get(match self {
            Origin::Page { .. } => "compare.origin.page",
            Origin::Python => "compare.origin.python",
        })
    }
}

/// The names of `a` and `b` as the comparison shows them: their own when
/// they differ, else each with what sets it apart.
pub fn names_apart(a: &RunRecord, b: &RunRecord, text: &Catalogue) -> (String, String) {
    if a.name != b.name {
        return (a.name.clone(), b.name.clone());
    }
    let named = |name: &str, apart: String| {
        text.fill("compare.name.apart", &[("name", &name), ("apart", &apart)])
    };
    let (ea, eb) = (
        decode_str(&a.experiment).experiment,
        decode_str(&b.experiment).experiment,
    );
    if let Some((field, x, y)) = differing(&ea, &eb).into_iter().next() {
        let say = |value: &str| {
            text.fill(
                "compare.name.field",
                &[
                    ("field", &field.label(text)),
                    ("value", &field.value_words(value, text)),
                ],
            )
        };
        return (named(&a.name, say(&x)), named(&b.name, say(&y)));
    }
    if a.origin.words(text) != b.origin.words(text) {
        return (
            named(&a.name, a.origin.words(text)),
            named(&b.name, b.origin.words(text)),
        );
    }
    let nth = |n: u32| text.fill("compare.name.nth", &[("n", &n)]);
    (named(&a.name, nth(1)), named(&b.name, nth(2)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{shipped, Lang};

    fn record(name: &str, query: &str, origin: Origin) -> RunRecord {
        let query = decode_str(query).experiment.to_query();
        let trace = crate::trace::Trace::new(query.clone());
        RunRecord {
            name: name.to_owned(),
            origin,
            experiment: query,
            figures: crate::record::figures_of_trace(&trace, None),
            trace,
            wait: None,
            scale: 1.0,
            python: None,
            responsiveness: None,
        }
    }

    #[test]
    fn two_runs_of_one_name_are_told_apart() {
        let en = shipped(Lang::En).expect("the English catalogue reads");
        let page = Origin::Page {
            build: crate::experiment::Build::Threaded,
        };
        let (a, b) = names_apart(
            &record("X", "w=io&s=conc&io=40", page),
            &record("X", "w=io&s=seq&io=40", page),
            &en,
        );
        assert_eq!(a, "X (Strategy: Concurrent await)");
        assert_eq!(b, "X (Strategy: Sequential await)");
        let (a, b) = names_apart(
            &record("X", "w=io&io=40", page),
            &record("X", "w=io&io=40", Origin::Python),
            &en,
        );
        assert_ne!(a, b);
        assert!(b.contains("CPython"), "{b}");
        let (a, b) = names_apart(
            &record("X", "w=io&io=40", page),
            &record("X", "w=io&io=40", page),
            &en,
        );
        assert_eq!((a.as_str(), b.as_str()), ("X (run 1)", "X (run 2)"));
        let (a, b) = names_apart(
            &record("X", "w=io", page),
            &record("Y", "w=io&io=4", page),
            &en,
        );
        assert_eq!((a.as_str(), b.as_str()), ("X", "Y"));
    }
}
