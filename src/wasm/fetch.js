// The one network call of the client, used from Rust (src/wasm/fetch.rs).
// Resolves to { status, body } (body: the answer's bytes, which Rust reads
// as its XML declaration says) or, without an answer, to { failure }:
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
      // Not followed (the request would go where the answer says), but seen:
      // Rust names a redirect (a browser shows it as status 0).
      redirect: 'manual',
    });
    return { status: response.status, body: await readBody(response, controller.signal) };
  } catch (error) {
    return { failure: controller.signal.aborted ? 'timeout' : `network: ${error?.cause?.code ?? error?.message ?? String(error)}` };
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves after `ms` milliseconds (the client's wait between attempts). */
export function billpayPause(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The body's bytes, cut one byte past MAX_ANSWER_BYTES. Each read races the
 * signal: in Node 20, after a few aborted reads, an abort no longer ends a
 * body that stalls.
 */
async function readBody(response, signal) {
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const aborted = new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
  aborted.catch(() => {});
  const chunks = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), aborted]);
      if (done) break;
      const room = MAX_ANSWER_BYTES + 1 - size;
      if (value.byteLength >= room) {
        reader.cancel().catch(() => {});
        chunks.push(value.subarray(0, room));
        size += room;
        break;
      }
      chunks.push(value);
      size += value.byteLength;
    }
  } catch (error) {
    reader.cancel().catch(() => {});
    throw error;
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}
