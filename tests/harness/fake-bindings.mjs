// In-memory stand-ins for the Workers bindings, for driving the real shim and core.wasm
// under Node: a Durable Object namespace that instantiates the real object class per
// name, Durable Object storage, KV with the platform's 60-second minimum TTL, and a D1
// that knows just the sign-in grants the tests declare live.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));

export function loadCoreModule(path = 'build/wasm/core.wasm') {
  return new WebAssembly.Module(readFileSync(root + path));
}

export class MemoryStorage {
  constructor() {
    this.map = new Map();
  }
  async get(key) {
    return structuredClone(this.map.get(key));
  }
  async put(key, value) {
    this.map.set(key, structuredClone(value));
  }
  async delete(key) {
    return this.map.delete(key);
  }
}

export class MemoryKV {
  constructor() {
    this.map = new Map();
  }
  async get(key) {
    const e = this.map.get(key);
    if (!e || (e.expires && e.expires <= Date.now())) return null;
    return e.value;
  }
  async put(key, value, options = {}) {
    if (options.expirationTtl !== undefined && options.expirationTtl < 60) {
      throw new Error('KV PUT failed: 400 Invalid expiration_ttl of ' + options.expirationTtl);
    }
    this.map.set(key, {
      value,
      expires: options.expirationTtl ? Date.now() + options.expirationTtl * 1000 : 0,
    });
  }
  async delete(key) {
    this.map.delete(key);
  }
}

export class FakeNamespace {
  constructor(ObjectClass, envRef) {
    this.ObjectClass = ObjectClass;
    this.envRef = envRef;
    this.objects = new Map();
  }
  idFromName(name) {
    return { name, toString: () => name };
  }
  get(id) {
    let obj = this.objects.get(id.name);
    if (!obj) {
      const waits = [];
      obj = new this.ObjectClass(
        { storage: new MemoryStorage(), waitUntil: (p) => waits.push(p), id },
        this.envRef.env,
      );
      this.objects.set(id.name, obj);
    }
    return { fetch: (req) => obj.fetch(req) };
  }
}

// The secrets and broker credentials a production build needs to start (development
// values, as `npm run dev` writes them to .dev.vars).
export const SIGNIN_VARS = {
  JWT_SECRET: 'harness-signing-secret-0123456789abcdefghijklmnop',
  COOKIE_ENCRYPTION_KEY: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
  TOKEN_ENCRYPTION_KEY: '1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100',
  SCHWAB_CLIENT_ID: 'sandbox-schwab-client',
  SCHWAB_CLIENT_SECRET: 'sandbox-schwab-secret',
};

// D1 for the bearer check: a grant listed in `liveGrants` is alive and its person's broker
// tokens are usable; fixed-window rate counters (every `*_rate_windows` table) count as
// D1's upsert would; every other query finds nothing.
export class FakeD1 {
  constructor() {
    this.liveGrants = new Set();
    this.queries = [];
    this.rateWindows = new Map();
  }
  // INSERT … ON CONFLICT … RETURNING count, window_start: a new window restarts at 1.
  countRateWindow(sql, [bucket, windowStart]) {
    const key = `${/INSERT INTO (\w+_rate_windows)/.exec(sql)[1]}:${bucket}`;
    const row = this.rateWindows.get(key);
    const next =
      !row || windowStart > row.window_start
        ? { count: 1, window_start: windowStart }
        : { count: row.count + 1, window_start: row.window_start };
    this.rateWindows.set(key, next);
    return [next];
  }
  prepare(sql) {
    const db = this;
    return {
      bind(...params) {
        return {
          async all() {
            db.queries.push({ sql, params });
            if (/INSERT INTO \w+_rate_windows/.test(sql))
              return { results: db.countRateWindow(sql, params), meta: { changes: 1 } };
            const grantStatus = /FROM oauth_grants g LEFT JOIN user_oauth_tokens/.test(sql);
            const results =
              grantStatus && db.liveGrants.has(params[0])
                ? [{ revoked_at: null, token_user: params[1], invalid_reason: null }]
                : [];
            return { results, meta: { changes: 0 } };
          },
        };
      },
    };
  }
  async batch(statements) {
    return Promise.all(statements.map((s) => s.all()));
  }
}

// An access token as the server issues them (HS256, typ at+jwt), for http://127.0.0.1:8787.
export function accessToken({
  sub = 'schwab:HARNESS',
  gid = 'harness-grant',
  origin = 'http://127.0.0.1:8787',
} = {}) {
  const b64 = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64({ alg: 'HS256', typ: 'at+jwt' })}.${b64({
    sub,
    iss: origin,
    aud: `${origin}/mcp`,
    client_id: 'harness',
    scope: 'brokerage:read brokerage:trade',
    gid,
    jti: `${now}-${Math.random()}`,
    iat: now,
    exp: now + 3600,
  })}`;
  return `${body}.${createHmac('sha256', SIGNIN_VARS.JWT_SECRET).update(body).digest('base64url')}`;
}

export function makeEnv(worker, vars = {}) {
  const envRef = {};
  const env = { CACHE: new MemoryKV(), DB: new FakeD1(), ...SIGNIN_VARS, ...vars };
  env.DB.liveGrants.add('harness-grant');
  env.MCP_SESSION = new FakeNamespace(worker.McpSession, envRef);
  envRef.env = env;
  return env;
}

export const ctx = { waitUntil() {} };
