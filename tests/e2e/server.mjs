// Serves the built page from a folder on 127.0.0.1.
//
// Static serving is serve-handler's job; this file only adds what Overlap
// needs around it: the headers of the build's `_headers` file on every
// response, as a host that reads it (or deliberately none, as GitHub Pages), and, for the failure
// test, refusing scripts requested as workers so that the pool cannot start.
//
//   node tests/e2e/server.mjs [--dist dist] [--port 8080] [--no-isolation]

import http from 'node:http';
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import handler from 'serve-handler';

export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The headers the build's `_headers` file gives every path (its `/*` block),
 * as a host that reads the file sends them; the isolation headers alone when
 * there is no such file.
 */
export function siteHeaders(dist) {
  const file = path.join(dist, '_headers');
  if (!fs.existsSync(file)) return { ...ISOLATION_HEADERS };
  const headers = {};
  let inAll = false;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    if (!/^\s/.test(line)) {
      inAll = line.trim() === '/*';
      continue;
    }
    const colon = line.indexOf(':');
    if (inAll && colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/**
 * Starts a server; resolves with { url, close }.
 * @param {{dist: string, port?: number, isolated?: boolean, refuseWorkers?: boolean, prefix?: string}} options
 */
export function startServer({ dist, port = 0, isolated = true, refuseWorkers = false, prefix = '/' }) {
  if (!fs.existsSync(path.join(dist, 'index.html'))) {
    return Promise.reject(new Error(`${dist}/index.html is missing: build the page first (make build)`));
  }
  const headers = siteHeaders(dist);
  const server = http.createServer((req, res) => {
    // A site under a path, as GitHub Pages serves a project: only that path exists.
    if (prefix !== '/') {
      if (!req.url.startsWith(prefix)) {
        res.statusCode = 404;
        res.end('not under ' + prefix);
        return;
      }
      req.url = '/' + req.url.slice(prefix.length);
    }
    if (isolated) {
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    }
    // Caching, chosen by measurement: every worker of the pool fetches the
    // wasm-bindgen snippets again, and revalidating them cost about 20 ms of
    // pool start-up. Files whose names carry Trunk's content hash never
    // change (nor does anything in the fallback's hashed folder); snippets keep their path across builds, so they are reused for
    // a minute only (a rebuild of one shows within that minute); the page and
    // the rest are revalidated every time.
    const file = req.url.split('?')[0];
    // The fallback build's folder name carries the hash of all it holds.
    const cache = /-[0-9a-f]{16}(_bg)?\.(js|wasm|css|svg)$/.test(file) || /^\/fallback-[0-9a-f]{16}\//.test(file)
      ? 'public, max-age=31536000, immutable'
      : file.startsWith('/snippets/')
        ? 'max-age=60'
        : 'no-cache';
    // Refusing workers must reach the server: nothing may come from a cache.
    res.setHeader('Cache-Control', refuseWorkers ? 'no-store' : cache);
    if (refuseWorkers && req.headers['sec-fetch-dest'] === 'worker') {
      res.statusCode = 503;
      res.end('workers refused by the test server');
      return;
    }
    handler(req, res, { public: path.relative(process.cwd(), path.resolve(dist)) || '.', directoryListing: false }).catch((err) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address();
      resolve({
        url: `http://127.0.0.1:${bound}${prefix}`,
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}

function argValue(args, name, fallback) {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const dist = path.resolve(argValue(args, '--dist', 'dist'));
  const port = Number(argValue(args, '--port', '8080'));
  const isolated = !args.includes('--no-isolation');
  startServer({ dist, port, isolated }).then(
    ({ url }) => {
      const headers = isolated ? 'COOP/COEP on every response' : 'WITHOUT isolation headers';
      console.log(`Overlap is served at ${url} (${headers}). Press Ctrl+C to stop.`);
    },
    (err) => {
      const reason = err.code === 'EADDRINUSE' ? `port ${port} is already in use (set PORT=...)` : err.message;
      console.error(`overlap serve: ${reason}`);
      process.exit(1);
    },
  );
}
