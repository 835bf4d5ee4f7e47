// Trunk post-build hook: the page's second build, and the choice between the two.
//
// Trunk builds the threaded page (atomics, shared memory, the rayon pool).
// This hook builds the same application again without atomics, the
// single-thread fallback for pages that cannot be cross-origin isolated,
// into `fallback-<hash>/` (the hash covers every file in it, so hosts may
// cache the folder forever). Trunk cannot build one crate twice with two
// sets of compiler flags, hence this hook.
//
// In a release build, both builds' wasm import their glue's functions under
// short names (short-imports.mjs). It then replaces Trunk's inline loader,
// which would always start the threaded build, by data attributes on
// boot.js's <script> tag naming both builds' files: boot.js picks one by
// feature detection. The page is left
// with no inline script at all, so its Content-Security-Policy needs none.
//
//   TRUNK_STAGING_DIR=dist TRUNK_PROFILE=release node scripts/fallback.mjs

import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { shortenImports } from './short-imports.mjs';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error('fallback.mjs: TRUNK_STAGING_DIR is not set (run it as a Trunk post_build hook)');
  process.exit(1);
}
const release = process.env.TRUNK_PROFILE !== 'debug';
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
// The target directory that scripts/wasm-env.sh --fallback gives cargo.
const targetDir = path.join(root, 'target', 'fallback');

function run(command, args) {
  execFileSync(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}

// scripts/wasm-env.sh --fallback gives cargo the fallback's flags (no
// atomics) and target directory. scripts/test.sh starts this same command
// beside Trunk's build, so that it is built by the time the hook runs:
// keep the two alike, or the fallback is built twice.
run('scripts/wasm-env.sh', ['--fallback', 'cargo', 'build', '-q', '--locked', '-p', 'overlap-app', '--bin', 'overlap-app',
  '--target', 'wasm32-unknown-unknown', ...(release ? ['--release'] : [])]);
const wasm = path.join(targetDir, 'wasm32-unknown-unknown', release ? 'release' : 'debug', 'overlap-app.wasm');

const out = fs.mkdtempSync(path.join(staging, '.fallback-'));
run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--out-dir', out, '--out-name', 'overlap-fallback', wasm]);
const bg = path.join(out, 'overlap-fallback_bg.wasm');
// -Oz twice, as index.html's data-wasm-opt-params has Trunk do for the
// threaded build: the second pass finds more (0.5 KB gzip, issue 29). The
// producers and target_features sections go too: no browser reads them.
if (release) run('wasm-opt', ['-Oz', '-Oz', '--strip-producers', '--strip-target-features', bg, '-o', bg]);
// Short names for the wasm's imports of its glue (short-imports.mjs), before
// the folder's hash is taken; the threaded build's below.
if (release) shortenImports(path.join(out, 'overlap-fallback.js'), bg);

function files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? files(p) : [p];
  });
}
const hash = crypto.createHash('sha256');
for (const file of files(out).sort()) {
  hash.update(path.relative(out, file));
  hash.update(fs.readFileSync(file));
}
const folder = `fallback-${hash.digest('hex').slice(0, 16)}`;
for (const old of fs.readdirSync(staging).filter((n) => n.startsWith('fallback-'))) {
  fs.rmSync(path.join(staging, old), { recursive: true });
}
fs.renameSync(out, path.join(staging, folder));

// Trunk's loader: `import init, * as bindings from './x.js'; await init({
// module_or_path: './x_bg.wasm' })`, and preloads of the threaded build's
// files, which a fallback page would fetch for nothing.
const indexPath = path.join(staging, 'index.html');
let index = fs.readFileSync(indexPath, 'utf8');
const loader = index.match(/<script type="module">([\s\S]*?)<\/script>\n?/);
const glue = loader?.[1].match(/from '([^']+\.js)'/)?.[1];
const module = loader?.[1].match(/module_or_path: '([^']+\.wasm)'/)?.[1];
if (!glue || !module) {
  console.error("fallback.mjs: Trunk's inline loader was not found in index.html");
  process.exit(1);
}
if (release) shortenImports(path.join(staging, glue), path.join(staging, module));
index = index.replace(loader[0], '').replace(/<link rel="(?:module)?preload"[^>]*>/g, '');
const bootTag = '<script src="boot.js"></script>';
if (!index.includes(bootTag)) {
  console.error(`fallback.mjs: ${bootTag} was not found in index.html`);
  process.exit(1);
}
const attributes = {
  'data-threaded-js': glue,
  'data-threaded-wasm': module,
  'data-fallback-js': `./${folder}/overlap-fallback.js`,
  'data-fallback-wasm': `./${folder}/overlap-fallback_bg.wasm`,
};
const tag = `<script src="boot.js" ${Object.entries(attributes).map(([k, v]) => `${k}="${v}"`).join(' ')}></script>`;
fs.writeFileSync(indexPath, index.replace(bootTag, tag));
const size = fs.statSync(path.join(staging, folder, 'overlap-fallback_bg.wasm')).size;
console.log(`fallback.mjs: ${folder}/ (${(size / 1024).toFixed(0)} KiB of wasm); boot.js picks the build`);
