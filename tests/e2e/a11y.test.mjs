// End-to-end: a page for everyone. axe-core finds no serious or critical
// violation on the main screen, after every preset's run, or on the history
// and compare views, in the light and the dark theme, in English and French; the keyboard alone
// runs a preset and a screen reader hears its figures; the theme switch is
// remembered; every chart has its table; a 360 px phone never scrolls
// sideways. Nothing here is timed, so make test may run this file beside
// another; the reduced-motion sentence, which reads how long the main
// thread did not answer, is in reduced-motion.test.mjs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { openReady, servedBrowser, choosePreset, runToEnd } from './browser.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DIST = path.resolve(HERE, '../../dist');
const AXE = fs.readFileSync(path.resolve(HERE, '../../node_modules/axe-core/axe.min.js'), 'utf8');
const served = servedBrowser({ dist: DIST });

/** The serious and critical violations axe-core finds in the page now, one line each. */
async function audit(page) {
  // Evaluated through the driver, which the page's CSP does not govern.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
  const { violations } = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    resultTypes: ['violations'],
  }));
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

// Every preset in two of the four theme × language pairs, and a few in the
// other two: contrast depends on the theme, text length and lang on the
// language, and each pair is met.
const PAIRS = [
  { colorScheme: 'light', locale: 'en-US', every: true },
  { colorScheme: 'dark', locale: 'fr-FR', every: true },
  { colorScheme: 'dark', locale: 'en-US', every: false },
  { colorScheme: 'light', locale: 'fr-FR', every: false },
];
const FEW = ['io-concurrent', 'task-group', 'run-in-executor', 'gil', 'mistake-never-awaited'];

for (const { colorScheme, locale, every } of PAIRS) {
  test(`axe: the main screen, ${every ? "every preset's run" : "a few presets' runs"}, history and compare (${colorScheme}, ${locale})`, { timeout: 600_000 }, async () => {
    const { page, context, errors } = await openReady(served.browser, served.server.url, { colorScheme, locale });
    try {
      assert.equal(await page.evaluate(() => document.documentElement.lang), locale.slice(0, 2));
      const found = [];
      const check = async (where) => found.push(...(await audit(page)).map((v) => `${where}: ${v}`));
      await check('main screen');
      const presets = await page.locator('button.preset').evaluateAll((bs) => bs.map((b) => b.dataset.testid.replace(/^preset-/, '')));
      assert.ok(presets.length >= 21, `${presets.length} presets`);
      for (const id of every ? presets : FEW) {
        await choosePreset(page, id);
        await runToEnd(page);
        // The charts' tables are part of the page a screen reader meets.
        await page.getByTestId('timeline-table').first().locator('summary').click();
        // So is the replay, unfolded.
        await page.getByTestId('replay-fold').locator('summary').click();
        await page.getByTestId('replay-moment').waitFor();
        await check(id);
      }
      const items = page.getByTestId('history-item');
      await items.nth(0).getByTestId('history-compare').check();
      await items.nth(1).getByTestId('history-compare').check();
      await page.getByTestId('compare').waitFor();
      await check('history and compare');
      assert.deepEqual(found, []);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

test('the keyboard alone runs a preset, and the figures are announced', { timeout: 120_000 }, async () => {
  const { page, context, errors } = await openReady(served.browser, served.server.url);
  try {
    const focused = () => page.evaluate(() => document.activeElement?.dataset?.testid ?? document.activeElement?.id ?? '');
    const tabTo = async (want) => {
      for (let i = 0; i < 80; i++) {
        await page.keyboard.press('Tab');
        const at = await focused();
        if (want(at)) return at;
      }
      throw new Error('Tab never reached it');
    };
    const preset = await tabTo((id) => id === 'preset-semaphore');
    // Focus is visible wherever it lands.
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none', `${preset} has no visible focus`);
    await page.keyboard.press('Enter');
    assert.equal(await page.getByTestId('preset-semaphore').getAttribute('aria-pressed'), 'true');
    await tabTo((id) => id === 'run');
    await page.keyboard.press('Enter');
    const announcer = page.getByTestId('announcer');
    assert.equal(await announcer.getAttribute('role'), 'status');
    await announcer.filter({ hasText: /^Run finished: wall time \d+ ms, concurrency [\d.]+.*tasks ok/ }).waitFor({ timeout: 60_000 });
    // The timeline's table opens from the keyboard too.
    const summary = page.getByTestId('timeline-table').locator('summary');
    await summary.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('timeline-table').locator('table').waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the theme follows the system until chosen, and the choice is remembered', { timeout: 60_000 }, async () => {
  const { page, context, errors } = await openReady(served.browser, served.server.url, { colorScheme: 'light' });
  try {
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await background();
    assert.equal(await page.getByTestId('theme').inputValue(), 'system');
    await page.getByTestId('theme').selectOption('dark');
    const dark = await background();
    assert.notEqual(dark, light);
    await page.reload();
    await page.getByTestId('pool-status').waitFor();
    assert.equal(await page.getByTestId('theme').inputValue(), 'dark');
    assert.equal(await background(), dark);
    await page.getByTestId('theme').selectOption('system');
    assert.equal(await background(), light);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a 360 px phone: no sideways scrolling, the charts and their tables fit', { timeout: 120_000 }, async () => {
  const { page, context, errors } = await openReady(served.browser, served.server.url + '?w=cpu&s=pool&k=2&n=8&size=200', {
    viewport: { width: 360, height: 780 }, hasTouch: true, isMobile: true,
  });
  try {
    await runToEnd(page);
    for (const table of ['timeline-table', 'lag-table']) {
      await page.getByTestId(table).first().locator('summary').click();
      await page.getByTestId(table).first().locator('table').waitFor();
    }
    const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert.ok(widths[0] <= widths[1], `scrollWidth ${widths[0]} > viewport ${widths[1]}`);
    assert.deepEqual(await audit(page), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
