// settleOnShipment: BillPay activation when a fulfillment reaches Shipped, and
// a failed activation recorded in the order's history instead of lost.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startShop, configureChannels, createBillPayMethod, fillCart, pay, adminOrder, billpayPayment, assertInSync, ok, ADMIN } from './helpers.mjs';

let shop;
before(async () => {
  shop = await startShop({ plugin: { settleOnShipment: true, timeoutMs: 2000 } });
  await configureChannels(shop);
  await createBillPayMethod(shop);
});
after(async () => {
  await shop?.stop();
});

async function ship(order) {
  const fulfillment = await ok(
    shop.admin.query(ADMIN.addFulfillment, {
      input: {
        lines: order.lines.map((l) => ({ orderLineId: l.id, quantity: l.quantity })),
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
