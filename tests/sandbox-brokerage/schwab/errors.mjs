// Schwab's error bodies. Trader API: {message, errors: [string]}; Market Data
// API: {errors: [{id, status, title, detail, source?}]}; OAuth: {error,
// error_description}. Every Schwab response carries Schwab-Client-CorrelId.

import { randomUUID } from 'node:crypto';
import { json } from '../http-util.mjs';

export function correlHeaders(extra = {}) {
  return { 'schwab-client-correlid': randomUUID(), ...extra };
}

const TITLES = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function traderError(status, message, errors = [message], headers = {}) {
  return json(status, { message, errors }, correlHeaders(headers));
}

export function marketError(status, detail, source, headers = {}) {
  const err = {
    id: randomUUID(),
    // The published examples use a string for 400 and a number for the others.
    status: status === 400 ? '400' : status,
    title: TITLES[status] || 'Error',
    detail,
  };
  if (source) err.source = source;
  return json(status, { errors: [err] }, correlHeaders(headers));
}

/** Picks the API family's error shape from the path. */
export function schwabError(path, status, message, headers = {}) {
  if (path.includes('/marketdata/')) return marketError(status, message, undefined, headers);
  if (path.includes('/oauth/')) {
    const error =
      status === 401 ? 'invalid_client' : status === 429 ? 'too_many_requests' : 'server_error';
    return json(status, { error, error_description: message }, correlHeaders(headers));
  }
  return traderError(status, message, [message], headers);
}

export function oauthError(status, error, description) {
  return json(
    status,
    { error, error_description: description },
    correlHeaders({ 'cache-control': 'no-store' }),
  );
}

/** The body Schwab returns for an expired or unknown refresh token. */
export function refreshTokenError() {
  const inner = JSON.stringify({
    error_description: `Exception while authenticating refresh token [tokenDigest=${Buffer.from(randomUUID()).toString('base64').slice(0, 43)}=, Exception=Failed refresh token authentication]`,
    error: 'refresh_token_authentication_error',
  });
  return oauthError(400, 'unsupported_token_type', `400 Bad Request: "${inner}"`);
}
