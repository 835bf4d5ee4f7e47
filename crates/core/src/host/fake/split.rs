//! How the fake host cuts a split task into stretches on its lanes.

use super::FakeHost;
use crate::host::Stretch;
use crate::kernels::CpuTask;
use crate::trace::Lane;

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
