// Starts the real BillPay sandbox (sandbox/, built with cargo when missing) on
// a free loopback port with a fresh SQLite file and the test controls on.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const SANDBOX_BIN = join(root, 'sandbox', 'target', 'debug', 'billpay-sandbox');

export function buildSandbox() {
  if (existsSync(SANDBOX_BIN)) return;
  const result = spawnSync('cargo', ['build', '-q', '-j2', '--manifest-path', join(root, 'sandbox', 'Cargo.toml')], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('could not build the sandbox');
}

export async function startSandbox({ now = '2026-11-26', args = [] } = {}) {
  buildSandbox();
  const dir = mkdtempSync(join(tmpdir(), 'billpay-sandbox-'));
  const child = spawn(SANDBOX_BIN, ['--port', '0', '--db', join(dir, 'test.db'), '--enable-control', '--quiet', '--now', now, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
  });
  const base = line.replace(/^listening on /, '').trim();
  const control = async (path, body) => {
    const response = await fetch(`${base}/control/${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
    const data = await response.json();
    if (!response.ok) throw new Error(`control ${path}: ${JSON.stringify(data)}`);
    return data;
  };
  return {
    base,
    endpoint: `${base}/xml/offline`,
    control,
    order: (reference) => control(`order?reference=${encodeURIComponent(reference)}`),
    stop() {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const CREDENTIALS = { merchantId: 4441, portalId: 6021, securityKey: '12345678' };

export const CUSTOMER = {
  salutation: 'Frau',
  firstName: 'Erika',
  lastName: 'Mustermann',
  street: 'Heidestraße',
  streetNo: '17',
  zip: '51147',
  city: 'Köln',
  country: 'DE',
  email: 'erika@example.com',
  birthday: '1985-09-11',
};

export const CART = {
  articles: [
    { articleId: 'espresso', name: 'Espresso beans 1 kg', quantity: 2, unitNet: '20.92', unitGross: '24.90' },
    { articleId: 'mill', name: 'Hand mill', quantity: 1, unitNet: '49.58', unitGross: '59.00' },
  ],
  shipping: { name: 'DHL', net: '4.12', gross: '4.90' },
  rebate: { net: '0.00', gross: '0.00' },
};

/** Preauthorizes (auto-capture) and returns the plug-in's Order. */
export async function placeOrder(client, reference, cart = CART, customer = CUSTOMER) {
  const result = await client.preauthorize({ reference, currency: 'EUR', customer, cart });
  return {
    order: { reference, currency: 'EUR', cart, status: 'preauthorized', createdAt: '2026-11-26', bankAccount: result.bankAccount },
    result,
  };
}
