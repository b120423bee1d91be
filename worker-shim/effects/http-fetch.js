// http.fetch: an outbound HTTP request with a timeout. The body is read as text, at most
// `maxBytes` of it (the core names the cap for each request: bindings/ABI.md "Limits"); a
// larger answer fails with `too_large` as soon as its Content-Length or the streamed count
// shows it, and the rest is never read.
import { effectError } from './index.js';
import { declaredLength, readCapped } from '../read-capped.js';

export async function fetchEffect(args) {
  const maxBytes = args.maxBytes;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    throw effectError(
      'binding',
      'http.fetch needs maxBytes, the most the core will read (bindings/ABI.md)',
    );
  }
  const init = { method: args.method ?? 'GET', headers: args.headers ?? [], redirect: 'manual' };
  if (
    args.body !== undefined &&
    args.body !== '' &&
    init.method !== 'GET' &&
    init.method !== 'HEAD'
  ) {
    init.body = args.body;
  }
  const timeoutMs = args.timeoutMs ?? 15000;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  init.signal = controller.signal;
  const tooLarge = () =>
    effectError('too_large', `the response body is larger than ${maxBytes} bytes`);
  try {
    const res = await fetch(args.url, init);
    const declared = declaredLength(res.headers);
    if (declared !== null && declared > maxBytes) {
      res.body?.cancel().catch(() => {});
      throw tooLarge();
    }
    const body = await readCapped(res.body, maxBytes);
    if (body === null) throw tooLarge();
    return { status: res.status, headers: [...res.headers], body };
  } catch (err) {
    if (err?.effectCode) throw err;
    if (controller.signal.aborted) throw effectError('timeout', `no answer within ${timeoutMs} ms`);
    throw effectError('network', String(err?.message ?? err));
  } finally {
    clearTimeout(timer);
  }
}
