// Compiled by `tsc --noEmit` in `npm test`: the published types accept the
// documented usage and refuse the mistakes they are there to catch.
import init, { renderPaymentBlock, checkIban, BillPayError, type PaymentBlock, type ErrorCode } from 'billpay-wasm';
import nodeInit, { paymentReference } from 'billpay-wasm/node';
import type { BillPayPaymentBlockElement, BillPayOrderPanelElement } from 'billpay-wasm/elements';

export async function example(): Promise<string> {
  await init();
  const block: PaymentBlock = {
    method: 'invoice',
    amount: '1234.50',
    currency: 'EUR',
    bankAccount: {
      accountHolder: 'BillPay GmbH',
      iban: 'DE89370400440532013000',
      bic: 'COBADEFFXXX',
      bankName: 'Commerzbank',
      invoiceReference: paymentReference('1234567', 4441),
      activated: false,
    },
  };
  const check = checkIban('DE89 3704 0044 0532 0130 00');
  // The checks take what a form holds (string, File or null) as they are.
  const form = new FormData();
  checkIban(form.get('iban')).valid satisfies boolean;
  // Browser-style code runs unchanged against the Node entry.
  await nodeInit(new Uint8Array(0));
  if (check.valid) check.formatted.toUpperCase();
  else check.code satisfies ErrorCode;
  try {
    return renderPaymentBlock(block, { locale: 'de', format: 'text' });
  } catch (error) {
    if (error instanceof BillPayError) return error.code;
    throw error;
  }
}

export function element(el: BillPayPaymentBlockElement, block: PaymentBlock): void {
  el.block = block;
  el.locale = 'fr';
  el.addEventListener('billpay-error', (event) => console.log(event.detail.code, event.detail.path));
  // Cleared as frameworks unbind; the getters still give null, never undefined.
  el.locale = undefined;
  el.block = undefined;
  const cleared: PaymentBlock | null = el.block;
  // @ts-expect-error not a locale
  el.locale = 'es';
  console.log(cleared);
}

export function unbound(panel: BillPayOrderPanelElement): void {
  panel.order = undefined;
  panel.client = null;
  const order: Order | null = panel.order;
  console.log(order);
}

// Each event's detail is typed from the element's event map.
export function panelEvents(panel: BillPayOrderPanelElement): void {
  panel.addEventListener('billpay-activated', (event) => console.log(event.detail.bankAccount.iban));
  panel.addEventListener('billpay-contact', (event) => console.log(event.detail.href.startsWith('mailto:')));
  panel.addEventListener('click', (event) => console.log(event.clientX));
  // @ts-expect-error a cancel carries no bank account
  panel.addEventListener('billpay-cancelled', (event) => console.log(event.detail.bankAccount));
}

// @ts-expect-error money is never a number
export const wrongAmount: PaymentBlock = { method: 'invoice', amount: 12.5, currency: 'EUR' };
// @ts-expect-error unknown currency
export const wrongCurrency: PaymentBlock = { method: 'invoice', amount: '1.00', currency: 'USD' };

import { BillPayClient, createRelay, planReturn, type Order } from 'billpay-wasm/node';

export async function admin(order: Order): Promise<Order> {
  const client = new BillPayClient({ endpoint: 'https://shop.example/billpay' });
  const plan = planReturn(order, [{ articleId: 'a', quantity: 1 }], { shippingCredit: '4.90' });
  const account = await client.activate({ reference: order.reference, amount: plan.after, currency: order.currency, delayDays: 2 });
  account.dueDate?.slice(0, 4);
  createRelay({ upstream: 'https://api.billpay.de/xml', merchantId: 1, portalId: 2, securityKey: 'k' });
  createRelay({ upstream: 'https://api.billpay.de/xml', merchantId: 1, portalId: 2, securityKey: 'k', allowOrigins: ['https://admin.shop.example'], allowHosts: ['shop.example'], authorize: (req) => req.headers.cookie === 'admin=1' });
  return client.apply(order, plan);
}

// Checkout by direct debit: the answer's paymentType is the block's method.
import { renderPaymentBlock as render, type Cart, type Customer } from 'billpay-wasm/node';

export async function checkout(customer: Customer, cart: Cart, amount: string): Promise<string> {
  const client = new BillPayClient({ endpoint: 'https://api.billpay.de/xml', merchantId: 1, portalId: 2, securityKey: 'k' });
  const result = await client.preauthorize({
    reference: '1001',
    currency: 'EUR',
    customer,
    cart,
    paymentType: 'directDebit',
    debitAccount: { accountHolder: 'Erika Mustermann', iban: 'DE89370400440532013000' },
  });
  return render({ method: result.paymentType, amount, currency: 'EUR', bankAccount: result.bankAccount });
}

export async function wrongDebit(customer: Customer, cart: Cart) {
  const client = new BillPayClient({ endpoint: 'https://api.billpay.de/xml' });
  // @ts-expect-error PayLater is not offered at checkout
  await client.preauthorize({ reference: '1', currency: 'EUR', customer, cart, paymentType: 'paylater' });
  // @ts-expect-error a debit account has an IBAN
  await client.preauthorize({ reference: '1', currency: 'EUR', customer, cart, paymentType: 'directDebit', debitAccount: { accountHolder: 'E' } });
}

// Two-step flow: an invoice's capture gives the account to print, a direct debit's nothing.
import type { BankAccount as Account } from 'billpay-wasm/node';

export async function captures(bptid: string): Promise<string> {
  const client = new BillPayClient({ endpoint: 'https://shop.example/billpay' });
  const account = await client.capture({ bptid, reference: '1001', amount: '119.00', currency: 'EUR' });
  const debit: undefined = await client.capture({ bptid, reference: '1002', amount: '119.00', currency: 'EUR', paymentType: 'directDebit' });
  // @ts-expect-error a direct debit's capture has no account
  const none: Account = await client.capture({ bptid, reference: '1003', amount: '1.00', currency: 'EUR', paymentType: 'directDebit' });
  // The preauthorization's paymentType, known at run time: either.
  const preauthorized = await client.preauthorize({ reference: '1004', currency: 'EUR', customer: { firstName: 'Erika', lastName: 'Mustermann', street: 'Heidestraße 17', zip: '51147', city: 'Köln', country: 'DE', email: 'erika@example.com' }, cart: { articles: [], shipping: { net: '0', gross: '0' }, rebate: { net: '0', gross: '0' } } });
  const either = await client.capture({ bptid, reference: '1004', amount: '1.00', currency: 'EUR', paymentType: preauthorized.paymentType });
  // @ts-expect-error it may be a debit's: no account
  const unchecked: Account = either;
  return account.iban + String(debit) + String(none) + String(unchecked) + (either?.iban ?? '');
}

// Scannable codes.
import { epcPayload, swissQrPayload, renderSwissQrBill, type Creditor } from 'billpay-wasm';
import * as storefront from 'billpay-wasm/storefront';

export function codes(block: PaymentBlock): string[] {
  const creditor: Creditor = { name: 'BillPay GmbH', postalCode: '8105', town: 'Regensdorf', country: 'CH' };
  return [
    epcPayload(block),
    swissQrPayload(block),
    swissQrPayload(block, creditor),
    renderSwissQrBill(block, undefined, { locale: 'it' }),
    storefront.renderSwissQrBill(block, creditor),
  ];
}

// @ts-expect-error a creditor has a town
export const noTown: Creditor = { name: 'BillPay GmbH', postalCode: '8105', country: 'CH' };

// Figures of admin pages, as the block writes them: currency and language are checked types.
import { formatAmount, formatDate } from 'billpay-wasm/node';
export const shownAmount: string = formatAmount('1234.50', 'EUR', 'de');
export const shownDate: string = formatDate('2026-12-28', 'en');
// @ts-expect-error BillPay settles in EUR or CHF
formatAmount('1.00', 'USD', 'de');
// @ts-expect-error one of BillPay's five languages
formatDate('2026-12-28', 'es');

// Optional fields take `undefined` (left out), as the runtime does: a
// preauthorization's `bankAccount` or an order's locale passed straight on,
// under exactOptionalPropertyTypes (tsconfig.json).
import type { BankAccount as OptionalAccount, Locale as OptionalLocale } from 'billpay-wasm';
import { renderPaymentBlock as renderOptional } from 'billpay-wasm';
export function passedOn(result: { bankAccount?: OptionalAccount }, order: { locale?: OptionalLocale }): string {
  return renderOptional({ method: 'invoice', amount: '1.00', currency: 'EUR', bankAccount: result.bankAccount }, { locale: order.locale });
}
