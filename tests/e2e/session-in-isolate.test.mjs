// Session requests answered in the isolate that received them (src/mcp/session_in_isolate.hpp)
// keep the session rules of 2025-11-25 basic/transports#session-management through
// `wrangler dev`: a session is only its owner's (another person gets 404 for it, before and
// after the owner's requests made its record known to the isolate), a session ended with
// DELETE answers 404 at once, and the plain requests of a live session (ping, lists, reads,
// a read-only tool) answer JSON with the session's id.
//
// Run by `npm test` (layer e2e) with BROKER_MCP_URL and SANDBOX_URL set.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { signIn } from './support/sign-in.mjs';

const BASE = process.env.BROKER_MCP_URL ?? 'http://127.0.0.1:8787';
const SANDBOX = process.env.SANDBOX_URL ?? 'http://127.0.0.1:8788';
const MCP_URL = new URL('/mcp', BASE);
const VERSION = '2025-11-25';

const tokens = {};

async function post(who, message, session) {
  const res = await fetch(MCP_URL, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${tokens[who]}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': VERSION,
      ...(session ? { 'mcp-session-id': session } : {}),
    },
    body: JSON.stringify(message),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    body: text.startsWith('{') ? JSON.parse(text) : null,
  };
}

async function openSession(who) {
  const init = await post(who, {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: {
      protocolVersion: VERSION,
      capabilities: {},
      clientInfo: { name: 'e2e-in-isolate', version: '1' },
    },
  });
  assert.equal(init.status, 200, init.text);
  const session = init.headers.get('mcp-session-id');
  assert.equal(
    (await post(who, { jsonrpc: '2.0', method: 'notifications/initialized' }, session)).status,
    202,
  );
  return session;
}

const plainRequests = [
  { jsonrpc: '2.0', id: 2, method: 'ping' },
  { jsonrpc: '2.0', id: 3, method: 'tools/list' },
  { jsonrpc: '2.0', id: 4, method: 'resources/list' },
  { jsonrpc: '2.0', id: 5, method: 'prompts/list' },
  { jsonrpc: '2.0', id: 6, method: 'tools/call', params: { name: 'status', arguments: {} } },
];

before(async () => {
  for (const user of ['alice', 'bob']) {
    ({ accessToken: tokens[user] } = await signIn({
      base: BASE,
      sandbox: SANDBOX,
      user,
      broker: 'schwab',
      clientName: `e2e in-isolate ${user}`,
    }));
  }
});

test("a session is only its owner's: 404 for anyone else, before and after its record is known", async () => {
  const session = await openSession('alice');
  // Bob first: nothing about the session is known to this isolate yet.
  for (const m of plainRequests) {
    const r = await post('bob', m, session);
    assert.equal(r.status, 404, `${m.method} by another person: ${r.text}`);
    assert.equal(r.body.error.code, -32001);
  }
  for (const m of plainRequests) {
    const r = await post('alice', m, session);
    assert.equal(r.status, 200, `${m.method}: ${r.text}`);
    assert.equal(r.headers.get('mcp-session-id'), session);
    assert.equal(r.body.id, m.id);
    assert.ok(r.body.result, r.text);
  }
  const status = (await post('alice', plainRequests[4], session)).body.result;
  assert.notEqual(status.isError, true, JSON.stringify(status));
  // Bob again, now that the record is known.
  for (const m of plainRequests)
    assert.equal((await post('bob', m, session)).status, 404, m.method);
});

test('a session ended with DELETE answers 404 at once', async () => {
  const session = await openSession('alice');
  assert.equal((await post('alice', plainRequests[1], session)).status, 200);
  const del = await fetch(MCP_URL, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${tokens.alice}`, 'mcp-session-id': session },
  });
  assert.equal(del.status, 200);
  for (const m of plainRequests)
    assert.equal((await post('alice', m, session)).status, 404, m.method);
});
