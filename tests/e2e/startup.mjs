// Measures page and pool start-up over fresh loads of the release build:
//   node tests/e2e/startup.mjs [--loads 10] [--dist dist]
// Prints one JSON object: loads, failures (with reasons), and the median, min
// and max of the pool start-up time the page reports and of navigation to
// pool ready.

import path from 'node:path';
import { startServer } from './server.mjs';
import { launch, openPage, poolOutcome } from './browser.mjs';

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

const loads = Number(arg('--loads', '10'));
const dist = path.resolve(arg('--dist', 'dist'));
const server = await startServer({ dist });
const browser = await launch();
const startup = [];
const ready = [];
const failures = [];
try {
  for (let i = 0; i < loads; i++) {
    const { page, context, errors } = await openPage(browser, server.url);
    try {
      const state = await poolOutcome(page);
      if (state !== 'ready' || errors.length) {
        failures.push({ load: i + 1, state, errors });
        continue;
      }
      startup.push(Number(await page.getByTestId('cap-pool-startup-ms').textContent()));
      // The page clock counts from navigation start, so "now" is time to ready
      // (an upper bound: it includes this round trip).
      ready.push(await page.evaluate(() => performance.now()));
    } finally {
      await context.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(JSON.stringify({
  loads,
  failures: failures.length,
  failure_details: failures,
  pool_startup_ms: summary(startup),
  navigation_to_ready_ms_upper_bound: summary(ready),
}, null, 2));
