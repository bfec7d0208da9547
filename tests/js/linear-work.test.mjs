// The inputs for work that used to grow quadratically (issue 13):
// remittance text with bare CR line breaks, carts and returns of 40 000
// lines. No clock: the Rust tests count the reference search's steps; here the
// package handles the sizes that took seconds to minutes and gives the right
// answers. (The XML side, 5 900 and more attributes, is in relay-abuse.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findPaymentReference, cartTotals, planReturn } from 'billpay-wasm/node';

test("findPaymentReference on ' BP1\\r' × 8 000 and × 16 000, and every other line break", () => {
  // 48 KB took 10 s and 96 KB 42 s, blocking the event loop.
  for (const count of [8000, 16000]) {
    for (const br of ['\r', '\n', '\r\n', '\n\r', '\u2028', '\u0085']) {
      const noise = ` BP1${br}`.repeat(count);
      assert.equal(findPaymentReference(noise), null, JSON.stringify(br));
      // After a blank line (a wrap never crosses one).
      const found = findPaymentReference(`${noise}${br}${br}BP1234567/4441`);
      assert.equal(found?.reference, 'BP1234567/4441', JSON.stringify(br));
    }
  }
  // Mixed breaks, the merchant id wrapped after a full 35-character line.
  const text = `${' BP1\r'.repeat(8000)}Rechnung 77 vom 03.11. BP1234567/44\r\n41 danke\n`;
  assert.equal(findPaymentReference(text)?.reference, 'BP1234567/4441');
  // ...and not after a short one, whatever the text before it.
  assert.equal(findPaymentReference(`${'Kundennummer 4711 Rechnung\r'.repeat(2000)}BP1234567/44\r41`)?.reference, 'BP1234567/44');
});

function cart(count) {
  return {
    articles: Array.from({ length: count }, (_, i) => ({ articleId: `a${i}`, name: `Article ${i}`, quantity: 2, unitNet: '20.92', unitGross: '24.90' })),
    shipping: { name: 'DHL', net: '4.12', gross: '4.90' },
    rebate: { net: '0.00', gross: '0.00' },
  };
}

test('cartTotals at 10 000 / 20 000 / 40 000 lines', () => {
  // 0.4 / 1.2 / 5.1 s before: every line was compared with every earlier one.
  for (const count of [10_000, 20_000, 40_000]) {
    const totals = cartTotals(cart(count));
    const gross = BigInt(count) * 2n * 2490n + 490n;
    assert.equal(totals.gross, `${gross / 100n}.${String(gross % 100n).padStart(2, '0')}`);
    assert.deepEqual(totals.taxes.map((t) => t.rate), ['19']);
  }
  const duplicate = cart(40_000);
  duplicate.articles[39_999].articleId = 'a3';
  assert.throws(() => cartTotals(duplicate), { code: 'DUPLICATE_ARTICLE', path: /articles\[39999\]\.articleId$/ });
});

test('planReturn of 40 000 items on a 40 000-line order', () => {
  // 6.4 s before: the cart was scanned for each returned item.
  const order = { reference: '1001', currency: 'EUR', cart: cart(40_000), status: 'activated', createdAt: '2026-11-01' };
  const items = order.cart.articles.map((a) => ({ articleId: a.articleId, quantity: 1 }));
  const plan = planReturn(order, items);
  assert.equal(plan.action, 'editCartContent');
  assert.equal(plan.cart.articles.length, 40_000);
  assert.ok(plan.cart.articles.every((a) => a.quantity === 1));
  assert.equal(plan.credit, '996000.00');
  assert.throws(() => planReturn(order, [...items, { articleId: 'nope', quantity: 1 }]), { code: 'UNKNOWN_ARTICLE', path: /items\[40000\]\.articleId$/ });
});
