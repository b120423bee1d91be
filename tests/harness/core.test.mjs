// The built core.wasm driven through the real shim with fake bindings: the wire contract,
// concurrency inside one instance, hostile input, traps, and configuration errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeWorker } from '../../worker-shim/worker.js';
import { CoreInstance, WIRE_VERSION, currentInstance } from '../../worker-shim/core-instance.js';
import { performEffect } from '../../worker-shim/effects/index.js';
import { SIGNIN_VARS, accessToken, ctx, loadCoreModule, makeEnv } from './fake-bindings.mjs';
import { ACCOUNT, LIMIT_BUY, OrderD1, placedResponse, scriptSchwab } from './order-bindings.mjs';
import { configOf } from '../../worker-shim/config.js';

const module = loadCoreModule();
const worker = makeWorker(module);
const MCP_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};

function post(env, body, headers = {}) {
  return worker.handler.fetch(
    new Request('http://127.0.0.1:8787/mcp', {
      method: 'POST',
      headers: { ...MCP_HEADERS, authorization: `Bearer ${accessToken()}`, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
    env,
    ctx,
  );
}

async function initialize(env) {
  const res = await post(env, {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'harness', version: '1' },
    },
  });
  assert.equal(res.status, 200);
  const session = res.headers.get('mcp-session-id');
  assert.match(session, /^[0-9a-f]{32}$/);
  return session;
}

test('GET /health answers ok through the core', async () => {
  const res = await worker.handler.fetch(
    new Request('http://127.0.0.1:8787/health'),
    makeEnv(worker),
    ctx,
  );
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'ok');
});

test('an MCP request without a valid bearer token is sent to sign in', async () => {
  const env = makeEnv(worker);
  const missing = await post(env, { jsonrpc: '2.0', id: 1, method: 'ping' }, { authorization: '' });
  assert.equal(missing.status, 401);
  assert.match(
    missing.headers.get('www-authenticate'),
    /^Bearer resource_metadata="http:\/\/127\.0\.0\.1:8787\/\.well-known\/oauth-protected-resource\/mcp"/,
  );
  const revoked = await post(
    env,
    { jsonrpc: '2.0', id: 1, method: 'ping' },
    { authorization: `Bearer ${accessToken({ gid: 'gone' })}` },
  );
  assert.equal(revoked.status, 401);
  assert.match(revoked.headers.get('www-authenticate'), /error="invalid_token"/);
});

test('an MCP session: initialize, list tools, call status', async () => {
  const env = makeEnv(worker);
  const session = await initialize(env);
  const list = await post(
    env,
    { jsonrpc: '2.0', id: 2, method: 'tools/list' },
    { 'mcp-session-id': session },
  );
  const tools = (await list.json()).result.tools;
  assert.ok(tools.some((t) => t.name === 'status'));
  const call = await post(
    env,
    { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'status', arguments: {} } },
    { 'mcp-session-id': session },
  );
  const result = (await call.json()).result;
  assert.equal(result.structuredContent.server, 'broker-mcp');
  assert.equal(result.structuredContent.protocolVersion, '2025-11-25');
});

test('a request reaches the core whole: line breaks in its body, odd and empty headers', async () => {
  // The request crosses into the core in a line form (bindings/ABI.md "Events"): a body
  // of many lines (each one after the headers could pass for a header line), text with
  // escaped line breaks and non-ASCII characters, and empty or Latin-1 header values arrive
  // as sent.
  const env = makeEnv(worker);
  const session = await initialize(env);
  const body = JSON.stringify(
    {
      jsonrpc: '2.0',
      id: 'line\nbreak',
      method: 'tools/call',
      params: { name: 'status', arguments: {}, _meta: { note: '2\nx-injected\nyes\n€ 📈' } },
    },
    null,
    2,
  );
  assert.ok(body.includes('\n'));
  const res = await post(env, body, {
    'mcp-session-id': session,
    'x-empty': '',
    'x-latin': 'caf\u00e9',
  });
  assert.equal(res.status, 200);
  const answer = await res.json();
  assert.equal(answer.id, 'line\nbreak');
  assert.equal(answer.result.structuredContent.server, 'broker-mcp');
});

test('a request field holding a line break never reaches the core', () => {
  // Fetch never lets one through; a caller's bug must not shift the headers the core reads
  // (a value "x\nauthorization\nBearer …" would otherwise become a header of its own).
  const core = new CoreInstance(module, SIGNIN_VARS);
  const event = (headers, url = 'http://x/mcp') => ({
    type: 'fetch',
    request: { method: 'POST', url, headers, body: '{}' },
  });
  for (const bad of [
    event([['x-note', 'x\nauthorization\nBearer forged']]),
    event([['x-a\nauthorization', 'Bearer forged']]),
    event([], 'http://x/mcp\n0\n'),
  ]) {
    assert.throws(() => core.start({ v: WIRE_VERSION, now: 1, event: bad }), /line break/);
  }
  assert.equal(core.liveCalls(), 0);
  assert.equal(core.broken, false); // refused before the module saw anything
});

test('two calls stay suspended in one instance and complete out of order', () => {
  const core = new CoreInstance(module, SIGNIN_VARS);
  const event = (name) => ({
    type: 'object.fetch',
    object: { class: 'McpSession', name },
    request: {
      method: 'POST',
      url: 'http://x/mcp',
      headers: [['content-type', 'application/json']],
      body: '{"jsonrpc":"2.0","id":1,"method":"ping"}',
    },
  });
  const a = core.start({ v: WIRE_VERSION, now: 1, event: event('a'.repeat(32)) });
  const b = core.start({ v: WIRE_VERSION, now: 1, event: event('b'.repeat(32)) });
  assert.equal(a.state, 'blocked');
  assert.equal(b.state, 'blocked');
  assert.equal(core.liveCalls(), 2);
  assert.equal(a.effects[0].kind, 'storage.get');
  // Finish b first: its session does not exist, so it answers 404.
  const bDone = core.resume(b.call, {
    v: WIRE_VERSION,
    now: 2,
    results: [{ id: b.effects[0].id, ok: true, value: { value: null } }],
  });
  assert.equal(bDone.state, 'done');
  assert.equal(bDone.result.status, 404);
  assert.equal(core.liveCalls(), 1);
  const aDone = core.resume(a.call, {
    v: WIRE_VERSION,
    now: 3,
    results: [{ id: a.effects[0].id, ok: true, value: { value: null } }],
  });
  assert.equal(aDone.state, 'done');
  assert.equal(core.liveCalls(), 0);
});

test('a cancelled call releases its state in the instance', () => {
  const core = new CoreInstance(module, SIGNIN_VARS);
  const step = core.start({
    v: WIRE_VERSION,
    now: 1,
    event: {
      type: 'object.fetch',
      object: { class: 'McpSession', name: 'c'.repeat(32) },
      request: { method: 'DELETE', url: 'http://x/mcp', headers: [], body: '' },
    },
  });
  assert.equal(step.state, 'blocked');
  assert.equal(core.liveCalls(), 1);
  core.cancel(step.call);
  assert.equal(core.liveCalls(), 0);
  const late = core.resume(step.call, { v: WIRE_VERSION, now: 2, results: [] });
  assert.equal(late.state, 'error');
});

test('wire versions are checked on both sides', () => {
  const core = new CoreInstance(module, SIGNIN_VARS);
  const bad = core.start({ v: WIRE_VERSION + 1, now: 1, event: { type: 'fetch' } });
  assert.equal(bad.state, 'error');
  assert.match(bad.error, new RegExp(`unsupported wire version ${WIRE_VERSION + 1}`));
});

test('an unknown effect kind is a hard error in the shim', async () => {
  await assert.rejects(
    performEffect({ id: 1, kind: 'teleport', args: {} }, {}),
    /unknown effect kind "teleport"/,
  );
});

test('hostile input never traps the module', async () => {
  const env = makeEnv(worker);
  const session = await initialize(env);
  const bodies = [
    '',
    '{',
    '[]',
    '[1,2',
    'null',
    '"x"',
    '1e999999',
    '{"jsonrpc":"2.0","id":{},"method":"x"}',
    '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":5,"arguments":"x"}}',
    '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"status","arguments":[1]}}',
    '{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":{"a":1}}}',
    '{"jsonrpc":"2.0","id":1,"method":"logging/setLevel","params":{"level":7}}',
    '{"jsonrpc":"2.0","id":1,"method":"completion/complete","params":{"ref":1,"argument":[]}}',
    '{"jsonrpc":"2.0","id":1,"method":"prompts/get","params":{"name":"x","arguments":{"a":{}}}}',
    '{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"cursor":"o99999999999999999999999"}}',
    '[' + '['.repeat(5000) + ']'.repeat(5000) + ']',
    '{"a":"\\ud800"}',
    Buffer.from([0xff, 0xfe, 0x00, 0x41]).toString('latin1'),
  ];
  for (let i = 0; i < 200; i++) {
    bodies.push(
      Array.from({ length: 1 + (i % 40) }, (_, k) =>
        String.fromCharCode(32 + ((i * 31 + k * 17) % 95)),
      ).join(''),
    );
  }
  for (const body of bodies) {
    for (const headers of [{}, { 'mcp-session-id': session }]) {
      const res = await post(env, body, headers);
      assert.ok(res.status < 500, `status ${res.status} for ${JSON.stringify(body).slice(0, 80)}`);
      await res.arrayBuffer();
    }
  }
  assert.equal(currentInstance(module, {}).broken, false);
});

test('a trap answers 500 and the next request gets a fresh instance', async () => {
  const env = makeEnv(worker);
  const first = currentInstance(module, {});
  const realStart = first.exports.bmcp_start;
  first.exports = {
    ...first.exports,
    bmcp_start() {
      throw new WebAssembly.RuntimeError('unreachable');
    },
  };
  const res = await worker.handler.fetch(new Request('http://127.0.0.1:8787/health'), env, ctx);
  assert.equal(res.status, 500);
  assert.equal(first.broken, true);
  first.exports.bmcp_start = realStart;
  const again = await worker.handler.fetch(new Request('http://127.0.0.1:8787/health'), env, ctx);
  assert.equal(again.status, 200);
  assert.notEqual(currentInstance(module, {}), first);
});

test('configuration problems are listed in one clear error', async () => {
  const env = makeEnv(worker, { TRADING_MODE: 'yolo', LOG_LEVEL: 'loud' });
  const res = await worker.handler.fetch(new Request('http://127.0.0.1:8787/health'), env, ctx);
  assert.equal(res.status, 500);
  const body = await res.json();
  assert.equal(body.error, 'server_misconfigured');
  assert.ok(body.problems.some((p) => p.includes('TRADING_MODE')));
  assert.ok(body.problems.some((p) => p.includes('LOG_LEVEL')));
});

// ---- an order that may have reached the broker (bindings/ABI.md "Critical sections") ----
// previewOrder then placeOrder with the token, through the real shim and core.wasm, with
// the Schwab API scripted (tests/harness/order-bindings.mjs).
const STATELESS = { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call' };
const statelessCall = (env, id, name, args) =>
  post(
    env,
    {
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: {
        name,
        arguments: args,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    },
    { ...STATELESS, 'mcp-name': name },
  );

async function previewToken(send) {
  const res = await send('previewOrder', { account: ACCOUNT, order: LIMIT_BUY });
  assert.equal(res.status, 200);
  const result = (await res.json()).result;
  assert.equal(result.isError, undefined, JSON.stringify(result));
  const token = result.structuredContent.confirmationToken;
  assert.match(token, /^cfm_/);
  return token;
}

test('a trap after the order was sent answers "may have been sent", not "retry"', async () => {
  const env = makeEnv(worker);
  env.DB = new OrderD1();
  env.DB.liveGrants.add('harness-grant');
  const schwab = scriptSchwab({
    onPlace() {
      // The order reached Schwab; the module traps before it reads the answer.
      const instance = currentInstance(module, configOf(env));
      instance.exports = {
        ...instance.exports,
        bmcp_resume() {
          throw new WebAssembly.RuntimeError('unreachable');
        },
      };
      return placedResponse();
    },
  });
  try {
    const token = await previewToken((name, args) => statelessCall(env, 1, name, args));
    const res = await statelessCall(env, 2, 'placeOrder', {
      account: ACCOUNT,
      order: LIMIT_BUY,
      confirmationToken: token,
    });
    const text = await res.text();
    assert.equal(res.status, 200, text);
    assert.doesNotMatch(text, /internal fault|retry;/);
    const body = JSON.parse(text);
    assert.equal(body.id, 2);
    assert.equal(body.result.isError, true);
    assert.match(
      body.result.content[0].text,
      /may have been sent: check getOrders before retrying/,
    );
    assert.equal(schwab.placed.length, 1);
    assert.deepEqual(
      [...env.DB.journal.values()].map((r) => r.status),
      ['sent'],
    ); // settled by a later getOrders
    assert.equal(currentInstance(module, configOf(env)).broken, false); // a fresh instance for the next request
  } finally {
    schwab.restore();
  }
});

test('a cancel while the order is at the broker does not answer 204: the order completes', async () => {
  const env = makeEnv(worker);
  env.DB = new OrderD1();
  env.DB.liveGrants.add('harness-grant');
  let release;
  let atBroker;
  const reached = new Promise((r) => {
    atBroker = r;
  });
  const schwab = scriptSchwab({
    onPlace() {
      atBroker();
      return new Promise((r) => {
        release = () => r(placedResponse());
      });
    },
  });
  try {
    const session = await initialize(env);
    const inSession = { 'mcp-session-id': session };
    const token = await previewToken((name, args) =>
      post(
        env,
        { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name, arguments: args } },
        inSession,
      ),
    );
    const placing = post(
      env,
      {
        jsonrpc: '2.0',
        id: 5,
        method: 'tools/call',
        params: {
          name: 'placeOrder',
          arguments: { account: ACCOUNT, order: LIMIT_BUY, confirmationToken: token },
        },
      },
      inSession,
    );
    await reached;
    const cancel = await post(
      env,
      {
        jsonrpc: '2.0',
        method: 'notifications/cancelled',
        params: { requestId: 5, reason: 'changed my mind' },
      },
      inSession,
    );
    assert.equal(cancel.status, 202);
    release();
    const res = await placing;
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.id, 5);
    assert.equal(body.result.isError, undefined, JSON.stringify(body.result));
    assert.equal(body.result.structuredContent.sent, true);
    assert.equal(schwab.placed.length, 1);
    assert.deepEqual(
      [...env.DB.journal.values()].map((r) => r.status),
      ['succeeded'],
    );
  } finally {
    schwab.restore();
  }
});
