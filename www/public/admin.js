// The shop admin page: the order panel talks to BillPay through the shop's
// relay (/billpay/, which adds the credentials); the shop stores the result.
import init, { BillPayClient } from '/pkg/index.js';
import '/pkg/elements.js';

await init();
const id = new URLSearchParams(location.search).get('order') ?? '5001';
const response = await fetch(`/api/orders/${encodeURIComponent(id)}`);
const shopOrder = await response.json();
document.getElementById('title').textContent = `Bestellung ${shopOrder.id} — ${shopOrder.customer[0]}`;
document.getElementById('invoice-link').href = `/invoice.html?order=${encodeURIComponent(shopOrder.id)}`;

const panel = document.getElementById('panel');
panel.client = new BillPayClient({ endpoint: `${location.origin}/billpay` });
panel.order = shopOrder.billpay;

// The shop records what the panel's operation did: the new status and cart.
// Never the bank data: the shop reads it from BillPay itself, so no page can
// put another payee on an invoice.
async function save(event) {
  const { status, cart } = event.detail.order;
  const response = await fetch(`/api/orders/${encodeURIComponent(id)}/billpay`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ status, cart }),
  });
  if (!response.ok) {
    const { code, message } = await response.json();
    console.error(`the shop did not record the change: ${code} ${message}`);
    return;
  }
  document.body.dataset.saved = String(Number(document.body.dataset.saved ?? 0) + 1);
}
for (const name of ['billpay-activated', 'billpay-cancelled', 'billpay-cart-edited']) panel.addEventListener(name, save);
panel.addEventListener('billpay-error', (event) => console.warn('BillPay:', event.detail.code, event.detail.merchantMessage ?? event.detail.message));
