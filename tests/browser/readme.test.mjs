// Runs the README's storefront example in Chromium against the demo shop, with
// an import map standing in for the shop's bundler.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launch, startDemo, watch } from './chromium.mjs';

let browser;
let demo;
before(async () => {
  demo = await startDemo();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await demo?.close();
});

test('the README storefront example renders the payment block', async () => {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const example = readme.split('<!-- storefront-example')[1]?.split('```js\n')[1]?.split('```')[0];
  assert.ok(example, 'README has the storefront example');
  const page = await browser.newPage();
  const problems = watch(page);
  await page.route('**/readme.html', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: '<!doctype html><meta charset="utf-8"><script type="importmap">{"imports":{"billpay-wasm":"/pkg/index.js"}}</script><div id="billpay"></div><script type="module" src="/readme-example.js"></script>',
    }),
  );
  await page.route('**/readme-example.js', (route) => route.fulfill({ contentType: 'text/javascript', body: example }));
  await page.goto(`${demo.base}/readme.html`);
  await page.locator('#billpay section.billpay-payment').waitFor();
  assert.match(await page.locator('#billpay').innerText(), /BP1001\/4441/);
  assert.deepEqual(problems, []);
  await page.close();
});
