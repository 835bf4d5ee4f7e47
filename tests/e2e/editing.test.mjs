// End-to-end: the classic mistakes as presets, consistent editing (a
// strategy runs its workload or is not offered, messages never contradict
// the Run button, a timeout of 0 as Python takes it), and a pool asked for
// more threads than it has, whose CPU bars all stay visible and hoverable.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { openReady, servedBrowser, choosePreset } from './browser.mjs';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');
const served = servedBrowser({ dist: DIST });
const ready = (query = '') => openReady(served.browser, served.server.url + query);

async function run(page) {
  await page.evaluate(() => document.querySelector('[data-testid="metric-wall-ms"]')?.setAttribute('data-old', '1'));
  await page.getByTestId('run').click();
  const fresh = page.locator('[data-testid="metric-wall-ms"]:not([data-old])');
  await fresh.waitFor({ timeout: 60_000 });
  return {
    wall: Number(await fresh.textContent()),
    lagMax: Number(await page.getByTestId('metric-lag-max-ms').textContent()),
  };
}

test('a blocking call inside a coroutine really blocks the loop; awaiting overlaps', { timeout: 120_000 }, async () => {
  const { page, context, errors } = await ready();
  try {
    await choosePreset(page, 'mistake-blocking-call');
    const blocked = await run(page);
    // Five blocking calls of 100 ms, one after another, holding the loop.
    assert.ok(blocked.wall >= 490, `wall ${blocked.wall}`);
    assert.ok(blocked.lagMax >= 400, `the loop answered: lag max ${blocked.lagMax}`);
    const timeline = page.locator('.timeline-panel [data-testid="timeline"]');
    assert.equal(await timeline.locator('rect.bar.blocked').count(), 5);
    assert.equal(await timeline.locator('rect.bar.io').count(), 0);
    await page.getByTestId('variation-run').click();
    await page.getByTestId('variation-compare').waitFor({ timeout: 60_000 });
    const awaited = Number(await page.getByTestId('metric-wall-ms').textContent());
    assert.ok(awaited < blocked.wall / 3, `awaited ${awaited} ms vs blocking ${blocked.wall} ms`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('CPU work sent to to_thread computes one task at a time under the GIL', { timeout: 120_000 }, async () => {
  const { page, context, errors } = await ready();
  try {
    await choosePreset(page, 'mistake-cpu-to-thread');
    await run(page);
    const speedup = Number(await page.getByTestId('metric-speedup').textContent());
    assert.ok(speedup < 1.3, `speed-up ${speedup} under the GIL`);
    assert.ok((await page.locator('.timeline-panel rect.bar.gil').count()) > 0, 'a GIL holder lane');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a coroutine never awaited never runs; a forgotten task fails unseen by the wait', { timeout: 120_000 }, async () => {
  const { page, context, errors } = await ready();
  try {
    const timeline = page.locator('.timeline-panel [data-testid="timeline"]');
    await choosePreset(page, 'mistake-never-awaited');
    await run(page);
    // Eight waits ran; the ninth coroutine left no bar at all.
    assert.equal(await timeline.locator('rect.bar.io').count(), 8);
    assert.match(await page.getByTestId('neglect-note').textContent(), /Task 9 .* never ran.*was never awaited/);
    // Awaited with the others, it runs: nine bars.
    await page.getByTestId('variation-run').click();
    await page.getByTestId('variation-compare').waitFor({ timeout: 60_000 });
    assert.equal(await timeline.locator('rect.bar.io').count(), 9);
    assert.equal(await page.getByTestId('neglect-note').count(), 0);

    await choosePreset(page, 'mistake-exception-lost');
    await run(page);
    // The forgotten task ran and failed, a bar of its own ending as an
    // error, but the wait saw eight tasks done and none failed.
    assert.equal(await timeline.locator('rect.bar.io').count(), 9);
    assert.equal(await timeline.locator('rect.bar.io.error').count(), 1);
    assert.match(await page.getByTestId('results-notes').textContent(), /Task 9 .*nobody retrieved its exception/);
    assert.match(await page.locator('.results tbody tr:last-child td').textContent(), /^8 \/ 0 \/ 0$/);
    // The hook says the same.
    const summary = await page.evaluate(() => window.wasmBindings
      .runExperiment('w=io&s=conc&io=8&lat=fixed&ms=200&neglect=unretrieved').then(JSON.parse));
    assert.deepEqual(summary.neglected, { id: 8, kind: 'unretrieved', outcome: 'error' });
    assert.equal(summary.done.length, 8);
    assert.equal(summary.errors, 0);
    // Outside I/O awaited concurrently there is nothing to neglect: the
    // choice is folded under "More settings", kept, and refuses nothing.
    await page.locator('#field-s').selectOption('seq');
    assert.equal(await page.locator('[data-testid="more-fields"] #field-neglect').count(), 1);
    assert.equal(await page.locator('.field .problem').count(), 0);
    assert.equal(await page.getByTestId('run').isDisabled(), false);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('strategies that cannot run the workload are not offered, and messages agree with Run', { timeout: 60_000 }, async () => {
  const { page, context, errors } = await ready('?w=io&s=conc&io=4&lat=fixed&ms=50');
  try {
    // An I/O workload: the CPU strategies are shown with the reason, not offered.
    const pool = page.locator('#field-s option[value="pool"]');
    assert.equal(await pool.isDisabled(), true);
    assert.match(await pool.textContent(), /CPU tasks only/);
    assert.equal(await page.locator('#field-s option[value="block"]').isDisabled(), false);
    // Switching the workload under a CPU strategy: a problem, and Run is off.
    await choosePreset(page, 'run-in-executor');
    await page.locator('#field-w').selectOption('io');
    const problem = page.locator('.field.invalid .problem');
    await problem.waitFor();
    assert.match(await problem.textContent(), /an I\/O workload has none\. Correct it to run\./);
    assert.doesNotMatch(await page.getByTestId('error').textContent(), /instead/);
    assert.equal(await page.getByTestId('run').isDisabled(), true);
    // Out of range: the message asks for a correction, never claims a value runs.
    await page.locator('#field-s').selectOption('conc');
    await page.locator('#field-io').fill('0');
    assert.match(await problem.textContent(), /Correct it to run/);
    assert.equal(await page.getByTestId('run').isDisabled(), true);
    await page.locator('#field-io').fill('4');
    assert.equal(await page.getByTestId('run').isDisabled(), false);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a timeout of 0 is accepted, as Python accepts it: the wait gives up at once', { timeout: 60_000 }, async () => {
  const { page, context, errors } = await ready('?w=io&s=conc&io=4&lat=fixed&ms=200&timeout=0');
  try {
    assert.equal(await page.locator('#field-timeout').inputValue(), '0');
    assert.equal(await page.locator('.field.invalid').count(), 0);
    const { wall } = await run(page);
    assert.ok(wall < 150, `wall ${wall}`);
    const shown = await page.getByTestId('results-notes').textContent();
    assert.match(shown, /4 tasks had not finished when the wait returned: they were cancelled\./);
    // The hook gives the same sentences, one by one.
    const notes = await page.evaluate((q) => window.wasmBindings.runExperiment(q).then((s) => JSON.parse(s).notes),
      'w=io&s=conc&io=4&lat=fixed&ms=200&timeout=0');
    assert.equal(shown.trim(), notes.join(' '));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('with k larger than the pool, every CPU bar stays visible and describes itself', { timeout: 120_000 }, async () => {
  const { page, context, errors } = await ready('?w=cpu&s=pool&k=6&n=6&kernel=primes&size=300');
  try {
    await run(page);
    const timeline = page.locator('.timeline-panel [data-testid="timeline"]');
    // Queued time is drawn as queued in its task's row, never over a worker's
    // work (a bar under 2 px is widened to 2 px: that much may touch).
    const queued = await timeline.evaluate((figure) => {
      const box = (r) => ['x', 'y', 'width', 'height'].map((a) => Number(r.getAttribute(a)));
      const cpu = [...figure.querySelectorAll('rect.bar.cpu')].map(box);
      const bars = [...figure.querySelectorAll('rect.bar.queued')];
      const over = bars.map(box).filter(([x, y, w, h]) => cpu.some(([a, b, c, d]) =>
        x < a + c - 2.01 && a < x + w - 2.01 && y < b + d && b < y + h));
      return { count: bars.length, inRows: bars.filter((r) => r.closest('[data-testid="task-row"]')).length, over: over.length };
    });
    assert.ok(queued.count >= 1, 'six tasks for fewer workers queue');
    assert.equal(queued.inRows, queued.count);
    assert.equal(queued.over, 0);
    const cpu = timeline.locator('rect.bar.cpu');
    const count = await cpu.count();
    assert.ok(count >= 6, `${count} CPU bars`);
    for (let i = 0; i < count; i++) {
      const bar = cpu.nth(i);
      await bar.hover({ force: false });
      const label = await bar.getAttribute('aria-label');
      assert.equal(await page.locator('.timeline-panel .span-detail').textContent(), label, `bar ${i}`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
