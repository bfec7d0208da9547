import type { ErrorCode } from './core.js';

export declare class BillPayError extends Error {
  constructor(
    code: ErrorCode | string,
    message: string,
    details?: { path?: string; apiCode?: number; customerMessage?: string; merchantMessage?: string; retryable?: boolean; cause?: unknown },
  );
  readonly name: 'BillPayError';
  /** Stable machine-readable code. */
  readonly code: ErrorCode | string;
  /** Path of the offending field, e.g. `bankAccount.iban`. */
  readonly path?: string;
  /** BillPay's numeric `error_code`, for API errors. */
  readonly apiCode?: number;
  /** May be shown to shoppers. */
  readonly customerMessage?: string;
  /** For admins and logs only; never show it to shoppers. */
  readonly merchantMessage?: string;
  /** True when repeating the same call may succeed. */
  readonly retryable: boolean;
}
