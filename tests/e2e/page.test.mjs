// End-to-end: the release build served with (and without) the isolation
// headers, loaded in headless Chromium. Nothing here is timed, so make test
// may run this file beside another; the first load's checks, which bound
// the pool's start-up time, are in isolated.test.mjs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { startServer } from './server.mjs';
import { launch, openPage, poolOutcome, choosePreset } from './browser.mjs';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');
const FRESH_LOADS = Number(process.env.OVERLAP_FRESH_LOADS || 30);

let browser;
let isolated;
before(async () => {
  browser = await launch();
  isolated = await startServer({ dist: DIST });
});
after(async () => {
  await browser?.close();
  await isolated?.close();
});

test(`the pool is ready on each of ${FRESH_LOADS} fresh loads`, async () => {
  const outcomes = [];
  for (let i = 0; i < FRESH_LOADS; i++) {
    const { page, context, errors } = await openPage(browser, isolated.url);
    try {
      const state = await poolOutcome(page);
      outcomes.push(state === 'ready' && errors.length === 0 ? 'ready' : `${state} ${errors.join('; ')}`);
    } finally {
      await context.close();
    }
  }
  const failures = outcomes.filter((o) => o !== 'ready');
  assert.deepEqual(failures, [], `${failures.length} of ${FRESH_LOADS} loads failed`);
});

test('when the pool cannot start the page says so and offers a retry', async () => {
  const broken = await startServer({ dist: DIST, refuseWorkers: true });
  try {
    const { page, context } = await openPage(browser, broken.url);
    try {
      assert.equal(await poolOutcome(page), 'failed');
      assert.match(await page.getByTestId('pool-status').textContent(), /could not start/);
      const retry = page.getByTestId('pool-retry');
      assert.ok(await retry.isVisible());
      await retry.focus();
      await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
      assert.equal(await poolOutcome(page), 'failed', 'the retry reloaded and tried again');
      // I/O experiments do not need the pool and still run.
      await choosePreset(page, 'io-concurrent');
      await page.getByTestId('run').click();
      await page.getByTestId('metric-wall-ms').waitFor();
    } finally {
      await context.close();
    }
  } finally {
    await broken.close();
  }
});
