// billpay-wasm for storefront pages: the payment block, references, IBAN/BIC
// checks and the scannable codes — the same functions as 'billpay-wasm', from
// a smaller module without the order rules and the client. `await init()`
// once, then call (without an argument it loads billpay_storefront.wasm next
// to this file; bundlers without an asset rule for it: pass the URL of
// 'billpay-wasm/billpay_storefront.wasm').

import { defaultSource, instantiate, modules } from './glue.js';

let pending;

/** Instantiates the module once; later calls return the same promise (a failed one may be retried). */
export function init(input) {
  if (!pending) {
    pending = instantiate(input ?? defaultSource(new URL('./generated/storefront/billpay_storefront.wasm', import.meta.url))).then((exports) =>
      modules.storefront.markReady(exports),
    );
    pending.catch(() => {
      pending = undefined;
    });
  }
  return pending;
}

export default init;
export * from './api/storefront.js';
