// End-to-end: where the page says "this is what Python does", its figures
// have CPython's shape (the numbers in comments were measured with CPython
// 3.11 on this kind of machine; the native tests run the Python twins).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { startServer } from './server.mjs';
import { hook, launch, openReady, choosePreset } from './browser.mjs';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');

let browser;
let server;
before(async () => {
  browser = await launch();
  server = await startServer({ dist: DIST });
});
after(async () => {
  await browser?.close();
  await server?.close();
});


test('the hook reports done and pending like CPython', { timeout: 120_000 }, async () => {
  const { page, context, errors } = await openReady(browser, server.url);
  try {
    // CPython: eight equal sleeps under FIRST_COMPLETED give 8 done, 0 pending.
    const first = await hook(page, 'w=io&s=conc&io=8&lat=fixed&ms=100&rw=first');
    assert.equal(first.done.length, 8, JSON.stringify(first.done));
    assert.deepEqual(first.pending, []);
    // asyncio.wait cancels nothing; the default program cancels the pending,
    // `after=finish` lets them finish.
    const cut = await hook(page, 'w=io&s=conc&io=8&lat=fixed&ms=100&timeout=50');
    assert.equal(cut.pending.length, 8);
    assert.equal(cut.cancelled, 8);
    const finish = await hook(page, 'w=io&s=conc&io=8&lat=fixed&ms=100&timeout=50&after=finish');
    assert.equal(finish.pending.length, 8);
    assert.equal(finish.ok, 8);
    assert.equal(finish.cancelled, 0);
    // Cancelling an executor job that is running does not stop it in
    // Python: it runs to its end (≈ 250 ms here) and counts as cancelled.
    // Overlap's own `after=stop` stops it at its next chunk.
    const q = 'w=mixed&s=pool&io=1&lat=fixed&ms=50&spread=0&rw=first&n=2&k=2&kernel=primes&size=1500';
    const python = await hook(page, q);
    const ran = python.tasks.filter((t) => t.kind === 'cpu');
    assert.equal(ran.length, 2);
    for (const t of ran) {
      assert.equal(t.outcome, 'cancelled');
      assert.ok(t.end_ms > python.wall_ms + 100, `task ${t.id} ended at ${t.end_ms}, wait returned at ${python.wall_ms}`);
    }
    const stopped = await hook(page, `${q}&after=stop`);
    for (const t of stopped.tasks.filter((t) => t.kind === 'cpu')) {
      assert.ok(t.end_ms < stopped.wall_ms + 50, `task ${t.id} ended at ${t.end_ms}, wait returned at ${stopped.wall_ms}`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('under the GIL equal tasks take turns and the loop waits', { timeout: 120_000 }, async () => {
  const { page, context, errors } = await openReady(browser, server.url);
  try {
    // CPython 3.11, 2 × 200 ms pure-Python tasks on ThreadPoolExecutor(2):
    // both end within ~25–100 ms of each other; heartbeat lag p50 6–8 ms.
    const r = await hook(page, 'w=cpu&s=gil&k=2&n=2&kernel=primes&size=2000');
    const ends = r.tasks.map((t) => t.end_ms);
    assert.equal(ends.length, 2);
    const gap = Math.abs(ends[0] - ends[1]);
    assert.ok(gap < 0.2 * r.wall_ms, `ends ${ends} of a ${r.wall_ms} ms run`);
    assert.ok(r.lag_p50_ms >= 2, `lag p50 ${r.lag_p50_ms}`);
    assert.ok(r.speedup < 1.2, `speed-up ${r.speedup}`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('which Python runs the experiment is in the editor, the link, the results, and a variation away', { timeout: 180_000 }, async () => {
  const { page, context, errors } = await openReady(browser, server.url);
  try {
    await choosePreset(page, 'run-in-executor');
    // The free-threaded build, named in the editor and the link.
    assert.equal(await page.locator('#field-py').inputValue(), 'ft');
    assert.match(page.url(), /[?&]py=ft(&|$)/);
    await page.getByTestId('run').click();
    const note = page.getByTestId('python-note');
    await note.waitFor({ timeout: 90_000 });
    assert.match(await note.textContent(), /free-threaded build, CPython 3\.14t/);
    // The other build is a variation away, beside this run.
    const gil = page.getByTestId('variation-run-gil');
    await gil.waitFor({ timeout: 30_000 });
    assert.match(await gil.textContent(), /default build of CPython \(with the GIL\)/);
    await gil.click();
    await page.getByTestId('variation-compare').waitFor({ timeout: 90_000 });
    // The comparison comes into view, its title focused, without scrolling by hand.
    await page.waitForFunction(() => document.activeElement?.id === 'variation-title', null, { timeout: 10_000 });
    const box = await page.locator('#variation-title').boundingBox();
    const { height } = page.viewportSize();
    assert.ok(box && box.y >= -1 && box.y + box.height <= height, `the title at ${JSON.stringify(box)} in a ${height} px viewport`);
    // The verdict is about the preset's figure, not the wall time; the loop's figures are compared too.
    assert.match(await page.getByTestId('compare-speedup').textContent(), /did better on Speed-up: \d\.\d\d, against \d\.\d\d/);
    assert.equal(await page.getByTestId('compare-loop').count(), 3);
    assert.equal(await page.locator('#field-py').inputValue(), 'gil');
    assert.match(page.url(), /[?&]py=gil(&|$)/);
    assert.match(await page.getByTestId('python-note').first().textContent(), /default build, with the GIL/);
    // Where no Python thread computes, the editor does not ask.
    await choosePreset(page, 'process-pool');
    assert.equal(await page.locator('[data-testid="more-fields"] #field-py').count(), 1);
    // An old link's GIL strategy reads as the pool under the GIL, and runs so.
    const old = await hook(page, 'w=cpu&s=gil&k=2&n=2&kernel=primes&size=200');
    assert.ok(old.notes.some((n) => /with the GIL/.test(n)), old.notes.join(' | '));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the code panel offers the twin to copy and to download, and shows the Rust that runs', { timeout: 60_000 }, async () => {
  const { page, context, errors } = await openReady(browser, server.url + '?w=cpu&s=pool&k=2&n=4');
  try {
    // The twin's library is fetched from beside the page when the panel shows.
    await page.getByTestId('code-download').waitFor();
    // The experiment's own program is shown; the helpers every twin shares
    // follow it, folded (a closed <details>); the two are the whole program.
    const own = await page.getByTestId('code-python').textContent();
    const helpers = await page.getByTestId('code-python-helpers').textContent();
    assert.equal(await page.locator('.code details.helpers').getAttribute('open'), null);
    const python = own + helpers;
    assert.match(own, /^#!\/usr\/bin\/env python3/);
    assert.match(own, /\nCPU_TASKS, SIZE = 4, \d+\nSEED = \d+\nWORKERS = 2\n/);
    assert.match(own, /\nasync def main\(args\):\n/);
    assert.match(helpers, /^# =+\n/);
    assert.match(helpers, /if __name__ == "__main__":/);
    // The download is the same program, as a file.
    const download = page.getByTestId('code-download');
    assert.equal(await download.getAttribute('download'), 'overlap_twin.py');
    const href = await download.getAttribute('href');
    assert.equal(decodeURIComponent(href.slice(href.indexOf(',') + 1)), python);
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByTestId('code-copy').click();
    await page.getByTestId('code-copy-status').filter({ hasText: 'Copied.' }).waitFor({ timeout: 5_000 });
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), python);
    // The Rust panel quotes the functions the pool strategy really runs,
    // folded for a Python reader until asked for.
    assert.equal(await page.getByTestId('code-rust-fold').getAttribute('open'), null);
    assert.equal(await page.getByTestId('code-rust').isVisible(), false);
    await page.getByTestId('code-rust-fold').locator('summary').click();
    assert.equal(await page.getByTestId('code-rust').isVisible(), true);
    const rust = await page.getByTestId('code-rust').textContent();
    assert.match(rust, /async fn cpu_on_pool/);
    assert.match(rust, /pub fn run_chunked\(/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
