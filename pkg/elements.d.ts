import type { Locale, PaymentBlock, Order, BillPayClient, BankAccount, Plan, BillPayError } from './core.js';

/**
 * `<billpay-payment-block>`: renders the payment block for `block` in `locale`.
 * Light DOM (style it with billpay-wasm/billpay.css or your own rules); fires
 * `billpay-error` (detail: the BillPayError) when the block is invalid.
 * Attributes: `locale`, `format` ("html" | "text"), `qr` ("auto": the EPC QR
 * code or Swiss QR Code inside the block, the default; "none").
 */
export declare class BillPayPaymentBlockElement extends HTMLElement {
  get block(): PaymentBlock | null;
  /** Cleared with null or undefined (as frameworks unbind). */
  set block(value: PaymentBlock | null | undefined);
  /** The `locale` attribute; unset: the language of `block.customerCountry` (nl for NL), else de. */
  get locale(): Locale;
  /** null or undefined removes the attribute (the default locale). */
  set locale(value: Locale | null | undefined);
  addEventListener<K extends keyof BillPayPaymentBlockEventMap>(type: K, listener: (this: BillPayPaymentBlockElement, event: BillPayPaymentBlockEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener<K extends keyof HTMLElementEventMap>(type: K, listener: (this: BillPayPaymentBlockElement, event: HTMLElementEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof BillPayPaymentBlockEventMap>(type: K, listener: (this: BillPayPaymentBlockElement, event: BillPayPaymentBlockEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener<K extends keyof HTMLElementEventMap>(type: K, listener: (this: BillPayPaymentBlockElement, event: HTMLElementEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

/** Events of `<billpay-payment-block>` (they bubble). */
export interface BillPayPaymentBlockEventMap {
  'billpay-error': CustomEvent<BillPayError>;
}

/**
 * `<billpay-order-panel>`: the order's BillPay state and the admin actions
 * (activate, cancel, return items, discount), each previewed and confirmed.
 * Attributes: `locale` ("en" | "de" | "fr" | "it" | "nl"; default "en"), `today` ("YYYY-MM-DD", default the local date),
 * `rebate` ("keep" | "prorate": what a return does to the order's rebate, planReturn's option; default "keep").
 * Events (detail): billpay-activated { order, bankAccount }, billpay-cancelled
 * { order, plan? }, billpay-cart-edited { order, plan }, billpay-error (BillPayError),
 * billpay-contact { href } (the merchant-service form was sent; the panel then opens the mailto: link).
 */
export declare class BillPayOrderPanelElement extends HTMLElement {
  get order(): Order | null;
  /** Cleared with null or undefined (as frameworks unbind). */
  set order(value: Order | null | undefined);
  get client(): BillPayClient | null;
  set client(value: BillPayClient | null | undefined);
  /** True while a request to BillPay runs. */
  readonly busy: boolean;
  addEventListener<K extends keyof BillPayOrderPanelEventMap>(type: K, listener: (this: BillPayOrderPanelElement, event: BillPayOrderPanelEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener<K extends keyof HTMLElementEventMap>(type: K, listener: (this: BillPayOrderPanelElement, event: HTMLElementEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof BillPayOrderPanelEventMap>(type: K, listener: (this: BillPayOrderPanelElement, event: BillPayOrderPanelEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener<K extends keyof HTMLElementEventMap>(type: K, listener: (this: BillPayOrderPanelElement, event: HTMLElementEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

/** Events of `<billpay-order-panel>` (they bubble and cross shadow roots). */
export interface BillPayOrderPanelEventMap {
  'billpay-activated': CustomEvent<{ order: Order; bankAccount: BankAccount }>;
  'billpay-cancelled': CustomEvent<{ order: Order; plan?: Plan }>;
  'billpay-cart-edited': CustomEvent<{ order: Order; plan: Plan }>;
  'billpay-error': CustomEvent<BillPayError>;
  'billpay-contact': CustomEvent<{ href: string }>;
}

declare global {
  interface HTMLElementTagNameMap {
    'billpay-payment-block': BillPayPaymentBlockElement;
    'billpay-order-panel': BillPayOrderPanelElement;
  }
}
