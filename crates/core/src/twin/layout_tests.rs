//! The twin as a Python programmer writes it (issue 27): its own program
//! first, then only the helpers it uses after the one marker the code panel
//! folds from; tasks started inside their `TaskGroup`; `as_completed` in each
//! version's form; the GIL's switch interval set only where threads compute;
//! CPU tasks on an executor as the futures `run_in_executor` returns; and a
//! summary that says which CPython ran it, on every CPython here.

use std::path::Path;

use super::native::{interpreters, run_python_with, scratch_path};
use super::tests::{check_said_who_ran, every_kind_of_program};
use super::*;
use crate::experiment::url::decode_str;
use crate::experiment::{Awaiting, Neglect, Strategy, Workload};
use crate::Lang;

/// The program's own part (before the marker) and its helpers.
fn parts(program: &str) -> (&str, &str) {
    let at = helpers_start(program).expect("a marker");
    program.split_at(at)
}

#[test]
fn every_program_is_its_own_main_then_the_helpers_from_one_marker() {
    let fr = code_text(Lang::Fr);
    let en = code_text(Lang::En);
    for (i, (e, pool)) in every_kind_of_program().iter().enumerate() {
        let program = python_as_run(e, *pool);
        let q = e.to_query();
        assert_eq!(
            program.matches(HELPERS_MARKER).count(),
            2,
            "{q}: a rule above and below"
        );
        let (own, helpers) = parts(&program);
        assert_eq!(
            own.matches("\ndef ").count() + own.matches("\nasync def ").count(),
            1,
            "{q}"
        );
        assert!(
            own.contains("\nasync def main(args):\n") && !own.contains("\nclass "),
            "{q}"
        );
        assert!(helpers.ends_with("if __name__ == \"__main__\":\n    print(json.dumps(asyncio.run(main(parse_args()))))\n"), "{q}");
        if i % 50 == 0 {
            // The marker is a rule: the same in French, where the panel folds too.
            let french =
                python_with_library(e, *pool, library::LIBRARY, &Fragments::native(), &fr, &en);
            assert_eq!(french.matches(HELPERS_MARKER).count(), 2, "{q}");
            assert!(
                parts(&french).0.contains("\nasync def main(args):\n"),
                "{q}"
            );
        }
    }
}

#[test]
fn a_program_carries_only_the_helpers_its_experiment_uses() {
    for (e, pool) in every_kind_of_program() {
        let program = python_as_run(&e, pool);
        let q = e.to_query();
        let has = |s: &str| program.contains(s);
        if !e.workload.has_cpu() {
            for kernel in [
                "class CpuTask",
                "def is_prime",
                "def escape_time",
                "hashlib",
                "def fill_block",
                "Executor",
                "def in_process",
                "def split_over",
                "def computing",
            ] {
                assert!(!has(kernel), "{q}: {kernel}");
            }
        }
        if e.io_task_count() == 0 {
            assert!(!has("class Pcg") && !has("def io_task"), "{q}");
        }
        if e.io_source != crate::experiment::IoSource::Fetch || e.io_task_count() == 0 {
            assert!(!has("def serve_sample") && !has("urllib"), "{q}");
        }
        for (construct, helper) in [
            (Strategy::ProcessPool, "def in_process"),
            (Strategy::SequentialAwait, "def in_turn"),
            (Strategy::SequentialAwait, "def one_after_another"),
            (Strategy::CooperativeChunks, "def in_chunks"),
            (Strategy::DataParallel, "def split_over"),
            (Strategy::ParallelBlocking, "def split_on_the_loop"),
        ] {
            if e.strategy != construct {
                assert!(!has(helper), "{q}: {helper}");
            }
        }
    }
    // And no top-level name defined but unread, as CPython's parser sees it.
    if super::native::no_python("a_program_carries_only_the_helpers_its_experiment_uses") {
        return;
    }
    let sample: Vec<String> = every_kind_of_program()
        .iter()
        .step_by(7)
        .map(|(e, pool)| serde_json::to_string(&python_as_run(e, *pool)).expect("JSON"))
        .collect();
    let script = "import ast, json, sys\n\
                  for line in open(sys.argv[1], encoding='utf-8'):\n\
                  \x20   tree = ast.parse(json.loads(line))\n\
                  \x20   defined = set()\n\
                  \x20   for node in tree.body:\n\
                  \x20       if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):\n\
                  \x20           defined.add(node.name)\n\
                  \x20       elif isinstance(node, ast.Assign):\n\
                  \x20           defined |= {n.id for t in node.targets for n in ast.walk(t) if isinstance(n, ast.Name)}\n\
                  \x20   read = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}\n\
                  \x20   unused = sorted(defined - read - {'main'})\n\
                  \x20   if unused:\n\
                  \x20       print(tree.body[0].value.value.splitlines()[0], unused)\n";
    let (path, data) = (
        scratch_path("unused", "py"),
        scratch_path("programs", "json"),
    );
    std::fs::write(&path, script).expect("write");
    std::fs::write(&data, sample.join("\n") + "\n").expect("write");
    let out = std::process::Command::new("python3")
        .arg(&path)
        .arg(&data)
        .output()
        .expect("python3 runs");
    let _ = (std::fs::remove_file(&path), std::fs::remove_file(&data));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.is_empty(), "helpers defined and never read:\n{said}");
}

#[test]
fn a_task_group_starts_every_task_inside_it_with_tg_create_task() {
    let mut seen = 0;
    for (e, pool) in every_kind_of_program() {
        if e.awaiting != Awaiting::TaskGroup {
            continue;
        }
        let program = python_as_run(&e, pool);
        let own: Vec<&str> = parts(&program).0.lines().collect();
        let q = e.to_query();
        let group = own
            .iter()
            .position(|l| {
                l.trim() == "async with asyncio.timeout(TIMEOUT), asyncio.TaskGroup() as tg:"
            })
            .unwrap_or_else(|| panic!("{q}: no group"));
        let end = own
            .iter()
            .position(|l| l.trim() == "except* TimeoutError:")
            .expect("its end");
        for (n, line) in own
            .iter()
            .enumerate()
            .filter(|(_, l)| l.contains("create_task("))
        {
            let forgotten = e.neglected() == Neglect::Unretrieved
                && line.contains("asyncio.create_task(io_task(run, len(tasks)");
            assert!(forgotten || line.contains("tg.create_task("), "{q}: {line}");
            assert!(n > group && n < end, "{q}: {line} outside the group");
        }
        assert!(
            !program.contains("for t in tasks:\n"),
            "{q}: tasks wrapped after the fact"
        );
        if e.strategy == Strategy::ConcurrentAwait && e.limit.is_none() && e.io_task_count() > 0 {
            assert!(
                program.contains("tasks = [tg.create_task(io_task(run, i, us, fails))"),
                "{q}"
            );
        }
        seen += 1;
    }
    assert!(seen > 100, "{seen}");
}

#[test]
fn as_completed_is_iterated_as_each_cpython_version_allows() {
    for (e, pool) in every_kind_of_program() {
        let program = python_as_run(&e, pool);
        let forms = [
            "        if sys.version_info >= (3, 13):\n            async for task in asyncio.as_completed(tasks, timeout=TIMEOUT):\n",
            "            for next_done in asyncio.as_completed([ended(t) for t in tasks], timeout=TIMEOUT):\n                handle(run, unhandled, await next_done)\n",
        ];
        for form in forms {
            assert_eq!(
                program.contains(form),
                e.awaiting == Awaiting::AsCompleted,
                "{}",
                e.to_query()
            );
        }
    }
}

#[test]
fn only_threads_that_compute_get_the_switch_interval() {
    for (e, pool) in every_kind_of_program() {
        let program = python_as_run(&e, pool);
        let sets = program.contains("sys.setswitchinterval(SWITCH_INTERVAL)");
        assert_eq!(sets, threads_compute(&e), "{}", e.to_query());
        assert_eq!(
            program.contains("SWITCH_INTERVAL = "),
            sets,
            "{}",
            e.to_query()
        );
        if e.workload == Workload::Io {
            assert!(!program.contains("setswitchinterval"), "{}", e.to_query());
        }
    }
    let pool = decode_str("w=cpu&s=pool&k=2&n=2").experiment;
    assert!(python(&pool).contains("sys.setswitchinterval(SWITCH_INTERVAL)"));
}

#[test]
fn cpu_tasks_on_an_executor_are_the_futures_run_in_executor_returns() {
    for query in [
        "w=cpu&s=pool&k=2&n=3",
        "w=cpu&s=gil&k=2&n=3",
        "w=mixed&s=par&k=2&n=3&io=2",
    ] {
        let program = python(&decode_str(query).experiment);
        let own = parts(&program).0;
        assert!(own.contains("[loop.run_in_executor("), "{query}: {own}");
        assert!(
            !own.contains("create_future") && !own.contains("driver"),
            "{query}"
        );
    }
    let proc = python(&decode_str("w=cpu&s=proc&k=2&n=3").experiment);
    // A process's task is the future run_in_executor returns too (its trip
    // recorded by a done-callback), never a coroutine wrapped in a task.
    assert!(parts(&proc)
        .0
        .contains("[in_process(run, loop, pool, j, task, submitted)"));
    assert!(proc.contains("future = loop.run_in_executor(pool, process_job"));
    assert!(!proc.contains("create_task(in_process"));
    assert!(proc.contains("context = multiprocessing.get_context(START_METHOD)\n"));
    assert!(proc.contains("mp_context=context") && proc.contains("START_METHOD = \"fork\""));
    assert!(proc.contains("start_method=context.get_start_method())"));
}

/// Runs `query`'s twin on every CPython here, one thread each.
fn on_every_python(queries: &[&str]) {
    let pythons = interpreters();
    if pythons.is_empty() {
        eprintln!("the summary's fields: skipped, no CPython 3.11 or later here");
        return;
    }
    let check = |python: &Path| -> Vec<String> {
        queries
            .iter()
            .filter_map(|q| {
                let e = decode_str(q).experiment;
                let ran = run_python_with(python, &super::python(&e), &[]);
                let why = match ran {
                    Ok(ran) => check_said_who_ran(python, &e, &ran.summary).err()?,
                    Err(why) => why,
                };
                Some(format!("{q}: {why}"))
            })
            .collect()
    };
    let failures: Vec<String> = std::thread::scope(|s| {
        let runs: Vec<_> = pythons.iter().map(|p| s.spawn(move || check(p))).collect();
        runs.into_iter()
            .flat_map(|r| r.join().expect("no panic"))
            .collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_summary_says_which_cpython_ran_it_and_how_its_processes_started() {
    on_every_python(&[
        "w=io&s=conc&io=4&lat=fixed&ms=20&by=ascompleted",
        "w=io&s=conc&io=4&lat=fixed&ms=20&by=group&fail=0.5",
        "w=cpu&s=pool&k=2&n=2&kernel=primes&size=2",
        "w=cpu&s=proc&k=2&n=2&kernel=primes&size=2",
        "w=mixed&s=par&k=2&io=2&n=2&kernel=reduce&size=2&serial=0.3",
    ]);
}

#[test]
fn a_free_threaded_twin_on_a_gil_build_says_its_threads_take_turns_and_they_do() {
    use crate::record::import;
    let pythons = interpreters();
    if pythons.is_empty() {
        eprintln!("a free-threaded twin on a GIL build: skipped, no CPython 3.11 or later here");
        return;
    }
    let ft = decode_str("w=cpu&s=pool&py=ft&k=2&n=4&kernel=primes&size=16").experiment;
    let gil = decode_str("w=cpu&s=pool&py=gil&k=2&n=4&kernel=primes&size=16").experiment;
    let warning = code_text(Lang::En).get("twin.msg.threads_take_turns");
    let says = "print(TEXT[\"threads_take_turns\"], file=sys.stderr)";
    assert!(
        !python(&gil).contains(says),
        "a GIL twin has no such warning"
    );
    assert!(python(&ft).contains(says));
    for interpreter in &pythons {
        let who = interpreter.display();
        let trace = scratch_path("ft-on-gil", "json");
        let trace_arg = trace.to_string_lossy().into_owned();
        let ran = run_python_with(interpreter, &python(&ft), &["--trace", &trace_arg])
            .unwrap_or_else(|why| panic!("{who}: {why}"));
        if !ran.summary.gil {
            eprintln!("{who}: a free-threaded build, its threads compute at once; skipped");
            continue;
        }
        assert!(ran.stderr.contains(&warning), "{who}: {}", ran.stderr);
        // Taking turns: the CPU spans of the two threads add up to the wall at most.
        let text = std::fs::read_to_string(&trace).expect("the twin wrote its trace");
        let record = import(&text, "twin.json").unwrap_or_else(|why| panic!("{who}: {why:?}"));
        let parallelism = record.figures.parallelism.expect("CPU work");
        assert!(parallelism <= 1.05, "{who}: parallelism {parallelism:.2}");
    }
}
