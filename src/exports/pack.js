// Written into pkg/api/full.js by src/exports/generate.rs, ahead of the packers
// of the shapes it generates there (`packX(v)`, from the shape declarations).

// Packed arguments (src/shape/json.rs, PACKED): the functions listed in
// src/exports/generate.rs (PACKED) hand plain objects to the module without
// JSON.stringify, which with the copy of its text was a third of a block's
// render in Node. Anything JSON might read otherwise makes a packer answer
// false; that call, like a packed call that fails, takes the JSON path.
const encoder = new TextEncoder();
// Packed straight into the module's input buffer (`run.packRoom`).
let pack;
let packAt = 0;
// Strings start no later than this: the room asked for is never exceeded.
let packLimit = 0;
// (A getter that calls billpay while a packer runs gets the JSON path.)
let packing = false;
// The lengths of a call's packed arguments (-1: none), reused.
const packedLengths = [-1, -1, -1];

function packByte(byte) {
  pack[packAt++] = byte;
  return true;
}

/** Opens an object of a shape: a plain one. */
function packOpen(value) {
  const prototype = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && packByte(0x7b);
}

const packClose = () => packByte(0x7d);

/** Field `index` if `write` takes it (`undefined` is left out, as by JSON). */
function packField(index, value, write) {
  return value === undefined || (packByte(index) && (value === null ? packByte(0x6e) : write(value)));
}

function packText(value) {
  if (typeof value !== 'string') return false;
  const length = value.length;
  // Long texts take the JSON path, whose limits stay as they are.
  if (length > 4096 || packAt > packLimit) return false;
  const start = packAt + 5;
  let i = 0;
  for (; i < length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0x80) break;
    pack[start + i] = code;
  }
  // (Lone surrogates become U+FFFD, as on the JSON path.)
  const written = i === length ? length : encoder.encodeInto(value, pack.subarray(start, start + 3 * length)).written;
  pack[packAt] = 0x73;
  pack[packAt + 1] = 0;
  pack[packAt + 2] = written >> 14;
  pack[packAt + 3] = (written >> 7) & 0x7f;
  pack[packAt + 4] = written & 0x7f;
  packAt = start + written;
  return true;
}

const refuse = () => false;

function packTruth(value) {
  return typeof value === 'boolean' && packByte(value ? 0x74 : 0x66);
}

const packString = (index, value) => packField(index, value, packText);

const packBoolean = (index, value) => packField(index, value, packTruth);

const packShape = (index, packer, value) => packField(index, value, typeof value === 'object' ? packer : refuse);

/** One argument: its length in bytes, or -2 when its packer refused it. */
function packArgument(packer, value) {
  const start = packAt;
  packByte(1);
  if (value == null) packByte(0x6e);
  else if (typeof value !== 'object' || !packer(value)) return -2;
  return packAt - start;
}

/**
 * A call's arguments (up to three, each with its packer) packed into the
 * module's input buffer: their lengths, or undefined to take the JSON path.
 */
function packArguments(pa, a, pb, b, pc, c) {
  // JSON.stringify would see what Object.prototype adds; packers would not.
  for (const _ in Object.prototype) return undefined;
  if (packing || Object.prototype.toJSON !== undefined) return undefined;
  const start = run.packRoom(1 << 16);
  if (start < 0) return undefined;
  const calls = run.calls();
  packing = true;
  pack = run.view();
  packAt = start;
  packLimit = start + 40000;
  try {
    packedLengths[0] = packArgument(pa, a);
    packedLengths[1] = pb === undefined ? -1 : packArgument(pb, b);
    packedLengths[2] = pc === undefined ? -1 : packArgument(pc, c);
    // A getter that called billpay wrote into the same buffer.
    if (packedLengths.includes(-2) || run.calls() !== calls) return undefined;
    return packedLengths;
  } catch {
    // A getter or proxy that throws: the JSON path says so in its words.
    return undefined;
  } finally {
    packing = false;
    pack = undefined;
  }
}
