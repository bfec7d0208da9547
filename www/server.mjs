// The demo shop: storefront (checkout, invoice pages), admin page, and the
// relay that lets the admin page talk to BillPay without the security key.
// It talks to the local BillPay sandbox unless BILLPAY_ENDPOINT points
// elsewhere. Every page is sent with the strict CSP the package promises to
// work under.
//
// It is meant to be copied, so it defends itself like a shop must: it answers
// only under its own Host names (a foreign name is DNS rebinding), its
// state-changing routes take JSON from its own origin only (a cross-site form
// or script cannot place or change orders with the merchant's key), and bank
// data is only ever what BillPay answered, never what a browser sends.
//
//   npm start            (PORT=8080; PORT=0 picks a free port)
//   BILLPAY_ENDPOINT=https://test-api.billpay.de/xml/offline BILLPAY_MERCHANT_ID=… BILLPAY_PORTAL_ID=… BILLPAY_SECURITY_KEY=… npm start

import { createServer } from 'node:http';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BillPayClient, createRelay, orderStatus, cartTotals, BillPayError } from 'billpay-wasm/node';
import { startSandbox, SANDBOX_CREDENTIALS } from './sandbox.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const mounts = [
  ['/pkg/', join(root, 'pkg')],
  ['/', join(root, 'www', 'public')],
];

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self' mailto:";

/**
 * The shop's catalogue: EUR prices incl. 19 % VAT, CHF prices for Swiss customers incl. 8.1 %
 * Swiss VAT (net to the cent).
 */
export const CATALOG = [
  { articleId: 'espresso-1kg', name: 'Espresso-Bohnen „Napoli“ 1 kg', unitNet: '20.92', unitGross: '24.90', chf: { unitNet: '24.88', unitGross: '26.90' } },
  { articleId: 'filter-500', name: 'Filterkaffee „Morgenrot“ 500 g', unitNet: '10.50', unitGross: '12.50', chf: { unitNet: '12.86', unitGross: '13.90' } },
  { articleId: 'mill', name: 'Handmühle Edelstahl', unitNet: '49.58', unitGross: '59.00', chf: { unitNet: '59.11', unitGross: '63.90' } },
  { articleId: 'jug', name: 'Milchkännchen 350 ml', unitNet: '12.56', unitGross: '14.95', chf: { unitNet: '14.71', unitGross: '15.90' } },
];
const SHIPPING = { name: 'DHL Paket', net: '4.12', gross: '4.90' };
const SHIPPING_CHF = { name: 'Die Post', net: '8.33', gross: '9.00' };

/** Swiss customers pay in francs (to BillPay's Swiss account, with the QR-bill), everyone else in euros. */
export const currencyFor = (country) => (country === 'CH' ? 'CHF' : 'EUR');

/** The cart lines of an order in its currency. */
function priced(product, currency) {
  const { chf, ...line } = product;
  return currency === 'CHF' ? { ...line, ...chf } : line;
}

function send(res, status, type, body) {
  res.writeHead(status, {
    'content-type': type,
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  });
  res.end(body);
}

const sendJson = (res, status, value) => send(res, status, types['.json'], JSON.stringify(value));

/** A refusal with a message for the caller; nothing internal in it. */
class Refusal extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function serveFile(res, pathname) {
  for (const [prefix, dir] of mounts) {
    if (!pathname.startsWith(prefix)) continue;
    let rel;
    try {
      rel = decodeURIComponent(pathname.slice(prefix.length));
    } catch {
      throw new Refusal(400, 'INVALID_INPUT', 'the path is not valid percent-encoding');
    }
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = normalize(join(dir, rel));
    if (!file.startsWith(dir + sep)) return send(res, 403, 'text/plain', 'forbidden');
    try {
      const body = await readFile(file);
      return send(res, 200, types[extname(file)] ?? 'application/octet-stream', body);
    } catch {
      return send(res, 404, 'text/plain', 'not found');
    }
  }
  return send(res, 404, 'text/plain', 'not found');
}

async function readJson(req, limit = 64 * 1024) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new Refusal(413, 'REQUEST_TOO_LARGE', `the request is above ${limit} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new Refusal(400, 'INVALID_INPUT', 'the request body is not valid JSON');
  }
}

const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The discipline of every state-changing route (the relay's, for JSON):
 * a browser announces a foreign page with Origin (and Sec-Fetch-Site), and
 * only a same-origin script can send application/json without a CORS
 * preflight, which this server never grants. Requests without Origin come
 * from programs, not from a page in an admin's or shopper's browser.
 */
function checkWrite(req) {
  const origin = req.headers.origin;
  let originHost = null;
  try {
    originHost = origin === undefined ? req.headers.host : new URL(origin).host;
  } catch {}
  const site = req.headers['sec-fetch-site'];
  if (originHost !== req.headers.host || (site !== undefined && site !== 'same-origin' && site !== 'none')) {
    throw new Refusal(403, 'CROSS_ORIGIN', 'this shop only takes changes from its own pages');
  }
  const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') throw new Refusal(415, 'UNSUPPORTED_MEDIA_TYPE', 'send application/json');
}

/** Host names the demo answers under: its loopback address and localhost, on its port. */
function checkHost(req, extraHosts) {
  const port = req.socket.localPort;
  const host = String(req.headers.host ?? '').toLowerCase();
  const own = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  if (!own.includes(host) && !extraHosts.some((h) => h.toLowerCase() === host)) {
    throw new Refusal(421, 'UNKNOWN_HOST', 'this server does not answer under that Host name');
  }
}

const CUSTOMER_FIELDS = ['salutation', 'firstName', 'lastName', 'street', 'streetNo', 'zip', 'city', 'country', 'email', 'birthday', 'phone'];
const DEBIT_FIELDS = ['accountHolder', 'iban', 'bic'];
const PAYMENT_TYPES = ['invoice', 'directDebit'];
// What a request that may have reached BillPay ends in when its answer did not come back.
const NO_ANSWER = new Set(['NETWORK_ERROR', 'TIMEOUT', 'HTTP_ERROR', 'INVALID_RESPONSE']);
const LOCALES = ['de', 'en', 'fr', 'it', 'nl'];
/** The checkout form's names of the fields the core's errors point at. */
const FIELD_LABELS = {
  'customer.salutation': 'Anrede', 'customer.firstName': 'Vorname', 'customer.lastName': 'Nachname', 'customer.street': 'Straße',
  'customer.streetNo': 'Nr.', 'customer.zip': 'PLZ', 'customer.city': 'Ort', 'customer.country': 'Land', 'customer.email': 'E-Mail',
  'customer.birthday': 'Geburtsdatum', 'customer.phone': 'Telefon', 'debitAccount.accountHolder': 'Kontoinhaber', 'debitAccount.iban': 'IBAN',
  'debitAccount.bic': 'BIC', 'currency': 'Land',
};

/** An object whose members are all text, of the given names; else a clear refusal. */
function textFields(value, names, what) {
  if (!isObject(value) || !Object.entries(value).every(([name, text]) => names.includes(name) && typeof text === 'string')) {
    throw new Refusal(400, 'INVALID_INPUT', `${what} is an object of text fields: ${names.join(', ')}`);
  }
  return value;
}

/** The checkout form's data, or a clear refusal (the core checks the values themselves). */
function checkoutInput(body) {
  if (!isObject(body)) throw new Refusal(400, 'INVALID_INPUT', 'the checkout takes a JSON object');
  if (body.consent !== true) throw new Refusal(422, 'INVALID_INPUT', 'Bitte stimmen Sie den Bedingungen von BillPay zu.');
  const { customer, items, locale = 'de', paymentType = 'invoice', debitAccount } = body;
  textFields(customer, CUSTOMER_FIELDS, 'customer');
  if (!Array.isArray(items) || items.length > CATALOG.length || !items.every(isObject)) {
    throw new Refusal(400, 'INVALID_INPUT', `items is a list of up to ${CATALOG.length} { articleId, quantity }`);
  }
  if (!LOCALES.includes(locale)) throw new Refusal(400, 'INVALID_INPUT', `locale is one of ${LOCALES.join(', ')}`);
  if (!PAYMENT_TYPES.includes(paymentType)) throw new Refusal(400, 'INVALID_INPUT', `paymentType is one of ${PAYMENT_TYPES.join(', ')}`);
  // The customer's own account goes to BillPay (which debits it) and nowhere else: the
  // shop does not keep it, and it never appears on an invoice.
  if (paymentType === 'directDebit') textFields(debitAccount, DEBIT_FIELDS, 'debitAccount');
  else if (debitAccount !== undefined) throw new Refusal(400, 'INVALID_INPUT', 'debitAccount belongs to paymentType directDebit');
  return { customer, items, locale, paymentType, debitAccount };
}

/** Money strings (checked by the core before) as integer cents. */
const cents = (amount) => {
  const [units, fraction = ''] = amount.split('.');
  return BigInt(units) * 100n + BigInt(fraction.padEnd(2, '0'));
};

/**
 * Whether `after` can be what an admin's credit made of `before` (BillPay's
 * rules: amounts only go down, no new articles): the shop records only such a
 * cart, so no client can raise an invoice or swap in another order's cart.
 */
function isCredit(before, after) {
  const lines = new Map(before.articles.map((a) => [a.articleId, a]));
  const lineOk = (a) => {
    const b = lines.get(a.articleId);
    return b && a.name === b.name && a.quantity <= b.quantity && cents(a.unitNet) <= cents(b.unitNet) && cents(a.unitGross) <= cents(b.unitGross);
  };
  const totals = [cartTotals(before), cartTotals(after)];
  return (
    after.articles.every(lineOk) &&
    cents(after.shipping.gross) <= cents(before.shipping.gross) &&
    cents(after.shipping.net) <= cents(before.shipping.net) &&
    cents(totals[1].gross) <= cents(totals[0].gross) &&
    cents(totals[1].net) <= cents(totals[0].net)
  );
}

/** The shop's order store: one JSON file (the demo's stand-in for a database). */
class Store {
  constructor(file) {
    this.file = file;
    this.orders = [];
    // The last order number handed out, stored with the orders.
    this.lastId = 5000;
  }

  async load() {
    try {
      const data = JSON.parse(await readFile(this.file, 'utf8'));
      this.orders = data.orders;
      this.lastId = Number(data.lastId) || 5000;
      return true;
    } catch {
      return false;
    }
  }

  async save() {
    await mkdir(join(this.file, '..'), { recursive: true });
    await writeFile(this.file, JSON.stringify({ orders: this.orders, lastId: this.lastId }, null, 2));
  }

  /**
   * A new order number, taken at once: two checkouts at the same time get
   * two, and a number whose preauthorization went unanswered is never handed
   * out again (BillPay may hold an order under it: error 61).
   */
  nextId() {
    this.lastId = Math.max(this.lastId, ...this.orders.map((o) => Number(o.id) || 0)) + 1;
    return String(this.lastId);
  }
}

const today = () => new Date().toISOString().slice(0, 10);

/**
 * @param {{ endpoint: string, credentials: { merchantId: number, portalId: number, securityKey: string }, dataFile: string, hosts?: string[] }} config
 *   hosts: Host headers ("shop.test:8080") served besides the loopback address and localhost
 */
export async function createShop({ endpoint, credentials, dataFile, hosts = [] }) {
  const store = new Store(dataFile);
  // The shop server holds the key: it preauthorizes at checkout itself, and
  // the relay adds it for the admin page.
  const client = new BillPayClient({ endpoint, ...credentials });
  // The relay refuses foreign Host names on loopback by itself; names this
  // shop is served under besides loopback must be named to it as well.
  const allowHosts = hosts.length > 0 ? ['127.0.0.1', 'localhost', '[::1]', ...hosts] : undefined;
  const relay = createRelay({ upstream: endpoint, ...credentials, allowHosts, log: (line) => console.warn(line) });
  const examples = JSON.parse(await readFile(join(root, 'www', 'fixtures.json'), 'utf8')).orders;

  async function checkout({ customer, items, locale, paymentType = 'invoice', debitAccount }) {
    const currency = currencyFor(customer.country);
    const articles = [];
    for (const item of items ?? []) {
      const product = CATALOG.find((p) => p.articleId === item.articleId);
      const quantity = Number(item.quantity);
      if (!product || !Number.isSafeInteger(quantity) || quantity < 1) continue;
      articles.push({ ...priced(product, currency), quantity });
    }
    if (articles.length === 0) throw new BillPayError('EMPTY_CART', 'choose at least one article');
    const cart = { articles, shipping: currency === 'CHF' ? SHIPPING_CHF : SHIPPING, rebate: { net: '0.00', gross: '0.00' } };
    const id = store.nextId();
    await store.save();
    let result;
    try {
      result = await client.preauthorize({
        reference: id,
        currency,
        customer: { ...customer, language: locale },
        cart,
        paymentType,
        ...(paymentType === 'directDebit' ? { debitAccount } : {}),
        // checkoutInput refused a form without the customer's consent.
        termsAccepted: true,
      });
    } catch (error) {
      // No answer: BillPay may have created the order all the same. A
      // preauthorization is never sent twice; its bank data says whether it
      // arrived (as the Vendure plug-in does).
      if (!(error instanceof BillPayError) || !NO_ANSWER.has(error.code)) throw error;
      result = await lostPreauthorization(id, paymentType, error);
    }
    const order = {
      id,
      locale,
      date: today(),
      customerCountry: customer.country,
      customer: [`${customer.firstName} ${customer.lastName}`, `${customer.street} ${customer.streetNo ?? ''}`.trim(), `${customer.zip} ${customer.city}`],
      // What BillPay approved: its payment type decides the invoice's block. A debit
      // order has no bank data for the customer (nothing to transfer).
      method: result.paymentType,
      billpay: { reference: id, currency, cart, status: 'preauthorized', createdAt: today(), ...(result.bankAccount ? { bankAccount: result.bankAccount } : {}) },
    };
    store.orders.push(order);
    await store.save();
    return order;
  }

  /** The preauthorization of order `id` whose answer was lost, if BillPay has it. */
  // (Such errors are not `retryable`: a blind repeat could be a second purchase.)
  async function lostPreauthorization(id, paymentType, error) {
    let bankAccount;
    try {
      bankAccount = await client.bankData(id);
    } catch (lookup) {
      console.warn(`[checkout] order ${id}: no answer (${error.code}), and BillPay's bank data: ${lookup.code} ${lookup.merchantMessage ?? lookup.message}`);
      throw new BillPayError(error.code, 'BillPay could not be reached; please try again in a moment.', { retryable: true });
    }
    console.warn(`[checkout] order ${id}: the answer was lost (${error.code}); BillPay has the order`);
    // A debit order has no account for the customer to pay to.
    return { paymentType, ...(paymentType === 'directDebit' ? {} : { bankAccount }) };
  }

  async function activate(order) {
    const account = await client.activate({ reference: order.id, amount: cartTotals(order.billpay.cart).gross, currency: order.billpay.currency });
    Object.assign(order.billpay, { status: 'activated', activatedAt: today(), bankAccount: account });
  }

  /**
   * Demo orders on first start, one live order at BillPay for every block the package
   * renders from BillPay's answers: invoice in EUR activated (5001) and not activated
   * (5002), direct debit (5003), invoice in CHF with the Swiss QR-bill (5004).
   * PayLater and transaction credit are not offered by BillPay's sandbox: the static
   * examples show them.
   */
  async function seed() {
    if (await store.load()) return;
    const customers = [
      { salutation: 'Frau', firstName: 'Erika', lastName: 'Mustermann', street: 'Heidestraße', streetNo: '17', zip: '51147', city: 'Köln', country: 'DE', email: 'erika@example.com', birthday: '1985-09-11' },
      { salutation: 'Herr', firstName: 'Jonas', lastName: 'Becker', street: 'Musterweg', streetNo: '3', zip: '10115', city: 'Berlin', country: 'DE', email: 'jonas@example.com', birthday: '1979-02-01' },
      { salutation: 'Frau', firstName: 'Anna', lastName: 'Huber', street: 'Mariahilfer Straße', streetNo: '1', zip: '1060', city: 'Wien', country: 'AT', email: 'anna@example.com', birthday: '1990-06-30' },
      { salutation: 'Frau', firstName: 'Jeanne', lastName: 'Dubois', street: 'Rue du Marché', streetNo: '12', zip: '1204', city: 'Genève', country: 'CH', email: 'jeanne@example.com', birthday: '1988-04-17' },
    ];
    const first = await checkout({ customer: customers[0], items: [{ articleId: 'espresso-1kg', quantity: 2 }, { articleId: 'mill', quantity: 1 }], locale: 'de' });
    await checkout({ customer: customers[1], items: [{ articleId: 'filter-500', quantity: 3 }, { articleId: 'jug', quantity: 1 }], locale: 'de' });
    await checkout({
      customer: customers[2],
      items: [{ articleId: 'espresso-1kg', quantity: 1 }],
      locale: 'en',
      paymentType: 'directDebit',
      debitAccount: { accountHolder: 'Anna Huber', iban: 'AT61 1904 3002 3457 3201', bic: 'BKAUATWW' },
    });
    const swiss = await checkout({ customer: customers[3], items: [{ articleId: 'espresso-1kg', quantity: 4 }, { articleId: 'mill', quantity: 1 }], locale: 'fr' });
    await activate(first);
    await activate(swiss);
    await store.save();
  }

  /** What the storefront and the lists show of an order. */
  function view(order) {
    const totals = cartTotals(order.billpay.cart);
    const lines = order.billpay.cart.articles.map((a) => ({ name: a.name, quantity: a.quantity, unitGross: a.unitGross }));
    return {
      id: order.id,
      source: 'shop',
      locale: order.locale,
      date: order.date,
      currency: order.billpay.currency,
      customerCountry: order.customerCountry,
      customer: order.customer,
      lines,
      shipping: order.billpay.cart.shipping.gross,
      rebate: order.billpay.cart.rebate.gross,
      total: totals.gross,
      method: order.method,
      status: order.billpay.status,
      // The account the customer transfers to: invoices only (a debit's activation answer
      // carries BillPay's own account, which is no business of the customer's invoice).
      ...(order.method === 'invoice' && order.billpay.bankAccount ? { bankAccount: order.billpay.bankAccount } : {}),
      billpay: order.billpay,
    };
  }

  /**
   * Records what an admin's BillPay operation (through the relay) did to an
   * order: `{ status, cart }` and nothing else. The cart must be a credit of
   * the stored one; activation and the bank data are read back from BillPay
   * (getBillPayBankData), so a client can neither claim an activation that
   * did not happen nor put another payee on the invoice.
   */
  async function recordChange(order, body) {
    if (!isObject(body)) throw new Refusal(400, 'INVALID_INPUT', 'send { status, cart }');
    const unknown = Object.keys(body).filter((k) => k !== 'status' && k !== 'cart');
    if (unknown.length > 0) {
      throw new Refusal(400, 'UNKNOWN_FIELD', `only status and cart can be sent (not ${unknown.slice(0, 3).join(', ').slice(0, 100)}): bank data comes from BillPay`);
    }
    const before = order.billpay;
    if (before.status === 'cancelled') throw new Refusal(409, 'ORDER_CANCELLED', `order ${order.id} is cancelled: nothing can change`);
    if (!['preauthorized', 'activated', 'cancelled'].includes(body.status)) {
      throw new Refusal(400, 'INVALID_STATUS', 'status is "preauthorized", "activated" or "cancelled"');
    }
    if (before.status === 'activated' && body.status === 'preauthorized') {
      throw new Refusal(409, 'ALREADY_ACTIVATED', `order ${order.id} is activated at BillPay`);
    }
    const next = { ...before, status: body.status, cart: body.cart };
    orderStatus(next, today()); // the shape of the cart (throws BillPayError)
    if (body.status === 'cancelled' ? next.cart.articles.length > 0 : !isCredit(before.cart, next.cart)) {
      throw new Refusal(409, 'CART_INCREASE', 'the cart is not a credit of this order (amounts only go down, no new articles)');
    }
    if (body.status !== 'cancelled') {
      let bankAccount;
      try {
        bankAccount = await client.bankData(before.reference);
      } catch (error) {
        console.warn(`[admin] BillPay's bank data for ${order.id}: ${error.code} ${error.merchantMessage ?? error.message}`);
        throw new Refusal(502, error.code ?? 'NETWORK_ERROR', 'BillPay could not confirm the order: try again');
      }
      if (body.status === 'activated' && !bankAccount.activated) {
        throw new Refusal(409, 'NOT_ACTIVATED', `BillPay does not report order ${order.id} as activated`);
      }
      next.bankAccount = bankAccount;
      if (bankAccount.activated) {
        next.status = 'activated';
        next.activatedAt = before.activatedAt ?? today();
      }
    }
    // Another tab may have recorded a cancellation while BillPay was asked.
    if (order.billpay.status === 'cancelled') throw new Refusal(409, 'ORDER_CANCELLED', `order ${order.id} was cancelled meanwhile: nothing can change`);
    order.billpay = next;
    await store.save();
    return order;
  }

  const handler = async (req, res) => {
    try {
      checkHost(req, hosts);
      let url;
      try {
        url = new URL(req.url ?? '/', 'http://localhost');
      } catch {
        throw new Refusal(400, 'INVALID_INPUT', 'the request target is not a valid path');
      }
      if (url.pathname.startsWith('/billpay/')) return relay(req, res);
      if (url.pathname === '/api/catalog') return sendJson(res, 200, { articles: CATALOG, shipping: { EUR: SHIPPING, CHF: SHIPPING_CHF } });
      if (url.pathname === '/api/orders' && req.method === 'GET') {
        return sendJson(res, 200, [...store.orders.map(view), ...examples.map((e) => ({ ...e, source: 'example' }))]);
      }
      if (url.pathname === '/api/checkout' && req.method === 'POST') {
        checkWrite(req);
        const input = checkoutInput(await readJson(req));
        try {
          return sendJson(res, 201, view(await checkout(input)));
        } catch (error) {
          if (!(error instanceof BillPayError)) throw error;
          // Only the customer message reaches shoppers; BillPay's merchant message
          // (inside error.message of an API error) goes to the server log.
          if (error.merchantMessage) console.warn(`[checkout] BillPay: ${error.merchantMessage}`);
          const fromBillPay = error.apiCode !== undefined || error.code === 'PREAUTHORIZATION_DENIED';
          const method = input.paymentType === 'directDebit' ? 'Die Zahlung per Lastschrift' : 'Der Kauf auf Rechnung';
          // Otherwise the plug-in's own words on the customer's data (they have a path),
          // after the field's name on this (German) page; transport details (socket
          // codes, HTTP statuses) stay in the log.
          if (!fromBillPay && !error.path) console.warn(`[checkout] ${error.code}: ${error.message}`);
          const field = error.path ? FIELD_LABELS[error.path] ?? 'Ihre Angaben' : '';
          const message = error.customerMessage
            || (fromBillPay ? `${method} ist für diese Bestellung nicht möglich.`
              : error.path ? `Bitte prüfen Sie: ${field} (${error.message})`
                : `${method} ist gerade nicht möglich; bitte versuchen Sie es gleich noch einmal.`);
          return sendJson(res, 422, { code: error.code, message, ...(error.path ? { path: error.path } : {}) });
        }
      }
      const match = url.pathname.match(/^\/api\/orders\/([A-Za-z0-9._-]+)(\/billpay)?$/);
      if (match) {
        const order = store.orders.find((o) => o.id === match[1]);
        if (match[2] && req.method === 'PUT') {
          checkWrite(req);
          if (!order) return sendJson(res, 404, { code: 'NOT_FOUND', message: 'no such order' });
          return sendJson(res, 200, view(await recordChange(order, await readJson(req))));
        }
        if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { code: 'METHOD_NOT_ALLOWED', message: 'method not allowed' });
        if (order) return sendJson(res, 200, view(order));
        const example = examples.find((o) => o.id === match[1]);
        return example ? sendJson(res, 200, { ...example, source: 'example' }) : sendJson(res, 404, { code: 'NOT_FOUND', message: 'no such order' });
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed');
      return await serveFile(res, url.pathname);
    } catch (error) {
      if (error instanceof Refusal) return sendJson(res, error.status, { code: error.code, message: error.message });
      if (error instanceof BillPayError) return sendJson(res, 400, { code: error.code, message: error.message });
      console.error(error);
      return send(res, 500, 'text/plain', 'internal error');
    }
  };

  await seed();
  return { handler, store, client };
}

/** Starts sandbox (unless an endpoint is given) and shop; used by npm start and the tests. */
export async function startDemo({ port = 0, dataDir, endpoint = process.env.BILLPAY_ENDPOINT, now, control = false, hosts = [] } = {}) {
  let sandbox = null;
  let credentials = SANDBOX_CREDENTIALS;
  if (endpoint) {
    credentials = {
      merchantId: Number(process.env.BILLPAY_MERCHANT_ID),
      portalId: Number(process.env.BILLPAY_PORTAL_ID),
      securityKey: process.env.BILLPAY_SECURITY_KEY ?? '',
    };
  } else {
    sandbox = await startSandbox({ db: dataDir ? join(dataDir, 'sandbox.db') : undefined, now, quiet: true, control });
    endpoint = sandbox.endpoint;
  }
  const dir = dataDir ?? join(root, 'www', 'data');
  const shop = await createShop({ endpoint, credentials, dataFile: join(dir, 'shop.json'), hosts });
  const server = createServer(shop.handler);
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    base,
    sandbox,
    shop,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      sandbox?.stop();
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const demo = await startDemo({ port: Number(process.env.PORT ?? 8080), dataDir: join(root, 'www', 'data') });
  console.log(`billpay-wasm demo shop:  ${demo.base}/`);
  console.log(`  checkout:               ${demo.base}/checkout.html`);
  console.log(`  admin:                  ${demo.base}/admin.html?order=5001`);
  if (demo.sandbox) console.log(`BillPay sandbox:          ${demo.sandbox.base}/admin  (merchant 4441, key 12345678)`);
  const stop = () => demo.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
