import { readFileSync } from 'node:fs';
const payload = 'BCD\n002\n1\nSCT\nBELADEBEXXX\nBillPay GmbH\nDE53100500000740123456\nEUR1234.5\n\n\nBP1001/4441';
for (const f of ['use_qrcodegen', 'use_qrcode', 'use_fastqr', 'use_billpay']) {
  const m = await import(new URL(`./target/out-${f}/m.js`, import.meta.url));
  m.initSync({ module: readFileSync(new URL(`./target/out-${f}/m_bg.wasm`, import.meta.url)) });
  const res = [];
  for (let r = 0; r < 3; r++) {
    const t = performance.now(); let n = 0;
    while (performance.now() - t < 1000) { m.epc_svg(payload); n++; }
    res.push(n * 1000 / (performance.now() - t));
  }
  res.sort((a, b) => a - b);
  console.log(f, Math.round(res[1]), 'ops/s (wasm, opt-level z)');
}
