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
pub const PRESETS: [Preset; 19] = [
    Preset {
        id: "io-concurrent",
        title: "1 · Sequential vs concurrent I/O",
        query: "w=io&s=conc&io=20&lat=uniform&ms=100&spread=50",
        explanation: "Twenty tasks wait on I/O, all in flight at once on the one event loop: \
            the wall time is close to the longest wait, not the sum. Switch the strategy to \
            sequential await and run again to pay every wait in turn.",
        variation: Some(Variation {
            label: "sequential await",
            query: "w=io&s=seq&io=20&lat=uniform&ms=100&spread=50",
        }),
    },
    Preset {
        id: "semaphore",
        title: "2 · asyncio.Semaphore: bounded concurrency",
        query: "w=io&s=conc&io=40&lat=fixed&ms=100&limit=5",
        explanation: "Forty 100 ms waits behind asyncio.Semaphore(5): at most five are in flight, \
            the others queue for a place, so they pass in eight rounds of five. Little's law says \
            the throughput is the tasks in flight divided by the time each takes: 5 ÷ 0.1 s = 50 \
            tasks per second, whatever the number of tasks. Raise the limit and watch it grow.",
        variation: Some(Variation {
            label: "a limit of 10",
            query: "w=io&s=conc&io=40&lat=fixed&ms=100&limit=10",
        }),
    },
    Preset {
        id: "wait-first-completed",
        title: "3 · asyncio.wait: FIRST_COMPLETED, timeout",
        query: "w=io&s=conc&io=8&lat=uniform&ms=400&spread=300&rw=first&timeout=300",
        explanation: "asyncio.wait returns as soon as one task finishes (or at the timeout), \
            handing back the done and the pending sets. The pending tasks are then cancelled: \
            they show as cancelled bars in the timeline.",
        variation: None,
    },
    Preset {
        id: "wait-timeout",
        title: "4 · wait's timeout cancels nothing",
        query: "w=io&s=conc&io=8&lat=uniform&ms=300&spread=250&timeout=260&after=finish",
        explanation: "asyncio.wait(timeout=0.26) returns at 260 ms with the tasks done so far and \
            the ones still pending, and cancels nothing: here the pending tasks are left alone, so \
            their bars run on past the moment the wait returned and end with their results. The \
            wall time stops at the return.",
        variation: None,
    },
    Preset {
        id: "timeout-cancels",
        title: "5 · asyncio.timeout cancels",
        query: "w=io&s=conc&io=8&lat=uniform&ms=300&spread=250&timeout=260&by=gather",
        explanation: "The same eight waits under async with asyncio.timeout(0.26) around a gather, \
            as wait_for does it: at the deadline every task still running is cancelled and \
            TimeoutError is raised. Their bars stop at 260 ms, marked cancelled, where the \
            previous preset let them run on.",
        variation: None,
    },
    Preset {
        id: "as-completed",
        title: "6 · asyncio.as_completed",
        query: "w=io&s=conc&io=8&lat=exp&ms=150&by=ascompleted",
        explanation: "for f in asyncio.as_completed(tasks): each result is handled the moment its \
            task finishes, shortest first, not in the order the tasks were started. The dark tick \
            on the main thread's lane marks when the loop took each result; with asyncio.wait or \
            gather, nothing is handled until the last one is in.",
        variation: None,
    },
    Preset {
        id: "task-group",
        title: "7 · asyncio.TaskGroup",
        query: "w=io&s=conc&io=10&lat=uniform&ms=200&spread=150&fail=0.3&by=group",
        explanation: "Structured concurrency: ten waits started in an async with \
            asyncio.TaskGroup(). Some are set to fail; the first failure cancels every sibling \
            still running and the group raises an ExceptionGroup. The tasks that ended before it \
            keep their results; the rest show as cancelled, where asyncio.wait would have let them run.",
        variation: None,
    },
    Preset {
        id: "cpu-blocks",
        title: "8 · A CPU task blocks the event loop",
        query: "w=cpu&s=inline&n=3&kernel=primes&size=1000",
        explanation: "Three CPU tasks run inline on the main thread. Watch the responsiveness \
            dial: it freezes while they compute, and the event-loop lag jumps to the length of \
            the whole computation. This is a blocking call inside a coroutine.",
        variation: Some(Variation {
            label: "cooperative chunks",
            query: "w=cpu&s=coop&n=3&kernel=primes&size=1000&chunk=4",
        }),
    },
    Preset {
        id: "cooperative",
        title: "9 · Cooperative chunks",
        query: "w=cpu&s=coop&n=3&kernel=primes&size=1000&chunk=4",
        explanation: "The same work cut into small chunks with a yield to the event loop \
            between them: the page stays responsive and the lag stays small, but the work is \
            no faster — one thread still does all of it, plus the cost of each yield.",
        variation: None,
    },
    Preset {
        id: "run-in-executor",
        title: "10 · run_in_executor, max_workers = k",
        query: "w=cpu&s=pool&k=2&n=8&kernel=primes&size=1000",
        explanation: "Eight CPU tasks are handed to a pool of Web Workers, at most k at a time, \
            like ThreadPoolExecutor(max_workers=k) behind loop.run_in_executor. The timeline \
            shows k lanes busy at once; the main thread stays free. Try k = 1.",
        variation: Some(Variation {
            label: "k = 1",
            query: "w=cpu&s=pool&k=1&n=8&kernel=primes&size=1000",
        }),
    },
    Preset {
        id: "process-pool",
        title: "11 · ProcessPoolExecutor: processes of their own",
        query: "w=cpu&s=proc&k=2&n=8&kernel=primes&size=1000",
        explanation: "The same eight tasks on a pool of two processes, as ProcessPoolExecutor \
            runs them: each process is a worker with its own copy of the program and its own \
            memory, sharing nothing with the page. Starting one costs tens of milliseconds (the \
            dashed bars) and each task's arguments and result are copied in and out (orange); \
            the work itself runs in parallel. This is how Python's CPU work escapes the GIL.",
        variation: None,
    },
    Preset {
        id: "to-thread",
        title: "12 · asyncio.to_thread and the default executor",
        query: "w=io&s=thread&io=40&lat=fixed&ms=100",
        explanation: "Forty blocking calls of 100 ms sent to threads with asyncio.to_thread. They \
            share the default executor, min(32, cores + 4) threads: on a 2-core machine six run \
            at once and the rest queue, so the wall time is several rounds of 100 ms, where forty \
            awaited coroutines take one. Waiting threads use no core, which is why the default is \
            larger than the core count.",
        variation: None,
    },
    Preset {
        id: "mixed",
        title: "13 · Mixed I/O and CPU",
        query: "w=mixed&s=inline&io=20&n=2&lat=fixed&ms=50&kernel=primes&size=1000",
        explanation: "Twenty 50 ms waits and two CPU tasks. Computed inline, the CPU work holds \
            the loop, so the waits end far later than 50 ms. Switch to the pool strategy: the \
            CPU moves to workers and the waits end on time.",
        variation: Some(Variation {
            label: "the pool strategy",
            query: "w=mixed&s=pool&k=2&io=20&n=2&lat=fixed&ms=50&kernel=primes&size=1000",
        }),
    },
    Preset {
        id: "gil",
        title: "14 · GIL mode",
        query: "w=cpu&s=gil&k=2&n=4&kernel=primes&size=800&chunk=4",
        explanation: "Two workers, but CPU work must hold one global lock, built like CPython's \
            GIL: a thread that waited a switch interval (5 ms) asks the holder to let go, so the \
            two tasks take turns and end close together, never computing at once; the speed-up \
            stays near 1. The event loop needs the lock too, so its timers fire late: watch the \
            lag. Threads help waiting, not computing.",
        variation: None,
    },
    Preset {
        id: "parallel-blocking",
        title: "15 · Parallel but blocking",
        query: "w=cpu&s=parblock&n=2&kernel=primes&size=3000",
        explanation: "The work is split over every worker with par_iter, yet called from the \
            main thread, which waits for the result: fast, and the page is frozen all the \
            while. Most WebAssembly thread demos do this.",
        variation: None,
    },
    Preset {
        id: "amdahl",
        title: "16 · Amdahl sweep",
        query: "w=cpu&s=par&n=2&kernel=primes&size=2000&serial=0.3",
        explanation: "Each task keeps 30 % of its work serial. Press Sweep to run k = 1 … N \
            workers: the speed-up curve bends away from the ideal line, and the fitted serial \
            fraction comes out near 0.3.",
        variation: None,
    },
    Preset {
        id: "mandelbrot",
        title: "17 · Mandelbrot tiles on the pool",
        query: "w=cpu&s=pool&k=2&n=64&kernel=mandelbrot&size=512&chunk=8",
        explanation: "Sixty-four tiles of the Mandelbrot set handed to two pool workers, one \
            tile per task. Tiles inside the set cost far more than those \
            outside, yet with many tiles both workers stay busy to the end and the speed-up nears \
            two. The image tints each tile by the worker that ran it.",
        variation: None,
    },
    Preset {
        id: "mistake-blocking-call",
        title: "18 · Mistake: time.sleep inside a coroutine",
        query: "w=io&s=block&io=5&lat=fixed&ms=100",
        explanation: "Five I/O tasks, each a coroutine that calls time.sleep(0.1), standing for \
            requests.get or any blocking client, instead of awaiting. Nothing is awaited, so the \
            first call holds the event loop for its whole 100 ms, then the next: the dial \
            freezes, the lag reaches the whole run, and the wall time is the sum, 500 ms, as if \
            there were no asyncio at all. Run the variation, which awaits asyncio.sleep: the \
            same five waits overlap and take 100 ms.",
        variation: Some(Variation {
            label: "await asyncio.sleep",
            query: "w=io&s=conc&io=5&lat=fixed&ms=100",
        }),
    },
    Preset {
        id: "mistake-cpu-to-thread",
        title: "19 · Mistake: CPU work sent to asyncio.to_thread",
        query: "w=cpu&s=thread&n=4&kernel=primes&size=800",
        explanation: "Four CPU tasks sent to asyncio.to_thread, hoping for parallelism. The \
            threads exist and the page stays responsive, but under CPython's GIL only one of \
            them computes at a time: the GIL holder lane passes from task to task, and the \
            speed-up stays near 1. Threads help waiting, not computing; CPU work needs \
            processes (preset 11), or a language without a GIL, as the pool of preset 10 shows.",
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
}
