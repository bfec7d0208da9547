// Size budget of what a storefront downloads: the .wasm plus its JS glue,
// gzip -9. Timings are never asserted (machines are noisy); sizes are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureSize } from '../../bench/run.mjs';

const BUDGET_GZIP = 100 * 1024;

test(`module + glue stay within ${BUDGET_GZIP / 1024} KB gzip`, () => {
  const { wasm, glue } = measureSize();
  const total = wasm.gzip + glue.gzip;
  assert.ok(total <= BUDGET_GZIP, `module ${wasm.gzip} + glue ${glue.gzip} = ${total} bytes gzip > ${BUDGET_GZIP}`);
});
