// tastytrade OAuth2 double. The authorize page (my.tastytrade.com/auth.html
// in reality) is served at /auth.html; POST /oauth/token accepts JSON or form
// bodies with client_secret in the body, returns 15-minute access tokens,
// and its refresh tokens never expire and are not rotated.

import { contentType, json, parseForm, parseJson } from '../http-util.mjs';
import {
  completeAuthorize,
  consumeCode,
  denyAuthorize,
  findToken,
  loginPage,
  looksLikeJwt,
  mintTokens,
  newGrantId,
  pkceMatches,
  safeEqual,
  signJwt,
  validateAuthorize,
} from '../oauth-common.mjs';
import { newCorrelId } from '../data/accounts.mjs';
import { ttOauthError } from './errors.mjs';

const AUTHORIZE_PATH = '/tastytrade/auth.html';

function authorizeGet(ctx) {
  const params = Object.fromEntries(ctx.query);
  const { req, response } = validateAuthorize('tastytrade', params, ctx.state.config);
  if (response) return response;
  const users = ctx.state.users.tastytrade;
  if (params.sandbox_user && users[params.sandbox_user])
    return completeAuthorize(ctx.state, 'tastytrade', req, params.sandbox_user, ctx.now);
  return loginPage('tastytrade', req, users, AUTHORIZE_PATH);
}

function authorizePost(ctx) {
  const form = parseForm(ctx.body);
  const { req, response } = validateAuthorize('tastytrade', form, ctx.state.config);
  if (response) return response;
  if (form.deny) return denyAuthorize(req);
  const users = ctx.state.users.tastytrade;
  if (!form.sandbox_user || !users[form.sandbox_user])
    return loginPage('tastytrade', req, users, AUTHORIZE_PATH);
  return completeAuthorize(ctx.state, 'tastytrade', req, form.sandbox_user, ctx.now);
}

function readTokenBody(ctx) {
  const type = contentType(ctx.headers);
  if (type === 'application/x-www-form-urlencoded') return parseForm(ctx.body);
  const body = parseJson(ctx.body);
  return body && typeof body === 'object' && !Array.isArray(body) ? body : null;
}

function tokenResponse(ctx, tokens, record, includeRefresh) {
  const { state } = ctx;
  const body = {
    access_token: tokens.access,
    token_type: 'Bearer',
    expires_in: state.config.tastytrade.accessTokenTtl,
  };
  if (includeRefresh) body.refresh_token = tokens.refresh;
  if (
    String(record.scope || '')
      .split(/\s+/)
      .includes('openid')
  ) {
    const customer = state.users.tastytrade[record.user];
    const now = Math.floor(ctx.now / 1000);
    body.id_token = signJwt({
      iss: 'https://api.tastyworks.com',
      sub: customer.customerId,
      aud: record.clientId,
      email: customer.email,
      iat: now,
      exp: now + 3600,
    });
  }
  if (record.scope) body.scope = record.scope;
  return json(200, body, { 'cache-control': 'no-store' });
}

function token(ctx) {
  const { state } = ctx;
  const bc = state.config.tastytrade;
  const body = readTokenBody(ctx);
  const grantType = body ? body.grant_type : undefined;
  if (grantType === 'authorization_code' || grantType === 'refresh_token')
    state.stats.tokenRequests.tastytrade[grantType]++;
  if (bc.requireUserAgent && !ctx.headers['user-agent'])
    return ttOauthError(401, 'invalid_request', 'A User-Agent header is required');
  if (!body)
    return ttOauthError(
      400,
      'invalid_request',
      'Body must be JSON or application/x-www-form-urlencoded',
    );
  if (!body.client_secret || !safeEqual(body.client_secret, bc.clientSecret))
    return ttOauthError(401, 'invalid_client', 'Invalid client credentials');
  if (body.client_id !== undefined && body.client_id !== bc.clientId)
    return ttOauthError(401, 'invalid_client', 'Invalid client credentials');

  if (grantType === 'refresh_token') {
    if (!body.refresh_token)
      return ttOauthError(400, 'invalid_request', 'refresh_token is required');
    if (!looksLikeJwt(body.refresh_token)) return ttOauthError(400, 'invalid_grant', 'Invalid JWT');
    if (ctx.fault && ctx.fault.mode === 'expired_refresh')
      return ttOauthError(400, 'invalid_grant', 'Grant has been revoked or has expired');
    const { record, error } = findToken(
      state,
      'tastytrade',
      body.refresh_token,
      'refresh',
      ctx.now,
    );
    if (!record)
      return ttOauthError(
        400,
        'invalid_grant',
        error === 'expired'
          ? 'Refresh token has expired'
          : 'Grant has been revoked or does not exist',
      );
    // A grant belongs to one OAuth application: another application's secret cannot use it.
    if (record.clientId !== bc.clientId)
      return ttOauthError(400, 'invalid_grant', 'Grant does not belong to this client');
    const tokens = mintTokens(
      state,
      'tastytrade',
      { ...record, refreshToken: body.refresh_token },
      ctx.now,
    );
    return tokenResponse(ctx, tokens, record, false);
  }

  if (grantType === 'authorization_code') {
    if (!body.code || !body.redirect_uri)
      return ttOauthError(400, 'invalid_request', 'code and redirect_uri are required');
    const { record, error } = consumeCode(state, 'tastytrade', body.code, ctx.now);
    if (error) return ttOauthError(400, 'invalid_grant', error);
    if (record.redirectUri !== body.redirect_uri)
      return ttOauthError(
        400,
        'invalid_grant',
        'redirect_uri does not match the authorization request',
      );
    if (
      record.codeChallenge &&
      !pkceMatches(body.code_verifier, record.codeChallenge, record.codeChallengeMethod)
    ) {
      return ttOauthError(400, 'invalid_grant', 'PKCE verification failed');
    }
    const tokens = mintTokens(
      state,
      'tastytrade',
      {
        user: record.user,
        clientId: record.clientId,
        scope: record.scope,
        grantId: newGrantId(),
        loginAt: ctx.now,
        correlId: newCorrelId(),
      },
      ctx.now,
    );
    return tokenResponse(ctx, tokens, record, true);
  }

  return ttOauthError(400, 'unsupported_grant_type', `Unsupported grant_type "${grantType ?? ''}"`);
}

export function registerTastytradeOauth(router) {
  router.add('GET', '/auth.html', authorizeGet);
  router.add('POST', '/auth.html', authorizePost);
  router.add('POST', '/oauth/token', token);
}
