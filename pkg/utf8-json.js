import { data } from './glue.js';

// JSON arguments of the full module's functions (the Node and browser
// entries), written as UTF-8 here into a scratch buffer that the call copies
// into wasm memory in one piece: in the Node module `JSON.stringify` and
// `encodeInto` of a block's arguments were a quarter of a render. (The
// storefront entry keeps `data`: this file would cost its size budget
// 1.3 KB gzip for a few percent of a render.)
//
// Only arrays and objects whose prototype is Object.prototype (or null) are
// written here, read as `JSON.stringify` reads them (own enumerable keys,
// each value read once, in order); anything else (toJSON, class instances,
// boxed primitives, BigInt, depth, a getter that throws) gives up and the
// argument goes through `data`, which then decides: the outcome is always
// JSON.stringify's.
let scratch = new Uint8Array(2048);
let scratchAt = 0;
// Bumped whenever the scratch buffer is emptied: a written argument from
// before that (a getter of a later argument called billpay) is written again.
let generation = 0;
// A value is being written: a call made from one of its getters does not
// empty the scratch buffer, and its own arguments go through `data`.
let writing = false;
const SCRATCH_MAX = 1 << 20;
const GIVE_UP = Symbol('give up');
const HEX = '0123456789abcdef';

function ensure(extra) {
  const need = scratchAt + extra;
  if (need <= scratch.length) return;
  if (need > SCRATCH_MAX) throw GIVE_UP;
  const bigger = new Uint8Array(Math.max(need, scratch.length * 2));
  bigger.set(scratch.subarray(0, scratchAt));
  scratch = bigger;
}

function writeAscii(text) {
  ensure(text.length);
  for (let i = 0; i < text.length; i++) scratch[scratchAt++] = text.charCodeAt(i);
}

/** A JSON string, escaped as JSON.stringify escapes (lone surrogates as \udxxx), in UTF-8. */
function writeString(text) {
  const length = text.length;
  ensure(length * 6 + 2);
  const buffer = scratch;
  let at = scratchAt;
  buffer[at++] = 0x22;
  for (let i = 0; i < length; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      if (code >= 0x20 && code !== 0x22 && code !== 0x5c) {
        buffer[at++] = code;
        continue;
      }
      buffer[at++] = 0x5c;
      const short = code === 0x22 ? 0x22 : code === 0x5c ? 0x5c : code === 8 ? 0x62 : code === 9 ? 0x74 : code === 10 ? 0x6e : code === 12 ? 0x66 : code === 13 ? 0x72 : 0;
      if (short) {
        buffer[at++] = short;
        continue;
      }
    } else if (code < 0x800) {
      buffer[at++] = 0xc0 | (code >> 6);
      buffer[at++] = 0x80 | (code & 0x3f);
      continue;
    } else if (code < 0xd800 || code > 0xdfff) {
      buffer[at++] = 0xe0 | (code >> 12);
      buffer[at++] = 0x80 | ((code >> 6) & 0x3f);
      buffer[at++] = 0x80 | (code & 0x3f);
      continue;
    } else {
      const next = code <= 0xdbff && i + 1 < length ? text.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        buffer[at++] = 0xf0 | (code >> 18);
        buffer[at++] = 0x80 | ((code >> 12) & 0x3f);
        buffer[at++] = 0x80 | ((code >> 6) & 0x3f);
        buffer[at++] = 0x80 | (code & 0x3f);
        i++;
        continue;
      }
      buffer[at++] = 0x5c;
    }
    // \u and four lower-case hex digits: control characters, lone surrogates.
    buffer[at++] = 0x75;
    for (let shift = 12; shift >= 0; shift -= 4) buffer[at++] = HEX.charCodeAt((code >> shift) & 0xf);
  }
  buffer[at++] = 0x22;
  scratchAt = at;
}

function writeValue(value, depth) {
  switch (typeof value) {
    case 'string':
      return writeString(value);
    case 'number':
      return writeAscii(Number.isFinite(value) ? String(value) : 'null');
    case 'boolean':
      return writeAscii(value ? 'true' : 'false');
    case 'object':
      break;
    default:
      throw GIVE_UP;
  }
  if (value === null) return writeAscii('null');
  if (depth > 32 || typeof value.toJSON === 'function') throw GIVE_UP;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) throw GIVE_UP;
    ensure(1);
    scratch[scratchAt++] = 0x5b;
    const length = value.length;
    for (let i = 0; i < length; i++) {
      if (i > 0) {
        ensure(1);
        scratch[scratchAt++] = 0x2c;
      }
      const item = value[i];
      const kind = typeof item;
      if (item === undefined || kind === 'function' || kind === 'symbol') writeAscii('null');
      else writeValue(item, depth + 1);
    }
    ensure(1);
    scratch[scratchAt++] = 0x5d;
    return;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) throw GIVE_UP;
  ensure(1);
  scratch[scratchAt++] = 0x7b;
  let first = true;
  for (const key of Object.keys(value)) {
    const item = value[key];
    const kind = typeof item;
    if (item === undefined || kind === 'function' || kind === 'symbol') continue;
    if (!first) {
      ensure(1);
      scratch[scratchAt++] = 0x2c;
    }
    first = false;
    writeString(key);
    ensure(1);
    scratch[scratchAt++] = 0x3a;
    writeValue(item, depth + 1);
  }
  ensure(1);
  scratch[scratchAt++] = 0x7d;
}

/** An argument written into the scratch buffer, as the glue's `call` takes it (`length`, `usable()`, `bytes()`). */
class Written {
  constructor(start, length, input, name) {
    this.start = start;
    this.length = length;
    this.generation = generation;
    this.input = input;
    this.name = name;
  }

  /** Itself, or its JSON text when the scratch buffer was emptied since it was written. */
  usable() {
    return this.generation === generation ? this : data(this.input, this.name);
  }

  /** Its bytes, as the call copies them into wasm memory: then the scratch buffer may be reused. */
  bytes() {
    const view = scratch.subarray(this.start, this.start + this.length);
    if (!writing && this.generation === generation) {
      scratchAt = 0;
      generation++;
    }
    return view;
  }
}

/**
 * Any JS value as JSON, like `data`: plain data written here as UTF-8,
 * anything else `data`'s JSON text.
 */
export function value(input, name) {
  if (writing || input === null || typeof input !== 'object') return data(input, name);
  const start = scratchAt;
  writing = true;
  try {
    writeValue(input, 0);
    return new Written(start, scratchAt - start, input, name);
  } catch {
    // Given up, or a getter threw: `data` reads it again and decides.
    scratchAt = start;
    return data(input, name);
  } finally {
    writing = false;
  }
}
