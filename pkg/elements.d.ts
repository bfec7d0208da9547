import type { Locale, PaymentBlock } from './core.js';

/**
 * `<billpay-payment-block>`: renders the payment block for `block` in `locale`.
 * Light DOM (style it with billpay-wasm/billpay.css or your own rules); fires
 * `billpay-error` (detail: the BillPayError) when the block is invalid.
 * Attributes: `locale`, `format` ("html" | "text"), `qr` ("auto": the EPC QR
 * code or Swiss QR Code inside the block, the default; "none").
 */
export declare class BillPayPaymentBlockElement extends HTMLElement {
  block: PaymentBlock | null;
  locale: Locale;
}

declare global {
  interface HTMLElementTagNameMap {
    'billpay-payment-block': BillPayPaymentBlockElement;
  }
}
