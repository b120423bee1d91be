// tastytrade's error bodies: API errors are {error: {code, message}} (with an
// optional errors list), the OAuth token endpoint answers {error_code,
// error_description}.

import { json } from '../http-util.mjs';

export function ttError(status, code, message, errors, headers = {}) {
  const error = { code, message };
  if (errors) error.errors = errors;
  return json(status, { error }, headers);
}

const CODES = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'not_permitted',
  404: 'record_not_found',
  422: 'validation_error',
  429: 'too_many_requests',
  500: 'internal_server_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

export function ttStatusError(status, message, headers = {}) {
  return ttError(status, CODES[status] || 'error', message, undefined, headers);
}

export function ttOauthError(status, code, description) {
  return json(
    status,
    { error_code: code, error_description: description },
    { 'cache-control': 'no-store' },
  );
}

export function notPermitted() {
  return ttError(403, 'not_permitted', 'User not permitted access');
}
