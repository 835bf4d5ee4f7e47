//! The part of a twin that its strategy decides: where the CPU tasks run,
//! and what the program says about it.

use crate::experiment::{Strategy, Token};
use crate::Experiment;

/// The strategy's part of a program.
pub(super) struct Plan {
    /// A paragraph for the docstring: what this program shows.
    pub story: &'static str,
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
            "    semaphore = asyncio.Semaphore(LIMIT)  # at most LIMIT waits in flight, the others queue\n    \
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

/// What the strategy does, in a few lines of the program's docstring.
fn story(e: &Experiment) -> &'static str {
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
        Strategy::Pool if !e.profile().gil => {
            "CPU tasks handed to a pool with run_in_executor, at most WORKERS at\n\
             once, while the loop stays free. The page shows the free-threaded\n\
             build (3.14t), where these threads run in parallel. Under CPython's\n\
             default build (the GIL) they take turns and this CPU work gets no\n\
             faster: ProcessPoolExecutor (separate processes) runs it in parallel."
        }
        Strategy::Pool => {
            "CPU tasks on a ThreadPoolExecutor under CPython's GIL: the threads take\n\
             turns holding it, so the CPU work is no faster than on one thread."
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
        Strategy::DataParallel => {
            "Each CPU task split over WORKERS lanes of a pool, one task at a time:\n\
                      its serial part bounds the speed-up (Amdahl). Overlap's lanes run in\n\
                      parallel; under CPython's GIL these threads take turns, and in the\n\
                      free-threaded build (3.14t) they run in parallel too."
        }
        Strategy::ParallelBlocking => {
            "Each CPU task split over a pool, but called from the event loop,\n\
                      which waits for the lanes: parallel work, frozen page."
        }
    }
}

/// The strategy's part of the program for `e`.
pub(super) fn plan(e: &Experiment) -> Plan {
    let cpu = e.workload.has_cpu();
    let mut plan = Plan {
        story: story(e),
        import: "",
        body: io_tasks(e),
        after_wait: String::new(),
        shutdown: String::new(),
    };
    let driver = |plan: &mut Plan, call: &str| {
        plan.body += CPU_FUTURES;
        plan.body += &format!("    driver = asyncio.create_task({call})\n    tasks += futures\n");
        plan.after_wait = STOP_DRIVER.to_owned();
    };
    match e.strategy {
        Strategy::SequentialAwait => {
            plan.body = "    # One coroutine awaits each task in turn; asyncio.wait watches their futures.\n    \
                         futures = [loop.create_future() for _ in range(n_io + len(cpu))]\n    \
                         driver = asyncio.create_task(in_sequence(run, io, cpu, futures))\n    \
                         tasks = futures\n"
                .to_owned();
            plan.after_wait = STOP_DRIVER.to_owned();
        }
        Strategy::BlockingIo => {
            if cpu {
                driver(&mut plan, "on_the_loop(run, n_io, cpu, futures)");
            }
        }
        Strategy::ConcurrentAwait | Strategy::InlineBlocking => {
            if cpu {
                driver(&mut plan, "on_the_loop(run, n_io, cpu, futures)");
            }
        }
        Strategy::CooperativeChunks => {
            if cpu {
                driver(&mut plan, "in_chunks(run, n_io, cpu, futures)");
            }
        }
        Strategy::Pool => {
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
            plan.import =
                "import multiprocessing\nfrom concurrent.futures import ProcessPoolExecutor";
            if cpu {
                plan.body += &format!(
                    "    submitted = run.now_us()  # the processes start from here\n    \
                     # fork: copies of this process; spawn: fresh interpreters that import\n    \
                     # this program; forkserver: copies of a server started fresh, once.\n    \
                     context = multiprocessing.get_context({method})\n    \
                     run.start_method = context.get_start_method()\n    \
                     pool = ProcessPoolExecutor(max_workers=WORKERS, initializer=process_started,\n                               \
                     mp_context=context)\n",
                    method = super::py_str(e.process_start.token()),
                );
                plan.body += "    \
                              tasks += [asyncio.create_task(in_process(run, loop, pool, n_io + j, task, submitted))\n              \
                              for j, task in enumerate(cpu)]\n";
                plan.shutdown = SHUTDOWN.to_owned();
            }
        }
        Strategy::DataParallel => {
            plan.import = "from concurrent.futures import ThreadPoolExecutor";
            if cpu {
                plan.body += "    pool = ThreadPoolExecutor(max_workers=WORKERS)\n";
                driver(
                    &mut plan,
                    "one_split_task_at_a_time(run, loop, pool, n_io, cpu, futures)",
                );
                plan.shutdown = SHUTDOWN.to_owned();
            }
        }
        Strategy::ParallelBlocking => {
            plan.import = "from concurrent.futures import ThreadPoolExecutor";
            if cpu {
                plan.body += "    pool = ThreadPoolExecutor(max_workers=WORKERS)\n";
                driver(
                    &mut plan,
                    "split_on_the_loop(run, pool, n_io, cpu, futures)",
                );
                plan.shutdown = SHUTDOWN.to_owned();
            }
        }
    }
    plan
}
