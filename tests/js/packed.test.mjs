// The full module's packed arguments (src/shape/json.rs, PACKED; the packers
// in pkg/api/full.js): whatever a caller passes, a packed call answers
// exactly what the JSON path answers (the text, or the error's code, message
// and path), and plain objects of the shape really take the packed path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as node from 'billpay-wasm/node';
import * as glue from '../../pkg/glue.js';
import { account } from './fixtures.mjs';

const run = glue.modules.full;

const block = { method: 'invoice', amount: '1234.50', currency: 'EUR', bankAccount: account };
const withAccount = (changes) => ({ ...block, bankAccount: { ...account, ...changes } });

/** What the JSON path answers for the same arguments. */
function viaJson(name, args) {
  const names = name === 'renderPaymentBlock' ? ['block', 'options'] : ['block'];
  try {
    return { text: run.text(name, ...names.map((n, i) => glue.data(args[i], n))) };
  } catch (error) {
    return { code: error.code, message: error.message, path: error.path };
  }
}

/** What the public function answers, and whether the packed call answered it. */
function viaPublic(name, args) {
  const original = run.packed;
  let packed = false;
  run.packed = (...a) => {
    const answer = original(...a);
    packed ||= answer !== undefined;
    return answer;
  };
  try {
    const text = node[name](...args);
    return { packed, text };
  } catch (error) {
    return { packed, code: error.code, message: error.message, path: error.path };
  } finally {
    run.packed = original;
  }
}

function same(name, args, label) {
  const { packed, ...answer } = viaPublic(name, args);
  assert.deepEqual(answer, viaJson(name, args), label);
  return packed;
}

const getter = withAccount({});
Object.defineProperty(getter.bankAccount, 'bic', { get: () => 'COBADEFFXXX', enumerable: true });
const hidden = withAccount({});
Object.defineProperty(hidden.bankAccount, 'bankName', { value: 'Hidden Bank', enumerable: false });
class Block {
  constructor() {
    Object.assign(this, block);
  }
}

// Plain objects of the shape: packed, with exactly the JSON path's answer.
const PLAIN = [
  [[block], 'a block'],
  [[block, { qr: 'none' }], 'with options'],
  [[block, { locale: 'fr', format: 'text' }], 'text in French'],
  [[block, null], 'null options'],
  [[block, {}], 'empty options'],
  [[withAccount({ accountHolder: 'Müller & Söhne <b>"GmbH"</b>', bankName: 'Bank 😀 \u00a0\u2013 \\ \'' })], 'non-ASCII, markup, escapes'],
  [[withAccount({ bankName: 'lone \ud800 surrogate \udfff' })], 'lone surrogates'],
  [[{ ...block, customerCountry: undefined }], 'an undefined field is left out'],
  [[withAccount({ bic: '', bankName: '' })], 'empty strings'],
  [[{ ...block, bankAccount: Object.assign(Object.create(null), account) }], 'an object without prototype'],
  [[{ ...block, customerCountry: 'AT' }], 'an optional field'],
  [[getter], 'an enumerable getter'],
];

// Refused by the module: the packed call fails, and JSON gives the error.
const REFUSED = [
  [[withAccount({ iban: 'DE00100500000740123456' })], 'a bad IBAN'],
  [[withAccount({ bankName: 'Bank \u0007' })], 'a control character'],
  [[withAccount({ bankName: 'Bank \u2028 2' })], 'a line separator'],
  [[withAccount({ accountHolder: 'lone \ud800 surrogate' })], 'a lone surrogate in the EPC code'],
  [[{ ...block, amount: '12.345' }], 'three decimals'],
  [[withAccount({ dueDate: '2026-02-30' })], 'no such day'],
];

test('plain objects are packed and answer what JSON answers', () => {
  for (const [args, label] of PLAIN) assert.ok(same('renderPaymentBlock', args, label), `${label}: packed`);
  for (const [args, label] of REFUSED) assert.equal(same('renderPaymentBlock', args, label), false, label);
  assert.ok(same('epcPayload', [block], 'epcPayload'), 'epcPayload: packed');
});

test('anything else answers what JSON answers', () => {
  const cases = [
    [[{ ...block, extra: 1 }], 'an unknown field'],
    [[{ ...block, amount: 1234.5 }], 'a number for a string'],
    [[{ ...block, amount: new String('1.00') }], 'a String object'],
    [[withAccount({ dueDate: new Date(0) })], 'a Date (toJSON)'],
    [[withAccount({ activated: 'yes' })], 'a string for a boolean'],
    [[withAccount({ bic: null })], 'null for a required string'],
    [[withAccount({ dueDate: null })], 'null for an optional string'],
    [[{ ...block, bankAccount: null }], 'null for an optional shape'],
    [[{ ...block, bankAccount: 'DE53' }], 'a string for a shape'],
    [[{ ...block, bankAccount: [account] }], 'an array for a shape'],
    [[withAccount({ iban: () => 'x' })], 'a function value'],
    [[withAccount({ accountHolder: 'x'.repeat(5000) })], 'a long string'],
    [[withAccount({ toJSON: () => account })], 'an own toJSON'],
    [[new Block()], 'a class instance'],
    [[hidden], 'a non-enumerable field'],
    [[{ ...block, [Symbol('s')]: 1 }], 'a symbol key'],
    [[[block]], 'an array'],
    [['{"method":"invoice"}'], 'a string'],
    [[undefined], 'nothing'],
    [[block, { qr: 'sometimes' }], 'a bad option'],
    [[block, 'none'], 'a string for options'],
    [[{ ...block, method: 'cash' }], 'an unknown method'],
    [[new Proxy(block, {})], 'a proxy'],
    [[{ ...block, get amount() { throw new Error('getter throws'); } }], 'a getter that throws'],
  ];
  for (const [args, label] of cases) same('renderPaymentBlock', args, label);
});

test('Object.prototype with additions is never packed past', () => {
  Object.prototype.bic = 'COBADEFFXXX'; // eslint-disable-line no-extend-native
  try {
    assert.equal(same('renderPaymentBlock', [withAccount({ bic: undefined })], 'an inherited field'), false);
  } finally {
    delete Object.prototype.bic;
  }
  Object.defineProperty(Object.prototype, 'toJSON', { value: () => block, configurable: true });
  try {
    assert.equal(same('renderPaymentBlock', [{ nonsense: true }], 'a toJSON on Object.prototype'), false);
  } finally {
    delete Object.prototype.toJSON;
  }
  assert.equal(same('renderPaymentBlock', [block], 'restored'), true);
});

test('a getter that renders while its block is packed', () => {
  const outer = withAccount({});
  let inner;
  Object.defineProperty(outer.bankAccount, 'bankName', {
    enumerable: true,
    get() {
      inner = node.renderPaymentBlock(block, { qr: 'none' });
      return 'Berliner Sparkasse';
    },
  });
  assert.equal(node.renderPaymentBlock(outer, { qr: 'none' }), node.renderPaymentBlock(block, { qr: 'none' }));
  assert.equal(inner, node.renderPaymentBlock(block, { qr: 'none' }));
});
