// Every entry answers the boundary corpus (boundary-corpus.mjs) exactly as
// recorded: same results, same error codes, paths and messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { collect, recorded, allKeys, hashKeys } from './boundary-corpus.mjs';

const expected = await recorded();
const keys = allKeys();
const byKey = new Map(keys.map((k, i) => [k, expected.outcomes[i]]));

test('errorCodes() adds INPUT_TOO_LARGE and nothing else', async () => {
  const { errorCodes } = await import('billpay-wasm/node');
  const codes = errorCodes();
  assert.equal(codes.at(-1), 'INPUT_TOO_LARGE');
  const recordedCodes = JSON.stringify(codes.slice(0, -1));
  assert.equal(byKey.get('errorCodes()'), JSON.stringify({ ok: `sha1:${(await import('node:crypto')).createHash('sha1').update(recordedCodes).digest('hex')}:${recordedCodes.length}` }));
});

test('the corpus generator still makes the recorded cases', () => {
  assert.equal(keys.length, expected.count);
  assert.equal(hashKeys(keys), expected.keysHash, 'the case list changed: record again (node tests/js/boundary-corpus.mjs --record) and review the diff');
});

/**
 * The only changes made on purpose since the corpus was recorded, each
 * narrow enough not to hide a regression:
 * - `renderPaymentBlock`'s options take `qrImage` (an e-mail's `<img>` of
 *   the code), so an unknown option's message lists it too;
 * - an array where an object belongs is refused as such ("invalid type:
 *   array, expected an object" at that object's path); serde read it
 *   positionally as the object's fields, so `options: []` passed as the
 *   defaults and `[1]` failed at `options[0]`;
 * - errorCodes() lists INPUT_TOO_LARGE (issue 13: oversized arguments are
 *   refused before they reach wasm memory);
 * - `renderSwissQrBill`'s `options.locale: null` means the default, as `null`
 *   does for every other optional field;
 * - `client.preauthorize` takes `paymentType` and `debitAccount` (issue 12:
 *   direct debit), then `notifyUrl` and `redirectUrl` (the asynchronous
 *   capture callback), so an unknown field's message lists them too;
 * - a rebate with a gross amount but no net part is NET_ABOVE_GROSS, as the
 *   README's error table always said (it gave back only tax);
 * - a Dutch Swiss QR-bill, printed with English headings, says `lang="en"`;
 * - `client.activate` and `client.cancel` refuse a total of 0 before
 *   sending (AMOUNT_OUT_OF_RANGE): an open order always has one;
 * - the QR-bill no longer prints "Separate before paying in" inside its
 *   payment part (IG 3.7 wants it above the slip, or the scissors, which
 *   stay): its SVG is the recorded one without that `<text>` element;
 * - `planReturn` nets the rebate at the rates of what is left (it kept the
 *   net part it had, which taxed a remaining line at another rate): the
 *   plan is the recorded one with the old rebate net put back;
 * - NaN and ±Infinity in the client's configuration or requests are refused
 *   as themselves at their path: JSON carried them as null, which an
 *   optional field took for "left out" (a `delayDays` of NaN was no delay);
 *   then in every function's arguments, where errors called them null;
 * - a block with `customerCountry: "NL"` and no locale is rendered in
 *   Dutch (it was German): as recorded when rendered with locale "de";
 * - the errors of `preauthorize`, `capture` and `updateOrder` are never
 *   `retryable` (a lost answer may hide a purchase carried out), and when
 *   no answer came their message says the order may exist;
 * - a quantity that is a number but no whole one (1.5, 1e+21) is
 *   INVALID_QUANTITY, as the README's table says (it was INVALID_TYPE);
 * - `planReturn`'s options take `rebate`, so an unknown option's message
 *   lists it too;
 * - a cart line whose quantity × unit price is above the highest amount is
 *   named with both (it was the cart's AMOUNT_OUT_OF_RANGE);
 * - `orderStatus` with a `today` before the order was placed counts from
 *   the day it was placed (it gave more days left than the window has);
 * - `preauthorize` takes `termsAccepted` (BillPay's tcaccepted), so an
 *   unknown field's message lists it too;
 * - a client configured with a merchant or portal id of 0 is refused
 *   (INVALID_CONFIG at the id): BillPay's ids are positive, as the relay
 *   always required; and every number outside a setting's range (-1, 1.5,
 *   2^53 for an id, `timeoutMs` or `retries`) is that setting's
 *   INVALID_CONFIG too (it was INVALID_INPUT or INVALID_TYPE);
 * - a customer may bring a `company` (BillPay's company_details), so an
 *   unknown field's message lists it too;
 * - an EPC QR code for an account outside the EEA (CH, GB …), whose BIC is
 *   mandatory there, is version 001 (standards §11.5; it was 002);
 * - a customer's `ip` is an IP address (other text is INVALID_INPUT at
 *   customer.ip, not sent to BillPay);
 * - the German PayLater and transaction-credit sentences are written
 *   without ß (Swiss customers read them too): "inklusive", "nach Ihrem
 *   Ratenplan";
 * - the checkout notice takes `method` ("directDebit": the SEPA mandate),
 *   so an unknown field's message lists it too;
 * - the checkout notice's default links follow BillPay's module: the terms
 *   of the billing country (agb, agb-at, agb-ch, agb-nl) and their
 *   #datenschutz section (it linked …/kunden/datenschutz, which no BillPay
 *   plug-in did, and the German terms for AT and NL): as recorded when
 *   rendered with the old links given.
 */
const SEPARATE = { de: 'Vor der Einzahlung abzutrennen', fr: 'A détacher avant le versement', it: 'Da staccare prima del versamento', en: 'Separate before paying in' };
const HELVETICA = [278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584];

/** The label's `<text>` element as the slip drew it: 6 pt, centred on the payment part at 3.5 mm. */
function separateLabel(key) {
  const locale = /"locale":"(de|fr|it|en|nl)"/.exec(key)?.[1] ?? 'de';
  const label = SEPARATE[locale === 'nl' ? 'en' : locale];
  const em = [...label].reduce((sum, c) => sum + (HELVETICA[c.codePointAt(0) - 32] ?? 667), 0);
  const x = 136 * 360 - Math.trunc(Math.trunc((em * 762) / 1000) / 2);
  return `<text x="${Math.trunc(x / 10)}${x % 10 ? `.${x % 10}` : ''}" y="126" font-size="76.2">${label}</text>`;
}

const node = await import('billpay-wasm/node');
const cents = (amount) => Math.round(Number(amount) * 100);
const money = (c) => `${Math.trunc(c / 100)}.${String(c % 100).padStart(2, '0')}`;

/**
 * A German block as it was recorded, with ß. Plain text is wrapped again
 * where a paragraph changed, greedily at 72 characters as src/render/text.rs
 * wraps it.
 */
function withEarlierGerman(rendered) {
  const earlier = (text) => text.replace('(inklusive der PayLater-Gebühr)', '(einschließlich der PayLater-Gebühr)').replace('Raten nach Ihrem Ratenplan', 'Raten gemäß Ihrem Ratenplan');
  if (rendered.startsWith('<')) return earlier(rendered);
  return rendered.split('\n\n').map((paragraph) => {
    const joined = paragraph.replace(/\n(?=.)/g, ' ');
    const changed = earlier(joined);
    if (changed === joined) return paragraph;
    const lines = [];
    for (const word of changed.replace(/\n$/, '').split(' ').filter(Boolean)) {
      const last = lines.length - 1;
      if (last >= 0 && [...lines[last]].length + 1 + [...word].length <= 72) lines[last] += ` ${word}`;
      else lines.push(word);
    }
    return lines.join('\n') + (paragraph.endsWith('\n') ? '\n' : '');
  }).join('\n\n');
}

/** The arguments a key was made of (its markers for undefined, NaN and Infinity read back). */
function argumentsOf(key) {
  const list = key.slice(key.indexOf('(') + 1, -1).replace(/(^|, )\$undefined(?=, |$)/g, '$1"$undefined"');
  const markers = { $undefined: undefined, $NaN: NaN, $Infinity: Infinity };
  return JSON.parse(`[${list}]`, (_, v) => (typeof v === 'string' && v in markers ? markers[v] : v));
}

/** The plan of a `planReturn` key as the recorded build made it: the rebate's old net part, clamped as it was. */
function planWithOldRebateNet(key) {
  const args = argumentsOf(key);
  const order = args[0];
  const plan = node.planReturn(...args);
  const { cart } = plan;
  if (plan.action !== 'editCartContent') return plan;
  const lines = [...cart.articles.map((a) => [cents(a.unitNet) * a.quantity, cents(a.unitGross) * a.quantity]), [cents(cart.shipping.net), cents(cart.shipping.gross)]];
  const leftNet = lines.reduce((sum, [net]) => sum + net, 0);
  const leftTax = lines.reduce((sum, [net, gross]) => sum + gross - net, 0);
  const gross = cents(cart.rebate.gross);
  const net = Math.min(Math.max(cents(order.cart.rebate.net), Math.max(gross - leftTax, 0)), leftNet, gross);
  return { ...plan, cart: { ...cart, rebate: { ...cart.rebate, net: money(net) } } };
}

function deliberate(key, want, got) {
  const now = JSON.parse(got);
  if (key.startsWith('renderPaymentBlock(') && want.includes('expected one of `locale`, `format`, `qr`"')) {
    // The block's options take `qrImage` (the code as an e-mail's image).
    return got === want.replace('`qr`"', '`qr`, `qrImage`"');
  }
  if (key.startsWith('planReturn(') && want.includes('expected `shippingCredit` or `today`"')) {
    // A return's options take `rebate` ("keep" or "prorate").
    return got === want.replace('expected `shippingCredit` or `today`"', 'expected one of `shippingCredit`, `today`, `rebate`"');
  }
  if (now.code === 'AMOUNT_OUT_OF_RANGE' && JSON.parse(want).code === 'AMOUNT_OUT_OF_RANGE') {
    // A line whose quantity × unit price is above the highest amount is
    // named (it was the cart's: "the amount must be at most …").
    const was = JSON.parse(want);
    const line = now.path?.slice((was.path ?? '').length);
    return was.message === `${was.path}: the amount must be at most 999999999.99` && /^\.articles\[\d+\]$/.test(line ?? '')
      && /: \d+ × \d+\.\d\d is above the highest amount, 999999999\.99$/.test(now.message);
  }
  if (now.code === 'INVALID_QUANTITY' && JSON.parse(want).code === 'INVALID_TYPE') {
    // A quantity that is a number but no whole one (1.5, 1e+21) has the
    // quantity's own code, as the README's table says, at the same path.
    const was = JSON.parse(want);
    const raw = /invalid type: number `([^`]+)`, expected a whole number$/.exec(was.message)?.[1];
    return raw !== undefined && /(^|\.)quantity$/.test(was.path ?? '') && now.path === was.path
      && now.message === `${now.path}: a quantity is a whole number from 1 up, got ${raw}`;
  }
  if (key.startsWith('renderPaymentBlock(') && now.ok !== undefined) {
    // German without ß, which Swiss customers never write: as recorded
    // with the earlier words.
    const [block, options] = argumentsOf(key);
    const current = node.renderPaymentBlock(block, options);
    if (withEarlierGerman(current) !== current) {
      const old = JSON.stringify(withEarlierGerman(current));
      const digest = old.length <= 160 ? old : `sha1:${createHash('sha1').update(old).digest('hex')}:${old.length}`;
      if (digest === JSON.parse(want).ok) return true;
    }
  }
  if (/^client\.(preauthorize)\(/.test(key) && now.code === 'INVALID_INPUT' && now.path === 'customer.ip') {
    // A customer's ip is an IP address (node:net's isIP as the oracle), not
    // any text up to 45 characters sent to BillPay as it was.
    // Recorded as sent (the corpus's endpoint does not answer); the text checks
    // (control characters, 45 characters) keep their INVALID_TEXT.
    const ip = argumentsOf(key)[0]?.customer?.ip;
    return JSON.parse(want).code === 'NETWORK_ERROR' && typeof ip === 'string' && ip.trim() !== '' && isIP(ip.trim()) === 0
      && now.message === `customer.ip: an IP address is IPv4 ("203.0.113.5") or IPv6, got ${JSON.stringify(ip.trim().length > 40 ? `${[...ip.trim()].slice(0, 40).join('')}…` : ip.trim())}`;
  }
  if (want.includes('`customerType`, `group`, `salutation`')) {
    // A business customer's company (BillPay's company_details).
    return got === want.replace('`customerType`, `group`, `salutation`', '`customerType`, `group`, `company`, `salutation`');
  }
  if (key.startsWith('epcPayload(') && JSON.parse(want).ok?.startsWith('"BCD\\n002\\n')) {
    // An EPC QR code for an account outside the EEA, whose BIC is
    // mandatory, is version 001 (standards §11.5).
    const was = JSON.parse(JSON.parse(want).ok);
    const country = was.split('\n')[6]?.slice(0, 2);
    if (['CH', 'GB', 'AD', 'AL', 'GG', 'GI', 'IM', 'JE', 'MC', 'MD', 'ME', 'MK', 'SM', 'VA'].includes(country)
      && now.ok !== undefined && JSON.parse(now.ok) === was.replace('BCD\n002\n', 'BCD\n001\n')) return true;
  }
  if (key.startsWith('client.preauthorize(') && want.includes('`autoCapture`"')) {
    // and the customer's consent (termsAccepted: false is refused before sending).
    return got === want.replace('`autoCapture`"', '`autoCapture`, `paymentType`, `debitAccount`, `notifyUrl`, `redirectUrl`, `termsAccepted`"');
  }
  if (now.code === 'NET_ABOVE_GROSS' && JSON.parse(want).code === 'NET_ABOVE_GROSS') {
    // A price without a net part is named by its line now, not by the cart.
    const was = JSON.parse(want);
    const line = now.path?.slice(was.path.length);
    return /^\.(articles\[\d+\]|shipping)$/.test(line ?? '') && now.path.startsWith(was.path)
      && now.message === `${now.path}${was.message.slice(was.path.length)}`
      && /: a price of [\d.]+ gross has no net part: the tax rate cannot be determined$/.test(was.message);
  }
  if (key.startsWith('client.capture(') && want.includes('`customerId`"')) {
    // A capture says how the customer pays (a direct debit's has no account to print).
    return got === want.replace('`customerId`"', '`customerId`, `paymentType`"');
  }
  if (key.startsWith('renderCheckoutNotice(') && want.includes('`country`, `termsUrl`')) {
    return got === want.replace('`country`, `termsUrl`', '`country`, `method`, `termsUrl`');
  }
  if (/invalid type: array, expected an object$/.test(now.message ?? '') && /[:(,[] ?\[1?\][,)\]}]/.test(key)) return true;
  if (key === 'errorCodes()') return now.ok !== undefined;
  if (key.startsWith('renderSwissQrBill(') && key.endsWith(', {"locale":null})')) return now.ok !== undefined;
  if (now.code === 'NET_ABOVE_GROSS' && /rebate of [\d.]+ gross has no net part$/.test(now.message) && /"rebate":\{"net":"0(\.00?)?","gross":"(?!0)/.test(key)) return true;
  if (key.startsWith('renderSwissQrBill(') && key.endsWith(', {"locale":"nl"})')) return now.ok !== undefined;
  if (key.startsWith('planReturn(') && JSON.parse(want).ok !== undefined && now.ok !== undefined) {
    const old = JSON.stringify(planWithOldRebateNet(key));
    const digest = old.length <= 160 ? old : `sha1:${createHash('sha1').update(old).digest('hex')}:${old.length}`;
    return digest === JSON.parse(want).ok;
  }
  if (key.startsWith('renderCheckoutNotice(') && now.ok !== undefined && JSON.parse(want).ok !== undefined) {
    // The default links as recorded (…/kunden/agb, agb-ch for CH, …/kunden/datenschutz), before
    // they followed BillPay's module (agb-<country>, the #datenschutz section of the terms).
    const [options] = argumentsOf(key);
    const base = 'https://www.billpay.de/kunden/';
    const old = JSON.stringify(node.renderCheckoutNotice({
      ...options,
      termsUrl: options.termsUrl ?? `${base}${options.country === 'CH' ? 'agb-ch' : 'agb'}`,
      privacyUrl: options.privacyUrl ?? `${base}datenschutz`,
    }));
    const digest = old.length <= 160 ? old : `sha1:${createHash('sha1').update(old).digest('hex')}:${old.length}`;
    return digest === JSON.parse(want).ok;
  }
  if (/\$(NaN|Infinity)/.test(key)) {
    // Refused as themselves wherever they stand (a root value of NaN has no path).
    const match = /^(?:(.+): )?invalid type: (NaN|-?Infinity), which JSON cannot carry \(it would arrive as null\)$/.exec(now.message ?? '');
    return now.code === 'INVALID_TYPE' && match !== null && match[1] === now.path;
  }
  if (key.startsWith('renderSwissQrBill(') && now.ok !== undefined && JSON.parse(want).ok !== undefined) {
    // The bill as recorded: the label was the slip's first text.
    const svg = node.renderSwissQrBill(...argumentsOf(key));
    const at = svg.indexOf('<text ');
    const old = JSON.stringify(svg.slice(0, at) + separateLabel(key) + svg.slice(at));
    return `sha1:${createHash('sha1').update(old).digest('hex')}:${old.length}` === JSON.parse(want).ok;
  }
  if (/^client\.(activate|cancel)\(\{"reference":"[^"]*","amount":"0(\.0+)?"/.test(key)) return now.code === 'AMOUNT_OUT_OF_RANGE' && now.path === 'amount';
  if (key.startsWith('renderPaymentBlock(') && key.includes('"customerCountry":"NL"') && now.ok !== undefined && JSON.parse(want).ok !== undefined) {
    // Recorded in German; the block of a Dutch customer now speaks Dutch unless a locale is given.
    const [block, options] = argumentsOf(key);
    if (options?.locale !== undefined) return false;
    const old = JSON.stringify(withEarlierGerman(node.renderPaymentBlock(block, { ...options, locale: 'de' })));
    const digest = old.length <= 160 ? old : `sha1:${createHash('sha1').update(old).digest('hex')}:${old.length}`;
    const rendered = node.renderPaymentBlock(block, options);
    return digest === JSON.parse(want).ok && (rendered.includes('lang="nl"') || !rendered.startsWith('<'));
  }
  if (now.code === 'INVALID_DATE' && /(^|\.)(activatedAt|createdAt)$/.test(now.path ?? '')) {
    // Orders with impossible dates are refused: activated before they were placed, or placed so
    // late that the two-month deadline is past 9999-12-31.
    const order = argumentsOf(key).find((a) => a && typeof a === 'object' && 'createdAt' in a);
    if (!order) return false;
    if (now.path.endsWith('activatedAt')) return typeof order.activatedAt === 'string' && order.activatedAt < order.createdAt;
    return order.status === 'preauthorized' && order.createdAt > '9999-10-31';
  }
  if (/^client\.(preauthorize|capture)\(/.test(key) && now.code === 'INVALID_TEXT' && /^(customer\.)?customerId$/.test(now.path ?? '')) {
    // A customer id outside BillPay's character set (DOC151) is refused before anything is sent.
    const [request] = argumentsOf(key);
    const id = key.startsWith('client.capture(') ? request.customerId : request.customer?.customerId;
    const path = key.startsWith('client.capture(') ? 'customerId' : 'customer.customerId';
    return typeof id === 'string' && id.trim() !== '' && !/^[0-9A-Za-z._\/-]{1,20}$/.test(id) && now.path === path
      && now.message.startsWith(`${path}: a customer id has 1 to 20 of 0-9 a-z A-Z . - _ /, got "`);
  }
  if (/^client\.(preauthorize|capture|updateOrder)\(/.test(key)) {
    // A request that may have reached BillPay is no error to repeat blindly,
    // and says so when no answer came (it may have been carried out).
    const old = JSON.parse(want);
    const { retryable, ...rest } = old;
    if (['NETWORK_ERROR', 'TIMEOUT'].includes(rest.code)) rest.message += ' — it may have reached BillPay all the same: look the order up (bankData) before sending it again';
    return retryable === true && JSON.stringify(rest) === got;
  }
  if (key.startsWith('orderStatus(') && now.ok !== undefined && JSON.parse(want).ok !== undefined) {
    // A `today` before the order was placed counts as the day it was placed
    // (never more days left than BillPay's window): as recorded for that day.
    const [order, today] = argumentsOf(key);
    if (!(typeof today === 'string' && today < order.createdAt)) return false;
    const old = JSON.stringify(node.orderStatus(order, order.createdAt));
    return JSON.parse(want).ok.replace(/"daysLeft":\d+/, '') === old.replace(/"daysLeft":\d+/, '') && JSON.parse(now.ok).daysLeft === JSON.parse(old).daysLeft;
  }
  if (key.startsWith('client.constructor(') && now.code === 'MISSING_CREDENTIALS') {
    // The merchant id alone is a relay's client now, which the message names.
    return got === want.replace('(or none, to talk to a relay that adds them)', '(or none, or merchantId alone, to talk to a relay that adds them)');
  }
  if (key.startsWith('client.constructor(') && now.code === 'INVALID_CONFIG' && /^config\.(merchantId|portalId|timeoutMs|retries)$/.test(now.path ?? '')) {
    // Every number outside a setting's range (0, -1, 1.5, 2^53 …) is that
    // setting's one INVALID_CONFIG, as createRelay gives it; other types stay
    // INVALID_TYPE.
    const [config] = argumentsOf(key);
    const field = now.path.slice('config.'.length);
    const value = config?.[field];
    const rule = { merchantId: 'a BillPay id is a positive whole number', portalId: 'a BillPay id is a positive whole number', timeoutMs: 'timeoutMs is 1 to 120000', retries: 'retries is 0 to 5' }[field];
    const old = JSON.parse(want);
    return typeof value === 'number' && (['INVALID_INPUT', 'INVALID_TYPE', 'INVALID_CONFIG'].includes(old.code) ? old.path === now.path : value === 0 && /^config\.(merchantId|portalId)$/.test(now.path) && old.ok !== undefined)
      && now.message === `${now.path}: ${rule}, got ${JSON.stringify(value)}`;
  }
  return false;
}

function compare(actual) {
  const differences = [];
  actual.keys.forEach((k, i) => {
    const want = byKey.get(k);
    const got = actual.outcomes[i];
    if (want !== got && !deliberate(k, want, got)) differences.push(`${k.slice(0, 300)}\n    expected ${want}\n    got      ${got}`);
  });
  assert.equal(differences.length, 0, `${differences.length} of ${actual.keys.length} cases differ:\n${differences.slice(0, 25).join('\n')}`);
}

test('billpay-wasm/node answers every case as recorded', async () => {
  compare(await collect(await import('billpay-wasm/node')));
});

test('billpay-wasm/storefront answers every storefront case as recorded', async () => {
  const storefront = await import('billpay-wasm/storefront');
  await storefront.init(readFileSync(new URL('../../pkg/generated/storefront/billpay_storefront.wasm', import.meta.url)));
  compare(await collect(storefront, { storefrontOnly: true, client: false }));
});

test('billpay-wasm (web entry, full module) answers every case as recorded', async () => {
  const web = await import('billpay-wasm');
  await web.init(readFileSync(new URL('../../pkg/generated/full/billpay_full_bg.wasm', import.meta.url)));
  compare(await collect(web));
});
