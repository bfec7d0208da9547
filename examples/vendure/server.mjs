// A Vendure 3 shop paying on invoice with BillPay: SQLite (SQL.js, saved to
// examples/vendure/data/), seeded products, the BillPay sandbox, the GraphQL
// playgrounds and a minimal storefront page that renders the payment block
// from the order's payment metadata.
//
//   npm run example:vendure        (from the repository root)
//
// Everything the shop needs from BillPay is this plug-in line and a payment
// method created in Vendure's admin (done here through the Admin API on the
// first start).
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bootstrap, bootstrapWorker, mergeConfig, defaultConfig, DefaultLogger, DefaultSchedulerPlugin, LogLevel } from '@vendure/core';
import { populate } from '@vendure/core/cli/index.js';
import { BillPayPlugin } from 'billpay-wasm/vendure';
import { startSandbox, SANDBOX_CREDENTIALS } from '../../www/sandbox.mjs';

// Vendure 3 sends anonymous usage data to its makers by default; this example
// talks to this machine only (set VENDURE_DISABLE_TELEMETRY=false to allow it).
process.env.VENDURE_DISABLE_TELEMETRY ??= 'true';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '../..');

const SUPERADMIN = { identifier: 'superadmin', password: 'superadmin' };

const STATIC = {
  '/storefront/': join(here, 'storefront', 'index.html'),
  '/storefront/app.js': join(here, 'storefront', 'app.js'),
  '/storefront/style.css': join(here, 'storefront', 'style.css'),
};
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm' };

/** The storefront page and the package's browser files (/storefront/billpay/… = pkg/…). */
function storefrontFiles(req, res, next) {
  const path = decodeURIComponent(req.originalUrl.split('?')[0]);
  let file = STATIC[path === '/storefront' ? '/storefront/' : path];
  if (!file && path.startsWith('/storefront/billpay/')) {
    const pkg = join(root, 'pkg');
    const candidate = normalize(join(pkg, path.slice('/storefront/billpay/'.length)));
    if (candidate.startsWith(pkg + sep)) file = candidate;
  }
  if (!file || !existsSync(file) || !statSync(file).isFile()) return next();
  res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
  res.setHeader('Content-Security-Policy', "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:");
  res.end(readFileSync(file));
}

function vendureConfig({ port, dataDir, quiet }) {
  return mergeConfig(defaultConfig, {
    apiOptions: {
      hostname: '127.0.0.1',
      port,
      adminApiPath: 'admin-api',
      shopApiPath: 'shop-api',
      adminApiPlayground: { settings: { 'request.credentials': 'include' } },
      shopApiPlayground: { settings: { 'request.credentials': 'include' } },
      middleware: [{ route: '/storefront', handler: storefrontFiles }],
    },
    authOptions: {
      tokenMethod: ['cookie', 'bearer'],
      superadminCredentials: SUPERADMIN,
      cookieOptions: { secret: 'billpay-vendure-example' },
      requireVerification: false,
    },
    dbConnectionOptions: {
      type: 'sqljs',
      location: join(dataDir, 'vendure.sqlite'),
      autoSave: true,
      synchronize: true,
      logging: false,
    },
    logger: new DefaultLogger({ level: quiet ? LogLevel.Error : LogLevel.Info }),
    plugins: [
      // The BillPay plug-in: handler, eligibility checker, masked key, order-process check,
      // and the morning task that notes BillPay's two-month activation deadline.
      BillPayPlugin.init({ settleOnShipment: false }),
      // Runs scheduled tasks (in the worker); without a scheduler, Vendure runs none.
      DefaultSchedulerPlugin.init(),
    ],
  });
}

const INITIAL_DATA = {
  defaultLanguage: 'en',
  defaultZone: 'Europe',
  taxRates: [
    { name: 'Standard Tax', percentage: 19 },
    { name: 'Reduced Tax', percentage: 7 },
  ],
  shippingMethods: [
    { name: 'DHL', price: 490 },
    { name: 'Pickup', price: 0 },
  ],
  paymentMethods: [],
  countries: [
    { name: 'Germany', code: 'DE', zone: 'Europe' },
    { name: 'Austria', code: 'AT', zone: 'Europe' },
    { name: 'Netherlands', code: 'NL', zone: 'Europe' },
    { name: 'Switzerland', code: 'CH', zone: 'Europe' },
  ],
  collections: [],
};

async function adminApi(base) {
  let token;
  const call = async (query, variables = {}) => {
    const response = await fetch(`${base}/admin-api`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    token = response.headers.get('vendure-auth-token') ?? token;
    const body = await response.json();
    if (body.errors) throw new Error(body.errors.map((e) => e.message).join('; '));
    return body.data;
  };
  await call('mutation ($u: String!, $p: String!) { login(username: $u, password: $p) { ... on CurrentUser { id } } }', { u: SUPERADMIN.identifier, p: SUPERADMIN.password });
  return call;
}

/** First start: a German shop (EUR, prices with tax, shipping taxed) and the BillPay payment method. */
async function configureShop(base, sandbox) {
  const admin = await adminApi(base);
  const { channels } = await admin('{ channels { items { id } } }');
  await admin('mutation ($input: UpdateChannelInput!) { updateChannel(input: $input) { ... on Channel { id } } }', {
    input: { id: channels.items[0].id, defaultCurrencyCode: 'EUR', availableCurrencyCodes: ['EUR'], pricesIncludeTax: true },
  });
  const { shippingMethods } = await admin('{ shippingMethods { items { id name } } }');
  for (const method of shippingMethods.items) {
    await admin('mutation ($input: UpdateShippingMethodInput!) { updateShippingMethod(input: $input) { id } }', {
      input: {
        id: method.id,
        translations: [],
        calculator: {
          code: 'default-shipping-calculator',
          arguments: [
            { name: 'rate', value: method.name === 'DHL' ? '490' : '0' },
            { name: 'includesTax', value: 'include' },
            { name: 'taxRate', value: '19' },
          ],
        },
      },
    });
  }
  await admin('mutation ($input: CreatePaymentMethodInput!) { createPaymentMethod(input: $input) { id } }', {
    input: {
      code: 'billpay',
      enabled: true,
      handler: {
        code: 'billpay-invoice',
        arguments: [
          { name: 'endpoint', value: sandbox.endpoint },
          { name: 'merchantId', value: String(SANDBOX_CREDENTIALS.merchantId) },
          { name: 'portalId', value: String(SANDBOX_CREDENTIALS.portalId) },
          { name: 'securityKey', value: SANDBOX_CREDENTIALS.securityKey },
          { name: 'delayDays', value: '0' },
        ],
      },
      checker: { code: 'billpay-eligibility', arguments: [] },
      translations: [{ languageCode: 'en', name: 'Invoice (BillPay)', description: 'Pay within 30 days by bank transfer' }],
    },
  });
}

/**
 * Later starts: the sandbox listens on a new port, so the payment method's
 * endpoint is updated — with the security key as the Admin API shows it
 * (masked): the plug-in keeps the stored key.
 */
async function pointToSandbox(base, sandbox) {
  const admin = await adminApi(base);
  const { paymentMethods } = await admin('{ paymentMethods { items { id code handler { code args { name value } } checker { code } } } }');
  const method = paymentMethods.items.find((m) => m.code === 'billpay');
  if (!method) return;
  const args = method.handler.args.map((a) => (a.name === 'endpoint' ? { name: 'endpoint', value: sandbox.endpoint } : a));
  await admin('mutation ($input: UpdatePaymentMethodInput!) { updatePaymentMethod(input: $input) { id } }', {
    input: { id: method.id, handler: { code: method.handler.code, arguments: args }, checker: { code: 'billpay-eligibility', arguments: [] } },
  });
}

/**
 * Starts the sandbox and the shop. `port` 0 picks a free one.
 * @param {{ port?: number, dataDir?: string, quiet?: boolean }} [options]
 */
export async function startExample({ port = 3000, dataDir = join(here, 'data'), quiet = false } = {}) {
  mkdirSync(dataDir, { recursive: true });
  const sandbox = await startSandbox({ db: join(dataDir, 'sandbox.db'), control: false });
  const fresh = !existsSync(join(dataDir, 'vendure.sqlite'));
  const config = vendureConfig({ port, dataDir, quiet });
  if (fresh) {
    const worker = await populate(
      () => bootstrapWorker(config).then((w) => w.app),
      INITIAL_DATA,
      join(here, 'products.csv'),
    );
    await worker.close();
  }
  const app = await bootstrap(config);
  const address = app.getHttpServer().address();
  const base = `http://127.0.0.1:${address.port}`;
  if (fresh) await configureShop(base, sandbox);
  else await pointToSandbox(base, sandbox);
  return {
    base,
    sandbox,
    async stop() {
      await app.close();
      sandbox.stop();
    },
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const shop = await startExample({ port: Number(process.env.PORT ?? 3000), quiet: true });
  console.log(`
Vendure with BillPay (data in examples/vendure/data/; delete it to start over)
  storefront         ${shop.base}/storefront/
  Shop API + playground   ${shop.base}/shop-api
  Admin API + playground  ${shop.base}/admin-api   (superadmin / superadmin)
  BillPay sandbox back-office  ${shop.sandbox.base}/admin   (merchant ${SANDBOX_CREDENTIALS.merchantId}, key ${SANDBOX_CREDENTIALS.securityKey})
`);
  const stop = () => shop.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
