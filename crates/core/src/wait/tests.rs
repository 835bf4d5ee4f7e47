//! `asyncio.wait` semantics in virtual time: what returns when, and what is
//! left pending.

use std::future::Future;

use futures_util::FutureExt;

use super::*;
use crate::host::fake::FakeHost;
use crate::host::Host;

fn run<T: 'static>(host: &FakeHost, future: impl Future<Output = T> + 'static) -> T {
    host.block_on(future)
}

/// Futures that finish after `ms[i]` with `Ok(i)`, or `Err(i)` where `fails[i]`.
fn tasks(
    host: &FakeHost,
    ms: &[u32],
    fails: &[usize],
) -> Vec<LocalBoxFuture<'static, Result<usize, usize>>> {
    ms.iter()
        .enumerate()
        .map(|(i, &ms)| {
            let fails = fails.contains(&i);
            host.sleep(ms)
                .map(move |()| if fails { Err(i) } else { Ok(i) })
                .boxed_local()
        })
        .collect()
}

fn indices<T>(done: &[(usize, T)]) -> Vec<usize> {
    done.iter().map(|d| d.0).collect()
}

#[test]
fn first_completed_returns_at_the_first_and_leaves_the_rest_pending() {
    let host = FakeHost::new();
    let fs = tasks(&host, &[30, 10, 20], &[]);
    let h = host.clone();
    let (done, pending, timed_out, at) = run(&host, async move {
        let o = wait(fs, ReturnWhen::FirstCompleted, None, &h).await;
        (indices(&o.done), o.pending, o.timed_out, h.now_ms())
    });
    assert_eq!(
        (done, pending, timed_out, at),
        (vec![1], vec![0, 2], false, 10.0)
    );
}

#[test]
fn first_completed_returns_every_task_that_finished_in_the_same_turn() {
    // CPython 3.11: eight `asyncio.sleep(0.1)` under FIRST_COMPLETED give
    // eight done and none pending.
    let host = FakeHost::new();
    let fs = tasks(&host, &[100; 8], &[]);
    let h = host.clone();
    let (mut done, pending, at) = run(&host, async move {
        let o = wait(fs, ReturnWhen::FirstCompleted, None, &h).await;
        (indices(&o.done), o.pending, h.now_ms())
    });
    done.sort_unstable();
    assert_eq!((done, pending, at), ((0..8).collect(), vec![], 100.0));
}

#[test]
fn all_completed_in_completion_order_and_a_timeout_cuts_it() {
    let host = FakeHost::new();
    let fs = tasks(&host, &[30, 10, 20], &[]);
    let h = host.clone();
    let done = run(&host, async move {
        indices(&wait(fs, ReturnWhen::AllCompleted, None, &h).await.done)
    });
    assert_eq!(done, [1, 2, 0]);

    let host = FakeHost::new();
    let fs = tasks(&host, &[30, 10, 20], &[]);
    let h = host.clone();
    let (done, pending, timed_out, at) = run(&host, async move {
        let o = wait(fs, ReturnWhen::AllCompleted, Some(15), &h).await;
        (indices(&o.done), o.pending, o.timed_out, h.now_ms())
    });
    assert_eq!(
        (done, pending, timed_out, at),
        (vec![1], vec![0, 2], true, 15.0)
    );
}

#[test]
fn first_exception_returns_at_the_first_failure_or_when_all_are_done() {
    let host = FakeHost::new();
    let fs = tasks(&host, &[30, 10, 20], &[2]);
    let h = host.clone();
    let (done, pending) = run(&host, async move {
        let o = wait(fs, ReturnWhen::FirstException, None, &h).await;
        (indices(&o.done), o.pending)
    });
    assert_eq!((done, pending), (vec![1, 2], vec![0]));

    let host = FakeHost::new();
    let fs = tasks(&host, &[30, 10, 20], &[]);
    let h = host.clone();
    let done = run(&host, async move {
        indices(&wait(fs, ReturnWhen::FirstException, None, &h).await.done)
    });
    assert_eq!(done, [1, 2, 0]);
}

#[test]
fn pending_futures_keep_running_after_the_wait_returns() {
    let host = FakeHost::new();
    let fs = tasks(&host, &[30, 10, 20], &[]);
    let h = host.clone();
    let rest = run(&host, async move {
        let o = wait(fs, ReturnWhen::FirstCompleted, None, &h).await;
        let rest: Vec<(usize, Result<usize, usize>)> = o.unfinished.collect().await;
        (indices(&rest), h.now_ms())
    });
    assert_eq!(rest, (vec![2, 0], 30.0));
}
