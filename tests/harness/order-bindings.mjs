// Stand-ins for what a Schwab order needs, for driving the real shim and core.wasm through
// previewOrder and placeOrder under Node: a D1 that keeps the tables an order touches
// (the person's sealed broker tokens, the upstream rate window, confirmations, the order
// journal) by recognising the core's statements, and a scripted Schwab API behind
// globalThis.fetch (the project's fixtures) with a hook on the order POST.
import { createCipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { FakeD1, SIGNIN_VARS, root } from './fake-bindings.mjs';

export const ACCOUNT = 'Individual-...6123';
export const HASH_A = '9395F260FFE0BE90C392C629CE56C5BE7A07C60C0363363037EA880B7D64DB86';
export const LIMIT_BUY = {
  orderType: 'LIMIT',
  session: 'NORMAL',
  duration: 'DAY',
  orderStrategyType: 'SINGLE',
  price: 150,
  orderLegCollection: [
    { instruction: 'BUY', quantity: 10, instrument: { symbol: 'AAPL', assetType: 'EQUITY' } },
  ],
};

const fixture = (name) => readFileSync(`${root}tests/fixtures/schwab/${name}`, 'utf8');

// src/crypto/sealed_box.hpp: v1.<base64url(iv)>.<base64url(ciphertext || tag)>, AES-256-GCM,
// with the broker-token AAD of src/signin/broker_token_record.cpp.
function sealBrokerTokens(userId, provider, tokens) {
  const key = Buffer.from(SIGNIN_VARS.TOKEN_ENCRYPTION_KEY, 'hex');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(`broker-token:${userId}:${provider}`));
  const body = Buffer.concat([
    cipher.update(JSON.stringify({ v: 1, ...tokens })),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return `v1.${iv.toString('base64url')}.${body.toString('base64url')}`;
}

export class OrderD1 extends FakeD1 {
  constructor(userId = 'schwab:HARNESS') {
    super();
    this.userId = userId;
    this.sealed = sealBrokerTokens(userId, 'schwab', {
      access_token: 'harness-access',
      refresh_token: 'harness-refresh',
      scope: '',
    });
    this.confirmations = new Map();
    this.journal = new Map();
  }
  answer(sql, params) {
    if (/FROM user_oauth_tokens/.test(sql) && /^SELECT/.test(sql)) {
      return {
        results: [
          {
            user_id: this.userId,
            provider: 'schwab',
            sealed_tokens: this.sealed,
            access_expires_at: Date.now() + 3600_000,
            refresh_expires_at: null,
            version: 1,
            refresh_lease_until: null,
            refresh_lease_owner: null,
            invalid_reason: null,
            updated_at: Date.now(),
          },
        ],
        changes: 0,
      };
    }
    if (/INSERT INTO order_confirmations/.test(sql)) {
      const [
        token_hash,
        user_id,
        provider,
        action,
        account_display,
        order_digest,
        preview,
        expires_at,
      ] = params;
      this.confirmations.set(token_hash, {
        user_id,
        provider,
        action,
        account_display,
        order_digest,
        preview,
        expires_at,
        used_at: null,
      });
      return { results: [], changes: 1 };
    }
    if (/FROM order_confirmations WHERE token_hash/.test(sql)) {
      const row = this.confirmations.get(params[0]);
      return { results: row && row.user_id === params[1] ? [row] : [], changes: 0 };
    }
    if (/UPDATE order_confirmations SET used_at/.test(sql)) {
      const row = this.confirmations.get(params[1]);
      if (!row || row.used_at !== null) return { results: [], changes: 0 };
      row.used_at = params[0];
      return { results: [], changes: 1 };
    }
    if (/INSERT INTO order_journal/.test(sql)) {
      this.journal.set(params[0], { id: params[0], action: params[3], status: 'sent' });
      return { results: [], changes: 1 };
    }
    if (/UPDATE order_journal SET status/.test(sql)) {
      const row = this.journal.get(params[3]);
      if (!row) return { results: [], changes: 0 };
      row.status = params[0];
      return { results: [], changes: 1 };
    }
    return null;
  }
  prepare(sql) {
    const db = this;
    const base = super.prepare(sql);
    return {
      bind(...params) {
        const fallback = base.bind(...params);
        return {
          async all() {
            const mine = db.answer(sql, params);
            if (!mine) return fallback.all();
            db.queries.push({ sql, params });
            return { results: mine.results, meta: { changes: mine.changes } };
          },
        };
      },
    };
  }
}

// Replaces globalThis.fetch with the Schwab API of the fixtures until `restore()`.
// `onPlace(request)` answers the order POST (default: 201 with the new order's Location).
export function scriptSchwab({ onPlace } = {}) {
  const original = globalThis.fetch;
  const placed = [];
  const json = (body, status = 200, headers = {}) =>
    new Response(body, { status, headers: { 'content-type': 'application/json', ...headers } });
  globalThis.fetch = async (input, init = {}) => {
    const url = new URL(typeof input === 'string' ? input : input.url);
    const method = (init.method ?? 'GET').toUpperCase();
    const p = url.pathname;
    if (p === '/trader/v1/accounts/accountNumbers') return json(fixture('account_numbers.json'));
    if (p === '/trader/v1/userPreference') return json(fixture('user_preference.json'));
    if (p === '/trader/v1/accounts') return json(fixture('accounts.json'));
    if (p === `/trader/v1/accounts/${HASH_A}/previewOrder`) return json(fixture('preview.json'));
    if (p === `/trader/v1/accounts/${HASH_A}/orders` && method === 'POST') {
      placed.push(init.body);
      if (onPlace) return onPlace();
      return json('', 201, {
        location: `${url.origin}/trader/v1/accounts/${HASH_A}/orders/1000500000001`,
      });
    }
    if (p.startsWith(`/trader/v1/accounts/${HASH_A}/orders/`)) return json(fixture('order.json'));
    return json(JSON.stringify({ message: 'no route' }), 404);
  };
  return {
    placed,
    restore() {
      globalThis.fetch = original;
    },
  };
}

export function placedResponse(origin = 'https://api.schwabapi.com') {
  return new Response('', {
    status: 201,
    headers: { location: `${origin}/trader/v1/accounts/${HASH_A}/orders/1000500000001` },
  });
}
