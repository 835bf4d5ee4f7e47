async def limited(run, task_id, semaphore, work, *args):
    """Awaits `work(*args)` holding a place of `semaphore`; the time spent
    waiting for the place is recorded as queued."""
    asked = run.now_us()
    async with semaphore:
        now = run.now_us()
        if now > asked:
            run.span(task_id, "main", "queued", asked, now)
        return await work(*args)


async def finished(index, task):
    """The index of `task` once it is done, however it ended (for as_completed)."""
    await asyncio.wait([task])
    return index


def handle(run, index, task):
    """Takes one result as it arrives; here, records the moment."""
    if task.cancelled():
        outcome = "cancelled"
    else:
        outcome = "error" if task.exception() is not None else "ok"
    now = run.now_us()
    run.span(index, "main", "handled", now, now, outcome)


async def watch(task):
    """Awaits a task already started, inside a TaskGroup: cancelling this
    cancels the task."""
    return await task


def cpu_steps(run, task_id, task, start_step, end_step, submitted_us=None):
    """Runs steps of a CPU task on the calling thread and records its span
    (and its time in the executor's queue, when it waited there)."""
    lane, start = run.lane(), run.now_us()
    if submitted_us is not None and start > submitted_us:
        run.span(task_id, lane, "queued", submitted_us, start)
    value = task.run_steps(start_step, end_step)
    run.span(task_id, lane, "cpu", start, run.now_us())
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
