// The one network call of the client, used from Rust (src/wasm/fetch.rs).
// Resolves to { status, body } or, without an answer, to { failure }:
// "timeout" or "network: …". Never rejects.

// BillPay's answers are a few KB. The body is read no further than one byte
// past protocol.rs's MAX_DOCUMENT (1 MiB), which then refuses it as too
// large: what is read here is copied into wasm memory, which never shrinks.
const MAX_ANSWER_BYTES = 1024 * 1024;

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
    return { status: response.status, body: await readBody(response, controller.signal) };
  } catch (error) {
    return { failure: controller.signal.aborted ? 'timeout' : `network: ${error?.cause?.code ?? error?.message ?? String(error)}` };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The body as text (UTF-8, like response.text()), cut one byte past
 * MAX_ANSWER_BYTES. Each read races the signal: in Node 20, after a few
 * aborted reads, an abort no longer ends a body that stalls.
 */
async function readBody(response, signal) {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const aborted = new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
  aborted.catch(() => {});
  const decoder = new TextDecoder();
  let text = '';
  let room = MAX_ANSWER_BYTES + 1;
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), aborted]);
      if (done) return text + decoder.decode();
      if (value.byteLength >= room) {
        reader.cancel().catch(() => {});
        // Still longer than the limit in UTF-8: a broken sequence at the
        // cut becomes U+FFFD, three bytes.
        return text + decoder.decode(value.subarray(0, room));
      }
      room -= value.byteLength;
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    throw error;
  }
}
