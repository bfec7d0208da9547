// BillPayClient against the real sandbox over HTTP: every operation, every
// fault mode, https enforcement — and no order is ever credited twice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BillPayClient, planReturn, planDiscount, orderStatus, BillPayError, renderPaymentBlock, swissQrPayload } from 'billpay-wasm/node';
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
  // Businesses and direct debit with their own permissions and limits (SEPA debits: euros only).
  assert.equal(config.invoiceBusinessAllowed, true);
  assert.equal(config.directDebitAllowed, true);
  assert.ok(config.invoiceBusinessMax && config.directDebitMax, JSON.stringify(config));
  const swiss = await client.moduleConfig({ country: 'CH', currency: 'CHF' });
  assert.deepEqual([swiss.invoiceAllowed, swiss.invoiceBusinessAllowed, swiss.directDebitAllowed], [true, true, false]);
  const { result } = await placeOrder(client, nextReference());
  assert.equal(result.status, 'APPROVED');
  assert.equal(result.paymentType, 'invoice');
  assert.match(result.bptid, /^[0-9a-f-]{36}$/);
  assert.equal(result.bankAccount.activated, false);
  assert.equal(result.bankAccount.dueDate, undefined);
  assert.match(result.bankAccount.invoiceReference, /^BPT.*\/4441$/);
});

test('a preauthorization with a notify URL (async_capture_request, as BillPay\'s library writes it) is accepted by the sandbox', async () => {
  const reference = nextReference();
  const result = await client.preauthorize({ reference, currency: 'EUR', customer: CUSTOMER, cart: CART, notifyUrl: 'https://shop.example/billpay/notify?token=s3cr3t', redirectUrl: 'https://shop.example/back' });
  // The sandbox decides at once; BillPay may answer PRE_APPROVED and post its decision later.
  assert.equal(result.status, 'APPROVED');
  assert.match(result.bankAccount.invoiceReference, new RegExp(`^BP${reference}/4441$`));
  await assert.rejects(client.preauthorize({ reference: nextReference(), currency: 'EUR', customer: CUSTOMER, cart: CART, notifyUrl: 'http://shop.example/notify' }), { code: 'INSECURE_ENDPOINT', path: 'notifyUrl' });
});

test('a customer who did not tick the consent is refused before BillPay is asked; one who did is preauthorized', async () => {
  const reference = nextReference();
  await assert.rejects(client.preauthorize({ reference, currency: 'EUR', customer: CUSTOMER, cart: CART, termsAccepted: false }), {
    name: 'BillPayError', code: 'INVALID_INPUT', path: 'termsAccepted', message: /terms and privacy notice/,
  });
  // Nothing reached the sandbox: the order number is still free.
  await assert.rejects(client.bankData(reference), { code: 'API_ERROR' });
  const result = await client.preauthorize({ reference, currency: 'EUR', customer: CUSTOMER, cart: CART, termsAccepted: true });
  assert.equal(result.status, 'APPROVED');
});

test('a business customer is preauthorized with its company (company_details), which the sandbox takes', async () => {
  const company = { name: 'Muster & Söhne GmbH', legalForm: 'gmbh', registerNumber: 'HRB 12345', taxNumber: 'DE123456789' };
  const result = await client.preauthorize({ reference: nextReference(), currency: 'EUR', customer: { ...CUSTOMER, company }, cart: CART, termsAccepted: true });
  assert.equal(result.status, 'APPROVED');
  await assert.rejects(client.preauthorize({ reference: nextReference(), currency: 'EUR', customer: { ...CUSTOMER, group: 'private', company }, cart: CART }), {
    code: 'INVALID_INPUT', path: 'customer.company',
  });
  await assert.rejects(client.preauthorize({ reference: nextReference(), currency: 'EUR', customer: { ...CUSTOMER, company: { ...company, legalForm: 'GmbH' } }, cart: CART }), {
    code: 'INVALID_INPUT', path: 'customer.company.legalForm', message: /legalForm is one of BillPay's codes \(ag, .*\), got "GmbH"$/,
  });
});

const DEBIT_ACCOUNT = { accountHolder: 'Erika Mustermann', iban: 'de89 3704 0044 0532 0130 00', bic: 'cobadeffxxx' };

test('direct debit: preauthorized with the customer account, no transfer account, activated, the debit notice', async () => {
  const reference = nextReference();
  const result = await client.preauthorize({ reference, currency: 'EUR', customer: CUSTOMER, cart: CART, paymentType: 'directDebit', debitAccount: DEBIT_ACCOUNT });
  assert.equal(result.status, 'APPROVED');
  assert.equal(result.paymentType, 'directDebit');
  assert.equal('bankAccount' in result, false, 'nothing for the customer to transfer to');
  // BillPay got the account as its clients sent it (IBAN and BIC in electronic form).
  const { order } = await sandbox.order(reference);
  assert.equal(order.paymentType, 'directDebit');
  assert.deepEqual(order.debitAccount, { accountHolder: 'Erika Mustermann', accountNumber: 'DE89370400440532013000', sortCode: 'COBADEFFXXX' });
  assert.equal(order.totalGross, 11370);
  // Activation gives the debit's due date; the block prints the debit notice and no bank table.
  const account = await client.activate({ reference, amount: '113.70', currency: 'EUR' });
  assert.equal(account.activated, true);
  assert.equal(account.dueDate, '2026-12-26');
  const block = { method: result.paymentType, amount: '113.70', currency: 'EUR', bankAccount: account, customerCountry: 'DE' };
  const html = renderPaymentBlock(block, { locale: 'de' });
  assert.match(html, /Lastschrift/);
  assert.doesNotMatch(html, /<table|<svg|DE\d\d \d{4}/);
  assert.match(renderPaymentBlock({ method: 'directDebit', amount: '113.70', currency: 'EUR' }, { locale: 'en', format: 'text' }), /will debit EUR\u00a0113\.70/);
  await client.cancel({ reference, amount: '113.70', currency: 'EUR' });
  assert.equal((await sandbox.order(reference)).order.status, 'cancelled');
});

test('direct debit: an Austrian account with its BIC; the BIC may be left out for a German one', async () => {
  const austrian = { ...CUSTOMER, street: 'Mariahilfer Straße', zip: '1060', city: 'Wien', country: 'AT' };
  const reference = nextReference();
  const result = await client.preauthorize({ reference, currency: 'EUR', customer: austrian, cart: CART, paymentType: 'directDebit', debitAccount: { accountHolder: 'Anna Huber', iban: 'AT61 1904 3002 3457 3201', bic: 'BKAUATWW' } });
  assert.equal(result.paymentType, 'directDebit');
  assert.deepEqual((await sandbox.order(reference)).order.debitAccount, { accountHolder: 'Anna Huber', accountNumber: 'AT611904300234573201', sortCode: 'BKAUATWW' });
  const german = nextReference();
  await client.preauthorize({ reference: german, currency: 'EUR', customer: CUSTOMER, cart: CART, paymentType: 'directDebit', debitAccount: { accountHolder: 'Erika Mustermann', iban: 'DE89370400440532013000' } });
  assert.equal((await sandbox.order(german)).order.debitAccount.sortCode, '');
});

test('direct debit: what cannot be a SEPA debit is refused before anything reaches BillPay', async () => {
  const before = (await sandbox.control('orders')).orders.length;
  const base = { reference: nextReference(), currency: 'EUR', customer: CUSTOMER, cart: CART, paymentType: 'directDebit', debitAccount: DEBIT_ACCOUNT };
  const cases = [
    [{ debitAccount: undefined }, 'MISSING_FIELD', 'debitAccount'],
    [{ paymentType: 'paylater' }, 'UNSUPPORTED_METHOD', 'paymentType'],
    [{ paymentType: 'invoice' }, 'INVALID_INPUT', 'debitAccount'],
    [{ currency: 'CHF' }, 'UNSUPPORTED_CURRENCY', 'currency'],
    [{ customer: { ...CUSTOMER, country: 'CH' } }, 'UNSUPPORTED_COUNTRY', 'customer.country'],
    [{ debitAccount: { ...DEBIT_ACCOUNT, iban: 'DE89 3704 0044 0532 0130 01' } }, 'IBAN_CHECKSUM_MISMATCH', 'debitAccount.iban'],
    [{ debitAccount: { ...DEBIT_ACCOUNT, iban: 'DE01 3704 0044 0532 0130 00' } }, 'IBAN_INVALID_CHECK_DIGITS', 'debitAccount.iban'],
    [{ debitAccount: { ...DEBIT_ACCOUNT, bic: 'COBA DE' } }, 'BIC_INVALID', 'debitAccount.bic'],
    [{ debitAccount: { ...DEBIT_ACCOUNT, accountHolder: '' } }, 'INVALID_TEXT', 'debitAccount.accountHolder'],
    [{ debitAccount: { ...DEBIT_ACCOUNT, iban: 'AT611904300234573201', bic: undefined } }, 'MISSING_FIELD', 'debitAccount.bic'],
    [{ debitAccount: { ...DEBIT_ACCOUNT, number: '123' } }, 'UNKNOWN_FIELD', 'debitAccount.number'],
  ];
  for (const [change, code, path] of cases) {
    const request = JSON.parse(JSON.stringify({ ...base, ...change }));
    await assert.rejects(client.preauthorize(request), (error) => {
      assert.ok(error instanceof BillPayError, code);
      assert.deepEqual([error.code, error.path], [code, path], error.message);
      return true;
    });
  }
  assert.equal((await sandbox.control('orders')).orders.length, before, 'nothing was sent');
});

test("direct debit: BillPay's refusal of a customer is a PREAUTHORIZATION_DENIED", async () => {
  await assert.rejects(
    client.preauthorize({ reference: nextReference(), currency: 'EUR', customer: { ...CUSTOMER, lastName: 'Denied' }, cart: CART, paymentType: 'directDebit', debitAccount: DEBIT_ACCOUNT }),
    { code: 'PREAUTHORIZATION_DENIED' },
  );
});

test('invoice in CHF: a Swiss account for the Swiss QR-bill', async () => {
  const swiss = { ...CUSTOMER, street: 'Rue du Marché', streetNo: '12', zip: '1204', city: 'Genève', country: 'CH', language: 'fr' };
  const reference = nextReference();
  const result = await client.preauthorize({ reference, currency: 'CHF', customer: swiss, cart: CART });
  assert.equal(result.paymentType, 'invoice');
  assert.match(result.bankAccount.iban, /^CH\d{2}09000\d{12}$/);
  const payload = swissQrPayload({ method: 'invoice', amount: '113.70', currency: 'CHF', bankAccount: result.bankAccount, customerCountry: 'CH' });
  assert.ok(payload.startsWith(`SPC\n0200\n1\n${result.bankAccount.iban}\n`), payload);
  assert.ok(payload.includes('\nCHF\n') && payload.includes(`BP${reference}/4441`), payload);
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

test('two-step direct debit: the capture resolves to nothing (no account to transfer to), the order is BillPay\'s', async () => {
  const result = await client.preauthorize({ reference: '', currency: 'EUR', customer: CUSTOMER, cart: CART, autoCapture: false, paymentType: 'directDebit', debitAccount: DEBIT_ACCOUNT });
  assert.equal(result.paymentType, 'directDebit');
  const reference = nextReference();
  // BillPay answers a debit's capture without bank data; taken for an invoice it is no usable answer.
  assert.equal(await client.capture({ bptid: result.bptid, reference, amount: '113.70', currency: 'EUR', paymentType: 'directDebit' }), undefined);
  const { order } = await sandbox.order(reference);
  assert.equal(order.paymentType, 'directDebit');
  assert.equal(order.totalGross, 11370);
  await client.updateOrder({ bptid: result.bptid, reference });
  const account = await client.activate({ reference, amount: '113.70', currency: 'EUR' });
  assert.equal(account.activated, true);
  // Captured as an invoice, the same answer (no bank data) is refused, and says the order exists.
  const debit = await client.preauthorize({ reference: '', currency: 'EUR', customer: CUSTOMER, cart: CART, autoCapture: false, paymentType: 'directDebit', debitAccount: DEBIT_ACCOUNT });
  await assert.rejects(client.capture({ bptid: debit.bptid, reference: nextReference(), amount: '113.70', currency: 'EUR' }), { code: 'INVALID_RESPONSE', retryable: false, message: /no bank data; do not send it again/ });
  await assert.rejects(client.capture({ bptid: debit.bptid, reference: nextReference(), amount: '113.70', currency: 'EUR', paymentType: 'paylater' }), { code: 'UNSUPPORTED_METHOD', path: 'paymentType' });
});

test('auto-capture before the order number: no made-up reference; updateOrder, then bankData has it', async () => {
  const result = await client.preauthorize({ reference: '', currency: 'EUR', customer: CUSTOMER, cart: CART });
  assert.equal(result.status, 'APPROVED');
  // Not "BP/4441": without an order number there is nothing to quote yet.
  assert.equal(result.bankAccount, undefined);
  const reference = nextReference();
  await client.updateOrder({ bptid: result.bptid, reference });
  const bank = await client.bankData(reference);
  assert.equal(bank.invoiceReference, `BP${reference}/4441`);
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
  // With `today`, like planReturn: past its two months a preauthorized order is not planned.
  assert.deepEqual(planDiscount(order, '10.00', { today: order.createdAt }), plan);
  const expired = { ...order, createdAt: '2026-01-02' };
  assert.throws(() => planDiscount(expired, '10.00', { today: '2026-03-10' }), { code: 'ORDER_EXPIRED' });
  assert.throws(() => planReturn(expired, [{ articleId: 'mill', quantity: 1 }], { today: '2026-03-10' }), { code: 'ORDER_EXPIRED' });
  assert.throws(() => planDiscount(order, '10.00', { today: '3.3.2026' }), { code: 'INVALID_DATE', path: 'options.today' });
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

test('a prorated rebate shrinks with the returned articles and BillPay takes the edit', async () => {
  // 2 × 24.90 + 59.00 + 4.90 shipping, a 10.80 coupon: returning the mill
  // (59.00 of 108.80) leaves 10.80 × 49.80 / 108.80 = 4.94 of it.
  const reference = nextReference();
  const cart = { ...CART, rebate: { net: '9.08', gross: '10.80' } };
  let { order } = await placeOrder(client, reference, cart);
  const kept = planReturn(order, [{ articleId: 'mill', quantity: 1 }]);
  assert.equal(kept.cart.rebate.gross, '10.80');
  const plan = planReturn(order, [{ articleId: 'mill', quantity: 1 }], { rebate: 'prorate' });
  assert.deepEqual([plan.action, plan.cart.rebate.gross, plan.after, plan.credit], ['editCartContent', '4.94', '49.76', '53.14']);
  assert.throws(() => planReturn(order, [{ articleId: 'mill', quantity: 1 }], { rebate: 'share' }), { code: 'INVALID_OPTION', path: 'options.rebate' });
  order = await client.apply(order, plan);
  assert.equal((await sandbox.order(reference)).order.totalGross, 4976);
});

test('a stale plan is refused before anything is sent', async () => {
  const reference = nextReference();
  const { order } = await placeOrder(client, reference);
  const plan = planReturn(order, [{ articleId: 'mill', quantity: 1 }]);
  const changed = await client.apply(order, plan);
  await assert.rejects(client.apply(changed, plan), { code: 'STALE_PLAN' });
  assert.equal(kinds((await sandbox.order(reference)).movements, 'cart_reduced'), 1);
});

test('activating an order BillPay refuses to activate is an error, never a success', async () => {
  const reference = nextReference();
  const { order } = await placeOrder(client, reference);
  const account = await client.activate({ reference, amount: '113.70', currency: 'EUR' });
  // Again, and with another amount: activated before, so ALREADY_ACTIVATED with BillPay's words.
  for (const amount of ['113.70', '1.00']) {
    await assert.rejects(client.activate({ reference, amount, currency: 'EUR' }), (error) => {
      assert.ok(error instanceof BillPayError);
      assert.equal(error.code, 'ALREADY_ACTIVATED');
      assert.equal(typeof error.apiCode, 'number');
      assert.ok(error.merchantMessage);
      assert.match(error.message, new RegExp(`due ${account.dueDate}`));
      return true;
    });
  }
  // Cancelled: activating it is refused too.
  await client.apply({ ...order, status: 'activated', bankAccount: account }, planReturn(order, [{ articleId: 'espresso', quantity: 2 }, { articleId: 'mill', quantity: 1 }]));
  assert.equal((await sandbox.order(reference)).order.status, 'cancelled');
  await assert.rejects(client.activate({ reference, amount: '113.70', currency: 'EUR' }), { code: 'ALREADY_ACTIVATED' });
  // Never activated and cancelled: BillPay's refusal as it is.
  const other = nextReference();
  await placeOrder(client, other);
  await client.cancel({ reference: other, amount: '113.70', currency: 'EUR' });
  await assert.rejects(client.activate({ reference: other, amount: '113.70', currency: 'EUR' }), { code: 'API_ERROR' });
  assert.equal(kinds((await sandbox.order(reference)).movements, 'activated'), 1);
});

test('a plan made by hand: a total of 0 is a cancel, figures that do not add up are refused', async () => {
  const reference = nextReference();
  const { order } = await placeOrder(client, reference);
  const whole = { ...CART, rebate: { net: '95.54', gross: '113.70' } };
  await assert.rejects(client.editCart({ reference, currency: 'EUR', cart: whole }), { code: 'EMPTY_CART' });
  const wrong = { action: 'editCartContent', cart: planReturn(order, [{ articleId: 'mill', quantity: 1 }]).cart, before: '113.70', after: '1.00', credit: '112.70' };
  await assert.rejects(client.apply(order, wrong), { code: 'STALE_PLAN' });
  const same = { action: 'editCartContent', cart: CART, before: '113.70', after: '113.70', credit: '0.00' };
  await assert.rejects(client.apply(order, same), { code: 'NOTHING_TO_CREDIT' });
  assert.equal(kinds((await sandbox.order(reference)).movements, 'cart_reduced'), 0);
  const zero = { action: 'editCartContent', cart: whole, before: '113.70', after: '0.00', credit: '113.70' };
  const after = await client.apply(order, zero);
  assert.equal(after.status, 'cancelled');
  assert.equal((await sandbox.order(reference)).order.status, 'cancelled');
});

test('an order with nothing to pay is refused before anything is sent', async () => {
  const free = { ...CART, rebate: { net: '95.54', gross: '113.70' } };
  await assert.rejects(client.preauthorize({ reference: nextReference(), currency: 'EUR', customer: CUSTOMER, cart: free }), { code: 'EMPTY_CART', path: 'cart' });
  const order = { reference: nextReference(), currency: 'EUR', cart: free, status: 'activated', createdAt: '2026-11-20' };
  assert.throws(() => orderStatus(order, '2026-11-26'), { code: 'EMPTY_CART', path: 'order.cart' });
  assert.throws(() => planReturn(order, [{ articleId: 'mill', quantity: 1 }]), { code: 'EMPTY_CART', path: 'order.cart' });
});

test('a return of a free article is sent, though it credits nothing', async () => {
  const reference = nextReference();
  const gift = { articleId: 'sample', name: 'Sample pack', quantity: 1, unitNet: '0.00', unitGross: '0.00' };
  const { order } = await placeOrder(client, reference, { ...CART, articles: [...CART.articles, gift] });
  assert.ok(JSON.stringify(await sandbox.order(reference)).includes('"sample"'), 'BillPay has the sample on its cart');
  const plan = planReturn(order, [{ articleId: 'sample', quantity: 1 }]);
  assert.deepEqual([plan.action, plan.credit, plan.cart.articles.length], ['editCartContent', '0.00', 2]);
  const after = await client.apply(order, plan);
  assert.deepEqual(after.cart, plan.cart);
  const remote = await sandbox.order(reference);
  assert.equal(remote.order.totalGross, 11370);
  assert.ok(!JSON.stringify(remote).includes('"sample"'), JSON.stringify(remote).slice(0, 600));
});

test('a plan made by hand may not raise the net total either (a rebate whose net part shrinks)', async () => {
  const reference = nextReference();
  const rebated = { ...CART, rebate: { net: '4.20', gross: '5.00' } };
  const { order } = await placeOrder(client, reference, rebated);
  const cart = { ...rebated, rebate: { net: '0.01', gross: '5.01' } };
  const plan = { action: 'editCartContent', cart, before: '108.70', after: '108.69', credit: '0.01' };
  await assert.rejects(client.apply(order, plan), { code: 'CART_INCREASE', path: 'plan.cart.rebate', message: 'plan.cart.rebate: the new net total is above the current one' });
  // The error names the field inside the plan's cart.
  const [espresso, mill] = CART.articles;
  const added = { ...CART, articles: [{ ...espresso, quantity: 1 }, mill, { articleId: 'filter', name: 'Filter', quantity: 1, unitNet: '0.84', unitGross: '1.00' }] };
  await assert.rejects(client.apply(order, { ...plan, cart: { ...added, rebate: rebated.rebate }, after: '84.80', credit: '23.90' }), { code: 'CART_INCREASE', path: 'plan.cart.articles[2]' });
  const shipping = { ...rebated, articles: [espresso], shipping: { name: 'DHL', net: '4.96', gross: '5.90' } };
  await assert.rejects(client.apply(order, { ...plan, cart: shipping, after: '50.70', credit: '58.00' }), { code: 'CART_INCREASE', path: 'plan.cart.shipping' });
  assert.equal(kinds((await sandbox.order(reference)).movements, 'cart_reduced'), 0);
  // Both parts of the rebate up: a credit of one cent.
  const fair = { ...plan, cart: { ...rebated, rebate: { net: '4.21', gross: '5.01' } } };
  await client.apply(order, fair);
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
  await assert.rejects(client.preauthorize({ reference, currency: 'EUR', customer: CUSTOMER, cart: CART }), { code: 'NETWORK_ERROR', retryable: false });
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
  // A delay of NaN (JSON's null) is refused, not taken for no delay.
  await assert.rejects(client.activate({ reference, amount: '113.70', currency: 'EUR', delayDays: NaN }), { code: 'INVALID_TYPE', path: 'delayDays' });
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
  // All three, none, or the merchant id alone (a relay's client); a portal id or key without the rest is a mistake.
  assert.ok(new BillPayClient({ endpoint: 'https://shop.example/billpay', merchantId: 1 }));
  assert.throws(() => new BillPayClient({ endpoint: 'https://api.billpay.de/xml', merchantId: 1, portalId: 2 }), { code: 'MISSING_CREDENTIALS' });
  assert.throws(() => new BillPayClient({ endpoint: 'https://api.billpay.de/xml', securityKey: 'k' }), { code: 'MISSING_CREDENTIALS' });
  assert.ok(new BillPayClient({ endpoint: 'https://api.billpay.de/xml/', ...CREDENTIALS }));
  // NaN and Infinity, which JSON would carry as null ("left out"), are refused.
  for (const [field, value] of [['timeoutMs', NaN], ['retries', Infinity], ['merchantId', NaN], ['timeoutMs', new Number(NaN)], ['retries', { toJSON: () => Infinity }]]) {
    assert.throws(() => new BillPayClient({ endpoint: 'https://api.billpay.de/xml', ...CREDENTIALS, [field]: value }), { code: 'INVALID_TYPE', path: `config.${field}` });
  }
  const c = new BillPayClient({ endpoint: 'https://shop.example/billpay', ...CREDENTIALS });
  assert.doesNotMatch(JSON.stringify(c) + Object.keys(c).join(), /12345678|securityKey/);
});

test('wrong credentials are an API error with the merchant message', async () => {
  const wrong = new BillPayClient({ endpoint: sandbox.endpoint, merchantId: 4441, portalId: 6021, securityKey: 'wrong' });
  await assert.rejects(wrong.bankData('1001'), (error) => error.code === 'API_ERROR' && error.merchantMessage.length > 0);
});
