// End-to-end: the timeline a person can read — its time axis, zoom and pan
// by button and keyboard, and the wait's return with what caused it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { openReady, servedBrowser } from './browser.mjs';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');
const served = servedBrowser({ dist: DIST });

const ticks = (timeline) => timeline.getByTestId('tick').allTextContents();

test('the axis, zoom and pan by button and keyboard, and the wait marker', { timeout: 180_000 }, async () => {
  const { page, context, errors } = await openReady(served.browser, served.server.url);
  try {
    await page.getByTestId('preset-wait-first-completed').click();
    await page.getByTestId('run').click();
    await page.getByTestId('metric-wall-ms').waitFor({ timeout: 60_000 });
    const timeline = page.locator('.outputs [data-testid="timeline"]');

    // A time axis with round ticks.
    const whole = await ticks(timeline);
    assert.ok(whole.length >= 3, whole.join(' | '));
    assert.equal(whole[0], '0');
    assert.ok(whole.every((t) => t === '0' || /^[\d.]+ (µs|ms|s)$/.test(t)), whole.join(' | '));

    // The wait returned when the first task finished: a marker with an arrow from it.
    const marker = timeline.getByTestId('wait-marker');
    assert.match(await marker.locator('title').textContent(), /the first task finished \(T\d+\)/);
    assert.equal(await marker.locator('.cause-arrow').count(), 1);

    // Zoom in twice by button: the window narrows and the ticks follow it.
    const windowOf = async () => (await timeline.getAttribute('data-window')).split('-').map(Number);
    const [s0, e0] = await windowOf();
    await page.getByTestId('timeline-zoom-in').click();
    await page.getByTestId('timeline-zoom-in').click();
    const [s1, e1] = await windowOf();
    assert.ok(Math.abs((e1 - s1) * 4 - (e0 - s0)) <= 4, `${s1}-${e1} is a quarter of ${s0}-${e0}`);
    assert.notDeepEqual(await ticks(timeline), whole);
    // Pan later with the keyboard, then show the whole run again with 0.
    await timeline.locator('svg').focus();
    await page.keyboard.press('ArrowRight');
    const [s2] = await windowOf();
    assert.ok(s2 > s1, `${s2} after ${s1}`);
    await page.keyboard.press('0');
    assert.deepEqual(await windowOf(), [s0, e0]);
    await page.keyboard.press('+');
    assert.ok((await windowOf())[1] - (await windowOf())[0] < e0 - s0, 'the + key zooms in');
    await page.getByTestId('timeline-reset').click();
    assert.deepEqual(await windowOf(), [s0, e0]);

    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
