// The /_sandbox control API used by tests: fault injection, configuration,
// counters, state reset, demo-user listing and direct token minting.

import { json, parseJson } from './http-util.mjs';
import { normalizeFault } from './faults.mjs';
import { mintTokens, newGrantId } from './oauth-common.mjs';
import { createPersonalGrant, deletePersonalGrant } from './tastytrade/personal-grants.mjs';
import { newCorrelId } from './data/accounts.mjs';
import { BROKERS, defaultConfig, updateConfig } from './state.mjs';

function publicFault(f) {
  const {
    broker,
    path,
    mode,
    count,
    remaining,
    method,
    retryAfter,
    timeoutMs,
    delayMs,
    triggered,
  } = f;
  return {
    broker,
    path,
    mode,
    count,
    remaining,
    method,
    retryAfter,
    timeoutMs,
    delayMs,
    triggered,
  };
}

function usersView(state) {
  const out = {};
  for (const broker of BROKERS) {
    out[broker] = {};
    for (const [name, u] of Object.entries(state.users[broker])) {
      out[broker][name] = {
        name: `${u.name} ${u.lastName}`,
        email: u.email,
        customerId: u.customerId,
        accounts: u.accounts.map((a) => ({
          accountNumber: a.number,
          ...(a.hash ? { hashValue: a.hash } : {}),
          type: a.typeName,
          nickname: a.nickName,
          margin: a.margin,
        })),
      };
    }
  }
  return out;
}

export function handleControl(ctx) {
  const { state, method } = ctx;
  const path = ctx.path.replace(/\/+$/, '');
  const body = parseJson(ctx.body);

  if (path === '/_sandbox/faults') {
    if (method === 'GET') return json(200, { faults: state.faults.map(publicFault) });
    if (method === 'DELETE') {
      state.faults = [];
      return json(200, { faults: [] });
    }
    if (method === 'POST') {
      const specs = Array.isArray(body) ? body : [body];
      const added = [];
      for (const spec of specs) {
        const { fault, error } = normalizeFault(spec);
        if (error) return json(400, { error });
        added.push(fault);
      }
      state.faults.push(...added);
      return json(201, { faults: state.faults.map(publicFault) });
    }
  }

  if (path === '/_sandbox/config') {
    if (method === 'GET') return json(200, state.config);
    if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
      if (!body || typeof body !== 'object') return json(400, { error: 'expected a JSON object' });
      return json(200, updateConfig(state, body));
    }
  }

  if (path === '/_sandbox/stats' && method === 'GET') return json(200, state.stats);

  if (path === '/_sandbox/reset' && method === 'POST') {
    const keepConfig = body && body.keepConfig === true;
    const config = state.config;
    state.config = keepConfig ? config : defaultConfig();
    state.reset();
    return json(200, { ok: true });
  }

  if (path === '/_sandbox/users' && method === 'GET') return json(200, usersView(state));

  // Mint tokens without the browser flow: {"broker": "schwab", "user": "alice"}.
  if (path === '/_sandbox/tokens' && method === 'POST') {
    const broker = body && body.broker;
    const user = body && body.user;
    if (!BROKERS.includes(broker) || !state.users[broker]?.[user])
      return json(400, { error: 'broker and a known user are required' });
    const clientId = state.config[broker].clientId;
    const scope = broker === 'schwab' ? 'api' : 'read trade';
    const tokens = mintTokens(
      state,
      broker,
      { user, clientId, scope, grantId: newGrantId(), loginAt: ctx.now, correlId: newCorrelId() },
      ctx.now,
    );
    return json(200, {
      access_token: tokens.access,
      refresh_token: tokens.refresh,
      token_type: 'Bearer',
      expires_in: state.config[broker].accessTokenTtl,
    });
  }

  // tastytrade personal grants: {"user": "alice", "clientId"?: "another-app"} creates one
  // (its refresh token is shown once); DELETE /_sandbox/personal-grants/<grantId> deletes it.
  if (path === '/_sandbox/personal-grants' && method === 'POST') {
    const user = body && body.user;
    if (!state.users.tastytrade[user])
      return json(400, { error: 'a known tastytrade user is required' });
    const grant = createPersonalGrant(state, user, body.clientId, ctx.now);
    return json(201, {
      grant_id: grant.grantId,
      refresh_token: grant.refreshToken,
      client_id: grant.clientId,
    });
  }
  if (path.startsWith('/_sandbox/personal-grants/') && method === 'DELETE') {
    const revoked = deletePersonalGrant(
      state,
      decodeURIComponent(path.slice('/_sandbox/personal-grants/'.length)),
    );
    return revoked ? json(200, { revoked }) : json(404, { error: 'no such grant' });
  }

  // Expire tokens now: {"broker": "schwab"|"tastytrade"|"*", "kind": "access"|"refresh"|"*", "user"?: "alice"}.
  if (path === '/_sandbox/expire' && method === 'POST') {
    const broker = (body && body.broker) || '*';
    const kind = (body && body.kind) || 'access';
    let n = 0;
    for (const rec of state.tokens.values()) {
      if (broker !== '*' && rec.broker !== broker) continue;
      if (kind !== '*' && rec.kind !== kind) continue;
      if (body && body.user && rec.user !== body.user) continue;
      rec.expiresAt = ctx.now - 1;
      n++;
    }
    return json(200, { expired: n });
  }

  if (path === '/_sandbox' || path === '/_sandbox/health')
    return json(200, { ok: true, now: ctx.now });

  return json(404, { error: `no control route ${method} ${ctx.path}` });
}
