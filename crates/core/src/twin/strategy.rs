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
            "    #@io_tasks.1\n",
            "blocking_on_the_loop, run, i, us, fails",
        )
    } else if e.strategy == Strategy::ToThread {
        (
            "    #@io_tasks.2\n    submitted = run.now_us()\n",
            "asyncio.to_thread, blocking_io, run, i, us, fails, submitted",
        )
    } else {
        ("    #@io_tasks.3\n", "io_task, run, i, us, fails")
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

const CPU_FUTURES: &str =
    "    #@cpu_futures.1\n    futures = [loop.create_future() for _ in cpu]\n";

const STOP_DRIVER: &str = "    driver.cancel()  # the driver stops at its next await\n";

const SHUTDOWN: &str = "    #@shutdown.1\n    await loop.run_in_executor(None, pool.shutdown)\n";

/// What the strategy does, a paragraph of the program's docstring: the key
/// of its words in the catalogue (`code.twin.story_*.1`, the page's
/// language's, wrapped where the program is written), so that no language
/// weighs on the wasm.
pub(super) fn story(e: &Experiment) -> &'static str {
    match e.strategy {
        Strategy::SequentialAwait => "code.twin.story_seq.1",
        Strategy::BlockingIo => "code.twin.story_block.1",
        Strategy::ConcurrentAwait | Strategy::InlineBlocking => "code.twin.story_conc.1",
        Strategy::CooperativeChunks => "code.twin.story_coop.1",
        Strategy::Pool if page_gil(e) => "code.twin.story_gil.1",
        Strategy::Pool => "code.twin.story_pool.1",
        Strategy::ToThread if e.workload.has_cpu() && !page_gil(e) => "code.twin.story_thread_ft.1",
        Strategy::ToThread => "code.twin.story_thread.1",
        Strategy::ProcessPool => "code.twin.story_proc.1",
        Strategy::DataParallel if page_gil(e) => "code.twin.story_par_gil.1",
        Strategy::DataParallel => "code.twin.story_par.1",
        Strategy::ParallelBlocking if page_gil(e) => "code.twin.story_parblock_gil.1",
        Strategy::ParallelBlocking => "code.twin.story_parblock.1",
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
            "    #@sequential.1\n    \
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
            plan.body += "    #@to_thread.1\n    submitted = run.now_us()\n";
            plan.body += &each(spawn.task(&format!(
                "asyncio.to_thread(cpu_task, run, {id}, task, submitted)"
            )));
        }
        Strategy::ProcessPool => {
            plan.import = "from concurrent.futures import ProcessPoolExecutor";
            plan.body += "    submitted = run.now_us()  # the processes start from here\n    \
                          #@process_pool.2\n    \
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
                          #@data_parallel.1\n    \
                          one_at_a_time = ThreadPoolExecutor(max_workers=1)\n";
            plan.body += &each(spawn.future(&format!(
                "loop.run_in_executor(one_at_a_time, split_over, run, pool, {id}, task)"
            )));
            plan.shutdown = "    #@shutdown.1\n    \
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
