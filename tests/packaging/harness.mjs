// The packaging suite's tools: the packed tarball, fixture projects installed
// from it in target/packaging/ (their tools pinned by their own lock files and
// kept between runs while the lock is unchanged), a static server, and the
// check every browser fixture's page must pass in headless Chromium.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WORK = join(ROOT, 'target', 'packaging');
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const APP = fileURLToPath(new URL('./app/', import.meta.url));

/**
 * Runs a command; resolves with its stdout, rejects with all its output when it fails or outlives `timeoutMs`.
 * Its stdin is /dev/null: a pipe we closed could still be written to after a quick child had
 * exited, and the EPIPE then surfaced as an uncaught exception in whichever test ran next.
 */
export function run(command, args, { cwd = ROOT, env = {}, timeoutMs = 300_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stdout = '';
    child.stdout.on('data', (d) => ((output += d), (stdout += d)));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} ${args.join(' ')} (in ${cwd}) ended with ${code ?? signal}:\n${output.slice(-6000)}`));
    });
  });
}

/** `npm pack` (its prepack builds the modules) into target/packaging/; the tarball's path and file list. */
export async function pack() {
  mkdirSync(WORK, { recursive: true });
  for (const old of readdirSync(WORK)) if (old.endsWith('.tgz')) rmSync(join(WORK, old));
  const out = await run('npm', ['pack', '--json', '--pack-destination', WORK], { timeoutMs: 600_000 });
  const [info] = JSON.parse(out.slice(out.indexOf('[')));
  return { tarball: join(WORK, info.filename), files: info.files.map((f) => f.path).sort() };
}

const npmFlags = ['--no-audit', '--no-fund', '--loglevel=error'];

/**
 * The fixture's pinned tools, from the registry into target/packaging/<name>
 * (`scripts/setup.sh --packaging` runs this for every fixture; kept while its
 * package-lock.json is unchanged).
 */
export async function installTools(name) {
  const dir = join(WORK, name);
  mkdirSync(dir, { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) cpSync(join(FIXTURES, name, file), join(dir, file));
  const stamp = join(dir, 'node_modules', '.fixture-lock-sha256');
  const hash = createHash('sha256').update(readFileSync(join(dir, 'package-lock.json'))).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return false;
  await run('npm', ['ci', ...npmFlags], { cwd: dir, timeoutMs: 900_000 });
  writeFileSync(stamp, hash);
  return true;
}

/** Every fixture project's name. */
export const FIXTURE_NAMES = readdirSync(FIXTURES).sort();

/**
 * A fresh copy of fixtures/<name> (plus the shared app in `<app>/`, `app/`
 * for `true`) in target/packaging/<name> with its tools installed, and the
 * tarball installed as a shop would, offline: npm install <tarball>.
 */
export async function fixture(name, tarball, { app = false } = {}) {
  const dir = join(WORK, name);
  mkdirSync(dir, { recursive: true });
  for (const entry of readdirSync(dir)) if (entry !== 'node_modules') rmSync(join(dir, entry), { recursive: true, force: true });
  cpSync(join(FIXTURES, name), dir, { recursive: true });
  if (app) cpSync(APP, join(dir, app === true ? 'app' : app), { recursive: true });
  await installTools(name);
  await run('npm', ['install', '--no-save', '--offline', ...npmFlags, tarball], { cwd: dir, timeoutMs: 300_000 });
  // The package came from the tarball, not a link to the repository.
  assert.ok(existsSync(join(dir, 'node_modules/billpay-wasm/package.json')));
  assert.ok(!existsSync(join(dir, 'node_modules/billpay-wasm/Cargo.toml')), 'installed from the tarball');
  return dir;
}

/** Writes dist/index.html: the shared page with the bundle's stylesheet and module script. */
export function writePage(dir, { css, js }) {
  const html = readFileSync(join(APP, 'index.html'), 'utf8').replace(
    "<!-- the bundle's stylesheet and script -->",
    `<link rel="stylesheet" href="./${css}">\n<script type="module" src="./${js}"></script>`,
  );
  writeFileSync(join(dir, 'index.html'), html);
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml' };

/** Serves `dir` on a free loopback port (index.html for /). */
export async function serve(dir) {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Starts a long-running command and resolves once `ready` matches its output (at once without `ready`); `stop()` ends it. */
export function start(command, args, { cwd, env = {}, ready, timeoutMs = 180_000 }) {
  return new Promise((resolve, reject) => {
    // Colour codes split what `ready` looks for (Vite prints the port in bold when FORCE_COLOR is set, as
    // on CI), so colours are turned off and any that still come are stripped before matching.
    const { FORCE_COLOR: _forced, ...inherited } = process.env;
    const child = spawn(command, args, { cwd, env: { ...inherited, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    let done = false;
    const stop = () =>
      new Promise((res) => {
        if (child.exitCode !== null || child.signalCode !== null) return res();
        child.once('exit', () => res());
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          res();
        }
      });
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      stop();
      reject(new Error(`${command} ${args.join(' ')} was not ready in time:\n${output.slice(-4000)}`));
    }, timeoutMs);
    const onData = (d) => {
      output += String(d).replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
      const match = !done && output.match(ready);
      if (match) {
        done = true;
        clearTimeout(timer);
        resolve({ match, stop, output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    if (!ready) {
      done = true;
      clearTimeout(timer);
      resolve({ stop, output: () => output });
    }
    child.on('exit', (code) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      reject(new Error(`${command} ${args.join(' ')} ended with ${code}:\n${output.slice(-4000)}`));
    });
  });
}

let browser;
/** One Chromium for the suite. */
export async function chromium() {
  // Imported here: scripts/setup.sh runs installTools before the package is built.
  const { launch } = await import('../browser/chromium.mjs');
  browser ??= await launch();
  return browser;
}
export async function closeChromium() {
  await browser?.close();
  browser = undefined;
}

/**
 * The page at `url` renders the payment block (and the order panel when
 * `panel`), applies billpay.css, and logs no console error.
 */
export async function checkPage(url, { panel = true, text = true, worker = false, extra } = {}) {
  const page = await (await chromium()).newPage();
  const { watch } = await import('../browser/chromium.mjs');
  const problems = watch(page);
  // What the page loaded: URLs, and the text of its scripts.
  const loaded = { urls: [], scripts: [] };
  page.on('response', async (response) => {
    loaded.urls.push(response.url());
    if (/javascript/.test(response.headers()['content-type'] ?? '')) loaded.scripts.push(await response.text().catch(() => ''));
  });
  try {
    await page.goto(url);
    const block = page.locator('billpay-payment-block section.billpay-payment');
    await block.waitFor({ timeout: 30_000 });
    assert.match(await block.innerText(), /BP1001\/4441/);
    assert.match(await block.innerText(), /DE53 1005 0000 0740 1234 56/);
    // billpay.css: the block's accent border (4px), the panel's layout.
    assert.equal(await block.evaluate((el) => getComputedStyle(el).borderLeftWidth), '4px', 'billpay.css applies');
    if (panel) {
      const status = page.locator('billpay-order-panel .billpay-panel__status');
      await status.waitFor({ timeout: 30_000 });
      assert.equal(await status.innerText(), 'Nicht aktiviert');
      assert.match(await page.locator('billpay-order-panel .billpay-panel__summary').innerText(), /26,90\u00a0EUR/); // the German panel writes amounts the block's way
    }
    if (text) {
      await page.waitForFunction(() => document.querySelector('#text')?.textContent.includes('BP1001/4441'), null, { timeout: 30_000 });
    }
    if (worker) {
      await page.waitForFunction(() => document.querySelector('#worker')?.textContent.includes('BP1001/4441'), null, { timeout: 30_000 });
    }
    if (extra) await extra(page, loaded);
    assert.deepEqual(problems, [], 'no console errors');
  } finally {
    await page.close();
  }
}
