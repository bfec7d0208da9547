// The BillPay life cycle driven by Vendure's own Shop and Admin APIs against
// the sandbox: checkout, settle, refunds of every shape Vendure 3 produces,
// cancel, modifications — BillPay's amount checked against Vendure's after
// every step, to the cent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { renderPaymentBlock, cartTotals } from '../../pkg/node.js';
import {
  startShop, configureChannels, createBillPayMethod, fillCart, pay, adminOrder, billpayPayment, assertInSync, ledger, ok, cents,
  ADMIN, SHOP, SANDBOX_CREDENTIALS, E2E_DEFAULT_CHANNEL_TOKEN, gql,
} from './helpers.mjs';

let shop;
let channels;
let method;

before(async () => {
  shop = await startShop();
  channels = await configureChannels(shop);
  method = await createBillPayMethod(shop);
});
after(async () => {
  await shop?.stop();
});

function lineOf(order, sku) {
  return order.lines.find((l) => l.productVariant.sku === sku);
}

function articleCount(held) {
  return held.cart.articles.reduce((sum, a) => sum + a.quantity, 0);
}

/** Settles through the Admin API and returns the order. */
async function settle(order) {
  const payment = billpayPayment(await adminOrder(shop, order.id));
  const settled = await ok(shop.admin.query(ADMIN.settlePayment, { id: payment.id }), 'settlePayment');
  assert.equal(settled.state, 'Settled');
  return adminOrder(shop, order.id);
}

async function refund(input) {
  const { refundOrder } = await shop.admin.query(ADMIN.refundOrder, { input });
  return refundOrder;
}

test('the security key is masked in every Admin API answer and kept when the mask is saved back', async () => {
  const masked = (args) => args.find((a) => a.name === 'securityKey').value;
  assert.equal(masked(method.handler.args), '••••••••');
  const { paymentMethods } = await shop.admin.query(ADMIN.paymentMethods);
  assert.equal(masked(paymentMethods.items.find((m) => m.id === method.id).handler.args), '••••••••');
  // Without `code` in the selection too.
  const { paymentMethod } = await shop.admin.query(ADMIN.paymentMethodArgsOnly, { id: method.id });
  assert.equal(masked(paymentMethod.handler.args), '••••••••');
  // The admin form sends every argument back, the key as shown.
  const args = method.handler.args.map((a) => (a.name === 'delayDays' ? { name: 'delayDays', value: '2' } : a));
  const updated = await shop.admin.query(ADMIN.updatePaymentMethod, { input: { id: method.id, handler: { code: 'billpay-invoice', arguments: args }, checker: { code: 'billpay-eligibility', arguments: [] } } });
  assert.equal(masked(updated.updatePaymentMethod.handler.args), '••••••••');
  assert.equal(updated.updatePaymentMethod.handler.args.find((a) => a.name === 'delayDays').value, '2');
  // The stored key still works: a checkout is authorized by BillPay.
  await fillCart(shop, { items: [['CUP', 1]] });
  const paid = await pay(shop);
  assert.equal(paid.state, 'PaymentAuthorized', JSON.stringify(paid));
  const order = await adminOrder(shop, paid.id);
  await assertInSync(shop, order.id, { status: 'preauthorized' });
});

test('wrong settings are refused when the payment method is saved, not at a checkout or a settlement', async () => {
  const current = async () => (await shop.admin.query(ADMIN.paymentMethods)).paymentMethods.items.find((m) => m.id === method.id).handler.args;
  const base = await current();
  const save = (name, value) =>
    shop.admin.query(ADMIN.updatePaymentMethod, {
      input: { id: method.id, handler: { code: 'billpay-invoice', arguments: base.map((a) => (a.name === name ? { name, value } : a)) }, checker: { code: 'billpay-eligibility', arguments: [] } },
    });
  for (const [name, value, message] of [
    ['endpoint', 'http://api.billpay.de/xml', /endpoint: BillPay is only spoken over https:\/\//],
    ['endpoint', 'javascript:alert(1)', /endpoint: the endpoint must be an https:\/\/ URL/],
    ['merchantId', 'abc', /merchantId is BillPay's id, a positive whole number, got "abc"/],
    ['portalId', '0', /portalId is BillPay's id/],
    ['delayDays', '400', /delayDays is 0 to 365 days, got "400"/],
    ['delayDays', '-5', /delayDays is 0 to 365 days, got "-5"/],
  ]) {
    await assert.rejects(save(name, value), message, `${name} ${value}`);
  }
  // Nothing of it was stored: the method still pays.
  assert.deepEqual((await current()).map((a) => [a.name, a.value]), base.map((a) => [a.name, a.value]));
});

test('eligibility: billing country, currency limits and a missing billing address; refused without calling BillPay', async () => {
  const before = (await shop.sandbox.control('orders')).orders.length;
  await fillCart(shop, { items: [['CUP', 1]], billing: { fullName: 'x', streetLine1: 'Baker Street 221', city: 'London', postalCode: 'NW1', countryCode: 'GB' } });
  let { eligiblePaymentMethods } = await shop.shop.query(SHOP.paymentMethods);
  assert.equal(eligiblePaymentMethods[0].isEligible, false);
  assert.match(eligiblePaymentMethods[0].eligibilityMessage, /Germany, Austria, Switzerland and the Netherlands/);
  const refused = await pay(shop);
  assert.equal(refused.errorCode, 'INELIGIBLE_PAYMENT_METHOD_ERROR');

  await fillCart(shop, { items: [['MACHINE', 1], ['HAND-MILL-CERAMIC-BURR-XL', 1]] });
  ({ eligiblePaymentMethods } = await shop.shop.query(SHOP.paymentMethods));
  assert.equal(eligiblePaymentMethods[0].isEligible, false, 'above the merchant limit of 2500.00 from moduleConfig');
  assert.match(eligiblePaymentMethods[0].eligibilityMessage, /up to EUR\u00a02,500\.00$/);
  assert.equal((await pay(shop)).errorCode, 'INELIGIBLE_PAYMENT_METHOD_ERROR');

  await fillCart(shop, { items: [['CUP', 1]], billing: null });
  ({ eligiblePaymentMethods } = await shop.shop.query(SHOP.paymentMethods));
  assert.match(eligiblePaymentMethods[0].eligibilityMessage, /billing address/);

  await fillCart(shop, { items: [['MACHINE', 1]], shipping: 'Pickup' });
  ({ eligiblePaymentMethods } = await shop.shop.query(SHOP.paymentMethods));
  assert.equal(eligiblePaymentMethods[0].isEligible, true, '2499.00 is within the limit');
  assert.equal((await shop.sandbox.control('orders')).orders.length, before, 'nothing was sent to BillPay');
});

test('missing consent: refused with a clear message, order stays in ArrangingPayment, nothing sent', async () => {
  const cart = await fillCart(shop, { items: [['COFFEE-500', 1]] });
  for (const metadata of [{}, { termsAccepted: 'yes' }, { termsAccepted: false, birthday: '1985-09-11' }]) {
    const refused = await pay(shop, metadata);
    assert.equal(refused.errorCode, 'PAYMENT_DECLINED_ERROR');
    assert.match(refused.paymentErrorMessage, /accept BillPay's terms/);
  }
  const { activeOrder } = await shop.shop.query(SHOP.activeOrder);
  assert.equal(activeOrder.state, 'ArrangingPayment');
  await assert.rejects(ledger(shop, cart.code), /no such order|not found|404|control/i);
});

test('a DENIED customer: Declined with the customer message only; the order can still be paid otherwise', async () => {
  const cart = await fillCart(shop, { items: [['TEA-100', 2]], lastName: 'Denied', firstName: 'Dora' });
  const denied = await pay(shop);
  assert.equal(denied.errorCode, 'PAYMENT_DECLINED_ERROR');
  assert.equal(denied.paymentErrorMessage, 'Unfortunately, payment on invoice is not available for this order. Please choose another payment method.');
  assert.doesNotMatch(denied.paymentErrorMessage, /sandbox|test rule/i);
  const { activeOrder } = await shop.shop.query(SHOP.activeOrder);
  assert.equal(activeOrder.state, 'ArrangingPayment');
  assert.equal(activeOrder.code, cart.code);
  const declined = activeOrder.payments.find((p) => p.state === 'Declined');
  assert.deepEqual(Object.keys(declined.metadata ?? {}).filter((k) => k !== 'public'), [], 'shoppers see no internal metadata');
});

let mixed;
test('checkout: 19 % and 7 % lines, Vendure per-line rounding, paid shipping → Authorized with bank data; BillPay cart to the cent', async () => {
  const cart = await fillCart(shop, { items: [['COFFEE-500', 3], ['CUP', 3], ['TEA-100', 7], ['HAND-MILL-CERAMIC-BURR-XL', 1]] });
  const paid = await pay(shop, { termsAccepted: true, birthday: '1985-09-11', salutation: 'Frau', phone: '+49 221 1234567' });
  assert.equal(paid.state, 'PaymentAuthorized', JSON.stringify(paid));
  const payment = paid.payments[0];
  assert.equal(payment.state, 'Authorized');
  const { order: held } = await ledger(shop, paid.code);
  assert.equal(payment.transactionId, held.bptid);
  const bank = payment.metadata.public.bankAccount;
  assert.deepEqual(Object.keys(bank).sort(), ['accountHolder', 'activated', 'bankName', 'bic', 'iban', 'invoiceReference']);
  assert.equal(bank.activated, false);
  assert.equal(bank.invoiceReference, `BP${paid.code}/${SANDBOX_CREDENTIALS.merchantId}`);
  assert.equal(bank.iban, held.bankAccount.iban);
  assert.equal(Object.keys(payment.metadata).join(), 'public', 'the Shop API shows the public part only');

  // The cart BillPay got: SKUs as article ids (cut to 20), unit gross = ⌈line total / quantity⌉, excess in the rebate.
  const order = await adminOrder(shop, paid.id);
  const byId = Object.fromEntries(held.cart.articles.map((a) => [a.articleId, a]));
  assert.deepEqual(Object.keys(byId).sort(), ['COFFEE-500', 'CUP', 'HAND-MILL-CERAMIC-BU', 'TEA-100']);
  for (const line of order.lines) {
    const article = byId[line.productVariant.sku.slice(0, 20)];
    assert.equal(article.quantity, line.quantity);
    assert.equal(article.unitGross, Math.ceil(line.linePriceWithTax / line.quantity), line.productVariant.sku);
  }
  assert.equal(byId['TEA-100'].unitGross, 400, '7 × 3.99 is 27.94 in Vendure: 4.00 per unit, 0.06 into the rebate');
  assert.equal(byId['COFFEE-500'].unitGross, 899);
  assert.equal(byId['COFFEE-500'].unitNet, 840, 'the net price as entered');
  assert.equal(byId['CUP'].unitGross, 500);
  assert.equal(held.cart.shippingGross, 490);
  assert.equal(held.cart.rebateGross, 1 + 1 + 6, 'coffee, cups and tea round down in Vendure');
  assert.equal(held.totalGross, order.totalWithTax);
  assert.equal(payment.amount, order.totalWithTax);
  await assertInSync(shop, order.id, { status: 'preauthorized' });

  // The storefront renders the block straight from the Shop API's answer.
  const { orderByCode } = await shop.shop.query(SHOP.orderByCode, { code: paid.code });
  const html = renderPaymentBlock({ method: 'invoice', amount: (orderByCode.totalWithTax / 100).toFixed(2), currency: orderByCode.currencyCode, bankAccount: orderByCode.payments[0].metadata.public.bankAccount }, { locale: 'de' });
  assert.match(html, new RegExp(`BP${paid.code}/4441`));
  mixed = order;
});

test('settle = BillPay activation with the delay days: Settled, due date in the payment metadata', async () => {
  const order = await settle(mixed);
  const payment = billpayPayment(order);
  assert.equal(order.state, 'PaymentSettled');
  const bank = payment.metadata.public.bankAccount;
  assert.equal(bank.activated, true);
  const { held } = await assertInSync(shop, order.id, { status: 'activated' });
  assert.equal(bank.dueDate.replaceAll('-', ''), held.dueDate.replaceAll('-', ''), `${bank.dueDate} vs ${held.dueDate}`);
  assert.equal(held.delayDays, 2, 'the method was saved with delayDays 2');
  assert.equal(payment.metadata.billpay.status, 'activated');
});

test('refund one line (refundOrder lines + shipping), then the rest → editCartContent, then cancel', async () => {
  let order = await adminOrder(shop, mixed.id);
  const payment = billpayPayment(order);
  const coffee = lineOf(order, 'COFFEE-500');
  const first = await refund({ paymentId: payment.id, lines: [{ orderLineId: coffee.id, quantity: 1 }], shipping: 0, adjustment: 0, reason: 'broken bag' });
  assert.equal(first.state, 'Settled', JSON.stringify(first));
  assert.equal(first.total, coffee.proratedUnitPriceWithTax);
  assert.equal(first.metadata.billpay.action, 'editCartContent');
  let synced = await assertInSync(shop, order.id, { status: 'activated' });
  assert.equal(synced.held.cart.articles.find((a) => a.articleId === 'COFFEE-500').quantity, 2);

  order = await adminOrder(shop, mixed.id);
  const rest = order.lines.map((l) => ({ orderLineId: l.id, quantity: l.productVariant.sku === 'COFFEE-500' ? l.quantity - 1 : l.quantity }));
  // Vendure's old line-based total (q × rounded unit price) can exceed the payment by the
  // cents Vendure rounded away per line; the admin UI sends the amount (the rest here).
  const second = await refund({ paymentId: payment.id, lines: rest, amount: payment.amount - first.total, shipping: 0, adjustment: 0, reason: 'returned' });
  assert.equal(second.state, 'Settled', JSON.stringify(second));
  assert.equal(second.metadata.billpay.action, 'cancel');
  synced = await assertInSync(shop, order.id, { status: 'cancelled' });
  const kinds = synced.movements.map((m) => m.kind);
  assert.equal(kinds.filter((k) => k === 'cart_reduced').length, 1);
  assert.equal(kinds.filter((k) => k === 'cancelled').length, 1);
  // Nothing left: another refund is refused by Vendure (nothing refundable), BillPay untouched.
  const third = await refund({ paymentId: payment.id, amount: 1, shipping: 0, adjustment: 0, reason: 'again' });
  assert.ok(third.errorCode || third.state === 'Failed', JSON.stringify(third));
  assert.equal((await ledger(shop, order.code)).movements.length, synced.movements.length);
});

test('cancel before settlement = BillPay cancel', async () => {
  await fillCart(shop, { items: [['COFFEE-500', 2], ['CUP', 1]] });
  const paid = await pay(shop);
  const payment = paid.payments[0];
  const cancelled = await ok(shop.admin.query(ADMIN.cancelPayment, { id: payment.id }), 'cancelPayment');
  assert.equal(cancelled.state, 'Cancelled');
  const { order: held, movements } = await ledger(shop, paid.code);
  assert.equal(held.status, 'cancelled');
  assert.equal(movements.filter((m) => m.kind === 'cancelled').length, 1);
});

test('an order cancelled in Vendure before settlement is cancelled at BillPay, and is never activated', async () => {
  await fillCart(shop, { items: [['COFFEE-500', 2], ['CUP', 1]] });
  const paid = await pay(shop);
  const order = await adminOrder(shop, paid.id);
  const lines = order.lines.map((l) => ({ orderLineId: l.id, quantity: l.quantity }));
  const cancelled = await ok(shop.admin.query(ADMIN.cancelOrder, { input: { orderId: order.id, lines, reason: 'customer changed her mind', cancelShipping: true } }), 'cancelOrder');
  assert.equal(cancelled.state, 'Cancelled');
  // The plug-in follows the order's transition (an event after the commit).
  let payment;
  for (let i = 0; i < 50 && payment?.state !== 'Cancelled'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    payment = billpayPayment(await adminOrder(shop, order.id));
  }
  assert.equal(payment.state, 'Cancelled');
  const { order: held, movements } = await ledger(shop, paid.code);
  assert.equal(held.status, 'cancelled');
  assert.equal(movements.filter((m) => m.kind === 'cancelled').length, 1);
  // Settling it now is refused, and nothing is activated at BillPay.
  await assert.rejects(shop.admin.query(ADMIN.settlePayment, { id: payment.id }), /is cancelled: BillPay's invoice is not activated/);
  const after = await ledger(shop, paid.code);
  assert.equal(after.movements.filter((m) => m.kind === 'activated').length, 0);
});

test('every line cancelled after settlement, then an amount refunded: no article stays at BillPay; with the shipping it is a cancel', async () => {
  await fillCart(shop, { items: [['COFFEE-500', 2], ['CUP', 2]] });
  const paid = await pay(shop);
  const order = await settle(await adminOrder(shop, paid.id));
  const payment = billpayPayment(order);
  const lines = order.lines.map((l) => ({ orderLineId: l.id, quantity: l.quantity }));
  await ok(shop.admin.query(ADMIN.cancelOrder, { input: { orderId: order.id, lines, reason: 'out of stock', cancelShipping: false } }), 'cancelOrder');
  const items = order.lines.reduce((sum, l) => sum + l.proratedLinePriceWithTax, 0);
  // The articles' value alone would leave the shipping owed on an order without articles.
  await assert.rejects(refund({ paymentId: payment.id, amount: items, shipping: 0, adjustment: 0, reason: 'out of stock' }), /no article would be left on order .* refund the whole remaining/);
  const synced = await assertInSync(shop, order.id, { status: 'activated' });
  assert.equal(synced.held.cart.articles.length, 2, 'nothing changed at BillPay');
  const all = await refund({ paymentId: payment.id, amount: payment.amount, shipping: 0, adjustment: 0, reason: 'out of stock' });
  assert.equal(all.state, 'Settled', JSON.stringify(all));
  const { order: held } = await ledger(shop, order.code);
  assert.equal(held.status, 'cancelled');
});

test('lines and shipping cancelled before settlement leave BillPay\'s cart before the activation, which is for the lower amount', async () => {
  await fillCart(shop, { items: [['COFFEE-500', 2], ['CUP', 3], ['TEA-100', 1]] });
  const paid = await pay(shop);
  assert.equal(paid.state, 'PaymentAuthorized', JSON.stringify(paid));
  let order = await adminOrder(shop, paid.id);
  const authorized = billpayPayment(order).amount;
  // Two cups out of stock: Vendure lowers the order's total, the payment keeps its amount.
  await ok(shop.admin.query(ADMIN.cancelOrder, { input: { orderId: order.id, lines: [{ orderLineId: lineOf(order, 'CUP').id, quantity: 2 }], reason: 'out of stock', cancelShipping: false } }), 'cancelOrder');
  order = await adminOrder(shop, paid.id);
  assert.ok(order.totalWithTax < authorized);
  assert.equal(billpayPayment(order).amount, authorized);
  assert.equal((await ledger(shop, paid.code)).order.totalGross, authorized, 'nothing is sent at the cancellation');

  order = await settle(order);
  const payment = billpayPayment(order);
  assert.equal(payment.amount, order.totalWithTax, 'settled for what BillPay activated');
  const { held, movements } = await assertInSync(shop, order.id, { status: 'activated' });
  assert.equal(held.totalGross, order.totalWithTax);
  assert.equal(held.cart.articles.find((a) => a.articleId === 'CUP').quantity, 1);
  assert.equal(held.cart.articles.find((a) => a.articleId === 'COFFEE-500').quantity, 2);
  const kinds = movements.map((m) => m.kind);
  assert.equal(kinds.filter((k) => k === 'cart_reduced').length, 1);
  assert.ok(kinds.indexOf('cart_reduced') < kinds.indexOf('activated'), kinds.join(', '));
  assert.equal(payment.metadata.public.bankAccount.activated, true);

  // Refunds start from the settled amount: the tea back.
  const r = await refund({ paymentId: payment.id, lines: [{ orderLineId: lineOf(order, 'TEA-100').id, quantity: 1 }], amount: lineOf(order, 'TEA-100').proratedUnitPriceWithTax, shipping: 0, adjustment: 0, reason: 'return' });
  assert.equal(r.state, 'Settled', JSON.stringify(r));
  const synced = await assertInSync(shop, order.id, { status: 'activated' });
  assert.equal(synced.held.cart.articles.some((a) => a.articleId === 'TEA-100'), false);

  // The shipping cancelled too (cancelShipping) before settlement: it leaves BillPay's cart.
  await fillCart(shop, { items: [['COFFEE-500', 1], ['CUP', 2]] });
  const second = await pay(shop);
  let other = await adminOrder(shop, second.id);
  assert.ok(other.shippingWithTax > 0);
  await ok(shop.admin.query(ADMIN.cancelOrder, { input: { orderId: other.id, lines: [{ orderLineId: lineOf(other, 'CUP').id, quantity: 1 }], reason: 'late', cancelShipping: true } }), 'cancelOrder');
  other = await settle(await adminOrder(shop, second.id));
  const again = await assertInSync(shop, other.id, { status: 'activated' });
  assert.equal(again.held.totalGross, other.totalWithTax);
  assert.equal(again.held.cart.shippingGross, 0);
});

test('a refund before settlement (a modification) and a line cancelled after it: settled for what is left, Vendure and BillPay agree', async () => {
  await fillCart(shop, { items: [['COFFEE-500', 1], ['CUP', 2], ['TEA-100', 3]] });
  const paid = await pay(shop);
  let order = await adminOrder(shop, paid.id);
  const payment = billpayPayment(order);
  await ok(shop.admin.query(ADMIN.transitionOrder, { id: order.id, state: 'Modifying' }), 'transitionOrderToState');
  await ok(shop.admin.query(ADMIN.modifyOrder, { input: { dryRun: false, orderId: order.id, adjustOrderLines: [{ orderLineId: lineOf(order, 'TEA-100').id, quantity: 1 }], refunds: [{ paymentId: payment.id, reason: 'two teas less' }] } }), 'modifyOrder');
  await ok(shop.admin.query(ADMIN.transitionOrder, { id: order.id, state: 'PaymentAuthorized' }), 'transitionOrderToState');
  await assertInSync(shop, order.id, { status: 'preauthorized' });
  order = await adminOrder(shop, paid.id);
  await ok(shop.admin.query(ADMIN.cancelOrder, { input: { orderId: order.id, lines: [{ orderLineId: lineOf(order, 'CUP').id, quantity: 1 }], reason: 'broken', cancelShipping: false } }), 'cancelOrder');
  order = await settle(await adminOrder(shop, paid.id));
  const { held } = await assertInSync(shop, order.id, { status: 'activated' });
  assert.equal(held.totalGross, order.totalWithTax);
  assert.equal(order.state, 'PaymentSettled', 'the payment covers the order');
  // And a refund after it starts from there.
  const r = await refund({ paymentId: payment.id, lines: [{ orderLineId: lineOf(order, 'TEA-100').id, quantity: 1 }], amount: lineOf(order, 'TEA-100').proratedUnitPriceWithTax, shipping: 0, adjustment: 0, reason: 'return' });
  assert.equal(r.state, 'Settled', JSON.stringify(r));
  await assertInSync(shop, order.id, { status: 'activated' });
});

test('the cart lowered but the activation refused: the payment stays Authorized with BillPay\'s lower cart; settling again or cancelling works', async () => {
  for (const then of ['settle', 'cancel']) {
    await fillCart(shop, { items: [['COFFEE-500', 2], ['CUP', 2]] });
    const paid = await pay(shop);
    const order = await adminOrder(shop, paid.id);
    await ok(shop.admin.query(ADMIN.cancelOrder, { input: { orderId: order.id, lines: [{ orderLineId: lineOf(order, 'CUP').id, quantity: 1 }], reason: 'broken', cancelShipping: false } }), 'cancelOrder');
    await shop.sandbox.control('faults', { mode: 'http500', count: 3, service: 'invoiceCreated' });
    const { settlePayment: failed } = await shop.admin.query(ADMIN.settlePayment, { id: billpayPayment(order).id });
    assert.match(failed.paymentErrorMessage ?? failed.message ?? '', /BillPay did not activate/, JSON.stringify(failed));
    await shop.sandbox.control('faults', { mode: 'none' });
    let current = await adminOrder(shop, paid.id);
    let payment = billpayPayment(current);
    assert.equal(payment.state, 'Authorized');
    assert.ok(payment.metadata.billpay.reducedBeforeActivation, 'the lower cart is remembered');
    const { order: held } = await ledger(shop, paid.code);
    assert.equal(held.totalGross, current.totalWithTax, 'BillPay has the lower cart');
    assert.equal(held.status, 'preauthorized');
    if (then === 'settle') {
      current = await settle(current);
      payment = billpayPayment(current);
      assert.equal(payment.amount, current.totalWithTax);
      await assertInSync(shop, current.id, { status: 'activated' });
    } else {
      const cancelled = await ok(shop.admin.query(ADMIN.cancelPayment, { id: payment.id }), 'cancelPayment');
      assert.equal(cancelled.state, 'Cancelled');
      assert.equal((await ledger(shop, paid.code)).order.status, 'cancelled');
    }
  }
});

async function createCoupon(code, actions) {
  return ok(shop.admin.query(ADMIN.createPromotion, {
    input: { enabled: true, couponCode: code, conditions: [], actions, translations: [{ languageCode: 'en', name: code }] },
  }), 'createPromotion');
}

let discounted;
test('order discount (10 %) and a line discount on 19 % and 7 % lines: BillPay total = Vendure total; the admin UI refund flow (cancel lines, then refund lines + amount)', async () => {
  const { id: cupVariant } = { id: (await shop.admin.query(ADMIN.variants, { sku: 'CUP' })).productVariants.items[0].id };
  await createCoupon('TEN', [{ code: 'order_percentage_discount', arguments: [{ name: 'discount', value: '10' }] }]);
  await createCoupon('CUPS', [{ code: 'products_percentage_discount', arguments: [{ name: 'discount', value: '15' }, { name: 'productVariantIds', value: JSON.stringify([cupVariant]) }] }]);
  const cart = await fillCart(shop, { items: [['COFFEE-500', 3], ['CUP', 4], ['TEA-100', 7]], coupon: 'TEN' });
  await shop.shop.query(SHOP.applyCoupon, { code: 'CUPS' });
  const paid = await pay(shop);
  assert.equal(paid.state, 'PaymentAuthorized', JSON.stringify(paid));
  let order = await adminOrder(shop, paid.id);
  assert.ok(order.totalWithTax < order.lines.reduce((s, l) => s + l.linePriceWithTax, 0) + order.shippingWithTax, 'discounts apply');
  let synced = await assertInSync(shop, order.id, { status: 'preauthorized' });
  assert.ok(synced.held.cart.rebateGross > 0);
  const totals = cartTotals({
    articles: synced.held.cart.articles.map((a) => ({ articleId: a.articleId, name: a.name, quantity: a.quantity, unitNet: (a.unitNet / 100).toFixed(2), unitGross: (a.unitGross / 100).toFixed(2) })),
    shipping: { net: (synced.held.cart.shippingNet / 100).toFixed(2), gross: (synced.held.cart.shippingGross / 100).toFixed(2) },
    rebate: { net: (synced.held.cart.rebateNet / 100).toFixed(2), gross: (synced.held.cart.rebateGross / 100).toFixed(2) },
  });
  assert.deepEqual(totals.taxes.map((t) => t.rate).sort(), ['19', '7']);
  assert.equal(cents(totals.gross), order.totalWithTax);
  order = await settle(order);
  const payment = billpayPayment(order);

  // Admin UI: cancel 2 cups (quantities drop at once), then refund them with the computed amount.
  const cups = lineOf(order, 'CUP');
  await ok(shop.admin.query(ADMIN.cancelOrder, { input: { orderId: order.id, lines: [{ orderLineId: cups.id, quantity: 2 }], reason: 'broken', cancelShipping: false } }), 'cancelOrder');
  const after = await adminOrder(shop, order.id);
  assert.equal(lineOf(after, 'CUP').quantity, 2);
  const r1 = await refund({ paymentId: payment.id, lines: [{ orderLineId: cups.id, quantity: 2 }], amount: 2 * cups.proratedUnitPriceWithTax, shipping: 0, adjustment: 0, reason: 'broken' });
  assert.equal(r1.state, 'Settled', JSON.stringify(r1));
  synced = await assertInSync(shop, order.id);
  assert.equal(synced.held.cart.articles.find((a) => a.articleId === 'CUP').quantity, 2, 'the cancelled cups are not counted twice');

  // An amount only: a discount (BillPay's rebate goes up).
  const r2 = await refund({ paymentId: payment.id, amount: 250, shipping: 0, adjustment: 0, reason: 'goodwill' });
  assert.equal(r2.state, 'Settled', JSON.stringify(r2));
  synced = await assertInSync(shop, order.id);
  assert.equal(articleCount(synced.held), 3 + 2 + 7);

  // All articles back but the shipping kept: refused, nothing sent.
  const fresh = await adminOrder(shop, order.id);
  const movements = synced.movements.length;
  const everyLine = fresh.lines.filter((l) => l.quantity > 0).map((l) => ({ orderLineId: l.id, quantity: l.quantity }));
  const itemsOnly = fresh.lines.reduce((s, l) => s + l.quantity * l.proratedUnitPriceWithTax, 0);
  await assert.rejects(
    shop.admin.query(ADMIN.refundOrder, { input: { paymentId: payment.id, lines: everyLine, amount: Math.min(itemsOnly, synced.held.totalGross - 1), shipping: 0, adjustment: 0, reason: 'all back' } }),
    /no article would be left.*credited in full/s,
  );
  assert.equal((await ledger(shop, order.code)).movements.length, movements);
  await assertInSync(shop, order.id);

  // The admin UI's full return: cancel the lines and the shipping, refund what is left → cancel.
  await ok(shop.admin.query(ADMIN.cancelOrder, { input: { orderId: order.id, lines: everyLine, reason: 'all back', cancelShipping: true } }), 'cancelOrder');
  const owes = synced.held.totalGross;
  const r3 = await refund({ paymentId: payment.id, lines: everyLine, amount: owes, shipping: 0, adjustment: 0, reason: 'all back' });
  assert.equal(r3.state, 'Settled', JSON.stringify(r3));
  assert.equal(r3.metadata.billpay.action, 'cancel');
  synced = await assertInSync(shop, order.id, { status: 'cancelled' });
  assert.equal(synced.movements.filter((m) => m.kind === 'cart_reduced').length, 2);
  discounted = cart;
});

test('refund of part of a line with the shipping cancelled (cancelShipping) on a discounted order', async () => {
  await fillCart(shop, { items: [['COFFEE-500', 3], ['TEA-100', 7]], coupon: 'TEN' });
  const paid = await pay(shop);
  let order = await settle(await adminOrder(shop, paid.id));
  const payment = billpayPayment(order);
  const tea = lineOf(order, 'TEA-100');
  await ok(shop.admin.query(ADMIN.cancelOrder, { input: { orderId: order.id, lines: [{ orderLineId: tea.id, quantity: 3 }], reason: 'late', cancelShipping: true } }), 'cancelOrder');
  const amount = 3 * tea.proratedUnitPriceWithTax + order.shippingLines[0].discountedPriceWithTax;
  const r = await refund({ paymentId: payment.id, lines: [{ orderLineId: tea.id, quantity: 3 }], amount, shipping: 0, adjustment: 0, reason: 'late' });
  assert.equal(r.state, 'Settled', JSON.stringify(r));
  const { held } = await assertInSync(shop, order.id, { status: 'activated' });
  assert.equal(held.cart.shippingGross, 0, 'the cancelled shipping left the cart');
  assert.equal(held.cart.articles.find((a) => a.articleId === 'TEA-100').quantity, 4);
  order = await adminOrder(shop, order.id);
  assert.equal(order.state, 'PaymentSettled');
  assert.ok(discounted);
});

test('order modification: a lower amount is refunded through BillPay; a higher one is paid another way, BillPay keeps its amount', async () => {
  await fillCart(shop, { items: [['COFFEE-500', 2], ['CUP', 2]] });
  const paid = await pay(shop);
  let order = await settle(await adminOrder(shop, paid.id));
  const payment = billpayPayment(order);
  const coffee = lineOf(order, 'COFFEE-500');
  await ok(shop.admin.query(ADMIN.transitionOrder, { id: order.id, state: 'Modifying' }), 'transitionOrderToState');
  const lower = await ok(shop.admin.query(ADMIN.modifyOrder, { input: { dryRun: false, orderId: order.id, adjustOrderLines: [{ orderLineId: coffee.id, quantity: 1 }], refunds: [{ paymentId: payment.id, reason: 'one less' }] } }), 'modifyOrder');
  assert.equal(lower.totalWithTax, order.totalWithTax - coffee.proratedUnitPriceWithTax);
  await ok(shop.admin.query(ADMIN.transitionOrder, { id: order.id, state: 'PaymentSettled' }), 'transitionOrderToState');
  let synced = await assertInSync(shop, order.id, { status: 'activated' });
  assert.equal(synced.held.cart.articles.find((a) => a.articleId === 'COFFEE-500').quantity, 1);

  const held = synced.held.totalGross;
  // A higher total: Vendure asks for an additional payment, which BillPay does
  // not take (it pays whole orders); paid another way, BillPay's amount stays.
  const movements = synced.movements.length;
  await ok(shop.admin.query(ADMIN.transitionOrder, { id: order.id, state: 'Modifying' }), 'transitionOrderToState');
  await ok(shop.admin.query(ADMIN.modifyOrder, { input: { dryRun: false, orderId: order.id, adjustOrderLines: [{ orderLineId: coffee.id, quantity: 3 }] } }), 'modifyOrder');
  await ok(shop.admin.query(ADMIN.transitionOrder, { id: order.id, state: 'ArrangingAdditionalPayment' }), 'transitionOrderToState');
  const { addManualPaymentToOrder: extra } = await shop.admin.query(ADD_MANUAL_PAYMENT, { input: { orderId: order.id, method: 'bank-transfer', transactionId: 'extra-1', metadata: {} } });
  assert.equal(extra.errorCode, undefined, JSON.stringify(extra));
  await ok(shop.admin.query(ADMIN.transitionOrder, { id: order.id, state: 'PaymentSettled' }), 'transitionOrderToState');
  synced = await assertInSync(shop, order.id, { status: 'activated' });
  assert.equal(synced.movements.length, movements, 'nothing was sent to BillPay');
  assert.equal(synced.held.totalGross, held);

  // Shipped, then a cup refunded (refundOrder, which leaves Vendure's total as
  // it was): the order still goes into Modifying and out again.
  order = await adminOrder(shop, order.id);
  const fulfillment = await ok(shop.admin.query(ADMIN.addFulfillment, { input: { lines: order.lines.filter((l) => l.quantity > 0).map((l) => ({ orderLineId: l.id, quantity: l.quantity })), handler: { code: 'manual-fulfillment', arguments: [{ name: 'method', value: 'DHL' }, { name: 'trackingCode', value: '1' }] } } }), 'addFulfillmentToOrder');
  await ok(shop.admin.query(ADMIN.transitionFulfillment, { id: fulfillment.id, state: 'Shipped' }), 'transitionFulfillmentToState');
  const cup = lineOf(order, 'CUP');
  const returned = await refund({ paymentId: payment.id, lines: [{ orderLineId: cup.id, quantity: 1 }], amount: cup.proratedUnitPriceWithTax, shipping: 0, adjustment: 0, reason: 'broken' });
  assert.equal(returned.state, 'Settled', JSON.stringify(returned));
  await ok(shop.admin.query(ADMIN.transitionOrder, { id: order.id, state: 'Modifying' }), 'transitionOrderToState');
  await ok(shop.admin.query(ADMIN.transitionOrder, { id: order.id, state: 'Shipped' }), 'transitionOrderToState');
  await assertInSync(shop, order.id, { status: 'activated' });
});

const ADD_MANUAL_PAYMENT = gql`mutation ($input: ManualPaymentInput!) { addManualPaymentToOrder(input: $input) { ... on Order { id state } ... on ErrorResult { errorCode message } } }`;

test('order modification: another billing or delivery address is refused (BillPay decided for the checkout\'s); putting it back lets the order go on', async () => {
  await fillCart(shop, { items: [['COFFEE-500', 1], ['CUP', 1]] });
  const paid = await pay(shop);
  const order = await settle(await adminOrder(shop, paid.id));
  for (const [field, pattern] of [['updateShippingAddress', /BillPay.*delivery address given at checkout/], ['updateBillingAddress', /BillPay.*billing address given at checkout/]]) {
    await ok(shop.admin.query(ADMIN.transitionOrder, { id: order.id, state: 'Modifying' }), 'transitionOrderToState');
    await ok(shop.admin.query(ADMIN.modifyOrder, { input: { dryRun: false, orderId: order.id, [field]: { fullName: 'Max Mustermann', streetLine1: 'Am Ring 9', city: 'Bonn', postalCode: '53111', countryCode: 'DE' } } }), 'modifyOrder');
    const { transitionOrderToState: refused } = await shop.admin.query(ADMIN.transitionOrder, { id: order.id, state: 'PaymentSettled' });
    assert.equal(refused.errorCode, 'ORDER_STATE_TRANSITION_ERROR', JSON.stringify(refused));
    assert.match(refused.transitionError, pattern);
    const back = { fullName: 'Erika Mustermann', streetLine1: 'Heidestraße 17', city: 'Köln', postalCode: '51147', countryCode: 'DE' };
    await ok(shop.admin.query(ADMIN.modifyOrder, { input: { dryRun: false, orderId: order.id, [field]: back } }), 'modifyOrder');
    await ok(shop.admin.query(ADMIN.transitionOrder, { id: order.id, state: 'PaymentSettled' }), 'transitionOrderToState');
  }
  // A phone number is not part of BillPay's decision.
  await ok(shop.admin.query(ADMIN.transitionOrder, { id: order.id, state: 'Modifying' }), 'transitionOrderToState');
  await ok(shop.admin.query(ADMIN.modifyOrder, { input: { dryRun: false, orderId: order.id, updateShippingAddress: { phoneNumber: '+49 221 1234567' } } }), 'modifyOrder');
  await ok(shop.admin.query(ADMIN.transitionOrder, { id: order.id, state: 'PaymentSettled' }), 'transitionOrderToState');
  await assertInSync(shop, order.id, { status: 'activated' });
});

test('double click at checkout: two addPaymentToOrder at once send one preauthorization', async () => {
  await fillCart(shop, { items: [['TEA-100', 2]] });
  // BillPay takes its time (the eligibility check's moduleConfig and the
  // preauthorization), so that the second click arrives while the first is under way.
  await shop.sandbox.control('faults', { mode: 'delay', count: 3, delayMs: 1500 });
  const first = pay(shop);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const results = await Promise.all([first, pay(shop)]);
  const authorized = results.filter((result) => result.state === 'PaymentAuthorized');
  assert.equal(authorized.length, 1, JSON.stringify(results));
  const other = results.find((result) => result !== authorized[0]);
  assert.match(other.paymentErrorMessage ?? '', /already checking this order/, JSON.stringify(other));
  const { movements } = await ledger(shop, authorized[0].code);
  assert.equal(movements.filter((m) => m.kind === 'preauthorized').length, 1);
  await assertInSync(shop, authorized[0].id, { status: 'preauthorized' });
});

test('double click: two identical refunds at once credit once at BillPay and Vendure agrees', async () => {
  await fillCart(shop, { items: [['COFFEE-500', 2], ['TEA-100', 2]] });
  const paid = await pay(shop);
  const order = await settle(await adminOrder(shop, paid.id));
  const payment = billpayPayment(order);
  const tea = lineOf(order, 'TEA-100');
  const input = { paymentId: payment.id, lines: [{ orderLineId: tea.id, quantity: 2 }], amount: 2 * tea.proratedUnitPriceWithTax, shipping: 0, adjustment: 0, reason: 'twice' };
  const results = await Promise.allSettled([refund(input), refund(input)]);
  const settled = results.filter((r) => r.status === 'fulfilled' && r.value.state === 'Settled');
  assert.equal(settled.length, 1, JSON.stringify(results.map((r) => r.value ?? String(r.reason))));
  const { movements } = await assertInSync(shop, order.id, { status: 'activated' });
  assert.equal(movements.filter((m) => m.kind === 'cart_reduced').length, 1);
});

test('CHF channel with prices entered with tax (8.1 % / 2.6 %): authorize, settle, refund — to the cent', async () => {
  const chMethod = await (async () => {
    shop.admin.setChannelToken(channels.chToken);
    const created = await createBillPayMethod(shop, { code: 'billpay-ch' });
    shop.admin.setChannelToken(E2E_DEFAULT_CHANNEL_TOKEN);
    return created;
  })();
  assert.ok(chMethod.id);
  const address = { fullName: 'x', streetLine1: 'Bahnhofstrasse 1', city: 'Zürich', postalCode: '8001', countryCode: 'CH' };
  await fillCart(shop, { items: [['COFFEE-500', 3], ['CUP', 3], ['TEA-100', 7]], address, channel: channels.chToken, lastName: 'Muster', firstName: 'Hans' });
  const { eligiblePaymentMethods } = await shop.shop.query(SHOP.paymentMethods);
  assert.equal(eligiblePaymentMethods.find((m) => m.code === 'billpay-ch').isEligible, true);
  const paid = await pay(shop, { termsAccepted: true, birthday: '1970-01-01' }, 'billpay-ch');
  assert.equal(paid.state, 'PaymentAuthorized', JSON.stringify(paid));
  assert.equal(paid.currencyCode, 'CHF');
  shop.admin.setChannelToken(channels.chToken);
  try {
    let order = await adminOrder(shop, paid.id);
    const { held } = await assertInSync(shop, order.id, { status: 'preauthorized' });
    assert.equal(held.currency, 'CHF');
    const coffee = held.cart.articles.find((a) => a.articleId === 'COFFEE-500');
    assert.equal(coffee.unitGross, 899, 'the gross price as entered');
    assert.equal(coffee.unitNet, 876, '8.99 at 2.6 %');
    order = await settle(order);
    const payment = billpayPayment(order);
    const cups = lineOf(order, 'CUP');
    const r = await refund({ paymentId: payment.id, lines: [{ orderLineId: cups.id, quantity: 1 }], amount: cups.proratedUnitPriceWithTax, shipping: 0, adjustment: 0, reason: 'chipped' });
    assert.equal(r.state, 'Settled', JSON.stringify(r));
    await assertInSync(shop, order.id, { status: 'activated' });
  } finally {
    shop.admin.setChannelToken(E2E_DEFAULT_CHANNEL_TOKEN);
  }
});

test('free shipping: the cart carries no shipping, and the whole amount as one refund is a cancel', async () => {
  await fillCart(shop, { items: [['HAND-MILL-CERAMIC-BURR-XL', 1], ['COFFEE-500', 1]], shipping: 'Pickup' });
  const paid = await pay(shop);
  const order = await settle(await adminOrder(shop, paid.id));
  const { held } = await assertInSync(shop, order.id, { status: 'activated' });
  assert.equal(held.cart.shippingGross, 0);
  const payment = billpayPayment(order);
  const r = await refund({ paymentId: payment.id, amount: payment.amount, shipping: 0, adjustment: 0, reason: 'all' });
  assert.equal(r.state, 'Settled', JSON.stringify(r));
  assert.equal(r.metadata.billpay.action, 'cancel');
  await assertInSync(shop, order.id, { status: 'cancelled' });
});

test('the security key and its MD5 never appear in a log line', () => {
  const key = SANDBOX_CREDENTIALS.securityKey;
  const md5 = createHash('md5').update(key).digest('hex');
  assert.ok(shop.logLines.length > 0, 'the plug-in logged something');
  for (const line of shop.logLines) {
    assert.ok(!line.includes(key) && !line.includes(md5), line);
  }
});
