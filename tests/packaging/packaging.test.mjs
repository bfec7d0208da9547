// The package as shop developers install it: `npm pack` (prepack builds),
// then one fresh project per bundler and runtime that installs the tarball
// and renders a payment block — in headless Chromium, or in the runtime.
// Fixture tools are pinned by each fixture's package-lock.json and installed
// from the registry into target/packaging/ (kept while the lock is unchanged).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { ROOT, pack, fixture, run, serve, start, checkPage, closeChromium, writePage } from './harness.mjs';

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
    // A storefront page gets the storefront module only, not the admin code.
    await checkPage(`http://127.0.0.1:${preview.match[1]}/storefront.html`, {
      panel: false,
      text: false,
      extra: async (page, loaded) => {
        assert.ok(loaded.urls.some((u) => /billpay_storefront[^/]*\.wasm$/.test(u)), 'the storefront module loaded');
        assert.deepEqual(loaded.urls.filter((u) => /billpay_full/.test(u)), [], 'no full module');
        assert.ok(loaded.scripts.length > 0);
        // wasm-bindgen's glue (the client) and the full API's calls (e.g. run.json(`planReturn`, …)).
        assert.ok(!loaded.scripts.some((js) => js.includes('__wbindgen') || /[`'"]planReturn[`'"]/.test(js)), "no client or order rules' JS");
      },
    });
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

test('webpack 5: production builds with mini-css-extract-plugin, style-loader and experiments.css, no billpay configuration', async () => {
  const dir = await fixture('webpack', tarball, { app: true });
  await run(join(dir, 'node_modules/.bin/webpack'), ['--no-stats'], { cwd: dir });
  await checkBuild(join(dir, 'dist'));
  await run(join(dir, 'node_modules/.bin/webpack'), ['--no-stats', '-c', 'webpack.experiments-css.config.js'], { cwd: dir });
  await checkBuild(join(dir, 'dist-experiments-css'));
  await run(join(dir, 'node_modules/.bin/webpack'), ['--no-stats', '-c', 'webpack.style-loader.config.js'], { cwd: dir });
  await checkBuild(join(dir, 'dist-style-loader'));
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

// Node, Deno, Bun, workerd and the types share one fixture project.
let runtimes;
const runtimesFixture = () => (runtimes ??= fixture('runtimes', tarball, { app: true }));
const NODES = ['node-20.19.0', 'node-22.12.0', 'node-24.22.3', 'node-26.10.0'];
let serverExports;

function checkServerRun(result, runtime) {
  assert.equal(result.fromNode, true, `${runtime}: billpay-wasm/node renders`);
  assert.equal(result.fromWeb, true, `${runtime}: billpay-wasm after init()`);
  assert.equal(result.fromStorefront, true, `${runtime}: billpay-wasm/storefront after init()`);
  assert.equal(result.sameInit, true, `${runtime}: init() returns one promise`);
  assert.equal(result.sameStorefrontInit, true, `${runtime}: storefront init() returns one promise`);
  assert.equal(result.credit, '11.90');
  assert.equal(result.notInStorefront, 'undefined');
  assert.equal(result.createRelay, 'function');
  assert.equal(result.requireSame, 'BP1001/4441');
  assert.deepEqual(result.elements, ['BillPayOrderPanelElement', 'BillPayPaymentBlockElement']);
}

test('Node ESM and CommonJS (require(esm)) on every Node line engines admits', async () => {
  const dir = await runtimesFixture();
  const { engines } = JSON.parse(await run('node', ['-p', 'JSON.stringify(require("billpay-wasm/package.json"))'], { cwd: dir }));
  assert.equal(engines.node, '^20.19.0 || >=22.12.0', 'the tested versions below are the lowest of each admitted line and the newest');
  for (const node of [process.execPath, ...NODES.map((name) => join(dir, 'node_modules', name, 'bin/node'))]) {
    const version = (await run(node, ['--version'], { cwd: dir })).trim();
    const esm = JSON.parse(await run(node, ['check.mjs'], { cwd: dir }));
    checkServerRun(esm, `Node ${version}`);
    serverExports ??= esm.exports;
    assert.deepEqual(esm.exports, serverExports, `Node ${version}: the same exports`);
    const cjs = JSON.parse(await run(node, ['check.cjs'], { cwd: dir }));
    assert.deepEqual(cjs, { cjs: true, reference: 'BP1001/4441' }, `Node ${version}: require()`);
  }
});

test('Deno and Bun', async () => {
  const dir = await runtimesFixture();
  const deno = join(dir, 'node_modules/.bin/deno');
  const denoEnv = { DENO_NO_UPDATE_CHECK: '1', DENO_DIR: join(dir, '.deno') };
  assert.match(await run(deno, ['--version'], { cwd: dir, env: denoEnv }), /^deno 2\.9\.6/);
  checkServerRun(JSON.parse(await run(deno, ['run', '--allow-read', '--allow-env', 'check.mjs'], { cwd: dir, env: denoEnv })), 'Deno');
  assert.deepEqual(JSON.parse(await run(deno, ['run', '--allow-read', '--allow-env', 'check.cjs'], { cwd: dir, env: denoEnv })), { cjs: true, reference: 'BP1001/4441' });
  const bun = join(dir, 'node_modules/.bin/bun');
  assert.equal((await run(bun, ['--version'], { cwd: dir })).trim(), '1.4.4');
  checkServerRun(JSON.parse(await run(bun, ['check.mjs'], { cwd: dir })), 'Bun');
  assert.deepEqual(JSON.parse(await run(bun, ['check.cjs'], { cwd: dir })), { cjs: true, reference: 'BP1001/4441' });
});

/** A free loopback port for tools that want one on their command line. */
async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let workerdExports;
test('workerd (Cloudflare Workers): the workerd entries, the .wasm imported as modules', async () => {
  const dir = await runtimesFixture();
  await run('node', ['build-worker.js'], { cwd: dir });
  const port = await freePort();
  const workerd = await start(join(dir, 'node_modules/.bin/workerd'), ['serve', 'config.capnp', '--socket-addr', `http=127.0.0.1:${port}`, '--verbose'], {
    cwd: dir,
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    let answer;
    for (let attempt = 0; attempt < 100 && !answer; attempt++) {
      answer = await fetch(`${base}/exports`).catch(() => new Promise((resolve) => setTimeout(resolve, 100)));
    }
    assert.ok(answer?.ok, `workerd answers:\n${workerd.output()}`);
    workerdExports = await answer.json();
    await checkPage(`${base}/`, {
      panel: false,
      extra: async (page) => assert.equal(await page.locator('#credit').innerText(), '1.19'),
    });
  } finally {
    await workerd.stop();
  }
});

test('the published types: each entry declares exactly what it exports at run time, under strict', async () => {
  const dir = await runtimesFixture();
  if (!serverExports) serverExports = JSON.parse(await run('node', ['check.mjs'], { cwd: dir })).exports;
  assert.ok(workerdExports, 'the workerd test ran first');
  const entries = { node: 'billpay-wasm/node', web: 'billpay-wasm', storefront: 'billpay-wasm/storefront', elements: 'billpay-wasm/elements', workerd: 'billpay-wasm/workerd' };
  const runtime = { ...serverExports, workerd: workerdExports.web };
  assert.deepEqual(workerdExports.storefront, runtime.storefront, "workerd's storefront entry exports what the browser one does");
  // An object with one key per run-time export, typed as one key per declared
  // export: tsc reports a name missing on either side.
  const lines = Object.entries(entries).flatMap(([name, specifier]) => [
    `import * as ${name} from '${specifier}';`,
    `export const ${name}Names: { [K in keyof typeof ${name}]: true } = { ${runtime[name].map((n) => `${n}: true`).join(', ')} };`,
  ]);
  lines.push("import 'billpay-wasm/billpay.css';");
  await writeFile(join(dir, 'exports.ts'), `${lines.join('\n')}\n`);
  await run(join(dir, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: dir });
});

test('Next.js app router: server component with billpay-wasm/node, client component with the elements', async () => {
  const dir = await fixture('next', tarball, { app: 'shared' });
  const next = join(dir, 'node_modules/.bin/next');
  const env = { NEXT_TELEMETRY_DISABLED: '1' };
  await run(next, ['build'], { cwd: dir, env, timeoutMs: 600_000 });
  const port = await freePort();
  const server = await start(next, ['start', '--hostname', '127.0.0.1', '--port', String(port)], { cwd: dir, env, ready: /Ready|started/i });
  try {
    const base = `http://127.0.0.1:${port}`;
    // Prerendered on the server: the block from billpay-wasm/node.
    const html = await (await fetch(`${base}/`)).text();
    assert.match(html, /<div id="server" data-reference="BP1001\/4441"><section class="billpay-payment/);
    await checkPage(`${base}/`, {
      extra: async (page) => assert.match(await page.locator('#server section.billpay-payment').innerText(), /BP1001\/4441/),
    });
  } finally {
    await server.stop();
  }
});

/**
 * What the package's entries load: the targets of its exports map, followed
 * through every relative import, re-export, dynamic import and
 * new URL('…', import.meta.url) of its JS and declarations.
 */
async function loadedFiles() {
  const { readFile } = await import('node:fs/promises');
  const { dirname, posix } = await import('node:path');
  const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
  const targets = (value) => (typeof value === 'string' ? [value] : Object.values(value).flatMap(targets));
  const todo = Object.values(manifest.exports).flatMap(targets).map((t) => posix.normalize(t));
  const seen = new Set(['package.json', 'README.md', 'LICENSE']);
  const reference = /(?:from\s*|import\s*\(\s*|import\s+|new URL\(\s*)'(\.{1,2}\/[^']+)'/g;
  while (todo.length > 0) {
    const file = todo.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    if (!/\.(m?js|d\.ts)$/.test(file)) continue;
    const text = await readFile(join(ROOT, file), 'utf8');
    for (const [, specifier] of text.matchAll(reference)) {
      let target = posix.join(dirname(file), specifier);
      // A declaration's import of './x.js' names './x.d.ts'.
      if (file.endsWith('.d.ts') && target.endsWith('.js')) target = target.replace(/\.js$/, '.d.ts');
      todo.push(target);
    }
  }
  // The Node entry reads its module by path (see pkg/node.js).
  assert.match(await readFile(join(ROOT, 'pkg/node.js'), 'utf8'), /'generated', 'node', 'billpay_node_bg\.wasm'/);
  seen.add('pkg/generated/node/billpay_node_bg.wasm');
  return [...seen].sort();
}

test('the tarball holds exactly what the entries load, with LICENSE and the registry fields', async () => {
  assert.deepEqual(files, await loadedFiles());
  const { readFile } = await import('node:fs/promises');
  const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
  assert.equal(manifest.scripts.prepack, 'bash scripts/build.sh', 'npm pack and npm publish build the modules');
  assert.match(manifest.repository.url, /^git\+https:\/\//);
  assert.match(manifest.homepage, /^https:\/\//);
  assert.match(manifest.bugs.url, /^https:\/\//);
  assert.match(await readFile(join(ROOT, 'LICENSE'), 'utf8'), /^MIT License/);
  // Panic locations name the source files they come from: as paths inside
  // their crates, not where the build machine keeps them.
  const { homedir } = await import('node:os');
  const places = [ROOT, `${homedir()}/`, '/.cargo/', 'registry/src/'].filter((p) => p.length > 2);
  for (const file of files.filter((f) => f.endsWith('.wasm'))) {
    const bytes = (await readFile(join(ROOT, file))).toString('latin1');
    for (const place of places) assert.ok(!bytes.includes(place), `${file} names ${place}`);
  }
  // README pictures render on the registry's page: absolute URLs into the repository.
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const repo = manifest.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
  assert.ok(images.length > 0);
  for (const image of images) {
    const prefix = `${repo.replace('https://github.com/', 'https://raw.githubusercontent.com/')}/main/`;
    assert.ok(image.startsWith(prefix), `${image} is an absolute URL into the repository`);
    assert.ok(existsSync(join(ROOT, image.slice(prefix.length))), `${image} exists in the repository`);
  }
});

test("the README's snippets type-check under strict against the published types", async () => {
  const { readFile, mkdir } = await import('node:fs/promises');
  const dir = await runtimesFixture();
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const snippets = [...readme.matchAll(/```(?:js|ts)\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(snippets.length >= 6, 'the README has its snippets');
  await mkdir(join(dir, 'readme'), { recursive: true });
  for (const [i, code] of snippets.entries()) {
    // Each snippet is a module of its own (`export {}` for those without imports).
    await writeFile(join(dir, 'readme', `snippet-${i + 1}.ts`), `${code}\nexport {};\n`);
  }
  await run(join(dir, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.readme.json'], { cwd: dir });
});
