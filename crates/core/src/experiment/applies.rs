//! Which fields an experiment reads: one table ([`Field::applies`]), from
//! its workload, its strategy's [`Profile`](super::Profile), its latency
//! distribution and how it is awaited.
//!
//! A field that does not apply is kept as it is (a link keeps every value,
//! and switching back restores it), changes nothing in the run or the
//! model, and is never refused (see `validate`); the editor folds it away.
//! The executor's tests (`execute/tests/applies.rs`) run every strategy and
//! workload with each field that does not apply changed, and hold the run
//! and the prediction to be the same, so this table cannot drift from the
//! engine.

use super::{
    AfterWait, Awaiting, CpuPlace, Experiment, Field, IoPlace, KCap, Latency, Neglect, ReturnWhen,
    Strategy, Workload,
};

impl Field {
    /// Whether `e`'s run (or its model) reads this field: where it does not,
    /// any value of it gives the same run.
    pub fn applies(self, e: &Experiment) -> bool {
        let p = e.profile();
        let (io, cpu) = (e.workload.has_io(), e.workload.has_cpu());
        match self {
            // The choices every run is made of; the seed draws the I/O
            // waits and the CPU tasks' data alike; each way of awaiting
            // takes a timeout.
            Field::Workload
            | Field::Strategy
            | Field::Seed
            | Field::Awaiting
            | Field::TimeoutMs => true,
            Field::IoTasks | Field::IoSource | Field::Latency | Field::LatencyMs => io,
            Field::FailureRate => io,
            // Each distribution reads its own shape: a fixed latency none,
            // a uniform one its spread, the long tails their cap.
            Field::SpreadMs => io && e.latency == Latency::Uniform,
            Field::Sigma => io && e.latency == Latency::LogNormal,
            Field::CapMs => io && matches!(e.latency, Latency::Exponential | Latency::LogNormal),
            // A semaphore only bounds waits that are in flight together:
            // waits one after another never hold more than one place.
            Field::Limit => io && matches!(p.io, IoPlace::Together | IoPlace::Executor),
            Field::CpuTasks | Field::Kernel | Field::Size => cpu,
            // Amdahl's serial part is a split task's head.
            Field::SerialFraction => cpu && p.cpu == CpuPlace::Split,
            // `asyncio.to_thread` uses the default executor, whatever `k`.
            Field::Workers => cpu && matches!(p.k_cap, KCap::Pool | KCap::Processes),
            // Chunks on the loop (cooperative), and the chunks a pool
            // thread works in: where the GIL changes hands and a stop is
            // seen. A split task or a process runs in blocks of its own.
            Field::Chunk => {
                cpu && matches!(
                    p.cpu,
                    CpuPlace::Chunks | CpuPlace::Pool | CpuPlace::DefaultExecutor
                )
            }
            // Which Python matters only where Python threads compute.
            Field::Python => cpu && p.threads,
            Field::SwitchMs => cpu && p.gil,
            // Only `asyncio.wait` takes a `return_when`.
            Field::ReturnWhen => e.awaiting == Awaiting::Wait,
            // What follows the wait matters only where it can return with
            // tasks pending (a timeout, or before all completed), and where
            // the construct does not cancel them itself.
            Field::AfterWait => {
                e.awaiting.after(AfterWait::LetFinish) == AfterWait::LetFinish
                    && (e.timeout_ms.is_some()
                        || e.awaiting.return_when(e.return_when) != ReturnWhen::AllCompleted)
            }
            Field::Neglect => e.workload == Workload::Io && e.strategy == Strategy::ConcurrentAwait,
            // Only processes are started, and only where there is CPU work to
            // send them (an I/O workload starts none).
            Field::ProcessStart => cpu && p.cpu == CpuPlace::Processes,
        }
    }

    /// The fields `e` reads, in [`Field::ALL`] order.
    pub fn read_by(e: &Experiment) -> impl Iterator<Item = Field> + '_ {
        Field::ALL.into_iter().filter(|f| f.applies(e))
    }
}

impl Experiment {
    /// The neglected coroutine that runs: the one chosen where it applies
    /// (I/O tasks awaited concurrently), none elsewhere.
    pub fn neglected(&self) -> Neglect {
        if Field::Neglect.applies(self) {
            self.neglect
        } else {
            Neglect::None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::url::decode_str;

    /// Whether `field` applies to the experiment of `query`.
    fn applies(field: Field, query: &str) -> bool {
        field.applies(&decode_str(query).experiment)
    }

    #[test]
    fn the_choices_the_seed_and_the_timeout_always_apply() {
        for q in ["w=io&s=seq", "w=cpu&s=pool", "w=mixed&s=thread&by=group"] {
            for f in [
                Field::Workload,
                Field::Strategy,
                Field::Seed,
                Field::Awaiting,
                Field::TimeoutMs,
            ] {
                assert!(applies(f, q), "{f:?} {q}");
            }
        }
    }

    #[test]
    fn io_fields_need_io_tasks_and_cpu_fields_cpu_tasks() {
        let io = [
            Field::IoTasks,
            Field::IoSource,
            Field::Latency,
            Field::LatencyMs,
            Field::FailureRate,
        ];
        let cpu = [Field::CpuTasks, Field::Kernel, Field::Size];
        for f in io {
            assert!(applies(f, "w=io") && applies(f, "w=mixed&s=conc"), "{f:?}");
            assert!(!applies(f, "w=cpu&s=conc"), "{f:?}");
        }
        for f in cpu {
            assert!(applies(f, "w=cpu") && applies(f, "w=mixed&s=conc"), "{f:?}");
            assert!(!applies(f, "w=io"), "{f:?}");
        }
    }

    #[test]
    fn each_distribution_reads_its_own_shape() {
        let shape = [Field::SpreadMs, Field::Sigma, Field::CapMs];
        let read = |lat: &str| -> Vec<bool> {
            shape
                .iter()
                .map(|&f| applies(f, &format!("w=io&lat={lat}")))
                .collect()
        };
        assert_eq!(read("fixed"), [false, false, false]);
        assert_eq!(read("uniform"), [true, false, false]);
        assert_eq!(read("exp"), [false, false, true]);
        assert_eq!(read("lognormal"), [false, true, true]);
        assert!(!applies(Field::SpreadMs, "w=cpu&lat=uniform"));
    }

    #[test]
    fn a_limit_bounds_waits_in_flight_together_only() {
        assert!(applies(Field::Limit, "w=io&s=conc"));
        assert!(applies(Field::Limit, "w=io&s=thread"));
        assert!(applies(Field::Limit, "w=mixed&s=pool"));
        assert!(!applies(Field::Limit, "w=io&s=seq"));
        assert!(!applies(Field::Limit, "w=io&s=block"));
        assert!(!applies(Field::Limit, "w=cpu&s=conc"));
    }

    #[test]
    fn k_is_read_where_the_strategy_sizes_its_workers_by_it() {
        for s in ["pool", "pool&py=gil", "par", "parblock", "proc"] {
            assert!(applies(Field::Workers, &format!("w=cpu&s={s}")), "{s}");
        }
        for s in ["seq", "conc", "inline", "coop", "thread"] {
            assert!(!applies(Field::Workers, &format!("w=cpu&s={s}")), "{s}");
        }
    }

    #[test]
    fn chunk_serial_and_switch_follow_where_the_cpu_work_runs() {
        let which = |f: Field| -> Vec<&str> {
            [
                "seq",
                "conc",
                "inline",
                "coop",
                "pool",
                "pool&py=gil",
                "par",
                "par&py=gil",
                "parblock",
                "parblock&py=gil",
                "proc",
                "thread",
                "thread&py=ft",
            ]
            .into_iter()
            .filter(|s| applies(f, &format!("w=cpu&s={s}")))
            .collect()
        };
        assert_eq!(
            which(Field::Chunk),
            ["coop", "pool", "pool&py=gil", "thread", "thread&py=ft"]
        );
        assert_eq!(
            which(Field::SerialFraction),
            ["par", "par&py=gil", "parblock", "parblock&py=gil"]
        );
        assert_eq!(
            which(Field::SwitchMs),
            ["pool&py=gil", "par&py=gil", "parblock&py=gil", "thread"]
        );
        assert_eq!(
            which(Field::Python),
            [
                "pool",
                "pool&py=gil",
                "par",
                "par&py=gil",
                "parblock",
                "parblock&py=gil",
                "thread",
                "thread&py=ft"
            ]
        );
        assert!(!applies(Field::Chunk, "w=io&s=thread"));
        assert!(!applies(Field::SwitchMs, "w=io&s=thread"));
        // Blocking waits release the GIL: which Python waits makes no odds.
        assert!(!applies(Field::Python, "w=io&s=thread"));
    }

    #[test]
    fn the_start_method_is_read_where_processes_start_only() {
        assert!(applies(Field::ProcessStart, "w=cpu&s=proc"));
        assert!(applies(Field::ProcessStart, "w=mixed&s=proc&start=spawn"));
        for q in [
            "w=cpu&s=pool",
            "w=cpu&s=gil",
            "w=mixed&s=thread",
            "w=io&s=conc",
        ] {
            assert!(!applies(Field::ProcessStart, q), "{q}");
        }
        // Absent, it is fork: what the pool did before it could be chosen.
        let e = decode_str("w=cpu&s=proc").experiment;
        assert_eq!(e.process_start, crate::experiment::ProcessStart::Fork);
        assert_eq!(e.to_query(), "w=cpu&s=proc");
        let e = decode_str("w=cpu&s=proc&start=forkserver").experiment;
        assert_eq!(e.to_query(), "w=cpu&s=proc&start=forkserver");
    }

    #[test]
    fn return_when_is_asyncio_wait_s_and_after_needs_a_wait_that_can_leave_tasks() {
        assert!(applies(Field::ReturnWhen, "w=io&by=wait"));
        for by in ["gather", "group", "ascompleted"] {
            assert!(
                !applies(Field::ReturnWhen, &format!("w=io&by={by}")),
                "{by}"
            );
        }
        assert!(!applies(Field::AfterWait, "w=io&by=wait&rw=all"));
        assert!(applies(Field::AfterWait, "w=io&by=wait&rw=first"));
        assert!(applies(Field::AfterWait, "w=io&by=wait&rw=exception"));
        assert!(applies(Field::AfterWait, "w=io&by=wait&timeout=10"));
        assert!(applies(Field::AfterWait, "w=io&by=ascompleted&timeout=10"));
        assert!(!applies(Field::AfterWait, "w=io&by=ascompleted&rw=first"));
        assert!(!applies(Field::AfterWait, "w=io&by=gather&timeout=10"));
        assert!(!applies(Field::AfterWait, "w=io&by=group&timeout=10"));
    }

    #[test]
    fn a_coroutine_is_neglected_beside_io_awaited_concurrently_only() {
        assert!(applies(Field::Neglect, "w=io&s=conc"));
        for q in ["w=io&s=seq", "w=mixed&s=conc", "w=io&s=thread"] {
            assert!(!applies(Field::Neglect, q), "{q}");
            let e = decode_str(&format!("{q}&neglect=unretrieved")).experiment;
            assert_eq!(e.neglected(), Neglect::None, "{q}");
        }
        let e = decode_str("w=io&s=conc&neglect=unawaited").experiment;
        assert_eq!(e.neglected(), Neglect::Unawaited);
    }
}
