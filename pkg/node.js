// billpay-wasm for Node — the full API, ready on import (the module is
// instantiated synchronously from the file next to this one).

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as wasm from './generated/node/billpay_node.js';
import { modules } from './glue.js';
import { makeCreateRelay } from './relay.js';

// The file's path is built from this module's own path: bundlers rewrite
// new URL('…', import.meta.url) into a browser asset (Next.js server builds
// hand readFileSync a URL-like object of /_next/static/…), while
// import.meta.url stays this file's location on disk. The module is the full
// one built for speed (opt-level 3; see Cargo.toml, profile release-speed):
// servers render in batches and never download it.
const wasmFile = join(dirname(fileURLToPath(import.meta.url)), 'generated', 'node', 'billpay_node_bg.wasm');
modules.full.markReady(wasm.initSync({ module: readFileSync(wasmFile) }), wasm);

/** Already initialised; kept so code written for the browser entry runs unchanged. */
export async function init() {}

/** The relay for admin pages (see relay.js). */
export const createRelay = makeCreateRelay(wasm);

export default init;
export * from './api/full.js';
