export * from './api/full.js';

/** Input accepted by init(): what WebAssembly can be compiled from, or where to fetch it. */
export type InitInput = BufferSource | WebAssembly.Module | Response | Request | Promise<Response | BufferSource | WebAssembly.Module> | URL | string;

/**
 * Instantiates the module; call once before anything else (later calls return
 * the same promise). Without an argument it loads `billpay_full_bg.wasm` next to
 * the package's JS (fetched in browsers, read from disk in Node, Deno and Bun);
 * a bundler's asset URL of 'billpay-wasm/billpay_full_bg.wasm' can be passed instead.
 */
export declare function init(input?: InitInput): Promise<void>;
export default init;
