// End-to-end: every number keeps to what its definition allows (issue 26,
// point 8). Every preset, and 30 valid experiments drawn from a fixed seed,
// run through the hook; for each: the speed-up is at most the threads the run
// was given (+ 0.1 of noise), and at most 1.1 where one thread computes at a
// time (the main thread, threads under the GIL), efficiency at most 1.05, concurrency at most
// the limit where one is set (a semaphore of `limit` over the I/O tasks),
// concurrency at most the tasks in the system, and no note says
// "cancelled" of a run that cancelled nothing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { random, servedBrowser, openReady, choosePreset } from './browser.mjs';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');
const served = servedBrowser({ dist: DIST });

const PRESETS = [
  'io-concurrent', 'semaphore', 'wait-first-completed', 'wait-timeout', 'timeout-cancels', 'as-completed',
  'task-group', 'cpu-blocks', 'cooperative', 'run-in-executor', 'process-pool', 'to-thread', 'mixed', 'gil',
  'parallel-blocking', 'amdahl', 'mandelbrot', 'mistake-blocking-call', 'mistake-cpu-to-thread',
  'mistake-never-awaited', 'mistake-exception-lost',
];

/** The shared seeded generator, with draws between two bounds: the same 30 experiments every run. */
function generator(seed) {
  const r = random(seed);
  return { int: (lo, hi) => lo + r.int(hi - lo + 1), pick: r.pick };
}

/** The strategies whose CPU work runs on Python threads (`py=` applies). */
const THREADS = ['pool', 'par', 'parblock', 'thread'];

/** An experiment's query, small enough to run in about a second. */
function randomQuery(g) {
  const w = g.pick(['io', 'cpu', 'mixed']);
  // Only the strategies the editor offers for the workload.
  const s = g.pick({
    io: ['seq', 'conc', 'block', 'thread'],
    cpu: ['seq', 'conc', 'inline', 'coop', 'pool', 'par', 'parblock', 'proc', 'thread'],
    mixed: ['seq', 'conc', 'inline', 'block', 'coop', 'pool', 'par', 'parblock', 'proc', 'thread'],
  }[w]);
  const q = { w, s, seed: g.int(1, 1_000_000) };
  // Which Python, where threads compute: each build as often.
  if (THREADS.includes(s)) q.py = g.pick(['gil', 'ft']);
  if (w !== 'cpu') {
    const ms = g.int(5, 80);
    Object.assign(q, {
      io: g.int(1, s === 'block' ? 6 : 40), lat: g.pick(['fixed', 'uniform', 'exp', 'lognormal']), ms,
      spread: g.int(0, ms), fail: g.pick([0, 0, 0.2]),
    });
    if (g.int(0, 2) === 0) q.limit = g.int(1, 8);
  }
  if (w !== 'io') {
    Object.assign(q, { n: g.int(1, 12), kernel: g.pick(['primes', 'mandelbrot', 'hash', 'reduce']), size: g.int(10, 150) });
  }
  q.k = g.int(1, 4);
  if (g.int(0, 3) === 0) q.rw = g.pick(['first', 'exception']);
  if (g.int(0, 3) === 0) q.timeout = g.int(20, 400);
  if (g.int(0, 2) === 0) q.after = g.pick(['cancel', 'finish']);
  if (g.int(0, 3) === 0) q.by = g.pick(['gather', 'group', 'ascompleted']);
  return new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)])).toString();
}

const run = (page, query) =>
  page.evaluate((q) => window.wasmBindings.runExperiment(q).then(JSON.parse, (e) => ({ rejected: String(e.message ?? e) })), query);

/** What the figures of one run may not break; the failures, in words. */
function broken(query, m) {
  const out = [];
  if (m.speedup !== null && m.speedup > m.threads_given + 0.1) out.push(`speed-up ${m.speedup} > ${m.threads_given} threads given + 0.1`);
  if (m.efficiency !== null && m.efficiency > 1.05) out.push(`efficiency ${m.efficiency} > 1.05`);
  // One thread at a time (the main thread, or threads taking turns under
  // the GIL) is never faster than one thread.
  const p = new URLSearchParams(query);
  const s = p.get('s') ?? 'conc';
  // A link without py= means the GIL for to_thread (and the old s=gil).
  const py = p.get('py') ?? (['thread', 'gil'].includes(s) ? 'gil' : 'ft');
  const oneAtATime = ['seq', 'conc', 'inline', 'coop', 'gil'].includes(s) || (THREADS.includes(s) && py === 'gil');
  if (oneAtATime && m.speedup !== null && m.speedup > 1.1) out.push(`speed-up ${m.speedup} > 1.1 for one thread at a time`);
  // The semaphore holds the I/O tasks: in a mixed run the CPU tasks are in
  // flight beside them.
  const params = new URLSearchParams(query);
  const limit = params.get('limit');
  if (limit !== null && params.get('w') === 'io' && m.concurrency !== null && m.concurrency > Number(limit) + 0.01) {
    out.push(`concurrency ${m.concurrency} > limit ${limit}`);
  }
  if (m.cancelled === 0 && m.notes.some((n) => /cancel/i.test(n))) out.push(`a note speaks of cancelling: ${m.notes.find((n) => /cancel/i.test(n))}`);
  if (m.in_system !== null && m.concurrency !== null && m.concurrency > m.in_system + 1e-9) out.push(`concurrency ${m.concurrency} > in the system ${m.in_system}`);
  return out;
}

test('every preset and 30 random experiments keep their figures within their definitions', { timeout: 600_000 }, async (t) => {
  const { page, context, errors } = await openReady(served.browser, served.server.url);
  try {
    const failures = [];
    const check = async (name, query) => {
      const m = await run(page, query);
      if (m.rejected) {
        t.diagnostic(`${name} (${query}) refused: ${m.rejected}`);
        return false;
      }
      for (const why of broken(query, m)) failures.push(`${name} (${query}): ${why}`);
      return true;
    };
    for (const id of PRESETS) {
      await choosePreset(page, id);
      const query = await page.evaluate(() => window.location.search.slice(1));
      assert.ok(await check(id, query), `preset ${id} (${query}) was rejected`);
    }
    const g = generator(20261207);
    let valid = 0;
    let drawn = 0;
    while (valid < 30) {
      drawn += 1;
      assert.ok(drawn < 300, `only ${valid} valid experiments in ${drawn} draws`);
      if (await check(`random ${valid + 1}`, randomQuery(g))) valid += 1;
    }
    assert.deepEqual(failures, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
