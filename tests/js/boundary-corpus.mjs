// The boundary corpus: every public function called with valid input and with
// systematically broken input (each field of each argument replaced by values
// of every JS type, removed, or joined by an unknown field; each text field set
// to values that hit the domain rules). `boundary.test.mjs` replays it against
// every entry and compares each outcome — the return value, or the error's
// class, code, path and message — with `fixtures/boundary-corpus.json.gz`,
// recorded before the JS↔wasm boundary was rewritten (issue 9: "nothing a user
// sees changes except speed and size").
//
//   node tests/js/boundary-corpus.mjs --record   rewrites the fixture (review the diff of outcomes!)

import { createHash } from 'node:crypto';

const account = {
  accountHolder: 'BillPay GmbH',
  iban: 'DE53100500000740123456',
  bic: 'BELADEBEXXX',
  bankName: 'Berliner Sparkasse',
  invoiceReference: 'BP1001/4441',
  dueDate: '2026-12-28',
  activated: true,
};
const block = { method: 'invoice', amount: '1234.50', currency: 'EUR', bankAccount: account, customerCountry: 'DE' };
const chfBlock = {
  method: 'invoice',
  amount: '99.90',
  currency: 'CHF',
  bankAccount: { ...account, iban: 'CH9300762011623852957', bic: 'POFICHBEXXX', bankName: 'PostFinance AG' },
};
const creditor = { name: 'Muster AG', street: 'Bahnhofstrasse', houseNumber: '1', postalCode: '8001', town: 'Zürich', country: 'CH' };
const cart = {
  articles: [
    { articleId: 'espresso', name: 'Espresso 1 kg', quantity: 2, unitNet: '16.72', unitGross: '19.90' },
    { articleId: 'book', name: 'Barista book', quantity: 1, unitNet: '18.60', unitGross: '19.90' },
  ],
  shipping: { name: 'DHL', net: '4.12', gross: '4.90' },
  rebate: { net: '0.84', gross: '1.00' },
};
const order = {
  reference: '1001',
  currency: 'EUR',
  cart,
  status: 'activated',
  createdAt: '2026-11-01',
  activatedAt: '2026-11-02',
  bankAccount: account,
};
const preauthorizedOrder = { ...order, status: 'preauthorized', activatedAt: undefined, bankAccount: { ...account, dueDate: undefined, activated: false } };
const address = { salutation: 'Herr', firstName: 'Max', lastName: 'Muster', street: 'Hauptstr.', streetNo: '1', zip: '10115', city: 'Berlin', country: 'DE', phone: '030 1234' };
const customer = { ...address, customerId: 'c1', customerType: 'existing', group: 'private', email: 'max@example.com', birthday: '1980-05-01', language: 'de', ip: '127.0.0.1' };

/** Values of every JS type (and the JSON edge cases) put where something else belongs. */
const WRONG = [5, 0, -1, 1.5, 1e21, 2 ** 53 + 2, true, false, null, {}, [], [1], { a: 1 }, '', 'x', NaN, Infinity];

/** Text values that exercise the domain rules of whatever field they land in. */
const TEXTS = [
  ' ',
  '0',
  '1',
  '0.00',
  '1.5',
  '12.345',
  '-1.00',
  '1,50',
  '999999999.99',
  '1000000000.00',
  '2026-02-30',
  '2026-02-28',
  '20260228',
  'DE89 3704 0044 0532 0130 00',
  'de89370400440532013000',
  'CH9300762011623852957',
  'CH4431999123000889012',
  'GB82WEST12345698765432',
  'COBADEFFXXX',
  'cobadeff',
  'EUR',
  'CHF',
  'USD',
  'de',
  'EN',
  'fr',
  'nl',
  'it',
  'DE',
  'CH',
  'NL',
  'AT',
  'FR',
  'invoice',
  'directDebit',
  'paylater',
  'transactionCredit',
  'html',
  'text',
  'auto',
  'none',
  'preauthorized',
  'activated',
  'cancelled',
  'editCartContent',
  'cancel',
  'https://shop.example/agb',
  'http://shop.example/agb',
  'javascript:alert(1)',
  'BP1001/4441',
  'A-1/2',
  '<b>&"\'</b>',
  'line\nbreak',
  'tab\there',
  'Zürich Straße ĀŽ',
  '😀',
  'x'.repeat(45),
  'y'.repeat(300),
  '  padded  ',
];

function clone(value) {
  return value === undefined ? undefined : structuredClone(value);
}

/** Every path (array of keys) to a value inside `value`. */
function paths(value, prefix = []) {
  const out = [prefix];
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (inner !== undefined) out.push(...paths(inner, [...prefix, Array.isArray(value) ? Number(key) : key]));
    }
  }
  return out;
}

function getAt(root, path) {
  return path.reduce((v, k) => v?.[k], root);
}

function setAt(root, path, value) {
  if (path.length === 0) return value;
  const copy = clone(root);
  let target = copy;
  for (const key of path.slice(0, -1)) target = target[key];
  const last = path[path.length - 1];
  if (value === undefined && !Array.isArray(target)) delete target[last];
  else target[last] = value;
  return copy;
}

/** Every variant of one argument list: each leaf and each object broken in each way. */
function* variants(args) {
  yield args;
  for (let i = 0; i < args.length; i++) {
    for (const path of paths(args[i])) {
      const here = getAt(args[i], path);
      const put = (v) => args.map((a, j) => (j === i ? setAt(a, path, v) : clone(a)));
      for (const value of WRONG) yield put(value);
      if (path.length > 0) yield put(undefined);
      if (typeof here === 'string') for (const text of TEXTS) yield put(text);
      if (here !== null && typeof here === 'object' && !Array.isArray(here)) {
        yield put({ ...here, unexpected: 1 });
        yield put({ unexpected: 'x', ...here });
      }
      if (Array.isArray(here) && here.length > 0) {
        yield put([]);
        yield put([...here, here[0]]);
      }
    }
    if (args[i] === undefined) for (const value of WRONG) yield args.map((a, j) => (j === i ? value : clone(a)));
  }
}

/** The functions and the valid arguments the variants start from. */
export const SUBJECTS = [
  { fn: 'paymentReference', args: ['1001', 4441], storefront: true },
  { fn: 'paymentReference', args: ['A-1/2', '0033'], storefront: true },
  { fn: 'findPaymentReference', args: ['Überweisung bp 1234567 /\n3333 danke'], storefront: true },
  { fn: 'checkIban', args: ['DE89 3704 0044 0532 0130 00'], storefront: true },
  { fn: 'checkBic', args: ['COBADEFFXXX'], storefront: true },
  { fn: 'renderPaymentBlock', args: [block, { locale: 'en', format: 'html', qr: 'none' }], storefront: true },
  { fn: 'renderPaymentBlock', args: [{ ...block, bankAccount: { ...account, activated: false, dueDate: undefined } }, { format: 'text' }], storefront: true },
  { fn: 'renderPaymentBlock', args: [chfBlock], storefront: true },
  { fn: 'renderPaymentBlock', args: [{ method: 'directDebit', amount: '10.00', currency: 'EUR' }, { locale: 'fr' }], storefront: true },
  { fn: 'renderCheckoutNotice', args: [{ country: 'DE', locale: 'de', termsUrl: 'https://shop.example/agb', privacyUrl: 'https://shop.example/ds', format: 'html' }], storefront: true },
  { fn: 'epcPayload', args: [block], storefront: true },
  { fn: 'swissQrPayload', args: [chfBlock, creditor], storefront: true },
  { fn: 'renderSwissQrBill', args: [chfBlock, creditor, { locale: 'fr' }], storefront: true },
  { fn: 'errorCodes', args: [], storefront: true },
  { fn: 'cartTotals', args: [cart] },
  { fn: 'orderStatus', args: [preauthorizedOrder, '2026-12-20'] },
  { fn: 'planReturn', args: [order, [{ articleId: 'espresso', quantity: 1 }], { shippingCredit: '4.90', today: '2026-11-20' }] },
  { fn: 'planDiscount', args: [order, '10.00'] },
];

// Client: the constructor's checks and each method's argument checks (the
// endpoint is a closed loopback port and retries are off, so a request that
// passes the checks ends quickly in NETWORK_ERROR).
const config = { endpoint: 'http://127.0.0.1:9/xml', merchantId: 4441, portalId: 6021, securityKey: '12345678', timeoutMs: 2000, retries: 0 };
export const CLIENT_SUBJECTS = [
  { method: 'constructor', args: [config] },
  { method: 'activate', args: [{ reference: '1001', amount: '10.00', currency: 'EUR', delayDays: 2 }] },
  { method: 'cancel', args: [{ reference: '1001', amount: '10.00', currency: 'EUR' }] },
  { method: 'editCart', args: [{ reference: '1001', currency: 'EUR', cart }] },
  { method: 'bankData', args: ['1001'] },
  { method: 'moduleConfig', args: [{ country: 'DE', currency: 'EUR', language: 'de' }] },
  { method: 'capture', args: [{ bptid: 'b1', reference: '1001', amount: '10.00', currency: 'EUR', customerId: 'c1' }] },
  { method: 'updateOrder', args: [{ bptid: 'b1', reference: '1001', idUpdates: [{ articleId: 'a', updateId: 'b' }] }] },
  { method: 'preauthorize', args: [{ reference: '1001', currency: 'EUR', customer, shippingAddress: address, cart, autoCapture: true }] },
];

function digest(text) {
  return text.length <= 160 ? text : `sha1:${createHash('sha1').update(text).digest('hex')}:${text.length}`;
}

/** What a call did, comparable across builds. */
function outcome(run) {
  try {
    const value = run();
    return { ok: digest(JSON.stringify(value) ?? 'undefined') };
  } catch (error) {
    return describeError(error);
  }
}

function describeError(error) {
  if (error?.name !== 'BillPayError') return { threw: String(error?.name), message: String(error?.message) };
  const e = { code: error.code, message: error.message };
  if (error.path !== undefined) e.path = error.path;
  if (error.apiCode !== undefined) e.apiCode = error.apiCode;
  if (error.retryable) e.retryable = true;
  return e;
}

/** Stable text of an argument list (undefined, NaN and Infinity kept apart from null). */
export function key(fn, args) {
  return `${fn}(${args.map((a) => JSON.stringify(a, (_, v) => (v === undefined ? '$undefined' : Number.isNaN(v) ? '$NaN' : v === Infinity ? '$Infinity' : v)) ?? '$undefined').join(', ')})`;
}

/** Every case of the corpus for one entry's API, with its outcome. */
export function* runFunctions(api, { storefrontOnly = false } = {}) {
  for (const subject of SUBJECTS) {
    if (storefrontOnly && !subject.storefront) continue;
    for (const args of variants(subject.args)) {
      yield [key(subject.fn, args), outcome(() => api[subject.fn](...args))];
    }
  }
}

export async function* runClient(api) {
  for (const subject of CLIENT_SUBJECTS) {
    for (const args of variants(subject.args)) {
      let result;
      if (subject.method === 'constructor') {
        result = outcome(() => new api.BillPayClient(...args));
        if (result.ok) result = { ok: 'constructed' };
      } else {
        try {
          const client = new api.BillPayClient(config);
          result = { ok: digest(JSON.stringify(await client[subject.method](...args)) ?? 'undefined') };
        } catch (error) {
          result = describeError(error);
        }
      }
      yield [key(`client.${subject.method}`, args), result];
    }
  }
}

/** The corpus of one entry as `{ keys, outcomes }` (outcomes as JSON text). */
export async function collect(api, { storefrontOnly = false, client = true } = {}) {
  const keys = [];
  const outcomes = [];
  for (const [k, v] of runFunctions(api, { storefrontOnly })) {
    keys.push(k);
    outcomes.push(JSON.stringify(v));
  }
  if (client) {
    for await (const [k, v] of runClient(api)) {
      keys.push(k);
      outcomes.push(JSON.stringify(v));
    }
  }
  return { keys, outcomes };
}

export const FIXTURE = new URL('./fixtures/boundary-corpus.json.gz', import.meta.url);

/** The recorded outcomes by case key. */
export async function recorded() {
  const { readFileSync } = await import('node:fs');
  const { gunzipSync } = await import('node:zlib');
  const { keysHash, count, table, cases } = JSON.parse(gunzipSync(readFileSync(FIXTURE)));
  return { keysHash, count, outcomes: cases.map((i) => table[i]) };
}

export function hashKeys(keys) {
  return createHash('sha1').update(keys.join('\n')).digest('hex');
}

if (process.argv.includes('--record')) {
  const { writeFileSync } = await import('node:fs');
  const { gzipSync } = await import('node:zlib');
  const api = await import('billpay-wasm/node');
  const { keys, outcomes } = await collect(api);
  // Outcomes repeat a lot: a table of the distinct ones, an index per case.
  const table = [...new Set(outcomes)].sort();
  const index = new Map(table.map((o, i) => [o, i]));
  const data = { keysHash: hashKeys(keys), count: keys.length, table, cases: outcomes.map((o) => index.get(o)) };
  writeFileSync(FIXTURE, gzipSync(JSON.stringify(data) + '\n', { level: 9 }));
  console.log(`${keys.length} cases recorded (${table.length} distinct outcomes)`);
}

/** The key of every recorded case, in order (without calling anything). */
export function allKeys() {
  const keys = [];
  for (const subject of SUBJECTS) for (const args of variants(subject.args)) keys.push(key(subject.fn, args));
  for (const subject of CLIENT_SUBJECTS) for (const args of variants(subject.args)) keys.push(key(`client.${subject.method}`, args));
  return keys;
}
