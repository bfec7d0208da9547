// The scannable codes from JS: the API in the Node and storefront entries,
// errors with code and path, and differential tests against independent
// implementations — python `segno` (EPC) and `qrbill` (Swiss QR-bill), npm
// `swissqrbill` — on a deterministic spread of generated inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as billpay from 'billpay-wasm/node';
import { generateQRData } from '../../node_modules/swissqrbill/lib/esm/shared/qr-code.js';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import { iban, rf, qrr, rng, NAMES, AMOUNTS, EPC_COUNTRIES, invoiceBlock } from './qr-helpers.mjs';

const { BillPayError } = billpay;
const ORACLE = new URL('../oracles/qr_oracle.py', import.meta.url).pathname;

function oracle(cases) {
  const out = execFileSync('python3', [ORACLE], { input: JSON.stringify(cases), encoding: 'utf8' });
  return JSON.parse(out);
}

const chf = invoiceBlock({ amount: '2029.50', currency: 'CHF', iban: 'CH9300762011623852957', reference: 'BP1004/4441' });
const eur = invoiceBlock({ amount: '113.70', currency: 'EUR', iban: 'DE53100500000740123456', bic: 'BELADEBEXXX', reference: 'BP1001/4441', activated: true });

test('payloads and the QR-bill from the Node entry', () => {
  assert.equal(billpay.epcPayload(eur), 'BCD\n002\n1\nSCT\nBELADEBEXXX\nBillPay GmbH\nDE53100500000740123456\nEUR113.7\n\n\nBP1001/4441');
  const payload = billpay.swissQrPayload(chf);
  assert.match(payload, /^SPC\n0200\n1\nCH9300762011623852957\nS\nBillPay GmbH, Zweigniederlassung Schweiz\n\n\n8105\nRegensdorf\nCH\n/);
  assert.equal(billpay.swissQrPayload(chf, null), payload, 'null is the default creditor');
  const creditor = { name: 'BillPay GmbH', street: 'Zinnowitzer Straße', houseNumber: '1', postalCode: '10115', town: 'Berlin', country: 'DE' };
  assert.match(billpay.swissQrPayload(chf, creditor), /\nS\nBillPay GmbH\nZinnowitzer Straße\n1\n10115\nBerlin\nDE\n/);
  for (const locale of ['de', 'fr', 'it', 'en']) {
    const svg = billpay.renderSwissQrBill(chf, undefined, { locale });
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" class="billpay-qr-bill" width="210mm" height="105mm"/);
    assert.match(svg, new RegExp(`lang="${locale}"`));
  }
  assert.match(billpay.renderSwissQrBill(chf), /Empfangsschein/);
  assert.match(billpay.renderSwissQrBill(chf, null, { locale: 'fr' }), /Récépissé/);
});

test('letters written decomposed are composed as NFC composes them (String.prototype.normalize)', () => {
  // Every letter of the Swiss QR-bill character set (v2.3: Latin-1,
  // Latin Extended-A, Ș ș Ț ț) that Unicode decomposes, written as macOS
  // and text copied out of PDFs write it: base letter + combining mark.
  const letters = [];
  for (const [from, to] of [[0xa0, 0x17f], [0x218, 0x21b]]) {
    for (let cp = from; cp <= to; cp++) {
      const letter = String.fromCodePoint(cp);
      if (letter.normalize('NFD') !== letter) letters.push(letter);
    }
  }
  assert.equal(letters.length, 165);
  for (let i = 0; i < letters.length; i += 30) {
    const composed = `Muster ${letters.slice(i, i + 30).join('')}`;
    const decomposed = composed.normalize('NFD');
    assert.notEqual(decomposed, composed);
    const creditor = (name) => ({ name, postalCode: '8001', town: 'Zu\u0308rich', country: 'CH' });
    const payload = billpay.swissQrPayload(chf, creditor(decomposed));
    assert.equal(payload, billpay.swissQrPayload(chf, creditor(composed)).normalize('NFC'));
    assert.equal(payload.split('\n')[5], composed);
    assert.equal(payload.split('\n')[9], 'Zürich');
  }
});

test('the block carries the right code with qr auto', () => {
  const epcHtml = billpay.renderPaymentBlock(eur, { qr: 'auto' });
  assert.match(epcHtml, /<figure class="billpay-payment__qr billpay-payment__qr--epc"><svg [^>]*><rect [^>]*\/><path stroke="#000" d="M[^"]+"\/><\/svg><figcaption>Mit der Banking-App scannen/);
  assert.equal(billpay.renderPaymentBlock(eur), epcHtml, 'auto is the default');
  assert.match(billpay.renderPaymentBlock(chf, { locale: 'it' }), /billpay-payment__qr--swiss.*<strong>QR-fattura<\/strong>/);
  assert.doesNotMatch(billpay.renderPaymentBlock(eur, { qr: 'none' }), /<svg/);
  assert.doesNotMatch(billpay.renderPaymentBlock(eur, { format: 'text' }), /BCD|<svg/);
  for (const method of ['directDebit', 'paylater']) {
    assert.doesNotMatch(billpay.renderPaymentBlock({ method, amount: '10.00', currency: 'EUR' }), /<svg/);
  }
  assert.doesNotMatch(billpay.renderPaymentBlock(eur), /style=/, 'no style attributes (CSP style-src self)');
});

test('invalid input is a BillPayError naming the field', () => {
  const cases = [
    [() => billpay.epcPayload({ ...eur, bankAccount: { ...eur.bankAccount, iban: 'DE00370400440532013000' } }), 'IBAN_INVALID_CHECK_DIGITS', 'bankAccount.iban'],
    [() => billpay.epcPayload({ ...eur, amount: '0.00' }), 'AMOUNT_OUT_OF_RANGE', 'amount'],
    [() => billpay.epcPayload({ ...eur, amount: '1000000000.00' }), 'AMOUNT_OUT_OF_RANGE', 'amount'],
    [() => billpay.epcPayload(chf), 'QR_NOT_APPLICABLE', 'currency'],
    [() => billpay.swissQrPayload(eur), 'QR_NOT_APPLICABLE', 'bankAccount.iban'],
    [() => billpay.swissQrPayload({ ...chf, bankAccount: { ...chf.bankAccount, iban: iban('CH', '30000001234567890') } }), 'QR_REFERENCE_MISMATCH', 'bankAccount.invoiceReference'],
    [() => billpay.renderPaymentBlock({ ...chf, bankAccount: { ...chf.bankAccount, iban: iban('CH', '30000001234567890') } }), 'QR_REFERENCE_MISMATCH', 'bankAccount.invoiceReference'],
    [() => billpay.swissQrPayload({ ...chf, bankAccount: { ...chf.bankAccount, invoiceReference: 'BP 😀' } }), 'UNSUPPORTED_CHARACTER', 'bankAccount.invoiceReference'],
    [() => billpay.swissQrPayload(chf, { name: 'Ελλάδα AG', postalCode: '8000', town: 'Zürich', country: 'CH' }), 'UNSUPPORTED_CHARACTER', 'creditor.name'],
    [() => billpay.swissQrPayload(chf, { name: 'X', postalCode: '8000', town: 'Zürich', country: 'XX' }), 'INVALID_COUNTRY_CODE', 'creditor.country'],
    [() => billpay.swissQrPayload(chf, { name: 'X', postalCode: '8000', town: 'Z'.repeat(36), country: 'CH' }), 'INVALID_TEXT', 'creditor.town'],
    [() => billpay.swissQrPayload(chf, { name: 'X', postalCode: 'CH-8001', town: 'Zürich', country: 'CH' }), 'INVALID_TEXT', 'creditor.postalCode'],
    [() => billpay.swissQrPayload(chf, { name: 'X', postalCode: 'ch 8001', town: 'Zürich', country: 'CH' }), 'INVALID_TEXT', 'creditor.postalCode'],
    [() => billpay.swissQrPayload(chf, { name: 'X', postalCode: '8000', town: 'Zürich', country: 'CH', zip: '1' }), 'UNKNOWN_FIELD', 'creditor.zip'],
    [() => billpay.swissQrPayload(chf, { name: 'X', postalCode: 8000, town: 'Zürich', country: 'CH' }), 'INVALID_TYPE', 'creditor.postalCode'],
    [() => billpay.swissQrPayload(chf, { name: 'X', postalCode: '8000', country: 'CH' }), 'MISSING_FIELD', 'creditor.town'],
    [() => billpay.swissQrPayload(chf, 'BillPay'), 'INVALID_TYPE', 'creditor'],
    [() => billpay.renderSwissQrBill(chf, null, { locale: 'es' }), 'UNSUPPORTED_LOCALE', 'options.locale'],
    [() => billpay.renderSwissQrBill(chf, null, { size: 'A4' }), 'UNKNOWN_FIELD', 'options.size'],
    [() => billpay.renderSwissQrBill(chf, null, { locale: 1 }), 'INVALID_TYPE', 'options.locale'],
    [() => billpay.epcPayload({ ...eur, bankAccount: { ...eur.bankAccount, accountHolder: 'ä'.repeat(70), invoiceReference: 'ö'.repeat(140) } }), 'QR_DATA_TOO_LONG', 'bankAccount'],
    // A lone surrogate (a string cut inside an emoji): refused in both codes, not carried as U+FFFD.
    [() => billpay.epcPayload({ ...eur, bankAccount: { ...eur.bankAccount, invoiceReference: 'BP1001/\uDC00' } }), 'INVALID_TEXT', 'bankAccount.invoiceReference'],
    [() => billpay.epcPayload({ ...eur, bankAccount: { ...eur.bankAccount, accountHolder: 'BillPay 😀'.slice(0, 9) } }), 'INVALID_TEXT', 'bankAccount.accountHolder'],
    [() => billpay.renderPaymentBlock({ ...eur, bankAccount: { ...eur.bankAccount, accountHolder: 'a\uD800b' } }), 'INVALID_TEXT', 'bankAccount.accountHolder'],
    [() => billpay.swissQrPayload({ ...chf, bankAccount: { ...chf.bankAccount, invoiceReference: 'BP1001/\uDC00' } }), 'UNSUPPORTED_CHARACTER', 'bankAccount.invoiceReference'],
  ];
  for (const [fn, code, path] of cases) {
    let caught;
    try {
      fn();
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof BillPayError, `${code}: threw ${caught}`);
    assert.equal(caught.code, code, caught.message);
    assert.equal(caught.path, path, caught.message);
  }
  // Typographic characters are transliterated, not refused.
  assert.match(billpay.swissQrPayload(chf, { name: 'Café “Zum Löwen” – Zürich', postalCode: '8000', town: 'Zürich', country: 'CH' }), /\nCafé "Zum Löwen" - Zürich\n/);
  assert.match(billpay.renderPaymentBlock(eur), /BP1001\/4441/, 'still alive');
});

test('the storefront entry has the codes', async () => {
  const storefront = await import('billpay-wasm/storefront');
  const require = createRequire(import.meta.url);
  const dir = require.resolve('billpay-wasm/package.json').replace(/package\.json$/, 'pkg/generated/');
  await storefront.init(await readFile(`${dir}storefront/billpay_storefront.wasm`));
  assert.equal(storefront.epcPayload(eur), billpay.epcPayload(eur));
  assert.equal(storefront.swissQrPayload(chf), billpay.swissQrPayload(chf));
  assert.equal(storefront.renderSwissQrBill(chf), billpay.renderSwissQrBill(chf));
});

test('EPC payloads equal python segno on a spread of inputs', () => {
  const r = rng(0xe9c);
  const cases = [];
  for (let i = 0; i < 120; i++) {
    const [country, bban] = EPC_COUNTRIES[i % EPC_COUNTRIES.length];
    const account = iban(country, bban(r));
    const name = NAMES[i % NAMES.length];
    const amount = AMOUNTS[i % AMOUNTS.length];
    const reference = i % 3 === 0 ? rf(`${r.digits(4)}ABC${r.digits(5)}`) : i % 3 === 1 ? `BP${r.digits(7)}/4441` : `Rechnung BP${r.digits(5)}/4441 vom 26.11. – Kaffee für Zürich`;
    const bic = r.pick(['COBADEFFXXX', 'BELADEBE', 'UBSWCHZH80A']);
    cases.push({ kind: 'epc', block: invoiceBlock({ amount, currency: 'EUR', holder: name, iban: account, bic, reference }), name, iban: account, amount, bic, ...(i % 3 === 0 ? { reference } : { text: reference }) });
  }
  const expected = oracle(cases.map(({ block, ...c }) => c));
  let compared = 0;
  cases.forEach((c, i) => {
    assert.equal(typeof expected[i], 'string', `segno refused case ${i}: ${JSON.stringify(expected[i])}`);
    assert.equal(billpay.epcPayload(c.block), expected[i], `case ${i}`);
    compared++;
  });
  assert.equal(compared, 120);
});

test('Swiss payloads equal python qrbill and npm swissqrbill on a spread of inputs', () => {
  const r = rng(0x5c4);
  const countries = ['CH', 'LI', 'DE', 'AT', 'FR', 'IT', 'NL', 'BE', 'LU', 'ES', 'PT', 'GB', 'US', 'CA', 'JP', 'BR', 'ZA', 'AU', 'SE', 'PL'];
  const streets = ['Bahnhofstrasse', 'Rue du Rhône', 'Via della Posta', 'Hauptstraße', 'Chemin des Épinettes', ''];
  const cases = [];
  for (let i = 0; i < 80; i++) {
    const country = countries[i % countries.length];
    const street = streets[i % streets.length];
    const creditor = {
      name: NAMES[i % NAMES.length],
      ...(street ? { street, houseNumber: i % 2 ? `${1 + (i % 120)}` : `${i}a` } : {}),
      postalCode: r.digits(4 + (i % 3)),
      town: r.pick(['Zürich', 'Genève', 'Neuchâtel', 'Lugano', 'Vaduz', 'Köln', 'Łódź', 'São Paulo']),
      country,
    };
    const kind = i % 3;
    const account = kind === 1 ? iban(i % 2 ? 'CH' : 'LI', `3${r.pick(['0', '1'])}${r.digits(3)}${r.digits(12)}`) : iban(i % 2 ? 'CH' : 'LI', `${r.digits(5).replace(/^3/, '0')}${r.digits(12)}`);
    const reference = kind === 0 ? `BP${r.digits(6)}/4441` : kind === 1 ? qrr(r.digits(26)) : rf(`${r.digits(6)}${r.digits(3)}`);
    const amount = AMOUNTS[i % AMOUNTS.length];
    const currency = i % 4 === 3 ? 'EUR' : 'CHF';
    const block = invoiceBlock({ amount, currency, iban: account, reference });
    cases.push({ kind: 'swiss', block, creditor, iban: account, amount, currency, ...(kind === 0 ? { message: reference } : { reference }) });
  }
  const expected = oracle(cases.map(({ block, ...c }) => c));
  let swissqrbillCompared = 0;
  cases.forEach((c, i) => {
    const ours = billpay.swissQrPayload(c.block, c.creditor);
    assert.equal(typeof expected[i], 'string', `qrbill refused case ${i}: ${JSON.stringify(expected[i])}`);
    assert.equal(ours, expected[i], `qrbill, case ${i}`);
    const theirs = generateQRData({
      currency: c.currency,
      amount: Number(c.amount),
      creditor: { account: c.iban, name: c.creditor.name, address: c.creditor.street ?? '', buildingNumber: c.creditor.houseNumber, zip: c.creditor.postalCode, city: c.creditor.town, country: c.creditor.country },
      ...(c.reference ? { reference: c.reference } : { message: c.message }),
    });
    assert.equal(ours, theirs, `swissqrbill, case ${i}`);
    swissqrbillCompared++;
  });
  assert.equal(swissqrbillCompared, 80);
});

/** The QR code in a PNG: its raw bytes (pngjs reads the file, jsQR the code). */
function decodePng(bytes) {
  const png = PNG.sync.read(bytes);
  const pixels = new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length);
  const code = jsQR(pixels, png.width, png.height, { inversionAttempts: 'dontInvert' });
  assert.ok(code, 'a QR code is found in the PNG');
  return Buffer.from(code.binaryData).toString('utf8');
}

test('the PNG codes for e-mails decode to the payloads, EPC and Swiss, in every entry', async () => {
  const r = rng(0x9e4a);
  const web = await import('billpay-wasm');
  const require = createRequire(import.meta.url);
  const dir = require.resolve('billpay-wasm/package.json').replace(/package\.json$/, 'pkg/generated/');
  await web.default(await readFile(`${dir}full/billpay_full_bg.wasm`));
  for (let i = 0; i < 24; i++) {
    const [country, bban] = r.pick(EPC_COUNTRIES);
    const holder = r.pick(NAMES);
    const amount = r.pick(AMOUNTS);
    const reference = i % 2 ? `BP${r.digits(7)}/4441` : rf(r.digits(12));
    const block = invoiceBlock({ amount, currency: 'EUR', holder, iban: iban(country, bban(r)), reference, activated: i % 3 === 0 });
    const uri = billpay.renderQrCodePng(block);
    assert.match(uri, /^data:image\/png;base64,[A-Za-z0-9+/]+={0,2}$/);
    assert.equal(decodePng(Buffer.from(uri.slice(uri.indexOf(',') + 1), 'base64')), billpay.epcPayload(block), `${country} ${holder}`);
    assert.equal(web.renderQrCodePng(block), uri, 'the same image from billpay-wasm');
  }
  for (let i = 0; i < 8; i++) {
    const qrIban = i % 2 === 1;
    const account = iban(i % 4 < 2 ? 'CH' : 'LI', qrIban ? `30${r.digits(15)}` : `00762${r.digits(12)}`);
    const reference = qrIban ? qrr(r.digits(26)) : rf(r.digits(10));
    const block = invoiceBlock({ amount: r.pick(AMOUNTS), currency: 'CHF', holder: r.pick(NAMES), iban: account, reference });
    const uri = billpay.renderQrCodePng(block);
    assert.equal(decodePng(Buffer.from(uri.slice(uri.indexOf(',') + 1), 'base64')), billpay.swissQrPayload(block), account);
  }
  for (const block of [{ method: 'directDebit', amount: '10.00', currency: 'EUR' }, { ...eur, currency: 'CHF' }]) {
    assert.throws(() => billpay.renderQrCodePng(block), (e) => e instanceof BillPayError && e.code === 'QR_NOT_APPLICABLE');
  }
});

// What the README shows for HTML e-mails, with nodemailer: the block refers
// to the code by cid:, the PNG travels as the inline attachment with that
// Content-ID, and what arrives decodes to the payment's payload.
test('an HTML e-mail with nodemailer carries the block and its code as an inline PNG', async () => {
  const nodemailer = (await import('nodemailer')).default;
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const html = billpay.renderPaymentBlock(eur, { locale: 'de', qrImage: 'cid:billpay-qr@shop.example' });
  assert.match(html, /<img class="billpay-payment__qr-code" src="cid:billpay-qr@shop\.example" width="159" height="159" alt="EPC-QR-Code"><figcaption>/);
  assert.doesNotMatch(html, /<svg/);
  const { message } = await transport.sendMail({
    from: 'shop@shop.example',
    to: 'kunde@example.org',
    subject: 'Ihre Bestellung 1001',
    html: `<p>Vielen Dank für Ihre Bestellung.</p>${html}`,
    text: billpay.renderPaymentBlock(eur, { format: 'text' }),
    attachments: [{ filename: 'billpay-qr.png', path: billpay.renderQrCodePng(eur), cid: 'billpay-qr@shop.example' }],
  });
  const mime = message.toString();
  const part = mime.split(/\n--/).find((p) => /Content-Type: image\/png/.test(p));
  assert.ok(part, 'an image part');
  assert.match(part, /Content-ID: <billpay-qr@shop\.example>/);
  assert.match(part, /Content-Disposition: inline/);
  const body = part.slice(part.indexOf('\n\n') + 2).replace(/\s+/g, '');
  assert.equal(decodePng(Buffer.from(body, 'base64')), billpay.epcPayload(eur));
});
