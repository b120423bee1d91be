// tastytrade wire conventions: {data, context} envelopes, {data: {items}}
// lists with top-level pagination, kebab-case keys, string decimals with
// "*-effect" siblings, and ISO timestamps with '+00:00'.

import { json } from '../http-util.mjs';

/** A decimal as tastytrade writes it: '100.0', '0.41', '51600.762'. */
export function dec(x, places = 4) {
  if (x === null || x === undefined || Number.isNaN(x)) return null;
  const v = Math.round(Number(x) * 10 ** places) / 10 ** places;
  if (Object.is(v, -0) || v === 0) return '0.0';
  let s = v.toFixed(places).replace(/0+$/, '');
  if (s.endsWith('.')) s += '0';
  return s;
}

/** 'Debit' | 'Credit' | 'None' for a signed cash amount (negative = money out). */
export function effect(x) {
  if (!x || Math.abs(x) < 1e-9) return 'None';
  return x < 0 ? 'Debit' : 'Credit';
}

/** Adds `key` (absolute value as a string) and `key-effect` for a signed amount. */
export function withEffect(obj, key, signed, places = 4) {
  obj[key] = dec(Math.abs(signed), places);
  obj[`${key}-effect`] = effect(signed);
  return obj;
}

export function ttTime(ms) {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}

export function ttTimeZ(ms) {
  return new Date(ms).toISOString();
}

export function ok(data, context, status = 200) {
  return json(status, { data, context });
}

export function okItems(items, context, pagination) {
  const body = { data: { items }, context };
  if (pagination) body.pagination = pagination;
  return json(200, body);
}

/** Applies per-page/page-offset paging; returns {items, pagination}. */
export function paginate(all, query, defaultPerPage = 250, maxPerPage = 2000) {
  const perPage = Math.min(
    maxPerPage,
    Math.max(1, Number(query.get('per-page')) || defaultPerPage),
  );
  const pageOffset = Math.max(0, Number(query.get('page-offset')) || 0);
  const start = pageOffset * perPage;
  const items = all.slice(start, start + perPage);
  const totalPages = Math.max(1, Math.ceil(all.length / perPage));
  return {
    items,
    pagination: {
      'per-page': perPage,
      'page-offset': pageOffset,
      'item-offset': start,
      'total-items': all.length,
      'total-pages': totalPages,
      'current-item-count': items.length,
      'previous-link': null,
      'next-link': null,
      'paging-link-template': null,
    },
  };
}

export function instrumentType(desc) {
  if (desc.kind === 'option') return 'Equity Option';
  if (desc.inst && desc.inst.kind === 'index') return 'Index';
  return 'Equity';
}

export const EXPIRATION_TYPES = { S: 'Regular', W: 'Weekly', Q: 'Quarterly', M: 'End-Of-Month' };
