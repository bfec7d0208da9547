// createRelay: lets admin pages call BillPay without the security key ever
// reaching a browser. It forwards only the services it allows, adds the
// merchant's credentials (in wasm: the request is parsed, any default_params
// the sender put in are dropped), limits body size and time, never returns
// anything credential-like, and logs BillPay's merchant messages on the server.
//
//   import http from 'node:http';
//   import { createRelay } from 'billpay-wasm/node';
//   const relay = createRelay({ upstream: 'https://api.billpay.de/xml', merchantId, portalId, securityKey });
//   http.createServer((req, res) => req.url.startsWith('/billpay/') ? relay(req, res) : ...);
//   // express: app.use('/billpay', relay)
//
// The admin page's client then uses { endpoint: '/billpay' } (absolute URL in Node).

import { createHash } from 'node:crypto';
import { BillPayError, fromWasm } from './errors.js';

export const DEFAULT_ALLOW = ['invoiceCreated', 'cancel', 'editCartContent', 'getBillPayBankData'];
const DEFAULT_MAX_BODY = 64 * 1024;
const DEFAULT_TIMEOUT_MS = 25_000;

const escapeXml = (text) =>
  String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]);

/** The relay's own refusals, in BillPay's answer shape plus `relay_error`. */
function refuse(res, status, code, message) {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/xml; charset=utf-8', 'cache-control': 'no-store' });
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?><data error_code="1" relay_error="${code}" customer_message="" merchant_message="${escapeXml(message)}"/>`,
  );
}

function positiveInteger(value, name) {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new BillPayError('MISSING_CREDENTIALS', `createRelay: ${name} must be a positive whole number, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`, { path: name });
  }
  return value;
}

function readBody(req, limit) {
  if (typeof req.body === 'string' || Buffer.isBuffer(req.body)) {
    // Already read by a body parser (express.text / express.raw).
    const body = Buffer.from(req.body);
    return Promise.resolve(body.length > limit ? null : body.toString('utf8'));
  }
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > limit) {
        resolve(null);
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Binds createRelay to the full module's exports (node.js does this). */
export function makeCreateRelay(wasm) {
  return function createRelay(config) {
    if (config === null || typeof config !== 'object') {
      throw new BillPayError('INVALID_CONFIG', 'createRelay needs { upstream, merchantId, portalId, securityKey }');
    }
    let upstream;
    try {
      upstream = wasm.checkEndpoint(String(config.upstream ?? ''));
    } catch (thrown) {
      throw fromWasm(thrown);
    }
    const merchantId = positiveInteger(config.merchantId, 'merchantId');
    const portalId = positiveInteger(config.portalId, 'portalId');
    if (typeof config.securityKey !== 'string' || config.securityKey === '') {
      throw new BillPayError('MISSING_CREDENTIALS', 'createRelay: securityKey is missing (the portal security key from BillPay)', { path: 'securityKey' });
    }
    const securityKey = config.securityKey;
    const allow = config.allow ?? DEFAULT_ALLOW;
    if (!Array.isArray(allow) || !allow.every((s) => typeof s === 'string')) {
      throw new BillPayError('INVALID_CONFIG', 'createRelay: allow is a list of service names', { path: 'allow' });
    }
    const allowJson = JSON.stringify(allow);
    const maxBody = config.maxBodyBytes ?? DEFAULT_MAX_BODY;
    const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const log = config.log ?? ((message) => console.warn(message));
    // Anything that could identify the credentials is scrubbed from answers.
    const secrets = [securityKey, createHash('md5').update(securityKey).digest('hex')].filter((s) => s.length >= 4);
    const scrub = (text) => secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text);

    return async function relay(req, res, next) {
      try {
        if (req.method !== 'POST') {
          res.setHeader('allow', 'POST');
          return refuse(res, 405, 'METHOD_NOT_ALLOWED', 'the relay takes POST requests');
        }
        const path = (req.url ?? '').split(/[?#]/)[0];
        const service = decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
        const body = await readBody(req, maxBody);
        if (body === null) return refuse(res, 413, 'REQUEST_TOO_LARGE', `the request is above ${maxBody} bytes`);
        let forwarded;
        try {
          forwarded = wasm.relayRequest(service, allowJson, body, merchantId, portalId, securityKey);
        } catch (thrown) {
          const error = fromWasm(thrown);
          if (error.code === 'SERVICE_NOT_ALLOWED') return refuse(res, 403, 'SERVICE_NOT_ALLOWED', error.message);
          return refuse(res, 400, 'INVALID_INPUT', error.message);
        }
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), timeoutMs);
        let status;
        let answer;
        try {
          const response = await fetch(`${upstream}/${service}`, {
            method: 'POST',
            headers: { 'content-type': 'application/xml; charset=utf-8' },
            body: forwarded,
            signal: controller.signal,
            redirect: 'error',
          });
          status = response.status;
          answer = await response.text();
        } catch (error) {
          if (controller.signal.aborted) return refuse(res, 504, 'TIMEOUT', `BillPay did not answer within ${timeoutMs} ms`);
          log(`[billpay relay] ${service}: BillPay unreachable (${error?.cause?.code ?? error?.message})`);
          return refuse(res, 502, 'NETWORK_ERROR', 'BillPay could not be reached or dropped the connection');
        } finally {
          clearTimeout(timer);
        }
        if (status !== 200) {
          log(`[billpay relay] ${service}: BillPay answered HTTP ${status}`);
          return refuse(res, status >= 500 ? status : 502, 'HTTP_ERROR', `BillPay answered HTTP ${status}`);
        }
        const summary = JSON.parse(wasm.answerSummary(answer));
        if (summary.errorCode !== 0) {
          log(`[billpay relay] ${service}: error ${summary.errorCode ?? '(unreadable answer)'}: ${scrub(summary.merchantMessage ?? '')}`);
        }
        res.writeHead(200, { 'content-type': 'application/xml; charset=utf-8', 'cache-control': 'no-store' });
        res.end(scrub(answer));
      } catch (error) {
        if (typeof next === 'function') return next(error);
        log(`[billpay relay] internal error: ${error?.message}`);
        refuse(res, 500, 'INTERNAL', 'the relay failed');
      }
    };
  };
}
