// Reads a byte stream as UTF-8 text, but never more than `maxBytes` of it: the bytes are
// counted as they arrive and reading stops as soon as the count passes the limit, so an
// endless or oversized body costs at most one chunk beyond the limit. Answers the text, or
// null when the body is larger than `maxBytes`.
//
// `cancel` says what happens to the rest: an answer the Worker fetched is cancelled (the
// connection to that server closes, nothing more is downloaded); a request body is only
// left unread, because cancelling it aborts the client's connection in workerd before the
// 413 reaches the client, and the runtime discards what is left once the answer is sent.
export async function readCapped(stream, maxBytes, { cancel = true } = {}) {
  if (!stream) return '';
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let total = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      if (cancel) reader.cancel().catch(() => {});
      else reader.releaseLock();
      return null;
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

// The Content-Length a message declares, or null when it has none (or an unreadable one:
// the streamed count decides then).
export function declaredLength(headers) {
  const value = headers.get('content-length');
  if (value === null || !/^\d+$/.test(value.trim())) return null;
  return Number(value.trim());
}
