// What a shopper reads when BillPay refuses a purchase on invoice: the
// customer message, never the merchant message (DESIGN.md: merchant messages
// are for the shop's staff). The handler is called as Vendure calls it, with
// a scripted BillPay that refuses with and without a customer message.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { billpayEligibilityChecker, billpayPaymentHandler } from '../../pkg/vendure.js';

let answer = '';
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/xml' });
    res.end(answer);
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
after(() => new Promise((resolve) => server.close(resolve)));

const args = [
  ['endpoint', `http://127.0.0.1:${server.address().port}/xml`],
  ['merchantId', '4441'],
  ['portalId', '6021'],
  ['securityKey', '12345678'],
  ['delayDays', '0'],
].map(([name, value]) => ({ name, value }));
const address = { fullName: 'Erika Mustermann', streetLine1: 'Heidestraße 17', postalCode: '51147', city: 'Köln', countryCode: 'DE' };
const order = {
  id: 1, code: 'ORDER1', currencyCode: 'EUR', totalWithTax: 1190, shipping: 0, shippingWithTax: 0,
  billingAddress: address, shippingAddress: address,
  customer: { id: 1, firstName: 'Erika', lastName: 'Mustermann', emailAddress: 'erika@example.com' },
  lines: [{ id: 1, quantity: 1, linePriceWithTax: 1190, unitPriceWithTax: 1190, unitPrice: 1000, taxRate: 19, productVariant: { sku: 'SKU1', name: 'Shirt' } }],
  surcharges: [], shippingLines: [], payments: [],
};
const pay = (languageCode = 'de', metadata = { termsAccepted: true }) => billpayPaymentHandler.createPayment({ languageCode }, order, 1190, args, metadata, {});

test("a refusal without a customer message: the general sentence in the shopper's language, not BillPay's merchant message", async () => {
  answer = '<data error_code="2" customer_message="" merchant_message="INTERNAL: customer 4711 on blacklist, risk score 93"/>';
  const result = await pay();
  assert.equal(result.state, 'Declined');
  assert.equal(result.errorMessage, 'Der Kauf auf Rechnung mit BillPay ist für diese Bestellung nicht möglich; bitte wählen Sie eine andere Zahlungsart.');
  for (const [languageCode, sentence] of [
    ['en', 'BillPay invoice is not possible for this order; please choose another payment method.'],
    ['fr', "Le paiement sur facture avec BillPay n'est pas possible pour cette commande ; veuillez choisir un autre mode de paiement."],
    ['it', 'Il pagamento su fattura con BillPay non è possibile per questo ordine; scegliete un altro metodo di pagamento.'],
    ['nl', 'Betalen op rekening met BillPay is voor deze bestelling niet mogelijk; kies een andere betaalmethode.'],
    ['de_CH', 'Der Kauf auf Rechnung mit BillPay ist für diese Bestellung nicht möglich; bitte wählen Sie eine andere Zahlungsart.'],
    // A language BillPay did not speak: English.
    ['es', 'BillPay invoice is not possible for this order; please choose another payment method.'],
  ]) {
    assert.equal((await pay(languageCode)).errorMessage, sentence, languageCode);
  }
  // The plug-in's own refusals too.
  assert.match((await pay('de', {})).errorMessage, /^Bitte stimmen Sie den AGB und der Datenschutzerklärung von BillPay zu \(termsAccepted: true\)/);
  assert.match((await pay('en', {})).errorMessage, /^Please accept BillPay's terms/);
});

test("a refusal with a customer message: BillPay's words for the shopper", async () => {
  answer = '<data error_code="2" customer_message="Bitte wählen Sie eine andere Zahlart." merchant_message="risk score 93"/>';
  const result = await pay();
  assert.equal(result.state, 'Declined');
  assert.equal(result.errorMessage, 'Bitte wählen Sie eine andere Zahlart.');
});

test('a Dutch invoice customer without a phone number is told so before BillPay is asked; with one, the purchase goes to BillPay', async () => {
  const dutch = { fullName: 'Anna de Vries', streetLine1: 'Damrak 1', postalCode: '1012 LG', city: 'Amsterdam', countryCode: 'NL' };
  const nlOrder = { ...order, billingAddress: dutch, shippingAddress: dutch, customer: { ...order.customer, firstName: 'Anna', lastName: 'de Vries' } };
  let asked = 0;
  server.on('request', () => (asked += 1));
  answer = '<data error_code="2" customer_message="" merchant_message="nope"/>';
  const without = await billpayPaymentHandler.createPayment({ languageCode: 'nl' }, nlOrder, 1190, args, { termsAccepted: true }, {});
  assert.equal(without.state, 'Declined');
  assert.equal(without.errorMessage, 'Betalen op rekening met BillPay is voor deze bestelling niet mogelijk: BillPay needs a phone number of invoice customers in the Netherlands');
  assert.equal(asked, 0);
  const withPhone = await billpayPaymentHandler.createPayment({ languageCode: 'nl' }, nlOrder, 1190, args, { termsAccepted: true, phone: '+31 20 123 4567' }, {});
  assert.equal(withPhone.state, 'Declined');
  assert.equal(asked, 1);
  // A blank phone field at checkout does not hide the number of the billing address.
  const billed = { ...nlOrder, billingAddress: { ...dutch, phoneNumber: '020 123 4567' } };
  await billpayPaymentHandler.createPayment({ languageCode: 'nl' }, billed, 1190, args, { termsAccepted: true, phone: '  ' }, {});
  assert.equal(asked, 2);
});

test("the eligibility checker's reasons are in the shopper's language, amounts as the payment block writes them", async () => {
  answer = '<data error_code="0"><minvalue invoice="5000"/><limit invoicestatic="100000"/><permissions active="1" invoiceallowed="1"/></data>';
  const method = { handler: { code: 'billpay-invoice', args } };
  assert.equal(await billpayEligibilityChecker.check({ languageCode: 'de' }, order, [], method), 'Der Kauf auf Rechnung mit BillPay ist ab 50,00\u00a0EUR möglich.');
  assert.equal(await billpayEligibilityChecker.check({ languageCode: 'en' }, order, [], method), 'BillPay invoice starts at EUR\u00a050.00');
  const dollars = { ...order, currencyCode: 'USD' };
  assert.equal(await billpayEligibilityChecker.check({ languageCode: 'fr' }, dollars, [], method), "Le paiement sur facture avec BillPay n'est possible qu'en EUR et en CHF (cette commande est en USD).");
});

test("a business passes its company in the metadata: sent as BillPay's company_details; a wrong legal form is declined with the reason, nothing sent", async () => {
  const bodies = [];
  const record = (req) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => bodies.push(body));
  };
  server.on('request', record);
  try {
    answer = '<data error_code="2" customer_message="" merchant_message="nope"/>';
    const company = { name: 'Muster & Söhne GmbH', legalForm: 'gmbh', registerNumber: 'HRB 12345' };
    const result = await pay('de', { termsAccepted: true, company });
    assert.equal(result.state, 'Declined');
    assert.equal(bodies.length, 1);
    assert.match(bodies[0], /customerGroup="b"/);
    assert.match(bodies[0], /<company_details name="Muster &amp; Söhne GmbH" legalForm="gmbh" registerNumber="HRB 12345" holderName="" taxNumber=""\/>/);
    const wrong = await pay('de', { termsAccepted: true, company: { ...company, legalForm: 'GmbH & Co. KG' } });
    assert.equal(wrong.state, 'Declined');
    assert.match(wrong.errorMessage, /^Der Kauf auf Rechnung mit BillPay ist für diese Bestellung nicht möglich: legalForm is one of BillPay's codes \(ag, /);
    assert.equal(bodies.length, 1);
    // Without a company the customer is a private one, as before.
    await pay();
    assert.match(bodies[1], /customerGroup="p"/);
    assert.doesNotMatch(bodies[1], /company_details/);
  } finally {
    server.off('request', record);
  }
});
