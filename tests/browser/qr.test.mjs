// The scannable codes as a customer's phone sees them: headless Chromium
// renders the demo invoices (strict CSP), we take screenshots of the codes and
// decode them with jsQR; the decoded bytes must equal the payload the package
// computes for the same block. Also: the QR-bill sits at the foot of the A4
// page, full width, and the Swiss QR Code inside a block decodes too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import * as billpay from 'billpay-wasm/node';
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

/** Decodes the one QR code in a screenshot of `locator`: its raw bytes. */
async function decode(locator) {
  const png = PNG.sync.read(await locator.screenshot());
  const pixels = new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length);
  const code = jsQR(pixels, png.width, png.height, { inversionAttempts: 'dontInvert' });
  assert.ok(code, 'a QR code is found in the screenshot');
  return Buffer.from(code.binaryData);
}

const blockOf = (order) => ({
  method: order.method,
  amount: order.total,
  currency: order.currency,
  customerCountry: order.customerCountry,
  ...(order.bankAccount ? { bankAccount: order.bankAccount } : {}),
});

test('every code on the demo invoices decodes to its payload', async () => {
  const page = await browser.newPage({ deviceScaleFactor: 2 });
  const problems = watch(page);
  const orders = await (await fetch(`${demo.base}/api/orders`)).json();
  let decoded = 0;
  for (const order of orders) {
    await page.goto(`${demo.base}/invoice.html?order=${order.id}`);
    await page.locator('billpay-payment-block section').waitFor();
    const block = blockOf(order);
    const epc = page.locator('billpay-payment-block figure.billpay-payment__qr--epc svg');
    const slip = page.locator('#qr-bill svg.billpay-qr-bill');
    // Transfers get a code: invoices, and Swiss instalments (paid by transfer, the slip without amount).
    const transfer = order.method === 'invoice' || (order.method === 'transactionCredit' && order.currency === 'CHF');
    if (!transfer) {
      assert.equal(await page.locator('billpay-payment-block svg').count(), 0, `${order.id}: no code for ${order.method}`);
      assert.equal(await slip.count(), 0);
      continue;
    }
    if (order.currency === 'CHF') {
      await slip.waitFor();
      assert.equal(await page.locator('billpay-payment-block svg').count(), 0, `${order.id}: one code per page`);
      const bytes = await decode(slip);
      assert.deepEqual(bytes, Buffer.from(billpay.swissQrPayload(block), 'utf8'), `${order.id}: Swiss QR Code`);
      assert.match(await page.locator('#qr-bill').innerHTML(), new RegExp(`lang="${order.locale === 'nl' ? 'nl' : order.locale}"`));
    } else {
      await epc.waitFor();
      const bytes = await decode(epc);
      assert.deepEqual(bytes, Buffer.from(billpay.epcPayload(block), 'utf8'), `${order.id}: EPC QR code`);
      assert.equal(await slip.count(), 0);
    }
    decoded++;
  }
  assert.equal(decoded, orders.filter((o) => o.method === 'invoice' || (o.method === 'transactionCredit' && o.currency === 'CHF')).length);
  assert.ok(orders.some((o) => o.source === 'shop' && o.currency === 'CHF'), 'a live Swiss order with its QR-bill');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the QR-bill is 210 x 105 mm at the foot of the A4 page, in print too', async () => {
  const page = await browser.newPage();
  for (const id of ['1004', '1005', '5004']) {
    await page.goto(`${demo.base}/invoice.html?order=${id}`);
    await page.locator('#qr-bill svg.billpay-qr-bill').waitFor();
    for (const media of ['screen', 'print']) {
      await page.emulateMedia({ media });
      const box = await page.evaluate(() => {
        const mm = 96 / 25.4;
        const invoice = document.getElementById('invoice').getBoundingClientRect();
        const slip = document.querySelector('#qr-bill svg.billpay-qr-bill').getBoundingClientRect();
        const footer = document.querySelector('.invoice__footer').getBoundingClientRect();
        return {
          pageHeight: invoice.height / mm,
          width: slip.width / mm,
          height: slip.height / mm,
          left: (slip.left - invoice.left) / mm,
          bottom: (invoice.bottom - slip.bottom) / mm,
          contentAbove: slip.top >= footer.bottom,
        };
      });
      const near = (a, b) => Math.abs(a - b) < 0.5;
      assert.ok(near(box.pageHeight, 297), `${id} ${media}: A4 page, got ${JSON.stringify(box)}`);
      assert.ok(near(box.width, 210) && near(box.height, 105), `${id} ${media}: 210 x 105 mm, got ${JSON.stringify(box)}`);
      assert.ok(near(box.left, 0) && near(box.bottom, 0), `${id} ${media}: at the foot, full width, got ${JSON.stringify(box)}`);
      assert.ok(box.contentAbove, `${id} ${media}: the invoice ends above the slip`);
    }
  }
  await page.close();
});

test('the Swiss QR Code inside a block decodes (qr auto, CHF and EUR to CH/LI)', async () => {
  const page = await browser.newPage({ deviceScaleFactor: 2 });
  const problems = watch(page);
  await page.route('**/qr-blocks.html', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: '<!doctype html><meta charset="utf-8"><link rel="stylesheet" href="/pkg/billpay.css"><billpay-payment-block id="b" locale="de"></billpay-payment-block><script type="module" src="/pkg/elements.js"></script>',
    }),
  );
  await page.goto(`${demo.base}/qr-blocks.html`);
  const account = { accountHolder: 'BillPay GmbH', iban: 'CH9300762011623852957', bic: 'POFICHBEXXX', bankName: 'PostFinance AG', invoiceReference: 'BP1004/4441', activated: false };
  const blocks = [
    { method: 'invoice', amount: '2029.50', currency: 'CHF', bankAccount: account },
    { method: 'invoice', amount: '999999999.99', currency: 'EUR', bankAccount: { ...account, invoiceReference: 'RF18539007547034' } },
    { method: 'transactionCredit', amount: '2499.99', currency: 'CHF', bankAccount: account },
  ];
  for (const block of blocks) {
    await page.locator('#b').evaluate((el, value) => {
      el.block = value;
    }, block);
    const svg = page.locator('#b figure.billpay-payment__qr--swiss svg.billpay-payment__qr-code');
    await svg.waitFor();
    assert.deepEqual(await decode(svg), Buffer.from(billpay.swissQrPayload(block), 'utf8'), JSON.stringify(block));
  }
  await page.locator('#b').evaluate((el) => el.setAttribute('qr', 'none'));
  await page.locator('#b section').waitFor();
  assert.equal(await page.locator('#b svg').count(), 0, 'qr="none" removes the code');
  assert.deepEqual(problems, []);
  await page.close();
});

test('every text of the QR-bill stays in its column, measured in the slip\'s own font', async () => {
  // Chromium lays the SVG out in Liberation Sans (the slip's first font,
  // Arial's metrics): the widths the layout estimates must never be
  // narrower than what the font draws, or a long line runs out of its part.
  const page = await browser.newPage();
  const block = (account) => ({
    method: 'invoice',
    amount: '2029.50',
    currency: 'CHF',
    bankAccount: { accountHolder: 'BillPay GmbH', iban: 'CH9300762011623852957', bic: 'POFICHBEXXX', bankName: 'PostFinance AG', activated: false, ...account },
  });
  const wide = [
    { name: 'Cœur Bœuf Sœur Œuvre Æbleskiver Færøerne Kærlighed Økologisk AS', postalCode: '1000', town: 'Trøndelagæææ', country: 'NO' },
    { name: 'ŴŴŴ ŒŒŒ ÆÆÆ ÖÖÖ ÜÜÜ ĜĜĜ ÇÇÇ ÑÑÑ ŘŘŘ ĎĎĎ ĤĤĤ ØØØ ÐÐÐ ŴŴŴ ŒŒŒ ÆÆ', street: 'ŴÆŒ ÖÜĜ ÇÑŘ ĎĤØ ÐŴÆ ŒÖÜ ĜÇÑ ŘĎĤ ØÐŴ ÆŒÖ ÜĜÇ ÑŘĎ ĤØÐ ŴÆŒ ÖÜĜ ÇÑŘ ĎĤØ ÐŴ', houseNumber: 'ŴŴŴŴŴŴŴŴŴŴŴŴŴŴŴŴ', postalCode: 'ŴŴŴŴŴŴŴŴŴŴŴŴŴŴŴŴ', town: 'ŒŒŒŒŒŒŒŒŒŒŒŒŒŒŒŒŒŒŒŒŒŒŒŒŒŒŒŒŒŒŒŒŒŒŒ', country: 'FR' },
    { name: 'Straße der Œuvres ½ ¾ © ® Ĳssel Æsir', postalCode: '8001', town: 'Zürich', country: 'CH' },
  ];
  const svgs = [];
  for (const creditor of wide) {
    for (const locale of ['de', 'fr', 'it', 'en']) {
      svgs.push(billpay.renderSwissQrBill(block({ invoiceReference: 'Œ'.repeat(60) + ' Æ' + 'W'.repeat(40) }), creditor, { locale }));
    }
  }
  await page.setContent(`<!doctype html><meta charset="utf-8"><body>${svgs.join('')}</body>`);
  const overflows = await page.evaluate(() => {
    const unitsPerMm = 7560 / 210;
    const found = [];
    for (const text of document.querySelectorAll('svg.billpay-qr-bill text')) {
      const x = Number(text.getAttribute('x')) / unitsPerMm;
      const box = text.getBBox();
      const right = (box.x + box.width) / unitsPerMm;
      // The receipt's column ends 5 mm before the cut at 62 mm; the
      // payment part's 5 mm before the slip's edge at 210 mm.
      const limit = x < 62 ? 57 : 205;
      if (right > limit + 0.2) found.push(`${x.toFixed(1)} mm "${text.textContent}" ends at ${right.toFixed(1)} mm (column ends at ${limit} mm)`);
    }
    return found;
  });
  assert.deepEqual(overflows, []);
  await page.close();
});
