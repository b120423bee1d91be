// OAuth pieces shared by both brokers' doubles: authorize-request validation,
// the demo login page, single-use authorization codes, PKCE (RFC 7636 S256)
// checks, token minting and lookup. Broker modules add their own wire
// formats and error bodies.

import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { escapeHtml, html, redirect } from './http-util.mjs';

const JWT_KEY = randomBytes(32);

export function base64url(buf) {
  return Buffer.from(buf).toString('base64url');
}

export function randomToken(bytes = 32) {
  return base64url(randomBytes(bytes));
}

/** A compact HS256 JWT signed with a per-process key (shape only; nobody verifies it). */
export function signJwt(payload) {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = base64url(JSON.stringify(payload));
  const sig = createHmac('sha256', JWT_KEY).update(`${header}.${body}`).digest('base64url');
  return `${header}.${body}.${sig}`;
}

export function looksLikeJwt(s) {
  return typeof s === 'string' && /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(s);
}

/** RFC 7636: BASE64URL(SHA256(ASCII(code_verifier))) == code_challenge. */
export function pkceMatches(verifier, challenge, method) {
  if (typeof verifier !== 'string' || !/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) return false;
  const computed =
    method === 'plain'
      ? verifier
      : createHash('sha256').update(verifier, 'ascii').digest('base64url');
  const a = Buffer.from(computed);
  const b = Buffer.from(String(challenge));
  return a.length === b.length && timingSafeEqual(a, b);
}

export function safeEqual(a, b) {
  const x = Buffer.from(String(a ?? ''));
  const y = Buffer.from(String(b ?? ''));
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Redirect URIs: the configured list, or by default any loopback http(s) URL. */
export function isAllowedRedirect(brokerConfig, uri) {
  let url;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  if (url.hash) return false;
  const list = brokerConfig.redirectUris || [];
  if (list.includes('*')) return true;
  if (list.length > 0) return list.includes(uri);
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
  );
}

const AUTH_PARAMS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
];

function errorPage(brokerName, message) {
  return html(
    400,
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(brokerName)} sign-in error</title></head>
<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto"><h1>Sign-in error</h1><p id="error">${escapeHtml(message)}</p></body></html>`,
  );
}

function redirectWithError(req, error, description) {
  const url = new URL(req.redirect_uri);
  url.searchParams.set('error', error);
  if (description) url.searchParams.set('error_description', description);
  if (req.state) url.searchParams.set('state', req.state);
  return redirect(url.toString());
}

/**
 * Validates an authorize request. Client and redirect errors are shown on a
 * page (never redirected); later errors go back to the client per RFC 6749.
 * Returns {response} on error, else {req}.
 */
export function validateAuthorize(broker, params, config) {
  const bc = config[broker];
  const name = broker === 'schwab' ? 'Schwab' : 'tastytrade';
  const req = {};
  for (const k of AUTH_PARAMS)
    if (params[k] !== undefined && params[k] !== null) req[k] = String(params[k]);
  if (!req.client_id) return { response: errorPage(name, 'Missing client_id.') };
  if (req.client_id !== bc.clientId)
    return { response: errorPage(name, `Unknown client_id "${req.client_id}".`) };
  if (!req.redirect_uri) return { response: errorPage(name, 'Missing redirect_uri.') };
  if (!isAllowedRedirect(bc, req.redirect_uri))
    return {
      response: errorPage(
        name,
        `redirect_uri "${req.redirect_uri}" is not registered for this application.`,
      ),
    };
  if (req.response_type !== 'code')
    return {
      response: redirectWithError(req, 'unsupported_response_type', 'response_type must be code'),
    };
  if (broker === 'schwab' || req.code_challenge) {
    if (!req.code_challenge)
      return { response: redirectWithError(req, 'invalid_request', 'code_challenge is required') };
    const method = req.code_challenge_method || 'plain';
    if (broker === 'schwab' ? method !== 'S256' : !['S256', 'plain'].includes(method)) {
      return {
        response: redirectWithError(req, 'invalid_request', 'code_challenge_method must be S256'),
      };
    }
    if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(req.code_challenge))
      return { response: redirectWithError(req, 'invalid_request', 'malformed code_challenge') };
  }
  return { req };
}

/** The demo sign-in page: one button per demo user, plus Deny. */
export function loginPage(broker, req, users, action) {
  const name = broker === 'schwab' ? 'Charles Schwab' : 'tastytrade';
  const hidden = AUTH_PARAMS.filter((k) => req[k] !== undefined)
    .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(req[k])}">`)
    .join('\n      ');
  const buttons = Object.values(users)
    .map((u) => {
      const accounts = u.accounts
        .map((a) => `${escapeHtml(a.typeName)} …${escapeHtml(a.number.slice(-3))}`)
        .join(', ');
      return `<li><button type="submit" name="sandbox_user" value="${escapeHtml(u.user)}" id="login-${escapeHtml(u.user)}" data-user="${escapeHtml(u.user)}">Sign in as ${escapeHtml(u.name)} ${escapeHtml(u.lastName)}</button>
        <div class="accounts">${escapeHtml(u.email)} — ${accounts || 'no accounts'}</div></li>`;
    })
    .join('\n      ');
  return html(
    200,
    `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${name} sandbox sign-in</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem; color: #222; }
  h1 { font-size: 1.4rem; } ul { list-style: none; padding: 0; } li { margin: 0.8rem 0; }
  button { font-size: 1rem; padding: 0.5rem 1rem; cursor: pointer; }
  .accounts { color: #666; font-size: 0.85rem; margin-top: 0.25rem; }
  .note { color: #666; font-size: 0.85rem; border-top: 1px solid #ddd; padding-top: 1rem; }
</style>
</head>
<body>
  <h1>${name} — sandbox sign-in</h1>
  <p>An application (<code>${escapeHtml(req.client_id)}</code>) is asking to access your accounts${req.scope ? ` with scope <code>${escapeHtml(req.scope)}</code>` : ''}.</p>
  <form method="post" action="${escapeHtml(action)}" id="login-form">
      ${hidden}
    <ul>
      ${buttons}
    </ul>
    <button type="submit" name="deny" value="1" id="deny">Deny</button>
  </form>
  <p class="note">Local test double. Demo users only; no real brokerage is contacted.</p>
</body>
</html>`,
    {
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'self'; style-src 'unsafe-inline'; form-action *",
    },
  );
}

/** Issues a single-use authorization code and the redirect that carries it. */
export function completeAuthorize(state, broker, req, user, now) {
  const bc = state.config[broker];
  const code = broker === 'schwab' ? `C0.${randomToken(36)}@` : randomToken(32);
  state.codes.set(code, {
    broker,
    user,
    clientId: req.client_id,
    redirectUri: req.redirect_uri,
    scope: req.scope || (broker === 'schwab' ? 'api' : 'read trade'),
    codeChallenge: req.code_challenge || null,
    codeChallengeMethod: req.code_challenge ? req.code_challenge_method || 'plain' : null,
    expiresAt: now + bc.codeTtl * 1000,
    used: false,
  });
  const url = new URL(req.redirect_uri);
  url.searchParams.set('code', code);
  if (broker === 'schwab') url.searchParams.set('session', randomUUID());
  if (req.state !== undefined) url.searchParams.set('state', req.state);
  return redirect(url.toString());
}

export function denyAuthorize(req) {
  return redirectWithError(req, 'access_denied', 'The user denied the request');
}

/**
 * Looks up an authorization code for exchange. Returns {record} or {error:
 * description}. Codes are single use: a found code is consumed even when a
 * later check fails.
 */
export function consumeCode(state, broker, code, now) {
  const record = state.codes.get(code);
  if (!record || record.broker !== broker) return { error: 'Invalid authorization code' };
  if (record.used) return { error: 'Authorization code has already been used' };
  record.used = true;
  if (now > record.expiresAt) return { error: 'Authorization code has expired' };
  return { record };
}

/** Mints an access token (and a refresh token unless one is passed in). */
export function mintTokens(
  state,
  broker,
  { user, clientId, scope, grantId, loginAt, refreshToken, correlId },
  now,
) {
  const bc = state.config[broker];
  const customer = state.users[broker][user];
  const accessExp = now + bc.accessTokenTtl * 1000;
  let access;
  if (broker === 'schwab') {
    access = `I0.${randomToken(48)}@`;
  } else {
    access = signJwt({
      iss: 'https://api.tastyworks.com',
      sub: customer.customerId,
      aud: clientId,
      scope,
      iat: Math.floor(now / 1000),
      exp: Math.floor(accessExp / 1000),
      jti: randomUUID(),
    });
  }
  state.tokens.set(access, {
    broker,
    kind: 'access',
    user,
    clientId,
    scope,
    grantId,
    expiresAt: accessExp,
    issuedAt: now,
    correlId,
  });
  let refresh = refreshToken;
  if (!refresh) {
    refresh =
      broker === 'schwab'
        ? randomToken(48)
        : signJwt({
            iss: 'https://api.tastyworks.com',
            sub: customer.customerId,
            aud: clientId,
            scope,
            iat: Math.floor(now / 1000),
            jti: randomUUID(),
            typ: 'refresh',
          });
    state.tokens.set(refresh, {
      broker,
      kind: 'refresh',
      user,
      clientId,
      scope,
      grantId,
      loginAt,
      issuedAt: now,
      correlId,
      expiresAt: bc.refreshTokenTtl ? loginAt + bc.refreshTokenTtl * 1000 : null,
    });
  }
  state.stats.tokensIssued[broker]++;
  return { access, refresh, accessExp };
}

/** Finds a live token record of the given broker and kind, or a reason it is not usable. */
export function findToken(state, broker, token, kind, now) {
  const rec = token ? state.tokens.get(token) : null;
  if (!rec || rec.broker !== broker || rec.kind !== kind) return { error: 'invalid' };
  if (rec.revoked) return { error: 'revoked' };
  if (rec.expiresAt != null && now >= rec.expiresAt) return { error: 'expired' };
  return { record: rec };
}

export function newGrantId() {
  return randomUUID();
}
