// The error codes are public interface: the Rust enum (as the module reports
// it), the README table and the TypeScript union must list the same codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { errorCodes } from 'billpay-wasm/node';

const root = new URL('../../', import.meta.url);

test('README, core.d.ts and the Rust enum list the same error codes', async () => {
  const fromRust = errorCodes();
  assert.ok(fromRust.length > 20);

  const readme = await readFile(new URL('README.md', root), 'utf8');
  const table = readme.split('<!-- error-codes:')[1]?.split('\n## ')[0] ?? '';
  const fromReadme = [...table.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);

  const dts = await readFile(new URL('pkg/core.d.ts', root), 'utf8');
  const union = dts.split('export type ErrorCode =')[1]?.split(';')[0] ?? '';
  const fromTypes = [...union.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]);

  assert.deepEqual(fromReadme, fromRust, 'README table (same order as the Rust enum)');
  assert.deepEqual(fromTypes, fromRust, 'ErrorCode union in pkg/core.d.ts');
});
