# ---------------------------------------------------------------------------
# The run's record: spans on lanes (the loop's thread is "main"), as
# Overlap's trace, and the summary printed last.
# ---------------------------------------------------------------------------


def gil_enabled():
    """Whether this CPython runs with its GIL (only a free-threaded build can run without)."""
    return getattr(sys, "_is_gil_enabled", lambda: True)()


class Run:
    def __init__(self, experiment):
        self.experiment = experiment
        self.t0 = time.perf_counter()
        self.spans = []
        self.lanes = {}
        self.lock = threading.Lock()
        # Where fetch tasks send their requests, and how (None: their waits are
        # timers); serve_sample sets them.
        self.address = self.connections = None
        self.fetch = self.blocking_fetch = None

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

    def write_trace(self, path, wall_ms, cause, scale):
        """Writes the run as Overlap's trace (version 2): its spans, when and
        why the wait returned (the run's wall ends there), the scale of its
        CPU sizes, and the CPython that ran it (whether its GIL was on)."""
        trace = dict(schema="overlap-trace", version=2, time_unit="us",
                     experiment=self.experiment, dropped_spans=0,
                     wait=dict(at_us=round(wall_ms * 1000), cause=cause), scale=scale,
                     python=dict(version=sys.version.split()[0], gil=gil_enabled()),
                     spans=sorted(self.spans, key=lambda s: (s["start_us"], s["task"])))
        with open(path, "w", encoding="utf-8") as f:
            json.dump(trace, f)
