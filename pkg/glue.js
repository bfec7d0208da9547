// What the generated API files (pkg/api/*.js, from src/exports.rs) build
// on: the export list's argument kinds, checked in JS, and the calls into a
// wasm module with BillPayError out. One ES module, as each more costs a
// fresh Node process a millisecond (`npm run bench`); every storefront page
// loads it, so what only the client needs is in src/exports/client.js.

// BillPayError: the one error type of the package, a real Error with a stable `code`.
// (Its details' types: errors.d.ts.)
export class BillPayError extends Error {
  constructor(code, message, details = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'BillPayError';
    this.code = code;
    for (const key of ['path', 'apiCode', 'customerMessage', 'merchantMessage']) if (details[key] !== undefined) this[key] = details[key];
    this.retryable = details.retryable ?? false;
  }
}

/** Turns what the wasm side threw (a JSON string) into a BillPayError; rethrows anything else. */
export function fromWasm(thrown) {
  if (typeof thrown === 'string' && thrown.startsWith('{')) {
    let data;
    try {
      data = JSON.parse(thrown);
    } catch {
      return new BillPayError('INVALID_INPUT', thrown);
    }
    return new BillPayError(data.code, data.message, data);
  }
  return thrown;
}

/**
 * The module at `url` (by default the .wasm next to the entry, whose URL
 * Vite, webpack and Rollup rewrite to the emitted asset): its bytes from
 * disk for a file: URL (Node's fetch has none), else a checked Response.
 */
export async function defaultSource(url, given = false) {
  if (url.protocol === 'file:') {
    const fs = globalThis.process?.getBuiltinModule?.('node:fs');
    if (fs) return loaded(fs.promises.readFile(url), `file ${url.href}`);
  }
  const response = await loaded(fetch(url), `at ${url.href}`);
  if (!response.ok) throw notServed(response, url, given);
  return response;
}

/** `promise` of the .wasm's file or response; failing (no such file, no answer) it is a BillPayError. */
async function loaded(promise, where) {
  try {
    return await promise;
  } catch (error) {
    const file = where.startsWith('file');
    throw new BillPayError(file ? 'INVALID_INPUT' : 'NETWORK_ERROR', `the .wasm ${where} could not be loaded (${error?.code ?? error?.message ?? error})`, { retryable: !file, cause: error });
  }
}

/** A .wasm URL answered with an error status: where, and (for the default URL) what a bundler needs. */
function notServed(response, url, given) {
  const file = url.pathname.slice(url.pathname.lastIndexOf('/') + 1);
  const hint = ` A bundler that does not handle new URL(…, import.meta.url) needs the file: pass init() the URL its asset loader gives 'billpay-wasm/${file}' (README, "Bundlers and runtimes").`;
  return new BillPayError('HTTP_ERROR', `billpay-wasm: ${file} not found at ${url.href} (HTTP ${response.status}).${given ? '' : hint}`, { retryable: response.status >= 500 });
}

/** The most characters of an argument (JSON text for objects), checked before wasm memory, never given back, grows. */
export const MAX_INPUT_CHARS = 8 * 1024 * 1024;

function tooLarge(length, name) {
  return new BillPayError('INPUT_TOO_LARGE', `${name}: at most ${MAX_INPUT_CHARS} characters of input, got ${length}`, { path: name });
}

function typeName(value) {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

/** A JS string, passed as it is. */
export function text(value, name) {
  if (typeof value !== 'string') {
    throw new BillPayError('INVALID_TYPE', `${name}: expected a string, got ${value === null ? 'null' : typeof value}`, { path: name });
  }
  if (value.length > MAX_INPUT_CHARS) throw tooLarge(value.length, name);
  return value;
}

/** Anything (non-strings arrive as `None`), for the checks, which answer rather than throw: no IBAN or BIC is MAX_INPUT_CHARS long. */
export function maybeText(value) {
  return typeof value === 'string' ? value.slice(0, MAX_INPUT_CHARS) : undefined;
}

/** BillPay's merchant id: a string, or a safe whole number. */
export function merchantId(value, name) {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new BillPayError('INVALID_MERCHANT_ID', `${name}: a BillPay merchant id is a positive whole number, got ${value}`, { path: name });
    }
    return String(value);
  }
  return text(value, name);
}

/** Any JS value as JSON text (`undefined` is `null`); only data crosses. `root`: error paths start inside it, as Rust's do. */
export function data(value, name, root = false) {
  const kind = typeof value;
  if (kind === 'function' || kind === 'symbol') {
    throw new BillPayError('INVALID_TYPE', `${name}: expected data, got a ${kind}`, { path: name });
  }
  let json;
  try {
    json = value === undefined ? 'null' : JSON.stringify(value);
  } catch (error) {
    // BigInt, cycles, throwing getters: not data we can take.
    throw plainData(error, name);
  }
  if (json === undefined) json = 'null';
  if (json.length > MAX_INPUT_CHARS) throw tooLarge(json.length, name);
  // NaN and ±Infinity became null ("left out" for an optional field): refused as themselves.
  if (json.includes('null')) {
    try {
      finiteNumbers(value, root ? '' : name);
    } catch (error) {
      throw plainData(error, name);
    }
  }
  return json;
}

function finiteNumbers(original, path) {
  // What JSON.stringify writes: toJSON's result, boxed numbers unboxed.
  let value = typeof original?.toJSON === 'function' ? original.toJSON() : original;
  if (value instanceof Number) value = Number(value);
  if (typeof value === 'number' && !Number.isFinite(value)) {
    const message = `invalid type: ${value}, which JSON cannot carry (it would arrive as null)`;
    throw new BillPayError('INVALID_TYPE', path ? `${path}: ${message}` : message, path ? { path } : {});
  }
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) value.forEach((item, index) => finiteNumbers(item, `${path}[${index}]`));
  else for (const key of Object.keys(value)) finiteNumbers(value[key], path ? `${path}.${key}` : key);
}

/** An optional object of strings, its shape checked here in these checks' words (`fields`: [name, optional] from Rust). */
export function checked(value, name, fields) {
  try {
    return checkedShape(value, name, fields);
  } catch (error) {
    throw plainData(error, name);
  }
}

/** A proxy or getter that throws while an argument is read: not data we can take. */
export function plainData(error, name) {
  if (error instanceof BillPayError) return error;
  return new BillPayError('INVALID_TYPE', `${name} is not plain data: ${error?.message ?? String(error)}`, { path: name, cause: error });
}

function checkedShape(value, name, fields) {
  if (value === undefined || value === null) return 'null';
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new BillPayError('INVALID_TYPE', `${name}: expected an object, got ${typeName(value)}`, { path: name });
  }
  const known = fields.map(([field]) => field);
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      const shown = key.length > 40 ? `${key.slice(0, 40)}…` : key;
      throw new BillPayError('UNKNOWN_FIELD', `${name}: unknown field \`${shown}\`, expected one of ${known.map((f) => `\`${f}\``).join(', ')}`, { path: `${name}.${shown}` });
    }
  }
  for (const [field, optional] of fields) {
    const inner = value[field];
    if (inner === undefined || (inner === null && optional)) {
      if (!optional) throw new BillPayError('MISSING_FIELD', `${name}: missing field \`${field}\``, { path: `${name}.${field}` });
      continue;
    }
    text(inner, `${name}.${field}`);
  }
  return data(value, name);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
// Node reads Latin-1 bytes into a string several times faster than UTF-8
// with a few umlauts in it; the module answers in Latin-1 where it can when
// asked (src/wasm/raw.rs).
const latin1Slice = typeof globalThis.Buffer === 'function' ? globalThis.Buffer.prototype.latin1Slice : undefined;
const LATIN1 = 1 << 30;

/**
 * The calls into one wasm module, which its entry instantiates. Arguments
 * go as UTF-8 into the module's input buffer, one after the other, and the
 * answer comes back from its output buffer (src/wasm/raw.rs).
 */
export function entry() {
  let exports;
  let bindings;
  let bytes = new Uint8Array(0);
  function ensureReady() {
    if (!exports) {
      throw new BillPayError('NOT_INITIALIZED', "billpay-wasm is not initialised yet: `await init()` first (or import 'billpay-wasm/node' in Node)");
    }
  }
  /** A view of the module's memory (a new one after the memory grew). */
  function memory() {
    // Growing detaches the old buffer: its views have no bytes (cheaper than reading `memory.buffer`).
    if (bytes.byteLength === 0) bytes = new Uint8Array(exports.memory.buffer);
    return bytes;
  }
  // Where the arguments are being written, and where the room for them ends.
  let at = 0;
  let end = 0;
  /** Writes `arg`; its length in bytes, -1 for none, -2 when it did not fit. */
  function put(arg) {
    if (arg === undefined) return -1;
    const length = arg.length;
    const view = bytes;
    const start = at;
    if (length <= 64 && start + length <= end) {
      // Short ASCII (IBANs, BICs, order numbers) byte by byte: cheaper than
      // a subarray and encodeInto.
      let i = 0;
      for (; i < length; i++) {
        const code = arg.charCodeAt(i);
        if (code >= 0x80) break;
        view[start + i] = code;
      }
      if (i === length) {
        at = start + length;
        return length;
      }
    }
    const { read, written } = encoder.encodeInto(arg, view.subarray(start, end));
    if (read < length) return -2;
    at = start + written;
    return written;
  }
  // The input buffer as the module last gave it (it only moves to grow).
  let input = 0;
  let inputCapacity = -1;
  // The address of the word where the module keeps its last answer's address.
  let outputAt = 0;
  /** Makes room for `perChar` bytes a character of the arguments. */
  function room(perChar, a, b, c) {
    const capacity = perChar * ((a?.length ?? 0) + (b?.length ?? 0) + (c?.length ?? 0));
    if (capacity > inputCapacity) {
      input = exports.bp_input(capacity);
      inputCapacity = capacity;
    }
    at = input;
    end = input + capacity;
    memory();
  }
  function answer(length) {
    const failed = length < 0;
    const size = failed ? -length - 1 : length & (LATIN1 - 1);
    const view = memory();
    // Where the answer starts: a little-endian word in the module's memory.
    const start = (view[outputAt] | (view[outputAt + 1] << 8) | (view[outputAt + 2] << 16) | (view[outputAt + 3] << 24)) >>> 0;
    const text = length & LATIN1 && !failed ? latin1Slice.call(view, start, start + size) : decoder.decode(view.subarray(start, start + size));
    if (failed) throw fromWasm(text);
    return text;
  }
  /** Calls export `name` with up to three string arguments (undefined: none). */
  // Calls so far: a packer that sees this change while it writes (a getter
  // that called billpay) knows its bytes may have been overwritten.
  let calls = 0;
  function call(name, a, b, c) {
    ensureReady();
    calls++;
    // Room for one byte a character first (ASCII, nearly always), three if
    // that was not enough: wasm memory, once grown, is never given back.
    room(1, a, b, c);
    let la = put(a);
    let lb = la === -2 ? -2 : put(b);
    let lc = lb === -2 ? -2 : put(c);
    if (la === -2 || lb === -2 || lc === -2) {
      room(3, a, b, c);
      la = put(a);
      lb = put(b);
      lc = put(c);
    }
    return answer(exports[name](la, lb, lc));
  }
  return {
    /**
     * Room for `capacity` bytes of arguments packed by api/full.js in the
     * module's input buffer: where they start in `view()`, or -1 before init().
     */
    packRoom(capacity) {
      if (!exports) return -1;
      if (capacity > inputCapacity) {
        input = exports.bp_input(capacity);
        inputCapacity = capacity;
      }
      memory();
      return input;
    },
    view: () => bytes,
    calls: () => calls,
    /** Export `name` on the packed arguments of these lengths: its text, or undefined (then it is called with JSON). */
    packed(name, [la, lb, lc]) {
      calls++;
      const length = exports[name](la, lb, lc);
      return length < 0 ? undefined : answer(length);
    },
    /** The size of the module's memory in bytes (for the tests' bounds). */
    memoryBytes: () => exports?.memory.buffer.byteLength ?? 0,
    /** The module is instantiated: its exports (and the full module's wasm-bindgen classes). */
    markReady(instanceExports, bindingsModule) {
      exports = instanceExports;
      bindings = bindingsModule;
      // Another instance (the Node entry and 'billpay-wasm' in one process): its own memory.
      bytes = new Uint8Array(0);
      inputCapacity = -1;
      outputAt = exports.bp_output_at();
      if (latin1Slice) exports.bp_latin1(1);
    },
    ensureReady,
    /** A string result. */
    text: (name, a, b, c) => call(name, a, b, c),
    /** A JSON result. */
    json: (name, a, b, c) => JSON.parse(call(name, a, b, c)),
    /**
     * A check's answer (src/shape/mod.rs, `Verdict`): a passed check's fields
     * as they came (separated by U+001F; the generated function cuts them
     * out), or a failed check as its object (code, U+001E, message).
     */
    verdict(name, a, b, c) {
      const text = call(name, a, b, c);
      const cut = text.indexOf('\x1e');
      if (cut >= 0) return { valid: false, code: text.slice(0, cut), message: text.slice(cut + 1) };
      return text;
    },
    /** The full module's wasm-bindgen classes (the client's engine). */
    bindings: () => bindings,
  };
}

/** Compiles what `init()` was given: a URL or path, a Request, a Response or a promise of one, bytes, or a WebAssembly.Module. */
export async function compile(input) {
  let source = input;
  let where = 'given to init()';
  // Bytes first: in Node, touching `Response` or `fetch` loads the whole fetch implementation (tens of ms).
  if (!ArrayBuffer.isView(source) && !(source instanceof ArrayBuffer)) {
    if (typeof source === 'string' || source instanceof URL) source = fromLocation(source);
    else if (typeof Request === 'function' && source instanceof Request) source = loaded(fetch(source), `at ${source.url}`);
    else if (source === null || (typeof source !== 'object' && typeof source !== 'function')) {
      throw new BillPayError('INVALID_TYPE', `init() takes a URL, path, Request, Response, bytes or WebAssembly.Module, got ${typeName(source)}`);
    }
    source = await source;
    if (typeof Response === 'function' && source instanceof Response) {
      if (!source.ok) throw notServed(source, new URL(source.url || 'about:blank'), true);
      where = `at ${source.url}`;
      const streaming = typeof WebAssembly.compileStreaming === 'function' && source.headers.get('content-type')?.startsWith('application/wasm');
      source = streaming ? WebAssembly.compileStreaming(source) : await source.arrayBuffer();
    }
  }
  if (source instanceof WebAssembly.Module || source instanceof Promise) return source;
  const bytes = ArrayBuffer.isView(source) ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength) : new Uint8Array(source);
  // No "\0asm" (an HTML page served for the .wasm): said here; other compile errors (a CSP without 'wasm-unsafe-eval') pass as they are.
  if (bytes[0] !== 0 || bytes[1] !== 97 || bytes[2] !== 115 || bytes[3] !== 109) {
    throw new BillPayError('INVALID_INPUT', `the .wasm ${where} is not a WebAssembly module (it starts with ${JSON.stringify(decoder.decode(bytes.subarray(0, 16)))})`);
  }
  // Synchronous outside a browser window: a tenth faster cold start (`npm run bench`).
  return typeof window === 'undefined' ? new WebAssembly.Module(bytes) : WebAssembly.compile(bytes);
}

/** The module at a URL (relative to the page in browsers), or at a file path (`C:\\…` too) outside them. */
function fromLocation(location) {
  const fs = typeof window === 'undefined' ? globalThis.process?.getBuiltinModule?.('node:fs') : undefined;
  if (fs && typeof location === 'string' && !/^(https?|file|data|blob):/i.test(location)) return loaded(fs.promises.readFile(location), `file ${location}`);
  return defaultSource(new URL(location, globalThis.location?.href), true);
}

/** `module` if its exports and imports say it is `file` (another .wasm would fail later, with a TypeError). */
export function checkModule(module, file, required, importsFrom) {
  const names = WebAssembly.Module.exports(module).map((e) => e.name);
  if (!required.every((name) => names.includes(name)) || WebAssembly.Module.imports(module).some((i) => i.module !== importsFrom)) {
    throw new BillPayError('INVALID_INPUT', `init() needs ${file}, the .wasm of the entry it was imported from; it was given another module`);
  }
  return module;
}

/** The storefront module's exports, instantiated from what `init()` was given. */
export async function instantiate(input) {
  const module = checkModule(await compile(input), 'billpay_storefront.wasm', ['bp_output_at', 'renderPaymentBlock']);
  return typeof window === 'undefined' ? new WebAssembly.Instance(module).exports : (await WebAssembly.instantiate(module)).exports;
}

/** The call state of each wasm module: its entries mark it ready. */
export const modules = { storefront: entry(), full: entry() };
