// The package as shop developers install it: `npm pack` (prepack builds),
// then one fresh project per bundler and runtime that installs the tarball
// and renders a payment block — in headless Chromium, or in the runtime.
// Fixture tools are pinned by each fixture's package-lock.json and installed
// from the registry into target/packaging/ (kept while the lock is unchanged).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pack, fixture, run, serve, start, checkPage, closeChromium, writePage } from './harness.mjs';

let tarball;
let files;
before(async () => {
  ({ tarball, files } = await pack());
});
after(closeChromium);

test('Vite: build + preview, dev server, module worker', async () => {
  const dir = await fixture('vite', tarball, { app: true });
  const vite = join(dir, 'node_modules/.bin/vite');
  await run(vite, ['build', '--logLevel', 'warn'], { cwd: dir });
  const preview = await start(vite, ['preview', '--host', '127.0.0.1', '--port', '0', '--strictPort', 'false'], { cwd: dir, ready: /http:\/\/127\.0\.0\.1:(\d+)/ });
  try {
    await checkPage(`http://127.0.0.1:${preview.match[1]}/`, { worker: true });
  } finally {
    await preview.stop();
  }
  const dev = await start(vite, ['--host', '127.0.0.1', '--port', '0'], { cwd: dir, ready: /http:\/\/127\.0\.0\.1:(\d+)/ });
  try {
    await checkPage(`http://127.0.0.1:${dev.match[1]}/`, { worker: true });
  } finally {
    await dev.stop();
  }
});

/** Serves a production build and checks its page. */
async function checkBuild(dist, options) {
  const server = await serve(dist);
  try {
    await checkPage(`${server.base}/`, options);
  } finally {
    await server.close();
  }
}

test('webpack 5: production build, mini-css-extract-plugin, no billpay configuration', async () => {
  const dir = await fixture('webpack', tarball, { app: true });
  await run(join(dir, 'node_modules/.bin/webpack'), ['--no-stats'], { cwd: dir });
  await checkBuild(join(dir, 'dist'));
});

test('Rollup 4: import-meta-assets emits the .wasm files', async () => {
  const dir = await fixture('rollup', tarball, { app: true });
  await run(join(dir, 'node_modules/.bin/rollup'), ['-c', '--silent'], { cwd: dir });
  writePage(join(dir, 'dist'), { css: 'main.css', js: 'main.js' });
  await checkBuild(join(dir, 'dist'));
});

test('esbuild: the .wasm files through the file loader', async () => {
  const dir = await fixture('esbuild', tarball, { app: true });
  await run('node', ['build.js'], { cwd: dir });
  writePage(join(dir, 'dist'), { css: 'entry.css', js: 'entry.js' });
  await checkBuild(join(dir, 'dist'));
});
