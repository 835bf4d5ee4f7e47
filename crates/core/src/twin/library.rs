//! The twin's Python library: the kernels in pure Python, the seeded
//! latencies, the run's record, the tasks and each strategy's driver, one
//! file per subject under `library/`, joined in the order of [`PARTS`] into
//! the one text every program carries.
//!
//! The page does not carry the files in its wasm: index.html copies them
//! beside it (`source/library/…`), and the code panel fetches them and
//! joins them with [`join`], which must give exactly [`LIBRARY`], the text
//! this crate was built with (a test holds the two together).

/// The library's files, in the order the program carries them.
pub const PARTS: [&str; 7] = [
    // The kernels, the CPU task and its split into lanes.
    "kernels.py",
    // The I/O tasks' seeded latencies and failures (PCG, as core's io_model).
    "latencies.py",
    // The run's record: spans on lanes, and its trace.
    "record.py",
    // The I/O tasks: the local sample server, fetches, waits, blocking calls.
    "io_tasks.py",
    // Tasks awaited and settled: semaphores, as_completed, CPU steps, futures.
    "tasks.py",
    // The summary printed last, and the command line.
    "summary.py",
    // The strategies' drivers.
    "drivers.py",
];

/// The library from the texts of its [`PARTS`], in their order: two blank
/// lines between two parts, as between any two top-level definitions.
pub fn join<S: AsRef<str>>(parts: &[S]) -> String {
    parts
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The kernels, the workload and the run's record, in Python, as this crate
/// was built with them (the page fetches its copy): [`join`] of the
/// [`PARTS`], written out because `include_str!` needs literal paths.
#[cfg(not(target_arch = "wasm32"))]
pub(super) const LIBRARY: &str = concat!(
    include_str!("library/kernels.py"),
    "\n\n",
    include_str!("library/latencies.py"),
    "\n\n",
    include_str!("library/record.py"),
    "\n\n",
    include_str!("library/io_tasks.py"),
    "\n\n",
    include_str!("library/tasks.py"),
    "\n\n",
    include_str!("library/summary.py"),
    "\n\n",
    include_str!("library/drivers.py"),
);

#[cfg(test)]
mod tests {
    use super::*;

    const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/twin/library");

    #[test]
    fn the_parts_joined_are_the_library_and_every_file_is_a_part() {
        let texts = PARTS.map(|part| {
            std::fs::read_to_string(format!("{DIR}/{part}"))
                .unwrap_or_else(|err| panic!("{part}: {err}"))
        });
        assert_eq!(join(&texts), LIBRARY);
        let mut files: Vec<String> = std::fs::read_dir(DIR)
            .expect("the library's folder")
            .map(|entry| {
                entry
                    .expect("an entry")
                    .file_name()
                    .into_string()
                    .expect("UTF-8")
            })
            .collect();
        files.sort();
        let mut parts = PARTS.map(str::to_owned).to_vec();
        parts.sort();
        assert_eq!(files, parts, "every file of {DIR} is a part, once");
    }
}
