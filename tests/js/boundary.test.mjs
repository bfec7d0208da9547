// Every entry answers the boundary corpus (boundary-corpus.mjs) exactly as
// recorded: same results, same error codes, paths and messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { collect, recorded, allKeys, hashKeys } from './boundary-corpus.mjs';

const expected = await recorded();
const keys = allKeys();
const byKey = new Map(keys.map((k, i) => [k, expected.outcomes[i]]));

test('the corpus generator still makes the recorded cases', () => {
  assert.equal(keys.length, expected.count);
  assert.equal(hashKeys(keys), expected.keysHash, 'the case list changed: record again (node tests/js/boundary-corpus.mjs --record) and review the diff');
});

function compare(actual) {
  const differences = [];
  actual.keys.forEach((k, i) => {
    const want = byKey.get(k);
    if (want !== actual.outcomes[i]) differences.push(`${k.slice(0, 300)}\n    expected ${want}\n    got      ${actual.outcomes[i]}`);
  });
  assert.equal(differences.length, 0, `${differences.length} of ${actual.keys.length} cases differ:\n${differences.slice(0, 25).join('\n')}`);
}

test('billpay-wasm/node answers every case as recorded', async () => {
  compare(await collect(await import('billpay-wasm/node')));
});

test('billpay-wasm/storefront answers every storefront case as recorded', async () => {
  const storefront = await import('billpay-wasm/storefront');
  await storefront.init(readFileSync(new URL('../../pkg/generated/storefront/billpay_bg.wasm', import.meta.url)));
  compare(await collect(storefront, { storefrontOnly: true, client: false }));
});

test('billpay-wasm (web entry, full module) answers every case as recorded', async () => {
  const web = await import('billpay-wasm');
  await web.init(readFileSync(new URL('../../pkg/generated/full/billpay_bg.wasm', import.meta.url)));
  compare(await collect(web));
});
