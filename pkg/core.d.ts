// Types of the functions shared by 'billpay-wasm' and 'billpay-wasm/node'.

export type Currency = 'EUR' | 'CHF';
export type Country = 'DE' | 'AT' | 'CH' | 'NL';
export type Locale = 'de' | 'en' | 'fr' | 'it' | 'nl';
export type Status = 'preauthorized' | 'activated' | 'cancelled';
export type PaymentMethod = 'invoice' | 'directDebit' | 'paylater' | 'transactionCredit';

/** The stable codes of every BillPayError (README lists them with their meaning). */
export type ErrorCode =
  | 'INVALID_INPUT'
  | 'INVALID_TYPE'
  | 'MISSING_FIELD'
  | 'UNKNOWN_FIELD'
  | 'INVALID_AMOUNT'
  | 'AMOUNT_TOO_PRECISE'
  | 'NEGATIVE_AMOUNT'
  | 'AMOUNT_OUT_OF_RANGE'
  | 'UNSUPPORTED_CURRENCY'
  | 'UNSUPPORTED_COUNTRY'
  | 'UNSUPPORTED_LOCALE'
  | 'UNSUPPORTED_METHOD'
  | 'INVALID_OPTION'
  | 'INVALID_DATE'
  | 'INVALID_TEXT'
  | 'INVALID_URL'
  | 'INVALID_ORDER_NUMBER'
  | 'INVALID_MERCHANT_ID'
  | 'INVALID_REFERENCE'
  | 'IBAN_EMPTY'
  | 'IBAN_INVALID_CHARACTERS'
  | 'IBAN_TOO_SHORT'
  | 'IBAN_TOO_LONG'
  | 'IBAN_UNKNOWN_COUNTRY'
  | 'IBAN_INVALID_BBAN'
  | 'IBAN_INVALID_CHECK_DIGITS'
  | 'IBAN_CHECKSUM_MISMATCH'
  | 'BIC_INVALID'
  | 'BIC_UNKNOWN_COUNTRY'
  | 'MISSING_BANK_ACCOUNT'
  | 'NOT_INITIALIZED'
  | 'INVALID_ARTICLE'
  | 'INVALID_QUANTITY'
  | 'DUPLICATE_ARTICLE'
  | 'NET_ABOVE_GROSS'
  | 'REBATE_EXCEEDS_TOTAL'
  | 'EMPTY_CART'
  | 'INVALID_STATUS'
  | 'UNKNOWN_ARTICLE'
  | 'RETURN_EXCEEDS_QUANTITY'
  | 'SHIPPING_CREDIT_EXCEEDS_SHIPPING'
  | 'DISCOUNT_EXCEEDS_TOTAL'
  | 'NOTHING_TO_CREDIT'
  | 'CART_INCREASE'
  | 'ORDER_CANCELLED'
  | 'ORDER_EXPIRED'
  | 'ALREADY_ACTIVATED'
  | 'STALE_PLAN'
  | 'API_ERROR'
  | 'PREAUTHORIZATION_DENIED'
  | 'MISSING_DUE_DATE'
  | 'INVALID_RESPONSE'
  | 'HTTP_ERROR'
  | 'NETWORK_ERROR'
  | 'TIMEOUT'
  | 'INVALID_CONFIG'
  | 'INSECURE_ENDPOINT'
  | 'MISSING_CREDENTIALS'
  | 'SERVICE_NOT_ALLOWED'
  | 'REQUEST_TOO_LARGE'
  | 'QR_NOT_APPLICABLE'
  | 'QR_REFERENCE_MISMATCH'
  | 'UNSUPPORTED_CHARACTER'
  | 'QR_DATA_TOO_LONG'
  | 'INVALID_COUNTRY_CODE';

export declare class BillPayError extends Error {
  constructor(
    code: ErrorCode | string,
    message: string,
    details?: { path?: string; apiCode?: number; customerMessage?: string; merchantMessage?: string; retryable?: boolean; cause?: unknown },
  );
  readonly name: 'BillPayError';
  /** Stable machine-readable code. */
  readonly code: ErrorCode | string;
  /** Path of the offending field, e.g. `bankAccount.iban`. */
  readonly path?: string;
  /** BillPay's numeric `error_code`, for API errors. */
  readonly apiCode?: number;
  /** May be shown to shoppers. */
  readonly customerMessage?: string;
  /** For admins and logs only; never show it to shoppers. */
  readonly merchantMessage?: string;
  /** True when repeating the same call may succeed. */
  readonly retryable: boolean;
}

export interface BankAccount {
  accountHolder: string;
  iban: string;
  /** May be "": the row is skipped, as in BillPay's layout (an EPC QR code outside the EEA needs it). */
  bic: string;
  /** May be "": the row is skipped. */
  bankName: string;
  invoiceReference: string;
  /** "YYYY-MM-DD"; BillPay returns it on activation. */
  dueDate?: string;
  activated: boolean;
}

export interface PaymentBlock {
  method: PaymentMethod;
  /** Decimal string, e.g. "1234.50". */
  amount: string;
  currency: Currency;
  bankAccount?: BankAccount;
  customerCountry?: Country;
}

export interface RenderOptions {
  locale?: Locale;
  format?: 'html' | 'text';
  /**
   * "auto" (default): HTML blocks carry a scannable code — the EPC QR code for EUR
   * invoices, the Swiss QR Code for CHF and for CH/LI accounts (creditor: the
   * default `Creditor`); none for direct debit and PayLater, none in text.
   */
  qr?: 'auto' | 'none';
}

export interface CheckoutNoticeOptions {
  /** Default: "nl" for NL, otherwise "de". */
  locale?: Locale;
  country: Country;
  termsUrl?: string;
  privacyUrl?: string;
  format?: 'html' | 'text';
}

export type IbanCheck =
  | { valid: true; iban: string; formatted: string; country: string }
  | { valid: false; code: ErrorCode; message: string };

export type BicCheck = { valid: true; bic: string } | { valid: false; code: ErrorCode; message: string };

export interface FoundReference {
  reference: string;
  orderNumber: string;
  merchantId: string;
}

export declare function paymentReference(orderNumber: string, merchantId: string | number): string;
export declare function findPaymentReference(text: string): FoundReference | null;
export declare function checkIban(value: string): IbanCheck;
export declare function checkBic(value: string): BicCheck;
export declare function renderPaymentBlock(block: PaymentBlock, options?: RenderOptions): string;
export declare function renderCheckoutNotice(options: CheckoutNoticeOptions): string;
/**
 * The creditor printed on a Swiss QR-bill (a structured address, type "S").
 * Default: `{ name: "BillPay GmbH, Zweigniederlassung Schweiz", postalCode: "8105",
 * town: "Regensdorf", country: "CH" }` (BillPay's Swiss branch).
 */
export interface Creditor {
  /** At most 70 characters. */
  name: string;
  /** At most 70 characters. */
  street?: string;
  /** At most 16 characters. */
  houseNumber?: string;
  /** Without country prefix; at most 16 characters. */
  postalCode: string;
  /** At most 35 characters. */
  town: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
}

export interface SwissQrBillOptions {
  /** Headings in de, fr, it or en (nl prints the English ones). Default "de". */
  locale?: Locale;
}

/** The EPC QR code's payload (EPC069-12, version 002, UTF-8) of a EUR invoice block. */
export declare function epcPayload(block: PaymentBlock): string;
/** The Swiss QR Code's payload (IG QR-bill v2.3) of a block paid to a CH/LI account. */
export declare function swissQrPayload(block: PaymentBlock, creditor?: Creditor): string;
/** Payment part and receipt as one SVG, 210 × 105 mm, for the foot of an A4 invoice. */
export declare function renderSwissQrBill(block: PaymentBlock, creditor?: Creditor, options?: SwissQrBillOptions): string;
/** Every stable error code, as the module knows them. */
export declare function errorCodes(): ErrorCode[];

// --- orders (admin pages and back-ends) --------------------------------------

export interface Article {
  /** BillPay's `articleid`: 1–20 characters, unique in the cart. */
  articleId: string;
  name: string;
  /** A whole number ≥ 1. */
  quantity: number;
  unitNet: string;
  unitGross: string;
}

export interface Cart {
  articles: Article[];
  shipping: { name?: string; net: string; gross: string };
  rebate: { net: string; gross: string };
}

export interface CartTotals {
  net: string;
  gross: string;
  /** Per tax rate ("19", "7", "8.1"), the rebate split over the rates exactly. */
  taxes: { rate: string; net: string; tax: string }[];
}

export interface Order {
  /** The merchant order number, as sent to BillPay as `reference`. */
  reference: string;
  currency: Currency;
  cart: Cart;
  status: Status;
  /** "YYYY-MM-DD" */
  createdAt: string;
  activatedAt?: string;
  bankAccount?: BankAccount;
}

/** Stable warning identifiers of orderStatus(). */
export type OrderWarning = 'EXPIRES_SOON' | 'EXPIRED' | 'NO_DUE_DATE' | 'PAST_DUE';

export interface OrderStatusInfo {
  status: Status;
  canActivate: boolean;
  canCancel: boolean;
  canEditCart: boolean;
  /** Last day a preauthorized order can be activated (creation + two months). */
  expiresOn?: string;
  daysLeft?: number;
  warnings: OrderWarning[];
}

export interface Plan {
  action: 'editCartContent' | 'cancel';
  /** The complete cart after the change (empty for a cancel). */
  cart: Cart;
  before: string;
  after: string;
  credit: string;
}

export declare function cartTotals(cart: Cart): CartTotals;
export declare function orderStatus(order: Order, today: string): OrderStatusInfo;
export declare function planReturn(
  order: Order,
  items: { articleId: string; quantity: number }[],
  options?: { shippingCredit?: string; today?: string },
): Plan;
export declare function planDiscount(order: Order, gross: string): Plan;

// --- the client ---------------------------------------------------------------

export interface ClientConfig {
  /** `https://…` (BillPay or your relay; plain http only to loopback), or in a browser a path on the page's own origin such as "/billpay" (your relay). Service names are appended. */
  endpoint: string;
  /** Credentials, all three or none (none: the endpoint is a relay that adds them). */
  merchantId?: number;
  portalId?: number;
  securityKey?: string;
  /** Per attempt; default 25000. */
  timeoutMs?: number;
  /** Extra attempts after transport failures, for requests safe to repeat; default 2. */
  retries?: number;
}

export interface Address {
  salutation?: string;
  title?: string;
  firstName: string;
  lastName: string;
  street: string;
  streetNo?: string;
  addressAddition?: string;
  zip: string;
  city: string;
  country: Country;
  phone?: string;
}

export interface Customer extends Address {
  customerId?: string;
  customerType?: 'guest' | 'new' | 'existing';
  group?: 'private' | 'business';
  email: string;
  /** "YYYY-MM-DD" (B2C needs it). */
  birthday?: string;
  language?: Locale;
  ip?: string;
}

export interface PreauthorizeRequest {
  /** The merchant order number; may be "" and set later with updateOrder. */
  reference: string;
  currency: Currency;
  customer: Customer;
  shippingAddress?: Address;
  cart: Cart;
  /** Default true: the order is created and its bank data returned at once. */
  autoCapture?: boolean;
}

export interface Preauthorization {
  status: 'APPROVED' | 'PRE_APPROVED';
  bptid: string;
  bankAccount?: BankAccount;
}

export interface ModuleConfig {
  active: boolean;
  invoiceAllowed: boolean;
  invoiceMin?: string;
  invoiceMax?: string;
}

export declare class BillPayClient {
  constructor(config: ClientConfig);
  readonly endpoint: string;
  activate(request: { reference: string; amount: string; currency: Currency; delayDays?: number }): Promise<BankAccount>;
  cancel(request: { reference: string; amount: string; currency: Currency }): Promise<void>;
  editCart(request: { reference: string; currency: Currency; cart: Cart }): Promise<void>;
  /** Runs the plan's editCartContent or cancel; resolves to the order afterwards. */
  apply(order: Order, plan: Plan): Promise<Order>;
  bankData(reference: string): Promise<BankAccount>;
  moduleConfig(request: { country: Country; currency: Currency; language?: Locale }): Promise<ModuleConfig>;
  preauthorize(request: PreauthorizeRequest): Promise<Preauthorization>;
  capture(request: { bptid: string; reference: string; amount: string; currency: Currency; customerId?: string }): Promise<BankAccount>;
  updateOrder(request: { bptid: string; reference: string; idUpdates?: { articleId: string; updateId: string }[] }): Promise<void>;
}
