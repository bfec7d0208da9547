// settleOnShipment: BillPay activation when the order is completely shipped
// (not at a partial shipment), and a failed activation recorded in the
// order's history instead of lost.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startShop, configureChannels, createBillPayMethod, fillCart, pay, adminOrder, billpayPayment, assertInSync, ledger, ok, ADMIN } from './helpers.mjs';

let shop;
before(async () => {
  shop = await startShop({ plugin: { settleOnShipment: true, timeoutMs: 2000 } });
  await configureChannels(shop);
  await createBillPayMethod(shop);
});
after(async () => {
  await shop?.stop();
});

async function ship(order, lines = order.lines.map((l) => ({ orderLineId: l.id, quantity: l.quantity }))) {
  const fulfillment = await ok(
    shop.admin.query(ADMIN.addFulfillment, {
      input: {
        lines,
        handler: { code: 'manual-fulfillment', arguments: [{ name: 'method', value: 'DHL' }, { name: 'trackingCode', value: '00340434' }] },
      },
    }),
    'addFulfillmentToOrder',
  );
  await ok(shop.admin.query(ADMIN.transitionFulfillment, { id: fulfillment.id, state: 'Shipped' }), 'transitionFulfillmentToState');
}

/** The activation runs after the shipment's transaction (an event): wait for its outcome. */
async function eventually(check) {
  for (let i = 0; i < 100; i += 1) {
    const value = await check();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail('nothing happened');
}

test('shipping an order paid on invoice activates it at BillPay: Settled with the due date, the order Shipped', async () => {
  await fillCart(shop, { items: [['COFFEE-500', 2], ['CUP', 1]] });
  const paid = await pay(shop);
  assert.equal(paid.state, 'PaymentAuthorized', JSON.stringify(paid));
  await ship(await adminOrder(shop, paid.id));
  const order = await eventually(async () => {
    const current = await adminOrder(shop, paid.id);
    return billpayPayment(current).state === 'Settled' && current.state === 'Shipped' ? current : null;
  });
  const bank = billpayPayment(order).metadata.public.bankAccount;
  assert.equal(bank.activated, true);
  const { held } = await assertInSync(shop, order.id, { status: 'activated' });
  assert.equal(bank.dueDate.replaceAll('-', ''), held.dueDate.replaceAll('-', ''));
});

test('an activation that fails on shipment is recorded in the order history; the payment stays Authorized for a manual settle', async () => {
  await fillCart(shop, { items: [['TEA-100', 4]] });
  const paid = await pay(shop);
  await shop.sandbox.control('faults', { mode: 'http500', count: 3 });
  await ship(await adminOrder(shop, paid.id));
  const order = await eventually(async () => {
    const current = await adminOrder(shop, paid.id);
    return current.history.items.some((h) => h.type === 'ORDER_NOTE' && /BillPay activation on shipment failed/.test(h.data.note)) ? current : null;
  });
  const note = order.history.items.find((h) => h.type === 'ORDER_NOTE').data.note;
  assert.match(note, /HTTP 500/);
  assert.equal(billpayPayment(order).state, 'Authorized');
  await assertInSync(shop, order.id, { status: 'preauthorized' });
  const settled = await ok(shop.admin.query(ADMIN.settlePayment, { id: billpayPayment(order).id }), 'settlePayment');
  assert.equal(settled.state, 'Settled');
  await assertInSync(shop, order.id, { status: 'activated' });
});

/** Waits a little for anything an event might still do, then returns the order. */
async function settled(id) {
  await new Promise((resolve) => setTimeout(resolve, 1500));
  return adminOrder(shop, id);
}

const lineOf = (order, sku) => order.lines.find((l) => l.productVariant.sku === sku);

test('a partial shipment does not activate: BillPay is activated when the rest is shipped', async () => {
  await fillCart(shop, { items: [['COFFEE-500', 2], ['CUP', 1]] });
  const paid = await pay(shop);
  const order = await adminOrder(shop, paid.id);
  await ship(order, [{ orderLineId: lineOf(order, 'COFFEE-500').id, quantity: 2 }]);
  const partly = await settled(paid.id);
  assert.equal(billpayPayment(partly).state, 'Authorized');
  await assertInSync(shop, order.id, { status: 'preauthorized' });

  await ship(order, [{ orderLineId: lineOf(order, 'CUP').id, quantity: 1 }]);
  const done = await eventually(async () => {
    const current = await adminOrder(shop, paid.id);
    return billpayPayment(current).state === 'Settled' && current.state === 'Shipped' ? current : null;
  });
  const { held } = await assertInSync(shop, done.id, { status: 'activated' });
  assert.equal(held.totalGross, done.totalWithTax);
});

test('a partial shipment and the rest cancelled: BillPay is activated for what was shipped', async () => {
  await fillCart(shop, { items: [['COFFEE-500', 2], ['CUP', 3]] });
  const paid = await pay(shop);
  const order = await adminOrder(shop, paid.id);
  const authorized = billpayPayment(order).amount;
  await ship(order, [{ orderLineId: lineOf(order, 'COFFEE-500').id, quantity: 2 }, { orderLineId: lineOf(order, 'CUP').id, quantity: 1 }]);
  assert.equal(billpayPayment(await settled(paid.id)).state, 'Authorized');
  await ok(shop.admin.query(ADMIN.cancelOrder, { input: { orderId: order.id, lines: [{ orderLineId: lineOf(order, 'CUP').id, quantity: 2 }], reason: 'out of stock', cancelShipping: false } }), 'cancelOrder');
  const done = await eventually(async () => {
    const current = await adminOrder(shop, paid.id);
    return billpayPayment(current).state === 'Settled' ? current : null;
  });
  const payment = billpayPayment(done);
  assert.ok(payment.amount < authorized);
  assert.equal(payment.amount, done.totalWithTax);
  const { held } = await assertInSync(shop, done.id, { status: 'activated' });
  assert.equal(held.cart.articles.find((a) => a.articleId === 'CUP').quantity, 1);
  const { movements } = await ledger(shop, done.code);
  assert.equal(movements.filter((m) => m.kind === 'activated').length, 1);
});

test('the rest of a partly shipped order cancelled line by line while BillPay is down: not one failed activation per line', async () => {
  await fillCart(shop, { items: [['COFFEE-500', 1], ['CUP', 1], ['TEA-100', 1], ['HAND-MILL-CERAMIC-BURR-XL', 1]] });
  const paid = await pay(shop);
  const order = await adminOrder(shop, paid.id);
  await ship(order, [{ orderLineId: lineOf(order, 'COFFEE-500').id, quantity: 1 }]);
  assert.equal(billpayPayment(await settled(paid.id)).state, 'Authorized');
  await shop.sandbox.control('faults', { mode: 'http500', count: 100 });
  const rest = ['CUP', 'TEA-100', 'HAND-MILL-CERAMIC-BURR-XL'].map((sku) => ({ orderLineId: lineOf(order, sku).id, quantity: 1 }));
  await ok(shop.admin.query(ADMIN.cancelOrder, { input: { orderId: order.id, lines: rest, reason: 'out of stock', cancelShipping: false } }), 'cancelOrder');
  const failed = (current) => current.history.items.filter((h) => h.type === 'ORDER_NOTE' && /BillPay activation on shipment failed/.test(h.data.note));
  await eventually(async () => failed(await adminOrder(shop, paid.id)).length > 0);
  // Until every attempt the events started is over: the notes stop changing for 3 s.
  let after = await adminOrder(shop, paid.id);
  for (let still = 0; still < 6; ) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await adminOrder(shop, paid.id);
    still = failed(now).length === failed(after).length ? still + 1 : 0;
    after = now;
  }
  await shop.sandbox.control('faults', { mode: 'none' });
  // The event of the first line starts an attempt; the other two lines' events share one more,
  // which reads the order as the last event left it (one attempt per line before: three notes).
  assert.ok(failed(after).length <= 2, failed(after).map((h) => h.data.note).join('\n'));
  assert.equal(billpayPayment(after).state, 'Authorized');
});

test('the last fulfillment marked Delivered at once (no Shipped step) completes the shipment too', async () => {
  await fillCart(shop, { items: [['COFFEE-500', 1], ['CUP', 1]] });
  const paid = await pay(shop);
  const order = await adminOrder(shop, paid.id);
  await ship(order, [{ orderLineId: lineOf(order, 'COFFEE-500').id, quantity: 1 }]);
  assert.equal(billpayPayment(await settled(paid.id)).state, 'Authorized');
  const fulfillment = await ok(
    shop.admin.query(ADMIN.addFulfillment, {
      input: { lines: [{ orderLineId: lineOf(order, 'CUP').id, quantity: 1 }], handler: { code: 'manual-fulfillment', arguments: [{ name: 'method', value: 'courier' }, { name: 'trackingCode', value: '' }] } },
    }),
    'addFulfillmentToOrder',
  );
  await ok(shop.admin.query(ADMIN.transitionFulfillment, { id: fulfillment.id, state: 'Delivered' }), 'transitionFulfillmentToState');
  const done = await eventually(async () => {
    const current = await adminOrder(shop, paid.id);
    return billpayPayment(current).state === 'Settled' ? current : null;
  });
  await assertInSync(shop, done.id, { status: 'activated' });
});
