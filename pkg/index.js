// billpay-wasm for browsers, workers and bundlers: `await init()` once, then call.
//
//   import init, { renderPaymentBlock } from 'billpay-wasm';
//   await init();                       // fetches billpay_bg.wasm next to this file
//   await init(bytesOrResponseOrUrl);   // or hand it the module yourself

import initWasm from './generated/billpay.js';
import { markReady } from './core.js';

let pending;

export async function init(input) {
  if (!pending) {
    pending = (input === undefined ? initWasm() : initWasm({ module_or_path: input })).then(() => {
      markReady();
    });
    pending.catch(() => {
      pending = undefined; // allow a retry after a failed fetch
    });
  }
  return pending;
}

export default init;
export * from './core.js';
