// All mutable state of one sandbox process: configuration, demo users and
// their accounts, OAuth codes and tokens, injected faults and counters.
// `reset()` rebuilds everything from the seeds.

import { seedBroker } from './data/accounts.mjs';

export const BROKERS = ['schwab', 'tastytrade'];

export function defaultConfig(env = process.env) {
  return {
    schwab: {
      clientId: env.SANDBOX_SCHWAB_CLIENT_ID || 'sandbox-schwab-client',
      clientSecret: env.SANDBOX_SCHWAB_CLIENT_SECRET || 'sandbox-schwab-secret',
      accessTokenTtl: 1800,
      refreshTokenTtl: 7 * 86400, // hard limit counted from the login
      codeTtl: 60,
      redirectUris: [],
    },
    tastytrade: {
      clientId: env.SANDBOX_TASTYTRADE_CLIENT_ID || 'sandbox-tastytrade-client',
      clientSecret: env.SANDBOX_TASTYTRADE_CLIENT_SECRET || 'sandbox-tastytrade-secret',
      accessTokenTtl: 900,
      refreshTokenTtl: null, // tastytrade refresh tokens do not expire
      codeTtl: 300,
      redirectUris: [],
      requireUserAgent: true,
      quoteTokenTtl: 86400,
    },
    // Fixed clock (epoch ms) for tests; null = real time. clockOffsetMs shifts real time.
    now: null,
    clockOffsetMs: 0,
    feedIntervalMs: 1000,
  };
}

function counters() {
  return {
    order: { schwab: 1003700000001, tastytrade: 412001 },
    transaction: { schwab: 81200000001, tastytrade: 2310001 },
  };
}

function emptyStats() {
  return {
    requests: 0,
    byBroker: { schwab: 0, tastytrade: 0 },
    tokenRequests: {
      schwab: { authorization_code: 0, refresh_token: 0 },
      tastytrade: { authorization_code: 0, refresh_token: 0 },
    },
    tokensIssued: { schwab: 0, tastytrade: 0 },
    faultsInjected: 0,
    dxlinkConnections: 0,
    ordersPlaced: { schwab: 0, tastytrade: 0 },
    // Every request to an order endpoint (place, replace, cancel, preview or dry run),
    // answered or not: "nothing reached the broker's orders" is orderRequests unchanged.
    orderRequests: { schwab: 0, tastytrade: 0 },
  };
}

export function createState(options = {}) {
  const state = {
    config: defaultConfig(options.env),
    port: 0,
    faults: [],
    pendingTimers: new Set(),
  };
  if (options.now !== undefined) state.config.now = options.now;

  state.now = () =>
    state.config.now != null ? state.config.now : Date.now() + (state.config.clockOffsetMs || 0);

  state.reset = () => {
    state.codes = new Map();
    state.tokens = new Map();
    state.quoteTokens = new Map();
    state.stats = emptyStats();
    state.faults = [];
    state.counters = counters();
    const ids = {
      order: (broker) => state.counters.order[broker]++,
      transaction: (broker) => state.counters.transaction[broker]++,
    };
    state.ids = ids;
    const t = state.now();
    state.users = {
      schwab: seedBroker('schwab', t, ids),
      tastytrade: seedBroker('tastytrade', t, ids),
    };
  };

  state.user = (broker, name) => state.users[broker][name] || null;

  state.accountsOf = (broker, name) =>
    state.users[broker][name] ? state.users[broker][name].accounts : [];

  state.findAccount = (broker, predicate) => {
    for (const u of Object.values(state.users[broker])) {
      for (const a of u.accounts) if (predicate(a)) return a;
    }
    return null;
  };

  state.reset();
  return state;
}

/** Applies a partial config update; per-broker keys or top-level shorthands for both. */
export function updateConfig(state, patch) {
  const c = state.config;
  const perBroker = [
    'accessTokenTtl',
    'refreshTokenTtl',
    'codeTtl',
    'clientId',
    'clientSecret',
    'redirectUris',
    'requireUserAgent',
    'quoteTokenTtl',
  ];
  for (const key of perBroker) {
    if (key in patch) for (const b of BROKERS) c[b][key] = patch[key];
  }
  for (const b of BROKERS) {
    if (patch[b] && typeof patch[b] === 'object') {
      for (const key of perBroker) if (key in patch[b]) c[b][key] = patch[b][key];
    }
  }
  if ('now' in patch) c.now = patch.now === null ? null : Number(patch.now);
  if ('clockOffsetMs' in patch) c.clockOffsetMs = Number(patch.clockOffsetMs) || 0;
  if ('feedIntervalMs' in patch)
    c.feedIntervalMs = Math.max(50, Number(patch.feedIntervalMs) || 1000);
  return c;
}
