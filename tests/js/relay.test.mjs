// createRelay between a key-less client and the real sandbox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { BillPayClient, createRelay, planReturn } from 'billpay-wasm/node';
import { startSandbox, CREDENTIALS, CUSTOMER, CART, placeOrder } from './sandbox.mjs';

let sandbox;
let server;
let relayBase;
const logs = [];

before(async () => {
  sandbox = await startSandbox({ now: '2026-11-26' });
  const relay = createRelay({ upstream: sandbox.endpoint, ...CREDENTIALS, log: (line) => logs.push(line), timeoutMs: 2000 });
  server = createServer((req, res) => (req.url.startsWith('/billpay/') ? relay(req, res) : (res.writeHead(404), res.end())));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  relayBase = `http://127.0.0.1:${server.address().port}/billpay`;
});
after(async () => {
  await new Promise((resolve) => server?.close(resolve));
  sandbox?.stop();
});

const XML = { 'content-type': 'application/xml; charset=utf-8' };
const post = (service, body, headers = XML) => fetch(`${relayBase}/${service}`, { method: 'POST', body, headers });

test('a key-less client runs admin operations through the relay', async () => {
  const direct = new BillPayClient({ endpoint: sandbox.endpoint, ...CREDENTIALS });
  const reference = `R${Date.now() % 100000}`;
  let { order } = await placeOrder(direct, reference);
  const admin = new BillPayClient({ endpoint: relayBase });
  order = await admin.apply(order, planReturn(order, [{ articleId: 'mill', quantity: 1 }]));
  const account = await admin.activate({ reference, amount: '54.70', currency: 'EUR' });
  assert.ok(account.dueDate);
  assert.equal((await admin.bankData(reference)).dueDate, account.dueDate);
  await admin.cancel({ reference, amount: '54.70', currency: 'EUR' });
  assert.equal((await sandbox.order(reference)).order.status, 'cancelled');
  // With the merchant id alone (no portal, no key), a client still goes through the relay.
  const named = new BillPayClient({ endpoint: relayBase, merchantId: CREDENTIALS.merchantId });
  assert.equal((await named.bankData(reference)).invoiceReference, `BP${reference}/${CREDENTIALS.merchantId}`);
});

test('services outside the allow list are refused and never forwarded', async () => {
  const admin = new BillPayClient({ endpoint: relayBase });
  await assert.rejects(admin.moduleConfig({ country: 'DE', currency: 'EUR' }), { code: 'SERVICE_NOT_ALLOWED' });
  const before = (await sandbox.control('orders')).orders.length;
  const response = await post('preauthorize', '<data api_version="1.6.1"/>');
  assert.equal(response.status, 403);
  assert.equal((await sandbox.control('orders')).orders.length, before);
  for (const path of ['../preauthorize', 'cancel/../preauthorize', 'unknown', '', 'cancel%2F..%2Fpreauthorize']) {
    const status = (await post(path, '<data/>')).status;
    assert.ok(status === 403 || status === 404, `${path}: ${status}`);
  }
  assert.equal((await sandbox.control('orders')).orders.length, before);
  assert.equal((await fetch(`${relayBase}/cancel`)).status, 405);
});

test('the key never appears in any response or error, even when a request tries to supply its own', async () => {
  const md5 = '25d55ad283aa400af464c76d713c07ad';
  const answers = [];
  const sent = [
    ['getBillPayBankData', '<data api_version="1.6.1"><default_params mid="1" pid="2" bpsecure="x"/><order_params reference="nope"/></data>'],
    ['cancel', 'not xml'],
    ['cancel', '<data><cancel_params reference="' + md5 + '" carttotalgross="1" currency="EUR"/></data>'],
    ['editCartContent', 'x'.repeat(70 * 1024)],
  ];
  for (const [service, body] of sent) {
    const response = await post(service, body);
    answers.push(`${response.status} ${JSON.stringify([...response.headers])} ${await response.text()}`);
  }
  assert.match(answers[3], /^413 /);
  assert.match(answers[1], /^400 /);
  for (const answer of answers) {
    assert.doesNotMatch(answer, /12345678/);
    assert.doesNotMatch(answer, new RegExp(md5));
    assert.doesNotMatch(answer, /bpsecure|default_params/);
  }
  assert.ok(logs.some((line) => line.includes('getBillPayBankData')), 'merchant messages are logged on the server');
  assert.ok(logs.every((line) => !line.includes('12345678') && !line.includes(md5)));
});

test('missing credentials are reported clearly when the relay is created', () => {
  assert.throws(() => createRelay({ upstream: sandbox.endpoint, merchantId: 4441, portalId: 6021 }), { code: 'MISSING_CREDENTIALS', message: /securityKey/ });
  assert.throws(() => createRelay({ upstream: sandbox.endpoint, portalId: 6021, securityKey: 'k' }), { code: 'MISSING_CREDENTIALS', message: /merchantId/ });
  assert.throws(() => createRelay({ upstream: 'http://api.billpay.de/xml', ...CREDENTIALS }), { code: 'INSECURE_ENDPOINT', path: 'upstream' });
  assert.throws(() => createRelay(), { code: 'INVALID_CONFIG' });
});

test('a wrong or misspelt setting is refused when the relay is created, not ignored', () => {
  // Ids present but not BillPay's (positive whole numbers): a wrong value, not a missing one.
  for (const merchantId of [0, -1, 1.5, '4441', 2 ** 32]) {
    assert.throws(() => createRelay({ upstream: sandbox.endpoint, ...CREDENTIALS, merchantId }), { code: 'INVALID_CONFIG', path: 'merchantId' }, String(merchantId));
  }
  assert.throws(() => createRelay({ upstream: sandbox.endpoint, ...CREDENTIALS, portalId: 0 }), { code: 'INVALID_CONFIG', path: 'portalId' });
  // A service name with a typo would never be forwarded.
  assert.throws(() => createRelay({ upstream: sandbox.endpoint, ...CREDENTIALS, allow: ['cancel', 'editCart'] }), {
    code: 'INVALID_CONFIG',
    path: 'allow[1]',
    message: 'createRelay: allow[1]: "editCart" is not a service of BillPay\'s (the default: invoiceCreated, cancel, editCartContent, getBillPayBankData)',
  });
  // An option the relay does not know (allowOrigins misspelt) would leave it out.
  assert.throws(() => createRelay({ upstream: sandbox.endpoint, ...CREDENTIALS, allowOrigin: ['https://admin.shop.example'] }), {
    code: 'UNKNOWN_FIELD',
    path: 'allowOrigin',
    message: /unknown option "allowOrigin", expected one of upstream, /,
  });
  // The service is appended to the upstream's path.
  assert.throws(() => createRelay({ upstream: `${sandbox.endpoint}#offline`, ...CREDENTIALS }), { code: 'INVALID_CONFIG', path: 'upstream' });
  assert.throws(() => new BillPayClient({ endpoint: `${sandbox.endpoint}?x=1` }), { code: 'INVALID_CONFIG', path: 'config.endpoint' });
  assert.throws(() => new BillPayClient({ endpoint: sandbox.endpoint, ...CREDENTIALS, merchantId: 0 }), { code: 'INVALID_CONFIG', path: 'config.merchantId' });
  // The client judges its numbers as the relay does: every number outside a
  // setting's range is that setting's INVALID_CONFIG, whole or not.
  for (const [field, value, rule] of [
    ['merchantId', -1, 'a BillPay id is a positive whole number'],
    ['portalId', 1.5, 'a BillPay id is a positive whole number'],
    ['merchantId', 2 ** 32, 'a BillPay id is a positive whole number'],
    ['timeoutMs', 120001, 'timeoutMs is 1 to 120000'],
    ['timeoutMs', 0.5, 'timeoutMs is 1 to 120000'],
    ['retries', -1, 'retries is 0 to 5'],
    ['retries', 6, 'retries is 0 to 5'],
  ]) {
    assert.throws(() => new BillPayClient({ endpoint: sandbox.endpoint, ...CREDENTIALS, [field]: value }), {
      code: 'INVALID_CONFIG',
      path: `config.${field}`,
      message: `config.${field}: ${rule}, got ${value}`,
    });
  }
  assert.throws(() => new BillPayClient({ endpoint: sandbox.endpoint, ...CREDENTIALS, retries: '2' }), { code: 'INVALID_TYPE', path: 'config.retries' });
  // Every service of BillPay's the relay can forward is taken.
  const all = ['moduleConfig', 'preauthorize', 'capture', 'updateOrder', 'invoiceCreated', 'cancel', 'editCartContent', 'getBillPayBankData'];
  assert.equal(typeof createRelay({ upstream: sandbox.endpoint, ...CREDENTIALS, allow: all }), 'function');
});

test('an unreachable BillPay is a clear, retryable error for the client', async () => {
  const relay = createRelay({ upstream: 'http://127.0.0.1:9/xml', ...CREDENTIALS, log: () => {} });
  const dead = createServer((req, res) => relay(req, res));
  await new Promise((resolve) => dead.listen(0, '127.0.0.1', resolve));
  const admin = new BillPayClient({ endpoint: `http://127.0.0.1:${dead.address().port}/billpay`, retries: 0 });
  await assert.rejects(admin.bankData('1001'), { code: 'NETWORK_ERROR', retryable: true });
  await new Promise((resolve) => dead.close(resolve));
});

test('foreign pages cannot drive the relay through an admin browser', async () => {
  const ledger = async () => (await sandbox.control('ledger')).movements.length;
  const before = await ledger();
  const cancel = '<data api_version="1.6.1"><cancel_params reference="1001" carttotalgross="100" currency="EUR"/></data>';
  // A cross-site form can only send text/plain or form encodings; a script on
  // another origin announces itself with Origin.
  assert.equal((await post('cancel', cancel, { 'content-type': 'text/plain' })).status, 415);
  assert.equal((await post('cancel', cancel, { 'content-type': 'application/x-www-form-urlencoded' })).status, 415);
  assert.equal((await post('cancel', cancel, { ...XML, origin: 'https://evil.example' })).status, 403);
  assert.equal((await post('cancel', cancel, { ...XML, origin: 'null' })).status, 403);
  assert.equal(await ledger(), before, 'nothing reached BillPay');
  // The page of the relay's own origin is served.
  const own = await post('getBillPayBankData', '<data api_version="1.6.1"><order_params reference="nope"/></data>', { ...XML, origin: relayBase.replace(/\/billpay$/, '') });
  assert.equal(own.status, 200);
});

test('authorize, slow bodies, consumed bodies and bad paths are answered, never left hanging', async () => {
  const denied = createRelay({ upstream: sandbox.endpoint, ...CREDENTIALS, authorize: async (req) => req.headers.cookie === 'admin=1', timeoutMs: 500, log: () => {} });
  const server2 = createServer((req, res) => {
    if (req.url.startsWith('/consumed/')) {
      req.body = { parsed: true };
      return denied(req, res);
    }
    return denied(req, res);
  });
  await new Promise((resolve) => server2.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server2.address().port}`;
  const body = '<data api_version="1.6.1"><order_params reference="nope"/></data>';
  assert.equal((await fetch(`${base}/billpay/getBillPayBankData`, { method: 'POST', headers: XML, body })).status, 403);
  const ok = await fetch(`${base}/billpay/getBillPayBankData`, { method: 'POST', headers: { ...XML, cookie: 'admin=1' }, body });
  assert.equal(ok.status, 200);
  assert.equal(ok.headers.get('x-content-type-options'), 'nosniff');
  assert.equal((await fetch(`${base}/billpay/%E0`, { method: 'POST', headers: { ...XML, cookie: 'admin=1' }, body })).status, 400);
  const consumed = await fetch(`${base}/consumed/getBillPayBankData`, { method: 'POST', headers: { ...XML, cookie: 'admin=1' }, body });
  assert.match(await consumed.text(), /BODY_ALREADY_READ/);
  // A body that never completes: the relay answers 408 within its time limit.
  const { request } = await import('node:http');
  const status = await new Promise((resolve, reject) => {
    const req = request(`${base}/billpay/cancel`, { method: 'POST', headers: { ...XML, cookie: 'admin=1', 'content-length': '100' } }, (res) => resolve(res.statusCode));
    req.on('error', reject);
    req.write('<data');
  });
  assert.equal(status, 408);
  assert.throws(() => createRelay({ upstream: sandbox.endpoint, ...CREDENTIALS, timeoutMs: 0 }), { code: 'INVALID_CONFIG', path: 'timeoutMs' });
  server2.closeAllConnections();
  await new Promise((resolve) => server2.close(resolve));
});

test("a relay's client gets its notify and redirect URLs to BillPay, and BillPay's redirect URL back (PRE_APPROVED)", async () => {
  // BillPay answering PRE_APPROVED (the sandbox never does), as its library reads it.
  const received = [];
  const billpay = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push(body);
      res.writeHead(200, XML);
      res.end('<data error_code="0" status="PRE_APPROVED" bptid="b-77"><async_capture_params amount="13771"><external_redirect_url><![CDATA[https://www.billpay.de/continue?id=b-77&step=1]]></external_redirect_url></async_capture_params></data>');
    });
  });
  await new Promise((resolve) => billpay.listen(0, '127.0.0.1', resolve));
  const relay = createRelay({ upstream: `http://127.0.0.1:${billpay.address().port}/xml`, ...CREDENTIALS, allow: ['preauthorize'], log: () => {} });
  const front = createServer(relay);
  await new Promise((resolve) => front.listen(0, '127.0.0.1', resolve));
  try {
    const client = new BillPayClient({ endpoint: `http://127.0.0.1:${front.address().port}` });
    const answer = await client.preauthorize({
      reference: 'R-async-1', currency: 'EUR', customer: CUSTOMER, cart: CART,
      notifyUrl: 'https://shop.example/billpay/notify?token=s3cr3t&order=R-async-1',
      redirectUrl: 'https://shop.example/checkout/back',
    });
    assert.deepEqual(answer, { status: 'PRE_APPROVED', bptid: 'b-77', paymentType: 'invoice', redirectUrl: 'https://www.billpay.de/continue?id=b-77&step=1' });
    assert.equal(received.length, 1);
    assert.match(received[0], /<default_params mid="4441" pid="6021" bpsecure="[0-9a-f]{32}"\/>/);
    assert.ok(
      received[0].endsWith('<async_capture_request><redirect_url><![CDATA[https://shop.example/checkout/back]]></redirect_url><notify_url><![CDATA[https://shop.example/billpay/notify?token=s3cr3t&order=R-async-1]]></notify_url></async_capture_request></data>'),
      received[0].slice(-400),
    );
  } finally {
    await new Promise((resolve) => front.close(resolve));
    await new Promise((resolve) => billpay.close(resolve));
  }
});

test('an answer in ISO-8859-1 (declared so) reads right, directly and through the relay; a redirect is named and never followed', async () => {
  let requests = 0;
  let redirectTarget = 0;
  const billpay = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      if (req.url.endsWith('/redirect/getBillPayBankData')) {
        res.writeHead(302, { location: `http://127.0.0.1:${billpay.address().port}/elsewhere` });
        return res.end();
      }
      if (req.url === '/elsewhere') redirectTarget++;
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(Buffer.from(
        '<?xml version="1.0" encoding="ISO-8859-1"?><data error_code="0" customer_message="" merchant_message="">' +
          '<invoice_bank_account account_holder="BillPay GmbH Zweigniederlassung Zürich" account_number="CH5604835012345678009" bank_code="CRESCHZZ80A" ' +
          'bank_name="Crédit Suisse" invoice_reference="BP1001/4441" invoice_duedate="20261226" activation_performed="1"/></data>',
        'latin1',
      ));
    });
  });
  await new Promise((resolve) => billpay.listen(0, '127.0.0.1', resolve));
  const upstream = `http://127.0.0.1:${billpay.address().port}/xml`;
  const relay = createRelay({ upstream, ...CREDENTIALS, log: () => {} });
  const front = createServer(relay);
  await new Promise((resolve) => front.listen(0, '127.0.0.1', resolve));
  try {
    for (const client of [new BillPayClient({ endpoint: upstream, ...CREDENTIALS }), new BillPayClient({ endpoint: `http://127.0.0.1:${front.address().port}` })]) {
      const account = await client.bankData('1001');
      assert.equal(account.accountHolder, 'BillPay GmbH Zweigniederlassung Zürich');
      assert.equal(account.bankName, 'Crédit Suisse');
    }
    requests = 0;
    const redirected = new BillPayClient({ endpoint: `${upstream}/redirect`, ...CREDENTIALS, retries: 2 });
    await assert.rejects(redirected.bankData('1001'), (error) => {
      assert.equal(error.code, 'HTTP_ERROR');
      assert.equal(error.retryable, false);
      assert.match(error.message, /redirect \(HTTP 302\).*not followed/);
      return true;
    });
    assert.equal(requests, 1);
    assert.equal(redirectTarget, 0);
  } finally {
    await new Promise((resolve) => front.close(resolve));
    await new Promise((resolve) => billpay.close(resolve));
  }
});
