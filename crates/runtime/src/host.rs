//! The browser's [`Host`]: the page clock, the page's one JS timer, an
//! unclamped yield, rayon on the pool of Web Workers, and `fetch`.
//!
//! A host of a GIL-mode run owns the run's lock ([`Gil`]): it gives it to
//! each job whose work runs under the GIL, and its sleeps' wake-ups take it
//! (callbacks of the loop). A host without one takes no lock.

use std::sync::Arc;

use futures_util::future::LocalBoxFuture;
use overlap_core::execute::{DATA_PARALLEL_STALL_MS, STALL_MS};
use std::cell::{Cell, OnceCell, RefCell};
use std::rc::Rc;

use overlap_core::experiment::ProcessStart;
use overlap_core::host::{HandOffError, Host, PoolJob, PoolWork, ProcessTrip, Stretch, WorkerRun};
use overlap_core::kernels::CpuTask;
use overlap_core::trace::Lane;

use crate::clock::page_now_ms;
use crate::fetch::{Fetch, FETCH_URL};
use crate::gil::Gil;
use crate::pool::{run_watched, JobProbe, WatchError};
use crate::process::{self, Process, ProcessError};
use crate::timers::sleep_under_gil;
use crate::worker_jobs::{self, SplitPlan};
use crate::yield_now::yield_now;

/// The page as a host. One per run: its progress counter is what every job
/// of the run bumps, so a job queued behind healthy work is never taken for
/// a lost one.
#[derive(Clone, Debug, Default)]
pub struct BrowserHost {
    run_progress: Arc<JobProbe>,
    /// The run's processes (process-style pool), once started.
    processes: Rc<RefCell<Vec<Rc<Process>>>>,
    /// Numbers the tasks sent to processes, to match their answers.
    sent: Rc<Cell<u32>>,
    /// The run's GIL: made by the run (GIL mode), or by the first job under
    /// the GIL on a host made without one.
    gil: Rc<OnceCell<Arc<Gil>>>,
}

impl BrowserHost {
    /// A host for one run that holds no GIL.
    pub fn new() -> BrowserHost {
        BrowserHost::default()
    }

    /// A host for one run whose work runs under `gil` (core's
    /// [`overlap_core::host::Gil::of`] its experiment): the run's own lock,
    /// with its switch interval.
    pub fn for_run(gil: Option<overlap_core::host::Gil>) -> BrowserHost {
        let host = BrowserHost::default();
        if let Some(gil) = gil {
            let _ = host.gil.set(Arc::new(Gil::new(gil.switch_us)));
        }
        host
    }

    /// The run's GIL, if it has one.
    pub fn gil(&self) -> Option<Arc<Gil>> {
        self.gil.get().cloned()
    }

    /// The lock for a job under `gil`: the run's.
    fn gil_for(&self, gil: overlap_core::host::Gil) -> Arc<Gil> {
        self.gil
            .get_or_init(|| Arc::new(Gil::new(gil.switch_us)))
            .clone()
    }
}

impl Host for BrowserHost {
    fn now_ms(&self) -> f64 {
        page_now_ms()
    }

    fn sleep(&self, ms: u32) -> LocalBoxFuture<'static, ()> {
        Box::pin(sleep_under_gil(ms, self.gil()))
    }

    fn yield_now(&self) -> LocalBoxFuture<'static, ()> {
        Box::pin(yield_now())
    }

    fn compute_here(&self, _steps: u64, work: &mut dyn FnMut()) {
        // The page clock moves by itself while the main thread computes.
        work();
    }

    fn block_here(&self, ms: f64) {
        // A spin on the clock: the main thread may not wait on a lock
        // (Atomics.wait), and holding it is the point.
        let until = self.now_ms() + ms.max(0.0);
        while self.now_ms() < until {
            std::hint::spin_loop();
        }
    }

    fn split_here(
        &self,
        task: CpuTask,
        serial_steps: u64,
        pieces: u32,
        gil: Option<overlap_core::host::Gil>,
    ) -> WorkerRun {
        let lock = gil.map(|gil| self.gil_for(gil));
        let plan = SplitPlan {
            serial_steps,
            pieces,
            gil: lock.as_deref(),
        };
        worker_jobs::run_split_here(task, plan)
    }

    fn hand_off(&self, job: PoolJob) -> LocalBoxFuture<'static, Result<WorkerRun, HandOffError>> {
        let progress = self.run_progress.clone();
        let watched = self.run_progress.clone();
        let lock = match job.work {
            PoolWork::Chunked { gil, .. } | PoolWork::Split { gil, .. } => {
                gil.map(|gil| self.gil_for(gil))
            }
        };
        Box::pin(async move {
            let PoolJob {
                task,
                work,
                cancel,
                halt,
            } = job;
            let result = match work {
                PoolWork::Chunked { chunk, .. } => {
                    run_watched(
                        move |probe: &JobProbe| {
                            worker_jobs::run_chunked(
                                task,
                                chunk,
                                lock.as_deref(),
                                &cancel,
                                &halt,
                                probe,
                                &progress,
                            )
                        },
                        watched,
                        STALL_MS,
                    )
                    .await
                }
                PoolWork::Split {
                    serial_steps,
                    pieces,
                    ..
                } => {
                    run_watched(
                        move |probe: &JobProbe| {
                            let plan = SplitPlan {
                                serial_steps,
                                pieces,
                                gil: lock.as_deref(),
                            };
                            worker_jobs::run_data_parallel(
                                task, plan, &cancel, &halt, probe, &progress,
                            )
                        },
                        watched,
                        DATA_PARALLEL_STALL_MS,
                    )
                    .await
                }
            };
            result.map_err(|e| match e {
                WatchError::NotReady => HandOffError::NotReady,
                WatchError::Stalled { worker, cause, .. } => HandOffError::Lost { worker, cause },
            })
        })
    }

    fn fetch(&self) -> LocalBoxFuture<'static, Result<u64, String>> {
        Box::pin(Fetch::new().get(FETCH_URL))
    }

    fn start_processes(
        &self,
        k: u32,
        method: ProcessStart,
    ) -> LocalBoxFuture<'static, Result<Vec<Stretch>, String>> {
        let processes = self.processes.clone();
        Box::pin(async move {
            let ready = process::start_pool(0..k as usize, method)
                .await
                .map_err(|e| e.to_string())?;
            let stretches = ready
                .iter()
                .map(|p| Stretch {
                    lane: Lane::Process(u16::try_from(p.index).unwrap_or(u16::MAX)),
                    start_ms: p.started_ms,
                    end_ms: p.ready_ms.max(p.started_ms),
                })
                .collect();
            *processes.borrow_mut() = ready.into_iter().map(Rc::new).collect();
            Ok(stretches)
        })
    }

    fn in_process(
        &self,
        process: usize,
        task: CpuTask,
    ) -> LocalBoxFuture<'static, Result<ProcessTrip, String>> {
        let chosen = self.processes.borrow().get(process).cloned();
        let id = self.sent.get();
        self.sent.set(id.wrapping_add(1));
        Box::pin(async move {
            let p = chosen.ok_or_else(|| format!("there is no process {}", process + 1))?;
            p.run(id, &task).await.map_err(|e| match e {
                ProcessError::Broken(why) => format!(
                    "process {} failed while running task {} ({why})",
                    process + 1,
                    task.index + 1
                ),
                ProcessError::Start(_) => e.to_string(),
            })
        })
    }

    fn stop_processes(&self) {
        for p in self.processes.borrow_mut().drain(..) {
            p.terminate();
        }
    }
}
