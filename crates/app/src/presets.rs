//! The presets: experiments that tell the story of the seed. Their titles,
//! the sentences saying what to look at and the variation each offers are
//! in the catalogue (`preset.<id>.title`, `.explain`, `.variation`).
//!
//! The twenty-one stories come in order, the classic mistakes last; a page
//! opened without a query starts on the first. A preset may offer a
//! [`Variation`], the change its text invites, run beside its own run.

/// One preset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    /// Stable id, used in `data-testid="preset-<id>"` and in its catalogue keys.
    pub id: &'static str,
    /// The experiment, as a URL query.
    pub query: &'static str,
    /// The variation the explanation invites, run beside the preset's own run.
    pub variation: Option<Variation>,
}

/// A second run a preset offers: the same experiment with what its
/// explanation suggests changed, kept beside the first to compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Variation {
    /// The whole experiment, as a URL query.
    pub query: &'static str,
}

/// Every preset, in story order.
pub const PRESETS: [Preset; 21] = [
    Preset {
        id: "io-concurrent",
        query: "w=io&s=conc&io=20&lat=uniform&ms=100&spread=50",
        variation: Some(Variation {
            query: "w=io&s=seq&io=20&lat=uniform&ms=100&spread=50",
        }),
    },
    Preset {
        id: "semaphore",
        query: "w=io&s=conc&io=40&lat=fixed&ms=100&limit=5",
        variation: Some(Variation {
            query: "w=io&s=conc&io=40&lat=fixed&ms=100&limit=10",
        }),
    },
    Preset {
        id: "wait-first-completed",
        query: "w=io&s=conc&io=8&lat=uniform&ms=400&spread=300&rw=first&timeout=300",
        variation: None,
    },
    Preset {
        id: "wait-timeout",
        query: "w=io&s=conc&io=8&lat=uniform&ms=300&spread=250&timeout=260&after=finish",
        variation: None,
    },
    Preset {
        id: "timeout-cancels",
        query: "w=io&s=conc&io=8&lat=uniform&ms=300&spread=250&timeout=260&by=gather",
        variation: None,
    },
    Preset {
        id: "as-completed",
        query: "w=io&s=conc&io=8&lat=exp&ms=150&by=ascompleted",
        variation: None,
    },
    Preset {
        id: "task-group",
        query: "w=io&s=conc&io=10&lat=uniform&ms=200&spread=150&fail=0.3&by=group",
        variation: None,
    },
    Preset {
        id: "cpu-blocks",
        query: "w=cpu&s=inline&n=3&kernel=primes&size=1000",
        variation: Some(Variation {
            query: "w=cpu&s=coop&n=3&kernel=primes&size=1000&chunk=4",
        }),
    },
    Preset {
        id: "cooperative",
        query: "w=cpu&s=coop&n=3&kernel=primes&size=1000&chunk=4",
        variation: None,
    },
    Preset {
        id: "run-in-executor",
        query: "w=cpu&s=pool&k=2&n=8&kernel=primes&size=1000",
        variation: Some(Variation {
            query: "w=cpu&s=pool&k=1&n=8&kernel=primes&size=1000",
        }),
    },
    Preset {
        id: "process-pool",
        query: "w=cpu&s=proc&k=2&n=8&kernel=primes&size=1000",
        variation: None,
    },
    Preset {
        id: "to-thread",
        query: "w=io&s=thread&io=40&lat=fixed&ms=100",
        variation: None,
    },
    Preset {
        id: "mixed",
        query: "w=mixed&s=inline&io=20&n=2&lat=fixed&ms=50&kernel=primes&size=1000",
        variation: Some(Variation {
            query: "w=mixed&s=pool&k=2&io=20&n=2&lat=fixed&ms=50&kernel=primes&size=1000",
        }),
    },
    Preset {
        id: "gil",
        query: "w=cpu&s=gil&k=2&n=4&kernel=primes&size=800&chunk=4",
        variation: None,
    },
    Preset {
        id: "parallel-blocking",
        query: "w=cpu&s=parblock&n=2&kernel=primes&size=3000",
        variation: None,
    },
    Preset {
        id: "amdahl",
        query: "w=cpu&s=par&n=2&kernel=primes&size=2000&serial=0.3",
        variation: None,
    },
    Preset {
        id: "mandelbrot",
        query: "w=cpu&s=pool&k=2&n=64&kernel=mandelbrot&size=512&chunk=8",
        variation: None,
    },
    Preset {
        id: "mistake-blocking-call",
        query: "w=io&s=block&io=5&lat=fixed&ms=100",
        variation: Some(Variation {
            query: "w=io&s=conc&io=5&lat=fixed&ms=100",
        }),
    },
    Preset {
        id: "mistake-cpu-to-thread",
        query: "w=cpu&s=thread&n=4&kernel=primes&size=800",
        variation: None,
    },
    Preset {
        id: "mistake-never-awaited",
        query: "w=io&s=conc&io=8&lat=fixed&ms=200&neglect=unawaited",
        variation: Some(Variation {
            query: "w=io&s=conc&io=9&lat=fixed&ms=200",
        }),
    },
    Preset {
        id: "mistake-exception-lost",
        query: "w=io&s=conc&io=8&lat=fixed&ms=200&neglect=unretrieved",
        variation: None,
    },
];

/// The preset with this id.
pub fn by_id(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

// Native only: the tests read the shipped catalogues from the source tree.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use overlap_core::experiment::url::{decode_str, differing};

    #[test]
    fn every_preset_is_a_valid_experiment_with_a_unique_id() {
        for preset in PRESETS {
            let decoded = decode_str(preset.query);
            assert!(
                decoded.problems.is_empty(),
                "{}: {:?}",
                preset.id,
                decoded.problems
            );
            assert_eq!(PRESETS.iter().filter(|p| p.id == preset.id).count(), 1);
            assert_eq!(by_id(preset.id), Some(&preset));
            if let Some(variation) = preset.variation {
                let varied = decode_str(variation.query);
                assert!(
                    varied.problems.is_empty(),
                    "{}: {:?}",
                    preset.id,
                    varied.problems
                );
                assert!(
                    !differing(&decoded.experiment, &varied.experiment).is_empty(),
                    "{}: the variation changes nothing",
                    preset.id
                );
            }
        }
    }

    #[test]
    fn every_preset_and_only_they_have_their_text() {
        let text = overlap_core::i18n::shipped(overlap_core::Lang::En).expect("catalogue");
        for preset in PRESETS {
            let explain = text.get(&format!("preset.{}.explain", preset.id));
            assert!(explain.len() > 40, "{}: {explain:?}", preset.id);
            assert!(text.has(&format!("preset.{}.title", preset.id)));
            assert_eq!(
                text.has(&format!("preset.{}.variation", preset.id)),
                preset.variation.is_some(),
                "{}",
                preset.id
            );
        }
        for key in text.keys().filter(|k| k.starts_with("preset.")) {
            let id = key.split('.').nth(1).unwrap_or_default();
            assert!(by_id(id).is_some(), "not a preset's key: {key}");
        }
    }
}
