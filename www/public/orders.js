// Lists the shop's orders (at BillPay) and the static invoice examples.
const orders = await (await fetch('/api/orders')).json();

function row(cells) {
  const tr = document.createElement('tr');
  for (const content of cells) {
    const td = document.createElement('td');
    td.append(content);
    tr.append(td);
  }
  return tr;
}

function link(href, text) {
  const a = document.createElement('a');
  a.href = href;
  a.textContent = text;
  return a;
}

const METHODS = { invoice: 'invoice', directDebit: 'direct debit', paylater: 'PayLater', transactionCredit: 'transaction credit' };

/** BillPay's state of a shop order (the admin page's); examples show what their bank data says. */
function state(o) {
  if (o.source === 'shop') {
    if (o.status === 'cancelled') return 'cancelled';
    if (o.status !== 'activated') return 'not activated';
    const due = o.billpay.bankAccount?.dueDate;
    return o.method === 'directDebit' ? `activated, debit from ${due}` : `due ${due}`;
  }
  if (!o.bankAccount) return '—';
  return o.bankAccount.activated ? (o.bankAccount.dueDate ? `due ${o.bankAccount.dueDate}` : 'activated') : 'not activated';
}

for (const o of orders.filter((o) => o.source === 'shop')) {
  document.getElementById('shop-orders').append(
    row([`#${o.id}`, o.customer[0], METHODS[o.method] ?? o.method, `${o.total} ${o.currency}`, state(o), link(`/invoice.html?order=${o.id}`, 'invoice'), link(`/admin.html?order=${o.id}`, 'admin')]),
  );
}
for (const o of orders.filter((o) => o.source === 'example')) {
  document.getElementById('examples').append(
    row([link(`/invoice.html?order=${encodeURIComponent(o.id)}`, `#${o.id}`), o.customer[0], o.locale, METHODS[o.method] ?? o.method, `${o.total} ${o.currency}`, state(o)]),
  );
}
