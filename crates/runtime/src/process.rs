//! Processes for the process-style pool (Python's `ProcessPoolExecutor`):
//! each is a dedicated worker with its own instance of the module over its
//! own memory, fed tasks by message and answering by message, so that
//! nothing is shared with the page but what is copied.
//!
//! This module starts processes, runs a task in one and stops it; the
//! strategy that schedules tasks over `k` of them builds on it.
//!
//! How a process gets its program is the start method
//! ([`ProcessStart`], `multiprocessing`'s), each real work of the page,
//! never a sleep:
//! - `fork`, a copy of the parent: the process is sent the page's compiled
//!   module (`wasm_bindgen::module()`, its code shared as a forked child
//!   shares its parent's pages) and only instantiates it. The memory is
//!   fresh, not a copy: a running instance cannot be copied. What the pool
//!   always did, hence the default.
//! - `spawn`, a fresh interpreter that imports the program: the process
//!   fetches the `.wasm` beside the glue and compiles it itself,
//!   instantiates it, then does the page's start-up work
//!   ([`process_import_program`]): its code starts cold, as a fresh
//!   interpreter's does.
//! - `forkserver`: one server started as `spawn` starts a process (it
//!   compiles the program, instantiates it and does the start-up work),
//!   then each process made from the server's compiled module, its code
//!   warmed by the server, as `fork` makes one from the page's.
//!
//! A process (`js/process.js`) runs `processTask(kernel, size, seed, index)`
//! per message and answers with the checksum and the trip's times on the page
//! clock; `terminate` fails every task it still owed.

use std::fmt;
use std::ops::Range;

use futures_util::future::join_all;
use futures_util::FutureExt;
use overlap_core::experiment::bounds::SHARED_MEMORY_CEILING;
use overlap_core::experiment::{ProcessStart, Token};
use overlap_core::host::ProcessTrip;
use overlap_core::kernels::{CpuTask, Kernel};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::clock::{init_page_clock, page_now_ms};
use crate::instance::{self, GLUE_URL, PAGE_BYTES};

#[wasm_bindgen(module = "/js/process.js")]
extern "C" {
    #[wasm_bindgen(js_name = spawnProcess)]
    fn spawn_process(
        module: JsValue,
        main_js: js_sys::JsString,
        initial_pages: u32,
        maximum_pages: u32,
        index: usize,
        serve: bool,
    ) -> js_sys::Promise;

    #[wasm_bindgen(js_name = terminateProcess)]
    fn terminate_process(worker: &web_sys::Worker);

    #[wasm_bindgen(js_name = runInProcess)]
    fn run_in_process(
        worker: &web_sys::Worker,
        id: u32,
        kernel: &str,
        size: u32,
        seed: u64,
        index: u32,
        trap: bool,
    ) -> js_sys::Promise;
}

/// Runs one CPU task in this instance and returns its checksum: what a
/// process does with each task it is sent. Rejects what no task could be
/// (an unknown kernel, a size out of its bounds) rather than trapping;
/// `trap` (fault injection, see [`crate::fault`]) traps on purpose.
#[wasm_bindgen(js_name = processTask)]
pub fn process_task(
    kernel: &str,
    size: u32,
    seed: u64,
    index: u32,
    trap: bool,
) -> Result<u64, JsError> {
    if trap {
        crate::fault::trap();
    }
    let kernel = <Kernel as Token>::from_token(kernel)
        .ok_or_else(|| JsError::new(&format!("unknown kernel “{kernel}”")))?;
    if size == 0 || size > kernel.max_size() {
        return Err(JsError::new(&format!(
            "size {size} is outside 1..={} for {}",
            kernel.max_size(),
            kernel.token()
        )));
    }
    Ok(CpuTask::new(kernel, size, seed, index).run())
}

/// What a process that loaded the program itself (`spawn`, a forkserver's
/// server) runs before it takes tasks, as a fresh interpreter imports the
/// program: the page's own start-up work ([`crate::reference::warm_up`]),
/// every kernel computed for a moment, in the form a process runs, so that
/// its code is as ready as the page's. A copy (`fork`) is given code the
/// page already warmed: the engine shares a compiled module's code with
/// every instance of it.
#[wasm_bindgen(js_name = processImportProgram)]
pub fn process_import_program() {
    crate::reference::warm_up_for_processes();
}

/// Why a process could not start or could not answer.
#[derive(Clone, Debug, PartialEq)]
pub enum ProcessError {
    /// The worker or its instance could not start; the browser's reason.
    Start(String),
    /// The process died or failed while running a task, as Python's
    /// `BrokenProcessPool`: it must not be used again.
    Broken(String),
}

impl fmt::Display for ProcessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Start(why) => write!(f, "a process could not start: {why}"),
            Self::Broken(why) => {
                write!(f, "a process of the pool broke (BrokenProcessPool): {why}")
            }
        }
    }
}

impl std::error::Error for ProcessError {}

/// A started process.
#[derive(Debug)]
pub struct Process {
    worker: web_sys::Worker,
    /// Its number in the pool, from 0.
    pub index: usize,
    /// When it was asked for (page ms).
    pub started_ms: f64,
    /// When its instance was ready (page ms).
    pub ready_ms: f64,
}

fn message(err: &JsValue) -> String {
    crate::env::js_error_text(err).unwrap_or_else(|| "unknown error".to_owned())
}

fn number(value: &JsValue, key: &str) -> f64 {
    js_sys::Reflect::get(value, &key.into())
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(f64::NAN)
}

/// A worker whose instance is up: what `spawnProcess` resolves with.
struct Launched {
    worker: web_sys::Worker,
    ready_ms: f64,
    /// The module it compiled, when it was asked to serve it (a forkserver).
    module: JsValue,
}

/// Starts a worker (process `index`, or with `serve` a forkserver's server)
/// and the module instantiated there over a fresh memory as large as the
/// page's was at start-up (its maximum is the shared memory ceiling, as the
/// page's); in the fallback build, over the memory the module makes itself.
/// `program` is the compiled module it is sent, or null for it to fetch and
/// compile the program itself.
async fn launch(program: JsValue, index: usize, serve: bool) -> Result<Launched, ProcessError> {
    // The fallback build's module makes its own (unshared) memory, so 0
    // tells process.js to let it.
    let initial_pages = if cfg!(target_feature = "atomics") {
        instance::initial_pages()
    } else {
        0
    };
    let maximum_pages = (SHARED_MEMORY_CEILING / PAGE_BYTES) as u32;
    let promise = spawn_process(
        program,
        GLUE_URL.with(Clone::clone),
        initial_pages,
        maximum_pages,
        index,
        serve,
    );
    let answer = JsFuture::from(promise)
        .await
        .map_err(|e| ProcessError::Start(message(&e)))?;
    let answer: js_sys::Array = answer.unchecked_into();
    Ok(Launched {
        worker: answer.get(0).unchecked_into(),
        ready_ms: answer.get(1).as_f64().unwrap_or(f64::NAN),
        module: answer.get(2),
    })
}

/// Starts the processes numbered `indices` by `method`, all asked for at
/// once: each one's start-up runs from then to when its instance was ready,
/// a forkserver's server included. If one cannot start, none is kept.
pub async fn start_pool(
    indices: Range<usize>,
    method: ProcessStart,
) -> Result<Vec<Process>, ProcessError> {
    init_page_clock();
    let started_ms = page_now_ms();
    let (program, server) = match method {
        ProcessStart::Fork => (wasm_bindgen::module(), None),
        ProcessStart::Spawn => (JsValue::NULL, None),
        ProcessStart::Forkserver => {
            let server = launch(JsValue::NULL, 0, true).await?;
            (server.module.clone(), Some(server.worker))
        }
    };
    let launched =
        join_all(indices.map(|i| launch(program.clone(), i, false).map(move |l| (i, l)))).await;
    // The server's work is done once the processes are made from it
    // (CPython keeps it for later pools; a run of the page has one pool).
    if let Some(server) = server {
        terminate_process(&server);
    }
    let mut ready = Vec::with_capacity(launched.len());
    let mut failure = None;
    for (index, outcome) in launched {
        match outcome {
            Ok(l) => ready.push(Process {
                worker: l.worker,
                index,
                started_ms,
                ready_ms: l.ready_ms,
            }),
            Err(e) => failure = failure.or(Some(e)),
        }
    }
    match failure {
        Some(e) => {
            ready.iter().for_each(Process::terminate);
            Err(e)
        }
        None => Ok(ready),
    }
}

/// Starts one process, number `index`, by `method` (see [`start_pool`]).
pub async fn start(index: usize, method: ProcessStart) -> Result<Process, ProcessError> {
    let mut one = start_pool(index..index + 1, method).await?;
    one.pop()
        .ok_or_else(|| ProcessError::Start("no process was started".to_owned()))
}

impl Process {
    /// Sends `task` (its kernel, size, seed and index are all that travel)
    /// and waits for its result and its trip, on the page's clock. A trap
    /// armed by [`crate::fault::inject`] travels with it.
    pub async fn run(&self, id: u32, task: &CpuTask) -> Result<ProcessTrip, ProcessError> {
        let promise = run_in_process(
            &self.worker,
            id,
            task.kernel.token(),
            task.size,
            task.seed,
            task.index,
            crate::fault::take_trap(),
        );
        let answer = JsFuture::from(promise)
            .await
            .map_err(|e| ProcessError::Broken(message(&e)))?;
        let error = js_sys::Reflect::get(&answer, &"error".into()).unwrap_or(JsValue::UNDEFINED);
        if let Some(error) = error.as_string() {
            return Err(ProcessError::Broken(error));
        }
        let checksum = js_sys::Reflect::get(&answer, &"checksum".into())
            .ok()
            .and_then(|v| u64::try_from(v).ok())
            .ok_or_else(|| ProcessError::Broken("the answer had no checksum".to_owned()))?;
        Ok(ProcessTrip {
            checksum,
            sent_ms: number(&answer, "sent"),
            received_ms: number(&answer, "received"),
            end_ms: number(&answer, "end"),
            back_ms: number(&answer, "back"),
        })
    }

    /// Stops the process at once, whatever it is doing (`terminate()`):
    /// the tasks it owed fail with [`ProcessError::Broken`].
    pub fn terminate(&self) {
        terminate_process(&self.worker);
    }
}
