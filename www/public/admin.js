// The shop admin page: the order panel talks to BillPay through the shop's
// relay (/billpay/, which adds the credentials); the shop stores the result.
import init, { BillPayClient } from '/pkg/index.js';
import '/pkg/elements.js';

await init();
const id = new URLSearchParams(location.search).get('order') ?? '5001';
const response = await fetch(`/api/orders/${encodeURIComponent(id)}`);
const shopOrder = await response.json();
const panel = document.getElementById('panel');
if (!response.ok || !shopOrder.billpay) {
  // No such order, or one of the static invoice examples, which BillPay never saw.
  const note = document.createElement('p');
  note.className = 'admin-problem';
  note.setAttribute('role', 'alert');
  note.textContent = response.ok
    ? `Bestellung ${shopOrder.id} ist ein Rechnungsbeispiel ohne Bestellung bei BillPay: Es gibt nichts zu verwalten.`
    : `Die Bestellung „${id}“ gibt es in diesem Shop nicht (HTTP ${response.status}).`;
  panel.replaceWith(note);
} else {
  manage(shopOrder);
}

/** The panel for an order BillPay has, and what the shop records of its actions. */
function manage(shopOrder) {
  document.getElementById('title').textContent = `Bestellung ${shopOrder.id} — ${shopOrder.customer[0]}`;
  document.getElementById('invoice-link').href = `/invoice.html?order=${encodeURIComponent(shopOrder.id)}`;

  panel.client = new BillPayClient({ endpoint: `${location.origin}/billpay` });
  panel.order = shopOrder.billpay;

  // The shop records what the panel's operation did: the new status and cart.
  // Never the bank data: the shop reads it from BillPay itself, so no page can
  // put another payee on an invoice.
  async function record(status, cart) {
    const response = await fetch(`/api/orders/${encodeURIComponent(id)}/billpay`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status, cart }),
    });
    const answer = await response.json();
    if (!response.ok) {
      // BillPay has done it; the shop has not recorded it: the admin must know.
      // BillPay's API reports no order's cart: the shop cannot read it back.
      // From the reloaded (stored) order the same action sends the same
      // complete cart, which BillPay takes again; an activation is taken over
      // from BillPay's refusal (ALREADY_ACTIVATED, below).
      // A cancellation cannot be repeated (BillPay refuses a cancelled order).
      showProblem(
        status === 'cancelled'
          ? `BillPay hat die Bestellung storniert, der Shop konnte das aber nicht speichern (${answer.code}: ${answer.message}). Die Bestellung ist bei BillPay storniert; ein erneutes Stornieren lehnt BillPay ab. Tragen Sie die Stornierung in der Bestellverwaltung des Shops nach.`
          : `BillPay hat die Änderung ausgeführt, der Shop konnte sie aber nicht speichern (${answer.code}: ${answer.message}). Laden Sie die Seite neu und führen Sie dieselbe Aktion noch einmal aus: BillPay nimmt denselben Warenkorb noch einmal an, und der Shop speichert ihn.`,
      );
      return null;
    }
    showProblem(null);
    document.body.dataset.saved = String(Number(document.body.dataset.saved ?? 0) + 1);
    return answer;
  }

  const problem = document.createElement('p');
  problem.className = 'admin-problem';
  problem.setAttribute('role', 'alert');
  problem.hidden = true;
  panel.before(problem);
  function showProblem(text) {
    problem.hidden = text === null;
    problem.textContent = text ?? '';
  }

  for (const name of ['billpay-activated', 'billpay-cancelled', 'billpay-cart-edited']) {
    panel.addEventListener(name, (event) => record(event.detail.order.status, event.detail.order.cart));
  }
  panel.addEventListener('billpay-error', async (event) => {
    console.warn('BillPay:', event.detail.code, event.detail.merchantMessage ?? event.detail.message);
    // Activated at BillPay but not in the shop (a save that failed, another
    // tab): the shop reads the activation back from BillPay and the panel
    // shows it.
    if (event.detail.code === 'ALREADY_ACTIVATED' && panel.order?.status === 'preauthorized') {
      const saved = await record('activated', panel.order.cart);
      if (saved) panel.order = saved.billpay;
    }
  });
}
