// Reads a byte stream as UTF-8 text, but never more than `maxBytes` of it: the bytes are
// counted as they arrive and the stream is cancelled as soon as the count passes the
// limit, so an endless or oversized body costs at most one chunk beyond the limit.
// Answers the text, or null when the body is larger than `maxBytes`.
export async function readCapped(stream, maxBytes) {
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
      reader.cancel().catch(() => {});
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
