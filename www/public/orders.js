// Lists the demo orders with links to their invoices.
const body = document.getElementById('orders');
const orders = await (await fetch('/api/orders')).json();
for (const order of orders) {
  const row = document.createElement('tr');
  const link = document.createElement('a');
  link.href = `/invoice.html?order=${encodeURIComponent(order.id)}`;
  link.textContent = `#${order.id}`;
  const cells = [
    link,
    order.customer[0],
    order.locale,
    order.method,
    `${order.total} ${order.currency}`,
    order.method !== 'invoice' ? '—' : order.bankAccount.activated ? `due ${order.bankAccount.dueDate}` : 'not activated',
  ];
  for (const content of cells) {
    const cell = document.createElement('td');
    cell.append(content);
    row.append(cell);
  }
  body.append(row);
}
