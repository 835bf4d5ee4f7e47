# ---------------------------------------------------------------------------
# The strategies' drivers: each program calls the one its strategy uses.
# ---------------------------------------------------------------------------

async def in_turn(run, io, futures):
    """Awaits each I/O task in turn."""
    for i, (us, fails) in enumerate(io):
        await settle(futures[i], io_task(run, i, us, fails))


async def one_after_another(run, n_io, cpu, futures):
    """Runs each CPU task on the loop, awaiting nothing between them: nothing
    else runs until the last ends."""
    for j, task in enumerate(cpu):
        settle_now(futures[n_io + j], cpu_task, run, n_io + j, task)


async def on_the_loop(run, task_id, task):
    """A CPU task called inside a coroutine: it awaits nothing, so it holds
    the event loop to its end and every timer waits."""
    return cpu_task(run, task_id, task)


async def cooperative(run, task_id, task, chunk):
    """A CPU task in chunks, yielding to the loop between them."""
    value = 0
    for a in range(0, task.steps, chunk):
        b = min(a + chunk, task.steps)
        value += cpu_steps(run, task_id, task, a, b)
        if b < task.steps:
            await asyncio.sleep(0)  # let timers and I/O run
    return value & MASK


async def in_chunks(run, n_io, cpu, futures):
    for j, task in enumerate(cpu):
        await settle(futures[j], cooperative(run, n_io + j, task, CHUNK))


# The task number of spans that belong to no task (a process starting).
NO_TASK = 2**32 - 1

# In a worker process: since when it has been free to take a task.
FREE_SINCE = []


def process_started():
    """Runs first in each worker process (the pool's initializer): it is ready."""
    FREE_SINCE.append(time.perf_counter())


class Parcel:
    """A task on its way to a worker process: pickling it notes when it left."""

    def __init__(self, task):
        self.task = task

    def __getstate__(self):
        return dict(task=self.task, sent=time.perf_counter())


def process_job(parcel, t0):
    """Runs in a worker process: the task travels there pickled, its result back.
    The copy there began when the task was pickled or, if later, when this
    process was free to read it."""
    received = time.perf_counter()
    ready, free = (FREE_SINCE[0], FREE_SINCE[-1]) if FREE_SINCE else (received, received)
    value, spans = computing(parcel.task, 0, parcel.task.steps, t0)
    FREE_SINCE.append(time.perf_counter())
    us = [round((t - t0) * 1e6) for t in (ready, max(parcel.sent, free), received)]
    return value, spans, *us, os.getpid()


def in_process(run, loop, pool, task_id, task, submitted):
    """One task handed to a process: the future loop.run_in_executor returns,
    which records the task's trip as the page draws it once it is back: the
    process starting (the first time it is seen), the wait in the queue, the
    copy there, the work, the copy back. Its result is the task's value and
    the trip's times."""
    future = loop.run_in_executor(pool, process_job, Parcel(task), run.t0)

    def back(done):
        if not done.cancelled() and done.exception() is None:
            trip_recorded(run, task_id, submitted, done.result())

    future.add_done_callback(back)
    return future


def trip_recorded(run, task_id, submitted, trip):
    """Writes the spans of a task's trip through a process (see in_process)."""
    _, spans, ready, sent, received, pid = trip
    back = run.now_us()
    with run.lock:
        processes = sum(1 for key in run.lanes if isinstance(key, tuple))
        new = ("process", pid) not in run.lanes
        lane = run.lanes.setdefault(("process", pid), f"process-{processes}")
    if new:
        run.span(NO_TASK, lane, "startup", submitted, ready)
    if sent > submitted:
        run.span(task_id, "main", "queued", submitted, sent)
    run.span(task_id, lane, "transfer", sent, received)
    for a, b in spans:
        run.span(task_id, lane, "cpu", a, b)
    run.span(task_id, lane, "transfer", spans[-1][1], back)


def split_over(run, pool, task_id, task):
    """One task split over the pool, from a thread that waits for its lanes:
    its serial part first, then the rest in WORKERS lanes (sweep by sweep for
    the reduction)."""
    serial = task.serial_steps(SERIAL_FRACTION)
    value = pool.submit(cpu_steps, run, task_id, task, 0, serial).result() if serial else 0
    for a, b in task.phases(serial, task.steps):
        lanes = split(a, b, WORKERS)
        value += sum(pool.map(lambda r: cpu_steps(run, task_id, task, *r), lanes))
    return value & MASK


def split_and_wait(run, pool, task_id, task):
    """One task split over the pool, called on the loop: it waits for the
    lanes (pool.map), and the loop waits with it."""
    serial = task.serial_steps(SERIAL_FRACTION)
    value = cpu_steps(run, task_id, task, 0, serial) if serial else 0
    for a, b in task.phases(serial, task.steps):
        lanes = split(a, b, WORKERS)
        value += sum(pool.map(lambda r: cpu_steps(run, task_id, task, *r), lanes))
    return value & MASK


async def split_on_the_loop(run, pool, task_id, task):
    """A split task called inside a coroutine: the loop waits for its lanes."""
    return split_and_wait(run, pool, task_id, task)
