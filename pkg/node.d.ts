export * from './api/full.js';

/** Already initialised on import; provided so browser-style code runs unchanged. */
export declare function init(input?: unknown): Promise<void>;
export default init;

export interface RelayConfig {
  /** BillPay's base URL (https://api.billpay.de/xml, the test URL, or the sandbox on loopback). */
  upstream: string;
  merchantId: number;
  portalId: number;
  securityKey: string;
  /** Services forwarded; default invoiceCreated, cancel, editCartContent, getBillPayBankData. */
  allow?: string[];
  /** Default 65536. */
  maxBodyBytes?: number;
  /** For the whole exchange, reading the request body included. Default 20000 (below the client's 25000). */
  timeoutMs?: number;
  /**
   * The relay acts with the merchant's key: mount it behind the shop's admin login, or decide
   * here (e.g. check the session cookie). false answers 403 NOT_AUTHORIZED. Default: allow.
   */
  authorize?: (req: import('node:http').IncomingMessage) => boolean | Promise<boolean>;
  /** Origins besides the relay's own host that may call it (e.g. behind a proxy that rewrites Host). */
  allowOrigins?: string[];
  /**
   * Host names the relay answers under ("shop.example" for any port, "shop.example:8443" for one);
   * others get 421 UNKNOWN_HOST. Default: any, except that a request reaching a loopback socket must
   * name localhost or an IP address (a foreign name there is DNS rebinding). Set it when a proxy on
   * the same machine forwards the shop's own Host.
   */
  allowHosts?: string[];
  /** Where merchant messages and failures are logged; default console.warn. */
  log?: (line: string) => void;
}

/** A handler for node:http (req, res) and express-style middleware (req, res, next). */
export declare function createRelay(
  config: RelayConfig,
): (req: import('node:http').IncomingMessage & { body?: unknown }, res: import('node:http').ServerResponse, next?: (error?: unknown) => void) => Promise<void>;
