// Checkout: BillPay's consent notice next to the checkbox (from the storefront
// module), then the shop server preauthorizes (it holds the key).
import init, { renderCheckoutNotice } from '/pkg/storefront.js';

await init();
const form = document.getElementById('checkout');
const { articles } = await (await fetch('/api/catalog')).json();
const catalog = document.getElementById('catalog');
for (const [i, article] of articles.entries()) {
  const label = document.createElement('label');
  const input = document.createElement('input');
  input.type = 'number';
  input.min = '0';
  input.max = '20';
  input.name = `qty-${article.articleId}`;
  input.value = i === 0 ? '2' : i === 2 ? '1' : '0';
  label.append(input, ` × ${article.name} — ${article.unitGross} EUR`);
  catalog.append(label);
}

function showNotice() {
  const country = form.elements.country.value;
  // The markup comes from the Rust renderer, which escapes every value.
  document.getElementById('notice').innerHTML = renderCheckoutNotice({ country, locale: 'de' });
}
form.elements.country.addEventListener('change', showNotice);
showNotice();

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  const f = form.elements;
  const customer = Object.fromEntries(['salutation', 'firstName', 'lastName', 'street', 'streetNo', 'zip', 'city', 'country', 'email', 'birthday'].map((k) => [k, f[k].value]));
  const items = articles.map((a) => ({ articleId: a.articleId, quantity: Number(f[`qty-${a.articleId}`].value) })).filter((i) => i.quantity > 0);
  const response = await fetch('/api/checkout', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ customer, items, consent: f.consent.checked, locale: 'de' }),
  });
  const body = await response.json();
  if (response.ok) {
    location.href = `/invoice.html?order=${encodeURIComponent(body.id)}`;
  } else {
    document.getElementById('error').textContent = body.message;
    button.disabled = false;
  }
});
