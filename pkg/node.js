// billpay-wasm for Node — the full API, ready on import (the module is
// instantiated synchronously from the file next to this one).

import { readFileSync } from 'node:fs';
import * as wasm from './generated/full/billpay.js';
import { bindApi } from './core.js';
import { makeCreateRelay } from './relay.js';

wasm.initSync({ module: readFileSync(new URL('./generated/full/billpay_bg.wasm', import.meta.url)) });
const api = bindApi(wasm);
api.markReady();

/** Already initialised; kept so code written for the browser entry runs unchanged. */
export async function init() {}

/** The relay for admin pages (see relay.js). */
export const createRelay = makeCreateRelay(wasm);

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
