/**
 * 'billpay-wasm/billpay_storefront.wasm' and 'billpay-wasm/billpay_full_bg.wasm':
 * what the bundler's rule for .wasm makes of the file — a URL string from
 * asset/file loaders (esbuild's `file` loader, Vite's `?url`), a compiled
 * WebAssembly.Module in Cloudflare Workers. Either can be passed to `init()`.
 */
declare global {
  // As in index.d.ts: a Node project without the DOM library has no WebAssembly types.
  namespace WebAssembly {
    interface Module {}
  }
}

declare const wasm: string | WebAssembly.Module;
export default wasm;
