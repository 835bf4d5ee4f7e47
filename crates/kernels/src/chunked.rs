//! A task as a resumable computation: a bounded number of steps per call,
//! so the cooperative strategy can yield and pool tasks can report progress
//! and stop between chunks.

use super::{CpuTask, Kernel, ReduceBuffer};

/// Where a [`ChunkedRun`] stands after a call to [`ChunkedRun::step`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// More steps remain: `done` of `total` are finished.
    Running {
        /// Steps finished so far.
        done: u64,
        /// Steps in the whole task.
        total: u64,
    },
    /// The task is finished; here is its checksum.
    Done(u64),
}

/// A CPU task that advances a bounded number of steps per call.
///
/// Dropping it between steps is how a caller cancels it.
#[derive(Debug)]
pub struct ChunkedRun {
    task: CpuTask,
    done: u64,
    total: u64,
    acc: u64,
    buffer: Option<ReduceBuffer>,
}

impl ChunkedRun {
    pub(super) fn new(task: CpuTask) -> ChunkedRun {
        ChunkedRun {
            task,
            done: 0,
            total: task.steps(),
            acc: 0,
            buffer: (task.kernel == Kernel::Reduce).then(|| ReduceBuffer::new(&task)),
        }
    }

    /// Runs at most `max_steps` steps (at least one if any remain) and reports progress.
    pub fn step(&mut self, max_steps: u32) -> Progress {
        let end = self
            .done
            .saturating_add(u64::from(max_steps.max(1)))
            .min(self.total);
        let contribution = match &mut self.buffer {
            Some(buffer) => buffer.run(self.done, end, false),
            None => (self.done..end).fold(0u64, |acc, u| acc.wrapping_add(self.task.unit(u))),
        };
        self.acc = self.acc.wrapping_add(contribution);
        self.done = end;
        self.progress()
    }

    /// Where the run stands, without doing any work.
    pub fn progress(&self) -> Progress {
        if self.done >= self.total {
            Progress::Done(self.acc)
        } else {
            Progress::Running {
                done: self.done,
                total: self.total,
            }
        }
    }

    /// Steps finished so far.
    pub fn done_steps(&self) -> u64 {
        self.done
    }

    /// Steps in the whole task.
    pub fn total_steps(&self) -> u64 {
        self.total
    }

    /// The task being run.
    pub fn task(&self) -> CpuTask {
        self.task
    }
}
