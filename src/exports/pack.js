// Written into pkg/api/full.js by src/exports/generate.rs, ahead of the packers
// of the shapes it generates there (`packX(v)`, from the shape declarations).

// Packed arguments (src/shape/json.rs, PACKED): the functions listed in
// src/exports/generate.rs (PACKED) hand plain objects to the module without
// JSON.stringify, which with the copy of its text was a third of a block's
// render in Node. Anything JSON might read otherwise makes a packer answer
// false; that call, like a packed call that fails, takes the JSON path.
const encoder = new TextEncoder();
let pack;
let packAt = 0;
// (A getter that calls billpay while a packer runs gets the JSON path.)
let packing = false;

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
  // Long texts take the JSON path (the buffer's 64 KB are never exceeded).
  if (length > 4096 || packAt > 40000) return false;
  const start = packAt + 5;
  let i = 0;
  for (; i < length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0x80) break;
    pack[start + i] = code;
  }
  // (Lone surrogates become U+FFFD, as on the JSON path.)
  const written = i === length ? length : encoder.encodeInto(value, pack.subarray(start)).written;
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

/** A call's arguments, each packed by its packer; undefined: take the JSON path. */
function packArguments(pairs) {
  // JSON.stringify would see what Object.prototype adds; packers would not.
  for (const _ in Object.prototype) return undefined;
  if (packing || Object.prototype.toJSON !== undefined) return undefined;
  packing = true;
  pack ??= new Uint8Array(1 << 16);
  packAt = 0;
  const packed = [];
  try {
    for (let i = 0; i < pairs.length; i += 2) {
      const start = packAt;
      const value = pairs[i + 1];
      packByte(1);
      if (value == null) packByte(0x6e);
      else if (typeof value !== 'object' || !pairs[i](value)) return undefined;
      packed.push(pack.subarray(start, packAt));
    }
    return packed;
  } catch {
    // A getter or proxy that throws: the JSON path says so in its words.
    return undefined;
  } finally {
    packing = false;
  }
}

