// billpay-wasm for Node: ready on import (the module is instantiated
// synchronously from the file next to this one).

import { readFileSync } from 'node:fs';
import { initSync } from './generated/billpay.js';
import { markReady } from './core.js';

initSync({ module: readFileSync(new URL('./generated/billpay_bg.wasm', import.meta.url)) });
markReady();

/** Already initialised; kept so code written for the browser entry runs unchanged. */
export async function init() {}

export default init;
export * from './core.js';
