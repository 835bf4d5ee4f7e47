// End-to-end: a worker that dies does not cost the visitor a reload (issue
// 14). Opened with debug=faults, the hook offers injectFault; a pool worker
// that traps ends its run with a message naming it, and the page rebuilds
// its pool over fresh memory by itself, keeping the experiment, the editor
// and the kept runs; the next run uses every worker. Ten times in a row in
// one page, for the thread pool and for the process-style pool.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { hook, openReady, servedBrowser } from './browser.mjs';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');
const served = servedBrowser({ dist: DIST });
const ROUNDS = 10;

const workers = (summary) =>
  new Set(summary.tasks.map((t) => t.lane).filter((lane) => lane !== 'main')).size;
const poolThreads = (page) =>
  page.evaluate(() => Number(/(\d+) workers/.exec(document.querySelector('[data-testid="pool-status"]').textContent)?.[1]));

test('without debug=faults the hook has no injectFault', { timeout: 60_000 }, async () => {
  const { page, context } = await openReady(served.browser, served.server.url);
  try {
    assert.equal(await page.evaluate(() => typeof window.wasmBindings.runExperiment), 'function');
    assert.equal(await page.evaluate(() => 'injectFault' in window.wasmBindings), false);
  } finally {
    await context.close();
  }
});

test('a pool worker that dies: the run says so, the pool is rebuilt without a reload, ten times', { timeout: 300_000 }, async (t) => {
  const url = `${served.server.url}?debug=faults&w=cpu&s=pool&k=2&n=6&size=300`;
  const { page, context, errors } = await openReady(served.browser, url);
  try {
    // No link problem for the page's own key.
    assert.equal(await page.getByTestId('error').count(), 0);
    const threads = await poolThreads(page);
    assert.ok(threads >= 2, `${threads} workers`);
    assert.equal(await page.evaluate(() => typeof window.wasmBindings.injectFault), 'function');
    await assert.rejects(page.evaluate(() => window.wasmBindings.injectFault('meteor')), /unknown fault/);
    // A kept run, and an edit that is in the editor only.
    await page.getByTestId('run').click();
    await page.getByTestId('history-item').first().waitFor({ timeout: 60_000 });
    await page.locator('#field-n').fill('5');
    await page.locator('#field-n').press('Tab');
    await page.waitForFunction(() => /n=5/.test(location.search));
    const kept = await page.getByTestId('history-item').count();
    // A reload would lose this mark.
    await page.evaluate(() => { window.neverReloaded = true; });

    for (let round = 1; round <= ROUNDS; round += 1) {
      await page.getByTestId('run').waitFor({ state: 'visible' });
      await page.waitForFunction(() => !document.querySelector('[data-testid="run"]').disabled);
      const clicked = await page.evaluate(() => {
        window.wasmBindings.injectFault('worker-trap');
        return performance.now();
      });
      await page.getByTestId('run').click();
      const banner = page.locator(`[data-testid="recovered"][data-state="rebuilt"][data-count="${round}"]`);
      await banner.waitFor({ timeout: 30_000 });
      const heard = await page.evaluate(() => window.overlapRecovery.beganMs);
      // The click's own set-up (calibration, a frame) is in this too.
      assert.ok(heard - clicked < 2_000, `round ${round}: the death was heard ${heard - clicked} ms after the click`);
      const rebuildMs = Number(await banner.getAttribute('data-rebuild-ms'));
      t.diagnostic(`round ${round}: heard ${(heard - clicked).toFixed(0)} ms after the click, rebuilt in ${rebuildMs} ms`);
      const cause = await page.getByTestId('recovered-cause').textContent();
      assert.match(cause, /worker \d+ died while running task \d+ \(RuntimeError: [^)]*unreachable[^)]*\)/, cause);
      assert.equal(await page.evaluate(() => window.neverReloaded), true, 'the page reloaded');
      await page.getByTestId('pool-status').and(page.locator('[data-state="ready"]')).waitFor();
      assert.equal(await poolThreads(page), threads);
      // Nothing the visitor had is lost.
      assert.equal(await page.locator('#field-n').inputValue(), '5');
      assert.match(await page.evaluate(() => location.search), /n=5/);
      assert.ok(await page.getByTestId('history-item').count() >= kept);
      // The next run uses every worker.
      const next = await hook(page, `w=cpu&s=pool&k=${threads}&n=${threads * 6}&size=300`);
      assert.equal(next.ok, threads * 6);
      assert.equal(next.pool_threads, threads);
      assert.equal(workers(next), threads, `round ${round}: lanes ${next.tasks.map((t) => t.lane)}`);
    }
    if (process.env.RECOVERY_SHOT) await page.screenshot({ path: process.env.RECOVERY_SHOT });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a process that dies: the run says so and the next run has every process, ten times', { timeout: 300_000 }, async () => {
  const url = `${served.server.url}?debug=faults&w=cpu&s=proc&k=2&n=4&size=300`;
  const { page, context, errors } = await openReady(served.browser, url);
  try {
    await page.evaluate(() => { window.neverReloaded = true; });
    for (let round = 1; round <= ROUNDS; round += 1) {
      await page.waitForFunction(() => !document.querySelector('[data-testid="run"]').disabled);
      await page.evaluate(() => window.wasmBindings.injectFault('worker-trap'));
      const clicked = Date.now();
      await page.getByTestId('run').click();
      const message = await page.getByTestId('run-error').textContent({ timeout: 30_000 });
      assert.ok(Date.now() - clicked < 5_000, `round ${round}: ${Date.now() - clicked} ms`);
      assert.match(message, /BrokenProcessPool.*process \d+ failed while running task \d+ \(.*RuntimeError/, message);
      const next = await hook(page, 'w=cpu&s=proc&k=2&n=6&size=300');
      assert.equal(next.ok, 6);
      assert.equal(workers(next), 2, `round ${round}: lanes ${next.tasks.map((t) => t.lane)}`);
    }
    assert.equal(await page.evaluate(() => window.neverReloaded), true, 'the page reloaded');
    assert.equal(await page.getByTestId('recovered').count(), 0, 'a process is not the thread pool');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
