// billpay-wasm/vendure — BillPay purchase on invoice as a Vendure 3 payment
// plug-in. An adapter only: Vendure's orders, payments and refunds are turned
// into BillPay carts and plans; the rules (what may change, how a credit is
// sent, the rebate's tax split) and the protocol come from the core
// (planReturn, planDiscount, cartTotals, BillPayClient in 'billpay-wasm/node').
//
// Written as plain ESM without decorators: Vendure's and Nest's decorators are
// applied as the functions they are, and constructor dependencies are declared
// with 'design:paramtypes' the way TypeScript would emit them.

import { createRequire } from 'node:module';
import * as vendure from '@vendure/core';
import { BillPayClient, BillPayError, cartTotals, formatAmount, orderStatus, planDiscount, planReturn, renderPaymentBlock, renderQrCodePng } from './node.js';

const {
  VendurePlugin,
  PluginCommonModule,
  PaymentMethodHandler,
  PaymentMethodEligibilityChecker,
  Logger,
  EventBus,
  FulfillmentStateTransitionEvent,
  OrderStateTransitionEvent,
  OrderLineEvent,
  OrderService,
  PaymentMethod,
  Payment,
  Refund,
  Order,
  TransactionalConnection,
  TransactionSubscriber,
  UserInputError,
  IllegalOperationError,
  // Vendure 3.3 and later.
  ScheduledTask,
} = vendure;

// Nest's GraphQL decorators, from the copy Vendure itself runs on (a plug-in
// must not bring a second one; with pnpm it could not even see it).
const requireFromVendure = createRequire(createRequire(import.meta.url).resolve('@vendure/core'));
const { Resolver, ResolveField, Parent } = requireFromVendure('@nestjs/graphql');

const LOG = 'BillPayPlugin';
export const HANDLER_CODE = 'billpay-invoice';
export const CHECKER_CODE = 'billpay-eligibility';
export const LIVE_ENDPOINT = 'https://api.billpay.de/xml';
/** What the Admin API shows instead of the security key; saving it back keeps the stored key. */
export const SECURITY_KEY_MASK = '••••••••';

const CURRENCIES = ['EUR', 'CHF'];
const COUNTRIES = ['DE', 'AT', 'CH', 'NL'];
const LOCALES = ['de', 'en', 'fr', 'it', 'nl'];
/** moduleConfig answers are kept this long per merchant, country and currency (BillPay's plug-ins keep them per session). */
const MODULE_CONFIG_TTL_MS = 15 * 60 * 1000;
const MODULE_CONFIG_FAILURE_TTL_MS = 30 * 1000;

const options = { settleOnShipment: false, timeoutMs: undefined, retries: undefined };

// --- money: Vendure counts integer minor units, the core decimal strings ------

function toDecimal(cents) {
  if (!Number.isSafeInteger(cents)) throw new TypeError(`not an amount in cents: ${cents}`);
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function toCents(decimal) {
  const match = /^(-?)(\d+)\.(\d{2})$/.exec(decimal);
  if (!match) throw new TypeError(`not a decimal amount: ${decimal}`);
  const cents = Number(match[2]) * 100 + Number(match[3]);
  return match[1] ? -cents : cents;
}

/** ⌈a / b⌉ for non-negative integers. */
function divideUp(a, b) {
  return Math.floor((a + b - 1) / b);
}

/** The net unit price of a gross one at `rate` percent, to the cent, half up (as Vendure rounds). */
function netOf(gross, rate) {
  const basisPoints = BigInt(Math.round(rate * 100));
  const numerator = BigInt(gross) * 10000n;
  const denominator = 10000n + basisPoints;
  return Number((2n * numerator + denominator) / (2n * denominator));
}

// --- configuration ------------------------------------------------------------

function argValue(args, name) {
  if (Array.isArray(args)) return args.find((a) => a.name === name)?.value;
  return args?.[name];
}

/** The client for one payment method's arguments (the key is hashed in wasm per request, never kept here). */
function clientFor(args) {
  const endpoint = String(argValue(args, 'endpoint') || LIVE_ENDPOINT).trim();
  const merchantId = Number(argValue(args, 'merchantId'));
  const portalId = Number(argValue(args, 'portalId'));
  const securityKey = argValue(args, 'securityKey');
  if (!Number.isSafeInteger(merchantId) || merchantId <= 0 || !Number.isSafeInteger(portalId) || portalId <= 0 || !securityKey || securityKey === SECURITY_KEY_MASK) {
    throw new BillPayError('MISSING_CREDENTIALS', 'the BillPay payment method needs a merchant id, a portal id and the security key (Vendure admin: Settings → Payment methods)');
  }
  const config = { endpoint, merchantId, portalId, securityKey: String(securityKey) };
  if (options.timeoutMs !== undefined) config.timeoutMs = options.timeoutMs;
  if (options.retries !== undefined) config.retries = options.retries;
  return { client: new BillPayClient(config), merchantId };
}

function delayDaysOf(args) {
  const value = Number(argValue(args, 'delayDays') ?? 0);
  return Number.isSafeInteger(value) && value > 0 ? value : 0;
}

function localeOf(ctx) {
  const code = String(ctx?.languageCode ?? '').slice(0, 2).toLowerCase();
  return LOCALES.includes(code) ? code : 'de';
}

function today() {
  return new Date().toISOString().slice(0, 10);
}

/** One line for logs and admins: code, BillPay's error code and its merchant message; never credentials. */
function describe(error) {
  if (error instanceof BillPayError) {
    const api = error.apiCode !== undefined ? ` (BillPay error ${error.apiCode})` : '';
    return `${error.code}${api}: ${error.merchantMessage || error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * The same for a payment's errorMessage, which Vendure's Shop API shows
 * with the payment: BillPay's merchant message stays in the log.
 */
function publicDescribe(error) {
  if (!(error instanceof BillPayError)) return 'an unexpected error (see the server log)';
  if (error.apiCode === undefined) return `${error.code}: ${error.message}`;
  return `${error.code} (BillPay error ${error.apiCode})${error.customerMessage ? `: ${error.customerMessage}` : ''}`;
}

const TRANSPORT_CODES = new Set(['NETWORK_ERROR', 'TIMEOUT', 'HTTP_ERROR', 'INVALID_RESPONSE']);
const CONFIG_CODES = new Set(['INVALID_CONFIG', 'MISSING_CREDENTIALS', 'INSECURE_ENDPOINT', 'INVALID_MERCHANT_ID']);

// --- Vendure order → BillPay cart ------------------------------------------------

function splitName(fullName, customer) {
  const first = customer?.firstName?.trim() ?? '';
  const last = customer?.lastName?.trim() ?? '';
  const full = (fullName ?? '').trim().replace(/\s+/g, ' ');
  if (!full || full === `${first} ${last}`.trim()) return { firstName: first || last, lastName: last || first };
  const space = full.lastIndexOf(' ');
  return space < 0 ? { firstName: first || full, lastName: full } : { firstName: full.slice(0, space), lastName: full.slice(space + 1) };
}

/** "Heidestraße 17a" → street and house number, as BillPay asks for them separately. */
function splitStreet(line) {
  const text = (line ?? '').trim();
  const match = /^(.*?[^\d\s,])[\s,]+(\d+(?:\s?[a-zA-Z])?(?:\s?[-/]\s?\d+(?:\s?[a-zA-Z])?)?)$/.exec(text);
  return match ? { street: match[1], streetNo: match[2] } : { street: text };
}

function addressOf(address, customer) {
  const name = splitName(address.fullName, customer);
  const result = {
    ...name,
    ...splitStreet(address.streetLine1),
    zip: (address.postalCode ?? '').trim(),
    city: (address.city ?? '').trim(),
    country: (address.countryCode ?? '').toUpperCase(),
  };
  if (address.streetLine2?.trim()) result.addressAddition = address.streetLine2.trim();
  if (address.phoneNumber?.trim()) result.phone = address.phoneNumber.trim();
  return result;
}

function hasAddress(address) {
  return Boolean(address?.countryCode && address.streetLine1);
}

/** An address as BillPay checked it (name and place; a phone number may change), or null. */
function addressKey(address) {
  if (!hasAddress(address)) return null;
  const clean = (value) => String(value ?? '').trim().replace(/\s+/g, ' ');
  return JSON.stringify([address.fullName, address.company, address.streetLine1, address.streetLine2, address.postalCode, address.city].map(clean).concat(clean(address.countryCode).toUpperCase()));
}

/** Article ids from SKUs (BillPay's articleid: 1–20 characters, unique in the cart). */
function articleIdFor(sku, fallback, taken) {
  let id = (sku ?? '').trim().replace(/[\u0000-\u001f\u007f]/g, '') || fallback;
  id = [...id].slice(0, 20).join('');
  for (let n = 2; taken.has(id); n += 1) id = `${[...id].slice(0, 16).join('')}-${n}`;
  taken.add(id);
  return id;
}

/**
 * The BillPay cart of a Vendure order, to the cent: each unit gross is the line
 * total with tax divided by the quantity, rounded up; the excess, line and
 * order discounts and negative surcharges form the rebate, whose net part the
 * core splits over the tax rates. BillPay's gross total is then Vendure's.
 */
export function cartOfOrder(order) {
  const taken = new Set();
  const lines = [];
  const articles = [];
  let value = 0;
  for (const line of order.lines ?? []) {
    if (!line.quantity) continue;
    const variant = line.productVariant ?? {};
    const articleId = articleIdFor(variant.sku, `line-${line.id}`, taken);
    const unitGross = divideUp(line.linePriceWithTax, line.quantity);
    const unitNet = unitGross === line.unitPriceWithTax ? line.unitPrice : netOf(unitGross, line.taxRate ?? 0);
    lines.push({ orderLineId: String(line.id), articleId });
    articles.push({ articleId, name: [...String(variant.name || articleId)].slice(0, 255).join(''), quantity: line.quantity, unitNet: toDecimal(unitNet), unitGross: toDecimal(unitGross) });
    value += unitGross * line.quantity;
  }
  for (const [i, surcharge] of (order.surcharges ?? []).entries()) {
    if (surcharge.priceWithTax <= 0) continue; // a negative surcharge is part of the rebate
    const articleId = articleIdFor(surcharge.sku, `surcharge-${i + 1}`, taken);
    articles.push({ articleId, name: [...String(surcharge.description || articleId)].slice(0, 255).join(''), quantity: 1, unitNet: toDecimal(surcharge.price), unitGross: toDecimal(surcharge.priceWithTax) });
    value += surcharge.priceWithTax;
  }
  const shippingName = order.shippingLines?.[0]?.shippingMethod?.name;
  const shipping = { net: toDecimal(order.shipping ?? 0), gross: toDecimal(order.shippingWithTax ?? 0) };
  if (shippingName) shipping.name = [...shippingName].slice(0, 50).join('');
  value += order.shippingWithTax ?? 0;
  const rebate = value - order.totalWithTax;
  if (rebate < 0) {
    throw new BillPayError('CART_INCREASE', `the order's total ${toDecimal(order.totalWithTax)} is above its lines and shipping (${toDecimal(value)}): BillPay's cart cannot express a surcharge without an article`);
  }
  let cart = { articles, shipping, rebate: { net: '0.00', gross: '0.00' } };
  if (rebate > 0) {
    const draft = { reference: order.code, currency: order.currencyCode, cart, status: 'preauthorized', createdAt: today() };
    cart = planDiscount(draft, toDecimal(rebate)).cart;
  }
  return { cart, lines };
}

// --- BillPay's state of a payment --------------------------------------------------

/**
 * BillPay's order as this plug-in last left it: the cart sent at checkout, then
 * the cart of each refund BillPay accepted (numbered), activation and cancel
 * from the payment's metadata.
 */
function billpayOrder(payment, refunds) {
  const meta = payment.metadata?.billpay;
  if (!meta?.reference || !meta.cart) return null;
  let cart = meta.cart;
  let status = meta.status ?? 'preauthorized';
  let seq = 0;
  // The edits BillPay accepted, numbered: refunds, and the lines cancelled
  // before settlement that were taken off at the activation.
  const edits = (refunds ?? []).filter((refund) => refund.state === 'Settled').map((refund) => refund.metadata?.billpay);
  if (meta.reducedBeforeActivation) edits.push(meta.reducedBeforeActivation);
  for (const done of edits) {
    if (done?.seq > seq && done.cart) {
      seq = done.seq;
      cart = done.cart;
      if (done.action === 'cancel') status = 'cancelled';
    }
  }
  if (meta.status === 'cancelled') status = 'cancelled';
  const order = { reference: meta.reference, currency: meta.currency, cart, status, createdAt: meta.createdAt };
  if (meta.activatedAt) order.activatedAt = meta.activatedAt;
  return { order, seq, meta };
}

function totalOf(order) {
  return order.status === 'cancelled' || order.cart.articles.length === 0 ? 0 : toCents(cartTotals(order.cart).gross);
}

function refundedTotal(refunds) {
  return (refunds ?? []).filter((r) => r.state !== 'Failed').reduce((sum, r) => sum + r.total, 0);
}

function isBillPayPayment(payment) {
  return Boolean(payment?.metadata?.billpay?.reference);
}

// One refund per payment at a time, until Vendure has recorded it: a double
// click or a second admin must see the first refund before planning its own.
// With a database server that is when the first refund's transaction commits;
// SQLite drivers share one connection (a second transaction nests in the
// first), so there it is when the refund row leaves the Pending state.
const paymentLocks = new Map();
const recordWaiters = new Map();
const LOCK_HOLD_LIMIT_MS = 15000;
const SHARED_CONNECTION_DRIVERS = new Set(['sqljs', 'sqlite', 'better-sqlite3', 'capacitor', 'cordova', 'expo', 'react-native', 'nativescript']);
let transactionSubscriber;
let sharedConnection = false;

function transactionEnd(ctx) {
  const symbol = Object.getOwnPropertySymbols(ctx ?? {}).find((s) => s.description === 'TRANSACTION_MANAGER');
  const queryRunner = symbol ? ctx[symbol]?.queryRunner : undefined;
  if (!queryRunner?.isTransactionActive || !transactionSubscriber) return Promise.resolve();
  if (sharedConnection) return new Promise(() => {});
  return transactionSubscriber.awaitRelease(queryRunner).catch(() => {});
}

function refundRecorded(paymentId) {
  return new Promise((resolve) => recordWaiters.set(String(paymentId), resolve));
}

/** TypeORM subscriber: a BillPay refund of the payment was saved as Settled or Failed. */
const refundSubscriber = {
  listenTo() {
    return Refund;
  },
  afterInsert(event) {
    noteRecorded(event.entity);
  },
  afterUpdate(event) {
    noteRecorded(event.entity);
  },
};

function noteRecorded(refund) {
  if (!refund?.metadata?.billpay || refund.state === 'Pending') return;
  const key = String(refund.paymentId ?? refund.payment?.id);
  const waiter = recordWaiters.get(key);
  if (waiter) {
    recordWaiters.delete(key);
    waiter();
  }
}

async function withPaymentLock(ctx, paymentId, task) {
  const key = String(paymentId);
  const previous = paymentLocks.get(key) ?? Promise.resolve();
  let release;
  const gate = new Promise((resolve) => (release = resolve));
  const chained = previous.then(() => gate);
  paymentLocks.set(key, chained);
  await previous;
  const unlock = () => {
    recordWaiters.delete(key);
    release();
    if (paymentLocks.get(key) === chained) paymentLocks.delete(key);
  };
  let result;
  try {
    result = await task();
  } catch (error) {
    unlock();
    throw error;
  }
  let timer;
  const limit = new Promise((resolve) => (timer = setTimeout(resolve, LOCK_HOLD_LIMIT_MS)));
  Promise.race([transactionEnd(ctx), refundRecorded(key), limit]).then(() => {
    clearTimeout(timer);
    unlock();
  });
  return result;
}

// --- the payment block in the shop's e-mails ----------------------------------------

const PAYMENT_ENDED = new Set(['Cancelled', 'Declined', 'Error']);

function billpayPaymentOf(order) {
  return (order?.payments ?? []).find((p) => isBillPayPayment(p) && p.metadata?.public?.bankAccount && !PAYMENT_ENDED.has(p.state));
}

/** Whether an order (with its payments loaded) is paid with BillPay: an e-mail handler's filter. */
export function isBillPayOrder(order) {
  return billpayPaymentOf(order) !== undefined;
}

/**
 * What an order e-mail shows of a BillPay order (Vendure's EmailPlugin:
 * setTemplateVars and setAttachments): the payment block for what BillPay
 * holds now, as HTML whose code is an <img> of the attached PNG (mail
 * clients drop inline SVG) and as plain text. Undefined for an order without
 * a BillPay payment or with nothing left to pay.
 */
export function billpayEmail(ctx, order, { locale, cid = 'billpay-qr@billpay-wasm' } = {}) {
  const payment = billpayPaymentOf(order);
  if (!payment) return undefined;
  // The payment's refunds as Vendure's order events load them; BillPay's
  // cart after each refund it accepted is in their metadata.
  const refunds = payment.refunds ?? [];
  const current = billpayOrder(payment, refunds);
  const settled = refunds.filter((r) => r.state === 'Settled').reduce((sum, r) => sum + r.total, 0);
  const cents = current ? totalOf(current.order) : payment.amount - settled;
  if (!(cents > 0)) return undefined;
  const block = { method: 'invoice', amount: toDecimal(cents), currency: order.currencyCode, bankAccount: payment.metadata.public.bankAccount };
  // Shopper text: in the request's language, English otherwise (as the plug-in's other shopper texts).
  const language = { locale: locale ?? shopperLocale(ctx) };
  let png;
  try {
    png = renderQrCodePng(block);
  } catch (error) {
    // A block that no code standard covers (CHF to an account outside CH/LI)
    // is printed without one; a code that cannot be made must not cost the
    // customer the confirmation either: the block without it, and a warning.
    if (!(error instanceof BillPayError)) throw error;
    if (error.code !== 'QR_NOT_APPLICABLE') Logger.warn(`order ${order.code ?? ''}: the e-mail's block goes without its code: ${describe(error)}`, LOG);
  }
  let html;
  try {
    html = renderPaymentBlock(block, png ? { ...language, qrImage: `cid:${cid}` } : { ...language, qr: 'none' });
  } catch (error) {
    // The only qrImage here is built from `cid`: name the caller's option.
    if (!(error instanceof BillPayError && error.path === 'options.qrImage')) throw error;
    throw new BillPayError('INVALID_URL', `cid: a Content-ID of letters, digits and !$%&'*+-/=_~.@ (other characters %-encoded), got ${JSON.stringify(String(cid))}`, { path: 'cid' });
  }
  return {
    block,
    html,
    text: renderPaymentBlock(block, { ...language, format: 'text' }),
    attachments: png ? [{ filename: 'billpay-qr.png', path: png, cid }] : [],
  };
}

// --- services (set by the handler's init) --------------------------------------

let connection;
let orderService;

// --- the payment method handler ---------------------------------------------------

function refusal(message) {
  return new UserInputError(message);
}

// What shoppers read, in their language (Vendure's ctx.languageCode; English
// for languages BillPay did not speak). The plug-in's own checks' details
// (a field a check refused) stay in the core's English.
const SHOPPER = {
  en: {
    notPossible: 'BillPay invoice is not possible for this order; please choose another payment method.',
    notPossibleBecause: (detail) => `BillPay invoice is not possible for this order: ${detail}`,
    consent: "Please accept BillPay's terms and the data-protection notice (termsAccepted: true) to pay on invoice.",
    checking: 'BillPay is already checking this order; please wait for its answer.',
    wholeOrder: 'BillPay invoice pays the whole order: it cannot be combined with other payments',
    unavailable: 'BillPay invoice is not available right now',
    unreachable: 'BillPay could not be reached; please try again in a moment.',
    currency: (code) => `BillPay invoice is available in EUR and CHF only (this order is in ${code})`,
    billingAddress: 'BillPay invoice needs the billing address',
    billingCountry: (code) => `BillPay invoice is available for billing addresses in Germany, Austria, Switzerland and the Netherlands (not ${code})`,
    delivery: 'BillPay invoice delivers to Germany, Austria, Switzerland and the Netherlands only',
    noAmount: 'BillPay invoice needs an amount to pay',
    notEnabled: 'BillPay invoice is not enabled for this country and currency',
    min: (amount) => `BillPay invoice starts at ${amount}`,
    max: (amount) => `BillPay invoice is available up to ${amount}`,
  },
  de: {
    notPossible: 'Der Kauf auf Rechnung mit BillPay ist für diese Bestellung nicht möglich; bitte wählen Sie eine andere Zahlungsart.',
    notPossibleBecause: (detail) => `Der Kauf auf Rechnung mit BillPay ist für diese Bestellung nicht möglich: ${detail}`,
    consent: 'Bitte stimmen Sie den AGB und der Datenschutzerklärung von BillPay zu (termsAccepted: true), um auf Rechnung zu bezahlen.',
    checking: 'BillPay prüft diese Bestellung bereits; bitte warten Sie auf die Antwort.',
    wholeOrder: 'Der Kauf auf Rechnung mit BillPay bezahlt die ganze Bestellung und lässt sich nicht mit anderen Zahlungen kombinieren.',
    unavailable: 'Der Kauf auf Rechnung mit BillPay ist im Moment nicht verfügbar.',
    unreachable: 'BillPay ist im Moment nicht erreichbar; bitte versuchen Sie es gleich noch einmal.',
    currency: (code) => `Der Kauf auf Rechnung mit BillPay ist nur in EUR und CHF möglich (diese Bestellung ist in ${code}).`,
    billingAddress: 'Für den Kauf auf Rechnung mit BillPay wird die Rechnungsadresse benötigt.',
    billingCountry: (code) => `Der Kauf auf Rechnung mit BillPay ist für Rechnungsadressen in Deutschland, Österreich, der Schweiz und den Niederlanden möglich (nicht ${code}).`,
    delivery: 'Beim Kauf auf Rechnung mit BillPay wird nur nach Deutschland, Österreich, in die Schweiz und in die Niederlande geliefert.',
    noAmount: 'Für den Kauf auf Rechnung mit BillPay fehlt ein zu zahlender Betrag.',
    notEnabled: 'Der Kauf auf Rechnung mit BillPay ist für dieses Land und diese Währung nicht freigeschaltet.',
    min: (amount) => `Der Kauf auf Rechnung mit BillPay ist ab ${amount} möglich.`,
    max: (amount) => `Der Kauf auf Rechnung mit BillPay ist bis ${amount} möglich.`,
  },
  fr: {
    notPossible: "Le paiement sur facture avec BillPay n'est pas possible pour cette commande ; veuillez choisir un autre mode de paiement.",
    notPossibleBecause: (detail) => `Le paiement sur facture avec BillPay n'est pas possible pour cette commande : ${detail}`,
    consent: 'Veuillez accepter les conditions générales et la politique de confidentialité de BillPay (termsAccepted: true) pour payer sur facture.',
    checking: 'BillPay vérifie déjà cette commande ; veuillez attendre sa réponse.',
    wholeOrder: "Le paiement sur facture avec BillPay règle toute la commande et ne peut pas être combiné avec d'autres paiements.",
    unavailable: "Le paiement sur facture avec BillPay n'est pas disponible pour le moment.",
    unreachable: 'BillPay est injoignable pour le moment ; veuillez réessayer dans un instant.',
    currency: (code) => `Le paiement sur facture avec BillPay n'est possible qu'en EUR et en CHF (cette commande est en ${code}).`,
    billingAddress: "Le paiement sur facture avec BillPay nécessite l'adresse de facturation.",
    billingCountry: (code) => `Le paiement sur facture avec BillPay est réservé aux adresses de facturation en Allemagne, en Autriche, en Suisse et aux Pays-Bas (pas ${code}).`,
    delivery: 'Avec le paiement sur facture BillPay, la livraison se fait uniquement en Allemagne, en Autriche, en Suisse et aux Pays-Bas.',
    noAmount: 'Le paiement sur facture avec BillPay nécessite un montant à payer.',
    notEnabled: "Le paiement sur facture avec BillPay n'est pas activé pour ce pays et cette devise.",
    min: (amount) => `Le paiement sur facture avec BillPay est possible à partir de ${amount}.`,
    max: (amount) => `Le paiement sur facture avec BillPay est possible jusqu'à ${amount}.`,
  },
  it: {
    notPossible: 'Il pagamento su fattura con BillPay non è possibile per questo ordine; scegliete un altro metodo di pagamento.',
    notPossibleBecause: (detail) => `Il pagamento su fattura con BillPay non è possibile per questo ordine: ${detail}`,
    consent: "Per pagare su fattura accettate le condizioni generali e l'informativa sulla privacy di BillPay (termsAccepted: true).",
    checking: 'BillPay sta già verificando questo ordine; attendete la risposta.',
    wholeOrder: "Il pagamento su fattura con BillPay salda l'intero ordine e non può essere combinato con altri pagamenti.",
    unavailable: 'Il pagamento su fattura con BillPay non è disponibile al momento.',
    unreachable: 'BillPay non è raggiungibile al momento; riprovate tra poco.',
    currency: (code) => `Il pagamento su fattura con BillPay è possibile solo in EUR e CHF (questo ordine è in ${code}).`,
    billingAddress: "Per il pagamento su fattura con BillPay serve l'indirizzo di fatturazione.",
    billingCountry: (code) => `Il pagamento su fattura con BillPay è possibile per indirizzi di fatturazione in Germania, Austria, Svizzera e Paesi Bassi (non ${code}).`,
    delivery: 'Con il pagamento su fattura BillPay si consegna solo in Germania, Austria, Svizzera e Paesi Bassi.',
    noAmount: 'Per il pagamento su fattura con BillPay serve un importo da pagare.',
    notEnabled: 'Il pagamento su fattura con BillPay non è attivo per questo paese e questa valuta.',
    min: (amount) => `Il pagamento su fattura con BillPay è possibile a partire da ${amount}.`,
    max: (amount) => `Il pagamento su fattura con BillPay è possibile fino a ${amount}.`,
  },
  nl: {
    notPossible: 'Betalen op rekening met BillPay is voor deze bestelling niet mogelijk; kies een andere betaalmethode.',
    notPossibleBecause: (detail) => `Betalen op rekening met BillPay is voor deze bestelling niet mogelijk: ${detail}`,
    consent: 'Ga akkoord met de algemene voorwaarden en de privacyverklaring van BillPay (termsAccepted: true) om op rekening te betalen.',
    checking: 'BillPay controleert deze bestelling al; wacht op het antwoord.',
    wholeOrder: 'Betalen op rekening met BillPay betaalt de hele bestelling en kan niet met andere betalingen worden gecombineerd.',
    unavailable: 'Betalen op rekening met BillPay is op dit moment niet beschikbaar.',
    unreachable: 'BillPay is op dit moment niet bereikbaar; probeer het zo opnieuw.',
    currency: (code) => `Betalen op rekening met BillPay kan alleen in EUR en CHF (deze bestelling is in ${code}).`,
    billingAddress: 'Voor betalen op rekening met BillPay is het factuuradres nodig.',
    billingCountry: (code) => `Betalen op rekening met BillPay kan voor factuuradressen in Duitsland, Oostenrijk, Zwitserland en Nederland (niet ${code}).`,
    delivery: 'Met betalen op rekening via BillPay wordt alleen geleverd in Duitsland, Oostenrijk, Zwitserland en Nederland.',
    noAmount: 'Voor betalen op rekening met BillPay is een te betalen bedrag nodig.',
    notEnabled: 'Betalen op rekening met BillPay is niet ingeschakeld voor dit land en deze valuta.',
    min: (amount) => `Betalen op rekening met BillPay kan vanaf ${amount}.`,
    max: (amount) => `Betalen op rekening met BillPay kan tot ${amount}.`,
  },
};

/** The shopper's language: the request's where BillPay spoke it, else English. */
function shopperLocale(ctx) {
  const code = String(ctx?.languageCode ?? '').slice(0, 2).toLowerCase();
  return Object.hasOwn(SHOPPER, code) ? code : 'en';
}

const shopperTexts = (ctx) => SHOPPER[shopperLocale(ctx)];


function declined(amount, message, metadata = {}) {
  return { amount, state: 'Declined', errorMessage: message, metadata };
}

function customerOf(order, metadata, ctx) {
  const customer = order.customer ?? {};
  const billing = addressOf(order.billingAddress, customer);
  const result = { ...billing, email: customer.emailAddress ?? '', language: localeOf(ctx) };
  result.customerType = customer.user ? 'existing' : 'guest';
  // BillPay's customer number takes 0-9 a-z A-Z . - _ / up to 20 (DOC151): an id
  // of another kind (a long UUID, another id strategy's characters) is left out.
  if (customer.id !== undefined && /^[0-9A-Za-z._/-]{1,20}$/.test(String(customer.id))) result.customerId = String(customer.id);
  if (metadata.salutation) result.salutation = String(metadata.salutation);
  if (metadata.birthday) result.birthday = String(metadata.birthday);
  // A business buying on invoice: its company as BillPay's check of a
  // business reads it (company_details). Vendure's address has a company
  // name but no legal form, so the storefront passes both; the core checks them.
  if (metadata.company !== undefined && metadata.company !== null) result.company = metadata.company;
  const phone = [metadata.phone, billing.phone, customer.phoneNumber].map((p) => (typeof p === 'string' ? p.trim() : '')).find(Boolean);
  if (phone) result.phone = phone;
  else delete result.phone;
  return result;
}

/** Why BillPay cannot be offered for this order, or null. Nothing is sent. */
function staticIneligibility(order, t) {
  if (!CURRENCIES.includes(order.currencyCode)) return t.currency(order.currencyCode);
  if (!hasAddress(order.billingAddress)) return t.billingAddress;
  const billing = order.billingAddress.countryCode.toUpperCase();
  if (!COUNTRIES.includes(billing)) return t.billingCountry(billing);
  if (hasAddress(order.shippingAddress) && !COUNTRIES.includes(order.shippingAddress.countryCode.toUpperCase())) {
    return t.delivery;
  }
  if (!(order.totalWithTax > 0)) return t.noAmount;
  return null;
}

// Orders whose preauthorization is under way in this process: a second
// addPaymentToOrder at the same time (a double click, two tabs) must not send
// a second preauthorization for the same order.
const preauthorizing = new Set();

async function createPayment(ctx, order, amount, args, metadata) {
  const key = `${order.id}`;
  if (preauthorizing.has(key)) {
    return declined(amount, shopperTexts(ctx).checking);
  }
  preauthorizing.add(key);
  let result;
  try {
    result = await preauthorizePayment(ctx, order, amount, args, metadata);
  } finally {
    if (result?.state !== 'Authorized') preauthorizing.delete(key);
  }
  // Authorized: until Vendure has stored it (the order leaves ArrangingPayment
  // and Vendure refuses further payments itself), a call that starts now would
  // still find the order open.
  let timer;
  const limit = new Promise((resolve) => {
    timer = setTimeout(resolve, LOCK_HOLD_LIMIT_MS);
    timer.unref?.();
  });
  Promise.race([transactionEnd(ctx), limit]).then(() => {
    clearTimeout(timer);
    preauthorizing.delete(key);
  });
  return result;
}

async function preauthorizePayment(ctx, order, amount, args, metadata) {
  metadata = metadata ?? {};
  const t = shopperTexts(ctx);
  if (metadata.termsAccepted !== true) {
    return declined(amount, t.consent);
  }
  const reason = staticIneligibility(order, t);
  if (reason) return declined(amount, reason);
  if (amount !== order.totalWithTax) {
    return declined(amount, t.wholeOrder);
  }
  let built;
  let client;
  let merchantId;
  try {
    ({ client, merchantId } = clientFor(args));
    built = cartOfOrder(order);
  } catch (error) {
    Logger.error(`order ${order.code}: ${describe(error)}`, LOG);
    return { amount, state: 'Error', errorMessage: t.unavailable, metadata: {} };
  }
  const reference = order.code;
  const base = {
    reference,
    merchantId,
    currency: order.currencyCode,
    createdAt: today(),
    cart: built.cart,
    lines: built.lines,
    status: 'preauthorized',
    // BillPay's decision was about these people and places (order modifications must keep them).
    addresses: { billing: addressKey(order.billingAddress), shipping: addressKey(order.shippingAddress) },
  };
  const authorized = (bankAccount, bptid, extra = {}) => ({
    amount,
    state: 'Authorized',
    transactionId: bptid || reference,
    metadata: {
      public: { bankAccount: { ...bankAccount, activated: false } },
      billpay: { ...base, bptid: bptid || undefined, invoiceReference: bankAccount.invoiceReference, ...extra },
    },
  });

  // An earlier attempt whose answer was lost may have created BillPay's
  // order: ask BillPay for it instead of preauthorizing a second time.
  const unknown = (order.payments ?? []).filter((p) => p.metadata?.billpay?.outcome === 'unknown' && p.metadata.billpay.reference === reference);
  if (unknown.length > 0) {
    try {
      const bankAccount = await client.bankData(reference);
      const earlier = unknown[unknown.length - 1].metadata.billpay;
      if (JSON.stringify(earlier.cart) !== JSON.stringify(built.cart)) {
        // The cart changed since: BillPay's order can only go down.
        await client.editCart({ reference, currency: order.currencyCode, cart: built.cart });
      }
      Logger.info(`order ${reference}: recovered BillPay's preauthorization after a lost answer`, LOG);
      // BillPay decided on the addresses of the attempt that reached it.
      return authorized(bankAccount, '', { recovered: true, ...(earlier.addresses ? { addresses: earlier.addresses } : {}) });
    } catch (error) {
      if (error instanceof BillPayError && error.apiCode === 60) {
        // BillPay has no order for it: the earlier attempt never arrived.
      } else if (error instanceof BillPayError && error.code === 'API_ERROR') {
        Logger.warn(`order ${reference}: recovery refused: ${describe(error)}`, LOG);
        return declined(amount, error.customerMessage || t.notPossible);
      } else {
        Logger.warn(`order ${reference}: BillPay still unreachable: ${describe(error)}`, LOG);
        return { amount, state: 'Error', errorMessage: t.unreachable, metadata: { billpay: { ...base, outcome: 'unknown' } } };
      }
    }
  }

  try {
    const result = await client.preauthorize({
      reference,
      currency: order.currencyCode,
      customer: customerOf(order, metadata, ctx),
      ...(hasAddress(order.shippingAddress) ? { shippingAddress: addressOf(order.shippingAddress, order.customer) } : {}),
      cart: built.cart,
      autoCapture: true,
      // Checked above: metadata.termsAccepted is true.
      termsAccepted: true,
    });
    if (result.status !== 'APPROVED' || !result.bankAccount) {
      Logger.error(`order ${reference}: BillPay answered ${result.status} without bank data; asynchronous approval is not supported`, LOG);
      return { amount, state: 'Error', errorMessage: t.unavailable, metadata: { billpay: { ...base, bptid: result.bptid, outcome: 'unknown' } } };
    }
    return authorized(result.bankAccount, result.bptid);
  } catch (error) {
    if (!(error instanceof BillPayError)) throw error;
    if (error.code === 'PREAUTHORIZATION_DENIED') {
      Logger.info(`order ${reference}: BillPay denied the purchase on invoice: ${describe(error)}`, LOG);
      return declined(amount, error.customerMessage || t.notPossible);
    }
    if (TRANSPORT_CODES.has(error.code) || error.retryable || (error.code === 'API_ERROR' && error.apiCode === 61)) {
      // The answer is lost (or another attempt is under way): BillPay may
      // have the order. The next attempt asks for it before anything else.
      Logger.warn(`order ${reference}: preauthorization outcome unknown: ${describe(error)}`, LOG);
      return { amount, state: 'Error', errorMessage: t.unreachable, metadata: { billpay: { ...base, outcome: 'unknown' } } };
    }
    if (CONFIG_CODES.has(error.code) || (error.code === 'API_ERROR' && error.apiCode === 20)) {
      Logger.error(`BillPay payment method misconfigured: ${describe(error)}`, LOG);
      return { amount, state: 'Error', errorMessage: t.unavailable, metadata: {} };
    }
    Logger.warn(`order ${reference}: preauthorization refused: ${describe(error)}`, LOG);
    // The shopper reads this. BillPay's refusals carry the merchant message
    // in `message`, which is for the shop's staff only: without a customer
    // message they get the general sentence. The plug-in's own checks of
    // the order's data (with a `path`) say what is wrong, in their words
    // without the path, which names the client's fields, not the shop's.
    const shown = error.customerMessage || (error.code !== 'API_ERROR' && error.path ? t.notPossibleBecause(withoutPath(error)) : t.notPossible);
    return declined(amount, shown);
  }
}

/** A check's message without the path it starts with ("customer.phone: BillPay needs …"). */
function withoutPath(error) {
  const prefix = `${error.path}: `;
  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

/** The payment's refunds as stored now (Vendure does not always load them with the payment). */
function refundsOf(ctx, payment) {
  return connection.getRepository(ctx, Refund).find({ where: { paymentId: payment.id } });
}

async function settlePayment(ctx, order, payment, args) {
  const refunds = await refundsOf(ctx, payment);
  const state = billpayOrder(payment, refunds);
  if (!state) throw new IllegalOperationError('this payment was not made with BillPay');
  // Activating would give BillPay a claim (and the customer a due date) for an order the shop cancelled.
  if (order?.state === 'Cancelled' || state.order.status === 'cancelled') {
    throw refusal(`order ${state.order.reference} is cancelled: BillPay's invoice is not activated`);
  }
  const { client } = clientFor(args);
  let billpay = state.order;
  let meta = state.meta;
  // Lines or shipping cancelled while the payment was only authorized: Vendure
  // lowered the order's total but keeps the payment's amount (and refuses
  // refunds before settlement). BillPay's cart goes down first, so that the
  // invoice is for what the customer still gets, and the payment is settled
  // for that amount.
  const reduction = await reductionBeforeActivation(ctx, order, state);
  if (reduction) {
    const edit = { seq: state.seq + 1, action: reduction.action, cart: reduction.cart, before: reduction.before, after: reduction.after, credit: reduction.credit };
    try {
      await client.apply(billpay, reduction);
    } catch (error) {
      Logger.warn(`order ${billpay.reference}: the cancelled lines could not be taken off BillPay's cart: ${describe(error)}`, LOG);
      const message = `BillPay did not activate order ${billpay.reference}: its cancelled lines could not be taken off BillPay's cart first`;
      const lost = error instanceof BillPayError && (TRANSPORT_CODES.has(error.code) || error.retryable);
      if (!lost) throw refusal(`${message}: ${describe(error)}`);
      // BillPay may have taken the edit without answering: a cancel must
      // then quote the lower total. Settling again sends the same complete
      // cart, which cannot credit twice.
      return { success: false, state: 'Authorized', errorMessage: `${message}: ${publicDescribe(error)}`, metadata: { billpay: { ...meta, pendingCart: reduction.cart } } };
    }
    Logger.info(`order ${billpay.reference}: cancelled lines taken off BillPay's cart before activation, ${reduction.before} → ${reduction.after}`, LOG);
    billpay = { ...billpay, cart: reduction.cart };
    meta = { ...meta, pendingCart: undefined, reducedBeforeActivation: edit };
  }
  const amount = toDecimal(totalOf(billpay));
  let bankAccount;
  try {
    bankAccount = await client.activate({ reference: state.order.reference, amount, currency: state.order.currency, delayDays: delayDaysOf(args) });
  } catch (error) {
    if (reduction && error?.code !== 'ALREADY_ACTIVATED') {
      // BillPay has the lower cart now: the payment stays Authorized and
      // remembers it, so that a cancel or a later settlement starts from it.
      Logger.warn(`order ${state.order.reference}: activation failed after the cart was lowered: ${describe(error)}`, LOG);
      return { success: false, state: 'Authorized', errorMessage: `BillPay did not activate order ${state.order.reference}: ${publicDescribe(error)}`, metadata: { billpay: meta } };
    }
    if (error?.code === 'ALREADY_ACTIVATED') {
      // Activated at BillPay by an earlier attempt (one that timed out, a
      // second admin): Vendure settles to agree, with BillPay's bank data.
      Logger.warn(`order ${state.order.reference}: ${describe(error)}; settling with BillPay's bank data`, LOG);
      bankAccount = await client.bankData(state.order.reference).catch((lookup) => {
        throw refusal(`BillPay did not activate order ${state.order.reference}: ${describe(error)}; its bank data could not be read: ${describe(lookup)}`);
      });
    } else {
      Logger.warn(`order ${state.order.reference}: activation failed: ${describe(error)}`, LOG);
      throw refusal(`BillPay did not activate order ${state.order.reference}: ${describe(error)}`);
    }
  }
  Logger.info(`order ${state.order.reference}: activated at BillPay, due ${bankAccount.dueDate}`, LOG);
  // The payment is settled for what BillPay activated: Vendure saves this
  // entity after the handler, and its refunds and the storefront's amount
  // (payment less refunds) start from it.
  if (meta.reducedBeforeActivation) payment.amount = totalOf(billpay) + refundedTotal(refunds);
  return {
    success: true,
    metadata: {
      public: { bankAccount: { ...bankAccount, activated: true } },
      billpay: { ...meta, status: 'activated', activatedAt: today(), dueDate: bankAccount.dueDate },
    },
  };
}

/**
 * The edit that takes lines and shipping cancelled before settlement off
 * BillPay's cart (the quantities Vendure's lines lost since checkout, the
 * shipping it no longer charges, Vendure's new total as BillPay's), or null
 * when Vendure's order still comes to what BillPay holds.
 */
async function reductionBeforeActivation(ctx, order, state) {
  const { order: billpay, meta } = state;
  const holds = totalOf(billpay);
  const current = await orderService.findOne(ctx, order.id, ['lines', 'shippingLines']);
  if (!current || !(current.totalWithTax < holds)) return null;
  const quantityOf = new Map(current.lines.map((line) => [String(line.id), line.quantity]));
  const items = [];
  for (const { orderLineId, articleId } of meta.lines ?? []) {
    const article = billpay.cart.articles.find((a) => a.articleId === articleId);
    const left = quantityOf.get(String(orderLineId)) ?? 0;
    if (article && left < article.quantity) items.push({ articleId, quantity: article.quantity - left });
  }
  const shippingCredit = Math.max(0, toCents(billpay.cart.shipping.gross) - (current.shippingWithTax ?? 0));
  if (current.totalWithTax <= 0) {
    throw refusal(`order ${billpay.reference} has nothing left to invoice: cancel the payment (BillPay cancel) instead of settling it`);
  }
  try {
    return refundPlan(billpay, { items, shippingCredit, target: current.totalWithTax });
  } catch (error) {
    if (error instanceof BillPayError) throw refusal(`BillPay: ${error.message}`);
    throw error;
  }
}

async function cancelPayment(ctx, order, payment, args) {
  const state = billpayOrder(payment, await refundsOf(ctx, payment));
  if (!state) return { success: true };
  if (state.order.status !== 'cancelled') {
    const { client } = clientFor(args);
    const cancel = (cart) => client.cancel({ reference: state.order.reference, amount: toDecimal(totalOf({ ...state.order, cart })), currency: state.order.currency });
    try {
      await cancel(state.order.cart).catch((error) => {
        // An edit whose answer was lost (pendingCart) may have lowered
        // BillPay's total, which a cancel must quote.
        const pending = state.meta.pendingCart;
        if (pending && error instanceof BillPayError && error.code === 'API_ERROR' && error.apiCode !== 70) return cancel(pending);
        throw error;
      });
    } catch (error) {
      // 70: BillPay's order is cancelled already (an earlier answer was lost).
      if (!(error instanceof BillPayError && error.apiCode === 70)) {
        Logger.warn(`order ${state.order.reference}: cancel failed: ${describe(error)}`, LOG);
        throw refusal(`BillPay did not cancel order ${state.order.reference}: ${describe(error)}`);
      }
    }
  }
  Logger.info(`order ${state.order.reference}: cancelled at BillPay`, LOG);
  return { success: true, metadata: { billpay: { ...state.meta, status: 'cancelled' } } };
}

/**
 * The plan for one Vendure refund: the articles it returns and the shipping it
 * credits leave the cart (planReturn), and the rebate is set so that BillPay's
 * total is exactly what Vendure says is left (planDiscount splits its net part);
 * an amount alone is a discount; nothing left is a cancel.
 */
export function refundPlan(order, { items, shippingCredit, target }) {
  const before = totalOf(order);
  const cancel = { action: 'cancel', cart: { articles: [], shipping: { net: '0.00', gross: '0.00' }, rebate: { net: '0.00', gross: '0.00' } }, before: toDecimal(before), after: '0.00', credit: toDecimal(before) };
  if (target === 0) return cancel;
  if (items.length === 0 && shippingCredit === 0) return planDiscount(order, toDecimal(before - target));
  const returned = planReturn(order, items, shippingCredit > 0 ? { shippingCredit: toDecimal(shippingCredit) } : {});
  if (returned.cart.articles.length === 0) {
    throw refusal(`BillPay: no article would be left on order ${order.reference}, but ${toDecimal(target)} ${order.currency} would still be owed. An order without articles is credited in full: refund the whole remaining ${toDecimal(before)} (shipping included).`);
  }
  const base = { ...returned.cart, rebate: { net: '0.00', gross: '0.00' } };
  const value = toCents(cartTotals(base).gross);
  if (value < target) {
    throw refusal(`BillPay: after this return the articles and shipping left on order ${order.reference} are worth ${toDecimal(value)} ${order.currency}, less than the ${toDecimal(target)} that would still be owed. Refund at least ${toDecimal(before - value)} for these articles, or refund an amount without articles.`);
  }
  const cart = value > target ? planDiscount({ ...order, cart: base }, toDecimal(value - target)).cart : base;
  return { action: 'editCartContent', cart, before: toDecimal(before), after: toDecimal(target), credit: toDecimal(before - target) };
}

async function createRefund(ctx, input, amount, order, payment, args) {
  if (!isBillPayPayment(payment)) throw new IllegalOperationError('this payment was not made with BillPay');
  return withPaymentLock(ctx, payment.id, async () => {
    // Fresh from the database: a refund committed since the payment was loaded counts.
    const refunds = await refundsOf(ctx, payment);
    const state = billpayOrder(payment, refunds);
    const { order: billpay, seq, meta } = state;
    if (billpay.status === 'cancelled') throw refusal(`BillPay: order ${billpay.reference} is cancelled at BillPay; nothing is left to refund`);
    const expected = payment.amount - refundedTotal(refunds);
    const holds = totalOf(billpay);
    if (holds !== expected) {
      throw refusal(`BillPay holds ${toDecimal(holds)} ${billpay.currency} for order ${billpay.reference}, but Vendure's payment minus its refunds is ${toDecimal(expected)}: settle or fail the pending refunds first`);
    }
    const target = expected - amount;
    if (amount <= 0 || target < 0) throw refusal(`BillPay: a refund of ${toDecimal(amount)} does not fit the ${toDecimal(expected)} left on the payment`);
    if (order.state === 'Modifying' && target < order.totalWithTax) {
      // Undoing an increase BillPay never got would credit money the customer still owes.
      throw refusal(`BillPay: this modification would credit ${toDecimal(amount)} ${billpay.currency}, but the order still comes to ${toDecimal(order.totalWithTax)} and BillPay holds ${toDecimal(expected)}: BillPay never got the increase being undone`);
    }

    const articleOf = new Map((meta.lines ?? []).map((l) => [String(l.orderLineId), l.articleId]));
    const quantities = new Map();
    for (const line of input.lines ?? []) {
      if (!line.quantity) continue;
      const articleId = articleOf.get(String(line.orderLineId));
      if (!articleId) throw refusal(`BillPay: order line ${line.orderLineId} was not part of the order BillPay accepted`);
      quantities.set(articleId, (quantities.get(articleId) ?? 0) + line.quantity);
    }
    const items = [...quantities].map(([articleId, quantity]) => ({ articleId, quantity }));
    // Shipping credited: given as such (refundOrder's `shipping`), or cancelled
    // on the order (cancelOrder with cancelShipping, a modification), never both.
    // (In a modification the order passed in carries the new totals, not yet saved.)
    const stored = await orderService.findOne(ctx, order.id, ['shippingLines', 'lines']);
    // Every line cancelled in Vendure (cancelOrder, keeping the shipping),
    // then an amount refunded: the articles are gone at BillPay too, and an
    // order without articles is credited in full, never by a rebate.
    if (items.length === 0 && stored?.lines?.length && stored.lines.every((line) => line.quantity === 0)) {
      for (const article of billpay.cart.articles) items.push({ articleId: article.articleId, quantity: article.quantity });
    }
    const billpayShipping = toCents(billpay.cart.shipping.gross);
    const vendureShipping = Math.min(order.shippingWithTax ?? billpayShipping, stored?.shippingWithTax ?? billpayShipping);
    const shippingCredit = Math.min(billpayShipping, Math.max(input.shipping ?? 0, billpayShipping - vendureShipping, 0));

    let plan;
    try {
      plan = refundPlan(billpay, { items, shippingCredit, target });
    } catch (error) {
      if (error instanceof BillPayError) throw refusal(`BillPay: ${error.message}`);
      throw error;
    }
    const { client } = clientFor(args);
    const record = { seq: seq + 1, action: plan.action, cart: plan.cart, before: plan.before, after: plan.after, credit: plan.credit };
    try {
      await client.apply(billpay, plan);
    } catch (error) {
      const alreadyCancelled = plan.action === 'cancel' && error instanceof BillPayError && error.apiCode === 70;
      if (!alreadyCancelled) {
        Logger.warn(`order ${billpay.reference}: refund of ${toDecimal(amount)} not accepted: ${describe(error)}`, LOG);
        const lost = error instanceof BillPayError && (TRANSPORT_CODES.has(error.code) || error.retryable);
        return {
          state: 'Failed',
          transactionId: payment.transactionId,
          metadata: {
            merchantMessage: error instanceof BillPayError ? error.merchantMessage || error.message : String(error),
            billpay: {
              ...record,
              seq: undefined,
              error: { code: error?.code, apiCode: error?.apiCode, message: error?.message },
              ...(lost ? { note: 'BillPay may have booked it without answering: repeat the same refund; the complete cart is sent again, so it cannot credit twice' } : {}),
            },
          },
        };
      }
    }
    Logger.info(`order ${billpay.reference}: ${plan.action} at BillPay, ${plan.before} → ${plan.after}`, LOG);
    return { state: 'Settled', transactionId: payment.transactionId, metadata: { billpay: record } };
  });
}

export const billpayPaymentHandler = new PaymentMethodHandler({
  code: HANDLER_CODE,
  description: [
    { languageCode: 'en', value: 'BillPay purchase on invoice' },
    { languageCode: 'de', value: 'BillPay Kauf auf Rechnung' },
  ],
  args: {
    endpoint: {
      type: 'string',
      defaultValue: LIVE_ENDPOINT,
      label: [{ languageCode: 'en', value: 'BillPay endpoint' }],
      description: [{ languageCode: 'en', value: `Live ${LIVE_ENDPOINT}, test https://test-api.billpay.de/xml/offline, or the sandbox (http only on loopback)` }],
    },
    merchantId: { type: 'string', label: [{ languageCode: 'en', value: 'Merchant id' }] },
    portalId: { type: 'string', label: [{ languageCode: 'en', value: 'Portal id' }] },
    securityKey: {
      type: 'string',
      label: [{ languageCode: 'en', value: 'Security key' }],
      description: [{ languageCode: 'en', value: 'Shown masked; leave the mask to keep the stored key' }],
      ui: { component: 'password-form-input' },
    },
    delayDays: {
      type: 'int',
      defaultValue: 0,
      label: [{ languageCode: 'en', value: 'Delay days at activation' }],
      description: [{ languageCode: 'en', value: 'Days added before the payment term starts (0–365)' }],
    },
  },
  init(injector) {
    connection = injector.get(TransactionalConnection);
    orderService = injector.get(OrderService);
    transactionSubscriber = injector.get(TransactionSubscriber);
    sharedConnection = SHARED_CONNECTION_DRIVERS.has(connection.rawConnection.options.type);
  },
  createPayment,
  settlePayment,
  cancelPayment,
  createRefund,
});

// --- eligibility ---------------------------------------------------------------------

const moduleConfigs = new Map();

async function moduleConfigFor(args, country, currency, language) {
  const { client, merchantId } = clientFor(args);
  const key = `${client.endpoint}|${merchantId}|${argValue(args, 'portalId')}|${country}|${currency}`;
  const cached = moduleConfigs.get(key);
  if (cached && cached.expires > Date.now()) return cached.value;
  const value = await client.moduleConfig({ country, currency, language }).then(
    (config) => ({ config }),
    (error) => ({ error }),
  );
  moduleConfigs.set(key, { value, expires: Date.now() + (value.error ? MODULE_CONFIG_FAILURE_TTL_MS : MODULE_CONFIG_TTL_MS) });
  return value;
}

export const billpayEligibilityChecker = new PaymentMethodEligibilityChecker({
  code: CHECKER_CODE,
  description: [
    { languageCode: 'en', value: 'BillPay: EUR/CHF, billing address in DE/AT/CH/NL, order total within the merchant limits' },
    { languageCode: 'de', value: 'BillPay: EUR/CHF, Rechnungsadresse in DE/AT/CH/NL, Bestellwert innerhalb der Händlergrenzen' },
  ],
  args: {},
  async check(ctx, order, _args, method) {
    const t = shopperTexts(ctx);
    const reason = staticIneligibility(order, t);
    if (reason) return reason;
    if (method?.handler?.code !== HANDLER_CODE) return `the ${CHECKER_CODE} checker belongs to a payment method with the ${HANDLER_CODE} handler`;
    const country = order.billingAddress.countryCode.toUpperCase();
    let answer;
    try {
      answer = await moduleConfigFor(method.handler.args, country, order.currencyCode, localeOf(ctx));
    } catch (error) {
      Logger.error(`BillPay payment method misconfigured: ${describe(error)}`, LOG);
      return t.unavailable;
    }
    if (answer.error) {
      Logger.warn(`moduleConfig failed: ${describe(answer.error)}`, LOG);
      return t.unavailable;
    }
    const { config } = answer;
    if (!config.active || !config.invoiceAllowed) return t.notEnabled;
    const total = order.totalWithTax;
    const money = (amount) => formatAmount(amount, order.currencyCode, shopperLocale(ctx));
    if (config.invoiceMin !== undefined && total < toCents(config.invoiceMin)) return t.min(money(config.invoiceMin));
    if (config.invoiceMax !== undefined && total > toCents(config.invoiceMax)) return t.max(money(config.invoiceMax));
    return true;
  },
});

// --- the security key in the Admin API -------------------------------------------------

function isBillPayOperation(operation) {
  return operation?.code === HANDLER_CODE && Array.isArray(operation.args);
}

/** Every ConfigurableOperation the Admin API returns: BillPay's key is replaced by the mask. */
class BillPayAdminArgsResolver {
  args(operation) {
    if (!isBillPayOperation(operation)) return operation.args;
    return operation.args.map((arg) => (arg.name === 'securityKey' && arg.value ? { ...arg, value: SECURITY_KEY_MASK } : arg));
  }
}
Resolver('ConfigurableOperation')(BillPayAdminArgsResolver);
ResolveField('args')(BillPayAdminArgsResolver.prototype, 'args', Object.getOwnPropertyDescriptor(BillPayAdminArgsResolver.prototype, 'args'));
Parent()(BillPayAdminArgsResolver.prototype, 'args', 0);

/** Shoppers see only the `public` part of a BillPay refund's metadata (BillPay's merchant messages are for admins). */
class BillPayShopRefundResolver {
  metadata(refund) {
    const metadata = refund?.metadata;
    if (!metadata?.billpay) return metadata;
    return metadata.public ? { public: metadata.public } : {};
  }
}
Resolver('Refund')(BillPayShopRefundResolver);
ResolveField('metadata')(BillPayShopRefundResolver.prototype, 'metadata', Object.getOwnPropertyDescriptor(BillPayShopRefundResolver.prototype, 'metadata'));
Parent()(BillPayShopRefundResolver.prototype, 'metadata', 0);

/** Saving the masked value back keeps the stored key (TypeORM subscriber on PaymentMethod). */
const keepStoredKey = {
  listenTo() {
    return PaymentMethod;
  },
  beforeInsert(event) {
    const handler = event.entity?.handler;
    if (!isBillPayOperation(handler)) return;
    checkSettings(handler.args);
    const key = handler.args.find((a) => a.name === 'securityKey');
    if (key?.value === SECURITY_KEY_MASK) key.value = '';
  },
  beforeUpdate(event) {
    const handler = event.entity?.handler;
    if (!isBillPayOperation(handler)) return;
    checkSettings(handler.args);
    const key = handler.args.find((a) => a.name === 'securityKey');
    if (key?.value !== SECURITY_KEY_MASK) return;
    const stored = isBillPayOperation(event.databaseEntity?.handler) ? event.databaseEntity.handler.args.find((a) => a.name === 'securityKey')?.value : undefined;
    key.value = stored && stored !== SECURITY_KEY_MASK ? stored : '';
  },
};

/**
 * The handler's settings when a payment method is saved: a wrong endpoint,
 * id or delay would otherwise show only at a customer's checkout or at
 * settlement. Ids may still be empty (a method saved before its contract).
 */
function checkSettings(args) {
  const refuse = (message) => {
    throw new UserInputError(`BillPay payment method: ${message}`);
  };
  try {
    new BillPayClient({ endpoint: String(argValue(args, 'endpoint') || LIVE_ENDPOINT).trim() });
  } catch (error) {
    refuse(error instanceof BillPayError ? error.message.replace(/^config\./, '') : String(error));
  }
  for (const name of ['merchantId', 'portalId']) {
    const value = String(argValue(args, name) ?? '').trim();
    if (value !== '' && !(/^\d{1,10}$/.test(value) && Number(value) > 0 && Number(value) <= 0xffffffff)) {
      refuse(`${name} is BillPay's id, a positive whole number, got ${JSON.stringify(value.slice(0, 40))}`);
    }
  }
  const delay = String(argValue(args, 'delayDays') ?? '0').trim() || '0';
  if (!/^\d{1,3}$/.test(delay) || Number(delay) > 365) {
    refuse(`delayDays is 0 to 365 days, got ${JSON.stringify(delay.slice(0, 40))}`);
  }
}

// --- order process: BillPay amounts only go down ------------------------------------

let processConnection;

export const billpayOrderProcess = {
  init(injector) {
    processConnection = injector.get(TransactionalConnection);
  },
  async onTransitionStart(fromState, toState, { ctx, order }) {
    if (fromState !== 'Modifying' || toState === 'Cancelled') return;
    // A modification that raises the total goes to ArrangingAdditionalPayment
    // (Vendure's order process sees to that): the difference is paid another
    // way, as the handler takes no part payments, and BillPay's amount stays
    // as it is. Refunds do not lower Vendure's total, so comparing it with
    // the payments less their refunds would stop an order that was refunded
    // before from ever leaving Modifying.
    const payments = await processConnection.getRepository(ctx, Payment).find({ where: { order: { id: order.id } } });
    const billpay = payments.filter((p) => isBillPayPayment(p) && (p.state === 'Authorized' || p.state === 'Settled'));
    if (billpay.length === 0) return;
    // BillPay accepted the purchase on invoice for the billing and delivery
    // addresses given at checkout and cannot be told of others: an invoice to
    // someone else, or goods sent elsewhere, would be outside its decision.
    for (const payment of billpay) {
      const checked = payment.metadata.billpay.addresses;
      if (!checked) continue;
      for (const [which, key, address] of [['billing', 'billing', order.billingAddress], ['delivery', 'shipping', order.shippingAddress]]) {
        if (addressKey(address) !== checked[key]) {
          return `BillPay: order ${order.code} is paid on invoice, and BillPay accepted it for the ${which} address given at checkout; it cannot be changed at BillPay. Undo the address change, or cancel the order and place a new one.`;
        }
      }
    }
  },
};

// --- settle on shipment ------------------------------------------------------------------

/**
 * Whether every line the order still has is in a fulfillment that reached
 * Shipped (or Delivered). BillPay activates whole orders: activating at a
 * partial shipment would start the customer's payment term for goods not
 * sent yet.
 */
function completelyShipped(order) {
  const shipped = new Map();
  for (const fulfillment of order.fulfillments ?? []) {
    if (fulfillment.state !== 'Shipped' && fulfillment.state !== 'Delivered') continue;
    for (const line of fulfillment.lines ?? []) shipped.set(String(line.orderLineId), (shipped.get(String(line.orderLineId)) ?? 0) + line.quantity);
  }
  const open = (order.lines ?? []).filter((line) => line.quantity > 0);
  return open.length > 0 && open.every((line) => (shipped.get(String(line.id)) ?? 0) >= line.quantity);
}

/**
 * Settles the authorized BillPay payments of these orders once each order is
 * completely shipped: after a fulfillment reached Shipped, or after the lines
 * that were still to be shipped were cancelled.
 */
async function settleShippedOrders(connectionService, orders, ctx, orderIds) {
  for (const orderId of new Set(orderIds.map(String))) {
    // One at a time per order, and at most one waiting behind it: cancelling
    // several lines fires an event for each, and a run that has not started
    // yet reads the order as the later events left it (with BillPay down, one
    // attempt and one note instead of one per line).
    const entry = settlingOrders.get(orderId) ?? { tail: Promise.resolve(), waiting: null };
    if (!entry.waiting) {
      const waiting = entry.tail.catch(() => {}).then(() => {
        entry.waiting = null;
        return settleIfShipped(connectionService, orders, ctx, orderId);
      });
      entry.waiting = waiting;
      entry.tail = waiting;
      settlingOrders.set(orderId, entry);
    }
    const current = entry.waiting;
    await current.finally(() => {
      if (settlingOrders.get(orderId) === entry && entry.tail === current && !entry.waiting) settlingOrders.delete(orderId);
    });
  }
}

/** Per order id: the last settlement run (`tail`) and the one not started yet (`waiting`). */
const settlingOrders = new Map();

async function settleIfShipped(connectionService, orders, ctx, orderId) {
  const order = await connectionService.getRepository(ctx, Order).findOne({
    where: { id: orderId },
    relations: ['lines', 'fulfillments', 'fulfillments.lines', 'payments'],
  });
  if (!order) return;
  const authorized = (order.payments ?? []).filter((payment) => isBillPayPayment(payment) && payment.state === 'Authorized');
  if (authorized.length === 0 || !(order.fulfillments ?? []).some((f) => f.state === 'Shipped' || f.state === 'Delivered')) return;
  if (!completelyShipped(order)) {
    Logger.info(`order ${order.code}: partly shipped; BillPay is activated when the rest is shipped or cancelled`, LOG);
    return;
  }
  for (const payment of authorized) {
    let failure;
    try {
      const result = await connectionService.withTransaction(ctx, (tx) => orders.settlePayment(tx, payment.id));
      if (result?.errorCode) failure = result.message ?? result.errorCode;
      else if (result?.state && result.state !== 'Settled') failure = result.errorMessage || `payment is ${result.state}`;
    } catch (error) {
      failure = describe(error);
    }
    if (failure) {
      Logger.warn(`order ${order.code}: activation on shipment failed: ${failure}`, LOG);
      await connectionService
        .withTransaction(ctx, (tx) =>
          orders.addNoteToOrder(tx, { id: order.id, note: `BillPay activation on shipment failed: ${failure} — activate it with "Settle payment" once the cause is fixed.`, isPublic: false }),
        )
        .catch((error) => Logger.error(`order ${order.code}: could not record the failed activation: ${describe(error)}`, LOG));
      continue;
    }
    // The order could not follow its fulfillments while the payment was only authorized.
    for (const state of ['Shipped', 'PartiallyShipped']) {
      const moved = await connectionService.withTransaction(ctx, (tx) => orders.transitionToState(tx, order.id, state)).catch(() => undefined);
      if (moved && !moved.errorCode) break;
    }
  }
}

/** The orders of a fulfillment (one, in practice). */
async function ordersOfFulfillment(connectionService, ctx, fulfillment) {
  const found = await connectionService
    .getRepository(ctx, Order)
    .createQueryBuilder('order')
    .innerJoin('order.fulfillments', 'fulfillment', 'fulfillment.id = :id', { id: fulfillment.id })
    .getMany();
  return found.map((order) => order.id);
}

// --- cancel with the order ---------------------------------------------------------------

/**
 * An order cancelled in Vendure (every line cancelled, or "Cancel order"):
 * its BillPay payments that are only authorized are cancelled at BillPay
 * too, so that nobody activates them later and the customer's purchase on
 * invoice is released. An activated (settled) one is the merchant's to
 * refund, as Vendure asks when it cancels a paid order.
 */
async function cancelWithOrder(connectionService, orders, event) {
  const { ctx, order } = event;
  const payments = await connectionService.getRepository(ctx, Payment).find({ where: { order: { id: order.id } } });
  for (const payment of payments) {
    if (!isBillPayPayment(payment) || payment.state !== 'Authorized') continue;
    let failure;
    try {
      const result = await connectionService.withTransaction(ctx, (tx) => orders.cancelPayment(tx, payment.id));
      if (result?.errorCode) failure = result.message ?? result.errorCode;
    } catch (error) {
      failure = describe(error);
    }
    if (!failure) continue;
    Logger.warn(`order ${order.code}: cancelling the BillPay payment with the order failed: ${failure}`, LOG);
    await connectionService
      .withTransaction(ctx, (tx) =>
        orders.addNoteToOrder(tx, { id: order.id, note: `BillPay: the order is cancelled, but its BillPay payment could not be cancelled: ${failure} — cancel the payment once the cause is fixed.`, isPublic: false }),
      )
      .catch((error) => Logger.error(`order ${order.code}: could not record the failed cancel: ${describe(error)}`, LOG));
  }
}

// --- BillPay's two-month activation deadline ----------------------------------------------

/** What an order's history says, once per warning, of an authorized BillPay payment nearing or past BillPay's deadline. */
function deadlineNote(status) {
  if (status.warnings.includes('EXPIRED')) {
    return `BillPay: the order was not activated by ${status.expiresOn}, two months after checkout: BillPay may cancel it now. Before you ship, ask BillPay's merchant service (haendler@billpay.de) whether it still stands; then settle the payment.`;
  }
  const days = status.daysLeft === 1 ? '1 day' : `${status.daysLeft} days`;
  return `BillPay: activate this order (settle its payment) by ${status.expiresOn} (${days} left). BillPay may cancel orders that are not activated within two months of checkout.`;
}

/**
 * Writes a note to the history of every order whose BillPay payment is still
 * only authorized when BillPay's deadline is two weeks away, and again when it
 * has passed (the core's orderStatus warnings EXPIRES_SOON and EXPIRED). Each
 * note once per payment (remembered in its metadata). Returns how many were written.
 */
export async function noteActivationDeadlines(connectionService, orders, ctx, day = today()) {
  // Payment.method is the payment method's code, which the shop chose: BillPay's payments are known by their metadata.
  const payments = await connectionService.getRepository(ctx, Payment).find({ where: { state: 'Authorized' }, relations: ['order'] });
  let written = 0;
  for (const payment of payments.filter(isBillPayPayment)) {
    const state = billpayOrder(payment, await refundsOf(ctx, payment));
    // A cancelled order's payment is cancelled with it (or has its own note if that failed).
    if (!state || !payment.order || payment.order.state === 'Cancelled') continue;
    let status;
    try {
      status = orderStatus(state.order, day);
    } catch (error) {
      Logger.warn(`order ${state.order.reference}: no activation deadline: ${describe(error)}`, LOG);
      continue;
    }
    const warning = ['EXPIRED', 'EXPIRES_SOON'].find((w) => status.warnings.includes(w));
    if (!warning || (state.meta.deadlineNotes ?? []).includes(warning)) continue;
    try {
      const wrote = await connectionService.withTransaction(ctx, async (tx) => {
        const payments = connectionService.getRepository(tx, Payment);
        // As it is now: a settlement or a cancel may have come in since the list was read.
        const stored = await payments.findOne({ where: { id: payment.id } });
        const noted = stored?.metadata?.billpay?.deadlineNotes ?? [];
        if (stored?.state !== 'Authorized' || noted.includes(warning)) return false;
        const metadata = { ...stored.metadata, billpay: { ...stored.metadata.billpay, deadlineNotes: [...noted, warning] } };
        // Only the metadata, and only while the payment is still authorized: a settlement
        // committed in between keeps its state and bank data (the note is rolled back with it).
        const { affected } = await payments.update({ id: payment.id, state: 'Authorized' }, { metadata });
        if (affected === 0) throw new Error('the payment changed meanwhile');
        await orders.addNoteToOrder(tx, { id: payment.order.id, note: deadlineNote(status), isPublic: false });
        return true;
      });
      if (wrote) written += 1;
    } catch (error) {
      Logger.error(`order ${state.order.reference}: could not note BillPay's activation deadline: ${describe(error)}`, LOG);
    }
  }
  return written;
}

/**
 * Vendure's scheduled task (3.3 and later; it runs where a scheduler strategy
 * runs tasks, e.g. with Vendure's DefaultSchedulerPlugin): every morning,
 * noteActivationDeadlines. Registered by the plug-in.
 */
export const billpayDeadlineTask = ScheduledTask
  ? new ScheduledTask({
      id: 'billpay-activation-deadlines',
      description: "Notes orders whose BillPay payment is not activated two weeks before BillPay's two-month deadline, and when it has passed",
      schedule: (cron) => cron.everyDayAt(6, 0),
      async execute({ injector, scheduledContext }) {
        const notes = await noteActivationDeadlines(injector.get(TransactionalConnection), injector.get(OrderService), scheduledContext);
        return { notes };
      },
    })
  : undefined;

// --- the plug-in ---------------------------------------------------------------------------

export class BillPayPlugin {
  /** @param {{ settleOnShipment?: boolean, timeoutMs?: number, retries?: number }} [init] */
  static init(init = {}) {
    options.settleOnShipment = init.settleOnShipment === true;
    options.timeoutMs = init.timeoutMs;
    options.retries = init.retries;
    return BillPayPlugin;
  }

  constructor(eventBus, connectionService, orders) {
    this.eventBus = eventBus;
    this.connection = connectionService;
    this.orders = orders;
  }

  onApplicationBootstrap() {
    for (const subscriber of [keepStoredKey, refundSubscriber]) {
      if (!this.connection.rawConnection.subscribers.includes(subscriber)) this.connection.rawConnection.subscribers.push(subscriber);
    }
    this.cancellations = this.eventBus.ofType(OrderStateTransitionEvent).subscribe((event) => {
      if (event.toState !== 'Cancelled') return;
      cancelWithOrder(this.connection, this.orders, event).catch((error) => Logger.error(`cancel with the order: ${describe(error)}`, LOG));
    });
    if (options.settleOnShipment) {
      const settle = (ctx, orderIds) => settleShippedOrders(this.connection, this.orders, ctx, orderIds).catch((error) => Logger.error(`settle on shipment: ${describe(error)}`, LOG));
      this.subscription = this.eventBus.ofType(FulfillmentStateTransitionEvent).subscribe((event) => {
        if (event.toState !== 'Shipped' && event.toState !== 'Delivered') return;
        ordersOfFulfillment(this.connection, event.ctx, event.fulfillment).then((ids) => settle(event.ctx, ids), (error) => Logger.error(`settle on shipment: ${describe(error)}`, LOG));
      });
      // The lines still to be shipped cancelled: what was shipped is the order.
      this.lineCancellations = this.eventBus.ofType(OrderLineEvent).subscribe((event) => {
        if (event.type !== 'cancelled' || !event.order?.id) return;
        settle(event.ctx, [event.order.id]);
      });
    }
  }

  onApplicationShutdown() {
    this.cancellations?.unsubscribe();
    this.subscription?.unsubscribe();
    this.lineCancellations?.unsubscribe();
  }
}
Reflect.defineMetadata('design:paramtypes', [EventBus, TransactionalConnection, OrderService], BillPayPlugin);
VendurePlugin({
  imports: [PluginCommonModule],
  adminApiExtensions: { resolvers: [BillPayAdminArgsResolver] },
  shopApiExtensions: { resolvers: [BillPayShopRefundResolver] },
  compatibility: '^3.0.0',
  configuration(config) {
    const { paymentOptions, orderOptions } = config;
    if (!paymentOptions.paymentMethodHandlers.includes(billpayPaymentHandler)) paymentOptions.paymentMethodHandlers.push(billpayPaymentHandler);
    paymentOptions.paymentMethodEligibilityCheckers = paymentOptions.paymentMethodEligibilityCheckers ?? [];
    if (!paymentOptions.paymentMethodEligibilityCheckers.includes(billpayEligibilityChecker)) paymentOptions.paymentMethodEligibilityCheckers.push(billpayEligibilityChecker);
    if (!orderOptions.process.includes(billpayOrderProcess)) orderOptions.process = [...orderOptions.process, billpayOrderProcess];
    if (billpayDeadlineTask && config.schedulerOptions) {
      const tasks = config.schedulerOptions.tasks ?? [];
      if (!tasks.includes(billpayDeadlineTask)) config.schedulerOptions.tasks = [...tasks, billpayDeadlineTask];
    }
    return config;
  },
})(BillPayPlugin);
