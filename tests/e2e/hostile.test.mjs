// End-to-end: nothing a link or a file contains can break the page (issue
// 14). 2,000 generated links, each with at least one value the page must
// reject among random noise (raw bytes, huge, negative and non-finite
// numbers, unicode, repeated and unknown keys, very long values, HTML and
// script payloads), go through Back/Forward (popstate), which reads a link
// as a fresh visit does; 200 generated import files (cut, huge, deeply
// nested, wrong version, wrong types, script payloads) go through the
// import. The page never throws, never runs what it was given, shows what
// it rejected each time, and runs an experiment at the end.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { openReady, random, servedBrowser, choosePreset } from './browser.mjs';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');
const served = servedBrowser({ dist: DIST });
const LINKS = Number(process.env.OVERLAP_HOSTILE_LINKS || 2000);
const FILES = Number(process.env.OVERLAP_HOSTILE_FILES || 200);


// The noise's keys. Not `w` nor `s`: which fields apply depends on them,
// and a field that does not apply is never refused (README, "The
// experiment model"), so noise there could take the rejected value out of
// play; the rejected values above attack `w` themselves.
const KEYS = ['io', 'n', 'src', 'lat', 'ms', 'spread', 'sigma', 'cap', 'fail', 'seed', 'kernel',
  'size', 'serial', 'k', 'chunk', 'rw', 'timeout', 'after', 'switch', 'by', 'limit', 'neglect'];
const SCRIPTS = [
  '<script>window.__pwned=1</script>', '"><img src=x onerror="window.__pwned=1">', 'javascript:window.__pwned=1',
  '<svg onload=window.__pwned=1>', '{{constructor.constructor("window.__pwned=1")()}}', "';window.__pwned=1;//",
];

/** One link: a value that must be rejected first, then noise. */
function hostileLink(r) {
  const rejected = r.pick([
    () => `zz${r.int(1e6)}=1`,
    () => `n=-${r.int(1e9)}`,
    () => `k=${r.pick(['NaN', 'Infinity', '-Infinity', 'abc', '1e400', '9'.repeat(40)])}`,
    // An I/O field is read (and so refused) only by a workload with I/O.
    () => `w=mixed&ms=${r.pick(['-1', '1e308', 'NaN', '0x10'])}`,
    () => `w=${r.pick(['turbo', '', '<script>window.__pwned=1</script>', 'ΙΟ'])}`,
    () => `n=1&n=${r.int(100)}`,
    () => `size=${r.pick(['1e400', '-0.5', '4294967296'])}`,
    () => `w=mixed&fail=${r.pick(['2', '-0.1', 'NaN', 'Infinity'])}`,
    () => `${encodeURIComponent(r.pick(SCRIPTS))}=1`,
  ])();
  const noise = [];
  for (let i = r.int(10); i > 0; i -= 1) {
    noise.push(r.pick([
      () => `${r.pick(KEYS)}=${r.int(1e4)}`,
      () => `${r.pick(KEYS)}=${r.pick(['-', '']) + '9'.repeat(1 + r.int(30))}`,
      () => `${r.pick(KEYS)}=${r.pick(['NaN', 'inf', '-inf', '1e999', '-0', '.5', '1_000'])}`,
      () => `${r.pick(KEYS)}=${encodeURIComponent(Array.from('é🙂\u202e\u0000日本').slice(0, 1 + r.int(6)).join(''))}`,
      () => `${r.pick(KEYS)}=${'x'.repeat(2000 + r.int(20000))}`,
      () => `${r.pick(KEYS)}=${encodeURIComponent(r.pick(SCRIPTS))}`,
      () => r.pick(SCRIPTS),
      () => Array.from({ length: 1 + r.int(40) }, () => `%${r.int(256).toString(16).padStart(2, '0')}`).join(''),
      () => Array.from({ length: 1 + r.int(40) }, () => String.fromCharCode(33 + r.int(94))).join(''),
      () => `${r.pick(KEYS)}=${r.int(2) ? 'pool' : 'io'}`,
    ])());
  }
  return [rejected, ...noise].join('&');
}

test(`${LINKS} hostile links: each rejection shown, nothing run, the page usable`, { timeout: 600_000 }, async () => {
  const { page, context, errors } = await openReady(served.browser, served.server.url);
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  try {
    const r = random(2026_14);
    const links = Array.from({ length: LINKS }, () => hostileLink(r));
    const misses = [];
    // In batches, each link in its own turn of the page's loop.
    for (let i = 0; i < links.length; i += 100) {
      const batch = links.slice(i, i + 100);
      misses.push(...await page.evaluate(async (batch) => {
        const missed = [];
        const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
        for (const link of batch) {
          history.pushState(null, '', `?${link}`);
          dispatchEvent(new PopStateEvent('popstate'));
          await settle();
          await settle();
          const shown = document.querySelectorAll('[data-testid="error"] li').length;
          if (shown === 0 || !document.querySelector('#field-w')) missed.push(link.slice(0, 200));
        }
        return missed;
      }, batch));
    }
    assert.deepEqual(misses, [], `${misses.length} links showed no rejection`);
    assert.equal(await page.evaluate(() => window.__pwned), undefined, 'an injected script ran');
    assert.deepEqual(dialogs, []);
    // Still a working page: a preset runs.
    const last = await page.evaluate(() => location.search);
    await choosePreset(page, 'io-concurrent');
    await page.getByTestId('run').click();
    const announcer = page.getByTestId('announcer');
    await announcer.and(page.locator('[data-state="done"]')).waitFor({ timeout: 60_000 });
    // Back returns to the experiment before the preset (the nearest valid
    // one the last link gave, which the address then held).
    await page.goBack();
    await page.waitForFunction((b) => location.search === b, last);
    assert.equal(await page.locator('#field-w').inputValue(), new URLSearchParams(last).get('w') ?? 'cpu');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

/** One import file: what it is, and its bytes. */
function hostileFile(r, good, i) {
  const text = JSON.stringify(good);
  // Huge files are few: each is 17 MB to hand over to the browser.
  const kind = r.pick(['cut', 'version', 'types', 'nested', 'garbage', 'script', 'splice', 'numbers',
    'cut', 'version', 'types', 'nested', 'garbage', 'script', 'splice', 'numbers', 'huge']);
  const name = `hostile-${i}.json`;
  const replaced = (key, value) => JSON.stringify({ ...good, [key]: value });
  switch (kind) {
    case 'cut': return { kind, name, text: text.slice(0, r.int(text.length - 1)) };
    case 'version': return { kind, name, text: replaced('version', r.pick([0, 2, 99, -1, '1', null, 1.5])) };
    case 'types': {
      const key = r.pick(Object.keys(good));
      return { kind, name, text: replaced(key, r.pick([null, 'x', 42, [], {}, true, [{}], '<script>window.__pwned=1</script>'])) };
    }
    case 'nested': {
      const depth = 1000 + r.int(100_000);
      return { kind, name, text: r.int(2) ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '}'.repeat(depth) };
    }
    case 'huge': return { kind, name, text: JSON.stringify({ ...good, name: 'x'.repeat(17 * 1024 * 1024) }) };
    case 'garbage': return { kind, name, text: Array.from({ length: r.int(2000) }, () => String.fromCharCode(r.int(0xd800))).join('') };
    case 'script': return { kind, name: `${r.pick(SCRIPTS)}.json`, text: replaced('name', r.pick(SCRIPTS)) };
    case 'splice': {
      const at = r.int(text.length);
      return { kind, name, text: text.slice(0, at) + r.pick(['"', '{', ']', ',', 'null', '\\u0000', '1e999', r.pick(SCRIPTS)]) + text.slice(at + r.int(20)) };
    }
    default: return { kind, name, text: text.replace(/\d+(\.\d+)?/g, (n) => (r.int(4) === 0 ? r.pick(['-1', '1e400', '99999999999999999999', 'NaN']) : n)) };
  }
}

test(`${FILES} hostile import files: each refused with its name and reason or kept as text, nothing run`, { timeout: 600_000 }, async () => {
  const { page, context, errors } = await openReady(served.browser, served.server.url);
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  try {
    // A genuine export to spoil: a run, and its JSON through the download.
    await choosePreset(page, 'run-in-executor');
    await page.getByTestId('run').click();
    await page.getByTestId('history-item').first().waitFor({ timeout: 60_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
    const good = JSON.parse(await (await import('node:fs')).promises.readFile(await download.path(), 'utf8'));
    const r = random(2026_15);
    const kinds = {};
    const items = () => page.getByTestId('history-item').count();
    for (let i = 0; i < FILES; i += 1) {
      const file = hostileFile(r, good, i);
      kinds[file.kind] = (kinds[file.kind] ?? 0) + 1;
      // The history keeps 30 runs: emptied before it is full, so that a kept
      // file always shows as one more.
      if (await items() >= 25) {
        await page.getByTestId('history-clear').click();
        await page.waitForFunction(() => !document.querySelector('[data-testid="history-item"]'));
      }
      const before = await items();
      await page.getByTestId('import-file').setInputFiles({ name: file.name, mimeType: 'application/json', buffer: Buffer.from(file.text) });
      // Refused, naming this file; or kept (a hostile name is only text).
      const outcome = await page.waitForFunction(({ name, before }) => {
        const error = document.querySelector('[data-testid="import-error"]')?.textContent ?? '';
        if (error.includes('was not imported') && error.includes(name.slice(0, 20))) return 'refused';
        const count = document.querySelectorAll('[data-testid="history-item"]').length;
        return count > before ? 'kept' : null;
      }, { name: file.name, before }, { timeout: 30_000 }).then((h) => h.jsonValue());
      if (outcome === 'kept') {
        assert.ok(['script', 'numbers', 'types', 'version', 'splice'].includes(file.kind), `${file.kind} file ${i} was kept`);
      }
    }
    assert.ok(Object.keys(kinds).length >= 8, `kinds: ${JSON.stringify(kinds)}`);
    assert.equal(await page.evaluate(() => window.__pwned), undefined, 'an injected script ran');
    assert.deepEqual(dialogs, []);
    // Still a working page: a preset runs.
    await choosePreset(page, 'io-concurrent');
    await page.getByTestId('run').click();
    await page.getByTestId('announcer').and(page.locator('[data-state="done"]')).waitFor({ timeout: 60_000 });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
