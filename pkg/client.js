// BillPayClient: BillPay's XML API from browsers, workers and Node ≥ 20. The
// operations, the request building, the retry policy and the answer checks
// run in the wasm core; `fetch` is the transport.
//
// Without credentials the client talks to a relay (createRelay in
// 'billpay-wasm/node'), which adds them on the shop's server.

import { BillPayError, fromWasm } from './errors.js';

function json(value, name) {
  try {
    return JSON.stringify(value ?? null);
  } catch (error) {
    throw new BillPayError('INVALID_TYPE', `${name} is not plain data: ${error.message}`, { path: name, cause: error });
  }
}

/** Makes the class for one instantiated module (the full one). */
export function makeClientClass(wasm, ensureReady) {
  return class BillPayClient {
    #config;

    constructor(config) {
      ensureReady();
      if (config !== null && typeof config === 'object') {
        // Never echo a mistyped key in an error message (serde would quote it).
        if (config.securityKey !== undefined && typeof config.securityKey !== 'string') {
          throw new BillPayError('INVALID_TYPE', 'config.securityKey: expected a string (the portal security key from BillPay)', { path: 'config.securityKey' });
        }
        // A relay on the page's own server: { endpoint: '/billpay' } in a browser.
        if (typeof config.endpoint === 'string' && config.endpoint.startsWith('/') && !config.endpoint.startsWith('//') && globalThis.location?.href) {
          config = { ...config, endpoint: new URL(config.endpoint, globalThis.location.href).href };
        }
      }
      this.#config = json(config, 'config');
      try {
        wasm.checkClientConfig(this.#config);
      } catch (thrown) {
        throw fromWasm(thrown);
      }
      // The key is hashed in wasm per request; it is never kept on `this`.
      Object.defineProperty(this, 'endpoint', { value: config.endpoint, enumerable: true });
    }

    async #call(operation, ...args) {
      let text;
      try {
        text = await wasm.clientCall(this.#config, operation, json(args, 'arguments'));
      } catch (thrown) {
        throw fromWasm(thrown);
      }
      const value = JSON.parse(text);
      return value === null ? undefined : value;
    }

    /** invoiceCreated: starts the payment term; resolves to the bank data with the due date. */
    activate(request) {
      return this.#call('activate', request);
    }

    /** cancel: credits the whole order (before or after activation). */
    cancel(request) {
      return this.#call('cancel', request);
    }

    /** editCartContent with the complete remaining cart. */
    editCart(request) {
      return this.#call('editCart', request);
    }

    /** Runs a plan from planReturn/planDiscount; resolves to the order afterwards. */
    apply(order, plan) {
      return this.#call('apply', order, plan);
    }

    /** getBillPayBankData. */
    bankData(reference) {
      return this.#call('bankData', reference);
    }

    moduleConfig(request) {
      return this.#call('moduleConfig', request);
    }

    preauthorize(request) {
      return this.#call('preauthorize', request);
    }

    capture(request) {
      return this.#call('capture', request);
    }

    updateOrder(request) {
      return this.#call('updateOrder', request);
    }
  };
}
