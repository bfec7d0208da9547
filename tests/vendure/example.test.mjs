// examples/vendure as a person uses it: the shop starts with its seeded
// products and the sandbox, and a checkout on the storefront page (headless
// Chromium) ends with BillPay's payment block rendered from the order's
// payment metadata. `UPDATE_SCREENSHOT=1` writes the README's picture.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startExample } from '../../examples/vendure/server.mjs';
import { launch, watch } from '../browser/chromium.mjs';

const SCREENSHOT = fileURLToPath(new URL('../../docs/img/vendure-storefront.png', import.meta.url));
let example;
let browser;
let dataDir;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'billpay-vendure-example-'));
  example = await startExample({ port: 0, dataDir, quiet: true });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await example?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('storefront: without consent the payment is declined; with it the invoice block shows BillPay\'s bank data', async () => {
  const page = await browser.newPage({ viewport: { width: 820, height: 860 } });
  const problems = watch(page);
  const missing = [];
  page.on('response', (response) => {
    if (response.status() >= 400) missing.push(`${response.status()} ${new URL(response.url()).pathname}`);
  });
  await page.goto(`${example.base}/storefront/`);
  await page.waitForSelector('#products tbody tr');
  assert.match(await page.textContent('#notice'), /BillPay/);
  await page.click('button[type=submit]');
  await page.waitForSelector('#error:not([hidden])');
  assert.match(await page.textContent('#error'), /accept BillPay's terms/);

  await page.check('input[name=termsAccepted]');
  await page.click('button[type=submit]');
  await page.waitForSelector('#confirmation:not([hidden]) .billpay-payment');
  const code = (await page.textContent('#code')).trim();
  const block = await page.textContent('#billpay');
  assert.match(block, new RegExp(`BP${code}/4441`));
  assert.match(block, /BillPay GmbH/);
  assert.match(await page.textContent('#total'), /^118\.80 EUR$/, '3 coffee, 7 tea, a hand mill and DHL');
  const { order } = await example.sandbox.order(code).catch(() => ({ order: null }));
  // The example's sandbox runs without control endpoints; the Shop API told the page everything.
  assert.equal(order, null);
  // Chromium asks for /favicon.ico, which the example does not have.
  assert.deepEqual(missing.filter((m) => m !== '404 /favicon.ico'), []);
  assert.deepEqual(problems.filter((p) => !/Failed to load resource/.test(p)), []);
  if (process.env.UPDATE_SCREENSHOT) await page.screenshot({ path: SCREENSHOT });
  await page.close();
});
