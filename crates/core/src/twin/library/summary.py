# The summary printed last, and the command line.

def neglected_outcome(run, task_id, neglect):
    """How the neglected coroutine ended, from its span. Without one it never
    ran (never awaited), or it was still waiting when main returned, and
    asyncio.run cancels what is left then."""
    ends = [s["outcome"] for s in run.spans if s["task"] == task_id]
    if ends:
        return ends[0]
    return "never ran" if neglect == "unawaited" else "cancelled"


def wait_cause(return_when, done, pending, timed_out=None):
    """Why the wait returned, in the words of Overlap's trace. asyncio.wait
    does not say whether its timeout expired: it did if what it waited for
    had not happened."""
    failed = any(t.done() and not t.cancelled() and t.exception() is not None for t in done)
    if timed_out is None:
        timed_out = bool(pending) and not (
            (return_when == asyncio.FIRST_COMPLETED and done)
            or (return_when == asyncio.FIRST_EXCEPTION and failed))
    if timed_out:
        return "timeout"
    if return_when == asyncio.FIRST_COMPLETED:
        return "first_completed"
    if return_when == asyncio.FIRST_EXCEPTION and failed:
        return "first_exception"
    return "all_completed"


def summary(run, tasks, done, pending, wall_ms, cpu_from=None, neglect=None, start_method=None):
    """The JSON summary: the counts, the checksums of the CPU tasks (those from
    `cpu_from` on), and the CPython that ran them."""
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
            if isinstance(value, tuple):  # a process's trip: its value first
                value = value[0]
        if cpu_from is not None and i >= cpu_from:
            checksums.append(value)
    return dict(experiment=run.experiment, wall_ms=round(wall_ms, 3), done=len(done),
                pending=len(pending), ok=ok, errors=errors, cancelled=cancelled,
                checksums=checksums,
                neglected=neglect and neglected_outcome(run, len(tasks), neglect),
                python=platform.python_version(), gil=gil_enabled(), start_method=start_method)


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
