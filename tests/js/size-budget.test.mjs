// Size budgets of what a page downloads: the .wasm plus its JS glue, gzip -9.
// The Node entry's build of the full module (opt-level 3, pkg/generated/node/) has
// no budget: no page downloads it.
// Storefront pages load the storefront module; admin pages the full one.
// Timings are never asserted (machines are noisy); sizes are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureSize } from '../../bench/run.mjs';

// Issue 9 took the storefront from 98.3 to 61.3 KB and the full module from
// 199.8 to 154.5 KB (serde_json and core::fmt out of the boundary, plain
// exports without wasm-bindgen for every function, a compact IBAN registry,
// talc, one boxed client future). The budgets keep that won ground with a
// little room; the goals (48 and 96 KB) are not reached yet: the
// scannable codes alone are 21 KB of the storefront module (npm run bench).
// The storefront budget went from 64 to 66 KB for the QR mask choice of
// crates/qr-mask, now crates/qr-symbol (+2.9 KB gzip), with which a block with its EPC code went
// from 2.2x to over 4x npm qrcode: the trade is recorded in Cargo.toml.
// The full budget went from 160 to 164 KB: the glue is measured with the
// .wasm source lookup that index.js always loaded (now part of glue.js,
// +0.5 KB), and the client no longer reports refused activations as
// success, checks hand-made plans and falls back to BP<order>/<merchant id>
// without an invoice reference (+1.7 KB).
// Then both came down again: the storefront module is built without std
// (no panic formatting, so no core::fmt: 65.6 -> 62.9 KB) and the full
// module has one sort instead of three copies of the standard ones
// (163.7 -> 159.3 KB). The QR symbols are drawn by crates/qr-symbol instead
// of qrcodegen (byte mode and level M only): 62.9 -> 59.2 and 159.3 ->
// 154.9 KB; the client's operations read and write outside their async
// state machines: full 153.6 KB; the client's JS helpers left glue.js:
// storefront 58.9 KB.
// The full budget went from 155 to 156 KB for the fixes of an independent
// audit (2026-12-03): the transport's own time limit and answer cap, the
// relay refusals' mapping, the QR-bill fitting its boxes, and tax rates
// read from the whole cart for cheap lines (+1.8 KB; -0.6 KB back from
// writing attribute values with one small escaper).
// The full budget went from 156 to 157 KB for the fixes of a second audit
// (2026-12-03, afternoon), in both modules: decomposed letters composed for
// the Swiss QR-bill (a 392-byte table), wide letters measured when the slip
// wraps, the Swiss limit counted in bytes, and init() checking the module
// it is given (+0.8 KB; the storefront stays within its 60 KB). Then to
// 158 KB for an audit of the order rules: the rebate netted at the rates
// left after a return, rate increases judged in the order's currency, open
// orders of 0 refused, NaN in client arguments refused (+1.1 KB).
// Both went up 1 KB for a black-box audit (2026-12-03, evening): init()
// reports a .wasm it cannot load (no file, no answer, an HTTP error, a value
// that is no module) as a BillPayError instead of fs's, fetch's or a plain
// Error (+0.3 KB of glue on every page; findPaymentReference reading past
// the fields that follow a reference cost nothing); the full module's
// client and relay refuse endpoints with a query or fragment, ids of 0,
// unknown relay options and services (+0.4 KB). Then both 1 KB more for
// the rest of that audit's fixes: NaN and ±Infinity refused as themselves in
// every function's arguments (glue.data, +0.4 KB of glue), bidirectional
// overrides refused in printed text, U+FFFD refused in the EPC code, ẞ,
// digraph letters and ligatures written out for the Swiss QR-bill, the
// block's default locale from its customerCountry (+0.5 KB of module).
// The full budget went from 160 to 162 KB for reading BillPay's
// asynchronous capture callback (parseCaptureCallback, which DESIGN §4 asks
// for and no session had built: +2.1 KB) and the answers that accept an
// order with bank data that cannot be used, which are no longer retryable.
// Then to 163 KB for an audit's fixes of the order rules and the protocol:
// a partly credited shipping keeps its tax rate (the rate each line is read
// at, shared with tax_groups), a higher shipping rate is an increase, and no
// character XML cannot carry is sent (+1.1 KB). Then to 164 KB for
// preauthorize's notifyUrl and redirectUrl, checked like the endpoint and
// written as <async_capture_request> (+1.4 KB).
// The storefront budget went from 62 to 64 KB (and the full one to 166)
// for the direct-debit checkout notice: the consent for the payment, the
// SEPA mandate, BillPay's creditor identifier and the refund right in five
// languages, with the Austrian variant (+1.7 KB of text on the checkout
// page, which shows it). A direct debit without a mandate is no debit.
// The full budget went from 166 to 167 KB for checks before a request or
// a plan: a customer id in BillPay's character set, and an order's dates
// (not activated before it was placed, a two-month deadline that exists)
// (+0.6 KB).
// The full budget went from 167 to 168 KB for XML text: the relay dropped
// the text of the elements it passed on (a relay's client lost its
// notify and redirect URLs), and a PRE_APPROVED answer's redirect URL
// (CDATA text) could not reach the shop (+1.0 KB).
// The full budget went from 168 to 169 KB for a direct debit's capture,
// which BillPay answers without an account and the client reported as an
// unusable answer (+0.3 KB).
// The full budget went from 169 to 171 KB for a transport audit's fixes
// (2026-12-04): answers read as their XML declaration says (ISO-8859-1 was
// stored as damaged names) and non-UTF-8 ones refused, a wait between
// retries, redirects named, only attempts that may have run recovered as
// activations (a cancelled order was reported activated), the customer's
// consent to BillPay's terms checked before a purchase (+1.9 KB). Then to
// 172 KB for a review of those fixes: relay refusals judged as the same
// failures without a relay, ISO-8859-1 read as windows-1252 (as browsers
// do), host names and IPv4 addresses as fetch reads them (+0.5 KB).
// The full budget went from 172 to 175 KB for audits' findings
// (2026-12-04): a business customer's company (BillPay's company_details
// with its 18 legal-form codes), BillPay's per-field validation_errors kept
// in the error's messages, every client setting's number judged as one
// INVALID_CONFIG, a structured statement's next field ending a found
// reference (+3.1 KB; the storefront +0.4 KB). Then to 176 KB for a
// customer's IP address checked (IPv4, IPv6, an IPv4 mapped into IPv6
// sent as IPv4) instead of any text sent to BillPay (+0.9 KB).
// The full budget went from 176 to 179 KB, the storefront one from 64 to
// 64.5 KB, for codes in HTML e-mails, which drop inline SVG: the block's
// code as a PNG with its own small deflate (renderQrCodePng, full module
// only: +2.8 KB) and `qrImage`, the block's <img> of it (+0.4 KB in both).
const BUDGETS_GZIP = { storefront: 64.5 * 1024, full: 179 * 1024 };

for (const [module, budget] of Object.entries(BUDGETS_GZIP)) {
  test(`${module} module + glue stay within ${budget / 1024} KB gzip`, () => {
    const { wasm, glue } = measureSize()[module];
    const total = wasm.gzip + glue.gzip;
    assert.ok(total <= budget, `${module}: module ${wasm.gzip} + glue ${glue.gzip} = ${total} bytes gzip > ${budget}`);
  });
}
