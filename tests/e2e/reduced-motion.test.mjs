// End-to-end: with reduced motion a sentence replaces the dial and says
// whether the main thread answers. Kept apart from a11y.test.mjs
// because it asserts how long the main thread did not answer (a lag): make
// test runs it alone, never beside another file (scripts/test.sh).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { openReady, servedBrowser, choosePreset, runToEnd } from './browser.mjs';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');
const served = servedBrowser({ dist: DIST });

test('with reduced motion a sentence replaces the dial and tells when the main thread did not answer', { timeout: 120_000 }, async () => {
  const { page, context, errors } = await openReady(served.browser, served.server.url, { reducedMotion: 'reduce' });
  try {
    const indicator = page.getByTestId('blocked-indicator');
    assert.equal(await page.getByTestId('dial').count(), 1);
    assert.equal(await page.getByTestId('dial').isVisible(), false);
    assert.equal(await indicator.isVisible(), true);
    // Tasks that hold the main thread (about a second and a half): the
    // indicator saw it stop answering.
    await choosePreset(page, 'cpu-blocks');
    await page.locator('#field-size').fill('4000');
    await runToEnd(page);
    assert.equal(await indicator.getAttribute('data-state'), 'idle');
    assert.ok(Number(await indicator.getAttribute('data-longest-ms')) >= 400);
    assert.match(await indicator.textContent(), /did not answer for [\d.]+ s in this run/);
    // Waits on the loop: it answered all along.
    await choosePreset(page, 'io-concurrent');
    await runToEnd(page);
    assert.equal(await indicator.getAttribute('data-longest-ms'), '0');
    assert.match(await indicator.textContent(), /The main thread is answering\./);
    // While a run goes on, the countdown to "not answering" is armed by the
    // stylesheet, which the compositor runs even when the main thread stops.
    await page.locator('#field-io').fill('20');
    await page.locator('#field-ms').fill('2000');
    await page.getByTestId('run').click();
    await indicator.and(page.locator('[data-state="running"]')).waitFor();
    const animation = await indicator.locator('.late').evaluate((el) => getComputedStyle(el).animationName);
    assert.match(animation, /^late-[ab]$/);
    await page.getByTestId('cancel').click();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
