//! The code that runs on pool workers: chunked CPU tasks that report
//! progress, stop when cancelled, and (in GIL mode) hold one global lock.
//!
//! GIL mode takes the run's lock ([`crate::gil::Gil`]); a split task keeps a
//! lock-free log of the stretches each thread worked on it, for the timeline.
//! The code panel shows its functions (the app's `code`).

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;

use overlap_core::host::{Stretch, WorkerRun};
use overlap_core::kernels::{CpuTask, Progress, SplitObserver};
use overlap_core::trace::Lane;

use crate::cancel::CancelFlag;
use crate::clock::page_now_ms;
use crate::gil::Gil;
use crate::pool::JobProbe;

/// Kernel steps (≈ 0.1 ms each) between two ticks of the run-wide progress counter.
const RUN_PROGRESS_EVERY_STEPS: u32 = 16;

/// Runs `task` in chunks of `chunk` steps on the current worker; with `gil`
/// (GIL mode) it holds the run's lock and, between two chunks, hands it over
/// when another thread asked for it, as a CPython thread does.
pub fn run_chunked(
    task: CpuTask,
    chunk: u32,
    gil: Option<&Gil>,
    cancel: &CancelFlag,
    halt: &CancelFlag,
    probe: &JobProbe,
    run_progress: &Arc<JobProbe>,
) -> WorkerRun {
    let worker = rayon::current_thread_index().unwrap_or(0);
    let mut segments: Vec<Stretch> = Vec::new();
    if cancel.is_cancelled() {
        return WorkerRun {
            worker,
            segments,
            checksum: None,
        };
    }
    let mut run = task.chunked();
    if let Some(gil) = gil {
        gil.acquire();
    }
    // The stretch being worked: the whole task, or one hold of the GIL.
    let mut open_start = page_now_ms();
    let mut chunks = 0u32;
    let tick_every = (RUN_PROGRESS_EVERY_STEPS / chunk.max(1)).max(1);
    let checksum = loop {
        let progress = run.step(chunk);
        if crate::fault::take_trap() {
            crate::fault::trap();
        }
        probe.tick();
        chunks = chunks.wrapping_add(1);
        // The run-wide counter is one cache line that every worker writes:
        // touching it every chunk made parallel tasks measurably slower.
        // Every 16 steps (or every chunk, when chunks are bigger) still proves
        // life many times a second.
        if chunks.is_multiple_of(tick_every) {
            run_progress.tick();
        }
        match progress {
            Progress::Done(checksum) => break Some(checksum),
            Progress::Running { .. } if halt.is_cancelled() => break None,
            Progress::Running { .. } => {}
        }
        if let Some(gil) = gil.filter(|gil| gil.drop_requested()) {
            let now = page_now_ms();
            segments.push(Stretch::on_worker(worker, open_start, now));
            gil.switch();
            open_start = page_now_ms();
        }
    };
    segments.push(Stretch::on_worker(worker, open_start, page_now_ms()));
    if let Some(gil) = gil {
        gil.release();
    }
    WorkerRun {
        worker,
        segments,
        checksum,
    }
}

/// The stretches threads worked on one split task, recorded without locks:
/// the main thread records too (the serial head of a parallel-but-blocking
/// task) and may never wait. Each thread has at most one open stretch, and
/// only that thread writes its end.
pub(crate) struct StretchLog {
    /// (thread + 1, start bits, end bits); thread 0 is the main thread.
    slots: Vec<(AtomicUsize, AtomicU64, AtomicU64)>,
    next: AtomicUsize,
}

/// The main thread's id in a [`StretchLog`] (not a rayon thread).
const MAIN_THREAD: usize = 0;

fn thread_id() -> usize {
    rayon::current_thread_index().map_or(MAIN_THREAD, |w| w + 1)
}

/// Room for the stretches of a split task under the GIL, one per hold, beyond
/// those of its lanes: at a hand-over every few milliseconds, tens of
/// seconds of work.
const GIL_HOLDS: usize = 4096;

impl StretchLog {
    /// Room for the stretches of a task split into `pieces` lanes (a lane
    /// per phase for the reduction, a head), and with `gil` one per hold of
    /// the lock; stretches past it are dropped.
    pub(crate) fn for_pieces(pieces: u32, gil: bool) -> StretchLog {
        let lanes =
            (pieces as usize + 1) * (1 + overlap_core::kernels::reduce::PASSES as usize) + 2;
        let room = lanes + if gil { GIL_HOLDS } else { 0 };
        StretchLog {
            slots: (0..room)
                .map(|_| (AtomicUsize::new(0), AtomicU64::new(0), AtomicU64::new(0)))
                .collect(),
            next: AtomicUsize::new(0),
        }
    }

    fn start(&self) {
        let i = self.next.fetch_add(1, Ordering::AcqRel);
        if let Some((who, start, end)) = self.slots.get(i) {
            start.store(page_now_ms().to_bits(), Ordering::Relaxed);
            end.store(f64::NAN.to_bits(), Ordering::Relaxed);
            who.store(thread_id() + 1, Ordering::Release);
        }
    }

    fn end(&self) {
        let me = thread_id() + 1;
        let used = self.next.load(Ordering::Acquire).min(self.slots.len());
        if let Some((_, _, end)) = self.slots[..used].iter().rev().find(|(who, _, end)| {
            who.load(Ordering::Acquire) == me
                && f64::from_bits(end.load(Ordering::Relaxed)).is_nan()
        }) {
            end.store(page_now_ms().to_bits(), Ordering::Release);
        }
    }

    /// The closed stretches, by start.
    pub(crate) fn into_stretches(self) -> Vec<Stretch> {
        let mut out: Vec<Stretch> = self
            .slots
            .into_iter()
            .filter_map(|(who, start, end)| {
                let who = who.into_inner().checked_sub(1)?;
                let (start, end) = (
                    f64::from_bits(start.into_inner()),
                    f64::from_bits(end.into_inner()),
                );
                let lane = match who {
                    MAIN_THREAD => Lane::Main,
                    w => Lane::Worker(u16::try_from(w - 1).unwrap_or(u16::MAX)),
                };
                (!end.is_nan()).then_some(Stretch {
                    lane,
                    start_ms: start,
                    end_ms: end,
                })
            })
            .collect();
        out.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
        out
    }
}

impl SplitObserver for StretchLog {
    fn stretch_started(&self) {
        self.start();
    }

    fn stretch_ended(&self) {
        self.end();
    }
}

/// How a split task is cut, and the lock its stretches hold, if any.
#[derive(Clone, Copy)]
pub struct SplitPlan<'a> {
    /// Steps the thread that took it computes alone, first.
    pub serial_steps: u64,
    /// Lanes of the rest: at most this many threads at once.
    pub pieces: u32,
    /// The run's GIL, when the work runs under it.
    pub gil: Option<&'a Gil>,
}

/// A split task's observer under the run's GIL, when it has one: each
/// stretch of work holds the lock, and between two blocks a holder that was
/// asked drops it (forced switching), closing its stretch, as a CPython
/// thread does at its eval breaker. Lanes then take turns, a block at a time.
struct UnderGil<'a> {
    inner: &'a dyn SplitObserver,
    gil: Option<&'a Gil>,
}

impl SplitObserver for UnderGil<'_> {
    fn keep_going(&self) -> bool {
        if let Some(gil) = self
            .gil
            .filter(|gil| gil.held_here() && gil.drop_requested())
        {
            self.inner.stretch_ended();
            gil.switch();
            self.inner.stretch_started();
        }
        self.inner.keep_going()
    }

    fn stretch_started(&self) {
        if let Some(gil) = self.gil {
            gil.acquire();
        }
        self.inner.stretch_started();
    }

    fn stretch_ended(&self) {
        self.inner.stretch_ended();
        if let Some(gil) = self.gil {
            gil.release();
        }
    }
}

/// Watches a split task on the pool: progress, cancellation, and the stretch
/// each thread worked on it.
struct SplitWatch<'a> {
    cancel: &'a CancelFlag,
    probe: &'a JobProbe,
    run_progress: &'a JobProbe,
    stretches: StretchLog,
}

impl SplitObserver for SplitWatch<'_> {
    fn keep_going(&self) -> bool {
        if crate::fault::take_trap() {
            crate::fault::trap();
        }
        self.probe.tick();
        self.run_progress.tick();
        !self.cancel.is_cancelled()
    }

    fn stretch_started(&self) {
        self.stretches.start();
    }

    fn stretch_ended(&self) {
        self.stretches.end();
    }
}

/// Runs `task` data-parallel on at most `pieces` pool threads from the
/// current worker, the first `serial_steps` on this worker alone (with
/// `gil`, each thread computing only while it holds it); ticks progress and
/// stops (checksum `None`) at the next block once cancelled, and reports
/// the stretch each thread worked.
pub fn run_data_parallel(
    task: CpuTask,
    plan: SplitPlan<'_>,
    cancel: &CancelFlag,
    halt: &CancelFlag,
    probe: &JobProbe,
    run_progress: &Arc<JobProbe>,
) -> WorkerRun {
    let worker = rayon::current_thread_index().unwrap_or(0);
    if cancel.is_cancelled() {
        return WorkerRun {
            worker,
            segments: Vec::new(),
            checksum: None,
        };
    }
    let watch = SplitWatch {
        cancel: halt,
        probe,
        run_progress,
        stretches: StretchLog::for_pieces(plan.pieces, plan.gil.is_some()),
    };
    let observer = UnderGil {
        inner: &watch,
        gil: plan.gil,
    };
    let checksum = task.run_split_pieces_until(plan.serial_steps, plan.pieces, &observer);
    // The serial head ran on the worker that took the job.
    let segments = watch
        .stretches
        .into_stretches()
        .into_iter()
        .map(|stretch| match stretch.lane {
            Lane::Main => Stretch::on_worker(worker, stretch.start_ms, stretch.end_ms),
            Lane::Worker(_) | Lane::Process(_) | Lane::Thread(_) => stretch,
        })
        .collect();
    WorkerRun {
        worker,
        segments,
        checksum,
    }
}

/// Runs `task` split in `pieces` lanes from the calling (main) thread, which
/// computes the first `serial_steps` itself and then waits for the pool:
/// parallel-but-blocking (with `gil`, the lanes and the head take turns
/// holding it). The stretches say who computed when.
pub fn run_split_here(task: CpuTask, plan: SplitPlan<'_>) -> WorkerRun {
    let log = StretchLog::for_pieces(plan.pieces, plan.gil.is_some());
    let observer = UnderGil {
        inner: &log,
        gil: plan.gil,
    };
    let checksum = task.run_split_pieces_until(plan.serial_steps, plan.pieces, &observer);
    WorkerRun {
        worker: 0,
        segments: log.into_stretches(),
        checksum,
    }
}
