// A direct-debit purchase through the demo shop in real Chromium, against the
// real sandbox: the customer chooses Lastschrift and gives an IBAN (checked as
// typed by the storefront module), the shop server preauthorizes with
// paymenttype 2 and the account, and the invoice page shows BillPay's debit
// notice — no bank table, no IBAN to transfer to, no QR code — before and
// after the admin page activates the order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, startDemo, watch } from './chromium.mjs';

let browser;
let demo;
before(async () => {
  demo = await startDemo();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await demo?.close();
});

const billpayOrders = async () => (await demo.sandbox.control('orders')).orders.length;

async function invoice(page, id) {
  await page.goto(`${demo.base}/invoice.html?order=${id}`);
  await page.waitForSelector('#invoice[aria-busy=false]');
  const block = page.locator('billpay-payment-block section.billpay-payment');
  await block.waitFor();
  return block;
}

/** What a debit invoice must (not) show. */
async function assertDebitNotice(page, block, amount) {
  const text = await block.innerText();
  assert.match(text, /per Lastschrift mit BillPay/);
  assert.match(text, new RegExp(`Der Betrag von ${amount}\u00a0EUR wird in den nächsten Tagen von der BillPay GmbH von dem bei der Bestellung angegebenen Konto abgebucht`));
  assert.doesNotMatch(text, /IBAN|BIC|Verwendungszweck|überweisen/);
  assert.equal(await page.locator('billpay-payment-block table').count(), 0, 'no bank table');
  assert.equal(await page.locator('billpay-payment-block svg, #qr-bill svg').count(), 0, 'no code to scan');
  assert.equal(await page.locator('.billpay-payment__warning').count(), 0, 'nothing to warn about: no transfer');
  assert.doesNotMatch(await page.locator('#invoice').innerText(), /DE89|3704 ?0044/, "the customer's own IBAN is not printed");
}

test('direct-debit checkout → invoice with the debit notice; activation keeps it', async () => {
  const page = await browser.newPage();
  const problems = watch(page);
  await page.goto(`${demo.base}/checkout.html`);
  await page.locator('#notice a').first().waitFor();
  const debitFields = page.locator('#debit');
  assert.equal(await debitFields.isHidden(), true, 'the debit fields appear only for direct debit');

  // Direct debit is a SEPA debit in EUR for customers in DE and AT: not for a Swiss address.
  await page.selectOption('select[name=country]', 'CH');
  assert.equal(await page.locator('input[name=paymentType][value=directDebit]').isDisabled(), true);
  assert.match(await page.locator('#catalog').innerText(), /26\.90 CHF/);
  await page.selectOption('select[name=country]', 'DE');
  await page.check('input[name=paymentType][value=directDebit]');
  await debitFields.waitFor();
  // BillPay's consent notice stays.
  assert.match(await page.locator('#notice').innerText(), /BillPay GmbH/);

  // A mistyped IBAN is caught in the page; nothing is sent.
  const count = await billpayOrders();
  await page.fill('input[name=iban]', 'DE89 3704 0044 0532 0130 01');
  await page.check('input[name=consent]');
  await page.click('button[type=submit]');
  const message = await page.locator('input[name=iban]').evaluate((el) => el.validationMessage);
  assert.match(message, /check digits do not match/i);
  assert.match(page.url(), /checkout\.html/);
  assert.equal(await billpayOrders(), count);

  await page.fill('input[name=accountHolder]', 'Erika Mustermann');
  await page.fill('input[name=iban]', 'de89 3704 0044 0532 0130 00');
  await page.click('button[type=submit]');
  await page.waitForURL(/invoice\.html\?order=/);
  const id = new URL(page.url()).searchParams.get('order');

  // BillPay has the order as a debit from the customer's account.
  const remote = await demo.sandbox.order(id);
  assert.equal(remote.order.paymentType, 'directDebit');
  assert.deepEqual(remote.order.debitAccount, { accountHolder: 'Erika Mustermann', accountNumber: 'DE89370400440532013000', sortCode: '' });
  assert.equal(remote.order.totalGross, 11370);

  await assertDebitNotice(page, await invoice(page, id), '113,70');

  // The admin activates it (through the relay); the invoice stays a debit notice.
  await page.goto(`${demo.base}/admin.html?order=${id}`);
  await page.locator('billpay-order-panel section').waitFor();
  await page.click('[data-action=activate]');
  await page.locator('[data-action=confirm]').click();
  await page.locator('billpay-order-panel .billpay-panel__done').waitFor();
  await page.waitForFunction(() => Number(document.body.dataset.saved ?? 0) >= 1);
  assert.equal((await demo.sandbox.order(id)).order.status, 'activated');
  await assertDebitNotice(page, await invoice(page, id), '113,70');

  // The order list names the method.
  await page.goto(`${demo.base}/`);
  const row = page.locator('#shop-orders tr', { hasText: `#${id}` });
  assert.match(await row.innerText(), /direct debit\s+113\.70 EUR\s+activated, debit from \d{4}-\d{2}-\d{2}/);
  assert.deepEqual(problems, []);
  await page.close();
});

test("BillPay's refusal is shown with its customer message and the checkout can be corrected", async () => {
  const page = await browser.newPage();
  const problems = watch(page);
  await page.goto(`${demo.base}/checkout.html`);
  await page.locator('#notice a').first().waitFor();
  await page.selectOption('select[name=country]', 'AT');
  await page.check('input[name=paymentType][value=directDebit]');
  await page.fill('input[name=iban]', 'AT61 1904 3002 3457 3201');
  await page.check('input[name=consent]');
  // An Austrian IBAN needs its BIC (BillPay's module asked for it): the core says so.
  await page.click('button[type=submit]');
  await page.locator('#error:not(:empty)').waitFor();
  // The field by its name on this German page, then the core's words.
  assert.match(await page.locator('#error').innerText(), /^Bitte prüfen Sie: BIC \(debitAccount\.bic: .*BIC/);
  await page.fill('input[name=bic]', 'BKAUATWW');
  await page.click('button[type=submit]');
  await page.waitForURL(/invoice\.html\?order=/);
  const id = new URL(page.url()).searchParams.get('order');
  assert.deepEqual((await demo.sandbox.order(id)).order.debitAccount, { accountHolder: 'Erika Mustermann', accountNumber: 'AT611904300234573201', sortCode: 'BKAUATWW' });
  await assertDebitNotice(page, await invoice(page, id), '113,70');
  // A customer BillPay denies gets BillPay's customer message, not the merchant's.
  await page.goto(`${demo.base}/checkout.html`);
  await page.locator('#notice a').first().waitFor();
  await page.fill('input[name=lastName]', 'Denied');
  await page.check('input[name=paymentType][value=directDebit]');
  await page.fill('input[name=iban]', 'DE89 3704 0044 0532 0130 00');
  await page.check('input[name=consent]');
  await page.click('button[type=submit]');
  await page.locator('#error:not(:empty)').waitFor();
  const shown = await page.locator('#error').innerText();
  const denied = await (await fetch(`${demo.sandbox.base}/control/orders`)).json();
  assert.equal(shown, 'Unfortunately, payment by direct debit is not available for this order. Please choose another payment method.');
  assert.equal(denied.orders.filter((o) => o.customer.lastName === 'Denied').length, 0, 'a denied purchase keeps no order');
  assert.deepEqual(problems.filter((p) => !p.includes('422')), []);
  await page.close();
});
