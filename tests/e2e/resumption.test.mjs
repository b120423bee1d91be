// Resumable streams (2025-11-25 basic/transports#resumability-and-redelivery) through
// `wrangler dev`: a tool call whose SSE stream is cut after its first progress event is
// resumed on another connection with GET /mcp and Last-Event-ID, and that connection
// delivers the call's result exactly once. Also: GET /mcp without Last-Event-ID opens the
// session's stream, a malformed Last-Event-ID is 400, and legacy SSE answers at /mcp/sse.
//
// The call: analyze_chart for alice (Schwab), made slow by a 4-second delay of Schwab's
// price history in the sandbox, so it reports progress before it answers.
//
// Run by `npm test` (layer e2e) with BROKER_MCP_URL and SANDBOX_URL set.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { signInWithSdk } from './support/sdk-sign-in.mjs';

const BASE = process.env.BROKER_MCP_URL ?? 'http://127.0.0.1:8787';
const SANDBOX = process.env.SANDBOX_URL ?? 'http://127.0.0.1:8788';
const MCP_URL = new URL('/mcp', BASE);
const REDIRECT_URI = 'http://127.0.0.1:9/e2e-resumption-callback';
const VERSION = '2025-11-25';

let token;
let session;

function headers(extra = {}) {
  return {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': VERSION,
    ...(session ? { 'mcp-session-id': session } : {}),
    ...extra,
  };
}

async function post(message) {
  return fetch(MCP_URL, { method: 'POST', headers: headers(), body: JSON.stringify(message) });
}

// Reads SSE events ({id, data}) from a response until `enough(events)` or the stream ends.
async function readEvents(response, enough = () => false, controller = null) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const events = [];
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = { id: null, data: '' };
      for (const line of block.split('\n')) {
        if (line.startsWith('id: ')) event.id = line.slice(4);
        else if (line.startsWith('data: ')) event.data += line.slice(6);
      }
      if (event.data) events.push({ ...event, message: JSON.parse(event.data) });
    }
    if (enough(events)) {
      controller?.abort();
      await reader.cancel().catch(() => {});
      break;
    }
  }
  return events;
}

before(async () => {
  const provider = await signInWithSdk({
    base: BASE,
    sandbox: SANDBOX,
    redirectUri: REDIRECT_URI,
    user: 'alice',
    broker: 'schwab',
    clientName: 'broker-mcp e2e (resumption)',
  });
  token = provider.saved.access_token;
  const init = await post({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: {
      protocolVersion: VERSION,
      capabilities: {},
      clientInfo: { name: 'e2e-resumption', version: '1' },
    },
  });
  assert.equal(init.status, 200);
  session = init.headers.get('mcp-session-id');
  assert.match(session ?? '', /^[0-9a-f]{32}$/);
  assert.equal((await post({ jsonrpc: '2.0', method: 'notifications/initialized' })).status, 202);
});

test('a call whose stream is cut after its first progress event delivers its result once on resumption', async () => {
  await fetch(new URL('/_sandbox/faults', SANDBOX), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      broker: 'schwab',
      path: '/schwab/marketdata/v1/pricehistory',
      mode: 'delay',
      delayMs: 4000,
      count: 1,
    }),
  });
  const controller = new AbortController();
  const call = await fetch(MCP_URL, {
    method: 'POST',
    headers: headers(),
    signal: controller.signal,
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 42,
      method: 'tools/call',
      params: {
        name: 'analyze_chart',
        arguments: { symbol: 'DIS', timeframe: 'daily', waitSeconds: 40 },
        _meta: { progressToken: 'resume-1' },
      },
    }),
  });
  assert.equal(call.status, 200);
  assert.match(call.headers.get('content-type'), /text\/event-stream/);
  const first = await readEvents(call, (events) => events.length >= 1, controller);
  assert.equal(first[0].message.method, 'notifications/progress');
  assert.match(first[0].id ?? '', /^[0-9a-f]{12}-1$/, 'every event has an id');

  const resumed = await fetch(MCP_URL, {
    method: 'GET',
    headers: headers({ accept: 'text/event-stream', 'last-event-id': first[0].id }),
  });
  assert.equal(resumed.status, 200);
  const rest = await readEvents(resumed);
  const answers = rest.filter(
    (e) => e.message.id === 42 && ('result' in e.message || 'error' in e.message),
  );
  assert.equal(
    answers.length,
    1,
    `one answer on the resumed stream: ${JSON.stringify(rest.map((e) => e.message.method ?? 'answer'))}`,
  );
  assert.equal(rest.at(-1), answers[0], 'the answer ends the stream');
  const result = answers[0].message.result;
  assert.ok(!result.isError, JSON.stringify(result).slice(0, 400));
  assert.notEqual(
    (result.structuredContent ?? {}).status,
    'running',
    'the analysis finished within the call',
  );
  for (const e of rest)
    assert.ok(e.id.startsWith(first[0].id.split('-')[0]), 'the same stream, continued');
  const seqs = rest.map((e) => Number(e.id.split('-')[1]));
  assert.deepEqual(
    seqs,
    seqs.map((_, i) => i + 2),
    'the events after the last one seen, in order',
  );
});

test('GET /mcp opens the session stream; a malformed Last-Event-ID is 400; legacy SSE answers at /mcp/sse', async () => {
  const controller = new AbortController();
  const open = await fetch(MCP_URL, {
    method: 'GET',
    headers: headers({ accept: 'text/event-stream' }),
    signal: controller.signal,
  });
  assert.equal(open.status, 200);
  assert.match(open.headers.get('content-type'), /text\/event-stream/);
  controller.abort();
  const bad = await fetch(MCP_URL, {
    method: 'GET',
    headers: headers({ accept: 'text/event-stream', 'last-event-id': 'nope' }),
  });
  assert.equal(bad.status, 400);

  const legacy = new AbortController();
  const sse = await fetch(new URL('/mcp/sse', BASE), {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: legacy.signal,
  });
  assert.equal(sse.status, 200);
  const reader = sse.body.getReader();
  let text = '';
  while (!text.includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
  legacy.abort();
  assert.match(text, /event: endpoint\ndata: \/mcp\/sse\/message\?sessionId=[0-9a-f]{32}/);
});
