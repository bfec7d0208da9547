// End to end on the demo shop in Chromium: checkout → admin activates → the
// storefront shows the due date; returns and a discount lower the amounts
// everywhere; the last return cancels; BillPay's 105 is shown; a double click
// sends one request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BillPayClient } from 'billpay-wasm/node';
import { launch, startDemo, watch } from './chromium.mjs';
import { CREDENTIALS } from '../js/sandbox.mjs';

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

const kinds = (movements, kind) => movements.filter((m) => m.kind === kind).length;

async function openAdmin(page, id) {
  await page.goto(`${demo.base}/admin.html?order=${id}`);
  await page.locator('billpay-order-panel section').waitFor();
}

async function confirm(page) {
  await page.locator('[data-action=confirm]').click();
  await page.locator('billpay-order-panel .billpay-panel__done, billpay-order-panel .billpay-panel__error').waitFor();
}

async function saved(page, count) {
  await page.waitForFunction((n) => Number(document.body.dataset.saved ?? 0) >= n, count);
}

async function invoiceText(page, id) {
  await page.goto(`${demo.base}/invoice.html?order=${id}`);
  await page.waitForSelector('#invoice[aria-busy=false]');
  await page.waitForFunction(() => document.querySelector('billpay-payment-block section') || document.querySelector('.invoice__cancelled'));
  return page.locator('#invoice').innerText();
}

test('checkout → activate → returns → cancel, and the invoice follows', async () => {
  const page = await browser.newPage();
  const problems = watch(page);
  await page.goto(`${demo.base}/checkout.html`);
  await page.locator('#notice a').first().waitFor();
  assert.match(await page.locator('#notice').innerText(), /BillPay GmbH/);
  await page.check('input[name=consent]');
  await page.click('button[type=submit]');
  await page.waitForURL(/invoice\.html\?order=/);
  const id = new URL(page.url()).searchParams.get('order');
  let text = await invoiceText(page, id);
  assert.match(text, /noch nicht aktiviert/);
  assert.match(text, /113,70\u00a0EUR/);
  assert.doesNotMatch(text, /Zahlungsziel/);

  await openAdmin(page, id);
  await page.click('[data-action=activate]');
  await confirm(page);
  await saved(page, 1);
  assert.match(await page.locator('.billpay-panel__status').innerText(), /Aktiviert/);
  text = await invoiceText(page, id);
  assert.match(text, /Zahlungsziel/);
  assert.doesNotMatch(text, /noch nicht aktiviert/);

  await openAdmin(page, id);
  await page.click('[data-action=returns]');
  await page.fill('input[name="qty-espresso-1kg"]', '1');
  await page.click('.billpay-panel__form button[type=submit]');
  assert.match(await page.locator('.billpay-panel__preview').innerText(), /113,70\u00a0EUR[\s\S]*88,80\u00a0EUR[\s\S]*24,90\u00a0EUR/);
  await confirm(page);
  await saved(page, 1);
  assert.match(await page.locator('.billpay-panel__summary').innerText(), /88,80\u00a0EUR/);
  // The outcome follows the panel's language, like the rest of it.
  assert.equal(await page.locator('.billpay-panel__done').innerText(), 'Gutgeschrieben. 24,90\u00a0EUR');
  await page.locator('billpay-order-panel').evaluate((panel) => panel.setAttribute('locale', 'en'));
  assert.equal(await page.locator('.billpay-panel__done').innerText(), 'Credited. EUR\u00a024.90');
  await page.locator('billpay-order-panel').evaluate((panel) => panel.setAttribute('locale', 'de'));
  const remote = await demo.sandbox.order(id);
  assert.equal(remote.order.totalGross, 8880);
  text = await invoiceText(page, id);
  assert.match(text, /88,80\u00a0EUR/);
  assert.doesNotMatch(text, /113,70/);

  await openAdmin(page, id);
  await page.click('[data-action=returns]');
  await page.fill('input[name="qty-espresso-1kg"]', '1');
  await page.fill('input[name="qty-mill"]', '1');
  await page.click('.billpay-panel__form button[type=submit]');
  assert.match(await page.locator('.billpay-panel__confirm').innerText(), /vollständig storniert/);
  await confirm(page);
  await saved(page, 1);
  assert.match(await page.locator('.billpay-panel__status').innerText(), /Storniert/);
  const after = await demo.sandbox.order(id);
  assert.equal(after.order.status, 'cancelled');
  assert.equal(kinds(after.movements, 'cancelled'), 1);
  assert.equal(kinds(after.movements, 'cart_reduced'), 1);
  assert.match(await invoiceText(page, id), /storniert/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a discount lowers the total at BillPay and on the invoice', async () => {
  const page = await browser.newPage();
  await openAdmin(page, '5002');
  await page.click('[data-action=discount]');
  await page.fill('input[name=discount]', '7,35');
  await page.click('.billpay-panel__form button[type=submit]');
  assert.match(await page.locator('.billpay-panel__preview').innerText(), /57,35\u00a0EUR[\s\S]*50,00\u00a0EUR[\s\S]*7,35\u00a0EUR/);
  await confirm(page);
  await saved(page, 1);
  assert.equal((await demo.sandbox.order('5002')).order.totalGross, 5000);
  const text = await invoiceText(page, '5002');
  assert.match(text, /Nachlass/);
  assert.match(text, /50,00\u00a0EUR/);
  await page.close();
});

test("the panel shows BillPay's refusal (105) with the merchant message", async () => {
  // BillPay's back-office already reduced order 5003 (the shop does not know):
  // the shop's plan now starts from a higher total than BillPay's.
  const direct = new BillPayClient({ endpoint: demo.sandbox.endpoint, ...CREDENTIALS });
  const order = (await (await fetch(`${demo.base}/api/orders/5003`)).json()).billpay;
  const lowered = structuredClone(order.cart);
  lowered.shipping = { name: 'DHL Paket', net: '0.00', gross: '0.00' };
  await direct.editCart({ reference: '5003', currency: 'EUR', cart: lowered });
  const page = await browser.newPage();
  await openAdmin(page, '5003');
  await page.click('[data-action=discount]');
  await page.fill('input[name=discount]', '1.00');
  await page.click('.billpay-panel__form button[type=submit]');
  const error = page.waitForEvent('console', (m) => m.text().includes('BillPay:'));
  await confirm(page);
  await error;
  const text = await page.locator('.billpay-panel__error').innerText();
  assert.match(text, /105/);
  assert.match(text, /Händlermeldung: \S/);
  assert.equal((await demo.sandbox.order('5003')).order.totalGross, 2490, 'BillPay kept its cart');
  await page.close();
});

test('double-clicking Activate sends one request', async () => {
  const page = await browser.newPage();
  const requests = [];
  page.on('request', (request) => {
    if (request.url().includes('/billpay/invoiceCreated')) requests.push(request.url());
  });
  // A slow BillPay makes the busy state visible.
  await demo.sandbox.control('faults', { mode: 'delay', count: 1, delayMs: 600 });
  await openAdmin(page, '5002');
  await page.click('[data-action=activate]');
  await page.locator('[data-action=confirm]').dblclick();
  await page.locator('billpay-order-panel .billpay-panel__busy').waitFor();
  assert.equal(await page.locator('[data-action=confirm]').isDisabled(), true);
  await page.locator('billpay-order-panel .billpay-panel__done').waitFor();
  await saved(page, 1);
  assert.equal(requests.length, 1);
  assert.equal(kinds((await demo.sandbox.order('5002')).movements, 'activated'), 1);
  await page.close();
});

test('the panel is keyboard accessible and the contact form validates', async () => {
  const page = await browser.newPage();
  await openAdmin(page, '5001');
  await page.locator('billpay-order-panel summary').focus();
  await page.keyboard.press('Enter');
  await page.locator('.billpay-panel__contact button[type=submit]').click();
  const errors = await page.locator('.billpay-panel__form-errors li').allInnerTexts();
  assert.equal(errors.length, 3, errors.join('|'));
  const extension = await page.locator('.billpay-panel__extension').getAttribute('href');
  assert.match(extension, /^mailto:haendler@billpay\.de\?subject=.*5001/);
  await page.close();
});

test('the panel speaks every locale of the package', async () => {
  const page = await browser.newPage();
  const problems = watch(page);
  await openAdmin(page, '5001');
  const expected = { en: 'Cancel order', de: 'Bestellung stornieren', fr: 'Annuler la commande', it: 'Annulla ordine', nl: 'Bestelling annuleren' };
  for (const [locale, cancel] of Object.entries(expected)) {
    await page.evaluate((l) => document.querySelector('billpay-order-panel').setAttribute('locale', l), locale);
    await page.waitForFunction(([text]) => document.querySelector('billpay-order-panel [data-action=cancel]')?.textContent === text, [cancel]);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('an order activated at BillPay but not in the shop: Activate is refused, and the page takes over the activation from BillPay', async () => {
  const checkout = await fetch(`${demo.base}/api/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      consent: true,
      locale: 'de',
      items: [{ articleId: 'mill', quantity: 1 }],
      customer: { salutation: 'Herr', firstName: 'Otto', lastName: 'Other-Tab', street: 'Weg', streetNo: '3', zip: '10115', city: 'Berlin', country: 'DE', email: 'otto@example.com', birthday: '1980-01-01' },
    }),
  });
  assert.equal(checkout.status, 201);
  const { id, total } = await checkout.json();
  // Another tab, or a save that failed: BillPay has the activation, the shop does not.
  const direct = new BillPayClient({ endpoint: demo.sandbox.endpoint, ...CREDENTIALS });
  await direct.activate({ reference: id, amount: total, currency: 'EUR' });
  const page = await browser.newPage();
  const problems = watch(page);
  await openAdmin(page, id);
  await page.click('[data-action=activate]');
  // BillPay's refusal shows only until the page has taken the activation
  // over (setting the order clears the notice): wait for the outcome itself.
  await page.locator('[data-action=confirm]').click();
  await saved(page, 1);
  await page.waitForFunction(() => document.querySelector('billpay-order-panel').order?.status === 'activated');
  const shop = await (await fetch(`${demo.base}/api/orders/${id}`)).json();
  assert.equal(shop.status, 'activated');
  assert.ok(shop.bankAccount.dueDate, 'the due date read back from BillPay');
  assert.equal(kinds((await demo.sandbox.order(id)).movements, 'activated'), 1);
  await page.close();
  assert.deepEqual(problems.filter((p) => !/ALREADY_ACTIVATED|409|Failed to load resource/.test(p)), []);
});

test('a Dutch customer checks out on invoice with a phone number, in the invoice language chosen; unknown orders are said to be unknown', async () => {
  const page = await browser.newPage();
  const problems = watch(page);
  await page.goto(`${demo.base}/checkout.html`);
  await page.locator('#notice a').first().waitFor();
  await page.selectOption('select[name=country]', 'NL');
  // The invoice language follows the country until one is picked; NL needs a phone for invoices.
  assert.equal(await page.locator('select[name=locale]').inputValue(), 'nl');
  assert.equal(await page.locator('input[name=phone]').evaluate((el) => el.required), true);
  await page.fill('input[name=zip]', '1012 AB');
  await page.fill('input[name=city]', 'Amsterdam');
  await page.fill('input[name=phone]', '+31 20 123 4567');
  await page.check('input[name=consent]');
  await page.click('button[type=submit]');
  await page.waitForURL(/invoice\.html\?order=/);
  const id = new URL(page.url()).searchParams.get('order');
  const text = await invoiceText(page, id);
  assert.match(text, /Factuur/);
  assert.match(text, /Dit is een demofactuur\./);
  // BillPay has the order (without the phone the client refuses a Dutch invoice customer).
  assert.equal((await demo.sandbox.order(id)).order.customer.country, 'NLD');
  // A French invoice for a German customer, picked by hand.
  await page.goto(`${demo.base}/checkout.html`);
  await page.locator('#notice a').first().waitFor();
  await page.selectOption('select[name=locale]', 'fr');
  assert.match(await page.locator('#notice').innerText(), /BillPay/);
  await page.check('input[name=consent]');
  await page.click('button[type=submit]');
  await page.waitForURL(/invoice\.html\?order=/);
  assert.match(await invoiceText(page, new URL(page.url()).searchParams.get('order')), /Facture[\s\S]*Ceci est une facture de démonstration\./);
  // Links to orders the shop does not have, or to a static example BillPay never saw.
  await page.goto(`${demo.base}/invoice.html?order=9999`);
  await page.locator('.invoice__missing').waitFor();
  assert.match(await page.locator('.invoice__missing').innerText(), /„9999“ gibt es in diesem Shop nicht/);
  await page.goto(`${demo.base}/admin.html?order=9999`);
  await page.locator('.admin-problem').waitFor();
  assert.match(await page.locator('.admin-problem').innerText(), /„9999“ gibt es in diesem Shop nicht/);
  await page.goto(`${demo.base}/admin.html?order=1001`);
  await page.locator('.admin-problem').waitFor();
  assert.match(await page.locator('.admin-problem').innerText(), /Rechnungsbeispiel/);
  await page.close();
  // The 404s of the unknown order's lookups, nothing else.
  assert.deepEqual(problems.filter((p) => !/404/.test(p)), []);
});
