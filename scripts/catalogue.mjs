// Trunk post-build hook: the page's catalogues, as JSON, beside the page.
//
// It knows nothing of the catalogue's format: core's `catalogue` example
// reads crates/core/text/<lang>/*.txt with core's own reader (the only
// one; a malformed file fails the build) and writes text/<lang>.json and
// text/pseudo.json, `{"lang": …, "entries": {key: value}}`, which boot.js
// and the wasm read (crates/core/src/i18n/json.rs).
//
//   TRUNK_STAGING_DIR=dist node scripts/catalogue.mjs
//
// A native release build in the workspace's own target directory, as
// `make fuzz` and scripts/test.sh's short fuzz build core: there it costs a
// link. What scripts/wasm-env.sh --page sets for the wasm build (std rebuilt
// for wasm32, its flags) is left out, or the native build would try it too.
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error('catalogue.mjs: TRUNK_STAGING_DIR is not set (run it as a Trunk post_build hook)');
  process.exit(1);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env };
for (const name of ['CARGO_UNSTABLE_BUILD_STD', 'CARGO_UNSTABLE_BUILD_STD_FEATURES', 'CARGO_TARGET_DIR',
  'RUSTFLAGS', 'CARGO_ENCODED_RUSTFLAGS', 'CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS']) {
  delete env[name];
}
execFileSync('cargo', ['run', '-q', '--locked', '--release', '-p', 'overlap-core', '--example', 'catalogue', '--',
  join(resolve(staging), 'text')], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
