// The sandbox's fault modes (HTTP 500, answer dropped after commit, timeout)
// on every BillPay call the plug-in makes from Vendure: each ends in a clear
// state, BillPay never gets a second preauthorization for one order, and
// nothing is credited twice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BillPayClient } from '../../pkg/node.js';
import {
  startShop, configureChannels, createBillPayMethod, fillCart, pay, adminOrder, billpayPayment, assertInSync, ledger, ok,
  ADMIN, SHOP, SANDBOX_CREDENTIALS,
} from './helpers.mjs';

const TIMEOUT_MS = 1500;
let shop;

before(async () => {
  // A short per-request limit so the delay fault is a timeout; the client's default retries.
  shop = await startShop({ plugin: { timeoutMs: TIMEOUT_MS } });
  await configureChannels(shop);
  await createBillPayMethod(shop);
});
after(async () => {
  await shop?.stop();
});

const fault = (mode, extra = {}) => shop.sandbox.control('faults', { mode, ...extra });

async function preauthorizations(code) {
  const { orders } = await shop.sandbox.control('orders');
  return orders.filter((o) => o.reference === code).length;
}

async function waitFor(check) {
  for (let i = 0; i < 100; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail('the sandbox never got there');
}

async function placed(items = [['COFFEE-500', 2], ['CUP', 2]]) {
  await fillCart(shop, { items });
  const paid = await pay(shop);
  assert.equal(paid.state, 'PaymentAuthorized', JSON.stringify(paid));
  return adminOrder(shop, paid.id);
}

for (const [mode, extra, committed] of [
  ['http500', {}, false],
  ['drop_after_commit', {}, true],
  ['delay', { delayMs: TIMEOUT_MS + 1500 }, true],
]) {
  test(`checkout, ${mode === 'delay' ? 'timeout' : mode}: a clear error, then the retry is authorized with one preauthorization at BillPay`, async () => {
    const cart = await fillCart(shop, { items: [['TEA-100', 3], ['CUP', 1]] });
    // The eligibility answer is cached from earlier checkouts: the fault hits the preauthorization.
    await shop.shop.query(SHOP.paymentMethods);
    await fault(mode, extra);
    const failed = await pay(shop);
    assert.equal(failed.errorCode, 'PAYMENT_FAILED_ERROR', JSON.stringify(failed));
    assert.match(failed.paymentErrorMessage, /could not be reached; please try again/);
    const { activeOrder } = await shop.shop.query(SHOP.activeOrder);
    assert.equal(activeOrder.state, 'ArrangingPayment');
    if (committed) await waitFor(async () => (await preauthorizations(cart.code)) === 1);
    else assert.equal(await preauthorizations(cart.code), 0);

    const retried = await pay(shop);
    assert.equal(retried.state, 'PaymentAuthorized', JSON.stringify(retried));
    const payment = retried.payments.find((p) => p.state === 'Authorized');
    assert.equal(payment.metadata.public.bankAccount.invoiceReference, `BP${cart.code}/${SANDBOX_CREDENTIALS.merchantId}`);
    assert.equal(await preauthorizations(cart.code), 1, 'one preauthorization for the order');
    const { movements } = await assertInSync(shop, retried.id, { status: 'preauthorized' });
    assert.equal(movements.filter((m) => m.kind === 'preauthorized').length, 1);
  });
}

test('settle with the answer dropped after commit: Settled once (the lost activation is recovered)', async () => {
  const order = await placed();
  await fault('drop_after_commit');
  const settled = await ok(shop.admin.query(ADMIN.settlePayment, { id: billpayPayment(order).id }), 'settlePayment');
  assert.equal(settled.state, 'Settled');
  assert.ok(settled.metadata.public.bankAccount.dueDate);
  const { movements } = await assertInSync(shop, order.id, { status: 'activated' });
  assert.equal(movements.filter((m) => m.kind === 'activated').length, 1);
});

test('settle while BillPay answers HTTP 500 to every attempt: a clear error, the payment stays Authorized, settling again works', async () => {
  const order = await placed();
  const payment = billpayPayment(order);
  await fault('http500', { count: 3 });
  await assert.rejects(shop.admin.query(ADMIN.settlePayment, { id: payment.id }), /BillPay did not activate.*HTTP 500/s);
  assert.equal(billpayPayment(await adminOrder(shop, order.id)).state, 'Authorized');
  await assertInSync(shop, order.id, { status: 'preauthorized' });
  const settled = await ok(shop.admin.query(ADMIN.settlePayment, { id: payment.id }), 'settlePayment');
  assert.equal(settled.state, 'Settled');
  await assertInSync(shop, order.id, { status: 'activated' });
});

async function settledOrder() {
  const order = await placed([['COFFEE-500', 3], ['CUP', 2], ['TEA-100', 7]]);
  await ok(shop.admin.query(ADMIN.settlePayment, { id: billpayPayment(order).id }), 'settlePayment');
  return adminOrder(shop, order.id);
}

async function refundLine(order, sku, quantity) {
  const line = order.lines.find((l) => l.productVariant.sku === sku);
  const { refundOrder } = await shop.admin.query(ADMIN.refundOrder, {
    input: { paymentId: billpayPayment(order).id, lines: [{ orderLineId: line.id, quantity }], amount: quantity * line.proratedUnitPriceWithTax, shipping: 0, adjustment: 0, reason: 'fault test' },
  });
  return refundOrder;
}

const reductions = (movements) => movements.filter((m) => m.kind === 'cart_reduced').length;

for (const [mode, extra] of [
  ['drop_after_commit', {}],
  ['delay', { delayMs: TIMEOUT_MS + 1000 }],
]) {
  test(`refund, ${mode === 'delay' ? 'timeout' : mode}: the complete cart is sent again, Settled, credited once`, async () => {
    const order = await settledOrder();
    await fault(mode, extra);
    const refund = await refundLine(order, 'CUP', 1);
    assert.equal(refund.state, 'Settled', JSON.stringify(refund));
    if (mode === 'delay') await new Promise((resolve) => setTimeout(resolve, extra.delayMs));
    const { movements } = await assertInSync(shop, order.id, { status: 'activated' });
    assert.equal(reductions(movements), 1);
  });
}

test('refund while BillPay answers HTTP 500 to every attempt: Failed with the reason, repeating it settles, credited once', async () => {
  const order = await settledOrder();
  await fault('http500', { count: 3 });
  const failed = await refundLine(order, 'TEA-100', 2);
  assert.equal(failed.state, 'Failed', JSON.stringify(failed));
  assert.match(failed.metadata.billpay.error.message, /HTTP 500/);
  assert.match(failed.metadata.billpay.note, /repeat the same refund/);
  let synced = await assertInSync(shop, order.id, { status: 'activated' });
  assert.equal(reductions(synced.movements), 0);
  const repeated = await refundLine(order, 'TEA-100', 2);
  assert.equal(repeated.state, 'Settled', JSON.stringify(repeated));
  synced = await assertInSync(shop, order.id, { status: 'activated' });
  assert.equal(reductions(synced.movements), 1);
  assert.equal(synced.held.cart.articles.find((a) => a.articleId === 'TEA-100').quantity, 5);
});

test('a refund BillPay refuses: Failed with BillPay merchant message in the refund metadata, nothing changes', async () => {
  const order = await settledOrder();
  const { held } = await assertInSync(shop, order.id);
  // Another system cancels the order at BillPay behind Vendure's back.
  const client = new BillPayClient({ endpoint: shop.sandbox.endpoint, ...SANDBOX_CREDENTIALS });
  await client.cancel({ reference: order.code, amount: (held.totalGross / 100).toFixed(2), currency: 'EUR' });
  const refused = await refundLine(order, 'CUP', 1);
  assert.equal(refused.state, 'Failed', JSON.stringify(refused));
  assert.ok(refused.metadata.merchantMessage.length > 0);
  assert.equal(refused.metadata.billpay.error.apiCode, 70);
  const { order: after, movements } = await ledger(shop, order.code);
  assert.equal(after.status, 'cancelled');
  assert.equal(reductions(movements), 0);
  // The customer's own view of the order (Shop API) carries no merchant message.
  const { orderByCode } = await shop.shop.query(SHOP.orderByCode, { code: order.code });
  const seen = JSON.stringify(orderByCode.payments);
  assert.ok(seen.includes('"Failed"'), seen);
  assert.ok(!seen.includes(refused.metadata.merchantMessage) && !seen.includes('merchantMessage'), seen);
});

test('cancel with the answer dropped after commit: Cancelled, one cancellation at BillPay', async () => {
  const order = await placed();
  await fault('drop_after_commit');
  const cancelled = await ok(shop.admin.query(ADMIN.cancelPayment, { id: billpayPayment(order).id }), 'cancelPayment');
  assert.equal(cancelled.state, 'Cancelled');
  const { order: held, movements } = await ledger(shop, order.code);
  assert.equal(held.status, 'cancelled');
  assert.equal(movements.filter((m) => m.kind === 'cancelled').length, 1);
});

test('a full refund whose answer is lost: Settled as a cancel, one cancellation', async () => {
  const order = await settledOrder();
  const payment = billpayPayment(order);
  await fault('drop_after_commit');
  const { refundOrder } = await shop.admin.query(ADMIN.refundOrder, { input: { paymentId: payment.id, amount: payment.amount, shipping: 0, adjustment: 0, reason: 'all' } });
  assert.equal(refundOrder.state, 'Settled', JSON.stringify(refundOrder));
  assert.equal(refundOrder.metadata.billpay.action, 'cancel');
  const { movements } = await assertInSync(shop, order.id, { status: 'cancelled' });
  assert.equal(movements.filter((m) => m.kind === 'cancelled').length, 1);
});
