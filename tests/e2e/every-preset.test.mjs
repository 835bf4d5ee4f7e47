// End-to-end: every preset in headless Chromium runs to its end and shows
// its numbers. Nothing here is timed (a wall over 0, a lag that is a
// number, a speed-up written as one), so make test may run this file beside
// another (scripts/test.sh); playground.test.mjs keeps the timed checks.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { openReady, servedBrowser, choosePreset, runAndRead } from './browser.mjs';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');
const served = servedBrowser({ dist: DIST });

const PRESETS = [
  'io-concurrent', 'semaphore', 'wait-first-completed', 'wait-timeout', 'timeout-cancels',
  'as-completed', 'task-group', 'cpu-blocks', 'cooperative', 'run-in-executor', 'process-pool', 'to-thread',
  'mixed', 'gil', 'parallel-blocking', 'amdahl', 'mandelbrot', 'mistake-blocking-call', 'mistake-cpu-to-thread',
  'mistake-never-awaited', 'mistake-exception-lost',
];

const ready = (query = '') => openReady(served.browser, served.server.url + query);

test('every preset runs to completion and shows numbers', { timeout: 300_000 }, async () => {
  const { page, context, errors } = await ready();
  try {
    for (const id of PRESETS) {
      await choosePreset(page, id);
      await page.getByTestId('preset-explanation').filter({ hasNotText: 'Loading' }).waitFor();
      const explanation = await page.getByTestId('preset-explanation').textContent();
      assert.ok(explanation.split(' ').length >= 25, `${id}: "${explanation}"`);
      const m = await runAndRead(page);
      assert.ok(m.wall > 0, `${id}: wall ${m.wall}`);
      assert.ok(Number.isFinite(m.lagP95), `${id}: lag ${m.lagP95}`);
      assert.match(m.speedup, /^(\d+\.\d+|–)$/, `${id}: speed-up text is the number alone`);
      if (id === 'mandelbrot') await page.getByTestId('mandelbrot').waitFor();
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
