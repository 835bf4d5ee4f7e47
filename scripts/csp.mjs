// Trunk post-build hook (after fallback.mjs): gives the built page its
// Content-Security-Policy.
//
// The page has no inline script (fallback.mjs replaced Trunk's loader by
// boot.js, a file), so scripts need nothing beyond 'self' and WebAssembly.
// The policy goes to three places, each for a kind of host:
// - a <meta> in index.html (any host; it covers the page itself);
// - `_headers` (hosts that read it send it on every response, workers
//   included);
// - isolate-sw.js (hosts that send no headers: the service worker adds it
//   to every response, as it adds the isolation headers).
//
//   TRUNK_STAGING_DIR=dist node scripts/csp.mjs

import fs from 'node:fs';
import path from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('csp.mjs: TRUNK_STAGING_DIR is not set (run it as a Trunk post_build hook)');
  process.exit(1);
}

const indexPath = path.join(dir, 'index.html');
let index = fs.readFileSync(indexPath, 'utf8');
if (/<script(?![^>]*\bsrc=)[^>]*>/.test(index)) {
  console.error('csp.mjs: index.html has an inline script, which the policy would refuse');
  process.exit(1);
}

// Each source, and why the page needs it.
const policy = [
  // Everything else comes from the page's own origin.
  "default-src 'self'",
  // The page's scripts (files only) and WebAssembly compilation.
  "script-src 'self' 'wasm-unsafe-eval'",
  // wasm-bindgen-rayon fetches its worker script and starts each pool
  // worker from a blob: URL of it.
  "worker-src 'self' blob:",
  // The stylesheet is a file; Yew sets a few style attributes (a GIL turn's
  // colour), which style-src-attr allows without allowing <style> elements.
  "style-src 'self'",
  "style-src-attr 'unsafe-inline'",
  // The wasm module, the pool's worker script and the I/O sample are fetched.
  "connect-src 'self'",
  "img-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];
const csp = policy.join('; ');
// frame-ancestors is ignored in a <meta> (browsers warn); headers only.
const headerCsp = `${csp}; frame-ancestors 'none'`;

if (!index.includes('<meta charset="utf-8">')) {
  console.error('csp.mjs: no <meta charset="utf-8"> in index.html to put the policy after');
  process.exit(1);
}
if (!index.includes('http-equiv="Content-Security-Policy"')) {
  index = index.replace('<meta charset="utf-8">', `<meta charset="utf-8">\n  <meta http-equiv="Content-Security-Policy" content="${csp}">`);
  fs.writeFileSync(indexPath, index);
}

const headersPath = path.join(dir, '_headers');
const headers = fs.readFileSync(headersPath, 'utf8');
fs.writeFileSync(headersPath, headers.replace('__CSP__', headerCsp));

const swPath = path.join(dir, 'isolate-sw.js');
const sw = fs.readFileSync(swPath, 'utf8');
fs.writeFileSync(swPath, sw.replace("'__CSP__'", JSON.stringify(headerCsp)));

console.log('csp.mjs: policy written to index.html, _headers and isolate-sw.js');
