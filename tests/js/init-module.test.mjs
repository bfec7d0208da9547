// init() given the wrong .wasm — the other entry's module, or no module at
// all — refuses it with a BillPayError and keeps nothing of it: a retry with
// the right one works, and an entry that was ready before stays ready.
// Its own file: the entries' init() runs once per process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import * as node from 'billpay-wasm/node';
import init, * as web from 'billpay-wasm';
import initStorefront, * as storefront from 'billpay-wasm/storefront';
import { invoice } from './fixtures.mjs';
import { CART as cart } from './sandbox.mjs';

const require = createRequire(import.meta.url);
const dir = require.resolve('billpay-wasm/package.json').replace(/package\.json$/, 'pkg/generated/');
const fullBytes = await readFile(`${dir}full/billpay_full_bg.wasm`);
const storefrontBytes = await readFile(`${dir}storefront/billpay_storefront.wasm`);
const wrong = { name: 'BillPayError', code: 'INVALID_INPUT' };

test("the full entry refuses the storefront's module and anything that is not wasm, then takes its own", async () => {
  const before = node.cartTotals(cart);
  await assert.rejects(init(storefrontBytes), { ...wrong, message: /billpay_full_bg\.wasm/ });
  await assert.rejects(init(new Uint8Array([1, 2, 3])), { ...wrong, message: /not a WebAssembly module/ });
  await assert.rejects(init(await WebAssembly.compile(storefrontBytes)), wrong);
  // The Node entry's build of the full module: its wasm-bindgen imports differ.
  await assert.rejects(init(await readFile(`${dir}node/billpay_node_bg.wasm`)), wrong);
  // The Node entry, ready on import, is untouched by the refusals (both
  // entries call the one full module's functions through glue.js).
  assert.deepEqual(node.cartTotals(cart), before);
  await init(`${dir}full/billpay_full_bg.wasm`);
  assert.deepEqual(web.cartTotals(cart), before);
  assert.ok(new web.BillPayClient({ endpoint: 'http://127.0.0.1:9/relay' }));
  assert.match(web.renderPaymentBlock(invoice), /billpay-payment/);
});

test("the storefront entry refuses the full module, then takes its own", async () => {
  await assert.rejects(initStorefront(fullBytes), { ...wrong, message: /billpay_storefront\.wasm/ });
  await assert.rejects(initStorefront(Buffer.from('<!doctype html><html>')), { ...wrong, message: 'the .wasm given to init() is not a WebAssembly module (it starts with "<!doctype html><")' });
  // A file that is not there, a server that is not there or has no such file, a value that is no module: BillPayErrors.
  const unreadable = await initStorefront(`${dir}nowhere.wasm`).catch((error) => error);
  assert.equal(unreadable.name, 'BillPayError');
  assert.equal(unreadable.code, 'INVALID_INPUT');
  assert.match(unreadable.message, /^the \.wasm file .*nowhere\.wasm could not be loaded \(ENOENT\)$/);
  assert.equal(unreadable.cause.code, 'ENOENT');
  // A Windows path is a path, not a URL of the scheme "c:".
  await assert.rejects(initStorefront('C:\\shop\\dist\\billpay_storefront.wasm'), { ...wrong, message: /C:\\shop\\dist\\billpay_storefront\.wasm could not be loaded \(ENOENT\)/ });
  await assert.rejects(initStorefront('http://127.0.0.1:9/billpay_storefront.wasm'), { name: 'BillPayError', code: 'NETWORK_ERROR', retryable: true, message: /^the \.wasm at http:\/\/127\.0\.0\.1:9\/billpay_storefront\.wasm could not be loaded \(/ });
  const server = createServer((req, res) => res.writeHead(404).end('not found'));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const missing = `http://127.0.0.1:${server.address().port}/assets/billpay_storefront.wasm`;
  await assert.rejects(initStorefront(missing), { name: 'BillPayError', code: 'HTTP_ERROR', retryable: false, message: `billpay-wasm: billpay_storefront.wasm not found at ${missing} (HTTP 404).` });
  await assert.rejects(initStorefront(await fetch(missing)), { name: 'BillPayError', code: 'HTTP_ERROR', message: /not found at .*\(HTTP 404\)\.$/ });
  await new Promise((resolve) => server.close(resolve));
  for (const [value, got] of [[42, 'number'], [true, 'boolean'], [Symbol.iterator, 'symbol']]) {
    await assert.rejects(initStorefront(value), { name: 'BillPayError', code: 'INVALID_TYPE', message: new RegExp(`got ${got}$`) });
  }
  // A Request (here of a data: URL, which Node's fetch reads).
  await assert.rejects(initStorefront(new Request(`data:application/wasm;base64,${fullBytes.toString('base64')}`)), wrong);
  assert.throws(() => storefront.checkIban('DE89370400440532013000'), { code: 'NOT_INITIALIZED' });
  // A path or a file: URL is read from disk in Node (fetch has no file: URLs).
  await initStorefront(new URL(`file://${dir}storefront/billpay_storefront.wasm`));
  assert.equal(storefront.checkIban('DE89370400440532013000').valid, true);
  assert.equal(storefront.renderPaymentBlock(invoice), web.renderPaymentBlock(invoice));
});
