// Launches Debian's chromium through playwright-core (tools that download their
// own browser do not work on our machines) and the demo server on a free port.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemo as startShop } from '../../www/server.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'],
  });
}

/** The demo shop with its own sandbox and data in a temporary folder. */
export async function startDemo() {
  const dataDir = mkdtempSync(join(tmpdir(), 'billpay-demo-'));
  const demo = await startShop({ dataDir, control: true, endpoint: '' });
  return {
    ...demo,
    close: async () => {
      await demo.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Collects console errors and CSP violations of a page. */
export function watch(page) {
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(msg.text());
  });
  page.on('pageerror', (error) => problems.push(String(error)));
  return problems;
}
