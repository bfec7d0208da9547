// The elements on the demo storefront in real headless Chromium, under the
// strict CSP the package promises (script-src 'self' 'wasm-unsafe-eval', no
// inline scripts or styles).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, startDemo, watch } from './chromium.mjs';
import { account } from '../js/fixtures.mjs';

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

test('every demo invoice shows its payment block, with no console or CSP errors', async () => {
  const page = await browser.newPage();
  const problems = watch(page);
  const orders = await (await fetch(`${demo.base}/api/orders`)).json();
  const seen = new Set();
  for (const order of orders) {
    await page.goto(`${demo.base}/invoice.html?order=${order.id}`);
    const block = page.locator('billpay-payment-block section.billpay-payment');
    await block.waitFor();
    assert.equal(await block.getAttribute('lang'), order.locale);
    const text = await block.innerText();
    const table = page.locator('billpay-payment-block table.billpay-payment__account');
    if (order.method === 'invoice') {
      assert.ok(text.includes(order.bankAccount.invoiceReference), `${order.id}: reference`);
      assert.equal(await table.locator('th[scope=row]').count() >= 6, true);
      const warning = await page.locator('.billpay-payment__warning').count();
      assert.equal(warning, order.bankAccount.activated ? 0 : 1, `${order.id}: warning iff not activated`);
      if (order.currency === 'CHF') assert.equal(await page.locator('.billpay-payment__note').count(), 1);
    } else if (order.method === 'transactionCredit' && order.currency === 'CHF') {
      // Swiss instalments are paid by transfer: the table, without amount and due date.
      assert.ok(text.includes(order.bankAccount.invoiceReference), `${order.id}: reference`);
      assert.equal(await table.locator('th[scope=row]').count(), 5, `${order.id}: payee, IBAN, BIC, bank, reference`);
    } else {
      assert.equal(await page.locator('billpay-payment-block table').count(), 0, `${order.id}: no bank table for ${order.method}`);
      assert.doesNotMatch(text, /IBAN|BP\d+\/4441/, `${order.id}: nothing to transfer`);
    }
    seen.add(`${order.source} ${order.method} ${order.currency}`);
  }
  // A live order at BillPay behind every block that BillPay's sandbox offers; PayLater
  // and transaction credit (not offered: error 57) among the static examples.
  for (const variant of ['shop invoice EUR', 'shop invoice CHF', 'shop directDebit EUR', 'example paylater EUR', 'example transactionCredit EUR', 'example transactionCredit CHF']) {
    assert.ok(seen.has(variant), variant);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('the German invoice reads as BillPay prescribes', async () => {
  const page = await browser.newPage();
  await page.goto(`${demo.base}/invoice.html?order=1001`);
  const rows = page.locator('billpay-payment-block tr');
  await rows.first().waitFor();
  const table = await rows.evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th').textContent, tr.querySelector('td').textContent]));
  assert.deepEqual(table, [
    ['Zahlungsempfänger', 'BillPay GmbH'],
    ['IBAN', 'DE53 1005 0000 0740 1234 56'],
    ['BIC', 'BELADEBEXXX'],
    ['Kreditinstitut', 'Berliner Sparkasse'],
    ['Betrag', '113,70\u00a0EUR'],
    ['Verwendungszweck', 'BP1001/4441'],
    ['Zahlungsziel', '28.12.2026'],
  ]);
  await page.close();
});

test('locale attribute and block property re-render; invalid blocks fire billpay-error', async () => {
  const page = await browser.newPage();
  const problems = watch(page);
  await page.goto(`${demo.base}/invoice.html?order=1001`);
  await page.locator('billpay-payment-block section').waitFor();
  await page.locator('#payment').evaluate((el) => el.setAttribute('locale', 'fr'));
  await page.locator('billpay-payment-block section[lang=fr]').waitFor();
  // Plain text says its language too (screen readers read the bank data in it).
  await page.locator('#payment').evaluate((el) => el.setAttribute('format', 'text'));
  await page.locator('billpay-payment-block pre.billpay-payment-text[lang=fr]').waitFor();
  await page.locator('#payment').evaluate((el) => el.removeAttribute('locale'));
  await page.locator('billpay-payment-block pre.billpay-payment-text[lang=de]').waitFor();
  await page.locator('#payment').evaluate((el) => (el.setAttribute('locale', 'fr'), el.removeAttribute('format')));
  await page.locator('billpay-payment-block section[lang=fr]').waitFor();
  const error = await page.locator('#payment').evaluate(
    (el) =>
      new Promise((resolve) => {
        el.addEventListener('billpay-error', (event) => resolve({ code: event.detail.code, path: event.detail.path, isError: event.detail instanceof Error }), { once: true });
        el.block = { ...el.block, amount: 12.5 };
      }),
  );
  assert.deepEqual(error, { code: 'INVALID_TYPE', path: 'amount', isError: true });
  assert.equal(await page.locator('billpay-payment-block section').count(), 0);
  await page.close();
  assert.deepEqual(problems.filter((p) => !p.includes('billpay-payment-block:')), []);
});

test('properties set before the elements are defined are taken over (frameworks set them early)', async () => {
  const page = await browser.newPage();
  const problems = watch(page);
  // The checkout page does not load the elements.
  await page.goto(`${demo.base}/checkout.html`);
  const account = { accountHolder: 'BillPay GmbH', iban: 'DE53100500000740123456', bic: 'BELADEBEXXX', bankName: 'Berliner Sparkasse', invoiceReference: 'BP1001/4441', dueDate: '2026-12-28', activated: true };
  await page.evaluate((bankAccount) => {
    const block = document.createElement('billpay-payment-block');
    block.block = { method: 'invoice', amount: '113.70', currency: 'EUR', bankAccount };
    block.locale = 'en';
    const panel = document.createElement('billpay-order-panel');
    panel.order = {
      reference: '1001',
      currency: 'EUR',
      status: 'activated',
      createdAt: '2026-11-26',
      activatedAt: '2026-11-27',
      bankAccount,
      cart: { articles: [{ articleId: 'mill', name: 'Hand mill', quantity: 1, unitNet: '95.55', unitGross: '113.70' }], shipping: { net: '0.00', gross: '0.00' }, rebate: { net: '0.00', gross: '0.00' } },
    };
    document.body.append(block, panel);
  }, account);
  await page.evaluate(() => import('/pkg/elements.js'));
  await page.locator('billpay-payment-block section[lang=en]').waitFor();
  assert.match(await page.locator('billpay-payment-block').innerText(), /DE53 1005 0000 0740 1234 56/);
  await page.locator('billpay-order-panel section.billpay-panel').waitFor();
  assert.match(await page.locator('billpay-order-panel').innerText(), /1001/);
  // The accessors are the element's own again: setting the property re-renders.
  await page.locator('billpay-payment-block').evaluate((el) => {
    el.block = { ...el.block, amount: '99.00' };
  });
  await page.locator('billpay-payment-block', { hasText: '99.00' }).waitFor();
  await page.close();
  assert.deepEqual(problems, []);
});

test('a module that cannot be loaded fires billpay-error, and the element recovers when it can', async () => {
  const page = await browser.newPage();
  await page.route('**/billpay_storefront.wasm', (route) => route.fulfill({ status: 503, body: 'down' }));
  await page.goto(`${demo.base}/checkout.html`);
  const block = { method: 'invoice', amount: '113.70', currency: 'EUR', bankAccount: { accountHolder: 'BillPay GmbH', iban: 'DE53100500000740123456', bic: 'BELADEBEXXX', bankName: 'Berliner Sparkasse', invoiceReference: 'BP1001/4441', dueDate: '2026-12-28', activated: true } };
  const failed = await page.evaluate(async (data) => {
    await import('/pkg/elements.js');
    const el = document.createElement('billpay-payment-block');
    const event = new Promise((resolve) => el.addEventListener('billpay-error', (e) => resolve({ code: e.detail.code, retryable: e.detail.retryable, isError: e.detail instanceof Error }), { once: true }));
    el.block = data;
    document.body.append(el);
    return event;
  }, block);
  // What init() says of a .wasm the server would not give: HTTP_ERROR, worth a retry for a 503.
  assert.deepEqual(failed, { code: 'HTTP_ERROR', retryable: true, isError: true });
  await page.unroute('**/billpay_storefront.wasm');
  await page.locator('billpay-payment-block').evaluate((el, data) => {
    el.block = data;
  }, block);
  await page.locator('billpay-payment-block section').waitFor();
  await page.close();
});

const HOSTILE = [
  '<script>window.__pwned = 1</script>',
  '"><img src=x onerror="window.__pwned=2">',
  "' onmouseover='window.__pwned=3' x='",
  '<svg onload="window.__pwned=4"></svg>',
  'Ödön & Söhne "GmbH" <b>fett</b>',
  'شركة BillPay\u200f GmbH',
  'BillPay 💶🏦 GmbH',
];

test('hostile holder names, bank names and references render as text', async () => {
  const page = await browser.newPage();
  const problems = watch(page);
  await page.goto(`${demo.base}/invoice.html?order=1001`);
  await page.locator('billpay-payment-block section').waitFor();
  for (const hostile of HOSTILE) {
    const result = await page.locator('#payment').evaluate(async (el, value) => {
      const { account } = { account: el.block.bankAccount };
      el.block = { ...el.block, bankAccount: { ...account, accountHolder: value, bankName: value, invoiceReference: value } };
      await new Promise((r) => setTimeout(r, 50));
      const cells = [...el.querySelectorAll('td')].map((td) => td.textContent);
      return {
        cells,
        elements: [...el.querySelectorAll('*')].map((n) => n.localName),
        handlers: [...el.querySelectorAll('*')].flatMap((n) => [...n.attributes].map((a) => a.name)).filter((a) => a.startsWith('on')),
        pwned: window.__pwned ?? null,
      };
    }, hostile);
    assert.equal(result.pwned, null, hostile);
    assert.deepEqual(result.handlers, [], hostile);
    // The block's own markup, plus the EPC QR code figure (inline SVG).
    const allowed = ['section', 'p', 'strong', 'table', 'caption', 'tbody', 'tr', 'th', 'td', 'figure', 'svg', 'rect', 'path', 'figcaption'];
    for (const tag of result.elements) assert.ok(allowed.includes(tag), `${hostile}: <${tag}>`);
    assert.equal(result.cells.filter((c) => c === hostile.trim()).length, 3, `${hostile}: shown verbatim`);
  }
  // Bidirectional overrides would print the text reversed ("BillPay GmbH"
  // shown as it is written backwards): refused, with the field's path.
  const refused = await page.locator('#payment').evaluate((el) => new Promise((resolve) => {
    el.addEventListener('billpay-error', (event) => resolve({ code: event.detail.code, path: event.detail.path }), { once: true });
    el.block = { ...el.block, bankAccount: { ...el.block.bankAccount, accountHolder: '\u202eHmbG yaPlliB\u202c' } };
  }));
  assert.deepEqual(refused, { code: 'INVALID_TEXT', path: 'bankAccount.accountHolder' });
  // A last chance for anything that was scheduled.
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => window.__pwned ?? null), null);
  // The refused override is reported on the console by the element, as any invalid block is.
  assert.deepEqual(problems.filter((p) => !p.includes('billpay-payment-block:')), []);
  await page.close();
});

test('in Chromium the full module packs what the storefront module reads as JSON, to the same answers', async () => {
  const page = await browser.newPage();
  const problems = watch(page);
  await page.goto(`${demo.base}/checkout.html`);
  const result = await page.evaluate(async ({ hostile, account }) => {
    const full = await import('/pkg/index.js');
    const storefront = await import('/pkg/storefront.js');
    const { modules } = await import('/pkg/glue.js');
    await Promise.all([full.init(), storefront.init()]);
    let packed = 0;
    const original = modules.full.packed;
    modules.full.packed = (...args) => {
      const answer = original(...args);
      if (answer !== undefined) packed++;
      return answer;
    };
    const answer = (render) => {
      try {
        return { ok: true, text: render() };
      } catch (error) {
        return { ok: false, text: `${error.code} ${error.message} ${error.path}` };
      }
    };
    // Calls whose answers differ, and answered calls that did not go packed.
    const differ = [];
    const unpacked = [];
    const compare = (label, viaFull, viaStorefront) => {
      const before = packed;
      const a = answer(viaFull);
      const b = answer(viaStorefront);
      if (a.ok !== b.ok || a.text !== b.text) differ.push(label);
      if (b.ok && packed !== before + 1) unpacked.push(label);
    };
    let calls = 0;
    for (const value of [...hostile, 'x'.repeat(5000), '']) {
      const block = { method: 'invoice', amount: '1234.50', currency: 'EUR', bankAccount: { ...account, accountHolder: value, bankName: value } };
      for (const options of [undefined, { qr: 'none' }, { locale: 'fr', format: 'text' }, { qr: 'epc', locale: 'it' }]) {
        calls++;
        compare(`${value.slice(0, 20)} ${JSON.stringify(options)}`, () => full.renderPaymentBlock(block, options), () => storefront.renderPaymentBlock(block, options));
      }
      calls++;
      compare(`${value.slice(0, 20)} epcPayload`, () => full.epcPayload(block), () => storefront.epcPayload(block));
    }
    modules.full.packed = original;
    return { differ, unpacked, calls, packed };
  }, { hostile: HOSTILE, account });
  assert.deepEqual(result.differ, []);
  assert.deepEqual(result.unpacked, []);
  assert.ok(result.packed > result.calls / 2, `${result.packed} of ${result.calls} calls packed`);
  assert.deepEqual(problems, []);
  await page.close();
});
