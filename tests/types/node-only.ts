// Compiled by tsconfig.node-only.json: Node's types, no DOM library.
import { readFile } from 'node:fs/promises';
import init, { renderPaymentBlock, type InitInput } from 'billpay-wasm';
import initStorefront, { checkIban } from 'billpay-wasm/storefront';
import { paymentReference } from 'billpay-wasm/node';
import wasmAsset from 'billpay-wasm/billpay_storefront.wasm';

export async function nodeOnly(): Promise<string> {
  const bytes: InitInput = await readFile(new URL('../../pkg/generated/full/billpay_full_bg.wasm', import.meta.url));
  await init(bytes);
  await initStorefront(wasmAsset);
  const verdict = checkIban('DE89 3704 0044 0532 0130 00');
  return renderPaymentBlock({ method: 'invoice', amount: '1.00', currency: 'EUR' }) + paymentReference('1001', 4441) + String(verdict.valid);
}
