//! How the fake host cuts a split task into stretches on its lanes: at once
//! on every lane, or, under the GIL, lanes that take the lock in turns.

use futures_util::future::join_all;

use super::gil::push_stretch;
use super::FakeHost;
use crate::host::{Gil, Host, PoolJob, Stretch, WorkerRun};
use crate::kernels::CpuTask;
use crate::trace::Lane;

/// Blocks per lane a split task is cut into, as the kernels cut it: a lane
/// checks for a stop (and, under the GIL, for a drop request) between two.
const BLOCKS_PER_LANE: u64 = 16;

/// The stretches of a split task from `start`: the serial head on the first
/// lane, then the rest evenly over every lane.
pub(super) fn split_stretches(
    task: &CpuTask,
    serial: u64,
    lanes: &[Lane],
    start: f64,
    host: &FakeHost,
) -> Vec<Stretch> {
    let head_end = start + host.cost_ms(serial);
    let rest = task.steps().saturating_sub(serial);
    let per_lane = host.cost_ms(rest) / lanes.len().max(1) as f64;
    let mut out = Vec::with_capacity(lanes.len() + 1);
    if serial > 0 {
        out.push(Stretch {
            lane: lanes[0],
            start_ms: start,
            end_ms: head_end,
        });
    }
    if rest > 0 {
        out.extend(lanes.iter().map(|&lane| Stretch {
            lane,
            start_ms: head_end,
            end_ms: head_end + per_lane,
        }));
    }
    out
}

/// The same work as `stretches` (the head, then lanes side by side), done
/// by lanes taking one lock in turns of `switch_ms`: nobody computes while
/// another does. Used where the caller blocks (parallel-but-blocking), so
/// that no timer runs meanwhile and no one else asks for the lock.
pub(super) fn taking_turns(stretches: &[Stretch], switch_ms: f64) -> Vec<Stretch> {
    let Some(first) = stretches.first() else {
        return Vec::new();
    };
    let turn = switch_ms.max(0.001);
    let mut left: Vec<(Lane, f64)> = stretches
        .iter()
        .map(|s| (s.lane, s.duration_ms()))
        .collect();
    let mut now = first.start_ms;
    let mut out = Vec::new();
    // The head runs first and alone, as in the split.
    let head = usize::from(stretches.len() == 1 || stretches[1].start_ms > first.start_ms);
    for (lane, ms) in left.drain(..head) {
        out.push(Stretch {
            lane,
            start_ms: now,
            end_ms: now + ms,
        });
        now += ms;
    }
    while left.iter().any(|(_, ms)| *ms > 0.0) {
        for (lane, ms) in left.iter_mut().filter(|(_, ms)| *ms > 0.0) {
            let slice = ms.min(turn);
            out.push(Stretch {
                lane: *lane,
                start_ms: now,
                end_ms: now + slice,
            });
            now += slice;
            *ms -= slice;
        }
    }
    out
}

impl FakeHost {
    /// A split task handed to the pool, from worker `worker`: its head there,
    /// the rest on `pieces` lanes at once, or under `gil` taking turns.
    pub(super) async fn run_split(
        &self,
        job: &PoolJob,
        worker: usize,
        serial: u64,
        pieces: u32,
        gil: Option<Gil>,
    ) -> WorkerRun {
        let threads = self.0.pool_threads.max(1);
        let workers: Vec<usize> = (0..pieces.max(1) as usize)
            .map(|p| (worker + p) % threads)
            .collect();
        let mut segments = Vec::new();
        let mut checksum = None;
        if !job.cancel.is_cancelled() {
            let stopped = match gil {
                Some(gil) => {
                    segments = self.split_under_gil(job, &workers, serial, gil).await;
                    job.halt.is_cancelled()
                }
                None => {
                    let lanes: Vec<Lane> = workers.iter().map(|&w| worker_lane(w)).collect();
                    let start = self.now_ms();
                    self.sleep_for(self.cost_ms(serial)).await;
                    segments.extend(split_stretches(&job.task, serial, &lanes, start, self));
                    self.sleep_until(segments.iter().map(|s| s.end_ms).fold(start, f64::max))
                        .await;
                    job.halt.is_cancelled()
                }
            };
            checksum = (!stopped).then(|| job.task.run());
        }
        WorkerRun {
            worker,
            segments,
            checksum,
        }
    }

    /// The head on the first worker, then one lane per worker at once, each
    /// computing only while it holds the GIL: every stretch is one hold.
    async fn split_under_gil(
        &self,
        job: &PoolJob,
        workers: &[usize],
        serial: u64,
        gil: Gil,
    ) -> Vec<Stretch> {
        let rest = job.task.steps().saturating_sub(serial);
        let lanes = workers.len().max(1) as u64;
        let block = rest.div_ceil(lanes * BLOCKS_PER_LANE).max(1);
        let mut segments = Vec::new();
        if serial > 0 {
            segments = self.under_gil(job, workers[0], serial, block, gil).await;
        }
        let shares = (0..lanes).map(|l| rest / lanes + u64::from(l < rest % lanes));
        let lanes_done = join_all(
            workers
                .iter()
                .zip(shares)
                .filter(|(_, steps)| *steps > 0)
                .map(|(&w, steps)| self.under_gil(job, w, steps, block, gil)),
        )
        .await;
        segments.extend(lanes_done.into_iter().flatten());
        segments.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
        segments
    }

    /// `steps` of work on `worker` in blocks of `block`, holding the GIL,
    /// which it drops between two blocks when asked; stops at a halt.
    async fn under_gil(
        &self,
        job: &PoolJob,
        worker: usize,
        steps: u64,
        block: u64,
        gil: Gil,
    ) -> Vec<Stretch> {
        let mut segments = Vec::new();
        let mut hold = self.take_gil(gil.switch_ms()).await;
        let mut open_start = self.now_ms();
        let mut left = steps;
        while left > 0 && !job.halt.is_cancelled() {
            let now = block.min(left);
            self.sleep_for(self.cost_ms(now)).await;
            left -= now;
            if left > 0 && self.gil_asked(&hold) {
                push_stretch(&mut segments, worker, open_start, self.now_ms());
                hold = self.switch_gil(hold).await;
                open_start = self.now_ms();
            }
        }
        push_stretch(&mut segments, worker, open_start, self.now_ms());
        drop(hold);
        segments
    }
}

fn worker_lane(worker: usize) -> Lane {
    Lane::Worker(u16::try_from(worker).unwrap_or(u16::MAX))
}
