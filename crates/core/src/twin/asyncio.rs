//! The program's `async def main()`: how it awaits the tasks (`asyncio.wait`,
//! `gather` under a timeout, a `TaskGroup`, `as_completed`), what it does
//! with those still pending, and the coroutine it neglects.

use super::shake::names_used;
use super::{page_gil, py_str, start_method_of, strategy, threads_compute};
use crate::experiment::{AfterWait, Awaiting, IoSource, Neglect, Token};
use crate::io_model::neglected_latency_us;
use crate::Experiment;

/// What the program does with the pending tasks once `asyncio.wait` returned.
fn after_wait(policy: AfterWait, stop_driver: &str) -> String {
    let cancel = format!("    for t in pending:\n        t.cancel()\n{stop_driver}");
    match policy {
        AfterWait::CancelPending => format!("    #@after_wait.1\n{cancel}"),
        AfterWait::LetFinish => "    #@after_wait.2\n".to_owned(),
        AfterWait::StopRunning => format!("    #@after_wait.3\n{cancel}"),
    }
}

/// The lines that start the tasks (`started`: the strategy's, then the
/// neglected coroutine) and await them, by the construct the experiment
/// shows; they leave `done`, `pending` and `wall_ms` set. A `TaskGroup`
/// starts them inside it, the others before they await.
fn awaiting(e: &Experiment, started: &str, stop_driver: &str) -> String {
    let counted = "\x20   wall_ms = (time.perf_counter() - run.t0) * 1000\n\
                   \x20   #@awaiting.4\n\
                   \x20   done = {t for t in tasks if not t.cancelled()}\n\
                   \x20   pending = {t for t in tasks if t.cancelled()}\n";
    let waits = match e.awaiting {
        Awaiting::Wait => format!(
            "\x20   if tasks:\n\
             \x20       done, pending = await asyncio.wait(tasks, return_when=RETURN_WHEN, timeout=TIMEOUT)\n\
             \x20   else:\n\
             \x20       done, pending = set(), set()\n\
             \x20   wall_ms = (time.perf_counter() - run.t0) * 1000\n\
             \x20   cause = wait_cause(RETURN_WHEN, done, pending)\n{}",
            after_wait(e.after_wait, stop_driver)
        ),
        Awaiting::Gather => format!(
            "\x20   timed_out = False\n\
             \x20   try:\n\
             \x20       #@awaiting.1\n\
             \x20       async with asyncio.timeout(TIMEOUT):\n\
             \x20           await asyncio.gather(*tasks, return_exceptions=True)\n\
             \x20   except TimeoutError:\n\
             \x20       timed_out = True\n\
             \x20       print(TEXT[\"timed_out_cancelled\"])\n\
             {counted}\
             \x20   cause = wait_cause(asyncio.ALL_COMPLETED, done, pending, timed_out)\n\
             {stop_driver}"
        ),
        Awaiting::TaskGroup => format!(
            "\x20   timed_out = False\n\
             \x20   try:\n\
             \x20       #@awaiting.2\n\
             \x20       async with asyncio.timeout(TIMEOUT), asyncio.TaskGroup() as tg:\n\
             {}\
             \x20   except* TimeoutError:\n\
             \x20       timed_out = True\n\
             \x20       print(TEXT[\"timed_out_cancelled\"])\n\
             \x20   except* Exception as failed:\n\
             \x20       failures = len(failed.exceptions)\n\
             \x20       group_failed = \"group_failed.one\" if failures == 1 else \"group_failed.other\"\n\
             \x20       print(TEXT[group_failed].format(errors=failures))\n\
             {counted}\
             \x20   cause = wait_cause(asyncio.FIRST_EXCEPTION, done, pending, timed_out)\n\
             {stop_driver}",
            indented(started, 8)
        ),
        Awaiting::AsCompleted => format!(
            "\x20   unhandled = {{t: i for i, t in enumerate(tasks)}}  # by task, its number\n\
             \x20   timed_out = False\n\
             \x20   try:\n\
             \x20       #@awaiting.3\n\
             \x20       if sys.version_info >= (3, 13):\n\
             \x20           async for task in asyncio.as_completed(tasks, timeout=TIMEOUT):\n\
             \x20               handle(run, unhandled, task)\n\
             \x20       else:\n\
             \x20           #@as_completed.1\n\
             \x20           for next_done in asyncio.as_completed([ended(t) for t in tasks], timeout=TIMEOUT):\n\
             \x20               handle(run, unhandled, await next_done)\n\
             \x20   except TimeoutError:\n\
             \x20       timed_out = True\n\
             \x20       print(TEXT[\"timed_out_as_completed\"])\n\
             \x20   wall_ms = (time.perf_counter() - run.t0) * 1000\n\
             \x20   pending = set(unhandled)\n\
             \x20   done = {{t for t in tasks if t not in pending}}\n\
             \x20   cause = wait_cause(asyncio.ALL_COMPLETED, done, pending, timed_out)\n{}",
            after_wait(e.after_wait, stop_driver)
        ),
    };
    if e.awaiting == Awaiting::TaskGroup {
        waits
    } else {
        format!("{started}{waits}")
    }
}

/// `lines` with `n` more spaces before each line that is not empty.
fn indented(lines: &str, n: usize) -> String {
    lines
        .split_inclusive('\n')
        .map(|l| {
            if l.trim().is_empty() {
                l.to_owned()
            } else {
                format!("{:n$}{l}", "")
            }
        })
        .collect()
}

/// The lines that neglect one more coroutine, the mistake `e.neglect` shows.
fn neglect(e: &Experiment) -> String {
    let us = neglected_latency_us(e);
    match e.neglected() {
        Neglect::None => String::new(),
        Neglect::Unawaited => format!(
            "\x20   #@neglect.1\n\
             \x20   io_task(run, len(tasks), {us}, True)\n"
        ),
        Neglect::Unretrieved => format!(
            "\x20   # The mistake: one more task started with create_task and forgotten (no\n\
             \x20   # reference kept, never awaited). It fails at half the latency ({us} µs);\n\
             \x20   # asyncio.wait never sees it, and nobody retrieves its exception: CPython\n\
             \x20   # only logs \"Task exception was never retrieved\" once it is collected.\n\
             \x20   asyncio.create_task(io_task(run, len(tasks), {us}, True))\n"
        ),
    }
}

/// The program's `async def main(args)`, for `plan`: the experiment's own
/// program (the lines that run it come last, after the helpers).
pub(super) fn main(e: &Experiment, plan: &strategy::Plan) -> String {
    let (has_io, has_cpu) = (e.io_task_count() > 0, e.workload.has_cpu());
    let fetches = e.io_source == IoSource::Fetch && has_io;
    let mut summary = String::new();
    if has_cpu {
        summary += if has_io {
            ", cpu_from=n_io"
        } else {
            ", cpu_from=0"
        };
    }
    if e.neglected() != Neglect::None {
        summary += &format!(", neglect={}", py_str(e.neglected().token()));
    }
    if start_method_of(e).is_some() {
        summary += ", start_method=context.get_start_method()";
    }
    let started = format!("{}{}", plan.body, neglect(e));
    let rest = format!(
        "{serve}\
         {awaiting}\
         \x20   await asyncio.gather(*tasks, return_exceptions=True)  # let every task settle\n\
         {shutdown}\
         {close}\
         \x20   if args.trace:\n\
         \x20       run.write_trace(args.trace, wall_ms, cause, args.scale)\n\
         \x20   return summary(run, tasks, done, pending, wall_ms{summary})\n",
        serve = if fetches {
            "\x20   #@main.1\n\
             \x20   server = await serve_sample(run)\n"
        } else {
            ""
        },
        close = if fetches {
            "\x20   server.close()\n"
        } else {
            ""
        },
        awaiting = awaiting(e, &started, &plan.after_wait),
        shutdown = plan.shutdown,
    );
    let mut out = String::from("async def main(args):\n");
    if threads_compute(e) && !page_gil(e) {
        // The page shows the free-threaded build; on a GIL build the same
        // threads take turns, and the program says so before it runs.
        out +=
            "    if gil_enabled():\n        print(TEXT[\"threads_take_turns\"], file=sys.stderr)\n";
    }
    if threads_compute(e) {
        out += "    sys.setswitchinterval(SWITCH_INTERVAL)\n";
    }
    out += "    run = Run(EXPERIMENT)\n";
    if names_used(&rest).contains("loop") {
        out += "    loop = asyncio.get_running_loop()\n";
    }
    if has_io {
        out += "    io = io_workload(IO_TASKS, SEED, failure_rate=FAILURE_RATE, **LATENCY)\n";
    }
    if has_cpu {
        out += &strategy::cpu_list(e);
    }
    if has_io && has_cpu {
        out += "    n_io = len(io)\n";
    }
    out + &rest
}
