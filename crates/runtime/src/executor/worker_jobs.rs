//! The code that runs on pool workers: chunked CPU tasks that report
//! progress, stop when cancelled, and (in GIL mode) hold one global lock.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use overlap_core::kernels::{CpuTask, Progress};

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
    /// Stretches of CPU work on the page clock (ms): one, or one per GIL hold.
    pub segments: Vec<(f64, f64)>,
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
    let mut segments: Vec<(f64, f64)> = Vec::new();
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
                Some(last) if previous == me => last.1 = end,
                _ => segments.push((start, end)),
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
        segments.push((start, page_now_ms()));
    }
    WorkerRun {
        worker,
        segments,
        checksum,
    }
}

/// Runs `task` data-parallel on at most `pieces` pool threads from the
/// current worker, the first `serial_steps` on this worker alone; ticks
/// progress and stops (checksum `None`) at the next block once cancelled.
pub fn run_data_parallel(
    task: CpuTask,
    serial_steps: u64,
    pieces: u32,
    cancel: &CancelFlag,
    probe: &JobProbe,
    run_progress: &Arc<JobProbe>,
) -> WorkerRun {
    let worker = rayon::current_thread_index().unwrap_or(0);
    let start = page_now_ms();
    let keep_going = || {
        probe.tick();
        run_progress.tick();
        !cancel.is_cancelled()
    };
    let checksum = task.run_split_pieces_until(serial_steps, pieces, &keep_going);
    WorkerRun {
        worker,
        segments: vec![(start, page_now_ms())],
        checksum,
    }
}
