// Schwab OAuth double: authorize page, PKCE, code exchange, refresh, errors.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  SCHWAB,
  api,
  basic,
  control,
  pkcePair,
  schwabAuthorize,
  schwabLogin,
  withSandbox,
} from './helpers.mjs';

let sb;
before(async () => {
  sb = await withSandbox();
});
after(() => sb.close());
beforeEach(() => control(sb, 'POST', '/reset'));

const tokenHeaders = () => ({ authorization: basic(SCHWAB.clientId, SCHWAB.clientSecret) });

describe('schwab authorize', () => {
  it('renders a sign-in page listing the demo users', async () => {
    const { challenge } = pkcePair();
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: SCHWAB.clientId,
      redirect_uri: SCHWAB.redirect,
      state: 's1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const res = await api(sb, 'GET', `/schwab/v1/oauth/authorize?${q}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /text\/html/);
    for (const user of ['alice', 'bob']) assert.match(res.text, new RegExp(`id="login-${user}"`));
    assert.match(res.text, /name="code_challenge" value=/);
  });

  it('POSTing the form redirects to redirect_uri with code, session and the original state', async () => {
    const { challenge } = pkcePair();
    const form = {
      response_type: 'code',
      client_id: SCHWAB.clientId,
      redirect_uri: SCHWAB.redirect,
      state: 'opaque state/=+',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      sandbox_user: 'bob',
    };
    const res = await api(sb, 'POST', '/schwab/v1/oauth/authorize', { form });
    assert.equal(res.status, 302);
    const location = res.headers.get('location');
    const url = new URL(location);
    assert.equal(`${url.origin}${url.pathname}`, SCHWAB.redirect);
    assert.equal(url.searchParams.get('state'), 'opaque state/=+');
    assert.match(url.searchParams.get('code'), /^C0\..+@$/);
    assert.match(
      location,
      /code=C0\.[^&]+%40/,
      'the trailing @ arrives percent-encoded, as at Schwab',
    );
    assert.match(url.searchParams.get('session'), /^[0-9a-f-]{36}$/);
  });

  it('deny redirects with access_denied', async () => {
    const { challenge } = pkcePair();
    const form = {
      response_type: 'code',
      client_id: SCHWAB.clientId,
      redirect_uri: SCHWAB.redirect,
      state: 'z',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      deny: '1',
    };
    const res = await api(sb, 'POST', '/schwab/v1/oauth/authorize', { form });
    const url = new URL(res.headers.get('location'));
    assert.equal(url.searchParams.get('error'), 'access_denied');
    assert.equal(url.searchParams.get('state'), 'z');
  });

  it('rejects unknown clients and unregistered redirect URIs without redirecting', async () => {
    const { challenge } = pkcePair();
    const bad1 = new URLSearchParams({
      response_type: 'code',
      client_id: 'nope',
      redirect_uri: SCHWAB.redirect,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    assert.equal((await api(sb, 'GET', `/schwab/v1/oauth/authorize?${bad1}`)).status, 400);
    const bad2 = new URLSearchParams({
      response_type: 'code',
      client_id: SCHWAB.clientId,
      redirect_uri: 'https://evil.example/cb',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const res = await api(sb, 'GET', `/schwab/v1/oauth/authorize?${bad2}`);
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('location'), null);
  });

  it('requires PKCE with S256 and response_type=code', async () => {
    const base = { client_id: SCHWAB.clientId, redirect_uri: SCHWAB.redirect, state: 'p' };
    let res = await api(
      sb,
      'GET',
      `/schwab/v1/oauth/authorize?${new URLSearchParams({ ...base, response_type: 'code' })}`,
    );
    assert.equal(new URL(res.headers.get('location')).searchParams.get('error'), 'invalid_request');
    const { challenge } = pkcePair();
    res = await api(
      sb,
      'GET',
      `/schwab/v1/oauth/authorize?${new URLSearchParams({ ...base, response_type: 'code', code_challenge: challenge, code_challenge_method: 'plain' })}`,
    );
    assert.equal(new URL(res.headers.get('location')).searchParams.get('error'), 'invalid_request');
    res = await api(
      sb,
      'GET',
      `/schwab/v1/oauth/authorize?${new URLSearchParams({ ...base, response_type: 'token', code_challenge: challenge, code_challenge_method: 'S256' })}`,
    );
    assert.equal(
      new URL(res.headers.get('location')).searchParams.get('error'),
      'unsupported_response_type',
    );
  });
});

describe('schwab token endpoint', () => {
  it('exchanges a code with the right verifier for the documented token shape', async () => {
    const { verifier, challenge } = pkcePair();
    const { code, state } = await schwabAuthorize(sb, 'alice', { challenge });
    assert.equal(state, 'st-123');
    const res = await api(sb, 'POST', '/schwab/v1/oauth/token', {
      headers: tokenHeaders(),
      form: {
        grant_type: 'authorization_code',
        code,
        redirect_uri: SCHWAB.redirect,
        code_verifier: verifier,
      },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.json).sort(), [
      'access_token',
      'expires_in',
      'id_token',
      'refresh_token',
      'scope',
      'token_type',
    ]);
    assert.equal(res.json.expires_in, 1800);
    assert.equal(res.json.token_type, 'Bearer');
    assert.equal(res.json.scope, 'api');
    assert.match(res.json.access_token, /^I0\./);
    assert.match(res.json.id_token, /^eyJ/);
    assert.ok(res.headers.get('schwab-client-correlid'));
    const stats = (await control(sb, 'GET', '/stats')).body;
    assert.equal(stats.tokenRequests.schwab.authorization_code, 1);
  });

  it('fails PKCE verification with invalid_grant', async () => {
    const { challenge } = pkcePair();
    const { code } = await schwabAuthorize(sb, 'alice', { challenge });
    const res = await api(sb, 'POST', '/schwab/v1/oauth/token', {
      headers: tokenHeaders(),
      form: {
        grant_type: 'authorization_code',
        code,
        redirect_uri: SCHWAB.redirect,
        code_verifier: pkcePair().verifier,
      },
    });
    assert.equal(res.status, 400);
    assert.equal(res.json.error, 'invalid_grant');
    assert.ok(res.json.error_description);
  });

  it('codes are single use', async () => {
    const { verifier, challenge } = pkcePair();
    const { code } = await schwabAuthorize(sb, 'alice', { challenge });
    const form = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: SCHWAB.redirect,
      code_verifier: verifier,
    };
    assert.equal(
      (await api(sb, 'POST', '/schwab/v1/oauth/token', { headers: tokenHeaders(), form })).status,
      200,
    );
    const again = await api(sb, 'POST', '/schwab/v1/oauth/token', {
      headers: tokenHeaders(),
      form,
    });
    assert.equal(again.status, 400);
    assert.equal(again.json.error, 'invalid_grant');
  });

  it('rejects a wrong redirect_uri and an expired code', async () => {
    const { verifier, challenge } = pkcePair();
    let { code } = await schwabAuthorize(sb, 'alice', { challenge });
    let res = await api(sb, 'POST', '/schwab/v1/oauth/token', {
      headers: tokenHeaders(),
      form: {
        grant_type: 'authorization_code',
        code,
        redirect_uri: 'http://127.0.0.1:1/other',
        code_verifier: verifier,
      },
    });
    assert.equal(res.json.error, 'invalid_grant');
    ({ code } = await schwabAuthorize(sb, 'alice', { challenge }));
    await control(sb, 'POST', '/config', { clockOffsetMs: 120_000 });
    res = await api(sb, 'POST', '/schwab/v1/oauth/token', {
      headers: tokenHeaders(),
      form: {
        grant_type: 'authorization_code',
        code,
        redirect_uri: SCHWAB.redirect,
        code_verifier: verifier,
      },
    });
    assert.equal(res.status, 400);
    assert.match(res.json.error_description, /expired/);
  });

  it('requires HTTP Basic client authentication with the right secret', async () => {
    const { verifier, challenge } = pkcePair();
    const { code } = await schwabAuthorize(sb, 'alice', { challenge });
    const form = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: SCHWAB.redirect,
      code_verifier: verifier,
    };
    let res = await api(sb, 'POST', '/schwab/v1/oauth/token', { form });
    assert.equal(res.status, 401);
    assert.equal(res.json.error, 'invalid_client');
    res = await api(sb, 'POST', '/schwab/v1/oauth/token', {
      headers: { authorization: basic(SCHWAB.clientId, 'wrong') },
      form,
    });
    assert.equal(res.status, 401);
    assert.equal(res.json.error, 'invalid_client');
  });

  it('refreshes without rotating the refresh token', async () => {
    const first = await schwabLogin(sb, 'alice');
    const res = await api(sb, 'POST', '/schwab/v1/oauth/token', {
      headers: tokenHeaders(),
      form: { grant_type: 'refresh_token', refresh_token: first.refresh_token },
    });
    assert.equal(res.status, 200);
    assert.notEqual(res.json.access_token, first.access_token);
    assert.equal(res.json.refresh_token, first.refresh_token);
    assert.equal(res.json.expires_in, 1800);
    // Both the new access token and (until it expires) the old one work.
    const prefs = await api(sb, 'GET', '/schwab/trader/v1/userPreference', {
      token: res.json.access_token,
    });
    assert.equal(prefs.status, 200);
    const stats = (await control(sb, 'GET', '/stats')).body;
    assert.equal(stats.tokenRequests.schwab.refresh_token, 1);
  });

  it("an expired refresh token gets Schwab's refresh_token_authentication_error body", async () => {
    const first = await schwabLogin(sb, 'alice');
    await control(sb, 'POST', '/config', { clockOffsetMs: 7 * 86400_000 + 1000 });
    const res = await api(sb, 'POST', '/schwab/v1/oauth/token', {
      headers: tokenHeaders(),
      form: { grant_type: 'refresh_token', refresh_token: first.refresh_token },
    });
    assert.equal(res.status, 400);
    assert.equal(res.json.error, 'unsupported_token_type');
    assert.match(res.json.error_description, /refresh_token_authentication_error/);
  });

  it('access tokens expire after the configured lifetime', async () => {
    await control(sb, 'POST', '/config', { accessTokenTtl: 60 });
    const tokens = await schwabLogin(sb, 'alice');
    assert.equal(tokens.expires_in, 60);
    assert.equal(
      (
        await api(sb, 'GET', '/schwab/trader/v1/accounts/accountNumbers', {
          token: tokens.access_token,
        })
      ).status,
      200,
    );
    await control(sb, 'POST', '/config', { clockOffsetMs: 61_000 });
    const res = await api(sb, 'GET', '/schwab/trader/v1/accounts/accountNumbers', {
      token: tokens.access_token,
    });
    assert.equal(res.status, 401);
    assert.equal(typeof res.json.message, 'string');
    assert.ok(Array.isArray(res.json.errors));
    const md = await api(sb, 'GET', '/schwab/marketdata/v1/quotes?symbols=AAPL', {
      token: tokens.access_token,
    });
    assert.equal(md.status, 401);
    assert.equal(md.json.errors[0].status, 401);
    assert.ok(md.json.errors[0].id);
  });

  it('a missing token is a 401 on every API route', async () => {
    for (const path of [
      '/schwab/trader/v1/accounts',
      '/schwab/trader/v1/userPreference',
      '/schwab/marketdata/v1/chains?symbol=AAPL',
    ]) {
      assert.equal((await api(sb, 'GET', path)).status, 401, path);
    }
  });
});
