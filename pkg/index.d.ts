export * from './api/full.js';

declare global {
  // WebAssembly's types come with the DOM library (and runtimes' own, such
  // as workers'); a Node project without "dom" in `lib` has none. An empty
  // interface merges with theirs and keeps such a project compiling.
  namespace WebAssembly {
    interface Module {}
  }
}

/** Input accepted by init(): what WebAssembly can be compiled from, or where to fetch it. */
export type InitInput = ArrayBuffer | ArrayBufferView | WebAssembly.Module | Response | Request | Promise<Response | ArrayBuffer | ArrayBufferView | WebAssembly.Module> | URL | string;

/**
 * Instantiates the module; call once before anything else (later calls return
 * the same promise). Without an argument it loads `billpay_full_bg.wasm` next to
 * the package's JS (fetched in browsers, read from disk in Node, Deno and Bun);
 * a bundler's asset URL of 'billpay-wasm/billpay_full_bg.wasm' can be passed instead.
 */
export declare function init(input?: InitInput): Promise<void>;
export default init;
