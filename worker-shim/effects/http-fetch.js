// http.fetch: an outbound HTTP request with a timeout. The body is read as text.
import { effectError } from './index.js';

export async function fetchEffect(args) {
  const init = { method: args.method ?? 'GET', headers: args.headers ?? [], redirect: 'manual' };
  if (args.body !== undefined && args.body !== '' && init.method !== 'GET' && init.method !== 'HEAD') {
    init.body = args.body;
  }
  const timeoutMs = args.timeoutMs ?? 15000;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  init.signal = controller.signal;
  try {
    const res = await fetch(args.url, init);
    const body = await res.text();
    return { status: res.status, headers: [...res.headers], body };
  } catch (err) {
    if (controller.signal.aborted) throw effectError('timeout', `no answer within ${timeoutMs} ms`);
    throw effectError('network', String(err?.message ?? err));
  } finally {
    clearTimeout(timer);
  }
}
