export * from './api/storefront.js';
export type { InitInput } from './index.js';
import type { InitInput } from './index.js';

/**
 * Instantiates the storefront module (fetches `billpay_storefront.wasm` next to
 * the package's JS without an argument); later calls return the same promise.
 */
export declare function init(input?: InitInput): Promise<void>;
export default init;
