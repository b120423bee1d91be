// Control API: fault injection, configuration, counters and reset.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  SCHWAB,
  TT,
  UA,
  api,
  basic,
  connectWebSocket,
  control,
  mint,
  schwabLogin,
  tastytradeLogin,
  withSandbox,
} from './helpers.mjs';

let sb;
let token;
before(async () => {
  sb = await withSandbox();
});
after(() => sb.close());
beforeEach(async () => {
  await control(sb, 'POST', '/reset');
  token = (await mint(sb, 'schwab', 'alice')).access_token;
});

const numbers = () => api(sb, 'GET', '/schwab/trader/v1/accounts/accountNumbers', { token });

describe('faults', () => {
  it('429 for the next N matching requests, with Retry-After, then normal service', async () => {
    const added = await control(sb, 'POST', '/faults', {
      broker: 'schwab',
      path: '/accounts/accountNumbers',
      mode: '429',
      count: 2,
      retryAfter: 7,
    });
    assert.equal(added.status, 201);
    for (let i = 0; i < 2; i++) {
      const res = await numbers();
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('retry-after'), '7');
      assert.equal(typeof res.json.message, 'string');
    }
    assert.equal((await numbers()).status, 200);
    assert.deepEqual((await control(sb, 'GET', '/faults')).body.faults, []);
    assert.equal((await control(sb, 'GET', '/stats')).body.faultsInjected, 2);
  });

  it('only matching broker and path are affected', async () => {
    await control(sb, 'POST', '/faults', {
      broker: 'tastytrade',
      path: '*',
      mode: '500',
      count: 1,
    });
    assert.equal((await numbers()).status, 200);
    const tt = (await mint(sb, 'tastytrade', 'alice')).access_token;
    const res = await api(sb, 'GET', '/tastytrade/customers/me', { token: tt, headers: UA });
    assert.equal(res.status, 500);
    assert.ok(res.json.error.code);
    await control(sb, 'POST', '/faults', {
      broker: '*',
      path: '/marketdata/',
      mode: '500',
      count: 1,
    });
    assert.equal((await numbers()).status, 200);
    const md = await api(sb, 'GET', '/schwab/marketdata/v1/quotes?symbols=AAPL', { token });
    assert.equal(md.status, 500);
    assert.equal(md.json.errors[0].status, 500);
  });

  it('401 mimics a revoked token; DELETE clears pending faults', async () => {
    await control(sb, 'POST', '/faults', { broker: 'schwab', mode: '401', count: 5 });
    assert.equal((await numbers()).status, 401);
    await control(sb, 'DELETE', '/faults');
    assert.equal((await numbers()).status, 200);
  });

  it('malformed returns 200 with truncated JSON', async () => {
    await control(sb, 'POST', '/faults', {
      broker: 'schwab',
      path: 'accountNumbers',
      mode: 'malformed',
    });
    const res = await numbers();
    assert.equal(res.status, 200);
    assert.ok(res.text.length > 0);
    assert.throws(() => JSON.parse(res.text));
  });

  it('timeout hangs for timeoutMs (30 s by default) before a 504', async () => {
    await control(sb, 'POST', '/faults', {
      broker: 'schwab',
      path: 'accountNumbers',
      mode: 'timeout',
      timeoutMs: 300,
    });
    const t0 = Date.now();
    const res = await numbers();
    assert.ok(Date.now() - t0 >= 290);
    assert.equal(res.status, 504);
  });

  it('a client that gives up on a hanging request does not break the server', async () => {
    await control(sb, 'POST', '/faults', {
      broker: 'schwab',
      path: 'accountNumbers',
      mode: 'timeout',
    });
    const ac = new AbortController();
    const pending = fetch(`${sb.url}/schwab/trader/v1/accounts/accountNumbers`, {
      headers: { authorization: `Bearer ${token}` },
      signal: ac.signal,
    });
    setTimeout(() => ac.abort(), 100);
    await assert.rejects(pending);
    assert.equal((await numbers()).status, 200);
  });

  it('delay waits delayMs, then answers normally', async () => {
    const normal = await numbers();
    assert.equal(normal.status, 200);
    const added = await control(sb, 'POST', '/faults', {
      broker: 'schwab',
      path: 'accountNumbers',
      mode: 'delay',
      delayMs: 300,
    });
    assert.equal(added.status, 201);
    assert.equal(added.body.faults[0].delayMs, 300);
    const t0 = Date.now();
    const res = await numbers();
    assert.ok(Date.now() - t0 >= 290, `answered after ${Date.now() - t0} ms`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, normal.json);
    // Used up: the next request is immediate.
    const t1 = Date.now();
    assert.equal((await numbers()).status, 200);
    assert.ok(Date.now() - t1 < 250);
    assert.equal((await control(sb, 'GET', '/stats')).body.faultsInjected, 1);
  });

  it('delay defaults to 3000 ms and also holds the DXLink upgrade', async () => {
    const added = await control(sb, 'POST', '/faults', {
      broker: 'tastytrade',
      path: '/dxlink',
      mode: 'delay',
    });
    assert.equal(added.body.faults[0].delayMs, 3000);
    await control(sb, 'DELETE', '/faults');
    const tt = (await mint(sb, 'tastytrade', 'alice')).access_token;
    const { 'dxlink-url': url } = (
      await api(sb, 'GET', '/tastytrade/api-quote-tokens', { token: tt, headers: UA })
    ).json.data;
    await control(sb, 'POST', '/faults', {
      broker: 'tastytrade',
      path: '/dxlink',
      mode: 'delay',
      delayMs: 300,
    });
    const t0 = Date.now();
    const ws = await connectWebSocket(url);
    assert.ok(Date.now() - t0 >= 290, `upgraded after ${Date.now() - t0} ms`);
    ws.send({
      type: 'SETUP',
      channel: 0,
      version: '0.1-DXF-JS/0.3.0',
      keepaliveTimeout: 60,
      acceptKeepaliveTimeout: 60,
    });
    assert.equal((await ws.next('SETUP')).channel, 0);
    ws.close();
  });

  it('a pending delay does not hold up closing the sandbox', async () => {
    const own = await withSandbox();
    const tt = (await mint(own, 'schwab', 'alice')).access_token;
    await control(own, 'POST', '/faults', {
      broker: '*',
      mode: 'delay',
      delayMs: 60_000,
      count: 2,
    });
    const pending = api(own, 'GET', '/schwab/trader/v1/accounts/accountNumbers', {
      token: tt,
    }).catch((err) => err);
    const upgrade = connectWebSocket(`${own.url.replace('http', 'ws')}/tastytrade/dxlink`).catch(
      (err) => err,
    );
    while ((await control(own, 'GET', '/stats')).body.faultsInjected < 2)
      await new Promise((r) => setTimeout(r, 10));
    const t0 = Date.now();
    await own.close();
    assert.ok(Date.now() - t0 < 2000, `closed after ${Date.now() - t0} ms`);
    assert.ok((await pending) instanceof Error);
    assert.ok((await upgrade) instanceof Error);
  });

  it("expired_refresh fails Schwab's refresh grant with its real error, exactly once", async () => {
    const tokens = await schwabLogin(sb, 'alice');
    await control(sb, 'POST', '/faults', { broker: 'schwab', mode: 'expired_refresh', count: 1 });
    // Other requests are not affected by an expired_refresh fault.
    assert.equal((await numbers()).status, 200);
    const form = { grant_type: 'refresh_token', refresh_token: tokens.refresh_token };
    const headers = { authorization: basic(SCHWAB.clientId, SCHWAB.clientSecret) };
    const res = await api(sb, 'POST', '/schwab/v1/oauth/token', { headers, form });
    assert.equal(res.status, 400);
    assert.equal(res.json.error, 'unsupported_token_type');
    assert.match(res.json.error_description, /refresh_token_authentication_error/);
    assert.equal((await api(sb, 'POST', '/schwab/v1/oauth/token', { headers, form })).status, 200);
    const stats = (await control(sb, 'GET', '/stats')).body;
    assert.equal(stats.tokenRequests.schwab.refresh_token, 2);
    assert.equal(stats.tokenRequests.schwab.authorization_code, 1);
  });

  it('expired_refresh for tastytrade answers invalid_grant', async () => {
    const tokens = await tastytradeLogin(sb, 'bob');
    await control(sb, 'POST', '/faults', { broker: 'tastytrade', mode: 'expired_refresh' });
    const res = await api(sb, 'POST', '/tastytrade/oauth/token', {
      headers: UA,
      body: {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
        client_secret: TT.clientSecret,
      },
    });
    assert.equal(res.status, 400);
    assert.equal(res.json.error_code, 'invalid_grant');
  });

  it('rejects invalid fault specs', async () => {
    assert.equal((await control(sb, 'POST', '/faults', { mode: 'explode' })).status, 400);
    assert.equal((await control(sb, 'POST', '/faults', { mode: '429', count: 0 })).status, 400);
    assert.equal(
      (await control(sb, 'POST', '/faults', { mode: '429', broker: 'etrade' })).status,
      400,
    );
    for (const delayMs of [-1, 1.5, 120_001, 'soon', true, null]) {
      const res = await control(sb, 'POST', '/faults', { mode: 'delay', delayMs });
      assert.equal(res.status, 400, `delayMs ${JSON.stringify(delayMs)}`);
      assert.match(res.body.error, /delayMs/);
    }
    assert.equal(
      (await control(sb, 'POST', '/faults', { mode: 'delay', delayMs: 120_000 })).status,
      201,
    );
    assert.equal((await control(sb, 'POST', '/faults', { mode: 'delay', delayMs: 0 })).status, 201);
  });
});

describe('config, stats and reset', () => {
  it('stats count requests and token grants per broker', async () => {
    await numbers();
    await numbers();
    const stats = (await control(sb, 'GET', '/stats')).body;
    assert.equal(stats.requests, 2);
    assert.equal(stats.byBroker.schwab, 2);
    assert.deepEqual(stats.tokenRequests, {
      schwab: { authorization_code: 0, refresh_token: 0 },
      tastytrade: { authorization_code: 0, refresh_token: 0 },
    });
  });

  it('config sets token lifetimes per broker or for both', async () => {
    let cfg = (await control(sb, 'POST', '/config', { accessTokenTtl: 5, refreshTokenTtl: 100 }))
      .body;
    assert.equal(cfg.schwab.accessTokenTtl, 5);
    assert.equal(cfg.tastytrade.refreshTokenTtl, 100);
    cfg = (await control(sb, 'POST', '/config', { tastytrade: { accessTokenTtl: 42 } })).body;
    assert.equal(cfg.tastytrade.accessTokenTtl, 42);
    assert.equal(cfg.schwab.accessTokenTtl, 5);
    const tt = await tastytradeLogin(sb, 'alice');
    assert.equal(tt.expires_in, 42);
    await control(sb, 'POST', '/config', { clockOffsetMs: 101_000 });
    const res = await api(sb, 'POST', '/tastytrade/oauth/token', {
      headers: UA,
      body: {
        grant_type: 'refresh_token',
        refresh_token: tt.refresh_token,
        client_secret: TT.clientSecret,
      },
    });
    assert.equal(res.status, 400);
  });

  it('reset restores seeded state, config and counters', async () => {
    const [acct] = (await numbers()).json;
    await api(sb, 'POST', `/schwab/trader/v1/accounts/${acct.hashValue}/orders`, {
      token,
      body: {
        session: 'NORMAL',
        duration: 'DAY',
        orderType: 'MARKET',
        orderStrategyType: 'SINGLE',
        orderLegCollection: [
          { instruction: 'BUY', quantity: 1, instrument: { symbol: 'KO', assetType: 'EQUITY' } },
        ],
      },
    });
    await control(sb, 'POST', '/config', { accessTokenTtl: 1 });
    await control(sb, 'POST', '/reset');
    assert.equal((await control(sb, 'GET', '/config')).body.schwab.accessTokenTtl, 1800);
    assert.equal((await control(sb, 'GET', '/stats')).body.requests, 0);
    assert.equal((await numbers()).status, 401, 'tokens are forgotten');
    token = (await mint(sb, 'schwab', 'alice')).access_token;
    const positions = (
      await api(sb, 'GET', `/schwab/trader/v1/accounts/${acct.hashValue}?fields=positions`, {
        token,
      })
    ).json.securitiesAccount.positions;
    assert.ok(!positions.some((p) => p.instrument.symbol === 'KO'));
  });

  it('expire invalidates live tokens on demand', async () => {
    assert.equal((await numbers()).status, 200);
    const res = await control(sb, 'POST', '/expire', { broker: 'schwab', kind: 'access' });
    assert.ok(res.body.expired >= 1);
    assert.equal((await numbers()).status, 401);
  });

  it('lists demo users with account numbers and hashes', async () => {
    const users = (await control(sb, 'GET', '/users')).body;
    assert.ok(users.schwab.alice.accounts.every((a) => /^[0-9A-F]{64}$/.test(a.hashValue)));
    assert.ok(users.tastytrade.bob.accounts.length >= 2);
  });
});
