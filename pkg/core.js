// The public functions, on top of a generated wasm-bindgen module. `bindApi`
// is called once per module by the entries (index.js and node.js: the full
// module; storefront.js: the small one), which instantiate it before use.
//
// Objects cross the boundary as one JSON string: one crossing per call instead
// of one per field, and JS numbers where strings are expected are refused by the
// Rust side with the field's path (money is never a float).

import { BillPayError, fromWasm } from './errors.js';
import { makeClientClass } from './client.js';

export { BillPayError };

/**
 * The API over one instantiated-on-demand wasm module.
 * @param {Record<string, Function>} wasm the generated module's exports
 */
export function bindApi(wasm) {
  let ready = false;

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

  function paymentReference(orderNumber, merchantId) {
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

  function findPaymentReference(text) {
    requireString(text, 'text');
    return JSON.parse(call(wasm.findPaymentReference, text));
  }

  function checkIban(value) {
    if (typeof value !== 'string') {
      return { valid: false, code: 'INVALID_TYPE', message: 'an IBAN is passed as a string' };
    }
    return JSON.parse(call(wasm.checkIban, value));
  }

  function checkBic(value) {
    if (typeof value !== 'string') {
      return { valid: false, code: 'INVALID_TYPE', message: 'a BIC is passed as a string' };
    }
    return JSON.parse(call(wasm.checkBic, value));
  }

  function renderPaymentBlock(block, options) {
    return call(wasm.renderPaymentBlock, toJson(block, 'block'), toJson(options, 'options'));
  }

  function renderCheckoutNotice(options) {
    return call(wasm.renderCheckoutNotice, toJson(options, 'options'));
  }

  /** Every stable error code (kept in sync with the README and index.d.ts by a test). */
  function errorCodes() {
    return JSON.parse(call(wasm.errorCodes));
  }

  // --- scannable codes: EPC QR code (EUR), Swiss QR-bill (CHF, CH/LI accounts)

  function epcPayload(block) {
    return call(wasm.epcPayload, toJson(block, 'block'));
  }

  // The creditor and the bill's options are checked for shape here (known
  // fields, strings) and cross as plain strings; their content (lengths,
  // character set, country code, locale) is checked by the Rust side. Parsing
  // them from JSON in Rust would cost the storefront module several KB.
  const CREDITOR = { name: true, street: false, houseNumber: false, postalCode: true, town: true, country: true };

  function plainObject(value, name) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new BillPayError('INVALID_TYPE', `${name}: expected an object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`, { path: name });
    }
    return value;
  }

  function knownFields(value, name, fields) {
    for (const key of Object.keys(plainObject(value, name))) {
      if (!fields.includes(key)) {
        throw new BillPayError('UNKNOWN_FIELD', `${name}: unknown field \`${key}\`, expected one of ${fields.map((f) => `\`${f}\``).join(', ')}`, { path: `${name}.${key}` });
      }
    }
  }

  /** [custom, name, street, houseNumber, postalCode, town, country] */
  function creditorArgs(creditor) {
    if (creditor === undefined || creditor === null) return [false, '', '', '', '', '', ''];
    knownFields(creditor, 'creditor', Object.keys(CREDITOR));
    const values = Object.entries(CREDITOR).map(([field, required]) => {
      const value = creditor[field];
      if (value === undefined || (value === null && !required)) {
        if (required) throw new BillPayError('MISSING_FIELD', `creditor: missing field \`${field}\``, { path: `creditor.${field}` });
        return '';
      }
      return requireString(value, `creditor.${field}`);
    });
    return [true, ...values];
  }

  function swissQrPayload(block, creditor) {
    return call(wasm.swissQrPayload, toJson(block, 'block'), ...creditorArgs(creditor));
  }

  function renderSwissQrBill(block, creditor, options) {
    let locale;
    if (options !== undefined && options !== null) {
      knownFields(options, 'options', ['locale']);
      if (options.locale !== undefined) locale = requireString(options.locale, 'options.locale');
    }
    return call(wasm.renderSwissQrBill, toJson(block, 'block'), ...creditorArgs(creditor), locale);
  }


  // --- order rules (admin pages and back-ends) --------------------------------

  function cartTotals(cart) {
    return JSON.parse(call(wasm.cartTotals, toJson(cart, 'cart')));
  }

  function orderStatus(order, today) {
    requireString(today, 'today');
    return JSON.parse(call(wasm.orderStatus, toJson(order, 'order'), today));
  }

  function planReturn(order, items, options) {
    return JSON.parse(call(wasm.planReturn, toJson(order, 'order'), toJson(items, 'items'), toJson(options, 'options')));
  }

  function planDiscount(order, gross) {
    requireString(gross, 'gross');
    return JSON.parse(call(wasm.planDiscount, toJson(order, 'order'), gross));
  }

  return {
    markReady() {
      ready = true;
    },
    wasm,
    ensureReady,
    BillPayClient: wasm.clientCall ? makeClientClass(wasm, ensureReady) : undefined,
    paymentReference,
    findPaymentReference,
    checkIban,
    checkBic,
    renderPaymentBlock,
    renderCheckoutNotice,
    errorCodes,
    epcPayload,
    swissQrPayload,
    renderSwissQrBill,
    cartTotals,
    orderStatus,
    planReturn,
    planDiscount,
  };
}
