// BillPay's two-month activation deadline in Vendure: the plug-in's scheduled
// task notes an order whose BillPay payment is still only authorized two weeks
// before the deadline, and again when it has passed; once each.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigService, Injector, Payment, TransactionalConnection } from '@vendure/core';
import { billpayDeadlineTask } from '../../pkg/vendure.js';
import { startShop, configureChannels, createBillPayMethod, fillCart, pay, adminOrder, billpayPayment, ok, ADMIN } from './helpers.mjs';

let shop;
before(async () => {
  shop = await startShop();
  await configureChannels(shop);
  await createBillPayMethod(shop);
});
after(async () => {
  await shop?.stop();
});

function daysAgo(days) {
  return new Date(Date.now() - days * 86400000).toISOString().slice(0, 10);
}

/** As if the customer had checked out on `createdAt`: the payment's record of BillPay's order. */
async function placedOn(orderId, createdAt) {
  const payments = shop.server.app.get(TransactionalConnection).rawConnection.getRepository(Payment);
  // The API's ids are the test kit's ("T_1"), the database's are not.
  const id = String(orderId).replace(/^T_/, '');
  const payment = (await payments.find({ relations: ['order'] })).find((p) => String(p.order?.id) === id && p.metadata?.billpay);
  payment.metadata = { ...payment.metadata, billpay: { ...payment.metadata.billpay, createdAt } };
  await payments.save(payment);
}

async function runTask() {
  return billpayDeadlineTask.execute(new Injector(shop.server.app));
}

async function notes(orderId) {
  const order = await adminOrder(shop, orderId);
  const { order: withHistory } = await shop.admin.query(ADMIN.order, { id: orderId });
  return { order, notes: withHistory.history.items.filter((h) => h.type === 'ORDER_NOTE' && h.data.note.startsWith('BillPay:')).map((h) => h.data.note) };
}

test('the plug-in registers the task with Vendure', async () => {
  assert.ok(billpayDeadlineTask, 'Vendure 3.3+ has scheduled tasks');
  assert.equal(billpayDeadlineTask.id, 'billpay-activation-deadlines');
  assert.ok(shop.server.app.get(ConfigService).schedulerOptions.tasks.includes(billpayDeadlineTask));
});

test('an order not activated is noted two weeks before the deadline and when it has passed, once each', async () => {
  await fillCart(shop, { items: [['COFFEE-500', 1]] });
  const paid = await pay(shop);
  assert.equal(paid.state, 'PaymentAuthorized');

  // Placed today: nothing to say.
  await runTask();
  assert.deepEqual((await notes(paid.id)).notes, []);

  // Placed 55 days ago: the deadline (two months after checkout) is days away.
  const placed = daysAgo(55);
  await placedOn(paid.id, placed);
  const first = await runTask();
  assert.ok(first.notes >= 1, JSON.stringify(first));
  let seen = await notes(paid.id);
  assert.equal(seen.notes.length, 1, seen.notes.join('\n'));
  assert.match(seen.notes[0], /^BillPay: activate this order \(settle its payment\) by \d{4}-\d{2}-\d{2} \(\d+ days? left\)\./);
  const deadline = seen.notes[0].match(/by (\d{4}-\d{2}-\d{2})/)[1];
  const [y, m, d] = placed.split('-').map(Number);
  // Two calendar months later, clamped to the month's last day.
  const expected = new Date(Date.UTC(y, m + 1, Math.min(d, new Date(Date.UTC(y, m + 2, 0)).getUTCDate()))).toISOString().slice(0, 10);
  assert.equal(deadline, expected);
  assert.deepEqual(billpayPayment(seen.order).metadata.billpay.deadlineNotes, ['EXPIRES_SOON']);

  // The next morning: no second note.
  await runTask();
  assert.equal((await notes(paid.id)).notes.length, 1);

  // Past the deadline: one more note, which says what to do.
  await placedOn(paid.id, daysAgo(70));
  await runTask();
  await runTask();
  seen = await notes(paid.id);
  assert.equal(seen.notes.length, 2, seen.notes.join('\n'));
  assert.match(seen.notes[1], /^BillPay: the order was not activated by \d{4}-\d{2}-\d{2}, two months after checkout: BillPay may cancel it now\./);
  assert.match(seen.notes[1], /haendler@billpay\.de/);
  assert.deepEqual(billpayPayment(seen.order).metadata.billpay.deadlineNotes, ['EXPIRES_SOON', 'EXPIRED']);
  // The shopper never sees them.
  assert.equal(billpayPayment(seen.order).state, 'Authorized');
});

test('an activated (settled) or cancelled BillPay payment gets no deadline note', async () => {
  await fillCart(shop, { items: [['TEA-100', 2]] });
  const settled = await pay(shop);
  const order = await adminOrder(shop, settled.id);
  await ok(shop.admin.query(ADMIN.settlePayment, { id: billpayPayment(order).id }), 'settlePayment');
  await placedOn(settled.id, daysAgo(70));

  await fillCart(shop, { items: [['CUP', 1]] });
  const cancelled = await pay(shop);
  await ok(shop.admin.query(ADMIN.cancelOrder, { input: { orderId: cancelled.id, reason: 'customer asked' } }), 'cancelOrder');
  await placedOn(cancelled.id, daysAgo(70));

  await runTask();
  assert.deepEqual((await notes(settled.id)).notes, []);
  assert.deepEqual((await notes(cancelled.id)).notes.filter((n) => /deadline|activate this order|not activated by/.test(n)), []);
});
