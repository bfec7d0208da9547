// Every export of every entry, called with hostile values of every JS kind
// (functions, symbols, BigInt, proxies and getters that throw, cycles, deep
// nesting, lone surrogates, strings of megabytes, broken shapes): the only
// failure a caller may ever see is a BillPayError, the validation helpers
// never throw, the module keeps working, and wasm memory (which a module
// never gives back) stays within a stated bound. Bounded: a few seconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as node from 'billpay-wasm/node';
import * as storefront from 'billpay-wasm/storefront';
import { modules } from '../../pkg/glue.js';
import { SUBJECTS } from './boundary-corpus.mjs';

const { BillPayError } = node;

/** Wasm memory of either module after everything below (arguments are capped at 8 Mi characters). */
const MEMORY_BOUND = 64 * 1024 * 1024;

function rng(seed) {
  let s = seed >>> 0;
  return (n) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % n;
  };
}

const trap = new Proxy({}, {
  get() {
    throw new TypeError('a proxy that throws');
  },
  ownKeys() {
    throw new TypeError('a proxy that throws');
  },
});
const cyclic = { a: 1 };
cyclic.self = cyclic;
let deep = [];
for (let i = 0; i < 100_000; i++) deep = [deep];

const ATOMS = [
  undefined, null, true, false, 0, -0, 1, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 53, 10n, Symbol('x'),
  () => 1, class {}, new Date(0), /re/, new Map([[1, 2]]), new Set([1]), new Uint8Array(4), new ArrayBuffer(8),
  '', ' ', 'x', '0', '1.00', '-1', '2026-02-30', 'DE89370400440532013000', 'CH9300762011623852957', 'EUR', 'CHF',
  'de', 'invoice', '\u0000', '\ud800', '\udfff\ud800', 'ü'.repeat(50), '<script>alert(1)</script>', '😀', '\u2028',
  trap, cyclic, deep, Object.create(null), { toJSON() { throw new Error('toJSON throws'); } },
  { toJSON: () => undefined }, { get amount() { throw new Error('getter throws'); } }, [], [1, 2], {},
];

function value(r, depth = 0) {
  const pick = r(10);
  if (depth > 3 || pick < 5) return ATOMS[r(ATOMS.length)];
  if (pick < 7) return Array.from({ length: r(4) }, () => value(r, depth + 1));
  const keys = ['method', 'amount', 'currency', 'bankAccount', 'iban', 'bic', 'cart', 'articles', 'quantity', 'locale', 'qrImage', 'name', 'x'];
  return Object.fromEntries(Array.from({ length: r(5) }, () => [keys[r(keys.length)], value(r, depth + 1)]));
}

/** A valid argument list of an export with one part replaced by something hostile. */
function mutated(r, args) {
  const copy = structuredClone(args);
  if (copy.length === 0) return copy;
  const i = r(copy.length);
  if (copy[i] && typeof copy[i] === 'object' && r(2)) {
    const keys = Object.keys(copy[i]);
    if (keys.length) copy[i][keys[r(keys.length)]] = value(r);
    return copy;
  }
  copy[i] = value(r);
  return copy;
}

// The corpus's subjects, and what came after it was recorded: the code as
// a PNG for e-mails, and a block that refers to it.
const epcBlock = SUBJECTS.find((s) => s.fn === 'epcPayload').args[0];
const FUZZ_SUBJECTS = [
  ...SUBJECTS,
  { fn: 'renderQrCodePng', args: [epcBlock] },
  { fn: 'renderPaymentBlock', args: [epcBlock, { locale: 'it', qrImage: 'cid:billpay-qr@shop.example' }], storefront: true },
];
const FUNCTIONS = [...new Set(FUZZ_SUBJECTS.map((s) => s.fn))];
const NEVER_THROW = new Set(['checkIban', 'checkBic']);

function expectBillPayErrorOnly(entry, name, args) {
  try {
    entry[name](...args);
  } catch (error) {
    assert.ok(!NEVER_THROW.has(name), `${name} threw ${error?.name}: ${error?.message}`);
    assert.ok(error instanceof BillPayError, `${name}(${args.map((a) => typeof a).join(', ')}) threw ${error?.name}: ${String(error?.message).slice(0, 200)}`);
    assert.equal(typeof error.code, 'string');
    assert.ok(error.message.length < 2000, `${name}: a ${error.message.length}-character message`);
  }
}

test('hostile input to every function of both modules is a BillPayError, and the modules keep working', async () => {
  await storefront.init(readFileSync(new URL('../../pkg/generated/storefront/billpay_storefront.wasm', import.meta.url)));
  const r = rng(0xb111);
  const entries = [['node', node], ['storefront', storefront]];
  for (const [label, entry] of entries) {
    for (const subject of FUZZ_SUBJECTS) {
      if (label === 'storefront' && !subject.storefront) continue;
      for (let i = 0; i < 150; i++) expectBillPayErrorOnly(entry, subject.fn, mutated(r, subject.args));
      for (let i = 0; i < 60; i++) expectBillPayErrorOnly(entry, subject.fn, Array.from({ length: r(4) }, () => value(r)));
    }
    for (const name of FUNCTIONS) {
      if (typeof entry[name] !== 'function') continue;
      for (const atom of ATOMS) expectBillPayErrorOnly(entry, name, [atom, atom, atom]);
    }
  }
  // Huge arguments: refused before they reach wasm memory, or taken without
  // leaving more than they need behind.
  for (const [, entry] of entries) {
    for (const size of [1 << 20, 7 << 20, 9 << 20]) {
      const big = 'k'.repeat(size);
      expectBillPayErrorOnly(entry, 'renderPaymentBlock', [{ [big]: 1 }]);
      expectBillPayErrorOnly(entry, 'findPaymentReference', [big]);
      expectBillPayErrorOnly(entry, 'checkIban', [big]);
    }
    expectBillPayErrorOnly(entry, 'renderPaymentBlock', [{ method: 'invoice', amount: 'ü'.repeat(3 << 20) }]);
    // Three bytes of UTF-8 a character, just under the 8 Mi-character cap.
    const euros = '€'.repeat((8 << 20) - 1);
    expectBillPayErrorOnly(entry, 'checkBic', [euros]);
    expectBillPayErrorOnly(entry, 'checkIban', [euros]);
  }
  const block = SUBJECTS.find((s) => s.fn === 'renderPaymentBlock').args;
  assert.equal(storefront.renderPaymentBlock(...block), node.renderPaymentBlock(...block), 'both modules still render');
  assert.match(node.renderPaymentBlock(...block), /^<section class="billpay-payment/);
  for (const module of ['storefront', 'full']) {
    assert.ok(modules[module].memoryBytes() <= MEMORY_BOUND, `${module} module memory ${modules[module].memoryBytes()} bytes`);
  }
});

test('the client and the relay take hostile configuration and arguments only as BillPayError', async () => {
  const r = rng(0xc1e);
  const config = { endpoint: 'http://127.0.0.1:9/xml', merchantId: 4441, portalId: 6021, securityKey: '12345678', timeoutMs: 500, retries: 0 };
  for (let i = 0; i < 300; i++) {
    try {
      new node.BillPayClient(i % 2 ? value(r) : mutated(r, [config])[0]);
    } catch (error) {
      assert.ok(error instanceof BillPayError, `BillPayClient threw ${error?.name}: ${error?.message}`);
    }
  }
  const client = new node.BillPayClient(config);
  const methods = ['activate', 'cancel', 'editCart', 'apply', 'bankData', 'moduleConfig', 'preauthorize', 'capture', 'updateOrder'];
  const calls = [];
  for (let i = 0; i < 200; i++) {
    const method = methods[r(methods.length)];
    calls.push(
      (async () => client[method](value(r), value(r)))().then(
        () => {},
        (error) => assert.ok(error instanceof BillPayError, `client.${method} rejected with ${error?.name}: ${error?.message}`),
      ),
    );
  }
  await Promise.all(calls);
  const relayConfig = { upstream: 'http://127.0.0.1:9/xml', merchantId: 4441, portalId: 6021, securityKey: '12345678' };
  for (const hostile of [trap, Object.create(null), { ...relayConfig, upstream: Object.create(null) }, { ...relayConfig, merchantId: 10n }, { ...relayConfig, upstream: Symbol('u') }, { ...relayConfig, allow: trap }, { ...relayConfig, securityKey: 5 }]) {
    assert.throws(() => node.createRelay(hostile), BillPayError);
  }
  for (let i = 0; i < 200; i++) {
    try {
      node.createRelay(i % 2 ? value(r) : mutated(r, [relayConfig])[0]);
    } catch (error) {
      assert.ok(error instanceof BillPayError, `createRelay threw ${error?.name}: ${error?.message}`);
    }
  }
});
