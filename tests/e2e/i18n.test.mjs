// End-to-end: English and French. The page opens in the browser's
// language, switches at any moment (even during a run) and remembers the
// choice, with <html lang> true; and no visible string bypasses the
// catalogue: in the pseudo-language (debug=pseudo), where every catalogue
// entry is marked ⟦…⟧, no text, label or code comment of the main screen,
// of any preset's run, of the history, compare, editor and import views is
// left unmarked. Nothing here is timed, so make test may run this file
// beside another; how numbers are written, which reads a run's wall time,
// is in numbers.test.mjs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { openReady, servedBrowser, choosePreset, runToEnd, catalogue } from './browser.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DIST = path.resolve(HERE, '../../dist');
const served = servedBrowser({ dist: DIST });

const EN = catalogue(DIST, 'en');
const FR = catalogue(DIST, 'fr');

const lede = (page) => page.locator('.lede').textContent();

/** Waits until the page is in `lang`: <html lang> and the introduction. */
async function shownIn(page, lang) {
  const want = (lang === 'fr' ? FR : EN)['page.lede'];
  await page.waitForFunction(([l, w]) => document.documentElement.lang === l
    && document.querySelector('.lede')?.textContent.trim() === w, [lang, want], { timeout: 10_000 });
}

test('the page opens in the browser’s language, switches during a run, and remembers', { timeout: 180_000 }, async () => {
  const { page, context, errors } = await openReady(served.browser, served.server.url, { locale: 'fr-FR' });
  try {
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
    assert.equal(await page.getByTestId('lang').inputValue(), 'fr');
    assert.equal((await lede(page)).trim(), FR['page.lede']);
    assert.equal(await page.title(), FR['page.title']);
    assert.equal((await page.getByTestId('preset-semaphore').textContent()).trim(), FR['preset.semaphore.title']);
    // A run in progress when the language changes ends in the new one.
    await choosePreset(page, 'io-concurrent');
    await page.locator('#field-ms').fill('1500');
    await page.getByTestId('run').click();
    await page.getByTestId('cancel').waitFor();
    await page.getByTestId('lang').selectOption('en');
    await shownIn(page, 'en');
    assert.equal((await page.getByTestId('preset-explanation').textContent()).trim(), EN['preset.io-concurrent.explain']);
    await page.getByTestId('run').and(page.locator(':enabled')).waitFor({ timeout: 60_000 });
    await page.getByTestId('metric-wall-ms').waitFor();
    assert.match(await page.getByTestId('announcer').textContent(), /^Run finished/);
    // Remembered over the browser's language.
    await page.reload();
    await page.getByTestId('pool-status').waitFor();
    assert.equal(await page.getByTestId('lang').inputValue(), 'en');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.equal((await lede(page)).trim(), EN['page.lede']);
    // And back.
    await page.getByTestId('lang').selectOption('fr');
    await shownIn(page, 'fr');
    assert.equal(await page.title(), FR['page.title']);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a browser in neither language gets English', { timeout: 60_000 }, async () => {
  const { page, context, errors } = await openReady(served.browser, served.server.url, { locale: 'de-DE' });
  try {
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.equal((await lede(page)).trim(), EN['page.lede']);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

/**
 * Every text of the page now that the catalogue did not give: text nodes,
 * labels and titles outside elements marked translate="no" and outside the
 * code panels, with what is left once the marked entries are taken out.
 * Numbers, symbols and units may stand alone.
 */
function unmarked(page) {
  return page.evaluate(() => {
    const UNITS = new Set(['ms', 's', 'µs', 'k', 'n', 'T', 'MiB', 'MB', 'KB', 'x']);
    const words = (rest) => (rest.match(/\p{L}[\p{L}\p{M}'’_-]*/gu) || []).filter((w) => !UNITS.has(w));
    // Entries nest (a filled value inside a template): strip the innermost first.
    const left = (text) => {
      let rest = text;
      for (let before = ''; before !== rest;) {
        before = rest;
        rest = rest.replace(/⟦[^⟦⟧]*⟧/g, ' ');
      }
      return words(rest);
    };
    const skip = (el) => !el || el.closest('[translate="no"], script, style, pre, code, noscript');
    const where = (el) => {
      const id = el.closest('[data-testid]')?.dataset.testid;
      return `${el.tagName.toLowerCase()}${id ? ` in ${id}` : ''}`;
    };
    const found = [];
    // Text nodes in document order, with the depth of marks carried from
    // one to the next: an entry may hold elements (a figure in its span).
    let depth = 0;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      let outside = '';
      for (const c of node.textContent) {
        if (c === '⟦') depth += 1;
        else if (c === '⟧') depth = Math.max(0, depth - 1);
        else outside += depth === 0 ? c : ' ';
      }
      if (skip(node.parentElement)) continue;
      if (words(outside).length) found.push(`${where(node.parentElement)}: “${node.textContent.trim().slice(0, 80)}”`);
    }
    for (const el of document.body.querySelectorAll('[aria-label], [title], [placeholder], [alt], [aria-description]')) {
      if (el.closest('[translate="no"]')) continue;
      for (const name of ['aria-label', 'title', 'placeholder', 'alt', 'aria-description']) {
        const value = el.getAttribute(name);
        if (value && left(value).length) found.push(`${where(el)} @${name}: “${value.slice(0, 80)}”`);
      }
    }
    for (const el of document.head.querySelectorAll('title')) {
      if (left(el.textContent).length) found.push(`title: ${el.textContent}`);
    }
    // The code panels: code is code, but every comment line is the catalogue's.
    for (const id of ['code-python', 'code-python-helpers', 'code-rust']) {
      const code = document.querySelector(`[data-testid="${id}"]`);
      if (!code) continue;
      for (const line of code.textContent.split('\n')) {
        // Not prose: the shebang, rules and blank comment lines, and the
        // path above each quoted Rust function.
        if (/^\s*#!|^\s*(#|\/\/[/!]?)\s*[-=─]*\s*$|^\s*\/\/ crates\//.test(line)) continue;
        if (/^\s*(#|\/\/)/.test(line) && !line.includes('⟦')) found.push(`${id}: ${line.trim().slice(0, 80)}`);
      }
    }
    // One line per kind of text, whatever its numbers.
    return [...new Set(found.map((f) => f.replace(/\d+(\.\d+)?/g, '#')))];
  });
}

test('no visible string bypasses the catalogue (the pseudo-language)', { timeout: 600_000 }, async () => {
  const { page, context, errors } = await openReady(served.browser, served.server.url + '?debug=pseudo');
  try {
    const found = new Set();
    const check = async (where) => {
      for (const line of await unmarked(page)) found.add(`${where}: ${line}`);
    };
    assert.ok((await lede(page)).includes('⟦'), 'the pseudo-language is shown');
    await check('main screen');
    const presets = await page.locator('button.preset').evaluateAll((bs) => bs.map((b) => b.dataset.testid.replace(/^preset-/, '')));
    assert.ok(presets.length >= 21);
    await page.getByTestId('about').locator('summary').click();
    for (const id of presets) {
      await choosePreset(page, id);
      await runToEnd(page);
      for (const table of await page.locator('details.chart-table, details.replay').all()) {
        if (!(await table.evaluate((d) => d.open))) await table.locator('summary').click();
      }
      await page.getByTestId('replay-moment').waitFor();
      await check(id);
    }
    // Sweep (the Amdahl preset offers it), variation, history and compare.
    await choosePreset(page, 'amdahl');
    await page.locator('#field-size').fill('200');
    await page.getByTestId('sweep-run').click();
    await page.getByTestId('sweep-fit').waitFor({ timeout: 120_000 });
    await page.getByTestId('run').and(page.locator(':enabled')).waitFor({ timeout: 120_000 });
    await check('sweep');
    const items = page.getByTestId('history-item');
    await items.nth(0).getByTestId('history-compare').check();
    await items.nth(1).getByTestId('history-compare').check();
    await page.getByTestId('compare').waitFor();
    await check('history and compare');
    // A value the editor refuses, and a file the history refuses.
    await page.locator('#field-n').fill('0');
    await check('a refused value');
    const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'overlap-')), 'bad.json');
    fs.writeFileSync(bad, '{"schema":"elsewhere"}');
    await page.getByTestId('import-file').setInputFiles(bad);
    await page.getByTestId('import-error').waitFor();
    await check('a refused import');
    assert.deepEqual([...found], []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
