//! The current experiment as Python asyncio / concurrent.futures code and as
//! the Rust that Overlap runs, side by side.

use overlap_core::experiment::{Latency, ReturnWhen, Strategy};
use overlap_core::Experiment;

fn python_return_when(r: ReturnWhen) -> &'static str {
    match r {
        ReturnWhen::FirstCompleted => "asyncio.FIRST_COMPLETED",
        ReturnWhen::FirstException => "asyncio.FIRST_EXCEPTION",
        ReturnWhen::AllCompleted => "asyncio.ALL_COMPLETED",
    }
}

fn rust_return_when(r: ReturnWhen) -> &'static str {
    match r {
        ReturnWhen::FirstCompleted => "ReturnWhen::FirstCompleted",
        ReturnWhen::FirstException => "ReturnWhen::FirstException",
        ReturnWhen::AllCompleted => "ReturnWhen::AllCompleted",
    }
}

fn python_latency(e: &Experiment) -> String {
    let ms = f64::from(e.latency_ms) / 1000.0;
    match e.latency {
        Latency::Fixed => format!("{ms}"),
        Latency::Uniform => format!(
            "rng.uniform({ms} - {s}, {ms} + {s})",
            s = f64::from(e.spread_ms) / 1000.0
        ),
        Latency::Exponential => format!(
            "min(rng.expovariate(1 / {ms}), {})",
            f64::from(e.cap_ms) / 1000.0
        ),
        Latency::LogNormal => format!(
            "min(rng.lognormvariate(math.log({ms}), {}), {})",
            e.sigma,
            f64::from(e.cap_ms) / 1000.0
        ),
    }
}

/// The experiment as Python.
pub fn python(e: &Experiment) -> String {
    let k = e.workers;
    let mut out = String::from("import asyncio, math, random\nfrom concurrent.futures import ThreadPoolExecutor, ProcessPoolExecutor\n\n");
    out += &format!("rng = random.Random({})\n", e.seed);
    if e.workload.has_io() {
        out += &format!(
            "\nasync def io_task(i):\n    await asyncio.sleep({})  # an I/O wait\n",
            python_latency(e)
        );
        if e.failure_rate > 0.0 {
            out += &format!(
                "    if rng.random() < {}:\n        raise IOError(f\"task {{i}} failed\")\n",
                e.failure_rate
            );
        }
    }
    if e.workload.has_cpu() {
        out += &format!(
            "\ndef cpu_task(i):\n    return {}(size={})  # pure CPU work\n",
            e.kernel.token(),
            e.size
        );
    }
    out += "\nasync def main():\n    loop = asyncio.get_running_loop()\n";
    let io = if e.workload.has_io() {
        format!(
            "[asyncio.ensure_future(io_task(i)) for i in range({})]",
            e.io_tasks
        )
    } else {
        "[]".into()
    };
    let n = e.cpu_tasks;
    match e.strategy {
        Strategy::SequentialAwait => {
            if e.workload.has_io() {
                out += &format!(
                    "    for i in range({}):\n        await io_task(i)  # one after another\n",
                    e.io_tasks
                );
            }
            if e.workload.has_cpu() {
                out +=
                    &format!("    for i in range({n}):\n        cpu_task(i)  # blocks the loop\n");
            }
            return out + "\nasyncio.run(main())\n";
        }
        Strategy::ConcurrentAwait | Strategy::InlineBlocking => {
            out += &format!("    tasks = {io}\n");
            if e.workload.has_cpu() {
                out += &format!("    for i in range({n}):\n        cpu_task(i)  # on the loop: every timer waits for it\n");
            }
        }
        Strategy::CooperativeChunks => {
            out += &format!("    tasks = {io}\n");
            if e.workload.has_cpu() {
                out += &format!(
                    "    for i in range({n}):\n        for chunk in {}_chunks(size={}, steps={}):\n            chunk()\n            await asyncio.sleep(0)  # yield to the loop\n",
                    e.kernel.token(), e.size, e.chunk
                );
            }
        }
        Strategy::Pool | Strategy::GilMode | Strategy::ProcessPool => {
            let (executor, note) = match e.strategy {
                Strategy::GilMode => (
                    "ThreadPoolExecutor",
                    "  # threads share one GIL: no CPU speed-up",
                ),
                Strategy::ProcessPool => (
                    "ProcessPoolExecutor",
                    "  # separate memory, pickled arguments",
                ),
                _ => (
                    "ThreadPoolExecutor",
                    "  # in Overlap: Web Workers over shared memory, no GIL",
                ),
            };
            out +=
                &format!("    tasks = {io}\n    with {executor}(max_workers={k}) as ex:{note}\n");
            if e.workload.has_cpu() {
                out += &format!("        tasks += [loop.run_in_executor(ex, cpu_task, i) for i in range({n})]\n");
            }
        }
        Strategy::DataParallel => {
            out += &format!("    tasks = {io}\n    with ProcessPoolExecutor() as ex:\n");
            if e.workload.has_cpu() {
                out += &format!(
                    "        for i in range({n}):  # each task split over every worker, serial part {}\n            parts = ex.map(cpu_task_part, split(i, ex._max_workers))\n            await loop.run_in_executor(None, sum, parts)\n",
                    e.serial_fraction
                );
            }
        }
        Strategy::ParallelBlocking => {
            out += &format!("    tasks = {io}\n    with ProcessPoolExecutor() as ex:\n");
            if e.workload.has_cpu() {
                out += &format!("        for i in range({n}):\n            sum(ex.map(cpu_task_part, split(i)))  # parallel, but the loop waits\n");
            }
        }
    }
    let timeout = e.timeout_ms.map_or_else(
        || "None".to_owned(),
        |t| format!("{}", f64::from(t) / 1000.0),
    );
    out += &format!(
        "    done, pending = await asyncio.wait(tasks, return_when={}, timeout={timeout})\n    for t in pending:\n        t.cancel()\n\nasyncio.run(main())\n",
        python_return_when(e.return_when)
    );
    out
}

/// The experiment as the Rust Overlap runs (in outline).
pub fn rust(e: &Experiment) -> String {
    let mut out = String::from("use overlap_runtime::{pool, wait::wait, timers::sleep_ms};\n\n");
    out += "// On the page's event loop (wasm_bindgen_futures::spawn_local):\nlet mut tasks = Vec::new();\n";
    if e.workload.has_io() {
        out += &format!(
            "for task in io_tasks(&experiment) {{ // {} I/O tasks, seed {}\n    tasks.push(async move {{ sleep_ms(task.latency_ms()).await; task.result() }}.boxed_local());\n}}\n",
            e.io_tasks, e.seed
        );
    }
    if e.workload.has_cpu() {
        let k = e.workers;
        let body = match e.strategy {
            Strategy::SequentialAwait | Strategy::ConcurrentAwait | Strategy::InlineBlocking => {
                "async move { Ok(task.run()) } // on the main thread: blocks the loop".to_owned()
            }
            Strategy::CooperativeChunks => format!(
                "async move {{\n        let mut run = task.chunked();\n        loop {{\n            if let Progress::Done(sum) = run.step({}) {{ break Ok(sum) }}\n            yield_now().await; // MessageChannel, not clamped to 4 ms\n        }}\n    }}",
                e.chunk
            ),
            Strategy::Pool | Strategy::ProcessPool => format!(
                "pool::run_on_pool(move || task.run(), WATCHDOG_MS) // at most {k} in flight (max_workers)"
            ),
            Strategy::GilMode => "pool::run_on_pool(move || { let _gil = GIL.lock(); task.run() }, WATCHDOG_MS)".to_owned(),
            Strategy::DataParallel => format!(
                "pool::run_on_pool(move || task.run_split(serial_steps /* {} */), WATCHDOG_MS) // par_iter on the pool",
                e.serial_fraction
            ),
            Strategy::ParallelBlocking => "async move { Ok(task.run_parallel()) } // par_iter called on the main thread: it spins".to_owned(),
        };
        out += &format!(
            "for task in experiment.cpu_task_list() {{ // {} × {} size {}\n    tasks.push({body}.boxed_local());\n}}\n",
            e.cpu_tasks,
            e.kernel.token(),
            e.size
        );
    }
    let timeout = e
        .timeout_ms
        .map_or_else(|| "None".to_owned(), |t| format!("Some({t})"));
    out += &format!(
        "let outcome = wait(tasks, {}, {timeout}).await; // (done, pending), as asyncio.wait\n",
        rust_return_when(e.return_when)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use overlap_core::experiment::url::decode_str;

    #[test]
    fn the_code_follows_the_experiment() {
        let pool = decode_str("w=cpu&s=pool&k=3&n=5").experiment;
        assert!(python(&pool).contains("ThreadPoolExecutor(max_workers=3)"));
        assert!(python(&pool).contains("run_in_executor(ex, cpu_task, i) for i in range(5)"));
        assert!(rust(&pool).contains("at most 3 in flight"));
        let wait = decode_str("w=io&s=conc&io=8&rw=first&timeout=300").experiment;
        assert!(python(&wait).contains("return_when=asyncio.FIRST_COMPLETED, timeout=0.3"));
        assert!(rust(&wait).contains("ReturnWhen::FirstCompleted, Some(300)"));
        let seq = decode_str("w=io&s=seq&io=4").experiment;
        assert!(python(&seq).contains("await io_task(i)  # one after another"));
    }
}
