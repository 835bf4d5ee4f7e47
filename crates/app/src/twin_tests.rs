//! Every preset's Python twin, run with this machine's CPython as a visitor
//! would after saving it: `python3 twin.py --scale 0.05 --trace t.json`.

use crate::presets::PRESETS;
use overlap_core::experiment::url::decode_str;
use overlap_core::trace::from_json;
use overlap_core::twin::native::{run_python, scratch_path};
use overlap_core::twin::{checksums, python};

#[test]
fn every_presets_twin_runs_and_writes_its_trace() {
    for preset in PRESETS {
        let e = decode_str(preset.query).experiment;
        let trace = scratch_path(preset.id, "json");
        let trace_arg = trace.to_string_lossy().into_owned();
        let ran = run_python(&python(&e), &["--scale", "0.05", "--trace", &trace_arg])
            .unwrap_or_else(|err| panic!("{}: {err}", preset.id));
        let s = &ran.summary;
        let total = (e.io_task_count() + e.cpu_task_count()) as usize;
        assert_eq!(s.done + s.pending, total, "{}", preset.id);
        assert_eq!(s.experiment, e.to_query(), "{}", preset.id);
        let core = checksums(&e, 0.05);
        assert_eq!(s.checksums.len(), core.len(), "{}", preset.id);
        for (i, (py, rs)) in s.checksums.iter().zip(&core).enumerate() {
            if let Some(py) = py {
                assert_eq!(py, rs, "{}: CPU task {i}", preset.id);
            }
        }
        let text = std::fs::read_to_string(&trace).expect("the twin wrote its trace");
        let _ = std::fs::remove_file(&trace);
        let read = from_json(&text).unwrap_or_else(|err| panic!("{}: {err}", preset.id));
        assert_eq!(read.experiment, e.to_query());
        let tasks: std::collections::BTreeSet<u32> = read.spans.iter().map(|s| s.task).collect();
        assert!(!tasks.is_empty(), "{}: an empty trace", preset.id);
        assert!(tasks.iter().all(|&t| (t as usize) < total), "{}", preset.id);
    }
}
