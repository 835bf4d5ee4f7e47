// The benchmark's drawing section: what the page's own drawing costs on big
// runs, clicked in the page as a visitor does (the hook draws nothing).
//
// - 100,000 concurrent waits and 256 CPU tasks: the time from the wait's
//   return to the results on screen, and the long tasks (≥ 50 ms) the main
//   thread had from the click to a second after the results;
// - zooming and panning the timeline of a 10,000-task run with the keyboard:
//   frames per second and the 95th percentile of the frame interval.

import { openPage, poolOutcome } from '../e2e/browser.mjs';

/** Records long tasks and animation frames in window.__bench from the page's start. */
function instrument() {
  window.__bench = { longTasks: [], frames: [], counting: false };
  // Long animation frames where the browser has them: its long-task
  // observer misses the threaded build's work, which resumes from
  // Atomics.waitAsync promises (see crates/runtime/src/probes.rs).
  const type = ['long-animation-frame', 'longtask'].find((t) => PerformanceObserver.supportedEntryTypes?.includes(t));
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__bench.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type, buffered: true });
  } catch {
    window.__bench.longTasks = null;
  }
  const frame = (t) => {
    if (window.__bench.counting) window.__bench.frames.push(t);
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : null;
};

/** Opens the page on `query`, runs it twice with the Run button, and measures the second run's drawing. */
export async function clickedRun(browser, url, query) {
  const { page, context } = await openPage(browser, `${url}?${query}`);
  await page.addInitScript(instrument);
  await page.reload();
  if ((await poolOutcome(page)) !== 'ready') throw new Error('the pool did not start');
  // A first run measures T₁ after the wait (kept for the session): the
  // second run's time after the wait is the page's drawing only.
  await page.getByTestId('run').click();
  await page.getByTestId('metric-wall-ms').waitFor({ timeout: 300_000 });
  await page.getByTestId('run').and(page.locator(':enabled')).waitFor({ timeout: 300_000 });
  // The first run's figure is marked: the second run's is a new element,
  // seen by an observer in the page (the harness's own polling would add up
  // to its interval to the time).
  const clicked = await page.evaluate(() => {
    document.querySelector('[data-testid="metric-wall-ms"]').dataset.old = '1';
    window.__shown = new Promise((done) => {
      const observer = new MutationObserver(() => {
        if (document.querySelector('[data-testid="metric-wall-ms"]:not([data-old])')) {
          observer.disconnect();
          requestAnimationFrame(() => done(performance.now()));
        }
      });
      observer.observe(document.body, { childList: true, subtree: true });
    });
    return performance.now();
  });
  await page.getByTestId('run').click();
  await page.locator('[data-testid="metric-wall-ms"]:not([data-old])').waitFor({ timeout: 300_000 });
  const shown = await page.evaluate(() => window.__shown);
  // What the results set off (the history's save, in a task of its own)
  // counts too: long tasks are read up to a second after the results.
  await page.waitForTimeout(1_000);
  const wall = Number(await page.getByTestId('metric-wall-ms').textContent());
  const long = await page.evaluate(([from, to]) =>
    window.__bench.longTasks?.filter((t) => t.start >= from && t.start <= to) ?? null, [clicked, shown + 1_000]);
  return {
    page,
    context,
    figures: {
      wall_ms: wall,
      // From the wait's return to the results drawn (the click starts the run
      // within a frame).
      after_wait_ms: Math.max(0, shown - clicked - wall),
      long_tasks: long === null ? null : long.length,
      longest_task_ms: long === null ? null : Math.max(0, ...long.map((t) => t.duration)),
    },
  };
}

/** Frames per second and p95 frame interval while the timeline is zoomed and panned by keys. */
async function zoomFrames(page, presses) {
  await page.locator('.timeline-panel [data-testid="timeline"] svg[aria-label]').focus();
  await page.evaluate(() => {
    window.__bench.frames = [];
    window.__bench.counting = true;
  });
  const keys = ['+', '+', 'ArrowRight', 'ArrowRight', '-', 'ArrowLeft', '+', '0'];
  for (let i = 0; i < presses; i++) await page.keyboard.press(keys[i % keys.length]);
  const frames = await page.evaluate(() => {
    window.__bench.counting = false;
    return window.__bench.frames;
  });
  const gaps = frames.slice(1).map((t, i) => t - frames[i]);
  const elapsed = frames.length > 1 ? frames.at(-1) - frames[0] : 0;
  return {
    presses,
    fps: elapsed > 0 ? ((frames.length - 1) * 1000) / elapsed : null,
    p95_frame_ms: percentile(gaps, 0.95),
  };
}

/** The drawing section of the report. */
export async function benchDrawing({ browser, url, smoke, log }) {
  const cases = smoke
    ? { io_100k: 'w=io&s=conc&io=2000&lat=fixed&ms=50', cpu_256: 'w=cpu&s=pool&k=2&n=16&kernel=primes&size=5' }
    : { io_100k: 'w=io&s=conc&io=100000&lat=fixed&ms=100', cpu_256: 'w=cpu&s=pool&k=2&n=256&kernel=primes&size=20' };
  const out = {};
  for (const [name, query] of Object.entries(cases)) {
    log(`bench: drawing, ${name}`);
    const { context, figures } = await clickedRun(browser, url, query);
    out[name] = figures;
    await context.close();
  }
  log('bench: drawing, zoom and pan on 10,000 tasks');
  const big = smoke ? 'w=io&s=conc&io=500&lat=fixed&ms=20' : 'w=io&s=conc&io=10000&lat=fixed&ms=100';
  const { page, context } = await clickedRun(browser, url, big);
  out.zoom_10k = await zoomFrames(page, smoke ? 8 : 60);
  await context.close();
  return out;
}
