// End-to-end soak (issue 14): the heaviest presets run one after another in
// one page, clicked as a visitor would, and what a long session could leak
// is sampled after each run: the wasm memory (the hook's
// `wasm_memory_bytes`), the page's workers and its DOM nodes. `make test`
// runs a short soak; `make soak` runs 200 (OVERLAP_SOAK_RUNS) and writes
// the curves to target/soak/runs.json.
//
// The bounds: after the first pass through the presets (which grows the
// memory to what the largest of them needs), the memory grows by at most
// 16 MiB over the rest of the soak and stays under a quarter of the 1 GiB
// ceiling; the page has as many workers after every run as after the first
// (the process pool's end with their runs); each preset's page holds at most
// 300 nodes more than it did on the first pass (the history's list grows up
// to its 30 runs, some 240 nodes; the lag plot has a point per heartbeat, so
// a preset's count varies with its run's length), and from 120 runs on, no
// preset's largest count in the second half of the soak exceeds its largest
// in the first half by more than 100 (measured: at most 53, a GIL run).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { openReady, servedBrowser, choosePreset } from './browser.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const served = servedBrowser({ dist: path.join(ROOT, 'dist') });
const RUNS = Number(process.env.OVERLAP_SOAK_RUNS || 24);
const PRESETS = ['mandelbrot', 'run-in-executor', 'process-pool', 'amdahl', 'gil', 'mixed'];
const MIB = 1024 * 1024;

test(`${RUNS} runs of the heaviest presets in one page stay within bounds`, { timeout: 60_000 + RUNS * 20_000 }, async (t) => {
  const { page, context, errors } = await openReady(served.browser, served.server.url);
  const samples = [];
  try {
    const announcer = page.getByTestId('announcer');
    for (let i = 0; i < RUNS; i += 1) {
      const preset = PRESETS[i % PRESETS.length];
      await choosePreset(page, preset);
      await page.getByTestId('run').click();
      await announcer.and(page.locator('[data-state="done"], [data-state="failed"]')).waitFor({ timeout: 60_000 });
      assert.equal(await announcer.getAttribute('data-state'), 'done', `run ${i + 1} (${preset}) failed`);
      // A one-wait run through the hook reads the memory after the run.
      const probe = await page.evaluate(() =>
        window.wasmBindings.runExperiment('w=io&s=conc&io=1&lat=fixed&ms=1&spread=0').then(JSON.parse));
      samples.push({
        run: i + 1,
        preset,
        wasm_memory_bytes: probe.wasm_memory_bytes,
        workers: page.workers().length,
        dom_nodes: await page.evaluate(() => document.getElementsByTagName('*').length),
      });
    }
    const first = samples[Math.min(PRESETS.length, samples.length) - 1];
    const last = samples[samples.length - 1];
    const most = (key) => Math.max(...samples.map((s) => s[key]));
    t.diagnostic(`after the first pass: ${(first.wasm_memory_bytes / MIB).toFixed(1)} MiB, ${first.workers} workers, ${first.dom_nodes} nodes`);
    t.diagnostic(`after run ${last.run}: ${(last.wasm_memory_bytes / MIB).toFixed(1)} MiB, ${last.workers} workers, ${last.dom_nodes} nodes; most nodes ${most('dom_nodes')}`);
    if (process.env.OVERLAP_SOAK_OUT) {
      fs.mkdirSync(path.dirname(process.env.OVERLAP_SOAK_OUT), { recursive: true });
      fs.writeFileSync(process.env.OVERLAP_SOAK_OUT, JSON.stringify(samples, null, 1));
    }
    for (const s of samples.slice(PRESETS.length)) {
      assert.ok(s.wasm_memory_bytes - first.wasm_memory_bytes <= 16 * MIB, `run ${s.run}: memory grew to ${s.wasm_memory_bytes}`);
      assert.ok(s.wasm_memory_bytes <= 256 * MIB, `run ${s.run}: ${s.wasm_memory_bytes} bytes`);
      assert.equal(s.workers, first.workers, `run ${s.run}: ${s.workers} workers`);
      const firstPass = samples[(s.run - 1) % PRESETS.length];
      assert.ok(s.dom_nodes <= firstPass.dom_nodes + 300, `run ${s.run}: ${s.dom_nodes} nodes, ${firstPass.dom_nodes} on the first pass`);
    }
    if (samples.length >= 120) {
      const half = samples.length / 2;
      for (const preset of PRESETS) {
        const most = (from, to) => Math.max(...samples.slice(from, to).filter((s) => s.preset === preset).map((s) => s.dom_nodes));
        const [early, late] = [most(0, half), most(half, samples.length)];
        t.diagnostic(`${preset}: most nodes ${early} in the first half, ${late} in the second`);
        assert.ok(late <= early + 100, `${preset}: ${late} nodes in the second half, ${early} in the first`);
      }
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
