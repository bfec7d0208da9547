// formatAmount and formatDate: the figures of admin pages (the order panel)
// written as the payment block writes them, in both full-module entries. The
// block itself is the oracle: whatever it prints for an amount and a due date
// in a language, the functions give back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as node from 'billpay-wasm/node';
import init, * as web from 'billpay-wasm';

const require = createRequire(import.meta.url);
const ready = readFile(require.resolve('billpay-wasm/package.json').replace(/package\.json$/, 'pkg/generated/full/billpay_full_bg.wasm')).then((bytes) => init(bytes));

const LOCALES = ['de', 'en', 'fr', 'it', 'nl'];
const AMOUNTS = ['0.01', '0.5', '7', '999.99', '1000', '1234.50', '1234567.89', '99999999.99'];
const DATES = ['2026-01-02', '2026-12-28', '2027-02-28', '2028-02-29', '2030-10-09'];

function blockOf(amount, currency, dueDate) {
  const account = currency === 'CHF'
    ? { accountHolder: 'BillPay GmbH', iban: 'CH9300762011623852957', bic: 'POFICHBEXXX', bankName: 'PostFinance' }
    : { accountHolder: 'BillPay GmbH', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', bankName: 'Commerzbank' };
  return { method: 'invoice', amount, currency, bankAccount: { ...account, invoiceReference: 'BP1001/4441', dueDate, activated: true } };
}

for (const [name, api] of [['billpay-wasm/node', node], ['billpay-wasm', web]]) {
  test(`${name}: every amount and date as the payment block prints it, in every language`, async () => {
    await ready;
    for (const locale of LOCALES) {
      for (const currency of ['EUR', 'CHF']) {
        for (const amount of AMOUNTS) {
          const text = api.renderPaymentBlock(blockOf(amount, currency, '2026-12-28'), { locale, format: 'text', qr: 'none' });
          const formatted = api.formatAmount(amount, currency, locale);
          assert.ok(text.includes(formatted), `${locale} ${currency} ${amount}: ${JSON.stringify(formatted)} not in\n${text}`);
        }
      }
      for (const date of DATES) {
        const text = api.renderPaymentBlock(blockOf('10.00', 'EUR', date), { locale, format: 'text', qr: 'none' });
        const formatted = api.formatDate(date, locale);
        assert.ok(text.includes(formatted), `${locale} ${date}: ${JSON.stringify(formatted)} not in\n${text}`);
      }
    }
  });

  test(`${name}: the words of each language`, async () => {
    await ready;
    assert.equal(api.formatAmount('1234.5', 'EUR', 'de'), '1.234,50\u00a0EUR');
    assert.equal(api.formatAmount('1234.5', 'EUR', 'en'), 'EUR\u00a01,234.50');
    assert.equal(api.formatAmount('1234.5', 'EUR', 'fr'), '1\u00a0234,50\u00a0EUR');
    assert.equal(api.formatAmount('1234.5', 'CHF', 'fr'), 'CHF\u00a01\u2019234.50');
    assert.equal(api.formatAmount('0.5', 'EUR', 'it'), '0,50\u00a0EUR');
    assert.equal(api.formatDate('2026-03-04', 'en'), '4 March 2026');
    assert.equal(api.formatDate('2026-03-04', 'nl'), '04-03-2026');
    assert.equal(api.formatDate('2026-03-04', 'de'), '04.03.2026');
  });

  test(`${name}: what is no amount, date, currency or language is refused with its path`, async () => {
    await ready;
    const refused = (call, code, path) => assert.throws(call, (error) => error instanceof api.BillPayError && error.code === code && error.path === path, `${code} ${path}`);
    refused(() => api.formatAmount('1,50', 'EUR', 'de'), 'INVALID_AMOUNT', 'amount');
    refused(() => api.formatAmount(1.5, 'EUR', 'de'), 'INVALID_TYPE', 'amount');
    refused(() => api.formatAmount('-1.00', 'EUR', 'de'), 'NEGATIVE_AMOUNT', 'amount');
    refused(() => api.formatAmount('1.00', 'USD', 'de'), 'UNSUPPORTED_CURRENCY', 'currency');
    refused(() => api.formatAmount('1.00', 'EUR', 'es'), 'UNSUPPORTED_LOCALE', 'locale');
    refused(() => api.formatAmount('1.00', 'EUR'), 'INVALID_TYPE', 'locale');
    refused(() => api.formatDate('2026-02-30', 'de'), 'INVALID_DATE', 'date');
    refused(() => api.formatDate('28.12.2026', 'de'), 'INVALID_DATE', 'date');
    refused(() => api.formatDate('2026-02-03', 'xx'), 'UNSUPPORTED_LOCALE', 'locale');
  });
}
