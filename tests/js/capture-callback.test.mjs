// BillPay's asynchronous capture callback (reference §2.13), read by the
// package as a shop's notify URL handler would: the body BillPay posts, in
// the shape BillPay's own module documents (MS billpayBase::ParseCallback),
// over real HTTP into a Node server that answers 200 or 400.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { parseCaptureCallback, renderPaymentBlock, BillPayError } from 'billpay-wasm/node';

const APPROVED = `<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<data bptid="2e482026-4fde-4a13-a2bd-07d254494762" customer_message="" error_code="0" merchant_message="" reference="33" status="APPROVED">
    <default_params bpsecure="" mid="" pid=""/>
    <corrected_address city="" country="" street="" streetNo="" zip=""/>
    <invoice_bank_account account_holder="BillPay GmbH" account_number="DE89370400440532013000" activation_performed="0"
        bank_code="COBADEFFXXX" bank_name="Commerzbank" invoice_duedate="" invoice_reference=""/>
</data>`;

test('an approved callback: the order, BillPay\'s transaction and the account the customer pays to', () => {
  const callback = parseCaptureCallback(APPROVED, { merchantId: 4441 });
  assert.deepEqual(callback, {
    status: 'APPROVED',
    reference: '33',
    bptid: '2e482026-4fde-4a13-a2bd-07d254494762',
    apiCode: 0,
    bankAccount: {
      accountHolder: 'BillPay GmbH', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', bankName: 'Commerzbank',
      invoiceReference: 'BP33/4441', activated: false,
    },
  });
  // What the shop then shows the customer.
  assert.match(renderPaymentBlock({ method: 'invoice', amount: '167.36', currency: 'EUR', bankAccount: callback.bankAccount }, { locale: 'de' }), /BP33\/4441/);
});

test('a denial, and an error code whatever the status, are DENIED with both messages', () => {
  const denied = parseCaptureCallback('<data error_code="0" status="DENIED" reference="34" customer_message="Bitte w&#228;hlen Sie eine andere Zahlart." merchant_message="Score"/>');
  assert.deepEqual(denied, { status: 'DENIED', reference: '34', apiCode: 0, customerMessage: 'Bitte wählen Sie eine andere Zahlart.', merchantMessage: 'Score' });
  const failed = parseCaptureCallback('<data error_code="12" status="APPROVED" reference="35" merchant_message="timeout"/>');
  assert.equal(failed.status, 'DENIED');
  assert.equal(failed.apiCode, 12);
  assert.equal(failed.bankAccount, undefined);
});

test('what is not a callback is INVALID_RESPONSE, never retryable; bad arguments are refused as usual', () => {
  for (const [body, message] of [
    ['', /the callback is empty/],
    ['<html>', /the XML ends before its elements are closed/],
    ['<result error_code="0"/>', /expected a <data> callback, got <result>/],
    ['<data error_code="0" status="APPROVED"/>', /names no order/],
    ['<data error_code="0" status="PRE_APPROVED" reference="1"/>', /"APPROVED" or "DENIED"/],
    [APPROVED, /give the merchant id/],
  ]) {
    assert.throws(() => parseCaptureCallback(body), (e) => e instanceof BillPayError && e.code === 'INVALID_RESPONSE' && e.retryable === false && message.test(e.message), body);
  }
  assert.throws(() => parseCaptureCallback(42), { code: 'INVALID_TYPE', path: 'body' });
  assert.throws(() => parseCaptureCallback(APPROVED, { merchantId: 0 }), { code: 'INVALID_INPUT', path: 'options.merchantId' });
  assert.throws(() => parseCaptureCallback(APPROVED, { merchant: 4441 }), { code: 'UNKNOWN_FIELD' });
});

test('a notify URL handler over HTTP: 200 for a callback, 400 for anything else', async () => {
  const decisions = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      try {
        decisions.push(parseCaptureCallback(body, { merchantId: 4441 }));
        res.writeHead(200).end();
      } catch (error) {
        res.writeHead(error instanceof BillPayError ? 400 : 500).end();
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/billpay/notify?token=secret`;
  try {
    const post = (body) => fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml; charset=UTF-8' }, body });
    assert.equal((await post(APPROVED)).status, 200);
    assert.equal((await post('<data error_code="0" status="DENIED" reference="34"/>')).status, 200);
    assert.equal((await post('not xml at all')).status, 400);
    assert.deepEqual(decisions.map((d) => [d.reference, d.status]), [['33', 'APPROVED'], ['34', 'DENIED']]);
  } finally {
    server.close();
  }
});
