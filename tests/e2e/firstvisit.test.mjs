// End-to-end: a learner's first visit — the story's first preset, the
// diagnostics in one line, the explanation kept while varying a preset, the
// variation run beside the first, and no stale timeline after a switch.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { openPage, openReady, servedBrowser, choosePreset } from './browser.mjs';
import { startServer } from './server.mjs';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');
const served = servedBrowser({ dist: DIST });

const bars = (page) => page.locator('.timeline-panel [data-testid="timeline"] rect.bar').count();

test('a page opened without a query lands on the first preset, diagnostics in one line', async () => {
  const { page, context, errors } = await openReady(served.browser, served.server.url);
  try {
    assert.equal(await page.getByTestId('preset-io-concurrent').getAttribute('aria-pressed'), 'true');
    // The explanations are fetched from beside the page, right after start-up.
    await page.getByTestId('preset-explanation').filter({ hasText: /Twenty tasks wait on I\/O/ }).waitFor();
    const diagnostics = page.getByTestId('diagnostics');
    assert.equal(await diagnostics.evaluate((d) => d.open), false, 'healthy: collapsed');
    assert.match(await page.getByTestId('pool-status').textContent(), /^threaded · \d+ workers? · isolated$/);
    assert.equal(await page.getByTestId('cap-isolated').isVisible(), false);
    // Details on demand.
    await diagnostics.locator('summary').click();
    assert.equal(await page.getByTestId('cap-isolated').isVisible(), true);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the diagnostics open by themselves when something is wrong', async () => {
  // No isolation headers and no service worker: the fallback build.
  const plain = await startServer({ dist: DIST, isolated: false });
  const { page, context } = await openPage(served.browser, plain.url, { serviceWorkers: 'block' });
  try {
    await page.locator('[data-testid="pool-status"][data-state="absent"]').waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('diagnostics').evaluate((d) => d.open), true);
    assert.equal(await page.getByTestId('pool-status').textContent(), 'single-thread fallback · no thread pool · not isolated');
    assert.equal(await page.getByTestId('cap-isolated').isVisible(), true);
  } finally {
    await context.close();
    await plain.close();
  }
});

test('a preset stays explained while varied, and its variation runs beside the first run', { timeout: 120_000 }, async () => {
  const { page, context, errors } = await openReady(served.browser, served.server.url);
  try {
    await choosePreset(page, 'io-concurrent');
    assert.equal(await page.getByTestId('variation-run').count(), 0, 'offered once the preset has run');
    await page.getByTestId('run').click();
    await page.getByTestId('metric-wall-ms').waitFor({ timeout: 60_000 });
    const concurrentWall = Number(await page.getByTestId('metric-wall-ms').textContent());
    await page.getByTestId('variation-run').click();
    await page.getByTestId('variation-compare').waitFor({ timeout: 60_000 });
    // The explanation is still there, with what the variation changed.
    assert.match(await page.getByTestId('preset-explanation').textContent(), /Twenty tasks wait on I\/O/);
    // Parameters by their labels and values, never link tokens.
    assert.match(await page.getByTestId('preset-changes').textContent(), /Strategy: Concurrent await → Sequential await/);
    assert.equal(await page.locator('#field-s').inputValue(), 'seq');
    // Both runs side by side: sequential pays every wait, so it is slower.
    const compare = page.getByTestId('variation-compare');
    assert.equal(await compare.locator('[data-testid="timeline"]').count(), 2);
    assert.match(await compare.getByTestId('compare-params').textContent(), /Concurrent await → Sequential await/);
    // Two runs of one name are told apart in the verdict.
    const verdict = await compare.getByTestId('compare-speedup').textContent();
    const named = [...verdict.matchAll(/“([^”]+)”/g)].map((m) => m[1]);
    assert.equal(named.length, 2, verdict);
    assert.notEqual(named[0], named[1], verdict);
    const sequentialWall = Number(await page.getByTestId('metric-wall-ms').textContent());
    assert.ok(sequentialWall > 5 * concurrentWall, `sequential ${sequentialWall} ms vs concurrent ${concurrentWall} ms`);
    // An edit by hand is listed too, and the explanation stays.
    await page.locator('#field-io').fill('10');
    assert.match(await page.getByTestId('preset-changes').textContent(), /20 → 10/);
    // What the editor holds, as typed: an invalid 0 reads 0.
    await page.locator('#field-io').fill('0');
    assert.match(await page.getByTestId('preset-changes').textContent(), /20 → 0/);
    await page.locator('#field-io').fill('10');
    assert.match(await page.getByTestId('preset-explanation').textContent(), /Twenty tasks/);
    // Switching presets leaves no run of the previous experiment looking current.
    assert.ok((await bars(page)) > 0);
    await choosePreset(page, 'semaphore');
    assert.equal(await bars(page), 0);
    assert.equal(await page.getByTestId('metric-wall-ms').count(), 0);
    assert.equal(await page.getByTestId('variation-compare').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
