//! The part of a twin that its strategy decides: where the CPU tasks run,
//! and what the program says about it.

use crate::experiment::Strategy;
use crate::Experiment;

/// The strategy's part of a program.
pub(super) struct Plan {
    /// A paragraph for the docstring: what this program shows.
    pub story: &'static str,
    /// The executor import, if any.
    pub import: &'static str,
    /// Functions the body uses.
    pub helpers: String,
    /// Lines of `main` that start the tasks and fill `tasks`.
    pub body: String,
    /// Lines after the pending tasks are cancelled (stopping a driver).
    pub after_wait: String,
    /// Lines that let the executor finish, once every task settled.
    pub shutdown: String,
}

/// The lines that start the I/O tasks: each waits on the loop (or, for
/// `asyncio.to_thread`, blocks a thread of the default executor), through
/// the semaphore when there is one.
fn io_tasks(e: &Experiment) -> String {
    let (comment, work) = if e.strategy == Strategy::BlockingIo {
        (
            "    # The classic mistake: each I/O coroutine makes a blocking call (time.sleep\n    \
             # stands for a blocking client) and awaits nothing. The first call holds the\n    \
             # event loop until it returns, then the next: nothing overlaps, no timer fires.\n",
            "blocking_on_the_loop, run, i, us, fails",
        )
    } else if e.strategy == Strategy::ToThread {
        (
            "    # Each I/O task is a blocking call run by asyncio.to_thread on the default\n    \
             # executor: min(32, cores + 4) threads, the others queue.\n    \
             submitted = run.now_us()\n",
            "asyncio.to_thread, blocking_io, run, i, us, fails, submitted",
        )
    } else {
        (
            "    # The I/O tasks wait together on the event loop.\n",
            "io_task, run, i, us, fails",
        )
    };
    let start = if e.limit.is_some() {
        format!(
            "    # asyncio.Semaphore(LIMIT): at most LIMIT waits in flight, the others queue.\n    \
             semaphore = asyncio.Semaphore(LIMIT)\n    \
             tasks = [asyncio.create_task(limited(run, i, semaphore, {work}))\n             \
             for i, (us, fails) in enumerate(io)]\n"
        )
    } else {
        let (head, args) = work.split_once(", ").unwrap_or((work, ""));
        format!("    tasks = [asyncio.create_task({head}({args})) for i, (us, fails) in enumerate(io)]\n")
    };
    format!("{comment}{start}")
}

const CPU_FUTURES: &str = "    # What asyncio.wait watches for each CPU task; the driver settles it.\n    futures = [loop.create_future() for _ in cpu]\n";

const STOP_DRIVER: &str = "    driver.cancel()  # the driver stops at its next await\n";

const SHUTDOWN: &str = "    # Executor jobs already running cannot be cancelled: they run to their end.\n    await loop.run_in_executor(None, pool.shutdown)\n";

const SEQUENTIAL: &str = r#"
async def in_sequence(run, io, cpu, futures):
    """Awaits each I/O task in turn, then runs each CPU task on the loop."""
    n_io = len(io)
    for i, (us, fails) in enumerate(io):
        await settle(futures[i], io_task(run, i, us, fails))
    for j, task in enumerate(cpu):
        # No await between CPU tasks: nothing else runs until the last ends.
        settle_now(futures[n_io + j], cpu_task, run, n_io + j, task)
"#;

const ON_THE_LOOP: &str = r#"
async def on_the_loop(run, n_io, cpu, futures):
    """Runs each CPU task on the event loop's thread: every timer waits."""
    for j, task in enumerate(cpu):
        settle_now(futures[j], cpu_task, run, n_io + j, task)
"#;

const COOPERATIVE: &str = r#"
async def cooperative(run, task_id, task, chunk):
    """A CPU task in chunks, yielding to the loop between them."""
    value = 0
    for a in range(0, task.steps, chunk):
        b = min(a + chunk, task.steps)
        value += cpu_steps(run, task_id, task, a, b)
        if b < task.steps:
            await asyncio.sleep(0)  # let timers and I/O run
    return value & MASK


async def in_chunks(run, n_io, cpu, futures):
    for j, task in enumerate(cpu):
        await settle(futures[j], cooperative(run, n_io + j, task, CHUNK))
"#;

const PROCESS_JOB: &str = r#"
def process_job(task, t0):
    """Runs in a worker process: the task travels there pickled, its result back."""
    start = time.perf_counter()
    value = task.run()
    end = time.perf_counter()
    return value, round((start - t0) * 1e6), round((end - t0) * 1e6), os.getpid()


async def in_process(run, loop, pool, task_id, task):
    value, start, end, pid = await loop.run_in_executor(pool, process_job, task, run.t0)
    with run.lock:
        processes = sum(1 for key in run.lanes if isinstance(key, tuple))
        lane = run.lanes.setdefault(("process", pid), f"process-{processes}")
    run.span(task_id, lane, "cpu", start, end)
    return value
"#;

const DATA_PARALLEL: &str = r#"
async def split_run(run, loop, pool, task_id, task):
    """One task split over the pool: its serial part first, then the rest in
    WORKERS lanes (sweep by sweep for the reduction)."""
    serial = task.serial_steps(SERIAL_FRACTION)
    value = 0
    if serial:
        value += await loop.run_in_executor(pool, cpu_steps, run, task_id, task, 0, serial)
    for a, b in task.phases(serial, task.steps):
        lanes = [loop.run_in_executor(pool, cpu_steps, run, task_id, task, x, y)
                 for x, y in split(a, b, WORKERS)]
        value += sum(await asyncio.gather(*lanes))
    return value & MASK


async def one_split_task_at_a_time(run, loop, pool, n_io, cpu, futures):
    for j, task in enumerate(cpu):
        await settle(futures[j], split_run(run, loop, pool, n_io + j, task))
"#;

const PARALLEL_BLOCKING: &str = r#"
def split_and_wait(run, pool, task_id, task):
    """One task split over the pool, called on the loop: it waits for the
    lanes (pool.map), and the loop waits with it."""
    serial = task.serial_steps(SERIAL_FRACTION)
    value = cpu_steps(run, task_id, task, 0, serial) if serial else 0
    for a, b in task.phases(serial, task.steps):
        lanes = split(a, b, WORKERS)
        value += sum(pool.map(lambda r: cpu_steps(run, task_id, task, *r), lanes))
    return value & MASK


async def on_the_loop(run, pool, n_io, cpu, futures):
    for j, task in enumerate(cpu):
        settle_now(futures[j], split_and_wait, run, pool, n_io + j, task)
"#;

/// The strategy's part of the program for `e`.
pub(super) fn plan(e: &Experiment) -> Plan {
    let cpu = e.workload.has_cpu();
    let mut plan = Plan {
        story: "",
        import: "",
        helpers: String::new(),
        body: io_tasks(e),
        after_wait: String::new(),
        shutdown: String::new(),
    };
    let driver = |plan: &mut Plan, helpers: &str, call: &str| {
        plan.helpers = helpers.to_owned();
        plan.body += CPU_FUTURES;
        plan.body += &format!("    driver = asyncio.create_task({call})\n    tasks += futures\n");
        plan.after_wait = STOP_DRIVER.to_owned();
    };
    match e.strategy {
        Strategy::SequentialAwait => {
            plan.story = "Sequential await: each task is awaited before the next starts, so\n\
                          nothing overlaps; the wall time is the sum of the tasks' times.";
            plan.helpers = SEQUENTIAL.to_owned();
            plan.body = "    # One coroutine awaits each task in turn; asyncio.wait watches their futures.\n    \
                         futures = [loop.create_future() for _ in range(n_io + len(cpu))]\n    \
                         driver = asyncio.create_task(in_sequence(run, io, cpu, futures))\n    \
                         tasks = futures\n"
                .to_owned();
            plan.after_wait = STOP_DRIVER.to_owned();
        }
        Strategy::BlockingIo => {
            plan.story = "A blocking call inside each coroutine: nothing is awaited, so each\n\
                          call holds the event loop for its whole latency, one after another.\n\
                          The wall time is the sum, and the page cannot answer meanwhile.";
            if cpu {
                driver(
                    &mut plan,
                    ON_THE_LOOP,
                    "on_the_loop(run, n_io, cpu, futures)",
                );
            }
        }
        Strategy::ConcurrentAwait | Strategy::InlineBlocking => {
            plan.story = "The waits overlap on the event loop (concurrency); CPU work called\n\
                          on the loop holds it, and every timer fires late.";
            if cpu {
                driver(
                    &mut plan,
                    ON_THE_LOOP,
                    "on_the_loop(run, n_io, cpu, futures)",
                );
            }
        }
        Strategy::CooperativeChunks => {
            plan.story = "CPU work cut into chunks, with `await asyncio.sleep(0)` between\n\
                          them: the loop stays responsive, the work is no faster.";
            if cpu {
                driver(&mut plan, COOPERATIVE, "in_chunks(run, n_io, cpu, futures)");
            }
        }
        Strategy::Pool | Strategy::GilMode => {
            plan.story = if e.strategy == Strategy::Pool {
                "CPU tasks handed to a pool with run_in_executor, at most WORKERS at\n\
                 once, while the loop stays free. Overlap's workers share no GIL, so\n\
                 there they run in parallel. Under CPython's GIL these threads take\n\
                 turns and this CPU work gets no faster: ProcessPoolExecutor (separate\n\
                 processes) or a free-threaded build (python3.13t) would run it in parallel."
            } else {
                "CPU tasks on a ThreadPoolExecutor under CPython's GIL: the threads take\n\
                 turns holding it, so the CPU work is no faster than on one thread."
            };
            plan.import = "from concurrent.futures import ThreadPoolExecutor";
            if cpu {
                plan.body += "    pool = ThreadPoolExecutor(max_workers=WORKERS)\n    \
                              submitted = run.now_us()\n    \
                              tasks += [loop.run_in_executor(pool, cpu_task, run, n_io + j, task, submitted)\n              \
                              for j, task in enumerate(cpu)]\n";
                plan.shutdown = SHUTDOWN.to_owned();
            }
        }
        Strategy::ToThread => {
            plan.story = "Every task through asyncio.to_thread, on the default executor of\n\
                          min(32, cores + 4) threads: blocking calls overlap up to that many\n\
                          threads and queue beyond, and CPU work takes turns on the GIL.";
            // Threads already running cannot be cancelled: they run to their
            // end, while the loop still answers (a blocking fetch needs it).
            plan.shutdown =
                "    await loop.shutdown_default_executor()  # running threads run to their end\n"
                    .to_owned();
            if cpu {
                plan.body += "    # CPU tasks too, on the same executor, under the GIL.\n    \
                              submitted = run.now_us()\n    \
                              tasks += [asyncio.create_task(asyncio.to_thread(cpu_task, run, n_io + j, task, submitted))\n              \
                              for j, task in enumerate(cpu)]\n";
            }
        }
        Strategy::ProcessPool => {
            plan.story = "CPU tasks in separate processes (ProcessPoolExecutor): each has its\n\
                          own interpreter and GIL, so they run in parallel; arguments and\n\
                          results are pickled and copied.";
            plan.import = "from concurrent.futures import ProcessPoolExecutor";
            if cpu {
                plan.helpers = PROCESS_JOB.to_owned();
                plan.body += "    pool = ProcessPoolExecutor(max_workers=WORKERS)\n    \
                              tasks += [asyncio.create_task(in_process(run, loop, pool, n_io + j, task))\n              \
                              for j, task in enumerate(cpu)]\n";
                plan.shutdown = SHUTDOWN.to_owned();
            }
        }
        Strategy::DataParallel => {
            plan.story = "Each CPU task split over WORKERS lanes of a pool, one task at a time:\n\
                          its serial part bounds the speed-up (Amdahl). Overlap's lanes run in\n\
                          parallel; under CPython's GIL these threads take turns.";
            plan.import = "from concurrent.futures import ThreadPoolExecutor";
            if cpu {
                plan.body += "    pool = ThreadPoolExecutor(max_workers=WORKERS)\n";
                driver(
                    &mut plan,
                    DATA_PARALLEL,
                    "one_split_task_at_a_time(run, loop, pool, n_io, cpu, futures)",
                );
                plan.shutdown = SHUTDOWN.to_owned();
            }
        }
        Strategy::ParallelBlocking => {
            plan.story = "Each CPU task split over a pool, but called from the event loop,\n\
                          which waits for the lanes: parallel work, frozen page.";
            plan.import = "from concurrent.futures import ThreadPoolExecutor";
            if cpu {
                plan.body += "    pool = ThreadPoolExecutor(max_workers=WORKERS)\n";
                driver(
                    &mut plan,
                    PARALLEL_BLOCKING,
                    "on_the_loop(run, pool, n_io, cpu, futures)",
                );
                plan.shutdown = SHUTDOWN.to_owned();
            }
        }
    }
    plan
}
