// billpay-wasm for browsers, workers and bundlers — the full API (payment
// block, references, IBAN/BIC, order rules, client). `await init()` once, then
// call. Storefront pages that only print the payment block can import the
// smaller 'billpay-wasm/storefront' instead.
//
//   import init, { renderPaymentBlock } from 'billpay-wasm';
//   await init();                       // fetches the .wasm next to this file
//   await init(bytesOrResponseOrUrl);   // or hand it the module yourself

import initWasm, * as wasm from './generated/full/billpay.js';
import { bindApi } from './core.js';

const api = bindApi(wasm);
let pending;

export async function init(input) {
  if (!pending) {
    pending = (input === undefined ? initWasm() : initWasm({ module_or_path: input })).then(() => api.markReady());
    pending.catch(() => {
      pending = undefined; // allow a retry after a failed fetch
    });
  }
  return pending;
}

export default init;
export { BillPayError } from './errors.js';
export const {
  paymentReference,
  findPaymentReference,
  checkIban,
  checkBic,
  renderPaymentBlock,
  renderCheckoutNotice,
  errorCodes,
  epcPayload,
  swissQrPayload,
  renderSwissQrBill,
  cartTotals,
  orderStatus,
  planReturn,
  planDiscount,
  BillPayClient,
} = api;
