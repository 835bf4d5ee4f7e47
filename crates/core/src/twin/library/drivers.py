# ---------------------------------------------------------------------------
# The strategies' drivers: each program calls the one its strategy uses.
# ---------------------------------------------------------------------------

async def in_sequence(run, io, cpu, futures):
    """Awaits each I/O task in turn, then runs each CPU task on the loop."""
    n_io = len(io)
    for i, (us, fails) in enumerate(io):
        await settle(futures[i], io_task(run, i, us, fails))
    for j, task in enumerate(cpu):
        # No await between CPU tasks: nothing else runs until the last ends.
        settle_now(futures[n_io + j], cpu_task, run, n_io + j, task)


async def on_the_loop(run, n_io, cpu, futures):
    """Runs each CPU task on the event loop's thread: every timer waits."""
    for j, task in enumerate(cpu):
        settle_now(futures[j], cpu_task, run, n_io + j, task)


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


def process_job(task, t0):
    """Runs in a worker process: the task travels there pickled, its result back."""
    start = time.perf_counter()
    value = task.run()
    end = time.perf_counter()
    return value, round((start - t0) * 1e6), round((end - t0) * 1e6), os.getpid()


async def in_process(run, loop, pool, task_id, task):
    value, start, end, pid = await loop.run_in_executor(pool, process_job, task, run.t0)
    with run.lock:
        processes = sum(1 for key in run.lanes if isinstance(key, tuple))
        lane = run.lanes.setdefault(("process", pid), f"process-{processes}")
    run.span(task_id, lane, "cpu", start, end)
    return value


async def split_run(run, loop, pool, task_id, task):
    """One task split over the pool: its serial part first, then the rest in
    WORKERS lanes (sweep by sweep for the reduction)."""
    serial = task.serial_steps(SERIAL_FRACTION)
    value = 0
    if serial:
        value += await loop.run_in_executor(pool, cpu_steps, run, task_id, task, 0, serial)
    for a, b in task.phases(serial, task.steps):
        lanes = [loop.run_in_executor(pool, cpu_steps, run, task_id, task, x, y)
                 for x, y in split(a, b, WORKERS)]
        value += sum(await asyncio.gather(*lanes))
    return value & MASK


async def one_split_task_at_a_time(run, loop, pool, n_io, cpu, futures):
    for j, task in enumerate(cpu):
        await settle(futures[j], split_run(run, loop, pool, n_io + j, task))


def split_and_wait(run, pool, task_id, task):
    """One task split over the pool, called on the loop: it waits for the
    lanes (pool.map), and the loop waits with it."""
    serial = task.serial_steps(SERIAL_FRACTION)
    value = cpu_steps(run, task_id, task, 0, serial) if serial else 0
    for a, b in task.phases(serial, task.steps):
        lanes = split(a, b, WORKERS)
        value += sum(pool.map(lambda r: cpu_steps(run, task_id, task, *r), lanes))
    return value & MASK


async def split_on_the_loop(run, pool, n_io, cpu, futures):
    for j, task in enumerate(cpu):
        settle_now(futures[j], split_and_wait, run, pool, n_io + j, task)
