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
        us = ms * 1000.0
        if distribution in ("fixed", "uniform"):
            us = round_half_away(max(us, 0.0))
        else:
            cap = round_half_away(max(cap_ms, 0.0) * 1000.0)
            # As core: NaN is 0, the rest within 0..=cap (which also tames infinity).
            us = 0 if us != us else min(round_half_away(min(max(us, 0.0), cap)), cap)
        out.append((int(us), fail.unit() < failure_rate))
    return out


def round_half_away(x):
    return math.floor(x + 0.5) if x >= 0 else -math.floor(-x + 0.5)
