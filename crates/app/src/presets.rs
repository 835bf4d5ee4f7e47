//! The presets: experiments that tell the story of the seed, each with a few
//! sentences saying what to look at.

/// One preset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    /// Stable id, used in `data-testid="preset-<id>"`.
    pub id: &'static str,
    /// Button label.
    pub title: &'static str,
    /// The experiment, as a URL query.
    pub query: &'static str,
    /// What to look at.
    pub explanation: &'static str,
}

/// Every preset, in story order.
pub const PRESETS: [Preset; 10] = [
    Preset {
        id: "io-concurrent",
        title: "1 · Sequential vs concurrent I/O",
        query: "w=io&s=conc&io=20&lat=uniform&ms=100&spread=50",
        explanation: "Twenty tasks wait on I/O, all in flight at once on the one event loop: \
            the wall time is close to the longest wait, not the sum. Switch the strategy to \
            sequential await and run again to pay every wait in turn.",
    },
    Preset {
        id: "cpu-blocks",
        title: "2 · A CPU task blocks the event loop",
        query: "w=cpu&s=inline&n=3&kernel=primes&size=1000",
        explanation: "Three CPU tasks run inline on the main thread. Watch the responsiveness \
            dial: it freezes while they compute, and the event-loop lag jumps to the length of \
            the whole computation. This is a blocking call inside a coroutine.",
    },
    Preset {
        id: "cooperative",
        title: "3 · Cooperative chunks",
        query: "w=cpu&s=coop&n=3&kernel=primes&size=1000&chunk=4",
        explanation: "The same work cut into small chunks with a yield to the event loop \
            between them: the page stays responsive and the lag stays small, but the work is \
            no faster — one thread still does all of it, plus the cost of each yield.",
    },
    Preset {
        id: "run-in-executor",
        title: "4 · run_in_executor, max_workers = k",
        query: "w=cpu&s=pool&k=2&n=8&kernel=primes&size=1000",
        explanation: "Eight CPU tasks are handed to a pool of Web Workers, at most k at a time, \
            like ThreadPoolExecutor(max_workers=k) behind loop.run_in_executor. The timeline \
            shows k lanes busy at once; the main thread stays free. Try k = 1.",
    },
    Preset {
        id: "wait-first-completed",
        title: "5 · asyncio.wait: FIRST_COMPLETED, timeout",
        query: "w=io&s=conc&io=8&lat=uniform&ms=400&spread=300&rw=first&timeout=300",
        explanation: "asyncio.wait returns as soon as one task finishes (or at the timeout), \
            handing back the done and the pending sets. The pending tasks are then cancelled: \
            they show as cancelled bars in the timeline.",
    },
    Preset {
        id: "mixed",
        title: "6 · Mixed I/O and CPU",
        query: "w=mixed&s=inline&io=20&n=2&lat=fixed&ms=50&kernel=primes&size=1000",
        explanation: "Twenty 50 ms waits and two CPU tasks. Computed inline, the CPU work holds \
            the loop, so the waits end far later than 50 ms. Switch to the pool strategy: the \
            CPU moves to workers and the waits end on time.",
    },
    Preset {
        id: "gil",
        title: "7 · GIL mode",
        query: "w=cpu&s=gil&k=2&n=4&kernel=primes&size=800&chunk=4",
        explanation: "Two workers, but CPU work must hold one global lock, built like CPython's \
            GIL: a thread that waited a switch interval (5 ms) asks the holder to let go, so the \
            two tasks take turns and end close together, never computing at once; the speed-up \
            stays near 1. The event loop needs the lock too, so its timers fire late: watch the \
            lag. Threads help waiting, not computing.",
    },
    Preset {
        id: "parallel-blocking",
        title: "8 · Parallel but blocking",
        query: "w=cpu&s=parblock&n=2&kernel=primes&size=3000",
        explanation: "The work is split over every worker with par_iter, yet called from the \
            main thread, which waits for the result: fast, and the page is frozen all the \
            while. Most WebAssembly thread demos do this.",
    },
    Preset {
        id: "amdahl",
        title: "9 · Amdahl sweep",
        query: "w=cpu&s=par&n=2&kernel=primes&size=2000&serial=0.3",
        explanation: "Each task keeps 30 % of its work serial. Press Sweep to run k = 1 … N \
            workers: the speed-up curve bends away from the ideal line, and the fitted serial \
            fraction comes out near 0.3.",
    },
    Preset {
        id: "mandelbrot",
        title: "10 · Mandelbrot tiles on the pool",
        query: "w=cpu&s=pool&k=2&n=64&kernel=mandelbrot&size=512&chunk=8",
        explanation: "Sixty-four tiles of the Mandelbrot set handed to two pool workers, one \
            tile per task. Tiles inside the set cost far more than those \
            outside, yet with many tiles both workers stay busy to the end and the speed-up nears \
            two. The image tints each tile by the worker that ran it.",
    },
];

/// The preset with this id.
pub fn by_id(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use overlap_core::experiment::url::decode_str;

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
        }
    }
}
