// billpay-wasm/storefront for Cloudflare Workers and workerd: the storefront
// module imported as a compiled WebAssembly.Module (see workerd.js), ready on
// import. Chosen by the `workerd` export condition for 'billpay-wasm/storefront'.

import wasmModule from './generated/storefront/billpay_storefront.wasm';
import { modules } from './glue.js';

modules.storefront.markReady(new WebAssembly.Instance(wasmModule, {}).exports);

/** Already initialised; kept so code written for the browser entry runs unchanged. */
export async function init() {}

export default init;
// The storefront entry's functions; its `init` is shadowed by the one above.
export * from './storefront.js';
