// The Vendure end-to-end harness: a real Vendure 3 server (@vendure/testing,
// its SQL.js test database), the plug-in from pkg/vendure.js as a shop
// installs it, and the real BillPay sandbox over HTTP. Tests talk to Vendure
// only through its Shop and Admin GraphQL APIs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { mergeConfig } from '@vendure/core';
import { createTestEnvironment, E2E_DEFAULT_CHANNEL_TOKEN, registerInitializer, SqljsInitializer, testConfig } from '@vendure/testing';
import gql from 'graphql-tag';
import { BillPayPlugin } from '../../pkg/vendure.js';
import { startSandbox, SANDBOX_CREDENTIALS } from '../../www/sandbox.mjs';

export { gql, SANDBOX_CREDENTIALS, E2E_DEFAULT_CHANNEL_TOKEN };

// Vendure 3 reports usage to its makers unless told not to; tests talk to loopback only.
process.env.VENDURE_DISABLE_TELEMETRY = 'true';

// Prices without tax in the default (EUR) channel; reduced rate 7 %, standard 19 %.
// Chosen for Vendure's per-line rounding: 3 × coffee and 7 × tea need the cent rule.
export const PRODUCTS_CSV = `name,slug,description,assets,facets,optionGroups,optionValues,sku,price,taxCategory,stockOnHand,trackInventory,variantAssets,variantFacets
Coffee beans 500 g,coffee,Whole beans,,,,,COFFEE-500,8.40,reduced,1000,false,,
Hand mill,hand-mill,Ceramic burr,,,,,HAND-MILL-CERAMIC-BURR-XL,49.58,standard,1000,false,,
Espresso cup,cup,Porcelain,,,,,CUP,4.20,standard,1000,false,,
Green tea 100 g,tea,Sencha,,,,,TEA-100,3.73,reduced,1000,false,,
Espresso machine,machine,Dual boiler,,,,,MACHINE,2100.00,standard,1000,false,,
`;

export const INITIAL_DATA = {
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
    { name: 'United Kingdom', code: 'GB', zone: 'Europe' },
    { name: 'Switzerland', code: 'CH', zone: 'Switzerland' },
  ],
  collections: [],
};

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Vendure + the plug-in + the sandbox. `plugin` is passed to BillPayPlugin.init; `plugins`: the shop's others. */
export async function startShop({ plugin = {}, sandbox: sandboxOptions = {}, plugins = [] } = {}) {
  const sandbox = await startSandbox(sandboxOptions);
  const dir = mkdtempSync(join(tmpdir(), 'billpay-vendure-'));
  const csv = join(dir, 'products.csv');
  writeFileSync(csv, PRODUCTS_CSV);
  registerInitializer('sqljs', new SqljsInitializer(dir));
  const port = await freePort();
  // Every line Vendure and the plug-in log, to prove the key never appears.
  const logLines = [];
  const capture = (level) => (message, context, trace) => logLines.push(`${level} [${context ?? ''}] ${message}${trace ? ` ${trace}` : ''}`);
  const logger = { error: capture('error'), warn: capture('warn'), info: capture('info'), verbose: capture('verbose'), debug: capture('debug') };
  const config = mergeConfig(testConfig, {
    apiOptions: { port },
    plugins: [BillPayPlugin.init(plugin), ...plugins],
  });
  config.logger = logger;
  const { server, adminClient, shopClient } = createTestEnvironment(config);
  await server.init({ initialData: INITIAL_DATA, productsCsvPath: csv, customerCount: 1 });
  await adminClient.asSuperAdmin();
  const shop = { server, admin: adminClient, shop: shopClient, sandbox, port, logLines };
  shop.stop = async () => {
    await server.destroy();
    sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  return shop;
}

// --- GraphQL documents -----------------------------------------------------------------

const ORDER_FIELDS = `
  id code state currencyCode totalWithTax total shippingWithTax subTotalWithTax
  lines { id quantity orderPlacedQuantity unitPriceWithTax linePriceWithTax proratedUnitPriceWithTax proratedLinePriceWithTax productVariant { sku } }
  shippingLines { id discountedPriceWithTax }
  payments { id method state amount transactionId errorMessage metadata refunds { id total state metadata lines { orderLineId quantity } } }
`;

export const ADMIN = {
  variants: gql`query ($sku: String!) { productVariants(options: { filter: { sku: { eq: $sku } } }) { items { id sku price priceWithTax } } }`,
  createPaymentMethod: gql`mutation ($input: CreatePaymentMethodInput!) { createPaymentMethod(input: $input) { id code handler { code args { name value } } checker { code } } }`,
  updatePaymentMethod: gql`mutation ($input: UpdatePaymentMethodInput!) { updatePaymentMethod(input: $input) { id code handler { code args { name value } } } }`,
  paymentMethods: gql`query { paymentMethods { items { id code handler { code args { name value } } } } }`,
  paymentMethodArgsOnly: gql`query ($id: ID!) { paymentMethod(id: $id) { handler { args { name value } } } }`,
  order: gql`query ($id: ID!) { order(id: $id) { ${ORDER_FIELDS} history(options: { take: 100 }) { items { type data } } } }`,
  settlePayment: gql`mutation ($id: ID!) { settlePayment(id: $id) { ... on Payment { id state metadata } ... on ErrorResult { errorCode message } ... on SettlePaymentError { paymentErrorMessage } } }`,
  cancelPayment: gql`mutation ($id: ID!) { cancelPayment(id: $id) { ... on Payment { id state metadata } ... on ErrorResult { errorCode message } ... on CancelPaymentError { paymentErrorMessage } } }`,
  refundOrder: gql`mutation ($input: RefundOrderInput!) { refundOrder(input: $input) { ... on Refund { id state total metadata } ... on ErrorResult { errorCode message } } }`,
  cancelOrder: gql`mutation ($input: CancelOrderInput!) { cancelOrder(input: $input) { ... on Order { id state } ... on ErrorResult { errorCode message } } }`,
  transitionOrder: gql`mutation ($id: ID!, $state: String!) { transitionOrderToState(id: $id, state: $state) { ... on Order { id state } ... on OrderStateTransitionError { errorCode message transitionError } } }`,
  modifyOrder: gql`mutation ($input: ModifyOrderInput!) { modifyOrder(input: $input) { ... on Order { id state totalWithTax } ... on ErrorResult { errorCode message } } }`,
  addFulfillment: gql`mutation ($input: FulfillOrderInput!) { addFulfillmentToOrder(input: $input) { ... on Fulfillment { id state } ... on ErrorResult { errorCode message } } }`,
  transitionFulfillment: gql`mutation ($id: ID!, $state: String!) { transitionFulfillmentToState(id: $id, state: $state) { ... on Fulfillment { id state } ... on ErrorResult { errorCode message } } }`,
  createPromotion: gql`mutation ($input: CreatePromotionInput!) { createPromotion(input: $input) { ... on Promotion { id } ... on ErrorResult { errorCode message } } }`,
  shippingMethods: gql`query { shippingMethods { items { id code name } } }`,
  updateShippingMethod: gql`mutation ($input: UpdateShippingMethodInput!) { updateShippingMethod(input: $input) { id } }`,
  channels: gql`query { channels { items { id code token } } }`,
  updateChannel: gql`mutation ($input: UpdateChannelInput!) { updateChannel(input: $input) { ... on Channel { id } ... on ErrorResult { errorCode message } } }`,
  createChannel: gql`mutation ($input: CreateChannelInput!) { createChannel(input: $input) { ... on Channel { id token } ... on ErrorResult { errorCode message } } }`,
  zones: gql`query { zones { items { id name } } }`,
  taxRates: gql`query { taxRates { items { id name value zone { name } category { name } } } }`,
  updateTaxRate: gql`mutation ($input: UpdateTaxRateInput!) { updateTaxRate(input: $input) { id value } }`,
  products: gql`query { products { items { id } } }`,
  assignProducts: gql`mutation ($input: AssignProductsToChannelInput!) { assignProductsToChannel(input: $input) { id } }`,
  assignShipping: gql`mutation ($input: AssignShippingMethodsToChannelInput!) { assignShippingMethodsToChannel(input: $input) { id } }`,
  assignPayment: gql`mutation ($input: AssignPaymentMethodsToChannelInput!) { assignPaymentMethodsToChannel(input: $input) { id } }`,
};

export const SHOP = {
  addItem: gql`mutation ($id: ID!, $qty: Int!) { addItemToOrder(productVariantId: $id, quantity: $qty) { ... on Order { id code } ... on ErrorResult { errorCode message } } }`,
  setCustomer: gql`mutation ($input: CreateCustomerInput!) { setCustomerForOrder(input: $input) { ... on Order { id } ... on ErrorResult { errorCode message } } }`,
  setShippingAddress: gql`mutation ($input: CreateAddressInput!) { setOrderShippingAddress(input: $input) { ... on Order { id } ... on ErrorResult { errorCode message } } }`,
  setBillingAddress: gql`mutation ($input: CreateAddressInput!) { setOrderBillingAddress(input: $input) { ... on Order { id } ... on ErrorResult { errorCode message } } }`,
  shippingMethods: gql`query { eligibleShippingMethods { id name priceWithTax } }`,
  setShippingMethod: gql`mutation ($id: [ID!]!) { setOrderShippingMethod(shippingMethodId: $id) { ... on Order { id } ... on ErrorResult { errorCode message } } }`,
  transition: gql`mutation ($state: String!) { transitionOrderToState(state: $state) { ... on Order { id state } ... on OrderStateTransitionError { errorCode message transitionError } } }`,
  paymentMethods: gql`query { eligiblePaymentMethods { code isEligible eligibilityMessage } }`,
  applyCoupon: gql`mutation ($code: String!) { applyCouponCode(couponCode: $code) { ... on Order { id } ... on ErrorResult { errorCode message } } }`,
  addPayment: gql`mutation ($input: PaymentInput!) { addPaymentToOrder(input: $input) {
    ... on Order { id code state totalWithTax currencyCode payments { id state amount transactionId errorMessage metadata } }
    ... on ErrorResult { errorCode message }
    ... on PaymentDeclinedError { paymentErrorMessage }
    ... on PaymentFailedError { paymentErrorMessage }
    ... on IneligiblePaymentMethodError { eligibilityCheckerMessage } } }`,
  activeOrder: gql`query { activeOrder { ${ORDER_FIELDS} } }`,
  orderByCode: gql`query ($code: String!) { orderByCode(code: $code) { ${ORDER_FIELDS} } }`,
};

// --- flows -------------------------------------------------------------------------------

/** Admin query that fails the test on GraphQL-level error results. */
export async function ok(promise, field) {
  const data = await promise;
  const value = field ? data[field] : data;
  if (value && typeof value === 'object' && 'errorCode' in value) {
    assert.fail(`${field}: ${value.errorCode} ${value.message ?? ''} ${value.transitionError ?? value.paymentErrorMessage ?? ''}`);
  }
  return value;
}

const variantIds = new Map();
export async function variantId(admin, sku) {
  if (!variantIds.has(sku)) {
    const { productVariants } = await admin.query(ADMIN.variants, { sku });
    variantIds.set(sku, productVariants.items[0].id);
  }
  return variantIds.get(sku);
}

export const ERIKA = {
  fullName: 'Erika Mustermann',
  streetLine1: 'Heidestraße 17',
  city: 'Köln',
  postalCode: '51147',
  countryCode: 'DE',
};

/**
 * A guest fills a cart and reaches ArrangingPayment (no payment yet).
 * @param {object} shop
 * @param {{ items: [string, number][], lastName?: string, address?: object, billing?: object|null, shipping?: string, coupon?: string, channel?: string }} spec
 */
export async function fillCart(shop, { items, lastName = 'Mustermann', firstName = 'Erika', address = ERIKA, billing, shipping = 'DHL', coupon, channel }) {
  const { shop: client, admin } = shop;
  client.setChannelToken(channel ?? E2E_DEFAULT_CHANNEL_TOKEN);
  admin.setChannelToken(channel ?? E2E_DEFAULT_CHANNEL_TOKEN);
  await client.asAnonymousUser();
  for (const [sku, qty] of items) await ok(client.query(SHOP.addItem, { id: await variantId(admin, sku), qty }), 'addItemToOrder');
  const email = `${firstName}.${lastName}.${Math.random().toString(36).slice(2, 8)}@example.com`.toLowerCase();
  await ok(client.query(SHOP.setCustomer, { input: { emailAddress: email, firstName, lastName } }), 'setCustomerForOrder');
  const fullName = `${firstName} ${lastName}`;
  await ok(client.query(SHOP.setShippingAddress, { input: { ...address, fullName } }), 'setOrderShippingAddress');
  if (billing !== null) await ok(client.query(SHOP.setBillingAddress, { input: { ...(billing ?? address), fullName } }), 'setOrderBillingAddress');
  if (coupon) await ok(client.query(SHOP.applyCoupon, { code: coupon }), 'applyCouponCode');
  const { eligibleShippingMethods } = await client.query(SHOP.shippingMethods);
  const method = eligibleShippingMethods.find((m) => m.name === shipping);
  await ok(client.query(SHOP.setShippingMethod, { id: [method.id] }), 'setOrderShippingMethod');
  await ok(client.query(SHOP.transition, { state: 'ArrangingPayment' }), 'transitionOrderToState');
  const { activeOrder } = await client.query(SHOP.activeOrder);
  return activeOrder;
}

export async function pay(shop, metadata = { termsAccepted: true, birthday: '1985-09-11' }, method = 'billpay') {
  const { addPaymentToOrder } = await shop.shop.query(SHOP.addPayment, { input: { method, metadata } });
  return addPaymentToOrder;
}

export async function adminOrder(shop, id) {
  const { order } = await shop.admin.query(ADMIN.order, { id });
  return order;
}

export function billpayPayment(order) {
  return order.payments.find((p) => p.metadata?.billpay?.reference && (p.state === 'Authorized' || p.state === 'Settled' || p.state === 'Cancelled'));
}

/** Vendure's view: the payment minus its refunds that are not Failed. */
export function vendureOwes(payment) {
  return payment.amount - payment.refunds.filter((r) => r.state !== 'Failed').reduce((sum, r) => sum + r.total, 0);
}

/** The sandbox's order and ledger for a reference. */
export async function ledger(shop, reference) {
  return shop.sandbox.order(reference);
}

/**
 * The invariant after every step: what BillPay holds for the order equals what
 * Vendure's payment still covers, to the cent, and the cart adds up.
 */
export async function assertInSync(shop, orderId, { status } = {}) {
  const order = await adminOrder(shop, orderId);
  const payment = billpayPayment(order);
  assert.ok(payment, 'the order has a BillPay payment');
  const { order: held, movements } = await ledger(shop, order.code);
  const owes = payment.state === 'Cancelled' ? 0 : vendureOwes(payment);
  const holds = held.status === 'cancelled' ? 0 : held.totalGross;
  assert.equal(holds, owes, `BillPay holds ${holds} cents, Vendure's payment covers ${owes}`);
  if (status) assert.equal(held.status, status);
  return { order, payment, held, movements };
}

export async function createBillPayMethod(shop, { code = 'billpay', endpoint = shop.sandbox.endpoint, key = SANDBOX_CREDENTIALS.securityKey, delayDays = 0, checker = true } = {}) {
  return ok(
    shop.admin.query(ADMIN.createPaymentMethod, {
      input: {
        code,
        enabled: true,
        handler: {
          code: 'billpay-invoice',
          arguments: [
            { name: 'endpoint', value: endpoint },
            { name: 'merchantId', value: String(SANDBOX_CREDENTIALS.merchantId) },
            { name: 'portalId', value: String(SANDBOX_CREDENTIALS.portalId) },
            { name: 'securityKey', value: key },
            { name: 'delayDays', value: String(delayDays) },
          ],
        },
        ...(checker ? { checker: { code: 'billpay-eligibility', arguments: [] } } : {}),
        translations: [{ languageCode: 'en', name: 'Invoice (BillPay)', description: 'Pay within 30 days' }],
      },
    }),
    'createPaymentMethod',
  );
}

/** Shipping taxed at 19 % included, as German shops charge it. */
export async function taxShipping(shop) {
  const { shippingMethods } = await shop.admin.query(ADMIN.shippingMethods);
  for (const method of shippingMethods.items) {
    const price = method.name === 'DHL' ? '490' : '0';
    await shop.admin.query(ADMIN.updateShippingMethod, {
      input: {
        id: method.id,
        translations: [],
        calculator: {
          code: 'default-shipping-calculator',
          arguments: [
            { name: 'rate', value: price },
            { name: 'includesTax', value: 'include' },
            { name: 'taxRate', value: '19' },
          ],
        },
      },
    });
  }
}

export function cents(decimal) {
  const [whole, fraction = '00'] = decimal.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/**
 * The shops of the tests: the default channel in EUR with prices entered
 * without tax (DE: 19 %/7 %), and a Swiss channel in CHF with prices entered
 * with tax (CH: 8.1 %/2.6 %). Shipping is taxed and included.
 */
export async function configureChannels(shop) {
  const { admin } = shop;
  admin.setChannelToken(E2E_DEFAULT_CHANNEL_TOKEN);
  const { channels } = await admin.query(ADMIN.channels);
  const main = channels.items.find((c) => c.code === '__default_channel__');
  await ok(admin.query(ADMIN.updateChannel, { input: { id: main.id, defaultCurrencyCode: 'EUR', availableCurrencyCodes: ['EUR'], pricesIncludeTax: false } }), 'updateChannel');
  await taxShipping(shop);
  const { zones } = await admin.query(ADMIN.zones);
  const swiss = zones.items.find((z) => z.name === 'Switzerland');
  const { taxRates } = await admin.query(ADMIN.taxRates);
  for (const rate of taxRates.items.filter((r) => r.zone.name === 'Switzerland')) {
    await admin.query(ADMIN.updateTaxRate, { input: { id: rate.id, value: rate.category.name === 'Standard Tax' ? 8.1 : 2.6 } });
  }
  const ch = await ok(
    admin.query(ADMIN.createChannel, {
      input: {
        code: 'ch',
        token: 'ch-token',
        defaultLanguageCode: 'en',
        defaultCurrencyCode: 'CHF',
        availableCurrencyCodes: ['CHF'],
        pricesIncludeTax: true,
        defaultShippingZoneId: swiss.id,
        defaultTaxZoneId: swiss.id,
      },
    }),
    'createChannel',
  );
  const { products } = await admin.query(ADMIN.products);
  await admin.query(ADMIN.assignProducts, { input: { channelId: ch.id, productIds: products.items.map((p) => p.id), priceFactor: 1 } });
  const { shippingMethods } = await admin.query(ADMIN.shippingMethods);
  await admin.query(ADMIN.assignShipping, { input: { channelId: ch.id, shippingMethodIds: shippingMethods.items.map((m) => m.id) } });
  return { mainChannelId: main.id, chChannelId: ch.id, chToken: 'ch-token' };
}
