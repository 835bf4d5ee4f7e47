//! Running a twin with this machine's `python3` (native builds only): what
//! the tests use to hold the Python side to the page's.
//!
//! [`run_python`] runs a program and keeps its stdout and its stderr (where
//! CPython's warnings and asyncio's log go); [`page_counts`] gives the page's
//! done, pending and outcomes for the same experiment on the fake host, to
//! compare with the twin's summary; [`interpreters`] lists the CPythons a
//! test may hold the twin on.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

use super::Summary;
use crate::execute::{execute, Execution, RunOptions};
use crate::host::fake::FakeHost;
use crate::predict::Device;
use crate::trace::Outcome;
use crate::{Experiment, ValidExperiment};

static NEXT_FILE: AtomicU64 = AtomicU64::new(0);

/// A file in the temporary folder that no other call of this process uses.
pub fn scratch_path(stem: &str, extension: &str) -> PathBuf {
    let n = NEXT_FILE.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!(
        "overlap-{stem}-{}-{n}.{extension}",
        std::process::id()
    ))
}

/// Longest a twin may run in the tests before it is stopped as hung.
const TWIN_LIMIT: std::time::Duration = std::time::Duration::from_secs(180);

/// Runs `command` to its end, or kills it after `limit`: a hung program is an
/// error, not a hung test suite. (Its output is read at the end: a twin
/// prints a few lines, far below what a pipe holds.)
fn output_within(
    command: &mut Command,
    limit: std::time::Duration,
) -> Result<std::process::Output, String> {
    use std::process::Stdio;
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run python3: {e}"))?;
    let started = std::time::Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if started.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "python3 did not finish within {} s",
                    limit.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(std::time::Duration::from_millis(20)),
            Err(e) => return Err(format!("cannot wait for python3: {e}")),
        }
    }
    child
        .wait_with_output()
        .map_err(|e| format!("cannot read python3's output: {e}"))
}

/// What a twin printed: its summary (the last line) and all of its output.
#[derive(Clone, Debug)]
pub struct Ran {
    /// The summary line, parsed.
    pub summary: Summary,
    /// Everything printed on stdout.
    pub stdout: String,
    /// Everything printed on stderr (CPython's warnings and asyncio's log).
    pub stderr: String,
}

/// Runs `program` with `python3 -W error` and `args`; the error says what went wrong
/// (no interpreter, a non-zero exit with its stderr, no summary line).
pub fn run_python(program: &str, args: &[&str]) -> Result<Ran, String> {
    run_python_with(Path::new("python3"), program, args)
}

/// The version of `interpreter` (`3.12.1`, and `t` for a free-threaded
/// build) when it runs and is CPython 3.11 or later (what a twin needs).
pub fn twin_version(interpreter: &Path) -> Option<String> {
    let check = "import sys, sysconfig\n\
                 if sys.implementation.name == 'cpython' and sys.version_info >= (3, 11):\n\
                 \x20   print(sys.version.split()[0] + ('t' if sysconfig.get_config_var('Py_GIL_DISABLED') else ''))";
    let out = Command::new(interpreter)
        .args(["-c", check])
        .output()
        .ok()?;
    let version = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    (out.status.success() && !version.is_empty()).then_some(version)
}

/// Whether this machine lacks a `python3` that runs twins; if so, says on
/// stderr that `test` is skipped (a test of the twin holds it to CPython,
/// and without one has nothing to hold it to).
pub fn no_python(test: &str) -> bool {
    let missing = twin_version(Path::new("python3")).is_none();
    if missing {
        eprintln!("{test}: skipped, no python3 (CPython 3.11 or later) here");
    }
    missing
}

/// The CPythons this machine has that run twins, one per version:
/// `python3`, and each version pyenv keeps (`$(pyenv root)/versions/*/bin/
/// python3`), for tests that hold the twin to each. Empty where there is
/// none: such tests say so and skip.
pub fn interpreters() -> Vec<PathBuf> {
    let mut candidates = vec![PathBuf::from("python3")];
    let root = Command::new("pyenv")
        .arg("root")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    if let Some(Ok(versions)) = root.map(|r| std::fs::read_dir(r.join("versions"))) {
        let mut found: Vec<PathBuf> = versions
            .filter_map(|v| Some(v.ok()?.path().join("bin").join("python3")))
            .filter(|p| p.exists())
            .collect();
        found.sort();
        candidates.extend(found);
    }
    let mut seen = std::collections::HashSet::new();
    candidates
        .into_iter()
        .filter(|p| twin_version(p).is_some_and(|v| seen.insert(v)))
        .collect()
}

/// [`run_python`] with another interpreter.
pub fn run_python_with(interpreter: &Path, program: &str, args: &[&str]) -> Result<Ran, String> {
    let path = scratch_path("twin", "py");
    std::fs::write(&path, program).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    // Warnings are errors: a twin that CPython warns about (a deprecated
    // call, a resource left open) fails, as a visitor's `-W error` run would.
    let output = output_within(
        Command::new(interpreter)
            .args(["-W", "error"])
            .arg(&path)
            .args(args),
        TWIN_LIMIT,
    );
    let _ = std::fs::remove_file(&path);
    let output = output?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if !output.status.success() {
        return Err(format!(
            "python3 exited with {}:\n{stderr}\n{stdout}",
            output.status
        ));
    }
    let last = stdout.lines().last().unwrap_or_default();
    let summary =
        serde_json::from_str(last).map_err(|e| format!("no summary ({e}) in:\n{stdout}"))?;
    Ok(Ran {
        summary,
        stdout,
        stderr,
    })
}

/// Done, pending, ok, errors and cancelled as the page's executor finds
/// them for `e`, on the fake host (two cores, two pool threads): what a
/// twin's summary is compared with. `None` when `e` is not valid or does
/// not run.
pub fn page_counts(e: &Experiment) -> Option<[usize; 5]> {
    let x = page_run(e)?;
    let count = |o: Outcome| {
        x.done
            .iter()
            .chain(&x.late)
            .filter(|s| s.outcome == o)
            .count()
    };
    Some([
        x.done.len(),
        x.late.len(),
        count(Outcome::Ok),
        count(Outcome::Error),
        count(Outcome::Cancelled),
    ])
}

/// How the page's executor finds `e`'s neglected coroutine ended, in the
/// words of the twin's summary ("never ran", "ok", "error", "cancelled"):
/// `None` when `e` has none (or does not run).
pub fn page_neglected(e: &Experiment) -> Option<String> {
    let neglected = page_run(e)?.neglected?;
    let words = match neglected.outcome {
        None => "never ran",
        Some(Outcome::Ok) => "ok",
        Some(Outcome::Error) => "error",
        Some(Outcome::Cancelled) => "cancelled",
    };
    Some(words.to_owned())
}

/// `e` run by the page's executor on the fake host (two cores, two pool threads).
fn page_run(e: &Experiment) -> Option<Execution> {
    let valid = ValidExperiment::new(e.clone()).ok()?;
    let host = FakeHost::new();
    let device = Device {
        calibration: None,
        pool_threads: 2,
        cores: 2,
        yield_overhead_us: 0,
    };
    let h = host.clone();
    host.block_on(async move { execute(h, &valid, &device, RunOptions::default()).await })
        .ok()
}
