export * from './api/storefront.js';
export type { InitInput } from './index.js';
import type { InitInput } from './index.js';

/**
 * Instantiates the storefront module (without an argument it loads
 * `billpay_storefront.wasm` next to the package's JS: fetched in browsers, read
 * from disk in Node, Deno and Bun); later calls return the same promise.
 */
export declare function init(input?: InitInput): Promise<void>;
export default init;
