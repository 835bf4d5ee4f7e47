// End-to-end: numbers are written in the page's language (a decimal comma
// and grouped digits in French), and the hook's stay JSON numbers. Kept
// apart from i18n.test.mjs because it asserts a run's wall time: make test
// runs it alone, never beside another file (scripts/test.sh).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { openReady, servedBrowser, choosePreset, runToEnd, catalogue } from './browser.mjs';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');
const served = servedBrowser({ dist: DIST });

const EN = catalogue(DIST, 'en');
const FR = catalogue(DIST, 'fr');

/** Waits until the page is in `lang`: <html lang> and the introduction. */
async function shownIn(page, lang) {
  const want = (lang === 'fr' ? FR : EN)['page.lede'];
  await page.waitForFunction(([l, w]) => document.documentElement.lang === l
    && document.querySelector('.lede')?.textContent.trim() === w, [lang, want], { timeout: 10_000 });
}

/** `text` without CPython's version numbers (3.11 … 3.14t), which keep
 * their dot in every language: they are names, not decimals. */
const withoutVersions = (text) => text.replace(/\b3\.1[0-9]t?\b/g, 'CPython');

test('numbers are written in the page’s language; the hook’s stay JSON numbers', { timeout: 180_000 }, async () => {
  const { page, context, errors } = await openReady(served.browser, served.server.url, { locale: 'fr-FR' });
  try {
    await shownIn(page, 'fr');
    // Twenty waits of about 1.5 s at once: a wall over a thousand ms.
    await choosePreset(page, 'io-concurrent');
    await page.locator('#field-ms').fill('1500');
    await runToEnd(page);
    // French: a decimal comma, digits grouped by a narrow no-break space (U+202F).
    const wall = (await page.getByTestId('metric-wall-ms').textContent()).trim();
    assert.match(wall, /^\d{1,3}(\u202F\d{3})+,\d$/, `the wall: “${wall}”`);
    const concurrency = (await page.getByTestId('metric-concurrency').textContent()).trim();
    assert.match(concurrency, /^\d+,\d\d$/, `the concurrency: “${concurrency}”`);
    const figures = await page.locator('[data-testid^="metric-"], [data-testid^="predicted-"]').allTextContents();
    for (const f of figures.map((t) => t.trim())) {
      assert.match(f, /^(–|[-+]?\d{1,3}(\u202F\d{3})*(,\d+)?)$/, `a figure: “${f}”`);
    }
    for (const section of ['results-title', 'key-title']) {
      const results = await page.locator(`section[aria-labelledby="${section}"]`).textContent();
      assert.doesNotMatch(withoutVersions(results), /\d\.\d/, `no decimal point in ${section}`);
    }
    const ticks = await page.getByTestId('tick').allTextContents();
    assert.ok(ticks.length >= 2, `ticks ${ticks}`);
    for (const t of ticks.map((x) => x.trim())) {
      assert.match(t, /^\d{1,3}(\u202F\d{3})*(,\d+)?( (s|ms|µs))?$/, `a tick: “${t}”`);
    }
    // The hook is machine-readable in any language: numbers are JSON numbers;
    // its notes are the page's sentences, in French here.
    const hooked = await page.evaluate(() => window.wasmBindings
      .runExperiment('w=io&s=conc&io=4&lat=fixed&ms=1200').then(JSON.parse));
    assert.equal(typeof hooked.wall_ms, 'number');
    assert.ok(hooked.wall_ms >= 1200, `wall_ms ${hooked.wall_ms}`);
    assert.equal(typeof hooked.concurrency, 'number');
    assert.ok(hooked.notes.length > 0 && !hooked.notes.some((n) => /\d\.\d/.test(withoutVersions(n))), `notes ${hooked.notes}`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
