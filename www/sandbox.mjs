// Starts the BillPay sandbox binary (built with cargo when missing) on a free
// loopback port. Used by the demo shop (`npm start`) and by the tests.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const root = fileURLToPath(new URL('..', import.meta.url));
export const SANDBOX_BIN = join(root, 'sandbox', 'target', 'debug', 'billpay-sandbox');
export const SANDBOX_CREDENTIALS = { merchantId: 4441, portalId: 6021, securityKey: '12345678' };

export function buildSandbox() {
  if (existsSync(SANDBOX_BIN)) return;
  console.error('building the BillPay sandbox (once)…');
  const result = spawnSync('cargo', ['build', '-q', '-j2', '--manifest-path', join(root, 'sandbox', 'Cargo.toml')], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('could not build the sandbox');
}

/**
 * @param {{ db?: string, now?: string, control?: boolean, quiet?: boolean }} options
 *   without `db` a temporary database is used and removed on stop()
 */
export async function startSandbox({ db, now, control = true, quiet = true } = {}) {
  buildSandbox();
  const dir = db ? null : mkdtempSync(join(tmpdir(), 'billpay-sandbox-'));
  if (db) mkdirSync(dirname(db), { recursive: true });
  const args = ['--port', '0', '--db', db ?? join(dir, 'sandbox.db')];
  if (control) args.push('--enable-control');
  if (quiet) args.push('--quiet');
  if (now) args.push('--now', now);
  const child = spawn(SANDBOX_BIN, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
  });
  const base = line.replace(/^listening on /, '').trim();
  const controlCall = async (path, body) => {
    const response = await fetch(`${base}/control/${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
    const data = await response.json();
    if (!response.ok) throw new Error(`control ${path}: ${JSON.stringify(data)}`);
    return data;
  };
  return {
    base,
    endpoint: `${base}/xml/offline`,
    control: controlCall,
    order: (reference) => controlCall(`order?reference=${encodeURIComponent(reference)}`),
    stop() {
      child.kill();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
