// One screen per lesson (issue 28): after choosing any preset and pressing
// Run without scrolling, the explanation, Run, the timeline, the dial and the
// lesson's figures are each fully inside a 1440×900 viewport, from the run's
// first live span to after it ends; on a 390×844 phone Run is on the first
// screen and each of them within two screen heights, in the page's order.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { openReady, servedBrowser, choosePreset } from './browser.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DIST = path.resolve(HERE, '../../dist');
const served = servedBrowser({ dist: DIST });

// What a lesson needs on screen, in the order a phone shows them (the
// explanation's box, which scrolls the longest texts inside itself).
const PARTS = {
  explanation: '.lesson .explanation',
  run: '[data-testid="run"]',
  timeline: '[data-testid="timeline"]',
  dial: '[data-testid="dial"]',
  'key figures': '[data-testid="key-figures"]',
};

/** Each part's box in the viewport's coordinates, and the page's scroll. */
async function boxes(page) {
  return page.evaluate((parts) => {
    const out = { scrollY: window.scrollY, width: innerWidth, height: innerHeight, parts: {} };
    for (const [name, selector] of Object.entries(parts)) {
      const el = document.querySelector(selector);
      const r = el?.getBoundingClientRect();
      out.parts[name] = r && { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
    }
    return out;
  }, PARTS);
}

/** The parts not fully inside `limit` px of height (and the viewport's width). */
function outside(seen, limit) {
  const wrong = [];
  for (const [name, r] of Object.entries(seen.parts)) {
    if (!r) wrong.push(`${name}: absent`);
    else if (r.top < 0 || r.bottom > limit + 0.5 || r.left < 0 || r.right > seen.width + 0.5) {
      wrong.push(`${name}: ${Math.round(r.top)}–${Math.round(r.bottom)} px × ${Math.round(r.left)}–${Math.round(r.right)} px`);
    }
  }
  return wrong;
}

/** Every preset's id, in story order. */
async function presetIds(page) {
  return page.locator('button.preset').evaluateAll((bs) => bs.map((b) => b.dataset.testid.replace(/^preset-/, '')));
}

/** Chooses `id` from the top of the page, presses Run, and returns the boxes
 * seen at the run's first live span and after its end. */
async function runFromTheTop(page, id) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await choosePreset(page, id);
  await page.getByTestId('run').click();
  await page.locator('[data-testid="timeline"] .bar').first().waitFor({ state: 'attached', timeout: 60_000 });
  const during = await boxes(page);
  await page.getByTestId('key-figures').and(page.locator('[data-state="done"]')).waitFor({ timeout: 120_000 });
  await page.getByTestId('run').and(page.locator(':enabled')).waitFor({ timeout: 120_000 });
  return { during, after: await boxes(page) };
}

for (const locale of ['en-US', 'fr-FR']) {
  test(`1440×900 (${locale}): every preset's lesson on one screen while it runs and after`, { timeout: 600_000 }, async () => {
    const { page, context, errors } = await openReady(served.browser, served.server.url, {
      viewport: { width: 1440, height: 900 },
      locale,
    });
    try {
      const ids = await presetIds(page);
      assert.equal(ids.length, 21);
      const wrong = [];
      for (const id of ids) {
        const { during, after } = await runFromTheTop(page, id);
        for (const [when, seen] of [['during the run', during], ['after it', after]]) {
          if (seen.scrollY !== 0) wrong.push(`${id} ${when}: the page scrolled to ${seen.scrollY}`);
          for (const w of outside(seen, seen.height)) wrong.push(`${id} ${when}: ${w}`);
        }
      }
      assert.deepEqual(wrong, []);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

test('390×844: Run on the first screen, the lesson within two, in order, for every preset', { timeout: 600_000 }, async () => {
  const { page, context, errors } = await openReady(served.browser, served.server.url, {
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  try {
    const wrong = [];
    for (const id of await presetIds(page)) {
      const { after } = await runFromTheTop(page, id);
      const run = after.parts.run;
      if (!run || run.bottom > after.height) wrong.push(`${id}: Run ends at ${run && Math.round(run.bottom)} px`);
      for (const w of outside(after, 2 * after.height)) wrong.push(`${id}: ${w}`);
      const tops = Object.entries(after.parts).filter(([, r]) => r);
      for (let i = 1; i < tops.length; i++) {
        if (tops[i][1].top < tops[i - 1][1].top) wrong.push(`${id}: ${tops[i][0]} above ${tops[i - 1][0]}`);
      }
    }
    assert.deepEqual(wrong, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
