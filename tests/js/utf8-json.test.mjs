// pkg/utf8-json.js writes the full module's JSON arguments as UTF-8 itself
// instead of JSON.stringify + TextEncoder. What reaches the module must be
// exactly what JSON.stringify would have made, for every value: the bytes
// are compared, and values it does not write must come back as data()'s text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { value } from '../../pkg/utf8-json.js';
import { data } from '../../pkg/glue.js';
import * as billpay from 'billpay-wasm/node';
import { invoice } from './fixtures.mjs';

const encoder = new TextEncoder();

/** What `value` hands the call, as bytes (and whether it wrote them itself). */
function written(input) {
  const result = value(input, 'block');
  if (typeof result === 'string') return { bytes: encoder.encode(result), own: false };
  // Copied the way the glue copies it (which frees the scratch buffer).
  return { bytes: Uint8Array.from(result.usable().bytes()), own: true };
}

function same(input, note) {
  const { bytes, own } = written(input);
  assert.deepEqual(bytes, encoder.encode(JSON.stringify(input) ?? 'null'), note);
  return own;
}

test('strings are escaped and encoded as JSON.stringify does, in every UTF-8 length', () => {
  const texts = [
    '',
    'plain ASCII ~ DEL\u007f',
    'quote " backslash \\ slash /',
    '\b\f\n\r\t\u0000\u0001\u001f',
    'Müller & Söhne\u00a0GmbH – €, 日本, 😀, 𝄞',
    'lone \ud800 high, lone \udfff low, reversed \udc00\ud800, at the end \ud83d',
    '\ud83d\ude00\ud83d',
    'x'.repeat(5000) + 'ä'.repeat(5000),
  ];
  for (const text of texts) {
    assert.ok(same({ accountHolder: text, [text]: 1 }, JSON.stringify(text).slice(0, 60)));
  }
  // Every code unit once, in one string.
  let all = '';
  for (let unit = 0; unit < 0x10000; unit++) all += String.fromCharCode(unit);
  assert.ok(same({ all }));
});

test('numbers, booleans, null, nesting, holes and skipped members as JSON.stringify writes them', () => {
  const values = [
    { n: [0, -0, 1.5, -1e-7, 1e21, 123456789012345680000, Number.MAX_VALUE, Number.MIN_VALUE, NaN, Infinity, -Infinity] },
    { t: true, f: false, z: null, u: undefined, fn() {}, s: Symbol('s'), nested: { deeper: { list: [1, [2, [3]]] } } },
    // eslint-disable-next-line no-sparse-arrays
    [1, , undefined, () => 1, Symbol('x'), null, 'x'],
    Object.assign(Object.create(null), { a: 1, 2: 'two', 1: 'one' }),
    { [Symbol('hidden')]: 1, shown: 2 },
    Object.defineProperty({ visible: 1 }, 'hidden', { value: 2, enumerable: false }),
    { get computed() { return 'from a getter'; } },
    [],
    {},
  ];
  for (const input of values) assert.ok(same(input), JSON.stringify(input));
});

test('values it does not write itself go through data(), with its outcome', () => {
  class Account {
    constructor() {
      this.iban = 'DE89370400440532013000';
    }
  }
  const cyclic = { a: 1 };
  cyclic.self = cyclic;
  let deep = { end: true };
  for (let i = 0; i < 40; i++) deep = { deep };
  const handedOver = [
    { when: new Date(0) },
    { toJSON: () => ({ replaced: true }) },
    { boxed: new String('text') },
    { boxed: new Number(1) },
    new Account(),
    { list: Object.assign([1, 2], { toJSON: () => 'list' }) },
    deep,
    { big: 'x'.repeat(2 * 1024 * 1024) },
  ];
  for (const input of handedOver) {
    const result = value(input, 'block');
    assert.equal(typeof result, 'string', 'handed to data()');
    assert.equal(result, data(input, 'block'));
  }
  for (const input of [{ n: 1n }, cyclic, { get broken() { throw new Error('getter failed'); } }]) {
    assert.throws(() => value(input, 'block'), (error) => {
      assert.equal(error.name, 'BillPayError');
      assert.equal(error.code, 'INVALID_TYPE');
      assert.equal(error.path, 'block');
      return true;
    });
  }
  // Not objects: data() as before.
  for (const input of [undefined, null, 'text', 12, true]) assert.equal(value(input, 'block'), data(input, 'block'));
  assert.throws(() => value(() => 1, 'block'), { code: 'INVALID_TYPE' });
});

test('a getter that calls billpay between the arguments of a call does not mix them up', () => {
  const other = { ...invoice, amount: '1.00', bankAccount: { ...invoice.bankAccount, invoiceReference: 'BP9/1' } };
  const expected = billpay.renderPaymentBlock(invoice, { qr: 'none' });
  // The options' getter renders two other blocks while the first argument
  // waits in the scratch buffer.
  const options = {
    get qr() {
      billpay.renderPaymentBlock(other, { qr: 'none' });
      billpay.epcPayload(other);
      return 'none';
    },
  };
  assert.equal(billpay.renderPaymentBlock(invoice, options), expected);
  // The same from a getter inside the block itself.
  const block = {
    ...invoice,
    get amount() {
      billpay.renderPaymentBlock(other, { qr: 'none' });
      return invoice.amount;
    },
  };
  assert.equal(billpay.renderPaymentBlock(block, { qr: 'none' }), expected);
  // A creditor (checked in JS, not written) whose getter makes two calls
  // with written arguments: the scratch buffer holding the block is emptied
  // and written over, so the block goes as JSON text instead.
  const chf = { ...invoice, currency: 'CHF', bankAccount: { ...invoice.bankAccount, iban: 'CH9300762011623852957', bic: '' } };
  const creditor = { name: 'Muster AG', street: 'Bahnhofstrasse', houseNumber: '1', postalCode: '8001', town: 'Zürich', country: 'CH' };
  const busy = {
    ...creditor,
    get town() {
      billpay.renderPaymentBlock(other, { qr: 'none' });
      billpay.epcPayload(other);
      return creditor.town;
    },
  };
  assert.equal(billpay.swissQrPayload(chf, busy), billpay.swissQrPayload(chf, creditor));
  // And after all that, plain calls still get their own arguments.
  assert.match(billpay.renderPaymentBlock(other, { qr: 'none' }), /BP9\/1/);
  assert.equal(billpay.renderPaymentBlock(invoice, { qr: 'none' }), expected);
});
