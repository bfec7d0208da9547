// `npm run bench`: size of the shipped module and speed side by side with the
// best JS libraries doing the same job, in one Node process (interleaved
// rounds, median reported; differences under ~15 % are noise on a busy machine).
//
//   node bench/run.mjs [--quick]

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { execFileSync } from 'node:child_process';
import * as billpay from '../pkg/storefront.js';
import * as ibantools from 'ibantools';
import { IBANS } from './ibans.mjs';
import { createRequire } from 'node:module';
import { SwissQRBill } from 'swissqrbill/svg';

const require = createRequire(import.meta.url);
const QRCode = require('qrcode');
const qrSvgTag = require('qrcode/lib/renderer/svg-tag.js');

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 2 : 5;
const ROUND_MS = quick ? 200 : 1000;

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

function sizes(buffer) {
  return {
    raw: buffer.length,
    gzip: gzipSync(buffer, { level: 9 }).length,
    brotli: brotliCompressSync(buffer, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** The JS helpers wasm-bindgen copies next to a module (the client's fetch). */
function snippets(module) {
  const dir = new URL(`../pkg/generated/${module}/snippets/`, import.meta.url);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith('.js'))
    .map((f) => `generated/${module}/snippets/${f}`);
}

/** Sizes of what a page downloads: each module's .wasm and its JS glue. */
export function measureSize() {
  const read = (f) => readFileSync(new URL(`../pkg/${f}`, import.meta.url));
  const glue = (files) => Buffer.from(files.map((f) => read(f).toString('utf8')).join('\n'));
  return {
    storefront: {
      wasm: sizes(read('generated/storefront/billpay_storefront.wasm')),
      glue: sizes(glue(['api/storefront.js', 'glue.js', 'errors.js', 'storefront.js'])),
    },
    full: {
      wasm: sizes(read('generated/full/billpay_full_bg.wasm')),
      glue: sizes(glue(['generated/full/billpay_full.js', ...snippets('full'), 'api/full.js', 'glue.js', 'errors.js', 'index.js'])),
    },
  };
}

/** Runs each case for ROUND_MS per round, rounds interleaved; returns median ops/s. */
function race(cases) {
  const results = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, fn] of Object.entries(cases)) {
      let ops = 0;
      const start = performance.now();
      let now = start;
      while (now - start < ROUND_MS) {
        for (let i = 0; i < 100; i++) fn(i);
        ops += 100;
        now = performance.now();
      }
      results[name].push((ops * 1000) / (now - start));
    }
  }
  return Object.fromEntries(
    Object.entries(results).map(([name, list]) => [name, list.sort((a, b) => a - b)[Math.floor(list.length / 2)]]),
  );
}

const block = {
  method: 'invoice',
  amount: '1234.50',
  currency: 'EUR',
  bankAccount: {
    accountHolder: 'BillPay GmbH',
    iban: 'DE53100500000740123456',
    bic: 'BELADEBEXXX',
    bankName: 'Berliner Sparkasse',
    invoiceReference: 'BP1001/4441',
    dueDate: '2026-12-28',
    activated: true,
  },
};

// The baseline a shop would write by hand: a template literal with escaping,
// the same seven rows (no validation, no locale rules beyond these).
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
function templateBlock(b) {
  const a = b.bankAccount;
  const [units, cents] = b.amount.split('.');
  const amount = `${units.replace(/\B(?=(\d{3})+(?!\d))/g, '.')},${(cents ?? '').padEnd(2, '0')}\u00a0EUR`;
  const [y, m, d] = a.dueDate.split('-');
  const date = `${d}.${m}.${y}`;
  const iban = a.iban.replace(/(.{4})/g, '$1 ').trim();
  const rows = [['Zahlungsempfänger', a.accountHolder], ['IBAN', iban], ['BIC', a.bic], ['Kreditinstitut', a.bankName], ['Betrag', amount], ['Verwendungszweck', a.invoiceReference], ['Zahlungsziel', date]];
  return `<section class="billpay-payment"><p>Bitte überweisen Sie den Betrag von <strong>${esc(amount)}</strong> bis zum <strong>${esc(date)}</strong>:</p><table><tbody>${rows.map(([l, v]) => `<tr><th scope="row">${esc(l)}</th><td>${esc(v)}</td></tr>`).join('')}</tbody></table></section>`;
}

// The same invoice in CHF to a Swiss account, for the QR-bill.
const chfBlock = {
  ...block,
  currency: 'CHF',
  bankAccount: { ...block.bankAccount, iban: 'CH9300762011623852957', bic: 'POFICHBEXXX', bankName: 'PostFinance AG' },
};
// swissqrbill's input for the same bill (creditor: BillPay's Swiss branch).
const swissqrbillData = {
  currency: 'CHF',
  amount: 1234.5,
  creditor: { account: 'CH9300762011623852957', name: 'BillPay GmbH, Zweigniederlassung Schweiz', address: '', zip: '8105', city: 'Regensdorf', country: 'CH' },
  message: 'BP1001/4441',
};

// The EPC payload as a shop would write it by hand (no checks), for qrcode.
function templateEpcPayload(b) {
  const a = b.bankAccount;
  return ['BCD', '002', '1', 'SCT', a.bic, a.accountHolder, a.iban, `EUR${b.amount.replace(/\.?0+$/, '')}`, '', '', a.invoiceReference].join('\n');
}
function qrcodeSvg(text) {
  return qrSvgTag.render(QRCode.create(text, { errorCorrectionLevel: 'M' }), { margin: 4 });
}

/**
 * What the scannable codes add to the storefront module: the same build
 * without the `qr` feature, made here (a minute or two; --quick skips it).
 */
function qrSizeDelta() {
  execFileSync('bash', [new URL('../scripts/build.sh', import.meta.url).pathname, '--storefront-without-qr'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const gz = (f) => gzipSync(readFileSync(new URL(`../pkg/generated/${f}`, import.meta.url)), { level: 9 }).length;
  const withQr = { wasm: gz('storefront/billpay_storefront.wasm') };
  const without = { wasm: gzipSync(readFileSync(new URL('../target/storefront-without-qr/billpay_storefront.wasm', import.meta.url)), { level: 9 }).length };
  return `QR codes (qrcodegen, EPC and Swiss payloads, SVG, QR-bill layout in 4 languages) add ${kb(withQr.wasm - without.wasm)} gzip to the storefront .wasm (${kb(without.wasm)} -> ${kb(withQr.wasm)}) (measured against the same build without the \`qr\` feature)`;
}

/** Fresh process: import the storefront entry, instantiate, render once. */
function coldStart() {
  const script = `
    const t0 = performance.now();
    const { readFileSync } = await import('node:fs');
    const b = await import(${JSON.stringify(new URL('../pkg/storefront.js', import.meta.url).href)});
    await b.init(readFileSync(new URL(${JSON.stringify(new URL('../pkg/generated/storefront/billpay_storefront.wasm', import.meta.url).href)})));
    b.renderPaymentBlock(${JSON.stringify(block)});
    console.log(performance.now() - t0);`;
  const runs = [];
  for (let i = 0; i < (quick ? 3 : 9); i++) {
    runs.push(Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim()));
  }
  runs.sort((a, b) => a - b);
  return runs[Math.floor(runs.length / 2)];
}

export async function run() {
  await billpay.init(readFileSync(new URL('../pkg/generated/storefront/billpay_storefront.wasm', import.meta.url)));
  const size = measureSize();
  console.log('## Size (after wasm-opt -Oz; glue = generated JS + hand-written entry)');
  console.log('| module | file | raw | gzip -9 | brotli 11 |');
  console.log('|---|---|---:|---:|---:|');
  for (const [module, parts] of Object.entries(size)) {
    for (const [name, s] of Object.entries(parts)) console.log(`| ${module} | ${name} | ${kb(s.raw)} | ${kb(s.gzip)} | ${kb(s.brotli)} |`);
    const total = (k) => kb(parts.wasm[k] + parts.glue[k]);
    console.log(`| ${module} | **module + glue** | ${total('raw')} | ${total('gzip')} | ${total('brotli')} |`);
  }

  console.log(`\n## Cold start\nimport + instantiate the storefront module + first render, fresh Node process (median of ${quick ? 3 : 9}): ${coldStart().toFixed(1)} ms`);

  console.log(`\n## Throughput (ops/s, median of ${ROUNDS} interleaved rounds)`);
  const render = race({
    'renderPaymentBlock html, qr none (billpay-wasm)': () => billpay.renderPaymentBlock(block, { qr: 'none' }),
    'renderPaymentBlock text (billpay-wasm)': () => billpay.renderPaymentBlock(block, { format: 'text' }),
    'template literal html (hand-written JS, no checks)': () => templateBlock(block),
  });
  const iban = race({
    'checkIban (billpay-wasm)': (i) => billpay.checkIban(IBANS[i % IBANS.length]),
    'ibantools electronicFormatIBAN + isValidIBAN': (i) => ibantools.isValidIBAN(ibantools.electronicFormatIBAN(IBANS[i % IBANS.length]) ?? ''),
  });
  const qr = race({
    'renderPaymentBlock html + EPC QR code SVG (billpay-wasm, qr auto)': () => billpay.renderPaymentBlock(block),
    'template block + EPC payload + qrcode SVG (npm qrcode)': () => templateBlock(block) + qrcodeSvg(templateEpcPayload(block)),
    'renderSwissQrBill SVG, payment part + receipt (billpay-wasm)': () => billpay.renderSwissQrBill(chfBlock),
    'SwissQRBill SVG (npm swissqrbill)': () => new SwissQRBill(swissqrbillData).toString(),
  });
  console.log('| case | ops/s |');
  console.log('|---|---:|');
  for (const [name, value] of Object.entries({ ...render, ...iban, ...qr })) console.log(`| ${name} | ${Math.round(value).toLocaleString('en')} |`);
  const svgBytes = (svg) => `${kb(svg.length)} (${kb(gzipSync(svg, { level: 9 }).length)} gzip)`;
  console.log(`\n## Scannable codes\n${quick ? 'size delta skipped (--quick)' : qrSizeDelta()}.`);
  console.log(`SVG size: EPC QR code in the block ${svgBytes(billpay.renderPaymentBlock(block).match(/<svg.*<\/svg>/)[0])}, qrcode ${svgBytes(qrcodeSvg(templateEpcPayload(block)))}; QR-bill ${svgBytes(billpay.renderSwissQrBill(chfBlock))}, swissqrbill ${svgBytes(new SwissQRBill(swissqrbillData).toString())}.`);
  return { size, render, iban, qr };
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
