// The benchmark beside other programs, as on a visitor's laptop: one
// busy-looping process per core while 10,000 and 100,000 concurrent waits
// run through the hook (their overhead over the latency, and the main
// thread's long tasks) and while 100,000 waits are clicked in the page and
// drawn. Reported, not judged: issue 29 asks for these figures beside the
// quiet machine's targets.

import { spawn } from 'node:child_process';
import os from 'node:os';

import { hook, openPage, poolOutcome } from '../e2e/browser.mjs';
import { clickedRun } from './drawing.mjs';

/** `n` processes that spin until killed. */
function busyLoops(n) {
  return Array.from({ length: n }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
}

/** The busy section of the report; `stats` is the bench's median/min/max. */
export async function benchBusy({ browser, url, smoke, log, ioCounts, stats }) {
  const loops = busyLoops(os.availableParallelism());
  try {
    log(`bench: beside ${loops.length} busy loops`);
    const out = { loops: loops.length, io_overhead_ms: {}, io_long_tasks: {} };
    const { page, context } = await openPage(browser, url);
    try {
      if ((await poolOutcome(page, 60_000)) !== 'ready') throw new Error('the pool did not start');
      for (const count of ioCounts) {
        const runs = [];
        for (let i = 0; i < (smoke ? 1 : 3); i++) {
          runs.push(await hook(page, `w=io&s=conc&io=${count}&lat=fixed&ms=100`));
        }
        out.io_overhead_ms[count] = stats(runs.map((r) => r.wall_ms - 100));
        // The most any run had; null where the browser cannot tell.
        out.io_long_tasks[count] = runs.some((r) => r.long_tasks === null) ? null : Math.max(...runs.map((r) => r.long_tasks));
      }
    } finally {
      await context.close();
    }
    log('bench: beside busy loops, drawing 100,000 waits');
    const query = smoke ? 'w=io&s=conc&io=2000&lat=fixed&ms=50' : 'w=io&s=conc&io=100000&lat=fixed&ms=100';
    const clicked = await clickedRun(browser, url, query);
    out.drawing_io_100k = clicked.figures;
    await clicked.context.close();
    return out;
  } finally {
    for (const loop of loops) loop.kill('SIGKILL');
  }
}
