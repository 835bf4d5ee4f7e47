// End-to-end: the largest valid experiment of each workload runs to its end
// in the page, and the wasm memory it needed (the hook's
// `wasm_memory_bytes` after the run: the memory only grows, so this is the
// run's peak) stays under half of the 1 GiB shared-memory ceiling. Each
// runs in a fresh page, so that each peak is its own. The experiments are
// core's largest (`bounds::largest_valid_experiment`: 100,000 I/O tasks, 256
// reduction tasks splitting the 320 MiB kernel-data budget, k = 64), per
// workload, and the reduction's largest tasks (64 MiB each, 5 of them).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { openReady, servedBrowser } from './browser.mjs';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');
const served = servedBrowser({ dist: DIST });
const HALF_CEILING = 512 * 1024 * 1024;

const LARGEST = [
  ['io', 'w=io&s=conc&io=100000&lat=fixed&ms=200', 100_000],
  ['cpu', 'w=cpu&s=pool&n=256&kernel=reduce&size=20&k=64', 256],
  ['cpu, largest tasks', 'w=cpu&s=pool&n=5&kernel=reduce&size=1024&k=64', 5],
  ['mixed', 'w=mixed&s=pool&io=100000&n=256&kernel=reduce&size=20&k=64', 100_256],
];

for (const [workload, query, tasks] of LARGEST) {
  test(`the largest ${workload} experiment runs to its end under half the memory ceiling`, { timeout: 300_000 }, async (t) => {
    const { page, context, errors } = await openReady(served.browser, served.server.url);
    try {
      const before = await page.evaluate(() =>
        window.wasmBindings.runExperiment('w=io&s=conc&io=1&lat=fixed&ms=1&spread=0').then(JSON.parse));
      const run = await page.evaluate((q) => window.wasmBindings.runExperiment(q).then(JSON.parse), query);
      assert.equal(run.tasks_total, tasks);
      assert.equal(run.ok, tasks, `${run.errors} errors, ${run.cancelled} cancelled`);
      const mib = (bytes) => (bytes / 1024 / 1024).toFixed(1);
      t.diagnostic(`${workload}: ${query}: peak ${mib(run.wasm_memory_bytes)} MiB (${mib(before.wasm_memory_bytes)} MiB before), wall ${run.wall_ms.toFixed(0)} ms`);
      assert.ok(run.wasm_memory_bytes < HALF_CEILING, `${run.wasm_memory_bytes} bytes`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}
