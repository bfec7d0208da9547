// 'billpay-wasm/vendure': BillPay purchase on invoice as a Vendure 3 plug-in.
// Needs @vendure/core 3.x (an optional peer dependency of billpay-wasm).
import type { OrderProcess, OrderService, PaymentMethodEligibilityChecker, PaymentMethodHandler, RequestContext, TransactionalConnection } from '@vendure/core';
import type { BankAccount, Cart, Company, Locale, Order as BillPayOrder, PaymentBlock, Plan } from './core.js';

/**
 * A class, as Vendure's `plugins` list takes it (@vendure/common's `Type`,
 * written here: @vendure/common is @vendure/core's dependency, not the
 * shop's, and strict installs such as pnpm's do not let the shop resolve it).
 */
interface PluginClass<T> extends Function {
  new (...args: any[]): T;
}

export interface BillPayPluginOptions {
  /** Activate at BillPay (Vendure: settle the payment) when the order is completely shipped: its last fulfillment reaches Shipped (or Delivered), or the lines still to ship are cancelled. A partial shipment waits. Default false. */
  settleOnShipment?: boolean;
  /** Per request to BillPay; default 25000 (BillPay's own library). */
  timeoutMs?: number;
  /** Extra attempts after transport failures, for requests safe to repeat (never a preauthorization); default 2. */
  retries?: number;
}

/** The plug-in: registers the handler, the eligibility checker, the order-process check and the Admin API key mask. */
export declare const BillPayPlugin: PluginClass<unknown> & {
  init(options?: BillPayPluginOptions): PluginClass<unknown>;
};

/**
 * The payment method handler, code "billpay-invoice". Arguments (per payment method, in Vendure's admin):
 * endpoint (default BillPay's live URL), merchantId, portalId, securityKey (shown masked), delayDays.
 */
export declare const billpayPaymentHandler: PaymentMethodHandler;

/** Code "billpay-eligibility": EUR/CHF, billing address in DE/AT/CH/NL, the total within moduleConfig's limits (cached). */
export declare const billpayEligibilityChecker: PaymentMethodEligibilityChecker;

/** Refuses to leave Modifying when a modification raised the amount of an order paid with BillPay. */
export declare const billpayOrderProcess: OrderProcess<string>;

/**
 * Vendure's scheduled task "billpay-activation-deadlines" (Vendure 3.3 and later; undefined before),
 * registered by the plug-in: every morning at 6:00, noteActivationDeadlines. It runs where
 * Vendure's scheduler runs tasks (e.g. with Vendure's DefaultSchedulerPlugin).
 */
export declare const billpayDeadlineTask: ScheduledTaskOf<typeof import('@vendure/core')> | undefined;

/** Vendure's ScheduledTask where it has one (3.3 and later; the peer range starts at 3.0). */
type ScheduledTaskOf<Core> = Core extends { ScheduledTask: abstract new (...args: never[]) => infer Task } ? Task : never;

/**
 * Writes a note (not public) to the history of every order whose BillPay payment is still only
 * authorized two weeks before BillPay's two-month activation deadline, and again once it has passed;
 * each once per payment. Cancelled orders are left out. Resolves to the number of notes written.
 */
export declare function noteActivationDeadlines(connection: TransactionalConnection, orders: OrderService, ctx: RequestContext, today?: string): Promise<number>;

export declare const HANDLER_CODE: 'billpay-invoice';
export declare const CHECKER_CODE: 'billpay-eligibility';
export declare const LIVE_ENDPOINT: 'https://api.billpay.de/xml';
/** What the Admin API shows instead of the security key. */
export declare const SECURITY_KEY_MASK: string;

/** addPaymentToOrder's metadata for the BillPay method. */
export interface BillPayPaymentInput {
  /** BillPay's terms and data-protection consent; without it the payment is declined. */
  termsAccepted: true;
  /** "YYYY-MM-DD" */
  birthday?: string;
  salutation?: string;
  phone?: string;
  /** A business customer's company (BillPay's company_details): the customer is sent as a business. */
  company?: Company;
}

/** What a BillPay payment shows in the Shop API (`payment.metadata`). */
export interface BillPayPublicMetadata {
  public: { bankAccount: BankAccount };
}

/**
 * The BillPay cart of a Vendure order (an Order entity with lines, shipping and
 * surcharges): unit gross = line total with tax / quantity rounded up, the
 * excess and all discounts in the rebate, so its gross total is Vendure's.
 */
export declare function cartOfOrder(order: {
  code: string;
  currencyCode: string;
  totalWithTax: number;
  shipping?: number;
  shippingWithTax?: number;
  lines?: unknown[];
  surcharges?: unknown[];
  shippingLines?: unknown[];
}): { cart: Cart; lines: { orderLineId: string; articleId: string }[] };

/**
 * The plan for one refund: the returned articles and the credited shipping
 * (in cents) leave the cart, and the rebate makes BillPay's total `target` cents.
 */
export declare function refundPlan(
  order: BillPayOrder,
  change: { items: { articleId: string; quantity: number }[]; shippingCredit: number; target: number },
): Plan;

/** What an order e-mail shows of a BillPay order (`billpayEmail`). */
export interface BillPayEmail {
  /** The payment block: what BillPay holds now (the payment less the refunds BillPay accepted). */
  block: PaymentBlock;
  /** The block as HTML, its code an `<img src="cid:…">` of the attachment; put it in the template unescaped (`{{{ billpay.html }}}`). */
  html: string;
  /** The block as aligned plain text. */
  text: string;
  /** The code as a PNG with that Content-ID (empty when the block has no code); for `setAttachments`. */
  attachments: { filename: string; path: string; cid: string }[];
}

/**
 * The payment block of an order paid with BillPay for Vendure's EmailPlugin (the order with its
 * payments and their refunds loaded, as Vendure's order events have them). Undefined without a
 * BillPay payment or when nothing is left to pay. `locale`: default the request's language (de,
 * en, fr, it, nl; English otherwise); `cid`: the image's Content-ID, default "billpay-qr@billpay-wasm"
 * (letters, digits and !$%&'*+-/=_~.@, else INVALID_URL at `cid`).
 * A code that cannot be made leaves the block without it (logged), not the customer without the e-mail.
 */
export declare function billpayEmail(
  ctx: RequestContext,
  order: { currencyCode: string; payments?: unknown[] },
  options?: { locale?: Locale; cid?: string },
): BillPayEmail | undefined;

/** Whether an order (with its payments loaded, as Vendure's order events have them) has a BillPay payment that is not cancelled: an e-mail handler's filter. */
export declare function isBillPayOrder(order: { payments?: unknown[] }): boolean;
