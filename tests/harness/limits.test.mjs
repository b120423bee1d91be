// Hard input limits, through the real shim and core.wasm: hostile nesting (100,000 levels)
// and oversized bodies (40 MB) at every route that reads a body answer a clear 4xx or
// JSON-RPC error, never a 500, and neither the next request nor a call already suspended
// in the same instance notices. Outbound reads stop at the cap the core asks for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { makeWorker } from '../../worker-shim/worker.js';
import { configOf } from '../../worker-shim/config.js';
import { WIRE_VERSION, currentInstance } from '../../worker-shim/core-instance.js';
import { performEffect } from '../../worker-shim/effects/index.js';
import { accessToken, ctx, loadCoreModule, makeEnv } from './fake-bindings.mjs';

const module = loadCoreModule(process.env.CORE_WASM ?? undefined);
const worker = makeWorker(module);
const ORIGIN = 'http://127.0.0.1:8787';
const MCP_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};
const DEPTH = 100_000;
const MAX_REQUEST_BODY_BYTES = 1024 * 1024; // bindings/ABI.md "Limits"

const deepArray = '['.repeat(DEPTH) + ']'.repeat(DEPTH);
const deepObject = '{"a":'.repeat(DEPTH) + '1' + '}'.repeat(DEPTH);
const huge = 'x'.repeat(40 * 1024 * 1024);

function request(path, { method = 'POST', headers = {}, body } = {}) {
  return new Request(ORIGIN + path, { method, headers, body });
}

function mcpHeaders(extra = {}) {
  return { ...MCP_HEADERS, authorization: `Bearer ${accessToken()}`, ...extra };
}
// Every stateless body here calls `status` (Mcp-Name mirrors params.name).
const STATELESS_HEADERS = {
  'mcp-protocol-version': '2026-07-28',
  'mcp-method': 'tools/call',
  'mcp-name': 'status',
};

async function send(env, req) {
  const res = await worker.handler.fetch(req, env, ctx);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text };
}

async function initialize(env, capabilities = {}) {
  return send(
    env,
    request('/mcp', {
      headers: mcpHeaders(),
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-11-25',
          capabilities,
          clientInfo: { name: 'limits', version: '1' },
        },
      }),
    }),
  );
}

async function openSession(env) {
  const res = await initialize(env);
  assert.equal(res.status, 200);
  return res.headers.get('mcp-session-id');
}

// A legacy (2024-11-05) SSE session: the first event names the message endpoint.
async function openLegacySession(env) {
  const res = await worker.handler.fetch(
    request('/sse', {
      method: 'GET',
      headers: { accept: 'text/event-stream', authorization: `Bearer ${accessToken()}` },
    }),
    env,
    ctx,
  );
  assert.equal(res.status, 200);
  const reader = res.body.getReader();
  let text = '';
  while (!/\n\n/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
  const endpoint = /data: (\S+)/.exec(text)[1];
  return { endpoint, close: () => reader.cancel() };
}

// A stateless (2026-07-28) request: the protocol version travels in params._meta.
function stateless(params) {
  return `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}},"name":"status","arguments":${params}}}`;
}

// A call suspended in the instance before the hostile request (a session ping waiting for
// its Durable Object storage), resumed after it: it must complete normally.
function suspendCall(env) {
  const core = currentInstance(module, configOf(env));
  const step = core.start({
    v: WIRE_VERSION,
    now: Date.now(),
    event: {
      type: 'object.fetch',
      object: { class: 'McpSession', name: 'f'.repeat(32) },
      request: {
        method: 'POST',
        url: `${ORIGIN}/mcp`,
        headers: [['content-type', 'application/json']],
        body: '{"jsonrpc":"2.0","id":1,"method":"ping"}',
      },
    },
  });
  assert.equal(step.state, 'blocked');
  return () => {
    assert.equal(
      currentInstance(module, configOf(env)),
      core,
      'the hostile request replaced the instance',
    );
    const done = core.resume(step.call, {
      v: WIRE_VERSION,
      now: Date.now(),
      results: [{ id: step.effects[0].id, ok: true, value: { value: null } }],
    });
    assert.equal(done.state, 'done');
    assert.equal(done.result.status, 404); // no such session: the ordinary answer
  };
}

// Every route that reads a body, with how to reach it; `rpc` routes answer JSON-RPC errors.
async function routes(env) {
  const session = await openSession(env);
  const legacy = await openLegacySession(env);
  const list = [
    {
      name: 'POST /mcp stateless',
      rpc: true,
      make: (body) => request('/mcp', { headers: mcpHeaders(STATELESS_HEADERS), body }),
    },
    {
      name: 'POST /mcp session',
      rpc: true,
      make: (body) => request('/mcp', { headers: mcpHeaders({ 'mcp-session-id': session }), body }),
    },
    {
      name: 'POST /sse/message',
      make: (body) =>
        request(legacy.endpoint, {
          headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken()}` },
          body,
        }),
    },
    {
      name: 'POST /register',
      make: (body) =>
        request('/register', { headers: { 'content-type': 'application/json' }, body }),
    },
    {
      name: 'POST /token',
      make: (body) =>
        request('/token', {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        }),
    },
    {
      name: 'POST /revoke',
      make: (body) =>
        request('/revoke', {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        }),
    },
    {
      name: 'POST /authorize',
      make: (body) =>
        request('/authorize', {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        }),
    },
    // Reads no body: any body is ignored (a ticket is issued), but it is still size-limited.
    {
      name: 'POST /ws/ticket',
      ignoresBody: true,
      make: (body) =>
        request('/ws/ticket', { headers: { authorization: `Bearer ${accessToken()}` }, body }),
    },
  ];
  return { list, close: legacy.close };
}

async function expectHealthy(env) {
  const next = await send(
    env,
    request('/mcp', { headers: mcpHeaders(STATELESS_HEADERS), body: stateless('{}') }),
  );
  assert.equal(next.status, 200, `the next request failed: ${next.text.slice(0, 200)}`);
  assert.equal(JSON.parse(next.text).result.structuredContent.server, 'broker-mcp');
  assert.equal(currentInstance(module, configOf(env)).broken, false);
}

test('100,000-deep nesting at every route: a clear 4xx, the instance and its other calls unharmed', async () => {
  const env = makeEnv(worker);
  const { list, close } = await routes(env);
  const bodies = {
    'deep array': deepArray,
    'deep object': deepObject,
    'deep stateless params': stateless(deepObject),
  };
  for (const route of list) {
    for (const [shape, body] of Object.entries(bodies)) {
      const resume = suspendCall(env);
      const res = await send(env, route.make(body));
      assert.ok(
        res.status < 500 && (route.ignoresBody || res.status >= 400),
        `${route.name}, ${shape}: status ${res.status} ${res.text.slice(0, 200)}`,
      );
      if (route.rpc) {
        const error = JSON.parse(res.text).error;
        assert.ok(
          [-32700, -32600].includes(error.code),
          `${route.name}, ${shape}: code ${error.code}`,
        );
        assert.match(error.message, /nested deeper than 64 levels/);
      }
      resume();
      await expectHealthy(env);
    }
  }
  close();
});

test('initialize with capabilities nested 100,000 deep is refused with -32700', async () => {
  const env = makeEnv(worker);
  const resume = suspendCall(env);
  const body = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":${deepObject},"clientInfo":{"name":"x","version":"1"}}}`;
  const res = await send(env, request('/mcp', { headers: mcpHeaders(), body }));
  assert.equal(res.status, 400);
  assert.equal(JSON.parse(res.text).error.code, -32700);
  resume();
  await expectHealthy(env);
  // Nesting just inside the limit is still an ordinary document.
  let caps = '{}';
  for (let i = 0; i < 60; i++) caps = `{"experimental":${caps}}`;
  const ok = await send(
    env,
    request('/mcp', {
      headers: mcpHeaders(),
      body: `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":${caps},"clientInfo":{"name":"x","version":"1"}}}`,
    }),
  );
  assert.equal(ok.status, 200);
});

test('a 40 MB body at every route is refused with 413 before it is read, the instance unharmed', async () => {
  const env = makeEnv(worker);
  const { list, close } = await routes(env);
  const memoryBefore = currentInstance(module, configOf(env)).exports.memory.buffer.byteLength;
  for (const route of list) {
    const resume = suspendCall(env);
    const res = await send(env, route.make(huge));
    assert.equal(res.status, 413, `${route.name}: status ${res.status} ${res.text.slice(0, 200)}`);
    const body = JSON.parse(res.text);
    assert.equal(body.error, 'request_too_large');
    assert.match(body.error_description, /larger than 1048576 bytes/);
    resume();
    await expectHealthy(env);
  }
  close();
  // The module never saw the body: its memory did not grow by anything like 40 MB.
  const memoryAfter = currentInstance(module, configOf(env)).exports.memory.buffer.byteLength;
  assert.ok(
    memoryAfter - memoryBefore < 8 * 1024 * 1024,
    `memory grew by ${memoryAfter - memoryBefore} bytes`,
  );
});

test('the body limit holds for a declared Content-Length, a streamed body without one, and a body at the limit', async () => {
  const env = makeEnv(worker);
  // Declared too large: refused without reading a byte of it.
  let pulled = 0;
  const endless = new ReadableStream({
    pull(c) {
      pulled++;
      c.enqueue(new Uint8Array(64 * 1024));
    },
  });
  const declared = await worker.handler.fetch(
    new Request(ORIGIN + '/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(40 * 1024 * 1024) },
      body: endless,
      duplex: 'half',
    }),
    env,
    ctx,
  );
  assert.equal(declared.status, 413);
  assert.ok(pulled <= 2, `read ${pulled} chunks of a body declared too large`);
  // No Content-Length (chunked): counted while streaming, cut off just past the limit.
  pulled = 0;
  const chunked = new ReadableStream({
    pull(c) {
      pulled++;
      c.enqueue(new Uint8Array(64 * 1024));
    },
  });
  const streamed = await worker.handler.fetch(
    new Request(ORIGIN + '/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chunked,
      duplex: 'half',
    }),
    env,
    ctx,
  );
  assert.equal(streamed.status, 413);
  assert.ok(pulled * 64 * 1024 <= MAX_REQUEST_BODY_BYTES + 3 * 64 * 1024, `read ${pulled} chunks`);
  // Exactly at the limit: read and handed to the core (which finds it is not metadata).
  const atLimit = await send(
    env,
    request('/register', {
      headers: { 'content-type': 'application/json' },
      body: ' '.repeat(MAX_REQUEST_BODY_BYTES - 2) + '{}',
    }),
  );
  assert.equal(atLimit.status, 400);
  assert.match(atLimit.text, /invalid_(client_metadata|redirect_uri)/);
  await expectHealthy(env);
});

// A local server that streams a body as long as anyone reads it (100 MB at most).
async function streamingServer() {
  const state = { sent: 0 };
  const server = createServer((req, res) => {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    res.writeHead(
      200,
      req.url === '/declared'
        ? { 'content-type': 'application/json', 'content-length': String(100 * 1024 * 1024) }
        : { 'content-type': 'application/json' },
    );
    const pump = () => {
      while (state.sent < 100 * 1024 * 1024) {
        state.sent += chunk.length;
        if (!res.write(chunk)) return res.once('drain', pump);
      }
      res.end();
    };
    res.on('close', () => {
      state.closed = true;
    });
    pump();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    state,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(r);
      }),
  };
}

test('http.fetch reads at most maxBytes of an answer that streams 100 MB', async () => {
  for (const path of ['/chunked', '/declared']) {
    const server = await streamingServer();
    const outcome = await performEffect(
      {
        id: 1,
        kind: 'http.fetch',
        args: {
          method: 'GET',
          url: server.url + path,
          headers: [],
          timeoutMs: 10000,
          maxBytes: 5 * 1024,
        },
      },
      {},
    );
    assert.equal(outcome.ok, false);
    assert.equal(outcome.error.code, 'too_large');
    assert.match(outcome.error.message, /larger than 5120 bytes/);
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(
      server.state.sent < 16 * 1024 * 1024,
      `${path}: the server sent ${server.state.sent} bytes`,
    );
    await server.close();
  }
  // Without maxBytes the call is refused: the core always says how much it will read.
  const missing = await performEffect(
    { id: 1, kind: 'http.fetch', args: { method: 'GET', url: 'http://127.0.0.1:1/', headers: [] } },
    {},
  );
  assert.equal(missing.ok, false);
  assert.match(missing.error.message, /maxBytes/);
});
