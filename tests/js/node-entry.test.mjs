// The Node entry ('billpay-wasm/node'): ready on import, every function, and
// bad input from JS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as billpay from 'billpay-wasm/node';
import { invoice, account } from './fixtures.mjs';

const { BillPayError } = billpay;

test('payment references are built and found', () => {
  assert.equal(billpay.paymentReference('1234567', 3333), 'BP1234567/3333');
  assert.equal(billpay.paymentReference('A-1/2', '4441'), 'BPA-1/2/4441');
  assert.deepEqual(billpay.findPaymentReference('Überweisung bp 1234567 /\n3333 danke'), {
    reference: 'BP1234567/3333',
    orderNumber: '1234567',
    merchantId: '3333',
  });
  assert.equal(billpay.findPaymentReference('Rechnung 1234567/3333'), null);
  assert.throws(() => billpay.paymentReference('12 34', 1), { code: 'INVALID_ORDER_NUMBER', path: 'orderNumber' });
  assert.throws(() => billpay.paymentReference('1234', 12.5), { code: 'INVALID_MERCHANT_ID' });
  assert.throws(() => billpay.paymentReference(1234, 1), { code: 'INVALID_TYPE', path: 'orderNumber' });
});

test('IBAN and BIC checks return data, never throw', () => {
  assert.deepEqual(billpay.checkIban('DE89 3704 0044 0532 0130 00'), {
    valid: true,
    iban: 'DE89370400440532013000',
    formatted: 'DE89 3704 0044 0532 0130 00',
    country: 'DE',
  });
  for (const [value, code] of [
    ['DE99370400440000000024', 'IBAN_INVALID_CHECK_DIGITS'],
    ['DE01370400440000000042', 'IBAN_INVALID_CHECK_DIGITS'],
    ['DE88370400440532013000', 'IBAN_CHECKSUM_MISMATCH'],
    ['NL56 3003 0A17 1643 00', 'IBAN_INVALID_BBAN'],
    ['', 'IBAN_EMPTY'],
    [12, 'INVALID_TYPE'],
  ]) {
    const result = billpay.checkIban(value);
    assert.equal(result.valid, false, String(value));
    assert.equal(result.code, code, String(value));
    assert.equal(typeof result.message, 'string');
  }
  assert.deepEqual(billpay.checkBic('cobadeffxxx'), { valid: true, bic: 'COBADEFFXXX' });
  assert.equal(billpay.checkBic('COBAXXFF').code, 'BIC_UNKNOWN_COUNTRY');
});

test('check answers are whole objects, whatever the input holds (the separators of the compact answer included)', () => {
  // Passed checks cross as fields, failed ones as code and message (src/shape/mod.rs, Verdict).
  assert.deepEqual(Object.keys(billpay.checkIban('CH9300762011623852957')), ['valid', 'iban', 'formatted', 'country']);
  assert.deepEqual(billpay.checkIban('MT84MALT011000012345MTLCAST001S'), {
    valid: true,
    iban: 'MT84MALT011000012345MTLCAST001S',
    formatted: 'MT84 MALT 0110 0001 2345 MTLC AST0 01S',
    country: 'MT',
  });
  assert.deepEqual(billpay.checkIban('DE88370400440532013000'), {
    valid: false,
    code: 'IBAN_CHECKSUM_MISMATCH',
    message: "the IBAN's check digits do not match (a typing error?)",
  });
  for (const hostile of ['DE89\x1e3704', 'DE89\x1f3704\x1e0044\x1f', '\x1e', '\x1f', 'IBAN_EMPTY\x1e{"valid":true}']) {
    const result = billpay.checkIban(hostile);
    assert.deepEqual(Object.keys(result), ['valid', 'code', 'message'], JSON.stringify(hostile));
    assert.equal(result.code, 'IBAN_INVALID_CHARACTERS', JSON.stringify(hostile));
    const bic = billpay.checkBic(hostile);
    assert.deepEqual(Object.keys(bic), ['valid', 'code', 'message'], JSON.stringify(hostile));
    assert.equal(bic.code, 'BIC_INVALID', JSON.stringify(hostile));
  }
  assert.deepEqual(billpay.checkIban(undefined), { valid: false, code: 'INVALID_TYPE', message: 'an IBAN is passed as a string' });
});

test('answers cross whole in any script (Latin-1 where it fits, UTF-8 where it does not, also late in the text)', () => {
  const latin1 = 'ä'.repeat(200);
  for (const name of ['Müller & Söhne\u00a0GmbH', 'ÿÀß', 'Łódź Spółka', 'Café €uro', 'Grüße 😀', `${latin1}Ł`, `Ł${latin1}`, `${'a'.repeat(9)}ä${'b'.repeat(17)}`]) {
    for (const format of ['text', 'html']) {
      const out = billpay.renderPaymentBlock({ ...invoice, bankAccount: { ...account, accountHolder: name } }, { format, qr: 'none' });
      assert.ok(out.includes(format === 'html' ? name.replace('&', '&amp;') : name), `${format}: ${name}`);
      assert.ok(out.includes('Zahlungsempfänger'), `${format}: ${name}`);
    }
  }
});

test('the payment block renders in every locale and format', () => {
  for (const locale of ['de', 'en', 'fr', 'it', 'nl']) {
    const html = billpay.renderPaymentBlock(invoice, { locale });
    assert.match(html, new RegExp(`^<section class="billpay-payment billpay-payment--invoice" lang="${locale}">`));
    assert.match(html, /DE53 1005 0000 0740 1234 56/);
    const text = billpay.renderPaymentBlock(invoice, { locale, format: 'text' });
    assert.doesNotMatch(text, /</);
    assert.match(text, /BP1001\/4441/);
  }
  assert.match(billpay.renderPaymentBlock(invoice), /lang="de"/, 'German is the default');
});

test('the checkout notice links BillPay terms (Swiss terms for CH)', () => {
  assert.match(billpay.renderCheckoutNotice({ country: 'CH', locale: 'it' }), /agb-ch/);
  assert.doesNotMatch(billpay.renderCheckoutNotice({ country: 'DE' }), /agb-ch/);
  assert.throws(() => billpay.renderCheckoutNotice({}), { code: 'MISSING_FIELD', path: 'country' });
  assert.match(billpay.renderCheckoutNotice({ country: 'NL' }), /lang="nl"/, 'the country decides the default locale');
});

test('bad input throws BillPayError with a code and the field path, and the module keeps working', () => {
  const cases = [
    [{ ...invoice, amount: 113.7 }, 'INVALID_TYPE', 'amount'],
    [{ ...invoice, amount: '113.705' }, 'AMOUNT_TOO_PRECISE', 'amount'],
    [{ ...invoice, amount: '-1.00' }, 'NEGATIVE_AMOUNT', 'amount'],
    [{ ...invoice, amount: '1e3' }, 'INVALID_AMOUNT', 'amount'],
    [{ ...invoice, amount: Number.NaN }, 'INVALID_TYPE', 'amount'],
    [{ ...invoice, amount: 10n }, 'INVALID_TYPE', 'block'],
    [{ ...invoice, currency: 'USD' }, 'UNSUPPORTED_CURRENCY', 'currency'],
    [{ ...invoice, method: 'cash' }, 'UNSUPPORTED_METHOD', 'method'],
    [{ ...invoice, extra: 1 }, 'UNKNOWN_FIELD', undefined],
    [{ method: 'invoice', currency: 'EUR' }, 'MISSING_FIELD', 'amount'],
    [{ ...invoice, bankAccount: { accountHolder: 'BillPay GmbH' } }, 'MISSING_FIELD', 'bankAccount.iban'],
    [{ ...invoice, bankAccount: { ...account, iban: 'DE00370400440532013000' } }, 'IBAN_INVALID_CHECK_DIGITS', 'bankAccount.iban'],
    [{ ...invoice, bankAccount: { ...account, bic: 'XX' } }, 'BIC_INVALID', 'bankAccount.bic'],
    [{ ...invoice, bankAccount: { ...account, dueDate: '28.12.2026' } }, 'INVALID_DATE', 'bankAccount.dueDate'],
    [{ ...invoice, bankAccount: { ...account, activated: 'yes' } }, 'INVALID_TYPE', 'bankAccount.activated'],
    [{ ...invoice, bankAccount: undefined }, 'MISSING_BANK_ACCOUNT', 'bankAccount'],
    [null, 'INVALID_TYPE', undefined],
    ['invoice', 'INVALID_TYPE', undefined],
  ];
  for (const [block, code, path] of cases) {
    let caught;
    try {
      billpay.renderPaymentBlock(block);
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof BillPayError, `${code}: threw ${caught}`);
    assert.ok(caught instanceof Error);
    assert.equal(caught.name, 'BillPayError');
    assert.equal(caught.code, code, caught.message);
    if (path !== undefined) assert.equal(caught.path, path, caught.message);
    assert.ok(caught.message.length > 10);
  }
  // Messages speak JS, not Rust: no struct names or integer types.
  assert.throws(() => billpay.renderPaymentBlock(null), { message: /expected an object/ });
  assert.throws(() => billpay.renderPaymentBlock([]), { code: 'INVALID_TYPE', message: /array, expected an object/ });
  assert.throws(() => billpay.renderPaymentBlock(invoice, { locale: 'es' }), { code: 'UNSUPPORTED_LOCALE', path: 'options.locale' });
  assert.throws(() => billpay.renderPaymentBlock(invoice, { format: 'pdf' }), { code: 'INVALID_OPTION', path: 'options.format' });
  const cyclic = { ...invoice };
  cyclic.self = cyclic;
  assert.throws(() => billpay.renderPaymentBlock(cyclic), { code: 'INVALID_TYPE' });
  // Still alive after all of that.
  assert.match(billpay.renderPaymentBlock(invoice), /BP1001\/4441/);
});

test('fuzzed input never kills the module', () => {
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const pieces = ['BP', '/', ' ', '\n', '1', 'ä', '😀', '<', '"', 'DE', '89', '.', '-', '\u0000', '\u202e'];
  for (let i = 0; i < 3000; i++) {
    let text = '';
    const length = Math.floor(random() * 30);
    for (let j = 0; j < length; j++) text += pieces[Math.floor(random() * pieces.length)];
    billpay.findPaymentReference(text);
    billpay.checkIban(text);
    billpay.checkBic(text);
    try {
      billpay.renderPaymentBlock({ ...invoice, amount: text });
    } catch (error) {
      assert.ok(error instanceof BillPayError);
    }
    try {
      billpay.renderPaymentBlock({ ...invoice, bankAccount: { ...account, accountHolder: text, invoiceReference: text || 'x' } });
    } catch (error) {
      assert.ok(error instanceof BillPayError);
    }
  }
  assert.match(billpay.renderPaymentBlock(invoice), /BP1001\/4441/);
});

// The Node entry loads the full module built for speed; 'billpay-wasm' loads
// the one pages download. Both in one process (a server that also imports
// the browser entry) share the API: each switch of instance must use that
// instance's memory, and a client made afterwards its classes.
test('the Node entry and the browser entry work side by side in one process', async () => {
  const { readFileSync } = await import('node:fs');
  const web = await import('billpay-wasm');
  const before = billpay.renderPaymentBlock(invoice, { qr: 'none' });
  await web.init(readFileSync(new URL('../../pkg/generated/full/billpay_full_bg.wasm', import.meta.url)));
  assert.equal(web.renderPaymentBlock(invoice, { qr: 'none' }), before);
  assert.equal(billpay.renderPaymentBlock(invoice, { qr: 'none' }), before);
  assert.deepEqual(web.checkIban('DE89370400440532013000'), billpay.checkIban('DE89 3704 0044 0532 0130 00'));
  const client = new web.BillPayClient({ endpoint: 'https://relay.example/billpay' });
  assert.equal(client.endpoint, 'https://relay.example/billpay');
  assert.throws(() => billpay.paymentReference('12 34', 1), { code: 'INVALID_ORDER_NUMBER' });
});
