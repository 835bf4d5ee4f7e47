use super::*;
use crate::trace::model::ok_span;

fn tops(rows: &TaskRows) -> Vec<(u32, Lane, f64)> {
    rows.rows.iter().map(|r| (r.task, r.lane, r.top)).collect()
}

#[test]
fn twenty_concurrent_waits_are_twenty_rows_under_the_main_thread() {
    let spans: Vec<Span> = (0..20)
        .map(|t| ok_span(t, Lane::Main, SpanKind::IoWait, 0, 100_000 + u64::from(t)))
        .collect();
    let rows = task_rows(&spans, &[Lane::Main, Lane::Worker(0), Lane::Worker(1)]).expect("rows");
    assert_eq!(rows.rows.len(), 20);
    assert!(rows.rows.iter().all(|r| r.lane == Lane::Main));
    // Each its own row, at least 8 px tall, none over another.
    const { assert!(ROW_H >= 8.0) };
    assert!(rows.rows.windows(2).all(|w| w[1].top - w[0].top >= ROW_H));
    // The idle workers still show, as their header row.
    let idle = rows.group(Lane::Worker(1)).expect("idle worker");
    assert_eq!(idle.height, HEADER_H);
    assert_eq!(rows.height, 3.0 * HEADER_H + 20.0 * ROW_H);
}

#[test]
fn a_task_is_at_home_where_it_computed_and_its_queue_shares_its_row() {
    let spans = [
        ok_span(1, Lane::Main, SpanKind::Queued, 0, 50),
        ok_span(1, Lane::Worker(1), SpanKind::Cpu, 50, 90),
        ok_span(0, Lane::Worker(0), SpanKind::Cpu, 0, 40),
        // Split: pieces on two workers, one row under the first.
        ok_span(2, Lane::Worker(1), SpanKind::Cpu, 10, 20),
        ok_span(2, Lane::Worker(0), SpanKind::Cpu, 10, 20),
        ok_span(3, Lane::Main, SpanKind::IoWait, 5, 9),
        ok_span(3, Lane::Main, SpanKind::Handled, 95, 95),
        ok_span(NO_TASK, Lane::Process(0), SpanKind::Startup, 0, 3),
    ];
    let rows = task_rows(&spans, &[Lane::Main]).expect("rows");
    let h = HEADER_H;
    assert_eq!(
        tops(&rows),
        [
            (3, Lane::Main, h),
            (0, Lane::Worker(0), 2.0 * h + ROW_H),
            (2, Lane::Worker(0), 2.0 * h + 2.0 * ROW_H),
            (1, Lane::Worker(1), 3.0 * h + 3.0 * ROW_H),
        ]
    );
    // The queued time is drawn in its task's row, not on the main thread.
    let queued = rows.bar(&spans[0]).expect("queued");
    let cpu = rows.bar(&spans[1]).expect("cpu");
    assert_eq!(queued, cpu);
    // A process's start-up, of no task, sits in its lane's own row.
    let startup = rows.bar(&spans[7]).expect("startup");
    let process = rows.group(Lane::Process(0)).expect("process lane");
    assert!(startup.0 >= process.top && startup.0 + startup.1 <= process.top + HEADER_H);
}

#[test]
fn a_sequential_run_is_a_staircase_and_rows_follow_the_first_start() {
    let spans: Vec<Span> = [2u32, 0, 1]
        .iter()
        .map(|&t| {
            let start = u64::from(t) * 100;
            ok_span(t, Lane::Main, SpanKind::Cpu, start, start + 100)
        })
        .collect();
    let rows = task_rows(&spans, &[]).expect("rows");
    let order: Vec<u32> = rows.rows.iter().map(|r| r.task).collect();
    assert_eq!(order, [0, 1, 2]);
}

#[test]
fn more_than_the_limit_draws_lanes_instead() {
    let spans: Vec<Span> = (0..=MAX_TASK_ROWS as u32)
        .map(|t| ok_span(t, Lane::Main, SpanKind::IoWait, 0, 10))
        .collect();
    assert!(task_rows(&spans, &[Lane::Main]).is_none());
    assert!(task_rows(&spans[..MAX_TASK_ROWS], &[Lane::Main]).is_some());
}

#[test]
fn a_bar_is_never_narrower_than_two_px() {
    assert_eq!(bar_width(10.0, 10.4), MIN_BAR_W);
    assert_eq!(bar_width(10.0, 30.0), 20.0);
    assert_eq!(bar_width(f64::NAN, 3.0), MIN_BAR_W);
    const { assert!(MIN_BAR_W >= 2.0) };
}
