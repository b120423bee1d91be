// Test helpers: start a sandbox per test file, call it with fetch, run the
// OAuth flows, and a small masked-frame WebSocket client for DXLink tests.

import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { startSandbox } from '../sandbox.mjs';

export const UA = { 'user-agent': 'sandbox-tests/1.0' };

export async function withSandbox(options = {}) {
  return startSandbox({ port: 0, ...options });
}

export async function control(sb, method, path, body) {
  const res = await fetch(`${sb.url}/_sandbox${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

export async function mint(sb, broker, user) {
  return (await control(sb, 'POST', '/tokens', { broker, user })).body;
}

/**
 * One HTTP request through node:http (unlike fetch, it adds no User-Agent,
 * so tests control that header). Returns {status, headers (Headers), text, json}.
 */
export function api(sb, method, path, { token, headers = {}, body, form } = {}) {
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  let payload;
  if (form) {
    h['content-type'] = 'application/x-www-form-urlencoded';
    payload = new URLSearchParams(form).toString();
  } else if (body !== undefined) {
    h['content-type'] = 'application/json';
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  if (payload !== undefined) h['content-length'] = String(Buffer.byteLength(payload));
  return new Promise((resolve, reject) => {
    const req = http.request(`${sb.url}${path}`, { method, headers: h }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        const out = new Headers();
        for (const [k, v] of Object.entries(res.headers))
          out.set(k, Array.isArray(v) ? v.join(', ') : v);
        resolve({ status: res.statusCode, headers: out, text, json });
      });
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

export function pkcePair() {
  const verifier = randomBytes(48).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

export function basic(id, secret) {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

export const SCHWAB = {
  clientId: 'sandbox-schwab-client',
  clientSecret: 'sandbox-schwab-secret',
  redirect: 'http://127.0.0.1:8787/callback',
};
export const TT = {
  clientId: 'sandbox-tastytrade-client',
  clientSecret: 'sandbox-tastytrade-secret',
  redirect: 'http://127.0.0.1:8787/oauth/callback',
};

/** Runs the Schwab authorize leg non-interactively; returns {code, state, location}. */
export async function schwabAuthorize(sb, user, { challenge, state = 'st-123' } = {}) {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: SCHWAB.clientId,
    redirect_uri: SCHWAB.redirect,
    scope: 'readonly',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    sandbox_user: user,
  });
  const res = await api(sb, 'GET', `/schwab/v1/oauth/authorize?${q}`);
  const location = res.headers.get('location');
  const url = new URL(location);
  return {
    status: res.status,
    code: url.searchParams.get('code'),
    state: url.searchParams.get('state'),
    location,
  };
}

export async function schwabLogin(sb, user) {
  const { verifier, challenge } = pkcePair();
  const { code } = await schwabAuthorize(sb, user, { challenge });
  const res = await api(sb, 'POST', '/schwab/v1/oauth/token', {
    headers: { authorization: basic(SCHWAB.clientId, SCHWAB.clientSecret) },
    form: {
      grant_type: 'authorization_code',
      code,
      redirect_uri: SCHWAB.redirect,
      code_verifier: verifier,
    },
  });
  return res.json;
}

export async function tastytradeLogin(sb, user) {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: TT.clientId,
    redirect_uri: TT.redirect,
    state: 'x',
    sandbox_user: user,
  });
  const res = await api(sb, 'GET', `/tastytrade/auth.html?${q}`);
  const code = new URL(res.headers.get('location')).searchParams.get('code');
  const tok = await api(sb, 'POST', '/tastytrade/oauth/token', {
    headers: UA,
    body: {
      grant_type: 'authorization_code',
      code,
      client_id: TT.clientId,
      client_secret: TT.clientSecret,
      redirect_uri: TT.redirect,
    },
  });
  return tok.json;
}

// ---- a minimal WebSocket client (masked frames, text only) ---------------------------

export function connectWebSocket(url) {
  return new Promise((resolve, reject) => {
    const key = randomBytes(16).toString('base64');
    const req = http.request(url.replace(/^ws/, 'http'), {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': key,
      },
    });
    req.on('upgrade', (res, socket, head) => {
      const expected = createHash('sha1')
        .update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
        .digest('base64');
      if (res.headers['sec-websocket-accept'] !== expected) {
        reject(new Error('bad Sec-WebSocket-Accept'));
        return;
      }
      resolve(new TestSocket(socket, head));
    });
    req.on('response', (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
    req.on('error', reject);
    req.end();
  });
}

class TestSocket {
  constructor(socket, head) {
    this.socket = socket;
    this.buffer = head && head.length ? head : Buffer.alloc(0);
    this.messages = [];
    this.waiters = [];
    this.closed = null;
    socket.on('data', (d) => {
      this.buffer = Buffer.concat([this.buffer, d]);
      this.parse();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      if (!this.closed) this.closed = { code: 1006 };
      this.flush();
    });
    this.parse();
  }

  parse() {
    for (;;) {
      const b = this.buffer;
      if (b.length < 2) return;
      const opcode = b[0] & 0x0f;
      let len = b[1] & 0x7f;
      let off = 2;
      if (len === 126) {
        if (b.length < 4) return;
        len = b.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (b.length < 10) return;
        len = Number(b.readBigUInt64BE(2));
        off = 10;
      }
      if (b.length < off + len) return;
      const payload = b.subarray(off, off + len);
      this.buffer = b.subarray(off + len);
      if (opcode === 1) this.messages.push(JSON.parse(payload.toString('utf8')));
      else if (opcode === 8)
        this.closed = { code: payload.length >= 2 ? payload.readUInt16BE(0) : 1005 };
      else if (opcode === 10) this.messages.push({ type: '__PONG__', data: payload.toString() });
      this.flush();
    }
  }

  flush() {
    for (const w of [...this.waiters]) {
      const idx = this.messages.findIndex(w.pred);
      if (idx >= 0) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        clearTimeout(w.timer);
        w.resolve(this.messages.splice(idx, 1)[0]);
      } else if (this.closed && w.pred.close) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(this.closed);
      }
    }
  }

  frame(opcode, payload) {
    const mask = randomBytes(4);
    const len = payload.length;
    const header =
      len < 126
        ? Buffer.from([0x80 | opcode, 0x80 | len])
        : Buffer.from([0x80 | opcode, 0x80 | 126, len >> 8, len & 255]);
    const body = Buffer.alloc(len);
    for (let i = 0; i < len; i++) body[i] = payload[i] ^ mask[i & 3];
    this.socket.write(Buffer.concat([header, mask, body]));
  }

  send(obj) {
    this.frame(1, Buffer.from(JSON.stringify(obj)));
  }

  ping(text) {
    this.frame(9, Buffer.from(text));
  }

  close() {
    this.frame(8, Buffer.from([0x03, 0xe8]));
  }

  /** Resolves with the next message matching pred (a type string or a function). */
  next(pred, timeoutMs = 5000) {
    const fn = typeof pred === 'string' ? (m) => m.type === pred : pred;
    return new Promise((resolve, reject) => {
      const w = { pred: fn, resolve };
      w.timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`timed out waiting for ${typeof pred === 'string' ? pred : 'message'}`));
      }, timeoutMs);
      this.waiters.push(w);
      this.flush();
    });
  }

  destroy() {
    this.socket.destroy();
  }
}
