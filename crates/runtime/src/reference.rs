//! Measurements a run is compared with, taken in this page and kept for the
//! session: T₁ (the same CPU tasks run one after another on one thread) and
//! the calibration the model predicts from. Both are keyed by the CPU part
//! of the experiment (kernel, size, number of tasks, seed), so they are
//! measured again only when that part changes.
//!
//! The calibration (passes of 15 ms until two agree, before the run) and T₁ (the same CPU tasks
//! one after another, after the run) are both taken on the kind of thread
//! the run computes on ([`ReferenceThread::for_run`]): one pool worker, or
//! the main thread for the strategies that compute there. Each kind has its
//! own cache entry.

use std::cell::RefCell;
use std::sync::Arc;

use overlap_core::calibrate::{calibrate_tasks, Calibration, Settle};
use overlap_core::kernels::{CpuTask, Kernel, Progress};
use overlap_core::Experiment;

use crate::cancel::CancelFlag;
use crate::clock::page_now_ms;
use crate::pool::{self, run_watched, JobProbe};
use crate::worker_jobs::run_chunked;
use crate::yield_now::yield_now;

/// How long one pass of the calibration computes, ms; passes are taken
/// until two agree ([`Settle`]), each in a turn of its own on the main thread.
pub const CALIBRATION_PASS_MS: f64 = 15.0;
/// Steps per chunk of the reference run: progress for the watchdog without
/// measurable overhead.
const REFERENCE_CHUNK: u32 = 64;
/// A reference task that stops ticking for this long lost its worker.
const REFERENCE_STALL_MS: u32 = 10_000;

/// How long the warm-up computes each kernel, ms of the page clock.
const WARM_UP_MS_PER_KERNEL: f64 = 15.0;

/// Computes every kernel for a moment on a pool worker, in each form the
/// strategies run (chunked, split over the pool, single steps), so that the
/// first measured run does not compute in wasm's baseline tier while T₁,
/// measured after it, computes optimised code: the module's code is shared
/// by every thread, so warming it on one worker warms it for all. Call it
/// once, when the pool is ready: half the kernels in one pool job and half
/// in another, which two workers take at once (about 30 ms each, where one
/// worker's 60 ms were part of the page's time to ready). Two jobs of one
/// closure type rather than rayon's join: join's code for a new closure
/// made the wasm 6.7 KB larger.
pub async fn warm_up() {
    if !pool::is_ready() {
        return;
    }
    let warm = |kernels: &'static [Kernel]| {
        move || kernels.iter().for_each(|&k| warm_up_kernel(k, every_form))
    };
    let all: &'static [Kernel] = &Kernel::ALL;
    let (first, second) = all.split_at(all.len() / 2);
    let _ = futures_util::join!(
        pool::run_on_pool(warm(first), REFERENCE_STALL_MS),
        pool::run_on_pool(warm(second), REFERENCE_STALL_MS)
    );
}

/// Every kernel warmed in turn on this thread in the one form a process
/// runs (a whole task), about 60 ms: the start-up work that a process that
/// loaded the program itself (`spawn`, a forkserver's server) does before
/// it takes tasks. A process has no thread pool: nothing here touches rayon.
pub(crate) fn warm_up_for_processes() {
    for kernel in Kernel::ALL {
        warm_up_kernel(kernel, |task| {
            std::hint::black_box(task.run());
        });
    }
}

/// Without a pool (the fallback build), the same warm-up on the main thread,
/// one kernel per event-loop task so that none is a long task. The module's
/// code is shared with the processes it is sent to, so it warms theirs too.
pub async fn warm_up_here() {
    for kernel in Kernel::ALL {
        warm_up_kernel(kernel, every_form);
        yield_now().await;
    }
}

/// Each form the strategies run a task in: chunked, split, single steps, whole.
fn every_form(task: &CpuTask) {
    let mut run = task.chunked();
    while let Progress::Running { .. } = run.step(1) {}
    std::hint::black_box(task.run_split_pieces(0, 2));
    std::hint::black_box(task.run_step(0));
    std::hint::black_box(task.run());
}

/// Computes `kernel` in `forms` for [`WARM_UP_MS_PER_KERNEL`] of the page clock.
fn warm_up_kernel(kernel: Kernel, forms: fn(&CpuTask)) {
    let task = CpuTask::new(kernel, 64, 0, 0);
    let start = page_now_ms();
    while page_now_ms() - start < WARM_UP_MS_PER_KERNEL {
        forms(&task);
    }
}

/// The part of an experiment that decides what its CPU tasks compute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CpuKey {
    kernel: Kernel,
    size: u32,
    tasks: u32,
    seed: u64,
}

impl CpuKey {
    /// The key of `e`'s CPU tasks, or `None` when it has none.
    pub fn of(e: &Experiment) -> Option<CpuKey> {
        (e.cpu_task_count() > 0).then_some(CpuKey {
            kernel: e.kernel,
            size: e.size,
            tasks: e.cpu_task_count(),
            seed: e.seed,
        })
    }
}

pub use overlap_core::report::{ReferenceThread, T1};

/// T₁ and each task's time in it, ms.
type Timed = (T1, Vec<f64>);

/// What a session measured, by the CPU part and the kind of thread: a few
/// entries (one per CPU part tried), so a list searched in turn, whose code
/// weighs less on the wasm than a hash map's.
type Cache<V> = RefCell<Vec<((CpuKey, ReferenceThread), V)>>;

thread_local! {
    static T1_CACHE: Cache<Timed> = const { RefCell::new(Vec::new()) };
    static CALIBRATIONS: Cache<Calibration> = const { RefCell::new(Vec::new()) };
}

fn cached<V: Clone>(cache: &Cache<V>, key: &(CpuKey, ReferenceThread)) -> Option<V> {
    cache
        .borrow()
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
}

fn keep<V>(cache: &Cache<V>, key: (CpuKey, ReferenceThread), value: V) {
    let mut cache = cache.borrow_mut();
    cache.retain(|(k, _)| *k != key);
    cache.push((key, value));
}

/// The calibration of `e`'s kernel at its task size, measured in passes of
/// [`CALIBRATION_PASS_MS`] until it holds still, the first time on the kind of thread the run
/// computes on (like T₁: a worker's pace is compared with a worker's), then
/// from the session's cache. `None` without CPU tasks, when the clock failed
/// or a worker was lost.
pub async fn calibration(e: &Experiment) -> Option<Calibration> {
    let thread = ReferenceThread::for_run(e.strategy, pool::is_ready());
    let key = (CpuKey::of(e)?, thread);
    if let Some(c) = CALIBRATIONS.with(|c| cached(c, &key)) {
        return Some(c);
    }
    let tasks = e.cpu_task_list();
    let c = match thread {
        ReferenceThread::Main => {
            // One pass per turn of the loop: a pass is at most
            // [`CALIBRATION_PASS_MS`], never a long task.
            let mut settle = Settle::new();
            loop {
                let pass = calibrate_tasks(&tasks, &mut page_now_ms, CALIBRATION_PASS_MS).ok()?;
                if let Some(c) = settle.feed(pass) {
                    break Some(c);
                }
                yield_now().await;
            }
        }
        ReferenceThread::Worker => pool::run_on_pool(
            move || {
                let mut settle = Settle::new();
                loop {
                    let pass =
                        calibrate_tasks(&tasks, &mut page_now_ms, CALIBRATION_PASS_MS).ok()?;
                    if let Some(c) = settle.feed(pass) {
                        return Some(c);
                    }
                }
            },
            REFERENCE_STALL_MS,
        )
        .await
        .ok()
        .flatten(),
    }?;
    CALIBRATIONS.with(|cache| keep(cache, key, c));
    Some(c)
}

/// T₁ of `e`'s CPU tasks: from the cache, or measured now on the kind of
/// thread its strategy computes on (one pool worker, or the main thread in
/// chunks), with each task's time (ms, in task order). `None` without CPU
/// tasks, when a worker was lost, or when cancelled.
pub async fn t1(e: &Experiment, cancel: &CancelFlag) -> Option<(T1, Vec<f64>)> {
    let thread = ReferenceThread::for_run(e.strategy, pool::is_ready());
    let key = (CpuKey::of(e)?, thread);
    if let Some((cached, tasks_ms)) = T1_CACHE.with(|c| cached(c, &key)) {
        return Some((
            T1 {
                fresh: false,
                ..cached
            },
            tasks_ms,
        ));
    }
    let tasks = e.cpu_task_list();
    let tasks_ms = match thread {
        ReferenceThread::Worker => on_worker(&tasks, cancel).await?,
        ReferenceThread::Main => on_main(&tasks, cancel).await?,
    };
    let ms = tasks_ms.iter().sum();
    let t1 = T1 {
        ms,
        measured_at_ms: page_now_ms(),
        thread,
        fresh: true,
        in_run: false,
    };
    T1_CACHE.with(|c| keep(c, key, (t1, tasks_ms.clone())));
    Some((t1, tasks_ms))
}

async fn on_worker(tasks: &[CpuTask], cancel: &CancelFlag) -> Option<Vec<f64>> {
    let progress = Arc::new(JobProbe::default());
    let mut times = Vec::with_capacity(tasks.len());
    for &task in tasks {
        let (cancel, run_progress) = (cancel.clone(), progress.clone());
        let run = run_watched(
            move |probe: &JobProbe| {
                run_chunked(
                    task,
                    REFERENCE_CHUNK,
                    None,
                    &cancel,
                    &cancel,
                    probe,
                    &run_progress,
                )
            },
            progress.clone(),
            REFERENCE_STALL_MS,
        )
        .await
        .ok()?;
        run.checksum?;
        times.push(run.segments.iter().map(|s| s.duration_ms()).sum::<f64>());
    }
    Some(times)
}

async fn on_main(tasks: &[CpuTask], cancel: &CancelFlag) -> Option<Vec<f64>> {
    let mut times = Vec::with_capacity(tasks.len());
    for task in tasks {
        let mut total = 0.0;
        let mut run = task.chunked();
        loop {
            if cancel.is_cancelled() {
                return None;
            }
            let start = page_now_ms();
            let progress = run.step(REFERENCE_CHUNK);
            total += page_now_ms() - start;
            if let Progress::Done(_) = progress {
                break;
            }
            yield_now().await;
        }
        times.push(total);
    }
    Some(times)
}
