// Shared set-up of the end-to-end tests: Debian's Chromium driven by
// playwright-core (Playwright cannot download its own browsers here).

import fs from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

import { startServer } from './server.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// Flags measured on these machines: without the networking ones Chromium
// keeps trying to reach services the sandbox cannot reach.
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches headless Chromium; every context it makes is a fresh profile. */
export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

/**
 * Opens `url` in a fresh context and records console errors and uncaught
 * exceptions; resolves with { page, context, errors }. The browser speaks
 * English unless `contextOptions.locale` says otherwise (the page follows
 * the browser's language, and most tests read its English).
 */
export async function openPage(browser, url, contextOptions = {}) {
  const context = await browser.newContext({ locale: 'en-US', ...contextOptions });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`page: ${err.message}`));
  await page.goto(url);
  return { page, context, errors };
}

/** Runs `query` through the page's automation hook; resolves with its parsed JSON. */
export const hook = (page, query) =>
  page.evaluate((q) => window.wasmBindings.runExperiment(q).then(JSON.parse), query);

/** Waits until the pool reports ready or failed, and returns that state. */
export async function poolOutcome(page, timeout = 30_000) {
  const status = page.getByTestId('pool-status');
  await status.and(page.locator('[data-state="ready"], [data-state="failed"]')).waitFor({ timeout });
  return status.getAttribute('data-state');
}

/** Opens `url` like `openPage` and waits for the pool; fails unless it is ready. */
export async function openReady(browser, url, contextOptions = {}) {
  const opened = await openPage(browser, url, contextOptions);
  const state = await poolOutcome(opened.page);
  if (state !== 'ready') throw new Error(`the pool is ${state}, not ready, at ${url}`);
  return opened;
}

/**
 * Chromium and a server of `dist` for the tests of one file: started before
 * them, closed after them. Returns an object whose `browser` and `server`
 * are set once started.
 */
export function servedBrowser(options) {
  const served = {};
  before(async () => {
    served.browser = await launch();
    served.server = await startServer(options);
  });
  after(async () => {
    await served.browser?.close();
    await served.server?.close();
  });
  return served;
}

/**
 * The fastest of `runs` runs of `run()` (each resolving with the hook's
 * figures), and of up to `extra` more while the fastest was measured on a
 * busy device (its `core_share` below 0.8: other programs had the cores).
 * A busy machine only ever slows a run down, so the fastest run is the
 * claim's fairest witness; it never passes a run whose speed-up it did not
 * see. `attempts` lists every run's speed-up and core share, for messages.
 */
export async function fastest(run, { runs = 3, extra = 2 } = {}) {
  const all = [];
  const best = () => all.reduce((a, b) => ((b.speedup ?? 0) > (a.speedup ?? 0) ? b : a));
  for (let i = 0; i < runs; i++) all.push(await run());
  for (let i = 0; i < extra && (best().core_share ?? 1) < 0.8; i++) all.push(await run());
  const attempts = all.map((m) => `speed-up ${m.speedup?.toFixed(2)} at core share ${m.core_share?.toFixed(2)}`).join('; ');
  return { best: best(), attempts };
}

/** A small seeded generator (mulberry32), so that a failure can be replayed. */
export function random(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (items) => items[int(items.length)];
  return { next, int, pick };
}

/**
 * Clicks preset `id`'s button, opening its chapter first when another is
 * open (each button names its chapter in `data-chapter`).
 */
export async function choosePreset(page, id) {
  const button = page.getByTestId(`preset-${id}`);
  if (!(await button.isVisible())) {
    await page.getByTestId(`chapter-${await button.getAttribute('data-chapter')}`).click();
  }
  await button.click();
}

/**
 * Presses Run and waits for the run's end: a new wall time (the last one is
 * marked old first) and Run enabled again.
 */
export async function runToEnd(page) {
  await page.evaluate(() => document.querySelector('[data-testid="metric-wall-ms"]')?.setAttribute('data-old', '1'));
  await page.getByTestId('run').click();
  await page.locator('[data-testid="metric-wall-ms"]:not([data-old])').waitFor({ timeout: 120_000 });
  await page.getByTestId('run').and(page.locator(':enabled')).waitFor({ timeout: 120_000 });
}

/** Presses Run, waits for a wall time and reads wall, speed-up (as text) and lag p95. */
export async function runAndRead(page) {
  await page.getByTestId('run').click();
  await page.getByTestId('metric-wall-ms').waitFor({ timeout: 90_000 });
  const read = async (id) => (await page.getByTestId(`metric-${id}`).textContent()).trim();
  return {
    wall: Number(await read('wall-ms')),
    speedup: await read('speedup'),
    lagP95: Number(await read('lag-p95-ms')),
  };
}

/** A language's catalogue as the page in `dist` gets it (core's reader wrote it): key → value. */
export function catalogue(dist, lang) {
  return JSON.parse(fs.readFileSync(path.join(dist, 'text', `${lang}.json`), 'utf8')).entries;
}
