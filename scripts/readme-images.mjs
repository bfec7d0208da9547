// Makes the README's pictures of the scannable codes from the demo shop in
// headless Chromium (after `npm run build`):
//   docs/img/qr-bill.png    the Swiss demo invoice (A4) with the QR-bill at its foot
//   docs/img/epc-block.png  the German payment block with its EPC QR code
//
//   node scripts/readme-images.mjs
import { launch, startDemo } from '../tests/browser/chromium.mjs';

const demo = await startDemo();
const browser = await launch();
try {
  const page = await browser.newPage({ deviceScaleFactor: 1, viewport: { width: 900, height: 1300 } });
  await page.goto(`${demo.base}/invoice.html?order=1004`);
  await page.locator('#qr-bill svg.billpay-qr-bill').waitFor();
  await page.locator('#invoice').screenshot({ path: new URL('../docs/img/qr-bill.png', import.meta.url).pathname });
  await page.goto(`${demo.base}/invoice.html?order=1001`);
  await page.locator('billpay-payment-block figure').waitFor();
  await page.locator('billpay-payment-block section').screenshot({ path: new URL('../docs/img/epc-block.png', import.meta.url).pathname });
} finally {
  await browser.close();
  await demo.close();
}
