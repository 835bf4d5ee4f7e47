// Overlap's service worker: it makes the page cross-origin isolated on hosts
// that cannot send headers (GitHub Pages among them).
//
// Shared WebAssembly memory needs the page and its workers served with
// Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy. A service
// worker sees every response of the pages it controls before they do, so it
// adds those headers itself (and the resource policy and content security
// policy the hosting headers would carry). boot.js registers it and reloads
// the page once, since a page is isolated or not from the moment it loads.
//
// Written here rather than copied from the npm coi-serviceworker: Overlap
// needs only same-origin responses rewritten, and the CSP added, in a few
// lines that are easier to audit than a general-purpose script.
'use strict';

// The page's policy, as `_headers` sends it where the host honours it; each
// source is justified there.
const HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  // Written at build time by scripts/csp.mjs.
  'Content-Security-Policy': '__CSP__',
};

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  // Other origins' responses cannot be rewritten (nor need to be: the page
  // loads nothing from them); a cache-only request for them would throw.
  if (new URL(request.url).origin !== self.location.origin) return;
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(
    fetch(request).then((response) => {
      // An opaque or redirected-away response keeps its own headers.
      if (response.type === 'opaque' || response.status === 0) return response;
      const headers = new Headers(response.headers);
      for (const [name, value] of Object.entries(HEADERS)) headers.set(name, value);
      return new Response(response.body, {
        status: response.status,
        statusText: response.statusText,
        headers,
      });
    }),
  );
});
