// The demo shop: serves the storefront pages, the package files under /pkg/
// and the demo orders. Every page is sent with the strict CSP that the package
// promises to work under.
//
//   node www/server.mjs            (PORT=8080 by default; PORT=0 picks a free port)

import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const mounts = [
  ['/pkg/', join(root, 'pkg')],
  ['/', join(root, 'www', 'public')],
];

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

async function loadOrders() {
  const text = await readFile(join(root, 'www', 'fixtures.json'), 'utf8');
  return JSON.parse(text).orders;
}

function send(res, status, type, body) {
  res.writeHead(status, {
    'content-type': type,
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  });
  res.end(body);
}

async function serveFile(res, pathname) {
  for (const [prefix, dir] of mounts) {
    if (!pathname.startsWith(prefix)) continue;
    let rel = decodeURIComponent(pathname.slice(prefix.length));
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = normalize(join(dir, rel));
    if (!file.startsWith(dir + sep)) return send(res, 403, 'text/plain', 'forbidden');
    try {
      const body = await readFile(file);
      return send(res, 200, types[extname(file)] ?? 'application/octet-stream', body);
    } catch {
      return send(res, 404, 'text/plain', 'not found');
    }
  }
  return send(res, 404, 'text/plain', 'not found');
}

export function createDemoServer() {
  return createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed');
      if (url.pathname === '/api/orders') {
        return send(res, 200, types['.json'], JSON.stringify(await loadOrders()));
      }
      const match = url.pathname.match(/^\/api\/orders\/([A-Za-z0-9._-]+)$/);
      if (match) {
        const order = (await loadOrders()).find((o) => o.id === match[1]);
        return order ? send(res, 200, types['.json'], JSON.stringify(order)) : send(res, 404, 'text/plain', 'no such order');
      }
      return await serveFile(res, url.pathname);
    } catch (error) {
      console.error(error);
      return send(res, 500, 'text/plain', 'internal error');
    }
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const port = Number(process.env.PORT ?? 8080);
  const server = createDemoServer();
  server.listen(port, '127.0.0.1', () => {
    const { port: bound } = server.address();
    console.log(`billpay-wasm demo shop: http://127.0.0.1:${bound}/`);
  });
}
