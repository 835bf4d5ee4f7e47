// Joins each language's catalogue parts (crates/core/text/<lang>/*.txt, in
// the order of their names, as core's `i18n::source` reads them) into the
// one file the page fetches at boot: text/<lang>.txt beside the page.
// Run by Trunk after each build:
//   TRUNK_STAGING_DIR=dist node scripts/catalogue.mjs
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error('catalogue.mjs: TRUNK_STAGING_DIR is not set (run it as a Trunk post_build hook)');
  process.exit(1);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'crates', 'core', 'text');
mkdirSync(join(staging, 'text'), { recursive: true });
for (const lang of readdirSync(root)) {
  const parts = readdirSync(join(root, lang)).filter((name) => name.endsWith('.txt')).sort();
  const text = parts.map((name) => readFileSync(join(root, lang, name), 'utf8')).join('\n');
  writeFileSync(join(staging, 'text', `${lang}.txt`), text);
}
