//! The presets: experiments that tell the story of the seed. Their titles,
//! the sentences saying what to look at and the variations each offers are
//! in the catalogue (`preset.<id>.title`, `.explain`,
//! `.variation.<variation id>`).
//!
//! The twenty-one stories come in order, the classic mistakes last; a page
//! opened without a query starts on the first. A preset may offer
//! [`Variation`]s, the changes its text invites, each run beside its own
//! run; where threads compute, one of them is the other build of CPython.
//! Each names the figures its lesson is about ([`Preset::key_figures`]):
//! the results lead with them.

use crate::report::KeyFigure;

/// One preset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    /// Stable id, used in `data-testid="preset-<id>"` and in its catalogue keys.
    pub id: &'static str,
    /// The experiment, as a URL query.
    pub query: &'static str,
    /// The figures its lesson is about, which the results lead with (after
    /// the wall time, see [`KeyFigure::lead`]).
    pub key_figures: &'static [KeyFigure],
    /// The variations the explanation invites, each run beside the
    /// preset's own run; the first is the one its text names first.
    pub variations: &'static [Variation],
}

/// A second run a preset offers: the same experiment with what its
/// explanation suggests changed, kept beside the first to compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Variation {
    /// Stable id within its preset: its catalogue key
    /// (`preset.<preset id>.variation.<id>`) and its button's test id.
    pub id: &'static str,
    /// The whole experiment, as a URL query.
    pub query: &'static str,
}

/// Every preset, in story order.
pub const PRESETS: [Preset; 21] = [
    Preset {
        id: "io-concurrent",
        query: "w=io&s=conc&io=20&lat=uniform&ms=100&spread=50",
        key_figures: &[KeyFigure::Wall, KeyFigure::WaitSum, KeyFigure::Concurrency],
        variations: &[Variation {
            id: "seq",
            query: "w=io&s=seq&io=20&lat=uniform&ms=100&spread=50",
        }],
    },
    Preset {
        id: "semaphore",
        query: "w=io&s=conc&io=40&lat=fixed&ms=100&limit=5",
        key_figures: &[
            KeyFigure::Concurrency,
            KeyFigure::InSystem,
            KeyFigure::Throughput,
        ],
        variations: &[Variation {
            id: "limit10",
            query: "w=io&s=conc&io=40&lat=fixed&ms=100&limit=10",
        }],
    },
    Preset {
        id: "wait-first-completed",
        query: "w=io&s=conc&io=8&lat=uniform&ms=400&spread=300&rw=first&timeout=300",
        key_figures: &[KeyFigure::Wall, KeyFigure::Concurrency],
        variations: &[],
    },
    Preset {
        id: "wait-timeout",
        query: "w=io&s=conc&io=8&lat=uniform&ms=300&spread=250&timeout=260&after=finish",
        key_figures: &[KeyFigure::Wall, KeyFigure::WaitSum],
        variations: &[],
    },
    Preset {
        id: "timeout-cancels",
        query: "w=io&s=conc&io=8&lat=uniform&ms=300&spread=250&timeout=260&by=gather",
        key_figures: &[KeyFigure::Wall, KeyFigure::Concurrency],
        variations: &[],
    },
    Preset {
        id: "as-completed",
        query: "w=io&s=conc&io=8&lat=exp&ms=150&by=ascompleted",
        key_figures: &[KeyFigure::Wall, KeyFigure::Concurrency],
        variations: &[],
    },
    Preset {
        id: "task-group",
        query: "w=io&s=conc&io=10&lat=uniform&ms=200&spread=150&fail=0.3&by=group",
        key_figures: &[KeyFigure::Wall, KeyFigure::Concurrency],
        variations: &[],
    },
    Preset {
        id: "cpu-blocks",
        query: "w=cpu&s=inline&n=3&kernel=primes&size=1000",
        key_figures: &[KeyFigure::LagP95, KeyFigure::FramesMissed],
        variations: &[Variation {
            id: "coop",
            query: "w=cpu&s=coop&n=3&kernel=primes&size=1000&chunk=4",
        }],
    },
    Preset {
        id: "cooperative",
        query: "w=cpu&s=coop&n=3&kernel=primes&size=1000&chunk=4",
        key_figures: &[KeyFigure::LagP95, KeyFigure::FramesMissed],
        variations: &[],
    },
    Preset {
        id: "run-in-executor",
        query: "w=cpu&s=pool&py=ft&k=2&n=8&kernel=primes&size=1000",
        key_figures: &[KeyFigure::Speedup, KeyFigure::Parallelism],
        variations: &[
            Variation {
                id: "k1",
                query: "w=cpu&s=pool&py=ft&k=1&n=8&kernel=primes&size=1000",
            },
            Variation {
                id: "gil",
                query: "w=cpu&s=pool&py=gil&k=2&n=8&kernel=primes&size=1000",
            },
        ],
    },
    Preset {
        id: "process-pool",
        query: "w=cpu&s=proc&k=2&n=8&kernel=primes&size=1000",
        key_figures: &[KeyFigure::Speedup, KeyFigure::Parallelism],
        variations: &[],
    },
    Preset {
        id: "to-thread",
        query: "w=io&s=thread&io=40&lat=fixed&ms=100",
        key_figures: &[KeyFigure::Concurrency, KeyFigure::InSystem],
        variations: &[],
    },
    Preset {
        id: "mixed",
        query: "w=mixed&s=inline&io=20&n=2&lat=fixed&ms=50&kernel=primes&size=1000",
        key_figures: &[KeyFigure::LagP95, KeyFigure::WaitSum],
        variations: &[
            Variation {
                id: "pool",
                query: "w=mixed&s=pool&py=ft&k=2&io=20&n=2&lat=fixed&ms=50&kernel=primes&size=1000",
            },
            Variation {
                id: "gil",
                query:
                    "w=mixed&s=pool&py=gil&k=2&io=20&n=2&lat=fixed&ms=50&kernel=primes&size=1000",
            },
        ],
    },
    Preset {
        id: "gil",
        query: "w=cpu&s=pool&py=gil&k=2&n=4&kernel=primes&size=800&chunk=4",
        key_figures: &[
            KeyFigure::Speedup,
            KeyFigure::Parallelism,
            KeyFigure::LagP95,
        ],
        variations: &[Variation {
            id: "ft",
            query: "w=cpu&s=pool&py=ft&k=2&n=4&kernel=primes&size=800&chunk=4",
        }],
    },
    Preset {
        id: "parallel-blocking",
        query: "w=cpu&s=parblock&py=ft&n=2&kernel=primes&size=3000",
        key_figures: &[
            KeyFigure::Speedup,
            KeyFigure::LagP95,
            KeyFigure::FramesMissed,
        ],
        variations: &[Variation {
            id: "gil",
            query: "w=cpu&s=parblock&py=gil&n=2&kernel=primes&size=3000",
        }],
    },
    Preset {
        id: "amdahl",
        query: "w=cpu&s=par&py=ft&n=2&kernel=primes&size=2000&serial=0.3",
        key_figures: &[KeyFigure::Speedup, KeyFigure::Parallelism],
        variations: &[Variation {
            id: "gil",
            query: "w=cpu&s=par&py=gil&n=2&kernel=primes&size=2000&serial=0.3",
        }],
    },
    Preset {
        id: "mandelbrot",
        query: "w=cpu&s=pool&py=ft&k=2&n=64&kernel=mandelbrot&size=512&chunk=8",
        key_figures: &[KeyFigure::Speedup, KeyFigure::Parallelism],
        variations: &[Variation {
            id: "gil",
            query: "w=cpu&s=pool&py=gil&k=2&n=64&kernel=mandelbrot&size=512&chunk=8",
        }],
    },
    Preset {
        id: "mistake-blocking-call",
        query: "w=io&s=block&io=5&lat=fixed&ms=100",
        key_figures: &[
            KeyFigure::LagP95,
            KeyFigure::FramesMissed,
            KeyFigure::WaitSum,
        ],
        variations: &[Variation {
            id: "await",
            query: "w=io&s=conc&io=5&lat=fixed&ms=100",
        }],
    },
    Preset {
        id: "mistake-cpu-to-thread",
        query: "w=cpu&s=thread&py=gil&n=4&kernel=primes&size=800",
        key_figures: &[KeyFigure::Speedup, KeyFigure::Parallelism],
        variations: &[Variation {
            id: "ft",
            query: "w=cpu&s=thread&py=ft&n=4&kernel=primes&size=800",
        }],
    },
    Preset {
        id: "mistake-never-awaited",
        query: "w=io&s=conc&io=8&lat=fixed&ms=200&neglect=unawaited",
        key_figures: &[KeyFigure::Wall, KeyFigure::Concurrency],
        variations: &[Variation {
            id: "awaited",
            query: "w=io&s=conc&io=9&lat=fixed&ms=200",
        }],
    },
    Preset {
        id: "mistake-exception-lost",
        query: "w=io&s=conc&io=8&lat=fixed&ms=200&neglect=unretrieved",
        key_figures: &[KeyFigure::Wall, KeyFigure::Concurrency],
        variations: &[],
    },
];

/// The preset with this id.
pub fn by_id(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

/// A chapter of the story: presets that teach one idea, shown together
/// while the others are folded (its title is `chapter.<id>.title`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chapter {
    /// Stable id: its catalogue key and `data-testid="chapter-<id>"`.
    pub id: &'static str,
    /// Its presets: a run of [`PRESETS`], in story order.
    pub presets: std::ops::Range<usize>,
}

/// The story's chapters, in order; together they hold every preset once.
pub const CHAPTERS: [Chapter; 5] = [
    // asyncio's ways of waiting together.
    Chapter {
        id: "waiting",
        presets: 0..7,
    },
    // CPU work on the loop, blocking it or taking turns.
    Chapter {
        id: "blocking",
        presets: 7..9,
    },
    // Executors: threads, processes, to_thread, and both kinds of work.
    Chapter {
        id: "offloading",
        presets: 9..13,
    },
    // What the GIL changes, and how far more threads take a CPU task.
    Chapter {
        id: "gil",
        presets: 13..17,
    },
    Chapter {
        id: "mistakes",
        presets: 17..21,
    },
];

impl Chapter {
    /// Its presets, in story order.
    pub fn presets(&self) -> &'static [Preset] {
        PRESETS.get(self.presets.clone()).unwrap_or(&[])
    }
}

/// The chapter holding the preset with this id.
pub fn chapter_of(id: &str) -> Option<&'static Chapter> {
    CHAPTERS
        .iter()
        .find(|c| c.presets().iter().any(|p| p.id == id))
}
