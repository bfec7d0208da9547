// billpay-wasm for storefront pages: the payment block, references, IBAN/BIC
// checks — the same functions as 'billpay-wasm', from a smaller module without
// the order rules and the client. `await init()` once, then call.

import initWasm, * as wasm from './generated/storefront/billpay.js';
import { bindApi } from './core.js';

const api = bindApi(wasm);
let pending;

export async function init(input) {
  if (!pending) {
    pending = (input === undefined ? initWasm() : initWasm({ module_or_path: input })).then(() => api.markReady());
    pending.catch(() => {
      pending = undefined;
    });
  }
  return pending;
}

export default init;
export { BillPayError } from './errors.js';
export const { paymentReference, findPaymentReference, checkIban, checkBic, renderPaymentBlock, renderCheckoutNotice, errorCodes, epcPayload, swissQrPayload, renderSwissQrBill } = api;
