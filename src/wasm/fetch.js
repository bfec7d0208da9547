// The one network call of the client, used from Rust (src/wasm/fetch.rs).
// Resolves to { status, body } or, without an answer, to { failure }:
// "timeout" or "network: …". Never rejects.
export async function billpayPost(url, body, timeoutMs) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/xml; charset=utf-8' },
      body,
      signal: controller.signal,
      // Credentials (cookies) are the relay's business, not BillPay's.
      credentials: 'same-origin',
      redirect: 'error',
    });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    return { failure: controller.signal.aborted ? 'timeout' : `network: ${error?.cause?.code ?? error?.message ?? String(error)}` };
  } finally {
    clearTimeout(timer);
  }
}
