# Tasks awaited and settled: semaphores, as_completed, CPU steps, futures.

async def limited(run, task_id, semaphore, work, *args):
    """Awaits `work(*args)` holding a place of `semaphore`; the time spent
    waiting for the place is recorded as queued."""
    asked = run.now_us()
    async with semaphore:
        now = run.now_us()
        if now > asked:
            run.span(task_id, "main", "queued", asked, now)
        return await work(*args)


async def ended(task):
    """`task` once it has ended, however it ended (as_completed before 3.13
    yields awaitables of the results, not the tasks)."""
    await asyncio.wait([task])
    return task


def handle(run, unhandled, task):
    """Takes one result as it arrives; here, records the moment. `unhandled`
    holds the number of each task not handled yet."""
    index = unhandled.pop(task)
    if task.cancelled():
        outcome = "cancelled"
    else:
        outcome = "error" if task.exception() is not None else "ok"
    now = run.now_us()
    run.span(index, "main", "handled", now, now, outcome)


async def watch(future):
    """Awaits a future inside a TaskGroup, which takes coroutines: cancelling
    this cancels the future."""
    return await future


def computing(task, start_step, end_step, t0):
    """Runs steps start..end of `task` on the calling thread, one at a time;
    returns their part of the checksum and where the thread computed, as
    spans in µs since t0. A thread waiting for the GIL (or for a core)
    computes nothing: each step counts the CPU time its thread used
    (time.thread_time), as a span that long ending with the step, and steps
    computed back to back join into one span. Under the GIL the spans of
    threads taking turns thus add up to the wall time at most."""
    value, spans, owed = 0, [], 0.0
    wall, cpu = time.perf_counter(), time.thread_time()
    for step in range(start_step, end_step):
        value += task.run_steps(step, step + 1)
        now, used = time.perf_counter(), time.thread_time()
        # A coarse clock (Windows counts thread time in ticks) is paid back over the next steps.
        owed += used - cpu
        took = min(owed, now - wall)
        owed -= took
        end = round((now - t0) * 1e6)
        start = end - round(took * 1e6)
        if spans and start <= spans[-1][1] + 50:
            spans[-1][1] = end
        else:
            spans.append([start, end])
        wall, cpu = now, used
    return value & MASK, spans


def cpu_steps(run, task_id, task, start_step, end_step, submitted_us=None):
    """Runs steps of a CPU task on the calling thread and records where it
    computed (and its time in the executor's queue, when it waited there)."""
    lane, start = run.lane(), run.now_us()
    if submitted_us is not None and start > submitted_us:
        run.span(task_id, lane, "queued", submitted_us, start)
    value, spans = computing(task, start_step, end_step, run.t0)
    for a, b in spans:
        run.span(task_id, lane, "cpu", a, b)
    return value


def cpu_task(run, task_id, task, submitted_us=None):
    """A whole CPU task on the calling thread."""
    return cpu_steps(run, task_id, task, 0, task.steps, submitted_us)


def deliver(future, value=None, exc=None):
    """Hands a task's outcome to `future` (what asyncio.wait watches), unless
    the future was cancelled meanwhile."""
    if future.done():
        return
    if exc is not None:
        future.set_exception(exc)
    else:
        future.set_result(value)


async def settle(future, work):
    """Awaits `work` and hands its outcome to `future`."""
    try:
        value = await work
    except asyncio.CancelledError:
        future.cancel()
        raise
    except Exception as exc:  # the task's failure, reported by summary()
        deliver(future, exc=exc)
    else:
        deliver(future, value)


def settle_now(future, work, *args):
    """Runs `work(*args)` right here, on the loop, and hands its outcome to `future`."""
    try:
        value = work(*args)
    except Exception as exc:  # the task's failure, reported by summary()
        deliver(future, exc=exc)
    else:
        deliver(future, value)
