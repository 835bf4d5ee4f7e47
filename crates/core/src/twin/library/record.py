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
