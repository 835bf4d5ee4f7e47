// End-to-end: the release build served with the isolation headers, loaded
// in headless Chromium: the page isolated, its pool started in a bounded
// time, a CPU run on several workers. Kept apart from page.test.mjs because
// it asserts a time (the pool's start-up): make test runs it alone, never
// beside another file (scripts/test.sh).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { openPage, poolOutcome, servedBrowser, choosePreset } from './browser.mjs';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');
const served = servedBrowser({ dist: DIST });

test('the page loads isolated, starts the pool and runs CPU tasks on several workers', async () => {
  const { page, context, errors } = await openPage(served.browser, served.server.url);
  try {
    assert.equal(await poolOutcome(page), 'ready');
    assert.equal(await page.evaluate(() => window.crossOriginIsolated), true);
    assert.equal(await page.getByTestId('cap-isolated').textContent(), 'yes');
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    assert.equal(Number(await page.getByTestId('cap-cores').textContent()), cores);
    const threads = Number(await page.getByTestId('cap-threads').textContent());
    assert.ok(threads >= 2, `pool threads: ${threads}`);
    const startup = Number(await page.getByTestId('cap-pool-startup-ms').textContent());
    assert.ok(startup > 0 && startup < 20_000, `pool start-up: ${startup} ms`);

    // The dial a blocked main thread freezes, for scripts by its name.
    assert.equal(await page.getByTestId('dial').isVisible(), true);
    await choosePreset(page, 'run-in-executor');
    await page.getByTestId('run').click();
    await page.getByTestId('metric-wall-ms').waitFor({ timeout: 60_000 });
    const lanes = await page.locator('[data-testid=timeline] rect.bar.cpu').evaluateAll(
      (bars) => [...new Set(bars.map((b) => b.getAttribute('aria-label').match(/on the (worker \d+|main thread)/)[1]))],
    );
    assert.ok(lanes.filter((l) => l.startsWith('worker')).length >= 2, `CPU bars on ${lanes}`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
