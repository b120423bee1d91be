// Schwab OAuth double: GET/POST /v1/oauth/authorize (demo sign-in, PKCE S256
// required) and POST /v1/oauth/token (HTTP Basic client auth, form body,
// authorization_code and refresh_token grants). Refresh tokens do not
// rotate and expire 7 days after the sign-in, as at Schwab.

import { contentType, json, parseBasicAuth, parseForm } from '../http-util.mjs';
import {
  completeAuthorize,
  consumeCode,
  denyAuthorize,
  findToken,
  loginPage,
  mintTokens,
  newGrantId,
  pkceMatches,
  safeEqual,
  signJwt,
  validateAuthorize,
} from '../oauth-common.mjs';
import { newCorrelId } from '../data/accounts.mjs';
import { correlHeaders, oauthError, refreshTokenError } from './errors.mjs';

const AUTHORIZE_PATH = '/schwab/v1/oauth/authorize';

function authorizeGet(ctx) {
  const params = Object.fromEntries(ctx.query);
  const { req, response } = validateAuthorize('schwab', params, ctx.state.config);
  if (response) return response;
  const users = ctx.state.users.schwab;
  if (params.sandbox_user) {
    if (!users[params.sandbox_user]) return loginPage('schwab', req, users, AUTHORIZE_PATH);
    return completeAuthorize(ctx.state, 'schwab', req, params.sandbox_user, ctx.now);
  }
  return loginPage('schwab', req, users, AUTHORIZE_PATH);
}

function authorizePost(ctx) {
  const form = parseForm(ctx.body);
  const { req, response } = validateAuthorize('schwab', form, ctx.state.config);
  if (response) return response;
  if (form.deny) return denyAuthorize(req);
  const users = ctx.state.users.schwab;
  if (!form.sandbox_user || !users[form.sandbox_user])
    return loginPage('schwab', req, users, AUTHORIZE_PATH);
  return completeAuthorize(ctx.state, 'schwab', req, form.sandbox_user, ctx.now);
}

function tokenBody(state, tokens, record, scope, nowMs) {
  const customer = state.users.schwab[record.user];
  const now = Math.floor(nowMs / 1000);
  return {
    expires_in: state.config.schwab.accessTokenTtl,
    token_type: 'Bearer',
    scope,
    refresh_token: tokens.refresh,
    access_token: tokens.access,
    id_token: signJwt({
      iss: 'https://api.schwabapi.com',
      sub: customer.customerId,
      aud: record.clientId,
      iat: now,
      exp: now + state.config.schwab.accessTokenTtl,
    }),
  };
}

function token(ctx) {
  const { state } = ctx;
  const bc = state.config.schwab;
  const form =
    contentType(ctx.headers) === 'application/x-www-form-urlencoded' ? parseForm(ctx.body) : null;
  const grantType = form ? form.grant_type : undefined;
  if (grantType === 'authorization_code' || grantType === 'refresh_token')
    state.stats.tokenRequests.schwab[grantType]++;

  const basic = parseBasicAuth(ctx.headers.authorization);
  if (!basic)
    return oauthError(401, 'invalid_client', 'Client authentication is required (HTTP Basic)');
  if (!safeEqual(basic.id, bc.clientId) || !safeEqual(basic.secret, bc.clientSecret)) {
    return oauthError(401, 'invalid_client', 'Client authentication failed');
  }
  if (!form)
    return oauthError(
      400,
      'invalid_request',
      'Content-Type must be application/x-www-form-urlencoded',
    );

  if (grantType === 'authorization_code') {
    if (!form.code || !form.redirect_uri)
      return oauthError(400, 'invalid_request', 'code and redirect_uri are required');
    const { record, error } = consumeCode(state, 'schwab', form.code, ctx.now);
    if (error) return oauthError(400, 'invalid_grant', error);
    if (record.clientId !== basic.id)
      return oauthError(400, 'invalid_grant', 'Authorization code was issued to another client');
    if (record.redirectUri !== form.redirect_uri)
      return oauthError(
        400,
        'invalid_grant',
        'redirect_uri does not match the authorization request',
      );
    if (!form.code_verifier) return oauthError(400, 'invalid_request', 'code_verifier is required');
    if (!pkceMatches(form.code_verifier, record.codeChallenge, record.codeChallengeMethod)) {
      return oauthError(
        400,
        'invalid_grant',
        'PKCE verification failed: code_verifier does not match code_challenge',
      );
    }
    const tokens = mintTokens(
      state,
      'schwab',
      {
        user: record.user,
        clientId: record.clientId,
        scope: 'api',
        grantId: newGrantId(),
        loginAt: ctx.now,
        correlId: newCorrelId(),
      },
      ctx.now,
    );
    return json(
      200,
      tokenBody(state, tokens, record, 'api', ctx.now),
      correlHeaders({ 'cache-control': 'no-store' }),
    );
  }

  if (grantType === 'refresh_token') {
    if (ctx.fault && ctx.fault.mode === 'expired_refresh') return refreshTokenError();
    const { record } = findToken(state, 'schwab', form.refresh_token, 'refresh', ctx.now);
    if (!record || record.clientId !== basic.id) return refreshTokenError();
    const tokens = mintTokens(
      state,
      'schwab',
      { ...record, refreshToken: form.refresh_token },
      ctx.now,
    );
    return json(
      200,
      tokenBody(state, tokens, record, record.scope, ctx.now),
      correlHeaders({ 'cache-control': 'no-store' }),
    );
  }

  return oauthError(400, 'unsupported_grant_type', `Unsupported grant_type "${grantType ?? ''}"`);
}

export function registerSchwabOauth(router) {
  router.add('GET', '/v1/oauth/authorize', authorizeGet);
  router.add('POST', '/v1/oauth/authorize', authorizePost);
  router.add('POST', '/v1/oauth/token', token);
}
