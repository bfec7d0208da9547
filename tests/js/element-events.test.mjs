// The elements' event maps in pkg/elements.d.ts name exactly the events that
// pkg/elements.js and pkg/order-panel.js dispatch: a new event without its
// declaration (or a declared event nobody fires) fails here, not in a shop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const read = (file) => readFileSync(new URL(`../../pkg/${file}`, import.meta.url), 'utf8');

/** Event names a source dispatches: `new CustomEvent('…'` and the panel's `#emit(…, detail)`, whose name may be a conditional. */
function dispatched(source) {
  const names = new Set();
  for (const [, name] of source.matchAll(/new CustomEvent\(\s*'([^']+)'/g)) names.add(name);
  for (const [, nameExpression] of source.matchAll(/#emit\(([^,]+),/g)) {
    if (nameExpression.trim() === 'name') continue; // #emit's own definition
    const literals = [...nameExpression.matchAll(/'([^']+)'/g)].map((m) => m[1]);
    assert.ok(literals.length > 0, `#emit(${nameExpression}): the event name is not a literal this test can read`);
    for (const name of literals) names.add(name);
  }
  return [...names].sort();
}

/** Keys of `export interface <name> {` … `}` (one `'event': CustomEvent<…>;` a line) in the d.ts. */
function declared(dts, name) {
  const lines = dts.split('\n');
  const start = lines.indexOf(`export interface ${name} {`);
  assert.ok(start >= 0, `${name} is declared in pkg/elements.d.ts`);
  const end = lines.indexOf('}', start);
  return lines
    .slice(start + 1, end)
    .map((line) => line.match(/^\s*'([^']+)':\s*CustomEvent</)?.[1])
    .filter(Boolean)
    .sort();
}

const dts = read('elements.d.ts');

test('<billpay-payment-block>: declared events = dispatched events', () => {
  assert.deepEqual(declared(dts, 'BillPayPaymentBlockEventMap'), dispatched(read('elements.js')));
});

test('<billpay-order-panel>: declared events = dispatched events', () => {
  const panel = dispatched(read('order-panel.js'));
  assert.ok(panel.includes('billpay-contact') && panel.includes('billpay-cart-edited'), `found ${panel}`);
  assert.deepEqual(declared(dts, 'BillPayOrderPanelEventMap'), panel);
});
