//! The presets: experiments that tell the story of the seed, each with a few
//! sentences saying what to look at. Those sentences are served beside the
//! page (`text/presets.en.txt`, copied there by index.html) and fetched,
//! rather than carried in the wasm, whose size has a budget.

/// Where the presets' explanations are served, relative to the page.
const EXPLANATIONS_URL: &str = "text/presets.en.txt";

/// What to look at in each preset: the file's text, one line per preset,
/// `id: text`, and comment lines starting with `#`. Looked up by scanning
/// its lines rather than read into a map: a map's code cost the wasm more
/// than the texts it moved out.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Explanations(String);

impl Explanations {
    /// The explanation of preset `id`, if the file has one.
    pub fn of(&self, id: &str) -> Option<&str> {
        self.0
            .lines()
            .find_map(|line| line.strip_prefix(id)?.strip_prefix(": "))
    }
}

/// Fetches the explanations from beside the page.
pub async fn fetch_explanations() -> Result<Explanations, String> {
    overlap_runtime::fetch::text(EXPLANATIONS_URL)
        .await
        .map(Explanations)
}

/// One preset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    /// Stable id, used in `data-testid="preset-<id>"`.
    pub id: &'static str,
    /// Button label.
    pub title: &'static str,
    /// The experiment, as a URL query.
    pub query: &'static str,
    /// The variation the explanation invites, run beside the preset's own run.
    pub variation: Option<Variation>,
}

/// A second run a preset offers: the same experiment with what its
/// explanation suggests changed, kept beside the first to compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Variation {
    /// What is changed, as the button says it ("sequential await").
    pub label: &'static str,
    /// The whole experiment, as a URL query.
    pub query: &'static str,
}

/// Every preset, in story order.
pub const PRESETS: [Preset; 21] = [
    Preset {
        id: "io-concurrent",
        title: "1 · Sequential vs concurrent I/O",
        query: "w=io&s=conc&io=20&lat=uniform&ms=100&spread=50",
        variation: Some(Variation {
            label: "sequential await",
            query: "w=io&s=seq&io=20&lat=uniform&ms=100&spread=50",
        }),
    },
    Preset {
        id: "semaphore",
        title: "2 · asyncio.Semaphore: bounded concurrency",
        query: "w=io&s=conc&io=40&lat=fixed&ms=100&limit=5",
        variation: Some(Variation {
            label: "a limit of 10",
            query: "w=io&s=conc&io=40&lat=fixed&ms=100&limit=10",
        }),
    },
    Preset {
        id: "wait-first-completed",
        title: "3 · asyncio.wait: FIRST_COMPLETED, timeout",
        query: "w=io&s=conc&io=8&lat=uniform&ms=400&spread=300&rw=first&timeout=300",
        variation: None,
    },
    Preset {
        id: "wait-timeout",
        title: "4 · wait's timeout cancels nothing",
        query: "w=io&s=conc&io=8&lat=uniform&ms=300&spread=250&timeout=260&after=finish",
        variation: None,
    },
    Preset {
        id: "timeout-cancels",
        title: "5 · asyncio.timeout cancels",
        query: "w=io&s=conc&io=8&lat=uniform&ms=300&spread=250&timeout=260&by=gather",
        variation: None,
    },
    Preset {
        id: "as-completed",
        title: "6 · asyncio.as_completed",
        query: "w=io&s=conc&io=8&lat=exp&ms=150&by=ascompleted",
        variation: None,
    },
    Preset {
        id: "task-group",
        title: "7 · asyncio.TaskGroup",
        query: "w=io&s=conc&io=10&lat=uniform&ms=200&spread=150&fail=0.3&by=group",
        variation: None,
    },
    Preset {
        id: "cpu-blocks",
        title: "8 · A CPU task blocks the event loop",
        query: "w=cpu&s=inline&n=3&kernel=primes&size=1000",
        variation: Some(Variation {
            label: "cooperative chunks",
            query: "w=cpu&s=coop&n=3&kernel=primes&size=1000&chunk=4",
        }),
    },
    Preset {
        id: "cooperative",
        title: "9 · Cooperative chunks",
        query: "w=cpu&s=coop&n=3&kernel=primes&size=1000&chunk=4",
        variation: None,
    },
    Preset {
        id: "run-in-executor",
        title: "10 · run_in_executor, max_workers = k",
        query: "w=cpu&s=pool&k=2&n=8&kernel=primes&size=1000",
        variation: Some(Variation {
            label: "k = 1",
            query: "w=cpu&s=pool&k=1&n=8&kernel=primes&size=1000",
        }),
    },
    Preset {
        id: "process-pool",
        title: "11 · ProcessPoolExecutor: processes of their own",
        query: "w=cpu&s=proc&k=2&n=8&kernel=primes&size=1000",
        variation: None,
    },
    Preset {
        id: "to-thread",
        title: "12 · asyncio.to_thread and the default executor",
        query: "w=io&s=thread&io=40&lat=fixed&ms=100",
        variation: None,
    },
    Preset {
        id: "mixed",
        title: "13 · Mixed I/O and CPU",
        query: "w=mixed&s=inline&io=20&n=2&lat=fixed&ms=50&kernel=primes&size=1000",
        variation: Some(Variation {
            label: "the pool strategy",
            query: "w=mixed&s=pool&k=2&io=20&n=2&lat=fixed&ms=50&kernel=primes&size=1000",
        }),
    },
    Preset {
        id: "gil",
        title: "14 · GIL mode",
        query: "w=cpu&s=gil&k=2&n=4&kernel=primes&size=800&chunk=4",
        variation: None,
    },
    Preset {
        id: "parallel-blocking",
        title: "15 · Parallel but blocking",
        query: "w=cpu&s=parblock&n=2&kernel=primes&size=3000",
        variation: None,
    },
    Preset {
        id: "amdahl",
        title: "16 · Amdahl sweep",
        query: "w=cpu&s=par&n=2&kernel=primes&size=2000&serial=0.3",
        variation: None,
    },
    Preset {
        id: "mandelbrot",
        title: "17 · Mandelbrot tiles on the pool",
        query: "w=cpu&s=pool&k=2&n=64&kernel=mandelbrot&size=512&chunk=8",
        variation: None,
    },
    Preset {
        id: "mistake-blocking-call",
        title: "18 · Mistake: time.sleep inside a coroutine",
        query: "w=io&s=block&io=5&lat=fixed&ms=100",
        variation: Some(Variation {
            label: "await asyncio.sleep",
            query: "w=io&s=conc&io=5&lat=fixed&ms=100",
        }),
    },
    Preset {
        id: "mistake-cpu-to-thread",
        title: "19 · Mistake: CPU work sent to asyncio.to_thread",
        query: "w=cpu&s=thread&n=4&kernel=primes&size=800",
        variation: None,
    },
    Preset {
        id: "mistake-never-awaited",
        title: "20 · Mistake: a coroutine never awaited",
        query: "w=io&s=conc&io=8&lat=fixed&ms=200&neglect=unawaited",
        variation: Some(Variation {
            label: "the ninth coroutine awaited with the others",
            query: "w=io&s=conc&io=9&lat=fixed&ms=200",
        }),
    },
    Preset {
        id: "mistake-exception-lost",
        title: "21 · Mistake: a task exception never retrieved",
        query: "w=io&s=conc&io=8&lat=fixed&ms=200&neglect=unretrieved",
        variation: None,
    },
];

/// The preset with this id.
pub fn by_id(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

#[cfg(test)]
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
    fn every_preset_and_only_they_have_an_explanation() {
        let file = Explanations(include_str!("../text/presets.en.txt").to_owned());
        for preset in PRESETS {
            let text = file.of(preset.id).unwrap_or_default();
            assert!(text.len() > 40, "{}: {text:?}", preset.id);
        }
        let entries = file
            .0
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'));
        for line in entries {
            let id = line.split_once(": ").map(|(id, _)| id);
            assert!(id.and_then(by_id).is_some(), "not a preset's line: {line}");
        }
    }
}
