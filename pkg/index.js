// billpay-wasm for browsers, workers and bundlers — the full API (payment
// block, references, IBAN/BIC, order rules, client). `await init()` once, then
// call. Storefront pages that only print the payment block can import the
// smaller 'billpay-wasm/storefront' instead.
//
//   import init, { renderPaymentBlock } from 'billpay-wasm';
//   await init();                       // billpay_full_bg.wasm next to this file
//   await init(bytesOrResponseOrUrl);   // or hand it the module yourself
//                                       // (e.g. the URL from your bundler's
//                                       //  asset loader of 'billpay-wasm/billpay_full_bg.wasm')

import initWasm, * as bindings from './generated/full/billpay_full.js';
import { checkModule, compile, defaultSource, modules } from './glue.js';

let pending;

/** Instantiates the module once; later calls return the same promise (a failed one may be retried). */
export function init(input) {
  if (!pending) {
    const source = input ?? defaultSource(new URL('./generated/full/billpay_full_bg.wasm', import.meta.url));
    // Checked before wasm-bindgen sees it: it keeps a module it could not start.
    pending = compile(source)
      .then((module) => checkModule(module, 'billpay_full_bg.wasm', ['__wbindgen_start', 'client_new', 'bp_output_at'], './billpay_full_bg.js'))
      .then((module_or_path) => initWasm({ module_or_path }))
      .then((exports) => modules.full.markReady(exports, bindings));
    pending.catch(() => {
      pending = undefined;
    });
  }
  return pending;
}

export default init;
export * from './api/full.js';
