// BillPayClient against the real sandbox over HTTP: every operation, every
// fault mode, https enforcement — and no order is ever credited twice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BillPayClient, planReturn, planDiscount, orderStatus, BillPayError } from 'billpay-wasm/node';
import { startSandbox, CREDENTIALS, CART, CUSTOMER, placeOrder } from './sandbox.mjs';

let sandbox;
let client;
let serial = 0;
const nextReference = () => `T${Date.now() % 100000}-${++serial}`;

before(async () => {
  sandbox = await startSandbox({ now: '2026-11-26' });
  client = new BillPayClient({ endpoint: sandbox.endpoint, ...CREDENTIALS, timeoutMs: 3000, retries: 2 });
});
after(() => sandbox?.stop());

const kinds = (movements, kind) => movements.filter((m) => m.kind === kind).length;

test('checkout: moduleConfig and preauthorize with auto-capture return the order bank data', async () => {
  const config = await client.moduleConfig({ country: 'DE', currency: 'EUR' });
  assert.equal(config.active, true);
  assert.equal(config.invoiceAllowed, true);
  const { result } = await placeOrder(client, nextReference());
  assert.equal(result.status, 'APPROVED');
  assert.match(result.bptid, /^[0-9a-f-]{36}$/);
  assert.equal(result.bankAccount.activated, false);
  assert.equal(result.bankAccount.dueDate, undefined);
  assert.match(result.bankAccount.invoiceReference, /^BPT.*\/4441$/);
});

test('a denied preauthorization is a PREAUTHORIZATION_DENIED error with both messages', async () => {
  await assert.rejects(client.preauthorize({ reference: nextReference(), currency: 'EUR', customer: { ...CUSTOMER, lastName: 'Denied' }, cart: CART }), (error) => {
    assert.ok(error instanceof BillPayError);
    assert.equal(error.code, 'PREAUTHORIZATION_DENIED');
    assert.equal(typeof error.apiCode, 'number');
    assert.ok(error.customerMessage && error.merchantMessage);
    return true;
  });
});

test('two-step flow: preauthorize, capture, updateOrder', async () => {
  const result = await client.preauthorize({ reference: '', currency: 'EUR', customer: CUSTOMER, cart: CART, autoCapture: false });
  const reference = nextReference();
  const account = await client.capture({ bptid: result.bptid, reference, amount: '113.70', currency: 'EUR' });
  assert.equal(account.activated, false);
  await client.updateOrder({ bptid: result.bptid, reference });
  const bank = await client.bankData(reference);
  assert.equal(bank.iban, account.iban);
});

test('activate with delay days returns the due date; cancel after activation', async () => {
  const reference = nextReference();
  await placeOrder(client, reference);
  const account = await client.activate({ reference, amount: '113.70', currency: 'EUR', delayDays: 5 });
  assert.equal(account.activated, true);
  assert.equal(account.dueDate, '2026-12-31', 'today 2026-11-26 + 5 delay days + 30-day term');
  const bank = await client.bankData(reference);
  assert.equal(bank.dueDate, '2026-12-31');
  await client.cancel({ reference, amount: '113.70', currency: 'EUR' });
  const { order } = await sandbox.order(reference);
  assert.equal(order.status, 'cancelled');
});

test('returns, discount and the last return become edits and a cancel; amounts drop', async () => {
  const reference = nextReference();
  let { order } = await placeOrder(client, reference);
  let plan = planReturn(order, [{ articleId: 'espresso', quantity: 1 }]);
  order = await client.apply(order, plan);
  assert.equal((await sandbox.order(reference)).order.totalGross, 8880);
  plan = planDiscount(order, '10.00');
  order = await client.apply(order, plan);
  assert.equal((await sandbox.order(reference)).order.totalGross, 7880);
  plan = planReturn(order, [{ articleId: 'espresso', quantity: 1 }, { articleId: 'mill', quantity: 1 }]);
  assert.equal(plan.action, 'cancel');
  order = await client.apply(order, plan);
  assert.equal(order.status, 'cancelled');
  const { order: remote, movements } = await sandbox.order(reference);
  assert.equal(remote.status, 'cancelled');
  assert.equal(kinds(movements, 'cart_reduced'), 2);
  assert.equal(kinds(movements, 'cancelled'), 1);
  assert.deepEqual(orderStatus(order, '2026-11-26').canCancel, false);
});

test('a stale plan is refused before anything is sent', async () => {
  const reference = nextReference();
  const { order } = await placeOrder(client, reference);
  const plan = planReturn(order, [{ articleId: 'mill', quantity: 1 }]);
  const changed = await client.apply(order, plan);
  await assert.rejects(client.apply(changed, plan), { code: 'STALE_PLAN' });
  assert.equal(kinds((await sandbox.order(reference)).movements, 'cart_reduced'), 1);
});

test("BillPay's refusal of a higher total (105) keeps the old cart", async () => {
  const reference = nextReference();
  await placeOrder(client, reference);
  const higher = structuredClone(CART);
  higher.shipping = { name: 'DHL', net: '0.00', gross: '0.00' };
  higher.articles[0].unitNet = '21.00';
  higher.articles[0].unitGross = '30.00';
  await assert.rejects(client.editCart({ reference, currency: 'EUR', cart: higher }), (error) => {
    assert.equal(error.code, 'API_ERROR');
    assert.ok([105, 106].includes(error.apiCode), String(error.apiCode));
    assert.ok(error.merchantMessage.length > 0);
    return true;
  });
  assert.equal((await sandbox.order(reference)).order.totalGross, 11370);
});

for (const mode of ['drop_after_commit', 'malformed', 'empty', 'http500', 'delay']) {
  test(`fault ${mode}: a safe retry, and the order is credited exactly once`, async () => {
    const reference = nextReference();
    let { order } = await placeOrder(client, reference);
    await sandbox.control('faults', { mode, count: 1, delayMs: 50 });
    const plan = planReturn(order, [{ articleId: 'espresso', quantity: 1 }]);
    order = await client.apply(order, plan);
    const { order: remote, movements } = await sandbox.order(reference);
    assert.equal(remote.totalGross, 8880);
    assert.equal(kinds(movements, 'cart_reduced'), 1, 'credited once');
    // Activation through the same fault: the due date still arrives.
    await sandbox.control('faults', { mode, count: 1, delayMs: 50 });
    const account = await client.activate({ reference, amount: '88.80', currency: 'EUR' });
    assert.equal(account.activated, true);
    assert.ok(account.dueDate);
    assert.equal(kinds((await sandbox.order(reference)).movements, 'activated'), 1);
    // Cancel through the same fault: cancelled once (or a clear error if the retry found it done).
    await sandbox.control('faults', { mode, count: 1, delayMs: 50 });
    try {
      await client.cancel({ reference, amount: '88.80', currency: 'EUR' });
    } catch (error) {
      assert.ok(error instanceof BillPayError);
      assert.match(error.message, /probably cancelled/);
    }
    const after = await sandbox.order(reference);
    assert.equal(after.order.status, 'cancelled');
    assert.equal(kinds(after.movements, 'cancelled'), 1);
  });
}

test('a preauthorization whose answer is lost is not repeated', async () => {
  const reference = nextReference();
  await sandbox.control('faults', { mode: 'drop_after_commit', count: 1 });
  await assert.rejects(client.preauthorize({ reference, currency: 'EUR', customer: CUSTOMER, cart: CART }), { code: 'NETWORK_ERROR', retryable: true });
  const { orders } = await sandbox.control('orders');
  assert.equal(orders.filter((o) => o.reference === reference).length, 1);
});

test('persistent failures end in a clear, retryable error', async () => {
  const reference = nextReference();
  await placeOrder(client, reference);
  await sandbox.control('faults', { mode: 'http500', count: 3 });
  await assert.rejects(client.bankData(reference), (error) => {
    assert.equal(error.code, 'HTTP_ERROR');
    assert.equal(error.retryable, true);
    assert.match(error.message, /after 3 attempts/);
    return true;
  });
  await sandbox.control('faults', { mode: 'delay', count: 1, delayMs: 1500 });
  const impatient = new BillPayClient({ endpoint: sandbox.endpoint, ...CREDENTIALS, timeoutMs: 300, retries: 0 });
  await assert.rejects(impatient.bankData(reference), { code: 'TIMEOUT' });
});

test('https is required except for loopback; credentials come together', () => {
  assert.throws(() => new BillPayClient({ endpoint: 'http://api.billpay.de/xml' }), { code: 'INSECURE_ENDPOINT' });
  assert.throws(() => new BillPayClient({ endpoint: 'http://192.168.1.10/xml' }), { code: 'INSECURE_ENDPOINT' });
  // Loopback look-alikes whose real host (as fetch parses it) is elsewhere.
  for (const endpoint of ['http://127.0.0.1:80@evil.com/xml', 'http://localhost:1@evil.com/xml', 'http://[::1]@evil.com/xml', 'http://evil.com\\@127.0.0.1/xml', 'http://127.0.0.1.evil.com/xml', 'http://localhost./xml']) {
    assert.throws(() => new BillPayClient({ endpoint }), (error) => ['INSECURE_ENDPOINT', 'INVALID_CONFIG'].includes(error.code), endpoint);
  }
  // A mistyped key is refused without being quoted back.
  assert.throws(() => new BillPayClient({ endpoint: 'https://api.billpay.de/xml', merchantId: 1, portalId: 2, securityKey: 12345678 }), (error) => error.code === 'INVALID_TYPE' && !error.message.includes('12345678'));
  assert.throws(() => new BillPayClient({ endpoint: 'https://api.billpay.de/xml', merchantId: 1 }), { code: 'MISSING_CREDENTIALS' });
  assert.ok(new BillPayClient({ endpoint: 'https://api.billpay.de/xml/', ...CREDENTIALS }));
  const c = new BillPayClient({ endpoint: 'https://shop.example/billpay', ...CREDENTIALS });
  assert.doesNotMatch(JSON.stringify(c) + Object.keys(c).join(), /12345678|securityKey/);
});

test('wrong credentials are an API error with the merchant message', async () => {
  const wrong = new BillPayClient({ endpoint: sandbox.endpoint, merchantId: 4441, portalId: 6021, securityKey: 'wrong' });
  await assert.rejects(wrong.bankData('1001'), (error) => error.code === 'API_ERROR' && error.merchantMessage.length > 0);
});
