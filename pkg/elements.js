// Custom elements for any framework (or none). They render into light DOM with
// class names only, so they work under a strict CSP (no inline styles or
// scripts) and the shop styles them (billpay-wasm/billpay.css is a start).
//
//   import 'billpay-wasm/elements';
//   document.querySelector('billpay-payment-block').block = order.paymentBlock;
//   document.querySelector('billpay-order-panel').order = order;   // see order-panel.js

import { init, renderPaymentBlock, BillPayError } from './storefront.js';
import { BillPayOrderPanelElement, ElementBase, adoptEarlyProperties, loadError } from './order-panel.js';

export { BillPayOrderPanelElement };

// Each element instantiates its module when first connected: a storefront
// page never downloads the admin module, an admin page only what it shows.
let ready;

// Pages that enforce Trusted Types (`require-trusted-types-for 'script'`)
// refuse plain strings for innerHTML. The block's markup comes from the Rust
// renderer, which escapes every value, so it is passed through a policy of
// its own name; such a page allows it with `trusted-types billpay-wasm`.
let policy;
function trustedHtml(markup) {
  const types = globalThis.trustedTypes;
  if (!types?.createPolicy) return markup;
  policy ??= types.createPolicy('billpay-wasm', { createHTML: (renderedAndEscaped) => renderedAndEscaped });
  return policy.createHTML(markup);
}

export class BillPayPaymentBlockElement extends ElementBase {
  static observedAttributes = ['locale', 'format', 'qr'];

  #block = null;
  #renders = 0;

  get block() {
    return this.#block;
  }

  set block(value) {
    this.#block = value ?? null;
    this.#render();
  }

  /** The attribute's; without one, what the block is rendered in: its customer's language (nl for NL), else de. */
  get locale() {
    return this.getAttribute('locale') ?? (this.#block?.customerCountry === 'NL' ? 'nl' : 'de');
  }

  set locale(value) {
    // Cleared (null, undefined): the default locale, as frameworks unbind.
    if (value == null) this.removeAttribute('locale');
    else this.setAttribute('locale', value);
  }

  connectedCallback() {
    adoptEarlyProperties(this, ['block', 'locale']);
    this.#render();
  }

  attributeChangedCallback() {
    this.#render();
  }

  async #render() {
    if (!this.isConnected) return;
    // Changes in one task (append, then set block and locale) render once,
    // after the last: one block shown, one billpay-error for a bad one.
    const call = ++this.#renders;
    ready ??= init();
    try {
      await ready;
    } catch (error) {
      // The next render tries again (init() can be retried).
      ready = undefined;
      if (call !== this.#renders) return;
      this.replaceChildren();
      this.dispatchEvent(new CustomEvent('billpay-error', { detail: loadError(error), bubbles: true, composed: true }));
      return;
    }
    if (!this.isConnected || call !== this.#renders) return;
    if (this.#block === null) {
      this.replaceChildren();
      return;
    }
    try {
      const options = {};
      const locale = this.getAttribute('locale');
      if (locale !== null) options.locale = locale;
      const format = this.getAttribute('format');
      if (format !== null) options.format = format;
      const qr = this.getAttribute('qr'); // "auto" (default) or "none"
      if (qr !== null) options.qr = qr;
      const output = renderPaymentBlock(this.#block, options);
      if (options.format === 'text') {
        const pre = document.createElement('pre');
        pre.className = 'billpay-payment-text';
        // The language it is written in, for screen readers (the HTML block
        // says so itself): the attribute's, else the renderer's default, Dutch
        // for customers in the Netherlands and German otherwise.
        pre.lang = options.locale ?? (this.#block?.customerCountry === 'NL' ? 'nl' : 'de');
        pre.textContent = output;
        this.replaceChildren(pre);
      } else {
        // The markup comes from the Rust renderer, which escapes every value.
        this.innerHTML = trustedHtml(output);
      }
    } catch (error) {
      this.replaceChildren();
      const detail = error instanceof BillPayError ? error : new BillPayError('INVALID_INPUT', String(error));
      this.dispatchEvent(new CustomEvent('billpay-error', { detail, bubbles: true, composed: true }));
    }
  }
}

if (globalThis.customElements && !customElements.get('billpay-payment-block')) {
  customElements.define('billpay-payment-block', BillPayPaymentBlockElement);
}
