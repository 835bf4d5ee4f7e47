// End-to-end in Firefox ESR: the main flows, through WebDriver (the
// geckodriver scripts/setup.sh installs, driven by selenium-webdriver):
// the page ready and isolated, a pool run with speed-up, a preset run, a
// tampered link, no Content-Security-Policy violation along the way, and the
// service worker isolating the page where the host sends no headers, and the
// single-thread fallback where service workers are off.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { Builder, By, until } from 'selenium-webdriver';
import firefox from 'selenium-webdriver/firefox.js';

import { startServer } from './server.mjs';
import { fastest } from './browser.mjs';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');
const GECKODRIVER = process.env.GECKODRIVER || path.join(os.homedir(), '.cargo/bin/geckodriver');
const FIREFOX = ['/usr/bin/firefox-esr', '/usr/bin/firefox'].find((p) => fs.existsSync(p));

let driver;
let server;
/** A headless Firefox; `prefs` are set in its fresh profile. */
function startFirefox(prefs = {}) {
  const options = new firefox.Options().addArguments('-headless');
  if (FIREFOX) options.setBinary(FIREFOX);
  for (const [name, value] of Object.entries(prefs)) options.setPreference(name, value);
  return new Builder()
    .forBrowser('firefox')
    .setFirefoxOptions(options)
    .setFirefoxService(new firefox.ServiceBuilder(GECKODRIVER))
    .build();
}

before(async () => {
  server = await startServer({ dist: DIST });
  driver = await startFirefox();
});
after(async () => {
  await driver?.quit();
  await server?.close();
});

const byTestId = (id) => By.css(`[data-testid="${id}"]`);

/** Opens `query` and waits until the pool reports ready or failed. */
async function open(query = '') {
  await driver.get(server.url + query);
  const state = () =>
    driver.executeScript("return document.querySelector('[data-testid=\"pool-status\"]')?.dataset.state ?? null");
  await driver.wait(async () => /ready|failed/.test((await state()) ?? ''), 30_000);
  // Violations from here on are collected (WebDriver has no script before load).
  await driver.executeScript(`
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
    });`);
  return state();
}

const hook = (query) =>
  driver.executeAsyncScript(
    'const done = arguments[arguments.length - 1];' +
      'window.wasmBindings.runExperiment(arguments[0]).then((j) => done(JSON.parse(j)), (e) => done({ error: String(e) }));',
    query,
  );

test('Firefox: the page is isolated, the pool starts and k = 2 runs in parallel', { timeout: 120_000 }, async () => {
  assert.equal(await open(), 'ready');
  assert.equal(await driver.executeScript('return window.crossOriginIsolated'), true);
  const { best, attempts } = await fastest(async () => {
    const m = await hook('w=cpu&s=pool&k=2&n=8&kernel=primes&size=800');
    assert.equal(m.error, undefined, m.error);
    return m;
  });
  assert.ok(best.speedup > 1.5, `k = 2 speed-up in Firefox: ${attempts}`);
  assert.deepEqual(await driver.executeScript('return window.cspViolations'), []);
});

test('Firefox: a preset runs and shows its figures', { timeout: 120_000 }, async () => {
  assert.equal(await open(), 'ready');
  await driver.findElement(byTestId('preset-as-completed')).click();
  await driver.findElement(byTestId('run')).click();
  const wall = await driver.wait(until.elementLocated(byTestId('metric-wall-ms')), 60_000);
  assert.ok(Number(await wall.getText()) > 0);
  assert.deepEqual(await driver.executeScript('return window.cspViolations'), []);
});

test('Firefox: a tampered link is explained as text and the page still runs', { timeout: 120_000 }, async () => {
  assert.equal(await open('?w=io&s=conc&io=99999999&k=abc&bogus=%3Cb%3Ex%3C%2Fb%3E&ms=20'), 'ready');
  const text = await driver.findElement(byTestId('error')).getText();
  assert.match(text, /nearest valid experiment/);
  assert.match(text, /100000|100,000/);
  assert.equal((await driver.findElements(By.css('[data-testid="error"] b'))).length, 0, 'URL text was rendered as HTML');
  await driver.findElement(byTestId('run')).click();
  await driver.wait(until.elementLocated(byTestId('metric-wall-ms')), 60_000);
});

test('Firefox: served without headers, the service worker isolates the page and the pool starts', { timeout: 120_000 }, async () => {
  const plain = await startServer({ dist: DIST, isolated: false, prefix: '/overlap/' });
  try {
    await driver.get(plain.url);
    const state = () =>
      driver.executeScript("return document.querySelector('[data-testid=\"pool-status\"]')?.dataset.state ?? null");
    await driver.wait(async () => /ready|failed/.test((await state()) ?? ''), 60_000);
    assert.equal(await state(), 'ready');
    assert.equal(await driver.executeScript('return window.crossOriginIsolated'), true);
    assert.equal(await driver.executeScript('return navigator.serviceWorker.controller !== null'), true);
  } finally {
    await plain.close();
  }
});

test('Firefox: with no headers and service workers off, the fallback runs CPU work on the process pool', { timeout: 180_000 }, async () => {
  const plain = await startServer({ dist: DIST, isolated: false });
  const noWorkers = await startFirefox({ 'dom.serviceWorkers.enabled': false });
  try {
    await noWorkers.get(plain.url);
    const state = () =>
      noWorkers.executeScript("return document.querySelector('[data-testid=\"pool-status\"]')?.dataset.state ?? null");
    await noWorkers.wait(async () => (await state()) === 'absent', 60_000);
    assert.equal(await noWorkers.executeScript('return window.crossOriginIsolated'), false);
    assert.match(await noWorkers.findElement(byTestId('fallback-banner')).getText(), /not cross-origin isolated/);
    const m = await noWorkers.executeAsyncScript(
      'const done = arguments[arguments.length - 1];' +
        "window.wasmBindings.runExperiment('w=cpu&s=proc&k=2&n=4&kernel=primes&size=200')" +
        '.then((j) => done(JSON.parse(j)), (e) => done({ error: String(e) }));',
    );
    assert.equal(m.error, undefined, m.error);
    assert.equal(m.build, 'fallback');
    assert.equal(m.ok, 4);
    assert.deepEqual([...new Set(m.tasks.map((t) => t.lane))].sort(), ['process-0', 'process-1']);
  } finally {
    await noWorkers.quit();
    await plain.close();
  }
});
