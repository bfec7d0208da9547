// The Vendure entry's types as a shop's vendure-config.ts uses them.
import type { VendureConfig } from '@vendure/core';
import { BillPayPlugin, billpayPaymentHandler, billpayEligibilityChecker, billpayDeadlineTask, noteActivationDeadlines, type BillPayPaymentInput } from 'billpay-wasm/vendure';
import type { OrderService, RequestContext, TransactionalConnection } from '@vendure/core';

export const plugins: VendureConfig['plugins'] = [BillPayPlugin.init({ settleOnShipment: true })];
export const codes: string[] = [billpayPaymentHandler.code, billpayEligibilityChecker.code];
export const metadata: BillPayPaymentInput = { termsAccepted: true, birthday: '1985-09-11' };

// @ts-expect-error consent is `true`, not any boolean
export const noConsent: BillPayPaymentInput = { termsAccepted: false };
// @ts-expect-error the option is a boolean
BillPayPlugin.init({ settleOnShipment: 'yes' });

// The deadline task, e.g. run by hand from a shop's own job.
export const taskId: string | undefined = billpayDeadlineTask?.id;
export async function deadlines(connection: TransactionalConnection, orders: OrderService, ctx: RequestContext): Promise<number> {
  return noteActivationDeadlines(connection, orders, ctx, '2027-01-15');
}

// Vendure's own type where it has one (3.3 and later): a task its scheduler takes.
import type { ScheduledTask } from '@vendure/core';
export const task: ScheduledTask | undefined = billpayDeadlineTask;

// Order e-mails: a Vendure Order entity goes in, the template's variables and attachments come out.
import { billpayEmail, isBillPayOrder } from 'billpay-wasm/vendure';
import type { Order } from '@vendure/core';
export function emailParts(ctx: RequestContext, order: Order) {
  if (!isBillPayOrder(order)) return undefined;
  const email = billpayEmail(ctx, order, { locale: 'fr', cid: 'qr@shop.example' });
  const attachments: { filename: string; path: string; cid: string }[] = email?.attachments ?? [];
  return { html: email?.html, amount: email?.block.amount, attachments };
}
// @ts-expect-error locales are BillPay's five
billpayEmail({} as RequestContext, {} as Order, { locale: 'es' });
