// billpay-wasm for Node — the full API, ready on import (the module is
// instantiated synchronously from the file next to this one).

import { readFileSync } from 'node:fs';
import * as wasm from './generated/full/billpay_full.js';
import { modules } from './glue.js';
import { makeCreateRelay } from './relay.js';

modules.full.markReady(wasm.initSync({ module: readFileSync(new URL('./generated/full/billpay_full_bg.wasm', import.meta.url)) }));

/** Already initialised; kept so code written for the browser entry runs unchanged. */
export async function init() {}

/** The relay for admin pages (see relay.js). */
export const createRelay = makeCreateRelay(wasm);

export default init;
export * from './api/full.js';
