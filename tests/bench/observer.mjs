// The benchmark's observer section: does the page's own drawing disturb the
// run it shows? The same experiment in the same page, clicked with Run (live
// timeline, dial, results drawn) and through the hook (nothing drawn),
// alternately, so that both see the same page and the same machine state.
//
//   node tests/bench/observer.mjs [--smoke]   (on dist/, alone)

import { hook, openReady } from '../e2e/browser.mjs';

/** The presets measured: where a run shares the main thread or the cores with the drawing. */
export const OBSERVER_CASES = {
  cooperative: 'w=cpu&s=coop&n=3&kernel=primes&size=1000&chunk=4',
  cooperative_chunk_1: 'w=cpu&s=coop&n=3&kernel=primes&size=1000&chunk=1',
  pool: 'w=cpu&s=pool&k=2&n=8&kernel=primes&size=1000',
  mixed: 'w=mixed&s=inline&io=20&n=2&lat=fixed&ms=50&kernel=primes&size=1000',
};

const SMOKE_CASES = {
  cooperative: 'w=cpu&s=coop&n=2&kernel=primes&size=20&chunk=4',
  pool: 'w=cpu&s=pool&k=2&n=4&kernel=primes&size=20',
};

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** One run clicked in the page: its wall time and the drawing cost the page states. */
async function clicked(page) {
  await page.evaluate(() => {
    const shown = document.querySelector('[data-testid="metric-wall-ms"]');
    if (shown) shown.dataset.old = '1';
  });
  await page.getByTestId('run').click();
  const fresh = page.locator('[data-testid="metric-wall-ms"]:not([data-old])');
  await fresh.waitFor({ timeout: 120_000 });
  await page.getByTestId('run').and(page.locator(':enabled')).waitFor({ timeout: 120_000 });
  const drawing = page.getByTestId('metric-drawing-ms');
  return {
    wall_ms: Number(await fresh.textContent()),
    drawing_ms: (await drawing.count()) ? Number(await drawing.getAttribute('data-value')) : null,
  };
}

/** Walls in the page and through the hook, `rounds` of each, their ratio and the page's stated drawing cost. */
async function measure(browser, url, query, rounds) {
  const { page, context } = await openReady(browser, `${url}?${query}`);
  try {
    const viaHook = () => hook(page, query);
    // Warm-up: compiles, tiers up, and keeps T₁ for the session, so that
    // neither side pays for it.
    await viaHook();
    await clicked(page);
    const inPage = [];
    const throughHook = [];
    // Alternate which goes first, so that a drift of the machine over the
    // rounds weighs on both sides alike.
    for (let i = 0; i < rounds; i++) {
      if (i % 2) throughHook.push((await viaHook()).wall_ms);
      inPage.push(await clicked(page));
      if (!(i % 2)) throughHook.push((await viaHook()).wall_ms);
    }
    const pageWalls = inPage.map((r) => r.wall_ms);
    const drawing = inPage.map((r) => r.drawing_ms).filter((d) => d !== null);
    return {
      page_wall_ms: pageWalls,
      hook_wall_ms: throughHook,
      // The target's figure; the minima's ratio is less swayed by a noisy machine.
      ratio: median(pageWalls) / median(throughHook),
      ratio_of_minima: Math.min(...pageWalls) / Math.min(...throughHook),
      drawing_ms: drawing.length ? median(drawing) : null,
    };
  } finally {
    await context.close();
  }
}

/** The observer section of the report: per case, walls, ratio (target ≤ 1.05), drawing cost. */
export async function benchObserver({ browser, url, smoke, log }) {
  const out = {};
  for (const [name, query] of Object.entries(smoke ? SMOKE_CASES : OBSERVER_CASES)) {
    log(`bench: observer, ${name}`);
    out[name] = await measure(browser, url, query, smoke ? 1 : 11);
  }
  return out;
}

if (process.argv[1]?.endsWith('observer.mjs')) {
  const { launch } = await import('../e2e/browser.mjs');
  const { startServer } = await import('../e2e/server.mjs');
  const server = await startServer({ dist: new URL('../../dist', import.meta.url).pathname });
  const browser = await launch();
  try {
    const result = await benchObserver({ browser, url: server.url, smoke: process.argv.includes('--smoke'), log: console.error });
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await browser.close();
    await server.close();
  }
}
