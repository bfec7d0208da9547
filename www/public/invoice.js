// The storefront invoice page: the shop prints its own part (address, lines,
// totals) and puts BillPay's payment block at the bottom from the order's
// stored bank data. No other bank account appears on a BillPay invoice.
import '/pkg/elements.js';
import { init, renderSwissQrBill, BillPayError } from '/pkg/storefront.js';

const labels = {
  de: { title: 'Rechnung', number: 'Rechnungsnummer', date: 'Datum', item: 'Artikel', qty: 'Menge', price: 'Einzelpreis', sum: 'Summe', shipping: 'Versand', rebate: 'Nachlass', total: 'Gesamtbetrag', cancelled: 'Diese Bestellung wurde storniert und vollständig gutgeschrieben.', demo: 'Dies ist eine Demo-Rechnung.' },
  en: { title: 'Invoice', number: 'Invoice number', date: 'Date', item: 'Item', qty: 'Qty', price: 'Unit price', sum: 'Amount', shipping: 'Shipping', rebate: 'Discount', total: 'Total', cancelled: 'This order was cancelled and credited in full.', demo: 'This is a demo invoice.' },
  fr: { title: 'Facture', number: 'Numéro de facture', date: 'Date', item: 'Article', qty: 'Qté', price: 'Prix unitaire', sum: 'Montant', shipping: 'Livraison', rebate: 'Remise', total: 'Total', cancelled: 'Cette commande a été annulée et entièrement créditée.', demo: 'Ceci est une facture de démonstration.' },
  it: { title: 'Fattura', number: 'Numero fattura', date: 'Data', item: 'Articolo', qty: 'Qtà', price: 'Prezzo unitario', sum: 'Importo', shipping: 'Spedizione', rebate: 'Sconto', total: 'Totale', cancelled: 'Questo ordine è stato annullato e interamente accreditato.', demo: 'Questa è una fattura dimostrativa.' },
  nl: { title: 'Factuur', number: 'Factuurnummer', date: 'Datum', item: 'Artikel', qty: 'Aantal', price: 'Stukprijs', sum: 'Bedrag', shipping: 'Verzending', rebate: 'Korting', total: 'Totaal', cancelled: 'Deze bestelling is geannuleerd en volledig gecrediteerd.', demo: 'Dit is een demofactuur.' },
};

// The shop's own figures: cents as integers, no floats.
const cents = (text) => {
  const [units, fraction = ''] = text.split('.');
  return Number(units) * 100 + Number(fraction.padEnd(2, '0'));
};
const money = (value, currency) => `${Math.trunc(value / 100)}.${String(value % 100).padStart(2, '0')} ${currency}`;

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

const id = new URLSearchParams(location.search).get('order') ?? '1001';
const response = await fetch(`/api/orders/${encodeURIComponent(id)}`);
if (!response.ok) {
  // A link to an order the shop does not have: say so, in the shop's language.
  const invoice = document.getElementById('invoice');
  const note = document.createElement('p');
  note.className = 'invoice__missing';
  note.setAttribute('role', 'alert');
  note.textContent = `Die Bestellung „${id}“ gibt es in diesem Shop nicht (HTTP ${response.status}). Zur Übersicht: /`;
  invoice.replaceChildren(note);
  invoice.setAttribute('aria-busy', 'false');
} else {
  await renderInvoice(await response.json());
}

/** The shop's part of the invoice and BillPay's payment block. */
async function renderInvoice(order) {
  const t = labels[order.locale] ?? labels.en;
  document.getElementById('demo-note').textContent = t.demo;

  document.documentElement.lang = order.locale;
  document.title = `${t.title} ${order.id}`;
  document.getElementById('title').textContent = `${t.title} ${order.id}`;
  const customer = document.getElementById('customer');
  for (const line of order.customer) {
    customer.append(line, document.createElement('br'));
  }
  const meta = document.getElementById('meta');
  for (const [term, value] of [[t.number, `R-${order.id}`], [t.date, order.date]]) {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = value;
    meta.append(dt, dd);
  }
  document.getElementById('h-item').textContent = t.item;
  document.getElementById('h-qty').textContent = t.qty;
  document.getElementById('h-price').textContent = t.price;
  document.getElementById('h-sum').textContent = t.sum;

  const lines = document.getElementById('lines');
  for (const line of order.lines) {
    const row = document.createElement('tr');
    row.append(
      cell(line.name),
      cell(String(line.quantity), 'num'),
      cell(money(cents(line.unitGross), order.currency), 'num'),
      cell(money(cents(line.unitGross) * line.quantity, order.currency), 'num'),
    );
    lines.append(row);
  }
  const totals = document.getElementById('totals');
  const rebate = order.rebate && order.rebate !== '0.00' ? [[t.rebate, `-${order.rebate}`, '']] : [];
  for (const [label, value, className] of [[t.shipping, order.shipping, ''], ...rebate, [t.total, order.total, 'invoice__total']]) {
    const row = document.createElement('tr');
    if (className) row.className = className;
    const th = document.createElement('th');
    th.scope = 'row';
    th.colSpan = 3;
    th.textContent = label;
    row.append(th, cell(value.startsWith('-') ? `−${money(cents(value.slice(1)), order.currency)}` : money(cents(value), order.currency), 'num'));
    totals.append(row);
  }

  const payment = document.getElementById('payment');
  if (order.status === 'cancelled') {
    const note = document.createElement('p');
    note.className = 'invoice__cancelled';
    note.textContent = t.cancelled;
    payment.replaceWith(note);
  } else {
    payment.addEventListener('billpay-error', (event) => {
      console.error('billpay-payment-block:', event.detail);
    });
    payment.locale = order.locale;
    const block = {
      method: order.method,
      amount: order.total,
      currency: order.currency,
      customerCountry: order.customerCountry,
      ...(order.bankAccount ? { bankAccount: order.bankAccount } : {}),
    };
    // Swiss invoices (CHF, or a CH/LI account) carry the QR-bill at the foot of
    // the A4 page; the block then shows no second code. Everything else gets the
    // block's own code (qr "auto", the default: the EPC QR code for EUR).
    await init();
    try {
      const slip = document.getElementById('qr-bill');
      slip.innerHTML = renderSwissQrBill(block, undefined, { locale: order.locale });
      slip.hidden = false;
      document.getElementById('invoice').classList.add('invoice--qr-bill');
      payment.setAttribute('qr', 'none');
    } catch (error) {
      if (!(error instanceof BillPayError && error.code === 'QR_NOT_APPLICABLE')) console.error('billpay QR-bill:', error);
    }
    payment.block = block;
  }
  document.getElementById('invoice').setAttribute('aria-busy', 'false');
}
