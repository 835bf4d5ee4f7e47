# The I/O tasks: timers, or fetches from a local server; waits or blocking calls.

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
    run.fetch, run.blocking_fetch = fetch, blocking_fetch
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
        if run.fetch is None:
            await asyncio.sleep(latency_us / 1e6)
        else:
            await asyncio.gather(run.fetch(run), asyncio.sleep(latency_us / 1e6))
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
    if run.blocking_fetch is not None:
        run.blocking_fetch(run)
    time.sleep(max(0.0, latency_us / 1e6 - (run.now_us() - start) / 1e6))
    run.span(task_id, "main", "io-wait", start, run.now_us(), "error" if fails else "ok")
    if fails:
        raise OSError(TEXT["io_failed"].format(task=task_id + 1))
    return latency_us
