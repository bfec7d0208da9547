// Checkout: the customer chooses invoice or direct debit (with the IBAN BillPay
// debits), BillPay's consent notice stands next to the checkbox (from the
// storefront module), then the shop server preauthorizes (it holds the key).
// Swiss customers pay in francs; direct debit is a SEPA debit in euros, which
// BillPay offered to customers in Germany and Austria.
import init, { renderCheckoutNotice, checkIban } from '/pkg/storefront.js';

await init();
const form = document.getElementById('checkout');
const { articles } = await (await fetch('/api/catalog')).json();
const DEBIT_COUNTRIES = ['DE', 'AT'];
const currencyOf = (country) => (country === 'CH' ? 'CHF' : 'EUR');

const catalog = document.getElementById('catalog');
const prices = [];
for (const [i, article] of articles.entries()) {
  const label = document.createElement('label');
  const input = document.createElement('input');
  input.type = 'number';
  input.min = '0';
  input.max = '20';
  input.name = `qty-${article.articleId}`;
  input.value = i === 0 ? '2' : i === 2 ? '1' : '0';
  const price = document.createElement('span');
  prices.push([article, price]);
  label.append(input, ` × ${article.name} — `, price);
  catalog.append(label);
}

const f = form.elements;
const debitFields = document.getElementById('debit');
const debitRadio = form.querySelector('input[name=paymentType][value=directDebit]');

// The invoice's language follows the country until the customer picks one.
const LANGUAGE_OF = { DE: 'de', AT: 'de', CH: 'de', NL: 'nl' };
let languagePicked = false;
f.locale.addEventListener('change', () => (languagePicked = true));
let lastCountry = null;

function update() {
  const country = f.country.value;
  if (country !== lastCountry && !languagePicked) f.locale.value = LANGUAGE_OF[country] ?? 'de';
  lastCountry = country;
  const currency = currencyOf(country);
  for (const [article, price] of prices) price.textContent = `${currency === 'CHF' ? article.chf.unitGross : article.unitGross} ${currency}`;
  const debitOffered = DEBIT_COUNTRIES.includes(country);
  debitRadio.disabled = !debitOffered;
  document.getElementById('debit-hint').textContent = debitOffered ? '' : '(nur in Deutschland und Österreich, in Euro)';
  if (!debitOffered && debitRadio.checked) form.querySelector('input[name=paymentType][value=invoice]').checked = true;
  const debit = f.paymentType.value === 'directDebit';
  // The markup comes from the Rust renderer, which escapes every value; a
  // direct debit's notice carries the SEPA mandate the customer gives.
  document.getElementById('notice').innerHTML = renderCheckoutNotice({ country, locale: f.locale.value, method: debit ? 'directDebit' : 'invoice' });
  // BillPay reaches invoice customers in the Netherlands by phone.
  const phoneNeeded = country === 'NL' && !debit;
  f.phone.required = phoneNeeded;
  document.getElementById('phone-hint').textContent = phoneNeeded ? '(in den Niederlanden für den Rechnungskauf nötig)' : '(freiwillig)';
  debitFields.hidden = !debit;
  f.accountHolder.required = debit;
  f.iban.required = debit;
}
form.addEventListener('change', update);
update();

// The IBAN is checked as it is typed (the server and BillPay check it again).
f.iban.addEventListener('input', () => {
  const result = f.iban.value.trim() === '' ? { valid: true } : checkIban(f.iban.value);
  f.iban.setCustomValidity(result.valid ? '' : result.message);
});

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  const customer = Object.fromEntries(['salutation', 'firstName', 'lastName', 'street', 'streetNo', 'zip', 'city', 'country', 'email', 'birthday', 'phone'].map((k) => [k, f[k].value]).filter(([k, v]) => k !== 'phone' || v.trim() !== ''));
  const items = articles.map((a) => ({ articleId: a.articleId, quantity: Number(f[`qty-${a.articleId}`].value) })).filter((i) => i.quantity > 0);
  const paymentType = f.paymentType.value;
  const debitAccount = { accountHolder: f.accountHolder.value, iban: f.iban.value, ...(f.bic.value.trim() ? { bic: f.bic.value } : {}) };
  const response = await fetch('/api/checkout', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ customer, items, consent: f.consent.checked, locale: f.locale.value, paymentType, ...(paymentType === 'directDebit' ? { debitAccount } : {}) }),
  });
  const body = await response.json();
  if (response.ok) {
    location.href = `/invoice.html?order=${encodeURIComponent(body.id)}`;
  } else {
    document.getElementById('error').textContent = body.message;
    button.disabled = false;
  }
});
