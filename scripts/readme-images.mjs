// Makes the README's pictures of the scannable codes from the demo shop in
// headless Chromium (after `npm run build`):
//   docs/img/qr-bill.png    the Swiss demo invoice (A4) with the QR-bill at its foot
//   docs/img/epc-block.png  the German payment block with its EPC QR code
//   sandbox/docs/back-office-order.png  the sandbox back-office's page of demo order 5002
//   sandbox/docs/back-office-debit.png  the facts of the direct-debit demo order 5003
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
  // The back-office at the scale and size of a laptop screen: the top of an order's page.
  const office = await browser.newPage({ deviceScaleFactor: 1, viewport: { width: 1200, height: 1400 } });
  const { order } = await demo.sandbox.order('5002');
  await office.goto(`${demo.sandbox.base}/control/login?mid=4441&next=/admin/orders/${order.id}`);
  await office.locator('h1').waitFor();
  await office.screenshot({ path: new URL('../sandbox/docs/back-office-order.png', import.meta.url).pathname });
  const debit = (await demo.sandbox.order('5003')).order;
  await office.goto(`${demo.sandbox.base}/admin/orders/${debit.id}`);
  await office.locator('.grid').first().screenshot({ path: new URL('../sandbox/docs/back-office-debit.png', import.meta.url).pathname });
} finally {
  await browser.close();
  await demo.close();
}
