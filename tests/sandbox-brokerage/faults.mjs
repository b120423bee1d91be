// Fault injection for tests: the next N requests matching a broker and a path
// substring fail in a chosen way (429 with Retry-After, 500, 401, a hang,
// truncated JSON, or a failing refresh-token grant) or are answered normally
// after a delay.

import { schwabError } from './schwab/errors.mjs';
import { ttStatusError } from './tastytrade/errors.mjs';

export const FAULT_MODES = [
  '429',
  '500',
  '401',
  'timeout',
  'malformed',
  'expired_refresh',
  'delay',
];

export const MAX_DELAY_MS = 120_000;

/** Validates and normalises a fault spec; returns {fault} or {error}. */
export function normalizeFault(spec) {
  if (!spec || typeof spec !== 'object') return { error: 'fault must be an object' };
  const broker = spec.broker ?? '*';
  if (!['schwab', 'tastytrade', '*'].includes(broker))
    return { error: 'broker must be "schwab", "tastytrade" or "*"' };
  const mode = String(spec.mode ?? '');
  if (!FAULT_MODES.includes(mode))
    return { error: `mode must be one of ${FAULT_MODES.join(', ')}` };
  const count = spec.count === undefined ? 1 : Number(spec.count);
  if (!Number.isInteger(count) || count < 1) return { error: 'count must be a positive integer' };
  const path = spec.path === undefined ? '*' : String(spec.path);
  const method = spec.method ? String(spec.method).toUpperCase() : null;
  const retryAfter = spec.retryAfter === undefined ? 1 : Number(spec.retryAfter);
  const timeoutMs = spec.timeoutMs === undefined ? 30_000 : Number(spec.timeoutMs);
  const delayMs = spec.delayMs === undefined ? 3000 : spec.delayMs;
  if (!Number.isInteger(delayMs) || delayMs < 0 || delayMs > MAX_DELAY_MS) {
    return { error: `delayMs must be an integer from 0 to ${MAX_DELAY_MS}` };
  }
  return {
    fault: {
      broker,
      path,
      mode,
      count,
      remaining: count,
      method,
      retryAfter,
      timeoutMs,
      delayMs,
      triggered: 0,
    },
  };
}

/**
 * Finds the first fault matching a request and consumes one use of it.
 * `expired_refresh` faults only match refresh-token grants.
 */
export function takeFault(state, { broker, path, method, grantType }) {
  for (const f of state.faults) {
    if (f.remaining <= 0) continue;
    if (f.broker !== '*' && f.broker !== broker) continue;
    if (f.method && f.method !== method) continue;
    if (f.path !== '*' && !path.includes(f.path)) continue;
    if (f.mode === 'expired_refresh' && grantType !== 'refresh_token') continue;
    f.remaining--;
    f.triggered++;
    state.stats.faultsInjected++;
    if (f.remaining === 0) state.faults = state.faults.filter((x) => x !== f);
    return f;
  }
  return null;
}

export function faultError(broker, path, status, message, headers = {}) {
  return broker === 'schwab'
    ? schwabError(path, status, message, headers)
    : ttStatusError(status, message, headers);
}

/** Cuts a JSON body short so it no longer parses. */
export function truncateBody(response) {
  const body = String(response.body || '');
  const cut =
    body.length > 8 ? body.slice(0, Math.max(1, Math.floor(body.length / 2))) : '{"data":{"ite';
  return { status: 200, headers: { 'content-type': 'application/json' }, body: cut };
}
