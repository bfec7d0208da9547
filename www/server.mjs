// The demo shop: storefront (checkout, invoice pages), admin page, and the
// relay that lets the admin page talk to BillPay without the security key.
// It talks to the local BillPay sandbox unless BILLPAY_ENDPOINT points
// elsewhere. Every page is sent with the strict CSP the package promises to
// work under.
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

/** The shop's catalogue (gross prices incl. 19 % VAT; net to the cent). */
export const CATALOG = [
  { articleId: 'espresso-1kg', name: 'Espresso-Bohnen „Napoli“ 1 kg', unitNet: '20.92', unitGross: '24.90' },
  { articleId: 'filter-500', name: 'Filterkaffee „Morgenrot“ 500 g', unitNet: '10.50', unitGross: '12.50' },
  { articleId: 'mill', name: 'Handmühle Edelstahl', unitNet: '49.58', unitGross: '59.00' },
  { articleId: 'jug', name: 'Milchkännchen 350 ml', unitNet: '12.56', unitGross: '14.95' },
];
const SHIPPING = { name: 'DHL Paket', net: '4.12', gross: '4.90' };

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

async function serveFile(res, pathname) {
  for (const [prefix, dir] of mounts) {
    if (!pathname.startsWith(prefix)) continue;
    let rel = decodeURIComponent(pathname.slice(prefix.length));
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
    if (size > limit) throw new BillPayError('REQUEST_TOO_LARGE', 'request too large');
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** The shop's order store: one JSON file (the demo's stand-in for a database). */
class Store {
  constructor(file) {
    this.file = file;
    this.orders = [];
  }

  async load() {
    try {
      this.orders = JSON.parse(await readFile(this.file, 'utf8')).orders;
      return true;
    } catch {
      return false;
    }
  }

  async save() {
    await mkdir(join(this.file, '..'), { recursive: true });
    await writeFile(this.file, JSON.stringify({ orders: this.orders }, null, 2));
  }

  nextId() {
    return String(5001 + this.orders.length);
  }
}

const today = () => new Date().toISOString().slice(0, 10);

/**
 * @param {{ endpoint: string, credentials: { merchantId: number, portalId: number, securityKey: string }, dataFile: string }} config
 */
export async function createShop({ endpoint, credentials, dataFile }) {
  const store = new Store(dataFile);
  // The shop server holds the key: it preauthorizes at checkout itself, and
  // the relay adds it for the admin page.
  const client = new BillPayClient({ endpoint, ...credentials });
  const relay = createRelay({ upstream: endpoint, ...credentials, log: (line) => console.warn(line) });
  const examples = JSON.parse(await readFile(join(root, 'www', 'fixtures.json'), 'utf8')).orders;

  async function checkout({ customer, items, locale = 'de' }) {
    const articles = [];
    for (const item of items ?? []) {
      const product = CATALOG.find((p) => p.articleId === item.articleId);
      const quantity = Number(item.quantity);
      if (!product || !Number.isSafeInteger(quantity) || quantity < 1) continue;
      articles.push({ ...product, quantity });
    }
    if (articles.length === 0) throw new BillPayError('EMPTY_CART', 'choose at least one article');
    const cart = { articles, shipping: SHIPPING, rebate: { net: '0.00', gross: '0.00' } };
    const id = store.nextId();
    const result = await client.preauthorize({ reference: id, currency: 'EUR', customer: { ...customer, language: locale }, cart });
    const order = {
      id,
      locale,
      date: today(),
      customerCountry: customer.country,
      customer: [`${customer.firstName} ${customer.lastName}`, `${customer.street} ${customer.streetNo ?? ''}`.trim(), `${customer.zip} ${customer.city}`],
      method: 'invoice',
      billpay: { reference: id, currency: 'EUR', cart, status: 'preauthorized', createdAt: today(), bankAccount: result.bankAccount },
    };
    store.orders.push(order);
    await store.save();
    return order;
  }

  /** Demo orders on first start: a few orders at BillPay, one activated. */
  async function seed() {
    if (await store.load()) return;
    const customers = [
      { salutation: 'Frau', firstName: 'Erika', lastName: 'Mustermann', street: 'Heidestraße', streetNo: '17', zip: '51147', city: 'Köln', country: 'DE', email: 'erika@example.com', birthday: '1985-09-11' },
      { salutation: 'Herr', firstName: 'Jonas', lastName: 'Becker', street: 'Musterweg', streetNo: '3', zip: '10115', city: 'Berlin', country: 'DE', email: 'jonas@example.com', birthday: '1979-02-01' },
      { salutation: 'Frau', firstName: 'Anna', lastName: 'Huber', street: 'Mariahilfer Straße', streetNo: '1', zip: '1060', city: 'Wien', country: 'AT', email: 'anna@example.com', birthday: '1990-06-30' },
    ];
    const first = await checkout({ customer: customers[0], items: [{ articleId: 'espresso-1kg', quantity: 2 }, { articleId: 'mill', quantity: 1 }], locale: 'de' });
    await checkout({ customer: customers[1], items: [{ articleId: 'filter-500', quantity: 3 }, { articleId: 'jug', quantity: 1 }], locale: 'de' });
    await checkout({ customer: customers[2], items: [{ articleId: 'espresso-1kg', quantity: 1 }], locale: 'en' });
    const account = await client.activate({ reference: first.id, amount: cartTotals(first.billpay.cart).gross, currency: 'EUR' });
    Object.assign(first.billpay, { status: 'activated', activatedAt: today(), bankAccount: account });
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
      bankAccount: order.billpay.bankAccount,
      billpay: order.billpay,
    };
  }

  const handler = async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname.startsWith('/billpay/')) return relay(req, res);
      if (url.pathname === '/api/catalog') return sendJson(res, 200, { articles: CATALOG, shipping: SHIPPING });
      if (url.pathname === '/api/orders' && req.method === 'GET') {
        return sendJson(res, 200, [...store.orders.map(view), ...examples.map((e) => ({ ...e, source: 'example' }))]);
      }
      if (url.pathname === '/api/checkout' && req.method === 'POST') {
        try {
          const body = await readJson(req);
          if (body.consent !== true) throw new BillPayError('INVALID_INPUT', 'please accept the BillPay terms');
          return sendJson(res, 201, view(await checkout(body)));
        } catch (error) {
          // Only the customer message reaches shoppers; BillPay's merchant message
          // (inside error.message of an API error) goes to the server log.
          if (error.merchantMessage) console.warn(`[checkout] BillPay: ${error.merchantMessage}`);
          const fromBillPay = error.apiCode !== undefined || error.code === 'PREAUTHORIZATION_DENIED';
          const message = error.customerMessage || (fromBillPay ? 'Purchase on invoice is not available for this order.' : error.message);
          return sendJson(res, 422, { code: error.code, message });
        }
      }
      const match = url.pathname.match(/^\/api\/orders\/([A-Za-z0-9._-]+)(\/billpay)?$/);
      if (match) {
        const order = store.orders.find((o) => o.id === match[1]);
        if (match[2] && req.method === 'PUT') {
          if (!order) return sendJson(res, 404, { message: 'no such order' });
          const next = await readJson(req);
          orderStatus(next, today()); // validates the shape (throws BillPayError)
          if (next.reference !== order.billpay.reference) return sendJson(res, 400, { message: 'reference mismatch' });
          order.billpay = next;
          await store.save();
          return sendJson(res, 200, view(order));
        }
        if (order) return sendJson(res, 200, view(order));
        const example = examples.find((o) => o.id === match[1]);
        return example ? sendJson(res, 200, { ...example, source: 'example' }) : sendJson(res, 404, { message: 'no such order' });
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed');
      return await serveFile(res, url.pathname);
    } catch (error) {
      if (error instanceof BillPayError) return sendJson(res, 400, { code: error.code, message: error.message });
      console.error(error);
      return send(res, 500, 'text/plain', 'internal error');
    }
  };

  await seed();
  return { handler, store, client };
}

/** Starts sandbox (unless an endpoint is given) and shop; used by npm start and the tests. */
export async function startDemo({ port = 0, dataDir, endpoint = process.env.BILLPAY_ENDPOINT, now, control = false } = {}) {
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
  const shop = await createShop({ endpoint, credentials, dataFile: join(dir, 'shop.json') });
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
