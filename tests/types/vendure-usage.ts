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
