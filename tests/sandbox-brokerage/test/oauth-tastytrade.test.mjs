// tastytrade OAuth double: auth.html, code grant, refresh grant (JSON and
// form bodies), User-Agent requirement, error bodies.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { TT, UA, api, control, pkcePair, tastytradeLogin, withSandbox } from './helpers.mjs';

let sb;
before(async () => {
  sb = await withSandbox();
});
after(() => sb.close());
beforeEach(() => control(sb, 'POST', '/reset'));

async function authorize(user, extra = {}) {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: TT.clientId,
    redirect_uri: TT.redirect,
    state: 'abc',
    sandbox_user: user,
    ...extra,
  });
  const res = await api(sb, 'GET', `/tastytrade/auth.html?${q}`);
  assert.equal(res.status, 302);
  return new URL(res.headers.get('location')).searchParams;
}

describe('tastytrade oauth', () => {
  it('serves the sign-in page at /auth.html and redirects on POST', async () => {
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: TT.clientId,
      redirect_uri: TT.redirect,
      scope: 'read trade',
      state: 'xyz',
    });
    const page = await api(sb, 'GET', `/tastytrade/auth.html?${q}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /id="login-alice"/);
    assert.match(page.text, /id="login-bob"/);
    const res = await api(sb, 'POST', '/tastytrade/auth.html', {
      form: {
        response_type: 'code',
        client_id: TT.clientId,
        redirect_uri: TT.redirect,
        scope: 'read trade',
        state: 'xyz',
        sandbox_user: 'alice',
      },
    });
    assert.equal(res.status, 302);
    const url = new URL(res.headers.get('location'));
    assert.equal(url.searchParams.get('state'), 'xyz');
    assert.ok(url.searchParams.get('code'));
  });

  it('exchanges a code (JSON body) for access and refresh tokens lasting 900 s', async () => {
    const params = await authorize('alice');
    const res = await api(sb, 'POST', '/tastytrade/oauth/token', {
      headers: UA,
      body: {
        grant_type: 'authorization_code',
        code: params.get('code'),
        client_id: TT.clientId,
        client_secret: TT.clientSecret,
        redirect_uri: TT.redirect,
      },
    });
    assert.equal(res.status, 200);
    assert.equal(res.json.token_type, 'Bearer');
    assert.equal(res.json.expires_in, 900);
    assert.match(res.json.access_token, /^eyJ/);
    assert.ok(res.json.refresh_token);
    const me = await api(sb, 'GET', '/tastytrade/customers/me', {
      token: res.json.access_token,
      headers: UA,
    });
    assert.equal(me.status, 200);
    assert.equal(me.json.data.email, 'alice@example.com');
    assert.ok(me.json.data['external-id']);
  });

  it('codes are single use', async () => {
    const params = await authorize('alice');
    const body = {
      grant_type: 'authorization_code',
      code: params.get('code'),
      client_secret: TT.clientSecret,
      redirect_uri: TT.redirect,
    };
    assert.equal(
      (await api(sb, 'POST', '/tastytrade/oauth/token', { headers: UA, body })).status,
      200,
    );
    const again = await api(sb, 'POST', '/tastytrade/oauth/token', { headers: UA, body });
    assert.equal(again.status, 400);
    assert.equal(again.json.error_code, 'invalid_grant');
  });

  it('verifies PKCE when the client used it', async () => {
    const { verifier, challenge } = pkcePair();
    let params = await authorize('bob', {
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    let res = await api(sb, 'POST', '/tastytrade/oauth/token', {
      headers: UA,
      body: {
        grant_type: 'authorization_code',
        code: params.get('code'),
        client_secret: TT.clientSecret,
        redirect_uri: TT.redirect,
        code_verifier: pkcePair().verifier,
      },
    });
    assert.equal(res.status, 400);
    assert.equal(res.json.error_code, 'invalid_grant');
    params = await authorize('bob', { code_challenge: challenge, code_challenge_method: 'S256' });
    res = await api(sb, 'POST', '/tastytrade/oauth/token', {
      headers: UA,
      body: {
        grant_type: 'authorization_code',
        code: params.get('code'),
        client_secret: TT.clientSecret,
        redirect_uri: TT.redirect,
        code_verifier: verifier,
      },
    });
    assert.equal(res.status, 200);
  });

  it('refreshes with a form body; the refresh token is not rotated and keeps working', async () => {
    const first = await tastytradeLogin(sb, 'alice');
    for (let i = 0; i < 2; i++) {
      const res = await api(sb, 'POST', '/tastytrade/oauth/token', {
        headers: UA,
        form: {
          grant_type: 'refresh_token',
          refresh_token: first.refresh_token,
          client_secret: TT.clientSecret,
        },
      });
      assert.equal(res.status, 200);
      assert.equal(res.json.expires_in, 900);
      assert.equal(res.json.refresh_token, undefined);
      assert.notEqual(res.json.access_token, first.access_token);
    }
    const stats = (await control(sb, 'GET', '/stats')).body;
    assert.equal(stats.tokenRequests.tastytrade.refresh_token, 2);
    assert.equal(stats.tokenRequests.tastytrade.authorization_code, 1);
  });

  it('refresh tokens do not expire (even a year later)', async () => {
    const first = await tastytradeLogin(sb, 'alice');
    await control(sb, 'POST', '/config', { clockOffsetMs: 365 * 86400_000 });
    const res = await api(sb, 'POST', '/tastytrade/oauth/token', {
      headers: UA,
      body: {
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token,
        client_secret: TT.clientSecret,
      },
    });
    assert.equal(res.status, 200);
  });

  it('rejects a wrong secret, a malformed refresh token and a missing User-Agent', async () => {
    const first = await tastytradeLogin(sb, 'alice');
    let res = await api(sb, 'POST', '/tastytrade/oauth/token', {
      headers: UA,
      body: {
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token,
        client_secret: 'nope',
      },
    });
    assert.equal(res.status, 401);
    assert.equal(res.json.error_code, 'invalid_client');
    res = await api(sb, 'POST', '/tastytrade/oauth/token', {
      headers: UA,
      body: {
        grant_type: 'refresh_token',
        refresh_token: 'not-a-jwt',
        client_secret: TT.clientSecret,
      },
    });
    assert.equal(res.status, 400);
    assert.deepEqual(res.json, { error_code: 'invalid_grant', error_description: 'Invalid JWT' });
    res = await api(sb, 'POST', '/tastytrade/oauth/token', {
      body: {
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token,
        client_secret: TT.clientSecret,
      },
    });
    assert.equal(res.status, 401);
  });

  it('API calls need a User-Agent and a live bearer token', async () => {
    const tokens = await tastytradeLogin(sb, 'alice');
    let res = await api(sb, 'GET', '/tastytrade/customers/me/accounts', {
      token: tokens.access_token,
    });
    assert.equal(res.status, 401);
    res = await api(sb, 'GET', '/tastytrade/customers/me/accounts', { headers: UA });
    assert.equal(res.status, 401);
    assert.ok(res.json.error.code);
    await control(sb, 'POST', '/config', { clockOffsetMs: 901_000 });
    res = await api(sb, 'GET', '/tastytrade/customers/me/accounts', {
      token: tokens.access_token,
      headers: UA,
    });
    assert.equal(res.status, 401);
    assert.equal(typeof res.json.error.message, 'string');
  });

  it('a personal grant: its refresh token works with this application only, until the grant is deleted', async () => {
    const created = await control(sb, 'POST', '/personal-grants', { user: 'bob' });
    assert.equal(created.status, 201);
    const grant = created.body;
    const refresh = (token) =>
      api(sb, 'POST', '/tastytrade/oauth/token', {
        headers: UA,
        body: {
          grant_type: 'refresh_token',
          refresh_token: token,
          client_id: TT.clientId,
          client_secret: TT.clientSecret,
        },
      });
    let res = await refresh(grant.refresh_token);
    assert.equal(res.status, 200);
    assert.equal(res.json.refresh_token, undefined, 'not rotated');
    const me = await api(sb, 'GET', '/tastytrade/customers/me', {
      token: res.json.access_token,
      headers: UA,
    });
    assert.equal(me.status, 200);
    assert.match(me.json.data.email, /bob/i);

    const other = await control(sb, 'POST', '/personal-grants', {
      user: 'bob',
      clientId: 'someone-elses-app',
    });
    res = await refresh(other.body.refresh_token);
    assert.equal(res.status, 400);
    assert.equal(res.json.error_code, 'invalid_grant');

    const access = (await refresh(grant.refresh_token)).json.access_token;
    assert.equal((await control(sb, 'DELETE', `/personal-grants/${grant.grant_id}`)).status, 200);
    res = await refresh(grant.refresh_token);
    assert.equal(res.status, 400);
    assert.equal(res.json.error_code, 'invalid_grant');
    res = await api(sb, 'GET', '/tastytrade/customers/me', { token: access, headers: UA });
    assert.equal(res.status, 401, 'deleting the grant ends its access tokens');
  });

  it('the profile page creates a grant and shows its refresh token once', async () => {
    const page = await api(sb, 'POST', '/tastytrade/personal-grants', {
      form: { create: 'alice' },
    });
    assert.equal(page.status, 200);
    const token = /<pre id="refresh-token">([^<]+)<\/pre>/.exec(page.text)[1];
    const res = await api(sb, 'POST', '/tastytrade/oauth/token', {
      headers: UA,
      body: { grant_type: 'refresh_token', refresh_token: token, client_secret: TT.clientSecret },
    });
    assert.equal(res.status, 200);
    const again = await api(sb, 'GET', '/tastytrade/personal-grants');
    assert.ok(!again.text.includes(token), 'shown once');
  });
});
