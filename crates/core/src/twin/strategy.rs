//! The part of a twin that its strategy decides: where the CPU tasks run,
//! and what the program says about it.

use super::{page_gil, parameters::kernel_class};
use crate::experiment::Strategy;
use crate::Experiment;

/// How `main` starts its tasks: with `asyncio.create_task`, or inside a
/// `TaskGroup` with `tg.create_task` (which takes coroutines, so a future is
/// awaited by one: the library's `watch`).
#[derive(Clone, Copy)]
pub(super) struct Spawn {
    /// Whether the tasks start inside `async with asyncio.TaskGroup() as tg`.
    pub group: bool,
}

impl Spawn {
    fn task(self, coroutine: &str) -> String {
        if self.group {
            format!("tg.create_task({coroutine})")
        } else {
            format!("asyncio.create_task({coroutine})")
        }
    }

    fn future(self, future: &str) -> String {
        if self.group {
            format!("tg.create_task(watch({future}))")
        } else {
            future.to_owned()
        }
    }

    /// The futures a driver settles, as `main` awaits them.
    fn futures(self) -> &'static str {
        if self.group {
            "[tg.create_task(watch(f)) for f in futures]"
        } else {
            "futures"
        }
    }
}

/// The strategy's part of a program.
pub(super) struct Plan {
    /// The executor import, if any.
    pub import: &'static str,
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
fn io_tasks(e: &Experiment, spawn: Spawn) -> String {
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
            "    semaphore = asyncio.Semaphore(LIMIT)  # at most LIMIT waits in flight, the others queue\n    \
             tasks = [{}\n             \
             for i, (us, fails) in enumerate(io)]\n",
            spawn.task(&format!("limited(run, i, semaphore, {work})"))
        )
    } else {
        let (head, args) = work.split_once(", ").unwrap_or((work, ""));
        format!(
            "    tasks = [{} for i, (us, fails) in enumerate(io)]\n",
            spawn.task(&format!("{head}({args})"))
        )
    };
    format!("{comment}{start}")
}

const CPU_FUTURES: &str = "    # What asyncio.wait watches for each CPU task; the driver settles it.\n    futures = [loop.create_future() for _ in cpu]\n";

const STOP_DRIVER: &str = "    driver.cancel()  # the driver stops at its next await\n";

const SHUTDOWN: &str = "    # Executor jobs already running cannot be cancelled: they run to their end.\n    await loop.run_in_executor(None, pool.shutdown)\n";

/// What the strategy does, in a few lines of the program's docstring.
pub(super) fn story(e: &Experiment) -> &'static str {
    match e.strategy {
        Strategy::SequentialAwait => {
            "Sequential await: each task is awaited before the next starts, so\n\
                      nothing overlaps; the wall time is the sum of the tasks' times."
        }
        Strategy::BlockingIo => {
            "A blocking call inside each coroutine: nothing is awaited, so each\n\
                      call holds the event loop for its whole latency, one after another.\n\
                      The wall time is the sum, and the page cannot answer meanwhile."
        }
        Strategy::ConcurrentAwait | Strategy::InlineBlocking => {
            "The waits overlap on the event loop (concurrency); CPU work called\n\
                      on the loop holds it, and every timer fires late."
        }
        Strategy::CooperativeChunks => {
            "CPU work cut into chunks, with `await asyncio.sleep(0)` between\n\
                      them: the loop stays responsive, the work is no faster."
        }
        Strategy::Pool if page_gil(e) => {
            "CPU tasks on a ThreadPoolExecutor under CPython's GIL: the threads take\n\
             turns holding it, so the CPU work is no faster than on one thread."
        }
        Strategy::Pool => {
            "CPU tasks handed to a pool with run_in_executor, at most WORKERS at\n\
             once, while the loop stays free. The page shows the free-threaded\n\
             build (3.14t), where these threads run in parallel. Under CPython's\n\
             default build (the GIL) they take turns and this CPU work gets no\n\
             faster: ProcessPoolExecutor (separate processes) runs it in parallel."
        }
        Strategy::ToThread if e.workload.has_cpu() && !page_gil(e) => {
            "Every task through asyncio.to_thread, on the default executor of\n\
             min(32, cores + 4) threads: blocking calls overlap up to that many\n\
             threads and queue beyond. The page shows the free-threaded build\n\
             (3.14t), where the CPU work computes at once on those threads; under\n\
             CPython's default build it takes turns on the GIL."
        }
        Strategy::ToThread => {
            "Every task through asyncio.to_thread, on the default executor of\n\
                      min(32, cores + 4) threads: blocking calls overlap up to that many\n\
                      threads and queue beyond, and CPU work takes turns on the GIL."
        }
        Strategy::ProcessPool => {
            "CPU tasks in separate processes (ProcessPoolExecutor): each has its\n\
                      own interpreter and GIL, so they run in parallel; arguments and\n\
                      results are pickled and copied."
        }
        Strategy::DataParallel if page_gil(e) => {
            "Each CPU task split over WORKERS lanes of a pool, one task at a time,\n\
             under CPython's GIL: the lanes take turns holding it, so a task is no\n\
             faster than on one thread, whatever its serial part."
        }
        Strategy::DataParallel => {
            "Each CPU task split over WORKERS lanes of a pool, one task at a time:\n\
                      its serial part bounds the speed-up (Amdahl). Overlap's lanes run in\n\
                      parallel; under CPython's GIL these threads take turns, and in the\n\
                      free-threaded build (3.14t) they run in parallel too."
        }
        Strategy::ParallelBlocking if page_gil(e) => {
            "Each CPU task split over a pool, but called from the event loop,\n\
             which waits for the lanes; under CPython's GIL they take turns: no\n\
             faster than one thread, and the page frozen all the while."
        }
        Strategy::ParallelBlocking => {
            "Each CPU task split over a pool, but called from the event loop,\n\
                      which waits for the lanes: parallel work, frozen page."
        }
    }
}

/// The lines that make `e`'s CPU tasks, `cpu`: the kernel's class at the
/// program's scale.
pub(super) fn cpu_list(e: &Experiment) -> String {
    format!(
        "    cpu = [{}(SIZE, SEED, i, scale=args.scale) for i in range(CPU_TASKS)]\n",
        kernel_class(e.kernel)
    )
}

/// The strategy's part of the program for `e`, its tasks started by `spawn`.
pub(super) fn plan(e: &Experiment, spawn: Spawn) -> Plan {
    let has_io = e.io_task_count() > 0;
    let mut plan = Plan {
        import: "",
        body: if has_io {
            io_tasks(e, spawn)
        } else {
            String::new()
        },
        after_wait: String::new(),
        shutdown: String::new(),
    };
    if e.strategy == Strategy::SequentialAwait {
        let (count, define, call) = match (has_io, e.workload.has_cpu()) {
            (true, true) => (
                "n_io + len(cpu)",
                "\n    async def in_sequence():  # each I/O task in turn, then each CPU task\n        \
                 await in_turn(run, io, futures)\n        \
                 await one_after_another(run, n_io, cpu, futures)\n\n",
                "in_sequence()",
            ),
            (true, false) => ("len(io)", "", "in_turn(run, io, futures)"),
            _ => ("len(cpu)", "", "one_after_another(run, 0, cpu, futures)"),
        };
        plan.body = format!(
            "    # One coroutine awaits each task in turn; asyncio.wait watches their futures.\n    \
             futures = [loop.create_future() for _ in range({count})]\n\
             {define}    \
             driver = {}\n    \
             tasks = {}\n",
            spawn.task(call),
            spawn.futures(),
        );
        if !spawn.group {
            plan.after_wait = STOP_DRIVER.to_owned();
        }
        return plan;
    }
    if e.strategy == Strategy::ToThread {
        // Threads already running cannot be cancelled: they run to their
        // end, while the loop still answers (a blocking fetch needs it).
        plan.shutdown =
            "    await loop.shutdown_default_executor()  # running threads run to their end\n"
                .to_owned();
    }
    if e.workload.has_cpu() {
        cpu_part(e, spawn, has_io, &mut plan);
    }
    plan
}

/// Adds the lines that start `e`'s CPU tasks to `plan`.
fn cpu_part(e: &Experiment, spawn: Spawn, has_io: bool, plan: &mut Plan) {
    let (id, first, add) = if has_io {
        ("n_io + j", "n_io", "tasks +=")
    } else {
        ("j", "0", "tasks =")
    };
    let each = |start: String| {
        format!(
            "    {add} [{start}\n{:w$}for j, task in enumerate(cpu)]\n",
            "",
            w = add.len() + 6
        )
    };
    let driver = |plan: &mut Plan, call: &str| {
        plan.body += CPU_FUTURES;
        plan.body += &format!(
            "    driver = {}\n    {add} {}\n",
            spawn.task(call),
            spawn.futures()
        );
        if !spawn.group {
            plan.after_wait = STOP_DRIVER.to_owned();
        }
    };
    match e.strategy {
        Strategy::SequentialAwait => {}
        Strategy::BlockingIo | Strategy::ConcurrentAwait | Strategy::InlineBlocking => {
            plan.body += &each(spawn.task(&format!("on_the_loop(run, {id}, task)")));
        }
        Strategy::CooperativeChunks => {
            driver(plan, &format!("in_chunks(run, {first}, cpu, futures)"));
        }
        Strategy::Pool => {
            plan.import = "from concurrent.futures import ThreadPoolExecutor";
            plan.body += "    pool = ThreadPoolExecutor(max_workers=WORKERS)\n    submitted = run.now_us()\n";
            plan.body += &each(spawn.future(&format!(
                "loop.run_in_executor(pool, cpu_task, run, {id}, task, submitted)"
            )));
            plan.shutdown = SHUTDOWN.to_owned();
        }
        Strategy::ToThread => {
            plan.body += "    # CPU tasks too, on the same executor, under the GIL.\n    submitted = run.now_us()\n";
            plan.body += &each(spawn.task(&format!(
                "asyncio.to_thread(cpu_task, run, {id}, task, submitted)"
            )));
        }
        Strategy::ProcessPool => {
            plan.import = "from concurrent.futures import ProcessPoolExecutor";
            plan.body += "    submitted = run.now_us()  # the processes start from here\n    \
                          # fork: copies of this process; spawn: fresh interpreters that import\n    \
                          # this program; forkserver: copies of a server started fresh, once.\n    \
                          context = multiprocessing.get_context(START_METHOD)\n    \
                          pool = ProcessPoolExecutor(max_workers=WORKERS, mp_context=context,\n                               \
                          initializer=process_started)\n";
            plan.body += &each(spawn.future(&format!(
                "in_process(run, loop, pool, {id}, task, submitted)"
            )));
            plan.shutdown = SHUTDOWN.to_owned();
        }
        Strategy::DataParallel => {
            plan.import = "from concurrent.futures import ThreadPoolExecutor";
            plan.body += "    pool = ThreadPoolExecutor(max_workers=WORKERS)\n    \
                          # Each task waits for the one before, then splits over the pool's lanes.\n    \
                          one_at_a_time = ThreadPoolExecutor(max_workers=1)\n";
            plan.body += &each(spawn.future(&format!(
                "loop.run_in_executor(one_at_a_time, split_over, run, pool, {id}, task)"
            )));
            plan.shutdown = "    # Executor jobs already running cannot be cancelled: they run to their end.\n    \
                             await loop.run_in_executor(None, one_at_a_time.shutdown)\n    \
                             await loop.run_in_executor(None, pool.shutdown)\n"
                .to_owned();
        }
        Strategy::ParallelBlocking => {
            plan.import = "from concurrent.futures import ThreadPoolExecutor";
            plan.body += "    pool = ThreadPoolExecutor(max_workers=WORKERS)\n";
            plan.body += &each(spawn.task(&format!("split_on_the_loop(run, pool, {id}, task)")));
            plan.shutdown = SHUTDOWN.to_owned();
        }
    }
}
