# ---------------------------------------------------------------------------
# The workload, as Overlap's core computes it: same kernels, same sizes, same
# seeded latencies, so each task's checksum equals the page's.
# ---------------------------------------------------------------------------

MASK = (1 << 64) - 1


def rotl(x, r):
    r %= 64
    return ((x << r) | (x >> (64 - r))) & MASK if r else x


# Primes: count the primes in blocks of PRIMES_BLOCK integers from PRIMES_BASE up.


def is_prime(n):
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    limit, d = math.isqrt(n), 3
    while d <= limit:
        if n % d == 0:
            return False
        d += 2
    return True


def primes_unit(u):
    lo = PRIMES_BASE + u * PRIMES_BLOCK
    return sum(1 for n in range(lo, lo + PRIMES_BLOCK) if is_prime(n))


# Mandelbrot: task i renders tile i of a GRID x GRID grid, one row of COLS pixels per unit.


def escape_time(cx, cy):
    zx = zy = 0.0
    i = 0
    while i < MAX_ITER:
        x2, y2 = zx * zx, zy * zy
        if x2 + y2 > 4.0:
            break
        zy = 2.0 * zx * zy + cy
        zx = x2 - y2 + cx
        i += 1
    return i


def mandelbrot_unit(index, rows, row):
    tile = index % (GRID * GRID)
    tile_span = SPAN / GRID
    x0 = X_MIN + (tile % GRID) * tile_span
    y0 = Y_MIN + (tile // GRID) * tile_span
    cy = y0 + (row + 0.5) * tile_span / max(rows, 1)
    return sum(escape_time(x0 + (col + 0.5) * tile_span / COLS, cy) for col in range(COLS))


# Hash chains: SHA-256 applied CHAIN_LEN times to its own output, per unit.


def hash_unit(seed, index, unit):
    digest = hashlib.sha256(struct.pack("<QIQ", seed, index, unit)).digest()
    for _ in range(1, CHAIN_LEN):
        digest = hashlib.sha256(digest).digest()
    return int.from_bytes(digest[:8], "little")


# Reduction: fill `size` blocks of BLOCK_WORDS 64-bit words, then PASSES read sweeps.


def fill_block(seed, b):
    base = (b * BLOCK_WORDS) & MASK
    return array.array("Q", (seed ^ rotl((base + j) & MASK, 17) for j in range(BLOCK_WORDS)))


def read_block(sweep, block):
    r = sweep * 7
    return sum(rotl(w, r) for w in block) & MASK


def scaled(size, kernel, scale):
    """The task size at `scale`: rounded half up, within the kernel's bounds."""
    return max(1, min(MAX_SIZE[kernel], math.floor(size * scale + 0.5)))


class CpuTask:
    """One CPU task: a kernel, a size (work units), a seed and its index."""

    def __init__(self, kernel, size, seed, index):
        self.kernel, self.size, self.seed, self.index = kernel, size, seed, index
        self.steps = size * (1 + PASSES) if kernel == "reduce" else size
        # The reduction's buffer: one array per block, filled by the first sweep.
        self.blocks = [None] * size if kernel == "reduce" else None

    def phases(self, start, end):
        """Steps start..end cut where the reduction starts a new sweep (it
        must finish one before the next); one range for the other kernels."""
        if self.kernel != "reduce":
            return [(start, end)] if start < end else []
        out = []
        while start < end:
            stop = min(end, (start // self.size + 1) * self.size)
            out.append((start, stop))
            start = stop
        return out

    def run_steps(self, start, end):
        """Runs steps start..end; returns their part of the checksum."""
        total = 0
        for u in range(start, end):
            if self.kernel == "primes":
                total += primes_unit(u)
            elif self.kernel == "mandelbrot":
                total += mandelbrot_unit(self.index, self.size, u)
            elif self.kernel == "hash":
                total += hash_unit(self.seed, self.index, u)
            else:
                sweep, b = divmod(u, self.size)
                if sweep == 0:
                    self.blocks[b] = fill_block(self.seed, b)
                else:
                    total += read_block(sweep, self.blocks[b])
        return total & MASK

    def run(self):
        return self.run_steps(0, self.steps)

    def serial_steps(self, fraction):
        return min(self.steps, int(self.steps * min(max(fraction, 0.0), 1.0)))


def split(start, end, pieces):
    """start..end cut into at most `pieces` lanes of nearly equal length."""
    per = max(1, -(-(end - start) // max(pieces, 1)))
    return [(a, min(a + per, end)) for a in range(start, end, per)]


# I/O latencies: PCG XSL RR 128/64 (MCG) seeded through SplitMix64, as core's io_model.
PCG_MULT = 0x2360ED051FC65DA44385DF649FCCF645
MASK128 = (1 << 128) - 1


def splitmix64(x):
    z = (x + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


class Pcg:
    def __init__(self, seed, stream):
        a = splitmix64(seed ^ splitmix64(stream))
        self.state = ((a << 64) | splitmix64(a)) | 1

    def next_u64(self):
        self.state = (self.state * PCG_MULT) & MASK128
        rot = self.state >> 122
        xsl = ((self.state >> 64) ^ self.state) & MASK
        return ((xsl >> rot) | (xsl << (64 - rot))) & MASK if rot else xsl

    def unit(self):
        return (self.next_u64() >> 11) * (1.0 / (1 << 53))


def io_workload(n, seed, distribution, latency_ms, spread_ms, sigma, cap_ms, failure_rate):
    """The I/O tasks' latencies (whole microseconds) and injected failures."""
    lat, fail = Pcg(seed, 1), Pcg(seed, 2)
    out = []
    for _ in range(n):
        u1, u2 = lat.unit(), lat.unit()
        if distribution == "fixed":
            ms = latency_ms
        elif distribution == "uniform":
            ms = latency_ms - spread_ms + 2.0 * spread_ms * u1
        elif distribution == "exponential":
            ms = -latency_ms * math.log(1.0 - u1)
        else:
            z = math.sqrt(-2.0 * math.log(1.0 - u1)) * math.cos(2.0 * math.pi * u2)
            ms = latency_ms * math.exp(sigma * z)
        cap = round_half_away(max(cap_ms, 0.0) * 1000.0)
        us = ms * 1000.0
        # As core: NaN is 0, the rest within 0..=cap (which also tames infinity).
        us = 0 if us != us else min(round_half_away(min(max(us, 0.0), cap)), cap)
        out.append((int(us), fail.unit() < failure_rate))
    return out


def round_half_away(x):
    return math.floor(x + 0.5) if x >= 0 else -math.floor(-x + 0.5)


# ---------------------------------------------------------------------------
# The run's record: spans on lanes (the loop's thread is "main"), as
# Overlap's trace, and the summary printed last.
# ---------------------------------------------------------------------------


class Run:
    def __init__(self, experiment):
        self.experiment = experiment
        self.t0 = time.perf_counter()
        self.spans = []
        self.lanes = {}
        self.lock = threading.Lock()
        # Where fetch tasks send their requests (None: their waits are timers).
        self.address = None
        self.connections = None

    def now_us(self):
        return round((time.perf_counter() - self.t0) * 1e6)

    def lane(self):
        if threading.current_thread() is threading.main_thread():
            return "main"
        with self.lock:
            key = threading.get_ident()
            return self.lanes.setdefault(key, f"worker-{len(self.lanes)}")

    def span(self, task, lane, kind, start_us, end_us, outcome="ok"):
        with self.lock:
            self.spans.append(dict(task=task, lane=lane, kind=kind, start_us=start_us,
                                   end_us=max(end_us, start_us), outcome=outcome))

    def write_trace(self, path):
        trace = dict(schema="overlap-trace", version=1, time_unit="us",
                     experiment=self.experiment, dropped_spans=0,
                     spans=sorted(self.spans, key=lambda s: (s["start_us"], s["task"])))
        with open(path, "w", encoding="utf-8") as f:
            json.dump(trace, f)


SAMPLE = b"Overlap's I/O sample: the bytes one fetch task downloads.\n" * 16


async def serve_sample(run):
    """A local HTTP server answering every request with SAMPLE, as the page's
    fetch tasks get a file served beside the page. Returns the server."""
    async def answer(reader, writer):
        try:
            while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                pass
            writer.write(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n" % len(SAMPLE) + SAMPLE)
            await writer.drain()
        finally:
            writer.close()
    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    run.address = server.sockets[0].getsockname()[:2]
    # A browser opens at most six connections to one server at a time.
    run.connections = asyncio.Semaphore(6)
    return server


async def fetch(run):
    """One GET of the sample from the local server; returns the body's size."""
    async with run.connections:
        reader, writer = await asyncio.open_connection(*run.address)
        try:
            writer.write(b"GET /io-sample.txt HTTP/1.0\r\nHost: localhost\r\n\r\n")
            await writer.drain()
            head, _, body = (await reader.read()).partition(b"\r\n\r\n")
        finally:
            writer.close()
    if not head.startswith(b"HTTP/1.0 200"):
        raise OSError(TEXT["http_error"].format(head=repr(head[:40])))
    return len(body)


def blocking_fetch(run):
    """The same GET, blocking its thread (for asyncio.to_thread)."""
    with urllib.request.urlopen("http://%s:%d/io-sample.txt" % run.address) as answer:
        return len(answer.read())


async def io_task(run, task_id, latency_us, fails):
    """An I/O wait on the event loop: a timer, or a real request answered no
    sooner than the drawn latency (a slow server); raises when the workload
    says it fails."""
    start = run.now_us()
    try:
        if run.address is None:
            await asyncio.sleep(latency_us / 1e6)
        else:
            await asyncio.gather(fetch(run), asyncio.sleep(latency_us / 1e6))
    except asyncio.CancelledError:
        run.span(task_id, "main", "io-wait", start, run.now_us(), "cancelled")
        raise
    run.span(task_id, "main", "io-wait", start, run.now_us(), "error" if fails else "ok")
    if fails:
        raise OSError(TEXT["io_failed"].format(task=task_id + 1))
    return latency_us


async def blocking_on_the_loop(run, task_id, latency_us, fails):
    """The classic mistake: a coroutine that makes a blocking call (time.sleep
    stands for a blocking client) and awaits nothing. It holds the event loop
    for the whole call: no other task, callback or timer runs meanwhile."""
    start = run.now_us()
    time.sleep(latency_us / 1e6)
    run.span(task_id, "main", "blocked", start, run.now_us(), "error" if fails else "ok")
    if fails:
        raise OSError(TEXT["io_failed"].format(task=task_id + 1))
    return latency_us


def blocking_io(run, task_id, latency_us, fails, submitted_us):
    """An I/O call that blocks its thread (time.sleep stands for a blocking
    client); run by asyncio.to_thread, it waits in the executor's queue first."""
    start = run.now_us()
    if start > submitted_us:
        run.span(task_id, "main", "queued", submitted_us, start)
    if run.address is not None:
        blocking_fetch(run)
    time.sleep(max(0.0, latency_us / 1e6 - (run.now_us() - start) / 1e6))
    run.span(task_id, "main", "io-wait", start, run.now_us(), "error" if fails else "ok")
    if fails:
        raise OSError(TEXT["io_failed"].format(task=task_id + 1))
    return latency_us


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


def neglected_outcome(run, task_id, neglect):
    """How the neglected coroutine ended, from its span. Without one it never
    ran (never awaited), or it was still waiting when main returned, and
    asyncio.run cancels what is left then."""
    ends = [s["outcome"] for s in run.spans if s["task"] == task_id]
    if ends:
        return ends[0]
    return "never ran" if neglect == "unawaited" else "cancelled"


def summary(run, tasks, done, pending, wall_ms, n_io, neglect=None):
    ok = errors = cancelled = 0
    checksums = []
    for i, t in enumerate(tasks):
        value = None
        if t.cancelled():
            cancelled += 1
        elif t.exception() is not None:
            errors += 1
            print(TEXT["task_failed"].format(task=i + 1, error=t.exception()))
        else:
            ok += 1
            value = t.result()
        if i >= n_io:
            checksums.append(value)
    return dict(experiment=run.experiment, wall_ms=round(wall_ms, 3), done=len(done),
                pending=len(pending), ok=ok, errors=errors, cancelled=cancelled,
                checksums=checksums,
                neglected=neglect and neglected_outcome(run, len(tasks), neglect))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0,
                        help=TEXT["help_scale"])
    parser.add_argument("--trace", metavar="FILE",
                        help=TEXT["help_trace"])
    args = parser.parse_args()
    if not (args.scale > 0 and math.isfinite(args.scale)):
        parser.error(TEXT["scale_positive"])
    return args


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
