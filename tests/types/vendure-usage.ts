// The Vendure entry's types as a shop's vendure-config.ts uses them.
import type { VendureConfig } from '@vendure/core';
import { BillPayPlugin, billpayPaymentHandler, billpayEligibilityChecker, type BillPayPaymentInput } from 'billpay-wasm/vendure';

export const plugins: VendureConfig['plugins'] = [BillPayPlugin.init({ settleOnShipment: true })];
export const codes: string[] = [billpayPaymentHandler.code, billpayEligibilityChecker.code];
export const metadata: BillPayPaymentInput = { termsAccepted: true, birthday: '1985-09-11' };

// @ts-expect-error consent is `true`, not any boolean
export const noConsent: BillPayPaymentInput = { termsAccepted: false };
// @ts-expect-error the option is a boolean
BillPayPlugin.init({ settleOnShipment: 'yes' });
