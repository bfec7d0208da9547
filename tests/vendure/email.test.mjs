// The payment block in a Vendure shop's order e-mails, with Vendure's own
// EmailPlugin as the README sets it up: BillPay orders are confirmed when
// BillPay approves them (payment Authorized) with the block and its code as
// an inline PNG. What the plug-in hands its sender becomes the message that
// its SMTP transport would send (nodemailer, the same fields; Vendure 3.7's
// raw file transport cannot write it: it pipes a buffer), and the image in
// that message decodes to the payment's payload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { EntityHydrator, OrderStateTransitionEvent } from '@vendure/core';
import {
  EmailEventListener, EmailPlugin, defaultEmailHandlers, orderConfirmationHandler, shippingLinesWithMethod, transformOrderLineAssetUrls,
} from '@vendure/email-plugin';
import nodemailer from 'nodemailer';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';
import { billpayEmail, isBillPayOrder } from '../../pkg/vendure.js';
import { epcPayload, formatAmount } from '../../pkg/node.js';
import { startShop, configureChannels, createBillPayMethod, fillCart, pay, adminOrder, billpayPayment, ok, ADMIN } from './helpers.mjs';

// --- the shop's configuration, as the README shows it ------------------------------

// BillPay approves an order at checkout (payment Authorized), with the account the
// customer pays to: confirm it then, with the payment block.
const billpayOrderConfirmation = new EmailEventListener('order-confirmation')
  .on(OrderStateTransitionEvent)
  // The checkout only: a modification also ends in PaymentAuthorized.
  .filter((event) => event.fromState === 'ArrangingPayment' && event.toState === 'PaymentAuthorized' && !!event.order.customer && isBillPayOrder(event.order))
  .loadData(async ({ event, injector }) => {
    await injector.get(EntityHydrator).hydrate(event.ctx, event.order, { relations: ['lines.featuredAsset', 'shippingLines.shippingMethod'] });
    transformOrderLineAssetUrls(event.ctx, event.order, injector);
    return { shippingLines: shippingLinesWithMethod(event.order), billpay: billpayEmail(event.ctx, event.order) };
  })
  .setRecipient((event) => event.order.customer.emailAddress)
  .setFrom('{{ fromAddress }}')
  .setSubject('Order confirmation for #{{ order.code }}')
  .setTemplateVars((event) => ({ order: event.order, shippingLines: event.data.shippingLines, billpay: event.data.billpay }))
  .setAttachments((event) => event.data.billpay?.attachments ?? []);
// Vendure's own confirmation (at PaymentSettled, for BillPay the activation) stays for the other methods.
orderConfirmationHandler.filter((event) => !isBillPayOrder(event.order));

// The shop's copy of Vendure's order-confirmation template, with the block after the thanks.
const require = createRequire(import.meta.url);
const TEMPLATES = join(require.resolve('@vendure/email-plugin/package.json'), '../templates');
const BLOCK_SECTION = `
{{#if billpay}}
<mj-section>
    <mj-column>
        <mj-text>{{{ billpay.html }}}</mj-text>
    </mj-column>
</mj-section>
{{/if}}
`;
const templateLoader = {
  async loadTemplate(_injector, _ctx, { type, templateName }) {
    const template = readFileSync(join(TEMPLATES, type, templateName), 'utf8');
    if (type !== 'order-confirmation') return template;
    const thanks = template.indexOf('</mj-section>') + '</mj-section>'.length;
    assert.ok(thanks > 20, 'the template has its first section');
    return `${template.slice(0, thanks)}${BLOCK_SECTION}${template.slice(thanks)}`;
  },
  async loadPartials() {
    return ['header', 'footer'].map((name) => ({ name, content: readFileSync(join(TEMPLATES, 'partials', `${name}.hbs`), 'utf8') }));
  },
};

// --- the test ------------------------------------------------------------------------

const outbox = [];
let shop;
before(async () => {
  shop = await startShop({
    plugins: [
      EmailPlugin.init({
        handlers: [...defaultEmailHandlers, billpayOrderConfirmation],
        templateLoader,
        transport: { type: 'testing', onSend: (email) => outbox.push(email) },
        globalTemplateVars: { fromAddress: '"Kaffee & Co." <noreply@shop.example>' },
      }),
    ],
  });
  await configureChannels(shop);
  await createBillPayMethod(shop);
});
after(async () => {
  await shop?.stop();
});

/** The order confirmations sent (the default handlers also send others, e.g. to verify addresses). */
const confirmations = () => outbox.filter((email) => email.subject.startsWith('Order confirmation'));

/** The order confirmations once there are `count` (the plug-in sends from its job queue), as MIME. */
async function mails(count) {
  for (let i = 0; i < 200 && confirmations().length < count; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.ok(confirmations().length >= count, `${count} confirmations expected, ${confirmations().length} sent`);
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return Promise.all(
    confirmations().map(async (email) => {
      const { message } = await transport.sendMail({ from: email.from, to: email.recipient, subject: email.subject, html: email.body, attachments: email.attachments });
      return message.toString('utf8');
    }),
  );
}

/** A MIME part's decoded body (base64 or quoted-printable) and its headers. */
function parts(mime) {
  const boundaries = [...mime.matchAll(/boundary="?([^";\r\n]+)"?/g)].map((m) => m[1]);
  let chunks = [mime];
  for (const boundary of boundaries) chunks = chunks.flatMap((c) => c.split(`--${boundary}`));
  return chunks
    .map((chunk) => {
      const split = chunk.search(/\r?\n\r?\n/);
      if (split < 0) return null;
      const headers = chunk.slice(0, split);
      const raw = chunk.slice(split).trim();
      if (/Content-Transfer-Encoding: base64/i.test(headers)) return { headers, body: Buffer.from(raw.replace(/\s+/g, ''), 'base64') };
      if (/Content-Transfer-Encoding: quoted-printable/i.test(headers)) {
        const text = raw.replace(/=\r?\n/g, '').replace(/(=[0-9A-F]{2})+/g, (run) => Buffer.from(run.replace(/=/g, ''), 'hex').toString('utf8'));
        return { headers, body: Buffer.from(text, 'utf8') };
      }
      return { headers, body: Buffer.from(raw, 'utf8') };
    })
    .filter((p) => p && /Content-Type:/i.test(p.headers));
}

test('a BillPay order is confirmed at checkout with the payment block and its EPC code as an inline PNG; no second confirmation at a modification or the activation', async () => {
  const active = await fillCart(shop, { items: [['COFFEE-500', 3], ['CUP', 2]] });
  const order = await pay(shop);
  assert.equal(order.state, 'PaymentAuthorized');
  const [mime] = await mails(1);
  const payment = billpayPayment(await adminOrder(shop, active.id));
  const bankAccount = payment.metadata.public.bankAccount;
  const amount = `${Math.trunc(payment.amount / 100)}.${String(payment.amount % 100).padStart(2, '0')}`;

  assert.match(mime, new RegExp(`Subject: Order confirmation for #${order.code}`));
  const all = parts(mime);
  const html = all.find((p) => /Content-Type: text\/html/i.test(p.headers)).body.toString('utf8');
  // The block in the request's language, the code as the attachment's image.
  assert.match(html, /<section class="billpay-payment[^"]*" lang="en"/);
  assert.ok(html.includes(bankAccount.invoiceReference), 'the reference');
  assert.ok(html.includes(bankAccount.iban.replace(/(.{4})(?!$)/g, '$1 ')), 'the IBAN in groups of four');
  assert.ok(html.includes(formatAmount(amount, 'EUR', 'en')), `the amount ${amount}`);
  assert.match(html, /<img class="billpay-payment__qr-code" src="cid:billpay-qr@billpay-wasm" width="159" height="159" alt="EPC QR code">/);
  assert.doesNotMatch(html, /<svg/);
  const image = all.find((p) => /Content-Type: image\/png/i.test(p.headers));
  assert.ok(image, 'the PNG travels with the message');
  assert.match(image.headers, /Content-ID: <billpay-qr@billpay-wasm>/i);
  const png = PNG.sync.read(image.body);
  const code = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
  assert.ok(code, 'the PNG holds a QR code');
  assert.equal(Buffer.from(code.binaryData).toString('utf8'), epcPayload({ method: 'invoice', amount, currency: 'EUR', bankAccount }));
  // A modification (here none) ends in PaymentAuthorized again: no second confirmation.
  for (const state of ['Modifying', 'PaymentAuthorized']) {
    assert.equal((await shop.admin.query(ADMIN.transitionOrder, { id: active.id, state })).transitionOrderToState.state, state);
  }
  // Activation (Vendure: settle): Vendure's own confirmation is for the other payment methods.
  await ok(shop.admin.query(ADMIN.settlePayment, { id: payment.id }), 'settlePayment');
  const settled = await adminOrder(shop, active.id);
  assert.equal(settled.state, 'PaymentSettled');
  await new Promise((resolve) => setTimeout(resolve, 2000));
  assert.equal(confirmations().length, 1, 'one confirmation');
});

test("billpayEmail: the amount BillPay holds after the refunds it accepted (their carts), English for other languages", () => {
  const cartOf = (quantity) => ({ articles: [{ articleId: 'CUP', name: 'Espresso cup', quantity, unitNet: '10.00', unitGross: '11.90' }], shipping: { net: '0.00', gross: '0.00' }, rebate: { net: '0.00', gross: '0.00' } });
  const bankAccount = { accountHolder: 'BillPay GmbH', iban: 'DE53100500000740123456', bic: 'BELADEBEXXX', bankName: 'Berliner Sparkasse', invoiceReference: 'BP1001/4441', activated: true, dueDate: '2026-12-30' };
  const payment = {
    state: 'Settled', amount: 2380,
    metadata: { public: { bankAccount }, billpay: { reference: '1001', currency: 'EUR', cart: cartOf(2), createdAt: '2026-12-01', status: 'activated', activatedAt: '2026-12-02' } },
    refunds: [
      { state: 'Settled', total: 1190, metadata: { billpay: { seq: 1, action: 'editCartContent', cart: cartOf(1) } } },
      // A refund BillPay refused changes nothing.
      { state: 'Failed', total: 1190, metadata: {} },
    ],
  };
  const email = billpayEmail({ languageCode: 'es' }, { code: '1001', currencyCode: 'EUR', payments: [payment] });
  assert.equal(email.block.amount, '11.90');
  assert.match(email.html, /lang="en"/);
  assert.equal(billpayEmail({ languageCode: 'de' }, { currencyCode: 'EUR', payments: [{ ...payment, refunds: [] }] }).block.amount, '23.80', 'without its refunds, the cart sent at checkout');
});

test('billpayEmail: nothing for orders without a BillPay payment or with nothing left to pay; no code where no standard fits', () => {
  const bankAccount = { accountHolder: 'BillPay GmbH', iban: 'DE53100500000740123456', bic: 'BELADEBEXXX', bankName: 'Berliner Sparkasse', invoiceReference: 'BP1001/4441', activated: false };
  const payment = (extra = {}) => ({ state: 'Authorized', amount: 2288, refunds: [], metadata: { public: { bankAccount }, billpay: { reference: '1001' } }, ...extra });
  const ctx = { languageCode: 'fr' };
  assert.equal(billpayEmail(ctx, { currencyCode: 'EUR', payments: [] }), undefined);
  assert.equal(billpayEmail(ctx, { currencyCode: 'EUR', payments: [{ state: 'Settled', amount: 100, metadata: {} }] }), undefined, 'another method');
  assert.equal(billpayEmail(ctx, { currencyCode: 'EUR', payments: [payment({ state: 'Cancelled' })] }), undefined);
  assert.equal(billpayEmail(ctx, { currencyCode: 'EUR', payments: [payment({ refunds: [{ state: 'Settled', total: 2288 }] })] }), undefined, 'refunded');
  assert.equal(isBillPayOrder({ payments: [payment()] }), true);
  assert.equal(isBillPayOrder({ payments: [payment({ state: 'Declined' })] }), false);

  const partly = billpayEmail(ctx, { currencyCode: 'EUR', payments: [payment({ refunds: [{ state: 'Settled', total: 288 }] })] });
  assert.equal(partly.block.amount, '20.00', 'what BillPay still holds');
  assert.match(partly.html, /lang="fr"/);
  assert.match(partly.text, /IBAN/);
  assert.deepEqual(partly.attachments.map((a) => [a.filename, a.cid, a.path.slice(0, 22)]), [['billpay-qr.png', 'billpay-qr@billpay-wasm', 'data:image/png;base64,']]);
  assert.match(billpayEmail(ctx, { currencyCode: 'EUR', payments: [payment()] }, { locale: 'it', cid: 'qr@kaffee.example' }).html, /lang="it".*src="cid:qr@kaffee\.example"/s);
  assert.throws(() => billpayEmail(ctx, { currencyCode: 'EUR', payments: [payment()] }, { cid: 'qr 1@kaffee.example' }), (e) => e.code === 'INVALID_URL' && e.path === 'cid' && /got "qr 1@kaffee\.example"/.test(e.message));
  // CHF to a German account: neither code carries it; the block is printed without one.
  const chf = billpayEmail(ctx, { currencyCode: 'CHF', payments: [payment()] });
  assert.deepEqual(chf.attachments, []);
  assert.doesNotMatch(chf.html, /<img|<svg/);
  // A QR-IBAN with a reference that is no QR reference: no code can be made; the confirmation keeps its block.
  const qrIban = { ...bankAccount, iban: 'CH4431999123000889012' };
  const swiss = billpayEmail(ctx, { code: '1001', currencyCode: 'CHF', payments: [payment({ metadata: { public: { bankAccount: qrIban }, billpay: { reference: '1001' } } })] });
  assert.deepEqual(swiss.attachments, []);
  assert.match(swiss.html, /CH44 3199 9123 0008 8901 2/);
  assert.doesNotMatch(swiss.html, /<img|<svg/);
});
