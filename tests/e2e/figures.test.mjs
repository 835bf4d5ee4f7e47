// End-to-end: the figures mean what their labels say. The automation hook's
// contract (README, "The automation hook"), and each preset's figures against
// what its explanation claims, read from the page as a visitor sees them.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { startServer } from './server.mjs';
import { fastest, hook, launch, openReady, choosePreset } from './browser.mjs';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');

const FIELDS = [
  'wall_ms', 't1_ms', 't1_thread', 'speedup', 'parallelism', 'concurrency', 'in_system', 'efficiency', 'predicted', 'done',
  'pending', 'ok', 'errors', 'cancelled', 'lag_p50_ms', 'lag_p95_ms', 'lag_max_ms', 'long_tasks',
  'frames_missed', 'threads_used', 'threads_given', 'core_share', 'wasm_memory_bytes', 'tasks', 'tasks_total', 'throughput_per_s',
  'start_method', 'process_startup_ms', 'copy_ms', 'build', 'neglected', 'tab_hidden', 'notes',
];
const PREDICTED = ['wall_ms', 'speedup', 'concurrency', 'in_system', 'lag_p95_ms', 'throughput_per_s'];

let browser;
let server;
before(async () => {
  browser = await launch();
  server = await startServer({ dist: DIST });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const ready = () => openReady(browser, server.url);


test('a run whose tab was hidden is flagged, in the results and through the hook', { timeout: 120_000 }, async () => {
  const { page, context, errors } = await ready();
  try {
    const visible = await hook(page, 'w=io&s=conc&io=4&lat=fixed&ms=100');
    assert.equal(visible.tab_hidden, false);
    assert.equal(visible.neglected, null);
    // The tab hidden for 100 ms in the middle of a run, as the browser
    // tells it: document.hidden and a visibilitychange event each way.
    const hide = () => setTimeout(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      document.dispatchEvent(new Event('visibilitychange'));
      setTimeout(() => {
        delete document.hidden;
        document.dispatchEvent(new Event('visibilitychange'));
      }, 100);
    }, 100);
    await page.evaluate(hide);
    const hidden = await hook(page, 'w=io&s=conc&io=4&lat=fixed&ms=500');
    assert.equal(hidden.tab_hidden, true);
    // Clicked in the page, the results say it (waits of up to 500 ms: the
    // tab is hidden in the middle of the run).
    await choosePreset(page, 'io-concurrent');
    await page.locator('#field-ms').fill('500');
    await page.evaluate(hide);
    await page.getByTestId('run').click();
    await page.getByTestId('hidden-note').waitFor({ timeout: 30_000 });
    assert.match(await page.getByTestId('hidden-note').textContent(), /tab was hidden during the run/);
    // The next run, with the tab in front, is not flagged.
    assert.equal((await hook(page, 'w=io&s=conc&io=4&lat=fixed&ms=100')).tab_hidden, false);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the hook returns the documented contract, with null where a figure does not apply', { timeout: 120_000 }, async () => {
  const { page, context, errors } = await ready();
  try {
    const io = await hook(page, 'w=io&s=conc&io=20&lat=fixed&ms=100');
    for (const key of FIELDS) assert.ok(key in io, `missing ${key}`);
    for (const key of ['id', 'kind', 'lane', 'start_ms', 'end_ms', 'handled_ms', 'outcome', 'checksum']) {
      assert.ok(key in io.tasks[0], `missing tasks[].${key}`);
    }
    for (const key of PREDICTED) assert.ok(key in io.predicted, `missing predicted.${key}`);
    // Twenty overlapping 100 ms waits: concurrency, not speed-up.
    assert.ok(io.concurrency > 15, `concurrency ${io.concurrency}`);
    // Nothing queues: every task is in flight from its submission.
    assert.ok(Math.abs(io.in_system - io.concurrency) < 1e-9, `in the system ${io.in_system}`);
    assert.equal(io.speedup, null);
    assert.equal(io.t1_ms, null);
    assert.equal(io.no_speedup, 'no_cpu_work');
    assert.ok(io.parallelism < 0.1, `parallelism ${io.parallelism}`);
    assert.ok(Math.abs(io.predicted.concurrency - 20) < 0.01, `predicted concurrency ${io.predicted.concurrency}`);
    assert.equal(io.tasks.length, 20);
    assert.equal(io.tasks_total, 20);
    assert.equal(io.done.length, 20);
    assert.deepEqual(io.pending, []);
    for (const t of io.tasks) {
      assert.equal(t.kind, 'io');
      assert.equal(t.lane, 'main');
      assert.equal(t.outcome, 'ok');
      assert.ok(t.end_ms - t.start_ms >= 99, `task ${t.id}: ${t.start_ms}–${t.end_ms}`);
    }
    assert.ok(io.wasm_memory_bytes > 0);
    assert.equal(io.process_startup_ms, null);
    assert.equal(io.start_method, null);
    assert.equal(io.copy_ms, null);
    assert.ok(Math.abs(io.throughput_per_s - 20 / (io.wall_ms / 1000)) < 1e-6, `throughput ${io.throughput_per_s}`);
    // The results' sentences: nothing was left pending, so none says so.
    assert.ok(Array.isArray(io.notes) && io.notes.every((n) => typeof n === 'string'), `notes ${io.notes}`);
    assert.ok(io.notes.some((n) => /^The model \(/.test(n)), `notes ${io.notes}`);
    assert.ok(!io.notes.some((n) => /pending|had not finished|cancel/i.test(n)), `notes ${io.notes}`);

    // The process-style pool: start-up and copies measured, and the same
    // results as the shared-memory pool's (its tasks all ran, on processes).
    const proc = await hook(page, 'w=cpu&s=proc&k=2&n=4&kernel=primes&size=100');
    assert.ok(proc.process_startup_ms > 0 && proc.copy_ms > 0, `${proc.process_startup_ms} / ${proc.copy_ms}`);
    assert.equal(proc.start_method, 'fork', 'a link without start= keeps the pool it always had');
    // Processes that load the program themselves take longer to start, and
    // compute the same.
    const spawned = await hook(page, 'w=cpu&s=proc&k=2&n=4&kernel=primes&size=100&start=spawn');
    assert.equal(spawned.start_method, 'spawn');
    assert.equal(spawned.ok, 4);
    assert.ok(spawned.process_startup_ms > proc.process_startup_ms, `${spawned.process_startup_ms} / ${proc.process_startup_ms}`);
    assert.equal(proc.ok, 4);
    assert.equal(proc.build, 'threaded');
    assert.deepEqual([...new Set(proc.tasks.map((t) => t.lane))].sort(), ['process-0', 'process-1']);
    // Each task computes the same in a process of its own as on the shared
    // pool, for every kernel (hash chains differ from task to task).
    for (const kernel of ['primes', 'mandelbrot', 'hash', 'reduce']) {
      const q = `w=cpu&k=2&n=4&kernel=${kernel}&size=20`;
      const [inProcesses, onPool] = [await hook(page, `${q}&s=proc`), await hook(page, `${q}&s=pool`)];
      const sums = (m) => m.tasks.map((t) => t.checksum);
      assert.ok(sums(onPool).every((c) => /^[0-9a-f]{16}$/.test(c)), `${kernel}: ${sums(onPool)}`);
      assert.deepEqual(sums(inProcesses), sums(onPool), kernel);
    }
    assert.notEqual(new Set((await hook(page, 'w=cpu&s=pool&k=2&n=4&kernel=hash&size=20')).tasks.map((t) => t.checksum)).size, 1,
      'checksums tell tasks apart');

    await hook(page, 'w=cpu&s=pool&k=2&n=8&kernel=primes&size=100'); // warm the code up
    // The best of three: one run of a fresh clone's CI once measured T₁ 562
    // against a wall of 565 ms on a busy moment of the shared machine.
    const { best: pool, attempts } = await fastest(() => hook(page, 'w=cpu&s=pool&k=2&n=8&kernel=primes&size=400'));
    assert.ok(pool.t1_ms > pool.wall_ms, `T₁ ${pool.t1_ms} vs wall ${pool.wall_ms} (${attempts})`);
    assert.ok(pool.speedup > 1.4, `speed-up ${pool.speedup} (${attempts})`);
    assert.ok(pool.parallelism > 1.4, `parallelism ${pool.parallelism}`);
    assert.equal(pool.threads_used, 2);
    assert.equal(pool.threads_given, 2);
    assert.ok(Math.abs(pool.efficiency - pool.speedup / 2) < 1e-9);
    // Under the GIL the two threads given take turns: one computes at a
    // time, and efficiency still divides by the two (about 50 %).
    const gil = await hook(page, 'w=cpu&s=gil&k=2&n=4&kernel=primes&size=100');
    assert.equal(gil.threads_given, 2);
    assert.ok(Math.abs(gil.efficiency - gil.speedup / 2) < 1e-9, `efficiency ${gil.efficiency}, speed-up ${gil.speedup}`);
    // Taking turns, its CPU spans are one thread's time: it is its own T₁,
    // on the workers it computed on, and never faster than one thread.
    assert.equal(gil.t1_thread, 'worker');
    assert.ok(gil.t1_ms <= gil.wall_ms * 1.02, `T₁ ${gil.t1_ms} vs wall ${gil.wall_ms}`);
    assert.ok(gil.speedup <= 1.02, `speed-up ${gil.speedup}`);
    // On the main thread, one thread is given: efficiency is the speed-up.
    const inline = await hook(page, 'w=cpu&s=inline&n=2&kernel=primes&size=100');
    assert.equal(inline.threads_given, 1);
    // T₁ like for like (issue 26): timed on the main thread for a run that
    // computes there, on a worker for a pool run; one thread is never
    // faster than one thread.
    assert.equal(inline.t1_thread, 'main');
    assert.equal(pool.t1_thread, 'worker');
    for (const query of ['w=cpu&s=inline&n=3&kernel=primes&size=200', 'w=cpu&s=coop&n=3&kernel=mandelbrot&size=64']) {
      const one = await hook(page, query);
      assert.equal(one.t1_thread, 'main', query);
      assert.ok(one.speedup <= 1.1 && one.efficiency <= 1.1, `${query}: speed-up ${one.speedup}, efficiency ${one.efficiency}`);
    }
    assert.ok(pool.predicted.speedup > 1.9 && pool.predicted.speedup <= 2, `predicted ${pool.predicted.speedup}`);
    const lanes = new Set(pool.tasks.map((t) => t.lane));
    assert.deepEqual([...lanes].sort(), ['worker-0', 'worker-1']);

    // The prediction is made before the run and does not read it: the same
    // experiment twice gets the same prediction whatever the runs measured.
    const again = await hook(page, 'w=cpu&s=pool&k=2&n=8&kernel=primes&size=400');
    assert.deepEqual(again.predicted, pool.predicted);
    assert.equal(again.t1_ms, pool.t1_ms, 'T₁ comes from the session cache');

    // In the system from submission, in flight from the first run: never fewer.
    assert.ok(pool.in_system >= pool.concurrency - 1e-9, `${pool.in_system} < ${pool.concurrency}`);

    const cut = await hook(page, 'w=cpu&s=pool&k=2&n=8&kernel=primes&size=400&timeout=50');
    assert.equal(cut.timed_out, true);
    assert.equal(cut.speedup, null);
    assert.equal(cut.no_speedup, 'incomplete');
    assert.ok(cut.pending.length > 0);
    assert.ok(cut.notes.includes('The wait hit its timeout.'), `notes ${cut.notes}`);
    assert.ok(cut.notes.some((n) => /had not finished when the wait returned: (it was|they were) cancelled\.$/.test(n)), `notes ${cut.notes}`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

// A preset's experiment, as the address bar holds it once the preset is chosen.
async function presetQuery(page, id) {
  await choosePreset(page, id);
  return page.evaluate(() => window.location.search.slice(1));
}

// Each preset's claim, checked on the figures of its experiment run through
// the hook (the experiment's figures, not the page's drawing: what the page
// costs while it draws is measured apart). Speed-ups take the best of three
// runs (five for the tightest claim): a busy shared machine only ever slows
// a run down.
test('each preset keeps the promise of its explanation on this machine', { timeout: 300_000 }, async () => {
  const { page, context, errors } = await ready();
  try {
    await hook(page, 'w=cpu&s=pool&k=2&n=4&kernel=mandelbrot&size=64'); // warm the kernels' code up
    const best = async (query, runs = 3) => {
      const { best: m, attempts } = await fastest(() => hook(page, query), { runs, extra: runs > 1 ? 2 : 0 });
      return { ...m, attempts };
    };
    // asyncio's default executor: min(32, cores + 4) threads.
    const executor = Math.min(32, (await page.evaluate(() => navigator.hardwareConcurrency || 1)) + 4);
    const claims = {
      'io-concurrent': [1, (m) => m.concurrency > 10 && m.speedup === null && m.parallelism < 0.1],
      'cpu-blocks': [1, (m) => m.lag_p95_ms > 100 && m.long_tasks !== 0],
      cooperative: [1, (m) => m.lag_p95_ms < 20 && m.speedup < 1],
      'run-in-executor': [3, (m) => m.speedup > 1.6 && m.parallelism > 1.6 && m.lag_p95_ms < 20],
      'wait-first-completed': [1, (m) => m.done.length >= 1 && m.pending.length >= 1 && m.cancelled >= 1],
      // Eight rounds of five 100 ms waits: Little's law, 5 ÷ 0.1 s = 50 tasks/s at most;
      // at most five in flight, the queued ones in the system besides.
      semaphore: [1, (m) => m.wall_ms >= 795 && m.throughput_per_s <= 50.5 && m.throughput_per_s > 35
        && m.concurrency <= 5.01 && m.concurrency > 3 && m.in_system > 3 * m.concurrency],
      // wait's timeout cancels nothing: the pending run on past the return, to a result.
      // The results say so, and never that they were cancelled.
      'wait-timeout': [1, (m) => m.pending.length >= 1 && m.cancelled === 0
        && m.tasks.some((t) => t.end_ms > m.wall_ms + 20 && t.outcome === 'ok')
        && m.notes.some((n) => /had not finished when the wait returned and ran on to (its result|their results)\.$/.test(n))
        && !m.notes.some((n) => /cancel/i.test(n))],
      // asyncio.timeout cancels them at the deadline.
      'timeout-cancels': [1, (m) => m.timed_out && m.pending.length >= 1 && m.cancelled === m.pending.length
        && m.tasks.every((t) => t.end_ms <= m.wall_ms + 20)],
      // Each result handled as its task ends, in completion order (tasks the
      // loop finds done in the same turn may come in either order).
      'as-completed': [1, (m) => {
        const byHandling = [...m.tasks].sort((a, b) => a.handled_ms - b.handled_ms);
        return m.tasks.every((t) => t.handled_ms !== null && t.handled_ms >= t.end_ms - 1 && t.handled_ms <= t.end_ms + 30)
          && byHandling.every((t, i) => i === 0 || t.end_ms >= byHandling[i - 1].end_ms - 2);
      }],
      // The first failure cancels the siblings still running.
      'task-group': [1, (m) => m.errors >= 1 && m.cancelled >= 1 && m.ok >= 1
        && m.tasks.filter((t) => t.outcome === 'cancelled').every((t) => t.end_ms <= m.wall_ms + 20)],
      // Processes of their own: every task on a process, both computing.
      'process-pool': [3, (m) => m.speedup > 1.3 && m.tasks.every((t) => /^process-/.test(t.lane))
        && new Set(m.tasks.map((t) => t.lane)).size === 2],
      // Forty blocking calls on at most min(32, cores + 4) threads: several
      // rounds, never more calls in flight than threads.
      'to-thread': [1, (m) => m.wall_ms > 190 && Math.abs(m.wall_ms - m.predicted.wall_ms) < 0.25 * m.predicted.wall_ms
        && m.concurrency <= executor + 0.01 && m.in_system > m.concurrency
        // Each call on the lane of an executor thread of its own, not the loop's.
        && m.tasks.every((t) => /^thread-\d+$/.test(t.lane) && Number(t.lane.slice(7)) < executor)],
      mixed: [1, (m) => m.lag_p95_ms > 100 && m.concurrency > 1],
      gil: [1, (m) => m.speedup < 1.2 && m.parallelism < 1.1 && m.concurrency > 1.5],
      'parallel-blocking': [3, (m) => m.speedup > 1.1 && m.lag_p95_ms > 100 && m.parallelism > 1.6],
      // Amdahl: two threads busy only for the parallel 70 %: parallelism near
      // 1 / (0.3 + 0.35) ≈ 1.54, well short of 2, and faster than one thread.
      amdahl: [3, (m) => m.parallelism > 1.2 && m.parallelism < 1.8 && m.speedup > 1 && m.speedup < 1.7],
      mandelbrot: [5, (m) => m.speedup >= 1.7],
    };
    for (const [id, [runs, claim]] of Object.entries(claims)) {
      const query = await presetQuery(page, id);
      const m = await best(query, runs);
      const figures = JSON.stringify({
        speedup: m.speedup, parallelism: m.parallelism, concurrency: m.concurrency, in_system: m.in_system,
        lag_p95_ms: m.lag_p95_ms, done: m.done.length, pending: m.pending.length, wall_ms: m.wall_ms,
        throughput_per_s: m.throughput_per_s, cancelled: m.cancelled, errors: m.errors, predicted_wall_ms: m.predicted.wall_ms,
        tasks: m.tasks.map((t) => [t.id, t.end_ms?.toFixed(1), t.handled_ms?.toFixed(1), t.outcome]),
        notes: m.notes,
      });
      assert.ok(m.predicted.wall_ms > 0, `${id}: predicted wall ${m.predicted.wall_ms}`);
      assert.ok(claim(m), `${id} (${query}) does not keep its promise: ${figures}`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the Amdahl preset swept over k = 1…N, three runs each, fits its serial fraction of 0.3', { timeout: 480_000 }, async () => {
  const { page, context, errors } = await ready();
  try {
    await choosePreset(page, 'amdahl');
    const sweep = async () => {
      await page.getByTestId('sweep-run').click();
      await page.getByTestId('sweep-status').filter({ hasNotText: /^Done/ }).waitFor();
      await page.getByTestId('sweep-status').filter({ hasText: /^Done/ }).waitFor({ timeout: 220_000 });
      const text = await page.getByTestId('sweep-fit').textContent();
      const [, s, error] = /Fitted to the \d+ runs \(dashed\): s = (\d+\.\d+) ± (\d+\.\d+)/.exec(text) ?? [];
      return [text, s, error];
    };
    // Another sweep only while the last missed, three at most: on a shared
    // machine another load can slow some of the twelve runs (seen: s = 0.46
    // ± 0.06; once two sweeps in a row read 0.51 in a full suite).
    let [fit, s, error] = await sweep();
    const fits = [s];
    for (let i = 0; i < 2 && !(Math.abs(Number(s) - 0.3) <= 0.1); i++) {
      [fit, s, error] = await sweep();
      fits.push(s);
    }
    assert.ok(Math.abs(Number(s) - 0.3) <= 0.1, `fitted serial fractions ${fits.join(', ')}; the last: ${fit}`);
    assert.ok(Number(error) < 0.1, `its standard error: ${fit}`);
    assert.match(await page.getByTestId('sweep-karp-flatt').textContent(), /k = 2: /);
    // Every k has its three runs, with axis values, past the pool's threads too.
    const threads = Number(await page.getByTestId('cap-threads').textContent());
    const rows = await page.getByTestId('sweep-table').locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    assert.ok(rows.length >= 3 && rows.length > threads, `${rows.length} k for ${threads} threads`);
    assert.ok(rows.every((r) => r[1] === '3'), JSON.stringify(rows));
    assert.equal(await page.getByTestId('sweep-k').count(), rows.length);
    // Past the threads the model is flat, and so, within noise, are the runs.
    const model = rows.map((r) => Number(r[4]));
    const median = rows.map((r) => Number(r[2]));
    assert.equal(model[threads], model[threads - 1], JSON.stringify(rows));
    assert.ok(median[threads] < median[threads - 1] * 1.25, `a plateau past ${threads} threads: ${JSON.stringify(rows)}`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
