// Hard input limits against `wrangler dev`: 100,000-deep nesting and 40 MB bodies at every
// route that reads a body answer a clear 4xx (413 for size, -32700 / 400 for depth), never
// a 500; a call already in flight in the same isolate (a slow tool call, stateless and in a
// session) and the next request still succeed. A client metadata document URL that
// streams 100 MB is cut off at the document's 5 KB cap.
//
// Started by `npm test` (layer e2e) with BROKER_MCP_URL and SANDBOX_URL set.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { signInWithSdk } from './support/sdk-sign-in.mjs';

const BASE = process.env.BROKER_MCP_URL ?? 'http://127.0.0.1:8787';
const SANDBOX = process.env.SANDBOX_URL ?? 'http://127.0.0.1:8788';
const MCP_URL = new URL('/mcp', BASE);
const REDIRECT_URI = 'http://127.0.0.1:9/e2e-limits-callback';
const DEPTH = 100_000;
const deepObject = '{"a":'.repeat(DEPTH) + '1' + '}'.repeat(DEPTH);
const deepArray = '['.repeat(DEPTH) + ']'.repeat(DEPTH);
const huge = 'x'.repeat(40 * 1024 * 1024);
// Every stateless body here calls `status` (Mcp-Name mirrors params.name).
const STATELESS_HEADERS = {
  'mcp-protocol-version': '2026-07-28',
  'mcp-method': 'tools/call',
  'mcp-name': 'status',
};

function statelessCall(name, args) {
  return `{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}},"name":"${name}","arguments":${args}}}`;
}

async function sandbox(path, body) {
  const res = await fetch(
    `${SANDBOX}${path}`,
    body === undefined
      ? {}
      : {
          method: body === null ? 'DELETE' : 'POST',
          headers: { 'content-type': 'application/json' },
          body: body === null ? undefined : JSON.stringify(body),
        },
  );
  return res.json();
}

describe('input limits', () => {
  let provider;
  let client;
  let token;
  let session;
  let legacy;

  const mcpHeaders = (extra = {}) => ({
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    ...extra,
  });

  before(async () => {
    provider = await signInWithSdk({
      base: BASE,
      sandbox: SANDBOX,
      redirectUri: REDIRECT_URI,
      user: 'alice',
      broker: 'schwab',
      clientName: 'broker-mcp e2e (limits)',
    });
    token = provider.tokens().access_token;
    client = new Client({ name: 'e2e-limits', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(MCP_URL, { authProvider: provider });
    await client.connect(transport);
    session = transport.sessionId;
    // A legacy (2024-11-05) session: its first event names the message endpoint.
    const sse = await fetch(new URL('/sse', BASE), {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    });
    assert.equal(sse.status, 200);
    const reader = sse.body.getReader();
    let text = '';
    while (!/\n\n/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    legacy = { endpoint: /data: (\S+)/.exec(text)[1], reader };
  });

  after(async () => {
    await legacy?.reader.cancel().catch(() => {});
    await client?.close();
    await sandbox('/_sandbox/faults', null).catch(() => {});
  });

  const routes = () => [
    {
      name: 'POST /mcp stateless',
      rpc: true,
      path: '/mcp',
      headers: mcpHeaders(STATELESS_HEADERS),
    },
    {
      name: 'POST /mcp session',
      rpc: true,
      path: '/mcp',
      headers: mcpHeaders({ 'mcp-session-id': session }),
    },
    { name: 'POST /sse/message', path: legacy.endpoint, headers: mcpHeaders() },
    { name: 'POST /register', path: '/register', headers: { 'content-type': 'application/json' } },
    {
      name: 'POST /token',
      path: '/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    },
    {
      name: 'POST /revoke',
      path: '/revoke',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    },
    {
      name: 'POST /authorize',
      path: '/authorize',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    },
    // Reads no body: any body is ignored (a ticket is issued), but it is still size-limited.
    {
      name: 'POST /ws/ticket',
      ignoresBody: true,
      path: '/ws/ticket',
      headers: { authorization: `Bearer ${token}` },
    },
  ];

  // Slow tool calls in flight while the hostile requests arrive: one stateless (in the
  // Worker), one in the SDK client's session (in its Durable Object). Both must succeed.
  async function withCallsInFlight(hostile) {
    await sandbox('/_sandbox/faults', {
      broker: 'schwab',
      path: '/marketdata/v1/quotes',
      mode: 'delay',
      delayMs: 4000,
      count: 2,
    });
    const stateless = fetch(MCP_URL, {
      method: 'POST',
      headers: mcpHeaders({ ...STATELESS_HEADERS, 'mcp-name': 'getQuotes' }),
      body: statelessCall('getQuotes', '{"symbols":["AAPL"]}'),
    });
    const inSession = client.callTool({ name: 'getQuotes', arguments: { symbols: ['AAPL'] } });
    await new Promise((r) => setTimeout(r, 500));
    await hostile();
    const res = await stateless;
    const body = await res.json();
    assert.equal(res.status, 200, JSON.stringify(body).slice(0, 300));
    assert.equal(body.result.isError ?? false, false, JSON.stringify(body.result).slice(0, 300));
    const sessionResult = await inSession;
    assert.equal(
      sessionResult.isError ?? false,
      false,
      JSON.stringify(sessionResult).slice(0, 300),
    );
  }

  async function expectNextRequestWorks() {
    const r = await client.callTool({ name: 'status', arguments: {} });
    assert.equal(r.structuredContent.server, 'broker-mcp');
    const res = await fetch(MCP_URL, {
      method: 'POST',
      headers: mcpHeaders(STATELESS_HEADERS),
      body: statelessCall('status', '{}'),
    });
    assert.equal(res.status, 200);
  }

  test('100,000-deep nesting at every route: a clear 4xx, in-flight calls and the next request unharmed', async () => {
    await withCallsInFlight(async () => {
      for (const route of routes()) {
        for (const [shape, body] of [
          ['object', deepObject],
          ['array', deepArray],
          ['stateless params', statelessCall('status', deepObject)],
        ]) {
          const res = await fetch(new URL(route.path, BASE), {
            method: 'POST',
            headers: route.headers,
            body,
          });
          const text = await res.text();
          assert.ok(
            res.status < 500 && (route.ignoresBody || res.status >= 400),
            `${route.name}, ${shape}: ${res.status} ${text.slice(0, 200)}`,
          );
          if (route.rpc) {
            const error = JSON.parse(text).error;
            assert.equal(error.code, -32700, `${route.name}, ${shape}`);
            assert.match(error.message, /nested deeper than 64 levels/);
          }
        }
      }
      // initialize with capabilities nested that deep
      const init = await fetch(MCP_URL, {
        method: 'POST',
        headers: mcpHeaders(),
        body: `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":${deepObject},"clientInfo":{"name":"x","version":"1"}}}`,
      });
      assert.equal(init.status, 400);
      assert.equal((await init.json()).error.code, -32700);
    });
    await expectNextRequestWorks();
  });

  test('a 40 MB body at every route: 413 with a clear body, in-flight calls and the next request unharmed', async () => {
    await withCallsInFlight(async () => {
      for (const route of routes()) {
        const res = await fetch(new URL(route.path, BASE), {
          method: 'POST',
          headers: route.headers,
          body: huge,
        });
        const text = await res.text();
        assert.equal(res.status, 413, `${route.name}: ${res.status} ${text.slice(0, 200)}`);
        const body = JSON.parse(text);
        assert.equal(body.error, 'request_too_large');
        assert.match(body.error_description, /larger than 1048576 bytes/);
      }
    });
    await expectNextRequestWorks();
  });
});

describe('client metadata document size', () => {
  let server;
  let origin;
  let sent = 0;

  before(async () => {
    server = createServer((req, res) => {
      if (req.url !== '/oauth/endless.json') {
        res.writeHead(404).end();
        return;
      }
      // A document that never ends (100 MB of whitespace after an opening brace).
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"client_id":"x",');
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (sent < 100 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end('}');
      };
      pump();
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${server.address().port}`;
  });

  after(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  );

  test('a document URL that streams 100 MB is cut off at 5 KB and refused', async () => {
    const url = new URL('/authorize', BASE);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: `${origin}/oauth/endless.json`,
      redirect_uri: REDIRECT_URI,
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    }).toString();
    const started = Date.now();
    const res = await fetch(url, { redirect: 'manual' });
    const text = await res.text();
    assert.equal(res.status, 400, text.slice(0, 300));
    assert.match(text, /larger than 5 KB/);
    assert.ok(Date.now() - started < 4000, 'answered without waiting for the stream');
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(sent < 16 * 1024 * 1024, `the document server sent ${sent} bytes`);
  });
});
