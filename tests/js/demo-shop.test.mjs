// The demo shop under attack (issue 13): it teaches shops how to integrate,
// so it must be safe to copy. Real demo server, real sandbox over HTTP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BillPayClient, planReturn } from 'billpay-wasm/node';
import { startDemo } from '../../www/server.mjs';
import { CREDENTIALS } from './sandbox.mjs';

let demo;
let dataDir;
let direct;
const JSON_TYPE = { 'content-type': 'application/json' };

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'billpay-demo-shop-'));
  demo = await startDemo({ dataDir, control: true, endpoint: '' });
  direct = new BillPayClient({ endpoint: demo.sandbox.endpoint, ...CREDENTIALS });
});
after(async () => {
  await demo?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Any request, any headers (fetch sets Host and Origin itself). */
function send(path, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = request(`${demo.base}${path}`, { method, headers }, async (res) => {
      const chunks = [];
      for await (const chunk of res) chunks.push(chunk);
      const text = Buffer.concat(chunks).toString('utf8');
      let json = null;
      try {
        json = JSON.parse(text);
      } catch {}
      resolve({ status: res.statusCode, text, json });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const shopOrder = async (id) => (await send(`/api/orders/${id}`)).json;
const put = (id, value, headers = JSON_TYPE) => send(`/api/orders/${id}/billpay`, { method: 'PUT', headers, body: typeof value === 'string' ? value : JSON.stringify(value) });
const billpayOrders = async () => (await demo.sandbox.control('orders')).orders.length;

/** What every refusal must look like: a status below 500 and a clean JSON message. */
function clean(response, status) {
  assert.equal(response.status, status, response.text);
  assert.equal(typeof response.json?.message, 'string', response.text);
  assert.doesNotMatch(response.text, /TypeError|SyntaxError|URIError|Cannot read|Unexpected token|at \w+ \(|node:internal/);
}

test("PUT /api/orders/:id/billpay cannot set an invoice's payee or bank data", async () => {
  const before = await shopOrder('5001');
  const fromBillPay = await direct.bankData('5001');
  assert.deepEqual(before.bankAccount, fromBillPay);
  const forged = { ...before.billpay, bankAccount: { ...before.billpay.bankAccount, accountHolder: 'Mallory Ltd', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', bankName: 'Mallory Bank' } };
  // The old route took the whole order, bank data included.
  clean(await put('5001', forged), 400);
  clean(await put('5001', { status: 'activated', cart: before.billpay.cart, bankAccount: forged.bankAccount }), 400);
  // ...also as text/plain (a cross-site form) and from a foreign page.
  clean(await put('5001', { status: 'activated', cart: before.billpay.cart }, { 'content-type': 'text/plain' }), 415);
  clean(await put('5001', { status: 'activated', cart: before.billpay.cart }, { ...JSON_TYPE, origin: 'https://evil.example' }), 403);
  clean(await put('5001', { status: 'activated', cart: before.billpay.cart }, { ...JSON_TYPE, 'sec-fetch-site': 'cross-site' }), 403);
  const after = await shopOrder('5001');
  assert.deepEqual(after.bankAccount, fromBillPay);
  assert.equal(after.bankAccount.accountHolder, 'BillPay GmbH');
});

test("another order's cart, a higher cart or a made-up activation is not recorded", async () => {
  const order = await shopOrder('5002');
  const other = await shopOrder('5001');
  clean(await put('5002', { status: 'preauthorized', cart: other.billpay.cart }), 409);
  const higher = structuredClone(order.billpay.cart);
  higher.articles[0].quantity += 1;
  clean(await put('5002', { status: 'preauthorized', cart: higher }), 409);
  const pricier = structuredClone(order.billpay.cart);
  pricier.shipping = { ...pricier.shipping, net: '8.40', gross: '10.00' };
  clean(await put('5002', { status: 'preauthorized', cart: pricier }), 409);
  // Not activated at BillPay: the shop does not believe a page that says so.
  clean(await put('5002', { status: 'activated', cart: order.billpay.cart }), 409);
  clean(await put('5002', { status: 'shipped', cart: order.billpay.cart }), 400);
  clean(await put('5002', { status: 'preauthorized', cart: { articles: 'x' } }), 400);
  clean(await put('5002', '{"status":'), 400);
  clean(await put('5002', 'null'), 400);
  clean(await put('9999', { status: 'cancelled', cart: order.billpay.cart }), 404);
  assert.deepEqual((await shopOrder('5002')).billpay, order.billpay);
});

test('real changes are recorded, with activation and bank data read back from BillPay', async () => {
  const order = await shopOrder('5002');
  // The admin page's panel goes through the relay; the effect at BillPay is the same.
  const admin = new BillPayClient({ endpoint: `${demo.base}/billpay` });
  const account = await admin.activate({ reference: '5002', amount: order.total, currency: 'EUR' });
  const activated = await put('5002', { status: 'activated', cart: order.billpay.cart });
  assert.equal(activated.status, 200, activated.text);
  assert.equal(activated.json.status, 'activated');
  assert.deepEqual(activated.json.bankAccount, account);
  assert.ok(activated.json.bankAccount.dueDate);
  const plan = planReturn(activated.json.billpay, [{ articleId: order.billpay.cart.articles[0].articleId, quantity: 1 }], { shippingCredit: '4.90' });
  const edited = await admin.apply(activated.json.billpay, plan);
  const saved = await put('5002', { status: edited.status, cart: edited.cart });
  assert.equal(saved.status, 200, saved.text);
  assert.equal(saved.json.total, plan.after);
  assert.equal((await demo.sandbox.order('5002')).order.totalGross, Number(plan.after.replace('.', '')));
  // A cancelled order stays cancelled.
  await admin.cancel({ reference: '5002', amount: plan.after, currency: 'EUR' });
  const cancelled = await put('5002', { status: 'cancelled', cart: { articles: [], shipping: { net: '0.00', gross: '0.00' }, rebate: { net: '0.00', gross: '0.00' } } });
  assert.equal(cancelled.status, 200, cancelled.text);
  clean(await put('5002', { status: 'activated', cart: edited.cart }), 409);
});

test('the checkout cannot be driven cross-site, and bad input is a clean 400', async () => {
  const body = JSON.stringify({
    consent: true,
    locale: 'de',
    items: [{ articleId: 'mill', quantity: 1 }],
    customer: { salutation: 'Herr', firstName: 'Max', lastName: 'Muster', street: 'Weg', streetNo: '1', zip: '10115', city: 'Berlin', country: 'DE', email: 'max@example.com', birthday: '1980-01-01' },
  });
  const count = await billpayOrders();
  const checkout = (headers, payload = body) => send('/api/checkout', { method: 'POST', headers, body: payload });
  clean(await checkout({ 'content-type': 'text/plain' }), 415);
  clean(await checkout({ 'content-type': 'application/x-www-form-urlencoded' }), 415);
  clean(await checkout({}), 415);
  clean(await checkout({ ...JSON_TYPE, origin: 'https://evil.example' }), 403);
  clean(await checkout({ ...JSON_TYPE, origin: 'null' }), 403);
  clean(await checkout({ 'content-type': 'text/plain', origin: 'https://evil.example' }), 403);
  assert.equal(await billpayOrders(), count, 'no preauthorization reached BillPay');
  for (const payload of ['{', '', '"x"', '[]', '{"consent":true}', '{"consent":true,"customer":"x","items":[]}', '{"consent":true,"customer":{"firstName":1},"items":[]}', '{"consent":true,"customer":{},"items":{}}', '{"consent":true,"customer":{},"items":[],"locale":"xx"}']) {
    clean(await checkout(JSON_TYPE, payload), 400);
  }
  clean(await checkout(JSON_TYPE, '{"consent":false}'), 422);
  assert.equal(await billpayOrders(), count);
  // The shop's own page (same Origin) still checks out.
  const own = await checkout({ ...JSON_TYPE, origin: demo.base });
  assert.equal(own.status, 201, own.text);
  assert.equal(await billpayOrders(), count + 1);
});

test('direct debit at checkout: the account goes to BillPay only, checked first; no bank data on the order', async () => {
  const customer = { salutation: 'Frau', firstName: 'Eva', lastName: 'Lang', street: 'Ring', streetNo: '2', zip: '1010', city: 'Wien', country: 'AT', email: 'eva@example.com', birthday: '1982-03-04' };
  const debitAccount = { accountHolder: 'Eva Lang', iban: 'AT61 1904 3002 3457 3201', bic: 'BKAUATWW' };
  const order = { consent: true, locale: 'de', items: [{ articleId: 'jug', quantity: 2 }], customer, paymentType: 'directDebit', debitAccount };
  const checkout = (value, headers = { ...JSON_TYPE, origin: demo.base }) => send('/api/checkout', { method: 'POST', headers, body: JSON.stringify(value) });
  const count = await billpayOrders();
  // The same discipline as every state-changing route.
  clean(await checkout(order, { 'content-type': 'text/plain', origin: demo.base }), 415);
  clean(await checkout(order, { ...JSON_TYPE, origin: 'https://evil.example' }), 403);
  // Shapes the shop refuses itself.
  clean(await checkout({ ...order, paymentType: 'paylater' }), 400);
  clean(await checkout({ ...order, debitAccount: undefined }), 400);
  clean(await checkout({ ...order, debitAccount: { ...debitAccount, iban: 123 } }), 400);
  clean(await checkout({ ...order, debitAccount: { ...debitAccount, mandate: 'x' } }), 400);
  clean(await checkout({ ...order, paymentType: 'invoice' }), 400);
  // Values the core refuses, named for the form; nothing reaches BillPay.
  for (const [change, code, path] of [
    [{ debitAccount: { ...debitAccount, iban: 'AT61 1904 3002 3457 3202' } }, 'IBAN_CHECKSUM_MISMATCH', 'debitAccount.iban'],
    [{ debitAccount: { accountHolder: 'Eva Lang', iban: 'AT61 1904 3002 3457 3201' } }, 'MISSING_FIELD', 'debitAccount.bic'],
    [{ customer: { ...customer, country: 'CH' } }, 'UNSUPPORTED_CURRENCY', 'currency'],
    [{ customer: { ...customer, country: 'NL' } }, 'UNSUPPORTED_COUNTRY', 'customer.country'],
  ]) {
    const refused = await checkout({ ...order, ...change });
    clean(refused, 422);
    assert.deepEqual([refused.json.code, refused.json.path], [code, path], refused.text);
  }
  assert.equal(await billpayOrders(), count, 'nothing reached BillPay');
  // BillPay's refusal: its customer message, never the merchant message.
  const denied = await checkout({ ...order, customer: { ...customer, lastName: 'Denied' } });
  clean(denied, 422);
  assert.equal(denied.json.code, 'PREAUTHORIZATION_DENIED');
  const placed = await checkout(order);
  assert.equal(placed.status, 201, placed.text);
  assert.equal(placed.json.method, 'directDebit');
  assert.equal(placed.json.currency, 'EUR');
  assert.equal('bankAccount' in placed.json, false, 'nothing for the customer to transfer to');
  const remote = await demo.sandbox.order(placed.json.id);
  assert.equal(remote.order.paymentType, 'directDebit');
  assert.deepEqual(remote.order.debitAccount, { accountHolder: 'Eva Lang', accountNumber: 'AT611904300234573201', sortCode: 'BKAUATWW' });
  // The shop keeps no copy of the customer's account.
  assert.doesNotMatch(readFileSync(join(dataDir, 'shop.json'), 'utf8'), /AT61|1904 ?3002|BKAUATWW|debitAccount/);
  // Activation is recorded with BillPay's own data; the invoice view still has no bank data.
  const admin = new BillPayClient({ endpoint: `${demo.base}/billpay` });
  await admin.activate({ reference: placed.json.id, amount: placed.json.total, currency: 'EUR' });
  const activated = await put(placed.json.id, { status: 'activated', cart: placed.json.billpay.cart });
  assert.equal(activated.status, 200, activated.text);
  assert.equal(activated.json.status, 'activated');
  assert.ok(activated.json.billpay.bankAccount.dueDate);
  assert.equal('bankAccount' in activated.json, false);
});

test('a Swiss customer pays in francs to the Swiss account BillPay gives', async () => {
  const placed = await send('/api/checkout', {
    method: 'POST',
    headers: { ...JSON_TYPE, origin: demo.base },
    body: JSON.stringify({
      consent: true,
      locale: 'fr',
      items: [{ articleId: 'mill', quantity: 1 }],
      customer: { salutation: 'Frau', firstName: 'Léa', lastName: 'Rochat', street: 'Rue Neuve', streetNo: '3', zip: '1003', city: 'Lausanne', country: 'CH', email: 'lea@example.com', birthday: '1991-01-02' },
    }),
  });
  assert.equal(placed.status, 201, placed.text);
  assert.equal(placed.json.currency, 'CHF');
  assert.equal(placed.json.total, '72.90', '63.90 + 9.00 shipping');
  assert.match(placed.json.bankAccount.iban, /^CH/);
  assert.deepEqual(placed.json.bankAccount, (await direct.bankData(placed.json.id)));
});

test('shop and relay answer only under their own Host names (DNS rebinding)', async () => {
  const port = new URL(demo.base).port;
  for (const path of ['/', '/api/orders', '/api/orders/5001', '/admin.html']) {
    clean(await send(path, { headers: { host: `evil.example:${port}` } }), 421);
    assert.equal((await send(path, { headers: { host: `localhost:${port}` } })).status, 200, path);
  }
  const relayed = await send('/billpay/getBillPayBankData', {
    method: 'POST',
    headers: { host: `evil.example:${port}`, origin: `http://evil.example:${port}`, 'content-type': 'application/xml' },
    body: '<data api_version="1.6.1"><order_params reference="5001"/></data>',
  });
  assert.equal(relayed.status, 421);
  assert.doesNotMatch(relayed.text, /account_number/);
  const count = await billpayOrders();
  clean(await send('/api/checkout', { method: 'POST', headers: { ...JSON_TYPE, host: `evil.example:${port}`, origin: `http://evil.example:${port}` }, body: '{}' }), 421);
  assert.equal(await billpayOrders(), count);
});

test('malformed percent-encoding, bad paths and methods are 4xx with a clean message, never 500', async () => {
  for (const path of ['/%E0', '/pkg/%ZZ', '/api/orders/%E0', '/%', '/pkg/..%2F..%2Fpackage.json']) {
    const response = await send(path);
    assert.ok(response.status >= 400 && response.status < 500, `${path}: ${response.status}`);
    assert.doesNotMatch(response.text, /URIError|internal error/);
  }
  clean(await send('/%E0'), 400);
  clean(await send('/api/orders/5001', { method: 'DELETE' }), 405);
  assert.equal((await send('/api/orders', { method: 'POST', headers: JSON_TYPE, body: '{}' })).status, 405);
});

test("a checkout whose answer is lost is taken over from BillPay; numbers are never handed out twice", async () => {
  const body = JSON.stringify({
    consent: true,
    locale: 'de',
    items: [{ articleId: 'mill', quantity: 1 }],
    customer: { salutation: 'Frau', firstName: 'Ida', lastName: 'Lost', street: 'Weg', streetNo: '2', zip: '10115', city: 'Berlin', country: 'DE', email: 'ida@example.com', birthday: '1980-01-01' },
  });
  const checkout = () => send('/api/checkout', { method: 'POST', headers: JSON_TYPE, body });
  // BillPay creates the order, the answer never arrives.
  await demo.sandbox.control('faults', { mode: 'drop_after_commit', count: 1 });
  const lost = await checkout();
  assert.equal(lost.status, 201, lost.text);
  const { order: atBillPay } = await demo.sandbox.order(lost.json.id);
  assert.equal(atBillPay.status, 'preauthorized');
  assert.equal(lost.json.bankAccount.invoiceReference, `BP${lost.json.id}/4441`);
  // The next checkouts, two at a time, get numbers of their own.
  const [a, b] = await Promise.all([checkout(), checkout()]);
  assert.equal(a.status, 201, a.text);
  assert.equal(b.status, 201, b.text);
  assert.deepEqual(new Set([lost.json.id, a.json.id, b.json.id]).size, 3);
  // No answer at all: a plain message for the shopper, and the number is not used again.
  await demo.sandbox.control('faults', { mode: 'http500', count: 6 });
  const failed = await checkout();
  clean(failed, 422);
  assert.doesNotMatch(failed.json.message, /HTTP|UND_ERR|500/);
  await demo.sandbox.control('faults', { mode: 'none' });
  const after = await checkout();
  assert.equal(after.status, 201, after.text);
  assert.equal(Number(after.json.id), Math.max(Number(a.json.id), Number(b.json.id)) + 2);
});
