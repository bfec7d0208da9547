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

const state = (o) => (o.method !== 'invoice' ? '—' : o.status === 'cancelled' ? 'cancelled' : o.bankAccount?.activated ? `due ${o.bankAccount.dueDate}` : 'not activated');

for (const o of orders.filter((o) => o.source === 'shop')) {
  document.getElementById('shop-orders').append(
    row([`#${o.id}`, o.customer[0], `${o.total} ${o.currency}`, state(o), link(`/invoice.html?order=${o.id}`, 'invoice'), link(`/admin.html?order=${o.id}`, 'admin')]),
  );
}
for (const o of orders.filter((o) => o.source === 'example')) {
  document.getElementById('examples').append(
    row([link(`/invoice.html?order=${encodeURIComponent(o.id)}`, `#${o.id}`), o.customer[0], o.locale, o.method, `${o.total} ${o.currency}`, state(o)]),
  );
}
