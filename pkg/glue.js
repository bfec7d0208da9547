// What the generated API files (pkg/api/*.js, written by `cargo test` from
// src/exports.rs) build on: the argument kinds of the export list, checked
// here in JS where JS types matter, and the calls into one wasm module with
// BillPayError out.

import { BillPayError, fromWasm } from './errors.js';

/**
 * The most characters one argument may have (JSON text for objects). Checked
 * before anything is copied into wasm memory, which a wasm instance never
 * gives back.
 */
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

/** Anything: non-strings arrive in Rust as `None` (validation helpers answer them). */
export function maybeText(value, name) {
  return typeof value === 'string' ? text(value, name) : undefined;
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

/** Any JS value as JSON text (`undefined` is `null`); only data crosses. */
export function data(value, name) {
  const kind = typeof value;
  if (kind === 'function' || kind === 'symbol') {
    throw new BillPayError('INVALID_TYPE', `${name}: expected data, got a ${kind}`, { path: name });
  }
  let json;
  try {
    json = value === undefined ? 'null' : JSON.stringify(value);
  } catch (error) {
    // BigInt, cycles, throwing getters: not data we can take.
    throw new BillPayError('INVALID_TYPE', `${name} is not plain data: ${error?.message ?? String(error)}`, { path: name, cause: error });
  }
  if (json === undefined) json = 'null';
  if (json.length > MAX_INPUT_CHARS) throw tooLarge(json.length, name);
  return json;
}

/**
 * An optional object of strings whose shape is checked here, in the words
 * these checks always used (`fields`: [name, optional] from the Rust shape).
 */
export function checked(value, name, fields) {
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

/** The calls into one wasm module, which its entry instantiates. */
export function entry() {
  let ready = false;
  function ensureReady() {
    if (!ready) {
      throw new BillPayError('NOT_INITIALIZED', "billpay-wasm is not initialised yet: `await init()` first (or import 'billpay-wasm/node' in Node)");
    }
  }
  function call(fn, args) {
    ensureReady();
    try {
      return fn(...args);
    } catch (thrown) {
      throw fromWasm(thrown);
    }
  }
  return {
    markReady() {
      ready = true;
    },
    ensureReady,
    call,
    /** A string result. */
    text: (fn, ...args) => call(fn, args),
    /** A JSON result. */
    json: (fn, ...args) => JSON.parse(call(fn, args)),
    /** A construction, e.g. of the client's engine. */
    make: (build) => call(build, []),
    /** A promise of JSON (`null` resolves to undefined). */
    async promise(run) {
      ensureReady();
      let answer;
      try {
        answer = await run();
      } catch (thrown) {
        throw fromWasm(thrown);
      }
      const value = JSON.parse(answer);
      return value === null ? undefined : value;
    },
  };
}

/** The call state of each wasm module: its entries mark it ready. */
export const modules = { storefront: entry(), full: entry() };

/**
 * The client's configuration before Rust checks it: in a browser a path on
 * the page's own origin (`{ endpoint: '/billpay' }`, the shop's relay) becomes
 * an absolute URL.
 */
export function clientConfig(config) {
  if (
    config !== null &&
    typeof config === 'object' &&
    typeof config.endpoint === 'string' &&
    config.endpoint.startsWith('/') &&
    !config.endpoint.startsWith('//') &&
    globalThis.location?.href
  ) {
    return { ...config, endpoint: new URL(config.endpoint, globalThis.location.href).href };
  }
  return config;
}
