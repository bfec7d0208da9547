// The public functions, on top of the generated wasm-bindgen module. Shared by
// the browser entry (index.js) and the Node entry (node.js); both make sure the
// module is instantiated before these run.
//
// Objects cross the boundary as one JSON string: one crossing per call instead
// of one per field, and JS numbers where strings are expected are refused by the
// Rust side with the field's path (money is never a float).

import * as wasm from './generated/billpay.js';
import { BillPayError, fromWasm } from './errors.js';

let ready = false;

/** Called by the entries once the module is instantiated. */
export function markReady() {
  ready = true;
}

export function isReady() {
  return ready;
}

function ensureReady() {
  if (!ready) {
    throw new BillPayError(
      'NOT_INITIALIZED',
      "billpay-wasm is not initialised yet: `await init()` first (or import 'billpay-wasm/node' in Node)",
    );
  }
}

function toJson(value, name) {
  if (value === undefined) return 'null';
  try {
    return JSON.stringify(value);
  } catch (error) {
    // BigInt, cycles: not data we can take.
    throw new BillPayError('INVALID_TYPE', `${name} is not plain data: ${error.message}`, { path: name, cause: error });
  }
}

function requireString(value, name) {
  if (typeof value !== 'string') {
    throw new BillPayError('INVALID_TYPE', `${name}: expected a string, got ${value === null ? 'null' : typeof value}`, { path: name });
  }
  return value;
}

function call(fn, ...args) {
  ensureReady();
  try {
    return fn(...args);
  } catch (thrown) {
    throw fromWasm(thrown);
  }
}

export function paymentReference(orderNumber, merchantId) {
  requireString(orderNumber, 'orderNumber');
  let mid = merchantId;
  if (typeof mid === 'number') {
    if (!Number.isSafeInteger(mid)) {
      throw new BillPayError('INVALID_MERCHANT_ID', `merchantId: a BillPay merchant id is a positive whole number, got ${mid}`, { path: 'merchantId' });
    }
    mid = String(mid);
  }
  requireString(mid, 'merchantId');
  return call(wasm.paymentReference, orderNumber, mid);
}

export function findPaymentReference(text) {
  requireString(text, 'text');
  return JSON.parse(call(wasm.findPaymentReference, text));
}

export function checkIban(value) {
  if (typeof value !== 'string') {
    return { valid: false, code: 'INVALID_TYPE', message: 'an IBAN is passed as a string' };
  }
  return JSON.parse(call(wasm.checkIban, value));
}

export function checkBic(value) {
  if (typeof value !== 'string') {
    return { valid: false, code: 'INVALID_TYPE', message: 'a BIC is passed as a string' };
  }
  return JSON.parse(call(wasm.checkBic, value));
}

export function renderPaymentBlock(block, options) {
  return call(wasm.renderPaymentBlock, toJson(block, 'block'), toJson(options, 'options'));
}

export function renderCheckoutNotice(options) {
  return call(wasm.renderCheckoutNotice, toJson(options, 'options'));
}

// Scannable codes: EPC QR code (EUR) and Swiss QR-bill (CHF, and CH/LI accounts).

export function epcPayload(block) {
  return call(wasm.epcPayload, toJson(block, 'block'));
}

export function swissQrPayload(block, creditor) {
  return call(wasm.swissQrPayload, toJson(block, 'block'), toJson(creditor, 'creditor'));
}

export function renderSwissQrBill(block, creditor, options) {
  return call(wasm.renderSwissQrBill, toJson(block, 'block'), toJson(creditor, 'creditor'), toJson(options, 'options'));
}

/** Every stable error code (kept in sync with the README and index.d.ts by a test). */
export function errorCodes() {
  return JSON.parse(call(wasm.errorCodes));
}

export { BillPayError };
