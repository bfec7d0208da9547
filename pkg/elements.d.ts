import type { Locale, PaymentBlock, Order, BillPayClient, BankAccount, Plan, BillPayError } from './core.js';

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

/**
 * `<billpay-order-panel>`: the order's BillPay state and the admin actions
 * (activate, cancel, return items, discount), each previewed and confirmed.
 * Attributes: `locale` ("en" | "de" | "fr" | "it" | "nl"; default "en"), `today` ("YYYY-MM-DD", default the local date).
 * Events (detail): billpay-activated { order, bankAccount }, billpay-cancelled
 * { order, plan? }, billpay-cart-edited { order, plan }, billpay-error (BillPayError).
 */
export declare class BillPayOrderPanelElement extends HTMLElement {
  order: Order | null;
  client: BillPayClient | null;
  /** True while a request to BillPay runs. */
  readonly busy: boolean;
}

export interface BillPayOrderPanelEventMap {
  'billpay-activated': CustomEvent<{ order: Order; bankAccount: BankAccount }>;
  'billpay-cancelled': CustomEvent<{ order: Order; plan?: Plan }>;
  'billpay-cart-edited': CustomEvent<{ order: Order; plan: Plan }>;
  'billpay-error': CustomEvent<BillPayError>;
}

declare global {
  interface HTMLElementTagNameMap {
    'billpay-payment-block': BillPayPaymentBlockElement;
    'billpay-order-panel': BillPayOrderPanelElement;
  }
}
