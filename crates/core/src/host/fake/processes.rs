//! The fake host's process-style pool: each process starts by its method
//! ([`PROCESS_STARTUP_MS`] for a copy, [`SPAWN_STARTUP_MS`] for a fresh
//! start, a forkserver's server first and then a copy of it), a task travels
//! each way in [`TRANSFER_MS`], and processes compute side by side (each has
//! its own core).

use futures_util::future::LocalBoxFuture;

use super::FakeHost;
use crate::experiment::ProcessStart;
use crate::host::{Host, ProcessTrip, Stretch};
use crate::kernels::CpuTask;

/// Virtual time for a process to start as a copy (`fork`: a worker given a
/// compiled program, and a fresh instance of it), ms.
pub const PROCESS_STARTUP_MS: f64 = 5.0;
/// Virtual time for a process to start fresh (`spawn`: it also loads and
/// compiles the program), ms; a forkserver's server starts so, once.
pub const SPAWN_STARTUP_MS: f64 = 40.0;
/// Virtual time for a task's arguments, or its result, to travel, ms.
pub const TRANSFER_MS: f64 = 0.05;

const STOPPED: &str = "the process was terminated";

async fn wait(host: &FakeHost, ms: f64) {
    host.sleep_for(ms).await;
}

pub(super) fn start(
    host: FakeHost,
    k: u32,
    method: ProcessStart,
) -> LocalBoxFuture<'static, Result<Vec<Stretch>, String>> {
    Box::pin(async move {
        host.0.processes_stopped.set(false);
        let start = host.now_ms();
        // The processes start side by side; a forkserver's, once its server is up.
        match method {
            ProcessStart::Fork => wait(&host, PROCESS_STARTUP_MS).await,
            ProcessStart::Spawn => wait(&host, SPAWN_STARTUP_MS).await,
            ProcessStart::Forkserver => {
                wait(&host, SPAWN_STARTUP_MS).await;
                wait(&host, PROCESS_STARTUP_MS).await;
            }
        }
        let end = host.now_ms();
        Ok((0..k as usize)
            .map(|p| Stretch {
                lane: crate::trace::Lane::Process(u16::try_from(p).unwrap_or(u16::MAX)),
                start_ms: start,
                end_ms: end,
            })
            .collect())
    })
}

pub(super) fn run(
    host: FakeHost,
    _process: usize,
    task: CpuTask,
) -> LocalBoxFuture<'static, Result<ProcessTrip, String>> {
    Box::pin(async move {
        let stopped = || host.0.processes_stopped.get();
        if stopped() {
            return Err(STOPPED.to_owned());
        }
        let sent_ms = host.now_ms();
        wait(&host, TRANSFER_MS).await;
        let received_ms = host.now_ms();
        wait(&host, host.cost_ms(task.steps())).await;
        if stopped() {
            return Err(STOPPED.to_owned());
        }
        let end_ms = host.now_ms();
        wait(&host, TRANSFER_MS).await;
        Ok(ProcessTrip {
            checksum: task.run(),
            sent_ms,
            received_ms,
            end_ms,
            back_ms: host.now_ms(),
        })
    })
}
