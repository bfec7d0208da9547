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

test("BillPay's deadline task is scheduled: the example runs scheduled tasks", async () => {
  const post = async (body, token) => {
    const response = await fetch(`${example.base}/admin-api`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return { token: response.headers.get('vendure-auth-token'), body: await response.json() };
  };
  const { token } = await post({ query: 'mutation { login(username: "superadmin", password: "superadmin") { ... on CurrentUser { id } } }' });
  const { body } = await post({ query: '{ scheduledTasks { id schedule nextExecutionAt enabled } }' }, token);
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  const task = body.data.scheduledTasks.find((t) => t.id === 'billpay-activation-deadlines');
  assert.ok(task, `listed: ${body.data.scheduledTasks.map((t) => t.id).join(', ')}`);
  assert.equal(task.enabled, true);
  assert.equal(task.schedule, '0 6 * * *');
  // Only a scheduler strategy that runs tasks knows when the task runs next.
  assert.ok(task.nextExecutionAt, JSON.stringify(task));
});
