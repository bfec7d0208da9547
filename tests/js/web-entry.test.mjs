// The browser entry ('billpay-wasm') in Node: nothing works before init(),
// init() takes the wasm bytes, and then the same API answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import init, * as billpay from 'billpay-wasm';
import { invoice } from './fixtures.mjs';

test('calls before init() throw NOT_INITIALIZED', () => {
  assert.throws(() => billpay.renderPaymentBlock(invoice), { name: 'BillPayError', code: 'NOT_INITIALIZED' });
});

test('init() with the wasm bytes, then the API works', async () => {
  const require = createRequire(import.meta.url);
  const wasmPath = require.resolve('billpay-wasm/package.json').replace(/package\.json$/, 'pkg/generated/full/billpay_full_bg.wasm');
  const bytes = await readFile(wasmPath);
  await init(bytes);
  await init(bytes); // idempotent
  assert.match(billpay.renderPaymentBlock(invoice, { locale: 'nl' }), /Betalingskenmerk/);
  assert.equal(billpay.checkIban('NL91ABNA0417164300').valid, true);
  assert.equal(billpay.paymentReference('9', '4441'), 'BP9/4441');
});

test('the storefront entry has the storefront functions from the small module', async () => {
  const storefront = await import('billpay-wasm/storefront');
  assert.throws(() => storefront.checkIban('DE89370400440532013000'), { code: 'NOT_INITIALIZED' });
  const require = createRequire(import.meta.url);
  const dir = require.resolve('billpay-wasm/package.json').replace(/package\.json$/, 'pkg/generated/');
  const small = await readFile(`${dir}storefront/billpay_storefront.wasm`);
  const full = await readFile(`${dir}full/billpay_full_bg.wasm`);
  assert.ok(small.length < full.length);
  await storefront.init(small);
  assert.match(storefront.renderPaymentBlock(invoice, { locale: 'it' }), /Causale/);
  assert.equal(storefront.cartTotals, undefined, 'order rules live in the full module');
});
