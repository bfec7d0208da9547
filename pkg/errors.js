// BillPayError: the one error type of the package, a real Error with a stable `code`.

export class BillPayError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {{ path?: string, apiCode?: number, customerMessage?: string, merchantMessage?: string, retryable?: boolean, cause?: unknown }} [details]
   */
  constructor(code, message, details = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'BillPayError';
    this.code = code;
    if (details.path !== undefined) this.path = details.path;
    if (details.apiCode !== undefined) this.apiCode = details.apiCode;
    if (details.customerMessage !== undefined) this.customerMessage = details.customerMessage;
    if (details.merchantMessage !== undefined) this.merchantMessage = details.merchantMessage;
    this.retryable = details.retryable ?? false;
  }
}

/** Turns what the wasm side threw (a JSON string) into a BillPayError; rethrows anything else. */
export function fromWasm(thrown) {
  if (typeof thrown === 'string' && thrown.startsWith('{')) {
    let data;
    try {
      data = JSON.parse(thrown);
    } catch {
      return new BillPayError('INVALID_INPUT', thrown);
    }
    return new BillPayError(data.code, data.message, data);
  }
  return thrown;
}
