export {
  BillPayError,
  paymentReference,
  findPaymentReference,
  checkIban,
  checkBic,
  renderPaymentBlock,
  renderCheckoutNotice,
  errorCodes,
  epcPayload,
  swissQrPayload,
  renderSwissQrBill,
} from './core.js';
export type * from './core.js';
export type { InitInput } from './index.js';
import type { InitInput } from './index.js';

/** Instantiates the storefront module (fetches it next to the package's JS without an argument). */
export declare function init(input?: InitInput): Promise<void>;
export default init;
