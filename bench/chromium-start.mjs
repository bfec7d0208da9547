// Cold start in headless Chromium: a page imports the storefront entry from
// a local server (no cache), awaits `init()` (fetch + compile + instantiate
// of the module next to the entry) and renders one block; the page measures
// both with performance.now(). A fresh browser context per run.

import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { launch } from '../tests/browser/chromium.mjs';

const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
const root = new URL('../', import.meta.url);

function page(block) {
  return `<!doctype html><meta charset="utf-8"><title>cold start</title>
<script type="module">
const { default: init, renderPaymentBlock } = await import('/pkg/storefront.js');
const t0 = performance.now();
await init();
const t1 = performance.now();
renderPaymentBlock(${JSON.stringify(block)});
const t2 = performance.now();
window.result = { init: t1 - t0, render: t2 - t1 };
</script>`;
}

export async function chromiumStart({ block, runs = 7 }) {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    try {
      const body = path === '/' ? page(block) : await readFile(new URL(`.${path}`, root));
      const type = path === '/' ? TYPES['.html'] : TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream';
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/`;
  const browser = await launch();
  const init = [];
  const render = [];
  try {
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext();
      const tab = await context.newPage();
      await tab.goto(url);
      const result = await tab.waitForFunction(() => window.result).then((h) => h.jsonValue());
      init.push(result.init);
      render.push(result.render);
      await context.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  const median = (list) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)];
  return { init: median(init), render: median(render) };
}
