//! The part of a twin that its strategy decides: where the CPU tasks run,
//! and what the program says about it.

use super::{page_gil, parameters::kernel_class, Fragments};
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
    fn task(self, coroutine: &str, f: &Fragments) -> String {
        let name = if self.group {
            "spawn.group_task"
        } else {
            "spawn.task"
        };
        f.fill(name, &[("call", &coroutine)])
    }

    fn future(self, future: &str, f: &Fragments) -> String {
        if self.group {
            f.fill("spawn.group_future", &[("future", &future)])
        } else {
            future.to_owned()
        }
    }

    /// The futures a driver settles, as `main` awaits them.
    fn futures(self, f: &Fragments) -> &str {
        f.get(if self.group {
            "spawn.group_futures"
        } else {
            "spawn.futures"
        })
    }
}

/// The strategy's part of a program.
pub(super) struct Plan<'f> {
    /// The executor import, if any.
    pub import: &'f str,
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
fn io_tasks(e: &Experiment, spawn: Spawn, f: &Fragments) -> String {
    let name = if e.strategy == Strategy::BlockingIo {
        "io_tasks.block"
    } else if e.strategy == Strategy::ToThread {
        "io_tasks.thread"
    } else {
        "io_tasks.wait"
    };
    let work = f.of(name, ".work");
    let start = if e.limit.is_some() {
        let call = f.fill("io_tasks.limited.call", &[("work", &work)]);
        f.fill("io_tasks.limited", &[("task", &spawn.task(&call, f))])
    } else {
        let (head, args) = work.split_once(", ").unwrap_or((work, ""));
        let task = spawn.task(&format!("{head}({args})"), f);
        f.fill("io_tasks.unlimited", &[("task", &task)])
    };
    format!("{}{start}", f.get(name))
}

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
pub(super) fn cpu_list(e: &Experiment, f: &Fragments) -> String {
    f.fill("main.cpu", &[("class", &kernel_class(e.kernel, f))])
}

/// The strategy's part of the program for `e`, its tasks started by `spawn`.
pub(super) fn plan<'f>(e: &Experiment, spawn: Spawn, f: &'f Fragments) -> Plan<'f> {
    let has_io = e.io_task_count() > 0;
    let mut plan = Plan {
        import: "",
        body: if has_io {
            io_tasks(e, spawn, f)
        } else {
            String::new()
        },
        after_wait: String::new(),
        shutdown: String::new(),
    };
    if e.strategy == Strategy::SequentialAwait {
        let kind = match (has_io, e.workload.has_cpu()) {
            (true, true) => "mixed",
            (true, false) => "io",
            _ => "cpu",
        };
        let part = |what: &str| f.of(&["sequential.", kind].concat(), what);
        let define = if kind == "mixed" { part(".define") } else { "" };
        plan.body = f.fill(
            "sequential",
            &[
                ("count", &part(".count")),
                ("define", &define),
                ("driver", &spawn.task(part(".call"), f)),
                ("tasks", &spawn.futures(f)),
            ],
        );
        if !spawn.group {
            plan.after_wait = f.get("stop_driver").to_owned();
        }
        return plan;
    }
    if e.strategy == Strategy::ToThread {
        // Threads already running cannot be cancelled: they run to their
        // end, while the loop still answers (a blocking fetch needs it).
        plan.shutdown = f.get("to_thread.shutdown").to_owned();
    }
    if e.workload.has_cpu() {
        cpu_part(e, spawn, has_io, f, &mut plan);
    }
    plan
}

/// Adds the lines that start `e`'s CPU tasks to `plan`.
fn cpu_part<'f>(e: &Experiment, spawn: Spawn, has_io: bool, f: &'f Fragments, plan: &mut Plan<'f>) {
    let (id, first, add) = if has_io {
        (
            f.get("cpu.id_after_io"),
            f.get("cpu.first_after_io"),
            f.get("cpu.add"),
        )
    } else {
        ("j", "0", f.get("cpu.set"))
    };
    let each = |start: String| {
        let pad = " ".repeat(add.len() + 6);
        f.fill(
            "cpu.each",
            &[("add", &add), ("start", &start), ("pad", &pad)],
        )
    };
    let call = |name: &str| f.fill(name, &[("id", &id), ("first", &first)]);
    let driver = |plan: &mut Plan, call: &str| {
        plan.body += f.get("cpu_futures");
        plan.body += &f.fill(
            "cpu.driver",
            &[
                ("driver", &spawn.task(call, f)),
                ("add", &add),
                ("futures", &spawn.futures(f)),
            ],
        );
        if !spawn.group {
            plan.after_wait = f.get("stop_driver").to_owned();
        }
    };
    match e.strategy {
        Strategy::SequentialAwait => {}
        Strategy::BlockingIo | Strategy::ConcurrentAwait | Strategy::InlineBlocking => {
            plan.body += &each(spawn.task(&call("cpu.on_the_loop"), f));
        }
        Strategy::CooperativeChunks => {
            driver(plan, &call("cpu.in_chunks"));
        }
        Strategy::Pool => {
            plan.import = f.get("cpu.pool.import");
            plan.body += f.get("cpu.pool");
            plan.body += &each(spawn.future(&call("cpu.pool.call"), f));
            plan.shutdown = f.get("shutdown").to_owned();
        }
        Strategy::ToThread => {
            plan.body += f.get("cpu.to_thread");
            plan.body += &each(spawn.task(&call("cpu.to_thread.call"), f));
        }
        Strategy::ProcessPool => {
            plan.import = f.get("cpu.processes.import");
            plan.body += f.get("cpu.processes");
            plan.body += &each(spawn.future(&call("cpu.processes.call"), f));
            plan.shutdown = f.get("shutdown").to_owned();
        }
        Strategy::DataParallel => {
            plan.import = f.get("cpu.pool.import");
            plan.body += f.get("cpu.data_parallel");
            plan.body += &each(spawn.future(&call("cpu.data_parallel.call"), f));
            plan.shutdown = f.get("cpu.data_parallel.shutdown").to_owned();
        }
        Strategy::ParallelBlocking => {
            plan.import = f.get("cpu.pool.import");
            plan.body += f.get("cpu.parallel_blocking");
            plan.body += &each(spawn.task(&call("cpu.parallel_blocking.call"), f));
            plan.shutdown = f.get("shutdown").to_owned();
        }
    }
}
