// End-to-end: the timeline a person can read — its time axis, zoom and pan
// by button and keyboard, the wait's return with what caused it, the replay
// cursor, and the guess set beside the model and the measurement.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { openPage, openReady, poolOutcome, servedBrowser, choosePreset } from './browser.mjs';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');
const served = servedBrowser({ dist: DIST });

const ticks = (timeline) => timeline.getByTestId('tick').allTextContents();

test('the axis, zoom and pan, the wait marker, the replay and the guess', { timeout: 180_000 }, async () => {
  const { page, context, errors } = await openReady(served.browser, served.server.url);
  try {
    await choosePreset(page, 'wait-first-completed');
    await page.getByTestId('guess').fill('250');
    await page.getByTestId('run').click();
    await page.getByTestId('metric-wall-ms').waitFor({ timeout: 60_000 });
    const timeline = page.locator('.timeline-panel [data-testid="timeline"]');

    // The guess beside the model and the measurement.
    assert.match(await page.getByTestId('guess-result').textContent(), /your guess 250\.0 ms · the model [\d.]+ ms · measured [\d.]+ ms/);

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
    await timeline.locator('svg[aria-label]').focus();
    await page.keyboard.press('ArrowRight');
    const [s2] = await windowOf();
    assert.ok(s2 > s1, `${s2} after ${s1}`);
    await page.keyboard.press('0');
    assert.deepEqual(await windowOf(), [s0, e0]);
    await page.keyboard.press('+');
    assert.ok((await windowOf())[1] - (await windowOf())[0] < e0 - s0, 'the + key zooms in');
    await page.getByTestId('timeline-reset').click();
    assert.deepEqual(await windowOf(), [s0, e0]);

    // The replay, unfolded: a cursor at the chosen instant, and what was going on then.
    await page.getByTestId('replay-fold').locator('summary').click();
    const replay = page.getByTestId('replay');
    const max = Number(await replay.getAttribute('max'));
    await replay.evaluate((input, v) => {
      input.value = String(v);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }, Math.round(max / 2));
    await timeline.getByTestId('replay-cursor').waitFor({ state: 'attached' });
    const moment = await page.getByTestId('replay-moment').textContent();
    assert.match(moment, /^At [\d.]+ ms: computing .*; waiting on I\/O .*; queued .*; finished \d+\.$/);
    assert.ok((await page.getByTestId('replay-lane').count()) >= 1);
    // Stepped with the keyboard too, backwards and forwards.
    await replay.focus();
    await page.keyboard.press('ArrowLeft');
    const back = await page.getByTestId('replay-moment').textContent();
    assert.notEqual(back, moment);
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.getByTestId('replay-moment').textContent(), moment);

    // A guess that is not a number is refused with the reason.
    await page.getByTestId('guess').fill('soon');
    assert.match(await page.locator('.guess .problem').textContent(), /number of milliseconds/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('each of preset 1\'s 20 tasks has its own row, under the main thread, at least 8 px tall', { timeout: 120_000 }, async () => {
  const { page, context, errors } = await openReady(served.browser, served.server.url);
  try {
    await choosePreset(page, 'io-concurrent');
    await page.getByTestId('run').click();
    await page.getByTestId('python-note').waitFor({ timeout: 60_000 });
    const timeline = page.locator('.timeline-panel [data-testid="timeline"]');
    const rows = await timeline.getByTestId('task-row').evaluateAll((gs) => gs.map((g) => ({
      task: g.dataset.task, lane: g.dataset.lane, height: g.getBoundingClientRect().height,
      waits: g.querySelectorAll('rect.bar.io').length,
    })));
    assert.equal(rows.length, 20);
    assert.equal(new Set(rows.map((r) => r.task)).size, 20, 'one row per task');
    assert.ok(rows.every((r) => r.lane === 'main' && r.height >= 8 && r.waits >= 1), JSON.stringify(rows));
    // Concurrent waits read as a block: every row's wait starts near the others'.
    const starts = await timeline.locator('[data-testid="task-row"] rect.bar.io').evaluateAll((bars) => bars.map((b) => Number(b.getAttribute('x'))));
    assert.ok(Math.max(...starts) - Math.min(...starts) < 50, starts.join(' '));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('thousands of waits are drawn as a density band, with a caption and no smear of bars', { timeout: 120_000 }, async () => {
  const { page, context, errors } = await openReady(served.browser, `${served.server.url}?w=io&s=conc&io=2000&lat=fixed&ms=50`);
  try {
    await page.getByTestId('run').click();
    await page.getByTestId('metric-wall-ms').waitFor({ timeout: 60_000 });
    const timeline = page.locator('.timeline-panel [data-testid="timeline"]');
    const band = timeline.getByTestId('density-band');
    await band.waitFor();
    // All 2,000 fixed waits are in flight at once somewhere.
    assert.equal(await band.getAttribute('data-peak'), '2000');
    assert.match(await band.getAttribute('aria-label'), /in flight in each [\d.]+ ms slice \(at most 2,000 at once\)/);
    assert.equal(await timeline.locator('rect.bar.io').count(), 0, 'no hairline per wait');
    // Zoomed in, the band is recomputed for the window and still drawn.
    await page.getByTestId('timeline-zoom-in').click();
    await timeline.getByTestId('density-band').waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('two fingers pinch the timeline to zoom, one drags it; the mouse wheel zooms and a drag pans', { timeout: 120_000 }, async () => {
  const { page, context, errors } = await openPage(served.browser, `${served.server.url}?w=io&s=conc&io=8&lat=uniform&ms=200&spread=100`, { hasTouch: true });
  try {
    assert.equal(await poolOutcome(page), 'ready');
    await page.getByTestId('run').click();
    await page.getByTestId('metric-wall-ms').waitFor({ timeout: 60_000 });
    const timeline = page.locator('.timeline-panel [data-testid="timeline"]');
    const windowOf = async () => (await timeline.getAttribute('data-window')).split('-').map(Number);
    const [s0, e0] = await windowOf();
    await timeline.locator('svg[aria-label]').scrollIntoViewIfNeeded();
    const box = await timeline.locator('svg[aria-label]').boundingBox();
    const y = box.y + box.height / 3;
    const cx = box.x + box.width * 0.6;
    const cdp = await context.newCDPSession(page);
    // Each touch event, then a frame (the browser hands moves to the page per frame).
    const touch = async (type, points) => {
      await cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points.map((x, id) => ({ x, y, id })) });
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(done)));
    };
    // Fingers 60 px apart move to 180 px apart: three times as close.
    await touch('touchStart', [cx - 30, cx + 30]);
    for (const half of [45, 60, 75, 90]) await touch('touchMove', [cx - half, cx + half]);
    await touch('touchEnd', []);
    const [s1, e1] = await windowOf();
    const ratio = (e0 - s0) / (e1 - s1);
    assert.ok(ratio > 2.5 && ratio < 3.5, `zoomed ${ratio.toFixed(2)}× by the pinch (window ${s1}-${e1})`);
    // One finger drags the zoomed window later in time (to the left on screen).
    await touch('touchStart', [cx]);
    await touch('touchMove', [cx - 100]);
    await touch('touchEnd', []);
    const [s2, e2] = await windowOf();
    assert.ok(s2 > s1 && e2 - s2 === e1 - s1, `panned from ${s1}-${e1} to ${s2}-${e2}`);
    // The mouse: Ctrl + wheel zooms around the pointer, dragging pans.
    await page.getByTestId('timeline-reset').click();
    await page.mouse.move(cx, y);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -100);
    await page.keyboard.up('Control');
    await page.waitForFunction((len) => {
      const [a, b] = document.querySelector('.timeline-panel [data-testid="timeline"]').dataset.window.split('-').map(Number);
      return b - a < len;
    }, e0 - s0);
    const [s3, e3] = await windowOf();
    await page.mouse.down();
    await page.mouse.move(cx + 120, y, { steps: 4 });
    await page.mouse.up();
    const [s4, e4] = await windowOf();
    assert.ok(s4 < s3 && e4 - s4 === e3 - s3, `dragged from ${s3}-${e3} to ${s4}-${e4}`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
