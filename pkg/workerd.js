// billpay-wasm for Cloudflare Workers and workerd — the full API, ready on
// import. Workers may not compile WebAssembly from bytes at run time, so the
// module is imported as a compiled WebAssembly.Module (wrangler's default rule
// for .wasm; with workerd alone, list it as a `wasm` module). Chosen by the
// `workerd` export condition for 'billpay-wasm'; also 'billpay-wasm/workerd'.

import wasmModule from './generated/full/billpay_full_bg.wasm';
import * as bindings from './generated/full/billpay_full.js';
import { modules } from './glue.js';

modules.full.markReady(bindings.initSync({ module: wasmModule }), bindings);

/** Already initialised; kept so code written for the browser entry runs unchanged. */
export async function init() {}

export default init;
export * from './api/full.js';
