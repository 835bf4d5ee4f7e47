//! The code that runs on pool workers: chunked CPU tasks that report
//! progress, stop when cancelled, and (in GIL mode) hold one global lock.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use overlap_core::kernels::{CpuTask, Progress, SplitObserver};

use crate::cancel::CancelFlag;
use crate::clock::page_now_ms;
use crate::pool::JobProbe;

/// The one lock of GIL mode. A real lock: workers block on it (workers may
/// wait; the main thread never touches it).
static GIL: Mutex<()> = Mutex::new(());
/// Task id + 1 of the last GIL holder, to merge a holder's back-to-back holds
/// into one segment.
static GIL_LAST_HOLDER: AtomicU64 = AtomicU64::new(0);

/// Kernel steps (≈ 0.1 ms each) between two ticks of the run-wide progress counter.
const RUN_PROGRESS_EVERY_STEPS: u32 = 16;

/// What a CPU task did on a worker.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkerRun {
    /// The worker's index in the pool.
    pub worker: usize,
    /// Stretches of CPU work as (worker, start, end) on the page clock (ms):
    /// one, one per GIL hold, or one per thread that helped a split task.
    pub segments: Vec<(usize, f64, f64)>,
    /// The checksum, or `None` when the task stopped because the run was cancelled.
    pub checksum: Option<u64>,
}

/// Runs `task` in chunks of `chunk` steps on the current worker; in GIL mode
/// each chunk is computed while holding the global lock.
pub fn run_chunked(
    task: CpuTask,
    chunk: u32,
    gil: bool,
    cancel: &CancelFlag,
    probe: &JobProbe,
    run_progress: &Arc<JobProbe>,
) -> WorkerRun {
    let worker = rayon::current_thread_index().unwrap_or(0);
    let me = u64::from(task.index) + 1;
    let mut segments: Vec<(usize, f64, f64)> = Vec::new();
    if cancel.is_cancelled() {
        return WorkerRun {
            worker,
            segments,
            checksum: None,
        };
    }
    let mut run = task.chunked();
    let mut open_start = (!gil).then(page_now_ms);
    let mut chunks = 0u32;
    let tick_every = (RUN_PROGRESS_EVERY_STEPS / chunk.max(1)).max(1);
    let checksum = loop {
        let progress = if gil {
            // A poisoned lock only means another holder panicked; the data
            // it guards is `()`, so carry on.
            let guard = GIL.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let start = page_now_ms();
            let progress = run.step(chunk);
            let end = page_now_ms();
            let previous = GIL_LAST_HOLDER.swap(me, Ordering::AcqRel);
            drop(guard);
            match segments.last_mut() {
                Some(last) if previous == me => last.2 = end,
                _ => segments.push((worker, start, end)),
            }
            progress
        } else {
            run.step(chunk)
        };
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
            Progress::Running { .. } if cancel.is_cancelled() => break None,
            Progress::Running { .. } => {}
        }
    };
    if let Some(start) = open_start.take() {
        segments.push((worker, start, page_now_ms()));
    }
    WorkerRun {
        worker,
        segments,
        checksum,
    }
}

/// Watches a split task on the pool: progress, cancellation, and the stretch
/// each thread worked on it (the threads may wait on this lock: all are workers).
struct SplitWatch<'a> {
    cancel: &'a CancelFlag,
    probe: &'a JobProbe,
    run_progress: &'a JobProbe,
    stretches: Mutex<Vec<(usize, f64, f64)>>,
}

impl SplitObserver for SplitWatch<'_> {
    fn keep_going(&self) -> bool {
        self.probe.tick();
        self.run_progress.tick();
        !self.cancel.is_cancelled()
    }

    fn stretch_started(&self) {
        let worker = rayon::current_thread_index().unwrap_or(0);
        let mut stretches = self.stretches.lock().unwrap_or_else(|p| p.into_inner());
        stretches.push((worker, page_now_ms(), f64::NAN));
    }

    fn stretch_ended(&self) {
        let worker = rayon::current_thread_index().unwrap_or(0);
        let now = page_now_ms();
        let mut stretches = self.stretches.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(open) = stretches
            .iter_mut()
            .rev()
            .find(|s| s.0 == worker && s.2.is_nan())
        {
            open.2 = now;
        }
    }
}

/// Runs `task` data-parallel on at most `pieces` pool threads from the
/// current worker, the first `serial_steps` on this worker alone; ticks
/// progress and stops (checksum `None`) at the next block once cancelled,
/// and reports the stretch each thread worked.
pub fn run_data_parallel(
    task: CpuTask,
    serial_steps: u64,
    pieces: u32,
    cancel: &CancelFlag,
    probe: &JobProbe,
    run_progress: &Arc<JobProbe>,
) -> WorkerRun {
    let worker = rayon::current_thread_index().unwrap_or(0);
    let watch = SplitWatch {
        cancel,
        probe,
        run_progress,
        stretches: Mutex::new(Vec::new()),
    };
    let checksum = task.run_split_pieces_until(serial_steps, pieces, &watch);
    let mut segments = watch
        .stretches
        .into_inner()
        .unwrap_or_else(|p| p.into_inner());
    segments.retain(|s| !s.2.is_nan());
    segments.sort_by(|a, b| a.1.total_cmp(&b.1));
    WorkerRun {
        worker,
        segments,
        checksum,
    }
}
