// `make bench`: measures Overlap against its performance targets.
//
//   node tests/bench/bench.mjs [--smoke] [--out target/bench/report.json]
//
// Drives the release build (dist/) in headless Chromium through the page's
// automation hook (window.wasmBindings.runExperiment), runs core's native
// baseline for the same tasks, and writes a JSON report plus a table. A
// benchmark, not a test: it reports figures and never fails on a missed
// target. --smoke runs tiny sizes once, to check the report's structure.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

import { startServer } from '../e2e/server.mjs';
import { launch, openPage, poolOutcome } from '../e2e/browser.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** median, min and max of a sample. */
export function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length };
}

function nativeTask({ kernel, size, reps }) {
  const out = execFileSync(
    'cargo',
    ['run', '--release', '-q', '-p', 'overlap-core', '--example', 'bench_native', '--',
      '--kernel', kernel, '--size', String(size), '--index', '0', '--seed', '42', '--reps', String(reps)],
    { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(out);
}

function fileSizes(dist) {
  const sizes = { wasm_bytes: 0, wasm_gzip_bytes: 0, js_bytes: 0, js_gzip_bytes: 0 };
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      const kind = entry.name.endsWith('.wasm') ? 'wasm' : entry.name.endsWith('.js') ? 'js' : null;
      if (!kind || !entry.isFile()) continue;
      const bytes = fs.readFileSync(file);
      sizes[`${kind}_bytes`] += bytes.length;
      sizes[`${kind}_gzip_bytes`] += zlib.gzipSync(bytes, { level: 9 }).length;
    }
  };
  walk(dist);
  return sizes;
}

function gitRev() {
  try {
    const rev = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${rev}-dirty` : rev;
  } catch {
    return 'unknown';
  }
}

/** Runs the whole benchmark; resolves with the report object. */
export async function runBench({ smoke = false, dist = path.join(ROOT, 'dist'), log = console.error } = {}) {
  const reps = smoke ? 1 : 5;
  const loads = smoke ? 2 : 10;
  // ~2 s of single-thread work in 16 equal prime-counting tasks (smoke: tiny).
  const scaling = smoke ? { n: 4, size: 20 } : { n: 16, size: 1000 };
  const single = smoke ? { kernel: 'primes', size: 50 } : { kernel: 'primes', size: 2000 };
  const ioCounts = smoke ? [100, 1000] : [10_000, 100_000];
  const coop = smoke ? { n: 2, size: 20 } : { n: 4, size: 500 };

  const server = await startServer({ dist });
  const browser = await launch();
  const report = {
    browser: `Chromium ${browser.version()}`,
    git_rev: gitRev(),
    smoke,
    repetitions: reps,
  };
  try {
    log(`bench: ${loads} fresh loads`);
    const startup = [];
    const ready = [];
    for (let i = 0; i < loads; i++) {
      const { page, context } = await openPage(browser, server.url);
      try {
        if ((await poolOutcome(page)) !== 'ready') throw new Error('the pool did not start');
        startup.push(Number(await page.getByTestId('cap-pool-startup-ms').textContent()));
        ready.push(Number(await page.getByTestId('pool-status').getAttribute('data-ready-ms')));
      } finally {
        await context.close();
      }
    }
    report.pool_startup_ms = stats(startup);
    report.time_to_ready_ms = stats(ready);

    const { page, context } = await openPage(browser, server.url);
    try {
      await poolOutcome(page);
      report.hardware_concurrency = await page.evaluate(() => navigator.hardwareConcurrency);
      report.pool_threads = Number(await page.getByTestId('cap-threads').textContent());
      const run = (query) =>
        page.evaluate((q) => window.wasmBindings.runExperiment(q).then(JSON.parse), query);
      const repeat = async (query) => {
        const runs = [];
        for (let i = 0; i < reps; i++) runs.push(await run(query));
        return runs;
      };
      const lagOf = (runs) => ({
        p50: stats(runs.map((r) => r.lag_p50_ms ?? 0)).median,
        p95: stats(runs.map((r) => r.lag_p95_ms ?? 0)).median,
        max: stats(runs.map((r) => r.lag_max_ms ?? 0)).max,
      });
      const longTasksOf = (runs) => (runs[0].long_tasks === null ? null : stats(runs.map((r) => r.long_tasks)).median);

      await run('w=cpu&s=pool&k=1&n=2&kernel=primes&size=20'); // warm-up: compile and tier up

      const n = report.pool_threads;
      log(`bench: CPU scaling k = 1…${n}`);
      report.cpu_scaling = [];
      let baseline = null;
      let poolRuns = null;
      for (let k = 1; k <= n; k++) {
        const runs = await repeat(`w=cpu&s=pool&k=${k}&n=${scaling.n}&kernel=primes&size=${scaling.size}`);
        const wall = stats(runs.map((r) => r.wall_ms));
        baseline ??= wall.median;
        const speedup = baseline / wall.median;
        report.cpu_scaling.push({ k, wall_ms: wall, speedup, efficiency: speedup / k, predicted_wall_ms: stats(runs.map((r) => r.predicted.wall_ms)).median });
        poolRuns = runs;
      }

      log('bench: data-parallel and wasm/native');
      const one = `n=1&kernel=${single.kernel}&size=${single.size}`;
      const onWorker = await repeat(`w=cpu&s=pool&k=1&${one}`);
      // Like for like: the same data-parallel code and timing boundary, on
      // one thread and on all of them.
      const dataParallelOne = await repeat(`w=cpu&s=par&k=1&${one}`);
      const dataParallel = await repeat(`w=cpu&s=par&k=${n}&${one}`);
      const wasmSingle = stats(onWorker.map((r) => r.wall_ms));
      const wasmParallel = stats(dataParallel.map((r) => r.wall_ms));
      report.data_parallel_speedup = stats(dataParallelOne.map((r) => r.wall_ms)).median / wasmParallel.median;
      const native = nativeTask({ ...single, reps });
      report.native = native;
      report.wasm_single_ms = wasmSingle;
      report.wasm_parallel_ms = wasmParallel;
      report.wasm_native_ratio_single = wasmSingle.median / native.single_ms.median;
      report.wasm_native_ratio_parallel = wasmParallel.median / native.parallel_ms.median;

      log('bench: I/O overhead');
      report.io_overhead_ms = {};
      for (const count of ioCounts) {
        const runs = await repeat(`w=io&s=conc&io=${count}&lat=fixed&ms=100`);
        report.io_overhead_ms[count] = stats(runs.map((r) => r.wall_ms - 100));
      }

      log('bench: cooperative, inline and idle');
      const cpuWork = `n=${coop.n}&kernel=primes&size=${coop.size}`;
      const inline = await repeat(`w=cpu&s=inline&${cpuWork}`);
      const cooperative = await repeat(`w=cpu&s=coop&${cpuWork}`);
      report.cooperative_overhead = stats(cooperative.map((r) => r.wall_ms)).median / stats(inline.map((r) => r.wall_ms)).median;
      report.yield_overhead_us = stats(cooperative.map((r) => r.yield_overhead_us)).median;
      const idle = await repeat(`w=io&s=conc&io=1&lat=fixed&ms=${smoke ? 100 : 1000}`);
      report.lag_ms = {
        pool_k_n: lagOf(poolRuns),
        inline_blocking: lagOf(inline),
        cooperative: lagOf(cooperative),
        idle: lagOf(idle),
      };
      report.long_tasks = {
        pool_k_n: longTasksOf(poolRuns),
        inline_blocking: longTasksOf(inline),
        cooperative: longTasksOf(cooperative),
        idle: longTasksOf(idle),
      };
    } finally {
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  Object.assign(report, fileSizes(dist));
  return report;
}

const fmt = (x, digits = 2) => (x === null || x === undefined || Number.isNaN(x) ? 'n/a' : Number(x).toFixed(digits));

/** The report as a table: each figure, where it stands, and its target. */
export function table(r) {
  const rows = [
    ['browser', r.browser, ''],
    ['cores / pool threads', `${r.hardware_concurrency} / ${r.pool_threads}`, ''],
    ...r.cpu_scaling.map((s) => [`CPU k=${s.k} wall ms (median)`, `${fmt(s.wall_ms.median, 1)}  speed-up ${fmt(s.speedup)}  eff ${fmt(s.efficiency)}`, s.k === 2 ? 'speed-up ≥ 1.90' : '']),
    ['data-parallel speed-up', fmt(r.data_parallel_speedup), ''],
    ['wasm / native, single', fmt(r.wasm_native_ratio_single), '≤ 1.20'],
    ['wasm / native, parallel', fmt(r.wasm_native_ratio_parallel), ''],
    ...Object.entries(r.io_overhead_ms).map(([n, s]) => [`io overhead ${n} waits (ms)`, fmt(s.median, 1), n === '10000' ? '≤ 30' : n === '100000' ? '≤ 400' : '']),
    ['cooperative / inline', fmt(r.cooperative_overhead), ''],
    ['yield overhead (µs)', fmt(r.yield_overhead_us, 1), ''],
    ...Object.entries(r.lag_ms).map(([run, l]) => [`lag ${run} p50/p95/max ms`, `${fmt(l.p50, 1)} / ${fmt(l.p95, 1)} / ${fmt(l.max, 1)}  long tasks ${r.long_tasks[run] ?? 'n/a'}`, run === 'pool_k_n' ? 'p95 ≤ 16, 0 long tasks' : '']),
    ['pool start-up ms (median)', fmt(r.pool_startup_ms.median, 1), '≤ 150'],
    ['time to ready ms (median)', fmt(r.time_to_ready_ms.median, 1), '≤ 1000'],
    ['wasm raw / gzip KB', `${fmt(r.wasm_bytes / 1000, 1)} / ${fmt(r.wasm_gzip_bytes / 1000, 1)}`, 'gzip ≤ 350'],
    ['js raw / gzip KB', `${fmt(r.js_bytes / 1000, 1)} / ${fmt(r.js_gzip_bytes / 1000, 1)}`, ''],
  ];
  const w0 = Math.max(...rows.map((row) => row[0].length));
  const w1 = Math.max(...rows.map((row) => String(row[1]).length));
  return rows.map(([a, b, c]) => `${a.padEnd(w0)}  ${String(b).padEnd(w1)}  ${c ? `target ${c}` : ''}`.trimEnd()).join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const smoke = args.includes('--smoke');
  const outIndex = args.indexOf('--out');
  const out = path.resolve(outIndex >= 0 ? args[outIndex + 1] : path.join(ROOT, 'target/bench/report.json'));
  const report = await runBench({ smoke });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(table(report));
  console.log(`\nreport: ${path.relative(process.cwd(), out)}`);
}
