# ---------------------------------------------------------------------------
# The workload, as Overlap's core computes it: same kernels, same sizes, same
# seeded latencies, so each task's checksum equals the page's.
# ---------------------------------------------------------------------------

MASK = (1 << 64) - 1


def rotl(x, r):
    r %= 64
    return ((x << r) | (x >> (64 - r))) & MASK if r else x


def scaled(size, scale, max_size):
    """The task size at `scale`: rounded half up, within the kernel's bounds."""
    return max(1, min(max_size, math.floor(size * scale + 0.5)))


class CpuTask:
    """One CPU task: a size (work units) at a scale, a seed and its index;
    each kernel's subclass says what one unit computes."""

    def __init__(self, size, seed, index, scale=1.0):
        self.size = scaled(size, scale, self.max_size)
        self.seed, self.index = seed, index
        self.steps = self.size

    def phases(self, start, end):
        """Steps start..end as one range (the reduction cuts them by sweep)."""
        return [(start, end)] if start < end else []

    def run_steps(self, start, end):
        """Runs steps start..end; returns their part of the checksum."""
        return sum(self.unit(u) for u in range(start, end)) & MASK

    def run(self):
        return self.run_steps(0, self.steps)

    def serial_steps(self, fraction):
        return min(self.steps, int(self.steps * min(max(fraction, 0.0), 1.0)))


def split(start, end, pieces):
    """start..end cut into at most `pieces` lanes of nearly equal length."""
    per = max(1, -(-(end - start) // max(pieces, 1)))
    return [(a, min(a + per, end)) for a in range(start, end, per)]


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


class Primes(CpuTask):
    max_size = PRIMES_MAX_SIZE

    def unit(self, u):
        return primes_unit(u)


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


class Mandelbrot(CpuTask):
    max_size = MANDELBROT_MAX_SIZE

    def unit(self, u):
        return mandelbrot_unit(self.index, self.size, u)


# Hash chains: SHA-256 applied CHAIN_LEN times to its own output, per unit.


def hash_unit(seed, index, unit):
    digest = hashlib.sha256(struct.pack("<QIQ", seed, index, unit)).digest()
    for _ in range(1, CHAIN_LEN):
        digest = hashlib.sha256(digest).digest()
    return int.from_bytes(digest[:8], "little")


class HashChain(CpuTask):
    max_size = HASH_MAX_SIZE

    def unit(self, u):
        return hash_unit(self.seed, self.index, u)


# Reduction: fill `size` blocks of BLOCK_WORDS 64-bit words, then PASSES read sweeps.


def fill_block(seed, b):
    base = (b * BLOCK_WORDS) & MASK
    return array.array("Q", (seed ^ rotl((base + j) & MASK, 17) for j in range(BLOCK_WORDS)))


def read_block(sweep, block):
    r = sweep * 7
    return sum(rotl(w, r) for w in block) & MASK


class Reduce(CpuTask):
    max_size = REDUCE_MAX_SIZE

    def __init__(self, size, seed, index, scale=1.0):
        super().__init__(size, seed, index, scale)
        self.steps = self.size * (1 + PASSES)
        # The reduction's buffer: one array per block, filled by the first sweep.
        self.blocks = [None] * self.size

    def phases(self, start, end):
        """Steps start..end cut where a new sweep starts: each must finish
        before the next reads what it wrote."""
        out = []
        while start < end:
            stop = min(end, (start // self.size + 1) * self.size)
            out.append((start, stop))
            start = stop
        return out

    def unit(self, u):
        sweep, b = divmod(u, self.size)
        if sweep == 0:
            self.blocks[b] = fill_block(self.seed, b)
            return 0
        return read_block(sweep, self.blocks[b])
