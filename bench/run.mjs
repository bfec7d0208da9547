// `npm run bench`: size of the shipped modules and speed side by side with the
// best JS libraries doing the same job, in one Node process (interleaved
// rounds, median reported; differences under ~15 % are noise on a busy
// machine), plus cold start in a fresh Node process and in headless Chromium.
// Ends with the goals of issue 9 and whether this run meets them.
//
//   node bench/run.mjs [--quick]

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as storefront from '../pkg/storefront.js';
import * as node from '../pkg/node.js';
import * as ibantools from 'ibantools';
import { IBANS } from './ibans.mjs';
import { SwissQRBill } from 'swissqrbill/svg';
import { chromiumStart } from './chromium-start.mjs';

const require = createRequire(import.meta.url);
const QRCode = require('qrcode');
const qrSvgTag = require('qrcode/lib/renderer/svg-tag.js');
const qrPng = require('qrcode/lib/renderer/png.js');
const { PNG } = require('pngjs');

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 3 : 7;
const ROUND_MS = quick ? 200 : 700;

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const pkg = (file) => new URL(`../pkg/${file}`, import.meta.url);

function sizes(buffer) {
  return {
    raw: buffer.length,
    gzip: gzipSync(buffer, { level: 9 }).length,
    brotli: brotliCompressSync(buffer, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** The JS helpers wasm-bindgen copies next to a module (the client's fetch). */
function snippets(module) {
  const dir = pkg(`generated/${module}/snippets/`);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith('.js'))
    .map((f) => `generated/${module}/snippets/${f}`);
}

/** Sizes of what a page downloads: each module's .wasm and its JS glue (as shipped, not minified). */
export function measureSize() {
  const read = (f) => readFileSync(pkg(f));
  const glue = (files) => Buffer.from(files.map((f) => read(f).toString('utf8')).join('\n'));
  return {
    storefront: {
      wasm: sizes(read('generated/storefront/billpay_storefront.wasm')),
      glue: sizes(glue(['glue.js', 'storefront.js'])),
    },
    full: {
      wasm: sizes(read('generated/full/billpay_full_bg.wasm')),
      glue: sizes(glue(['generated/full/billpay_full.js', ...snippets('full'), 'api/full.js', 'glue.js', 'index.js'])),
    },
  };
}

/** Runs each case for ROUND_MS per round, rounds interleaved; returns median ops/s. */
function race(cases) {
  const results = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (const fn of Object.values(cases)) for (let i = 0; i < 200; i++) fn(i); // warm up
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, fn] of Object.entries(cases)) {
      let ops = 0;
      const start = performance.now();
      let now = start;
      while (now - start < ROUND_MS) {
        for (let i = 0; i < 50; i++) fn(i);
        ops += 50;
        now = performance.now();
      }
      results[name].push((ops * 1000) / (now - start));
    }
  }
  return Object.fromEntries(Object.entries(results).map(([name, list]) => [name, list.sort((a, b) => a - b)[Math.floor(list.length / 2)]]));
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

// What a careful shop writes: the same template after checking what it
// prints (IBAN and BIC with ibantools, amount and date by pattern).
function checkedTemplateBlock(b) {
  const a = b.bankAccount;
  if (!ibantools.isValidIBAN(ibantools.electronicFormatIBAN(a.iban) ?? '')) throw new Error('IBAN');
  if (!ibantools.isValidBIC(a.bic)) throw new Error('BIC');
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(b.amount)) throw new Error('amount');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(a.dueDate)) throw new Error('date');
  return templateBlock(b);
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
  const gz = (f) => gzipSync(readFileSync(pkg(`generated/${f}`)), { level: 9 }).length;
  const withQr = gz('storefront/billpay_storefront.wasm');
  const without = gzipSync(readFileSync(new URL('../target/storefront-without-qr/billpay_storefront.wasm', import.meta.url)), { level: 9 }).length;
  return `QR codes (crates/qr-symbol, EPC and Swiss payloads, SVG, QR-bill layout in 4 languages) add ${kb(withQr - without)} gzip to the storefront .wasm (${kb(without)} -> ${kb(withQr)}), measured against the same build without the \`qr\` feature`;
}

/**
 * Fresh process: import the storefront entry, instantiate, render once
 * (timed inside). The script is a file, as an application is: run with
 * `node -e`, the first `import()` also sets up Node's ES module loader for
 * eval'd code (an empty module took 4.5 ms to import that way, 0.9 ms from
 * a file), which no application pays and no package can change.
 */
function coldStart() {
  const script = `
    import { readFileSync } from 'node:fs';
    const bytes = readFileSync(new URL(${JSON.stringify(pkg('generated/storefront/billpay_storefront.wasm').href)}));
    const t0 = performance.now();
    const b = await import(${JSON.stringify(pkg('storefront.js').href)});
    await b.init(bytes);
    b.renderPaymentBlock(${JSON.stringify(block)});
    console.log(performance.now() - t0);`;
  const dir = mkdtempSync(join(tmpdir(), 'billpay-cold-'));
  const file = join(dir, 'cold-start.mjs');
  writeFileSync(file, script);
  const runs = [];
  try {
    for (let i = 0; i < (quick ? 3 : 9); i++) {
      runs.push(Number(execFileSync(process.execPath, [file], { encoding: 'utf8' }).trim()));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  runs.sort((a, b) => a - b);
  return runs[Math.floor(runs.length / 2)];
}

const row = (name, value, base) => `| ${name} | ${Math.round(value).toLocaleString('en')} | ${base ? `${(value / base).toFixed(2)}×` : ''} |`;

export async function run() {
  await storefront.init(readFileSync(pkg('generated/storefront/billpay_storefront.wasm')));
  const size = measureSize();
  console.log('## Size (after wasm-opt; glue = the JS a page loads with the module, as shipped)');
  console.log('| module | file | raw | gzip -9 | brotli 11 |');
  console.log('|---|---|---:|---:|---:|');
  for (const [module, parts] of Object.entries(size)) {
    for (const [name, s] of Object.entries(parts)) console.log(`| ${module} | ${name} | ${kb(s.raw)} | ${kb(s.gzip)} | ${kb(s.brotli)} |`);
    const total = (k) => kb(parts.wasm[k] + parts.glue[k]);
    console.log(`| ${module} | **module + glue** | ${total('raw')} | ${total('gzip')} | ${total('brotli')} |`);
  }
  // Not downloaded by any page: the Node entry's build of the full module (opt-level 3).
  const nodeWasm = sizes(readFileSync(pkg('generated/node/billpay_node_bg.wasm')));
  console.log(`\nThe Node entry (\`billpay-wasm/node\`) loads the full module built for speed, which no page downloads: ${kb(nodeWasm.raw)} (${kb(nodeWasm.gzip)} gzip).`);

  const cold = coldStart();
  const browser = await chromiumStart({ block, runs: quick ? 3 : 7 });
  console.log(`\n## Cold start (median)`);
  console.log(`- Node, fresh process: import the storefront entry + instantiate + first render: ${cold.toFixed(1)} ms`);
  console.log(`- Chromium (headless, the storefront entry served over HTTP, measured in the page): \`init()\` ${browser.init.toFixed(1)} ms, first render ${browser.render.toFixed(1)} ms`);

  console.log(`\n## Throughput (ops/s, median of ${ROUNDS} interleaved rounds; × = against the row the group starts with)`);
  console.log('| case | ops/s | × |');
  console.log('|---|---:|---:|');
  const groups = {};
  const group = (title, cases) => {
    const result = race(cases);
    const [first, ...rest] = Object.keys(cases);
    console.log(`| **${title}** | | |`);
    console.log(row(first, result[first]));
    for (const name of rest) console.log(row(name, result[name], result[first]));
    groups[title] = result;
    return result;
  };
  const render = group('payment block, html, no code', {
    'template literal (hand-written JS, no checks)': () => templateBlock(block),
    'checked template (ibantools IBAN + BIC, amount and date patterns)': () => checkedTemplateBlock(block),
    'renderPaymentBlock, billpay-wasm/storefront': () => storefront.renderPaymentBlock(block, { qr: 'none' }),
    'renderPaymentBlock, billpay-wasm/node': () => node.renderPaymentBlock(block, { qr: 'none' }),
    'renderPaymentBlock text, billpay-wasm/storefront': () => storefront.renderPaymentBlock(block, { format: 'text' }),
  });
  const iban = group('IBAN check (42 mixed IBANs)', {
    'ibantools electronicFormatIBAN + isValidIBAN': (i) => ibantools.isValidIBAN(ibantools.electronicFormatIBAN(IBANS[i % IBANS.length]) ?? ''),
    'checkIban, billpay-wasm/storefront': (i) => storefront.checkIban(IBANS[i % IBANS.length]),
    'checkIban, billpay-wasm/node': (i) => node.checkIban(IBANS[i % IBANS.length]),
  });
  const epc = group('payment block with its EPC QR code', {
    'template block + EPC payload + qrcode SVG (npm qrcode)': () => templateBlock(block) + qrcodeSvg(templateEpcPayload(block)),
    'renderPaymentBlock (qr auto), billpay-wasm/storefront': () => storefront.renderPaymentBlock(block),
    'renderPaymentBlock (qr auto), billpay-wasm/node': () => node.renderPaymentBlock(block),
  });
  // For HTML e-mails (which drop SVG): the code as a PNG data URI, as
  // qrcode's toDataURL makes it (its renderer, synchronously), 360 px wide.
  group('EPC QR code as a PNG for e-mails (data URI)', {
    'EPC payload + qrcode PNG (npm qrcode, pngjs)': () =>
      `data:image/png;base64,${PNG.sync.write(qrPng.render(QRCode.create(templateEpcPayload(block), { errorCorrectionLevel: 'M' }), { margin: 4, width: 360 })).toString('base64')}`,
    'renderQrCodePng, billpay-wasm/node': () => node.renderQrCodePng(block),
  });
  const bill = group('Swiss QR-bill, payment part + receipt, SVG', {
    'SwissQRBill (npm swissqrbill)': () => new SwissQRBill(swissqrbillData).toString(),
    'renderSwissQrBill, billpay-wasm/storefront': () => storefront.renderSwissQrBill(chfBlock),
    'renderSwissQrBill, billpay-wasm/node': () => node.renderSwissQrBill(chfBlock),
  });

  const svgBytes = (svg) => `${kb(svg.length)} (${kb(gzipSync(svg, { level: 9 }).length)} gzip)`;
  console.log(`\n## Scannable codes\n${quick ? 'size delta skipped (--quick)' : qrSizeDelta()}.`);
  console.log(`SVG size: EPC QR code in the block ${svgBytes(storefront.renderPaymentBlock(block).match(/<svg.*<\/svg>/)[0])}, qrcode ${svgBytes(qrcodeSvg(templateEpcPayload(block)))}; QR-bill ${svgBytes(storefront.renderSwissQrBill(chfBlock))}, swissqrbill ${svgBytes(new SwissQRBill(swissqrbillData).toString())}.`);

  // The goals of issue 9, against this run.
  const total = (m) => (size[m].wasm.gzip + size[m].glue.gzip) / 1024;
  const r = (a, b) => a / b;
  const goals = [
    ['storefront module + glue, gzip -9', `${total('storefront').toFixed(1)} KB`, total('storefront') <= 48, '≤ 48 KB'],
    ['full module + glue, gzip -9', `${total('full').toFixed(1)} KB`, total('full') <= 96, '≤ 96 KB'],
    ...[['storefront', 'billpay-wasm/storefront'], ['node', 'billpay-wasm/node']].flatMap(([key, entry]) => {
      const renderName = `renderPaymentBlock, ${entry}`;
      const x1 = r(render[renderName], render['template literal (hand-written JS, no checks)']);
      const x2 = r(render[renderName], render['checked template (ibantools IBAN + BIC, amount and date patterns)']);
      const x3 = r(iban[`checkIban, ${entry}`], iban['ibantools electronicFormatIBAN + isValidIBAN']);
      const x4 = r(epc[`renderPaymentBlock (qr auto), ${entry}`], epc['template block + EPC payload + qrcode SVG (npm qrcode)']);
      const x5 = r(bill[`renderSwissQrBill, ${entry}`], bill['SwissQRBill (npm swissqrbill)']);
      return [
        [`render vs unchecked template (${key})`, `${x1.toFixed(2)}×`, x1 >= 0.8, '≥ 0.8×'],
        [`render vs checked JS (${key})`, `${x2.toFixed(2)}×`, x2 >= 1.5, '≥ 1.5×'],
        [`checkIban vs ibantools (${key})`, `${x3.toFixed(2)}×`, x3 >= 3, '≥ 3×'],
        [`block + EPC code vs template + qrcode (${key})`, `${x4.toFixed(2)}×`, x4 >= 3, '≥ 3×'],
        [`Swiss QR-bill vs swissqrbill (${key})`, `${x5.toFixed(1)}×`, x5 >= 30, '≥ 30×'],
      ];
    }),
    ['cold start, fresh Node process', `${cold.toFixed(1)} ms`, cold <= 10, '≤ 10 ms'],
    ['init() in Chromium', `${browser.init.toFixed(1)} ms`, browser.init <= 20, '≤ 20 ms'],
  ];
  console.log('\n## Goals (issue 9)');
  console.log('| measure | this run | goal | met |');
  console.log('|---|---:|---:|:---:|');
  for (const [name, value, met, goal] of goals) console.log(`| ${name} | ${value} | ${goal} | ${met ? 'yes' : '**no**'} |`);
  return { size, groups, cold, browser, goals };
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
