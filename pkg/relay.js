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
//   // express: app.use('/billpay', relay)   (before any body parser)
//
// The admin page's client then uses { endpoint: '/billpay' } (absolute URL in Node).
// The relay acts with the merchant's key: mount it behind the shop's admin
// login, or pass `authorize(req)`. It refuses cross-origin requests (Origin
// header of another host) and bodies that are not XML, so a foreign page
// cannot drive it through an admin's browser, and Host names it does not
// serve (DNS rebinding: a foreign name resolved to the shop's address).

import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { BillPayError, fromWasm } from './glue.js';

export const DEFAULT_ALLOW = ['invoiceCreated', 'cancel', 'editCartContent', 'getBillPayBankData'];
const DEFAULT_MAX_BODY = 64 * 1024;
// Below the client's 25 s, so that the client gets the relay's clear TIMEOUT
// answer instead of aborting at the same moment.
const DEFAULT_TIMEOUT_MS = 20_000;
// BillPay's answers are a few KB; anything far larger is not BillPay.
const MAX_ANSWER_BYTES = 1024 * 1024;
const HEADERS = { 'content-type': 'application/xml; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

const escapeXml = (text) =>
  String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]);

const REDACTED = '[redacted]';
const escapeRegExp = (text) => text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
// What ends a token around the key: a key like "12345678" may be part of a
// legitimate value ("ORD-12345678", "BP12345678/4441"), which stays as it is.
const SEPARATORS = `\\s"'=:,;()[\\]{}<>&`;

const decodeXml = (raw) =>
  raw.replace(/&(?:#(\d+)|#x([0-9a-f]+)|(amp|lt|gt|quot|apos));/gi, (entity, dec, hex, name) => {
    if (name) return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[name.toLowerCase()];
    const code = dec !== undefined ? Number(dec) : parseInt(hex, 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  });

/**
 * Scrubs exactly the credentials, in any case: the security key where it is a
 * whole token (what stands between spaces, quotes, `=`, `:`, `,`, `;`,
 * brackets, or before a full stop), and its MD5 wherever it appears (no
 * legitimate value holds those 32 hex digits). Keys under 4 characters are
 * not scrubbed: they would match ordinary values like error codes (BillPay's
 * keys are far longer).
 */
function makeScrubber(securityKey) {
  const md5 = createHash('md5').update(securityKey).digest('hex');
  const patterns = [new RegExp(md5, 'giu')];
  if (securityKey.length >= 4) {
    const key = escapeRegExp(securityKey);
    patterns.push(new RegExp(`(?<![^${SEPARATORS}])${key}(?=$|[${SEPARATORS}]|[.!?]+(?:$|[${SEPARATORS}]))`, 'giu'));
  }
  const text = (plain) => patterns.reduce((out, pattern) => out.replace(pattern, REDACTED), String(plain));
  // In XML each attribute value, text run, CDATA section and comment is
  // compared as it reads (entities decoded); one without a credential is
  // left byte for byte, one with is written again, escaped.
  const xml = (document) =>
    document.replace(/<!\[CDATA\[([\s\S]*?)\]\]>|<!--([\s\S]*?)-->|(=\s*)(?:"([^"]*)"|'([^']*)')|(?<=>)([^<]+)/g, (match, cdata, comment, eq, dq, sq, run) => {
      // A CDATA section cannot hold "]]>": split it there, as XML writers do.
      if (cdata !== undefined) return `<![CDATA[${text(cdata).replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
      if (comment !== undefined) return `<!--${text(comment)}-->`;
      const raw = dq ?? sq ?? run;
      const plain = decodeXml(raw);
      const scrubbed = text(plain);
      if (scrubbed === plain) return match;
      return eq !== undefined ? `${eq}"${escapeXml(scrubbed)}"` : escapeXml(scrubbed);
    });
  return { text, xml };
}

/** Whether a Host name cannot be rebound by a foreign DNS: IP literals and localhost. */
function isLocalName(hostname) {
  const bare = hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(bare) !== 0 || bare === 'localhost' || bare.endsWith('.localhost');
}

function isLoopbackAddress(address = '') {
  const bare = address.replace(/^::ffff:/i, '');
  return bare === '::1' || /^127\./.test(bare);
}

/** Splits a Host header into lower-case hostname and port; null when unparsable. */
function splitHost(host) {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(String(host ?? '').trim());
  return match ? { hostname: match[1].toLowerCase(), port: match[2] ?? '' } : null;
}

/**
 * Whether a request's Host is one the relay serves. With `allowHosts` only
 * those (an entry without a port allows any port); without, a request that
 * reached a loopback socket must name a loopback host or an IP address: a
 * page of another name reaching it has had its DNS rebound to this machine.
 */
function hostAllowed(req, allowHosts) {
  const host = splitHost(req.headers.host);
  if (!host) return false;
  if (allowHosts) {
    return allowHosts.some((entry) => {
      const allowed = splitHost(entry);
      return allowed && allowed.hostname === host.hostname && (allowed.port === '' || allowed.port === host.port);
    });
  }
  return !isLoopbackAddress(req.socket?.localAddress) || isLocalName(host.hostname);
}

/** The relay's own refusals, in BillPay's answer shape plus `relay_error`. */
function refuse(res, status, code, message, upstreamStatus) {
  if (res.headersSent) return;
  res.writeHead(status, HEADERS);
  // BillPay's own status, when it is passed on as 502: the client judges
  // it (retry or not) as it would without a relay.
  const upstream = upstreamStatus === undefined ? '' : ` upstream_status="${upstreamStatus}"`;
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?><data error_code="1" relay_error="${code}"${upstream} customer_message="" merchant_message="${escapeXml(message)}"/>`,
  );
}

/** What a value is, for messages: short, and never a credential. */
function describe(value) {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number') return String(value);
  return value === null ? 'null' : `a ${typeof value}`;
}

function positiveInteger(value, name) {
  if (value === undefined || value === null) {
    throw new BillPayError('MISSING_CREDENTIALS', `createRelay: ${name} is missing (BillPay's id, a positive whole number)`, { path: name });
  }
  if (!Number.isSafeInteger(value) || value <= 0 || value > 0xffffffff) {
    throw new BillPayError('INVALID_CONFIG', `createRelay: ${name} must be a positive whole number, got ${describe(value)}`, { path: name });
  }
  return value;
}

/** What createRelay reads from its configuration (RelayConfig in node.d.ts). */
const RELAY_OPTIONS = ['upstream', 'merchantId', 'portalId', 'securityKey', 'allow', 'maxBodyBytes', 'timeoutMs', 'authorize', 'allowOrigins', 'allowHosts', 'log'];

function positiveOption(value, fallback, name) {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new BillPayError('INVALID_CONFIG', `createRelay: ${name} must be a positive whole number`, { path: name });
  }
  return value;
}

/** The host of an Origin header; null for "null" and anything unparsable. */
function hostOf(origin) {
  try {
    return new URL(origin).host || null;
  } catch {
    return null;
  }
}

/** The body as text; null when above `limit`; 'consumed' when a body parser took the stream. */
function readBody(req, limit) {
  if (typeof req.body === 'string' || Buffer.isBuffer(req.body)) {
    // Already read by a body parser (express.text / express.raw).
    const body = Buffer.from(req.body);
    return Promise.resolve(body.length > limit ? null : body.toString('utf8'));
  }
  if (req.body !== undefined || req.readableEnded) return Promise.resolve('consumed');
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

/**
 * The answer's body (bytes), counted while it streams: null as soon as it
 * passes `limit` bytes (the stream is cancelled, nothing more is read).
 * Each read races `signal`: in Node 20, after a few aborted reads, an
 * abort no longer ends a body that stalls (src/wasm/fetch.js does the same).
 */
async function readAnswer(response, limit, signal) {
  if (Number(response.headers.get('content-length') ?? 0) > limit) {
    await response.body?.cancel().catch(() => {});
    return null;
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const aborted = new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
  aborted.catch(() => {});
  const chunks = [];
  let size = 0;
  for (;;) {
    let read;
    try {
      read = await Promise.race([reader.read(), aborted]);
    } catch (error) {
      reader.cancel().catch(() => {});
      throw error;
    }
    const { done, value } = read;
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Binds createRelay to the full module's exports (node.js does this). */
export function makeCreateRelay(wasm) {
  return function createRelay(config) {
    try {
      return relayFor(wasm, config);
    } catch (error) {
      if (error instanceof BillPayError) throw error;
      // A getter that throws, a proxy, a value that cannot become a string.
      throw new BillPayError('INVALID_CONFIG', `createRelay: the configuration could not be read (${error?.message ?? describe(error)})`, { cause: error });
    }
  };
}

function relayFor(wasm, config) {
  if (config === null || typeof config !== 'object') {
    throw new BillPayError('INVALID_CONFIG', 'createRelay needs { upstream, merchantId, portalId, securityKey }');
  }
  // A misspelt option (allowOrigin, maxBodySize) would be left out without a word.
  for (const key of Object.keys(config)) {
    if (!RELAY_OPTIONS.includes(key)) {
      throw new BillPayError('UNKNOWN_FIELD', `createRelay: unknown option ${JSON.stringify(key.slice(0, 60))}, expected one of ${RELAY_OPTIONS.join(', ')}`, { path: key });
    }
  }
  if (typeof config.upstream !== 'string') {
    throw new BillPayError('INVALID_CONFIG', `createRelay: upstream is BillPay's base URL as a string, got ${describe(config.upstream)}`, { path: 'upstream' });
  }
  let upstream;
  try {
    upstream = wasm.checkEndpoint(config.upstream);
  } catch (thrown) {
    // The endpoint rule is the client's; here the field is `upstream`.
    const error = fromWasm(thrown);
    if (error instanceof BillPayError && error.path === 'endpoint') {
      throw new BillPayError(error.code, error.message.replace(/^endpoint: /, 'createRelay: upstream: '), { path: 'upstream', cause: error });
    }
    throw error;
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
  allow.forEach((service, i) => {
    if (!wasm.isService(service)) {
      throw new BillPayError('INVALID_CONFIG', `createRelay: allow[${i}]: ${JSON.stringify(service.slice(0, 60))} is not a service of BillPay's (the default: ${DEFAULT_ALLOW.join(', ')})`, { path: `allow[${i}]` });
    }
  });
  const maxBody = positiveOption(config.maxBodyBytes, DEFAULT_MAX_BODY, 'maxBodyBytes');
  const timeoutMs = positiveOption(config.timeoutMs, DEFAULT_TIMEOUT_MS, 'timeoutMs');
  const authorize = config.authorize ?? (() => true);
  if (typeof authorize !== 'function') {
    throw new BillPayError('INVALID_CONFIG', 'createRelay: authorize is a function (req) => boolean | Promise<boolean>', { path: 'authorize' });
  }
  const allowOrigins = config.allowOrigins ?? [];
  if (!Array.isArray(allowOrigins) || !allowOrigins.every((o) => typeof o === 'string')) {
    throw new BillPayError('INVALID_CONFIG', 'createRelay: allowOrigins is a list of origins like "https://admin.shop.example"', { path: 'allowOrigins' });
  }
  const allowHosts = config.allowHosts;
  if (allowHosts !== undefined && (!Array.isArray(allowHosts) || !allowHosts.every((h) => typeof h === 'string' && splitHost(h)))) {
    throw new BillPayError('INVALID_CONFIG', 'createRelay: allowHosts is a list of Host names like "shop.example" or "shop.example:8443"', { path: 'allowHosts' });
  }
  const log = config.log ?? ((message) => console.warn(message));
  // The credentials are scrubbed from answers, logs and refusals.
  const scrub = makeScrubber(securityKey);

  return async function relay(req, res, next) {
    try {
      if (!hostAllowed(req, allowHosts)) {
        return refuse(res, 421, 'UNKNOWN_HOST', 'the relay does not answer under this Host name (see allowHosts)');
      }
      if (req.method !== 'POST') {
        res.setHeader('allow', 'POST');
        return refuse(res, 405, 'METHOD_NOT_ALLOWED', 'the relay takes POST requests');
      }
      // Cross-site pages may not drive the relay through an admin's browser:
      // a foreign Origin is refused, and only XML bodies are taken (an XML
      // content type cannot be sent cross-site without a CORS preflight).
      const origin = req.headers.origin;
      if (origin !== undefined && !allowOrigins.includes(origin) && hostOf(origin) !== req.headers.host) {
        return refuse(res, 403, 'CROSS_ORIGIN', 'the relay only answers pages of its own origin (see allowOrigins)');
      }
      const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      if (type !== 'application/xml' && type !== 'text/xml') {
        return refuse(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'the relay takes application/xml bodies');
      }
      let authorized = false;
      try {
        authorized = (await authorize(req)) === true;
      } catch (error) {
        // A failing check denies: the relay acts with the merchant's key.
        log(`[billpay relay] authorize failed: ${scrub.text(String(error?.message ?? error))}`);
      }
      if (!authorized) return refuse(res, 403, 'NOT_AUTHORIZED', 'not authorised to use the BillPay relay');
      const path = (req.url ?? '').split(/[?#]/)[0];
      let service;
      try {
        service = decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
      } catch {
        return refuse(res, 400, 'INVALID_INPUT', 'the service name in the path is not valid percent-encoding');
      }
      // The whole exchange has one time limit, the reading of a slow body included.
      let slow;
      const deadline = new Promise((resolve) => {
        slow = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const body = await Promise.race([readBody(req, maxBody), deadline]).finally(() => clearTimeout(slow));
      if (body === 'timeout') {
        refuse(res, 408, 'TIMEOUT', `the request body did not arrive within ${timeoutMs} ms`);
        req.destroy();
        return;
      }
      if (body === 'consumed') {
        return refuse(res, 500, 'BODY_ALREADY_READ', 'a body parser read the request before the relay: mount the relay before it (or use express.text({ type: "application/xml" }))');
      }
      if (body === null) return refuse(res, 413, 'REQUEST_TOO_LARGE', `the request is above ${maxBody} bytes`);
      let forwarded;
      try {
        forwarded = wasm.relayRequest(service, allowJson, body, merchantId, portalId, securityKey);
      } catch (thrown) {
        const error = fromWasm(thrown);
        // The caller's service name is not echoed: only what the relay allows.
        if (error.code === 'SERVICE_NOT_ALLOWED') return refuse(res, 403, 'SERVICE_NOT_ALLOWED', `the relay forwards only ${allow.join(', ') || 'nothing'}`);
        return refuse(res, 400, 'INVALID_INPUT', scrub.text(error.message));
      }
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
      let status;
      let answer;
      try {
        const response = await fetch(`${upstream}/${service}`, {
          method: 'POST',
          headers: { 'content-type': 'application/xml; charset=utf-8' },
          body: forwarded,
          signal: controller.signal,
          // Not followed: reported as BillPay's HTTP status (a redirect is no answer).
          redirect: 'manual',
        });
        status = response.status;
        answer = await readAnswer(response, MAX_ANSWER_BYTES, controller.signal);
        // UTF-8, or ISO-8859-1 where its declaration says so, passed on in UTF-8.
        if (answer !== null) answer = wasm.answerText(answer);
        if (answer === null) {
          controller.abort();
          log(`[billpay relay] ${service}: the answer is above ${MAX_ANSWER_BYTES} bytes; not read further`);
          return refuse(res, 502, 'ANSWER_TOO_LARGE', 'BillPay\'s answer is too large to be a BillPay answer');
        }
      } catch (error) {
        if (timedOut) return refuse(res, 504, 'TIMEOUT', `BillPay did not answer within ${timeoutMs} ms`);
        log(`[billpay relay] ${service}: BillPay unreachable (${error?.cause?.code ?? error?.message})`);
        return refuse(res, 502, 'NETWORK_ERROR', 'BillPay could not be reached or dropped the connection');
      } finally {
        clearTimeout(timer);
      }
      if (status !== 200) {
        log(`[billpay relay] ${service}: BillPay answered HTTP ${status}`);
        return refuse(res, status >= 500 ? status : 502, 'HTTP_ERROR', `BillPay answered HTTP ${status}`, status);
      }
      const summary = JSON.parse(wasm.answerSummary(answer));
      if (summary.errorCode !== 0) {
        log(`[billpay relay] ${service}: error ${summary.errorCode ?? '(unreadable answer)'}: ${scrub.text(summary.merchantMessage ?? '')}`);
      }
      // A credential left where no value is scrubbed (an element name, a
      // DOCTYPE, a processing instruction): no BillPay answer has one there.
      const scrubbed = scrub.xml(answer);
      if (scrub.text(scrubbed) !== scrubbed) {
        log(`[billpay relay] ${service}: the answer names the credentials outside its values; not passed on`);
        return refuse(res, 502, 'UNSAFE_ANSWER', 'BillPay\'s answer carries the credentials where no BillPay answer has them');
      }
      res.writeHead(200, HEADERS);
      res.end(scrubbed);
    } catch (error) {
      if (typeof next === 'function') return next(error);
      log(`[billpay relay] internal error: ${error?.message}`);
      refuse(res, 500, 'INTERNAL', 'the relay failed');
    }
  };
}
