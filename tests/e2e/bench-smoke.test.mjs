// The benchmark's smoke variant: tiny sizes, one repetition, checking that
// every figure of the report is there and has a sensible type. No figure is
// judged against its target here: that is `make bench`'s job.

import { test } from 'node:test';
import assert from 'node:assert/strict';

import { runBench, table } from '../bench/bench.mjs';

const KEYS = [
  'browser', 'hardware_concurrency', 'pool_threads', 'git_rev', 'pool_startup_ms', 'time_to_ready_ms',
  'cpu_scaling', 'data_parallel_speedup', 'wasm_native_ratio_single', 'wasm_native_ratio_parallel',
  'wasm_native_single', 'native_parallel_speedup', 'handoff_ms', 'process_scaling',
  'io_overhead_ms', 'cooperative_overhead', 'lag_ms', 'long_tasks',
  'wasm_bytes', 'wasm_gzip_bytes', 'js_bytes', 'js_gzip_bytes',
  'fallback_time_to_ready_ms', 'fallback_process_scaling', 'drawing', 'observer',
  'fallback_wasm_bytes', 'fallback_wasm_gzip_bytes', 'fallback_js_bytes', 'fallback_js_gzip_bytes', 'busy',
];

const positive = (x, what) => assert.ok(Number.isFinite(x) && x > 0, `${what}: ${x}`);
const isStats = (s, what) => {
  for (const key of ['median', 'min', 'max']) assert.equal(typeof s[key], 'number', `${what}.${key}`);
  assert.ok(s.min <= s.median && s.median <= s.max, `${what}: ${JSON.stringify(s)}`);
};

test('the benchmark report has every figure', { timeout: 180_000 }, async () => {
  const report = await runBench({ smoke: true, log: () => {} });
  for (const key of KEYS) assert.ok(key in report, `missing ${key}`);
  assert.match(report.browser, /^Chromium \d+/);
  isStats(report.pool_startup_ms, 'pool_startup_ms');
  isStats(report.time_to_ready_ms, 'time_to_ready_ms');
  assert.equal(report.cpu_scaling.length, report.pool_threads);
  report.cpu_scaling.forEach((s, i) => {
    assert.equal(s.k, i + 1);
    isStats(s.wall_ms, `cpu_scaling[${i}].wall_ms`);
    positive(s.speedup, 'speedup');
    positive(s.efficiency, 'efficiency');
  });
  for (const key of ['data_parallel_speedup', 'wasm_native_ratio_single', 'wasm_native_ratio_parallel',
    'native_parallel_speedup', 'cooperative_overhead']) {
    positive(report[key], key);
  }
  // A figure that is due is a number: null (never 0) marks only what does not apply.
  assert.deepEqual(Object.keys(report.wasm_native_single), ['primes', 'mandelbrot', 'hash', 'reduce']);
  for (const [kernel, v] of Object.entries(report.wasm_native_single)) {
    positive(v.ratio, `wasm_native_single.${kernel}.ratio`);
    isStats(v.wasm_ms, `wasm_native_single.${kernel}.wasm_ms`);
  }
  // The hash's like-for-like row is the portable SHA-256; the best native apart.
  positive(report.wasm_native_single.hash.ratio_best, 'wasm_native_single.hash.ratio_best');
  assert.equal(report.wasm_native_single.mandelbrot.tasks, 32);
  isStats(report.handoff_ms, 'handoff_ms');
  assert.equal(report.process_scaling.length, report.pool_threads);
  report.process_scaling.forEach((s, i) => {
    isStats(s.wall_ms, `process_scaling[${i}].wall_ms`);
    for (const key of ['speedup', 'vs_pool', 'startup_ms', 'copy_ms']) positive(s[key], `process_scaling[${i}].${key}`);
  });
  report.cpu_scaling.forEach((s, i) => positive(s.t1_speedup, `cpu_scaling[${i}].t1_speedup`));
  assert.deepEqual(Object.keys(report.io_overhead_ms), ['100', '1000']);
  for (const run of ['pool_k_n', 'inline_blocking', 'cooperative', 'idle']) {
    for (const p of ['p50', 'p95', 'max']) assert.ok(Number.isFinite(report.lag_ms[run][p]), `lag ${run} ${p}: ${report.lag_ms[run][p]}`);
    assert.ok(report.long_tasks[run] === null || Number.isInteger(report.long_tasks[run]));
  }
  for (const prefix of ['', 'fallback_']) {
    for (const key of ['wasm_bytes', 'wasm_gzip_bytes', 'js_bytes', 'js_gzip_bytes']) positive(report[prefix + key], prefix + key);
    assert.ok(report[`${prefix}wasm_gzip_bytes`] < report[`${prefix}wasm_bytes`]);
  }
  isStats(report.fallback_time_to_ready_ms, 'fallback_time_to_ready_ms');
  for (const k of ['io_100k', 'cpu_256']) {
    positive(report.drawing[k].wall_ms, `drawing.${k}.wall_ms`);
    assert.ok(report.drawing[k].after_wait_ms >= 0, `drawing.${k}.after_wait_ms`);
    assert.ok(Number.isInteger(report.drawing[k].long_tasks), `drawing.${k}.long_tasks`);
  }
  positive(report.drawing.zoom_10k.fps, 'drawing.zoom_10k.fps');
  assert.deepEqual(Object.keys(report.observer), ['cooperative', 'pool']);
  for (const [name, o] of Object.entries(report.observer)) {
    positive(o.ratio, `observer.${name}.ratio`);
    // A run clicked in the page states what its drawing took.
    assert.ok(Number.isFinite(o.drawing_ms) && o.drawing_ms >= 0, `observer.${name}.drawing_ms: ${o.drawing_ms}`);
  }
  positive(report.drawing.zoom_10k.p95_frame_ms, 'drawing.zoom_10k.p95_frame_ms');
  assert.equal(report.fallback_process_scaling.length, report.pool_threads);
  report.fallback_process_scaling.forEach((s, i) => {
    assert.equal(s.k, i + 1);
    isStats(s.wall_ms, `fallback_process_scaling[${i}].wall_ms`);
    positive(s.speedup, `fallback_process_scaling[${i}].speedup`);
  });
  // Beside one busy loop per core: the overheads and long tasks are there.
  assert.ok(Number.isInteger(report.busy.loops) && report.busy.loops >= 1, `busy.loops: ${report.busy.loops}`);
  assert.deepEqual(Object.keys(report.busy.io_overhead_ms), ['100', '1000']);
  for (const [n, s] of Object.entries(report.busy.io_overhead_ms)) {
    isStats(s, `busy.io_overhead_ms.${n}`);
    const long = report.busy.io_long_tasks[n];
    assert.ok(long === null || Number.isInteger(long), `busy.io_long_tasks.${n}: ${long}`);
  }
  positive(report.busy.drawing_io_100k.wall_ms, 'busy.drawing_io_100k.wall_ms');
  assert.ok(Number.isInteger(report.busy.drawing_io_100k.long_tasks), 'busy.drawing_io_100k.long_tasks');
  assert.match(table(report), /busy loops: io overhead 1000 waits/);
  assert.match(table(report), /wasm \/ native, single/);
  assert.match(table(report), /observer pool: page ÷ hook wall/);
});
