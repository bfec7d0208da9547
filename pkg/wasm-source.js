// Where an entry's `init()` gets its module when it is given nothing: the
// .wasm file next to the package's JS. Browsers fetch it (Vite, webpack and
// Rollup's import-meta-assets plugin rewrite the URL to the emitted asset);
// Node, Deno and Bun read it from disk, since Node's fetch has no file: URLs.

/** The module at `url`: its bytes from disk, or a checked fetch Response. */
export async function defaultSource(url) {
  if (url.protocol === 'file:') {
    const fs = globalThis.process?.getBuiltinModule?.('node:fs');
    if (fs) return fs.promises.readFile(url);
  }
  const response = await fetch(url);
  if (!response.ok) {
    const file = url.pathname.slice(url.pathname.lastIndexOf('/') + 1);
    throw new Error(
      `billpay-wasm: ${file} not found at ${url.href} (HTTP ${response.status}). A bundler that does not handle new URL(…, import.meta.url) needs the file: pass init() the URL its asset loader gives 'billpay-wasm/${file}' (README, "Bundlers and runtimes").`,
    );
  }
  return response;
}
