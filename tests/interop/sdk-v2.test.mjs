// The official TypeScript SDK v2 client (@modelcontextprotocol/client, from the lockfile)
// against `wrangler dev`, signed in the way an app does it (OAuth in the test browser):
// pinned to 2026-07-28, choosing its era itself after server/discover ("auto", what
// Inspector and the v2 SDK do by default), and on a 2025-11-25 session. Each lists tools,
// prompts and resources, calls a tool, reads a resource and gets a prompt through the
// client's own validation; on 2026-07-28 the wire carries what the spec asks of every
// result (resultType, serverInfo in _meta, ttlMs and cacheScope on the cacheable ones)
// and the client's Mcp-Name headers are checked by the server.
//
// Started by `npm test` (layer interop) with BROKER_MCP_URL and SANDBOX_URL set.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { signInWithSdk } from '../e2e/support/sdk-sign-in.mjs';

const BASE = process.env.BROKER_MCP_URL ?? 'http://127.0.0.1:8787';
const SANDBOX = process.env.SANDBOX_URL ?? 'http://127.0.0.1:8788';
const MCP_URL = new URL('/mcp', BASE);
const SERVER_INFO = 'io.modelcontextprotocol/serverInfo';
const CACHEABLE = new Set([
  'server/discover',
  'tools/list',
  'prompts/list',
  'resources/list',
  'resources/templates/list',
  'resources/read',
]);

// A fetch that remembers every JSON-RPC exchange the client made: method, request
// headers, and the answer as it came over the wire (before the client parsed it).
function recordingFetch() {
  const exchanges = [];
  const fetchLike = async (url, init = {}) => {
    const res = await fetch(url, init);
    let message;
    try {
      message = JSON.parse(init.body ?? 'null');
    } catch {
      message = null;
    }
    if (
      message?.method &&
      message.id !== undefined &&
      (res.headers.get('content-type') ?? '').includes('application/json')
    ) {
      const answer = await res
        .clone()
        .json()
        .catch(() => null);
      exchanges.push({
        method: message.method,
        params: message.params,
        headers: new Headers(init.headers),
        status: res.status,
        answer,
      });
    }
    return res;
  };
  return { fetchLike, exchanges };
}

async function connect(provider, mode) {
  const { fetchLike, exchanges } = recordingFetch();
  const client = new Client(
    { name: 'interop-v2', version: '1.0.0' },
    { versionNegotiation: { mode } },
  );
  const transport = new StreamableHTTPClientTransport(MCP_URL, {
    authProvider: provider,
    fetch: fetchLike,
  });
  await client.connect(transport);
  return { client, transport, exchanges };
}

// What a person's session does: every list, a call, a read and a prompt.
async function everyFeature(client) {
  const tools = await client.listTools();
  assert.ok(
    tools.tools.some((t) => t.name === 'getAccountNumbers'),
    'the Schwab tools are listed',
  );
  assert.ok(
    tools.tools.every((t) => t.title && t.annotations),
    'every tool has a title and annotations',
  );
  const status = await client.callTool({ name: 'status', arguments: {} });
  assert.equal(status.isError ?? false, false, JSON.stringify(status).slice(0, 300));
  assert.equal(status.structuredContent.server, 'broker-mcp');
  const quotes = await client.callTool({ name: 'getQuotes', arguments: { symbols: ['AAPL'] } });
  assert.equal(quotes.isError ?? false, false, JSON.stringify(quotes).slice(0, 300));
  const prompts = await client.listPrompts();
  assert.ok(prompts.prompts.length > 0);
  const prompt =
    prompts.prompts.find((p) => !(p.arguments ?? []).some((a) => a.required)) ?? prompts.prompts[0];
  const args = Object.fromEntries(
    (prompt.arguments ?? []).filter((a) => a.required).map((a) => [a.name, 'AAPL']),
  );
  const got = await client.getPrompt({ name: prompt.name, arguments: args });
  assert.ok(got.messages.length > 0);
  const resources = await client.listResources();
  assert.ok(resources.resources.some((r) => r.uri === 'knowledge://options/strategies'));
  const templates = await client.listResourceTemplates();
  assert.ok(
    templates.resourceTemplates.some((t) => t.uriTemplate === 'knowledge://{category}/{topic}'),
  );
  const read = await client.readResource({ uri: 'knowledge://options/strategies' });
  assert.match(read.contents[0].text, /\w/);
  return { status };
}

describe('the official SDK v2 client', () => {
  let provider;

  before(async () => {
    provider = await signInWithSdk({
      base: BASE,
      sandbox: SANDBOX,
      redirectUri: 'http://127.0.0.1:9/interop-v2',
      user: 'alice',
      broker: 'schwab',
      clientName: 'broker-mcp interop (SDK v2)',
    });
  });

  test('pinned to 2026-07-28: every feature works, and every result carries what the spec asks', async () => {
    const { client, transport, exchanges } = await connect(provider, { pin: '2026-07-28' });
    try {
      assert.equal(transport.protocolVersion, '2026-07-28');
      assert.equal(client.getServerVersion()?.name, 'broker-mcp');
      const { status } = await everyFeature(client);
      assert.equal(status.structuredContent.protocolVersion, '2026-07-28');
      assert.ok(exchanges.length >= 9, `${exchanges.length} exchanges recorded`);
      for (const { method, params, headers, status: httpStatus, answer } of exchanges) {
        assert.equal(httpStatus, 200, `${method}: ${JSON.stringify(answer).slice(0, 200)}`);
        const result = answer.result;
        assert.equal(result.resultType, 'complete', method);
        assert.equal(
          result._meta?.[SERVER_INFO]?.name,
          'broker-mcp',
          `${method}: serverInfo in _meta`,
        );
        if (CACHEABLE.has(method)) {
          assert.ok(Number.isInteger(result.ttlMs) && result.ttlMs >= 0, `${method}: ttlMs`);
          assert.equal(
            result.cacheScope,
            method === 'resources/read' ? 'public' : 'private',
            method,
          );
        }
        // The client mirrors the name it calls; the server checked it (a mismatch is 400).
        const named = params?.name ?? params?.uri;
        if (['tools/call', 'prompts/get', 'resources/read'].includes(method))
          assert.equal(headers.get('mcp-name'), named, method);
      }
    } finally {
      await client.close();
    }
  });

  test('"auto": the client discovers 2026-07-28 by itself and keeps working', async () => {
    const { client, transport } = await connect(provider, 'auto');
    try {
      assert.equal(transport.protocolVersion, '2026-07-28');
      await everyFeature(client);
    } finally {
      await client.close();
    }
  });

  test('on a 2025-11-25 session: every feature works, with none of the 2026-07-28 fields', async () => {
    const { client, transport, exchanges } = await connect(provider, 'legacy');
    try {
      assert.ok(transport.sessionId, 'a session was opened');
      assert.equal(client.getServerVersion()?.name, 'broker-mcp');
      const { status } = await everyFeature(client);
      assert.equal(status.structuredContent.protocolVersion, '2025-11-25');
      const list = exchanges.find((e) => e.method === 'tools/list');
      if (list) assert.equal(list.answer.result.ttlMs, undefined);
    } finally {
      await client.close();
    }
  });
});

describe('Mcp-Name as a gateway sees it (2026-07-28)', () => {
  let token;
  before(async () => {
    const provider = await signInWithSdk({
      base: BASE,
      sandbox: SANDBOX,
      redirectUri: 'http://127.0.0.1:9/interop-name',
      user: 'alice',
      broker: 'schwab',
      clientName: 'broker-mcp interop (headers)',
    });
    token = provider.tokens().access_token;
  });

  const call = (name, header) =>
    fetch(MCP_URL, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        ...(header === undefined ? {} : { 'mcp-name': header }),
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 3,
        method: 'tools/call',
        params: {
          name,
          arguments: {},
          _meta: {
            'io.modelcontextprotocol/protocolVersion': '2026-07-28',
            'io.modelcontextprotocol/clientCapabilities': {},
          },
        },
      }),
    });

  test('a header that names another tool than the body, or none, is refused with -32020', async () => {
    for (const header of [undefined, 'status', 'getaccountnumbers']) {
      const res = await call('getAccountNumbers', header);
      assert.equal(res.status, 400, `Mcp-Name ${header}`);
      const body = await res.json();
      assert.equal(body.error.code, -32020);
    }
    const ok = await call('getAccountNumbers', 'getAccountNumbers');
    assert.equal(ok.status, 200);
  });
});

// An order on 2026-07-28, where the server cannot send the person a question on its own:
// placeOrder answers input_required with the confirmation question, the client asks the
// person (its elicitation handler) and retries with the answer; only then is the order
// sent, exactly once. A declined question sends nothing.
describe('orders on 2026-07-28 are confirmed by the person through input_required', () => {
  let provider;
  let account;
  const lowBuy = (price) => ({
    orderType: 'LIMIT',
    session: 'NORMAL',
    duration: 'DAY',
    orderStrategyType: 'SINGLE',
    price,
    orderLegCollection: [
      { instruction: 'BUY', quantity: 1, instrument: { symbol: 'KO', assetType: 'EQUITY' } },
    ],
  });
  const stats = async () => {
    const s = await (await fetch(`${SANDBOX}/_sandbox/stats`)).json();
    return { orderRequests: s.orderRequests.schwab, ordersPlaced: s.ordersPlaced.schwab };
  };

  async function eliciting(answer) {
    const asked = [];
    const { fetchLike, exchanges } = recordingFetch();
    const client = new Client(
      { name: 'interop-v2-orders', version: '1.0.0' },
      { capabilities: { elicitation: {} }, versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    client.setRequestHandler('elicitation/create', async (request) => {
      asked.push(request.params);
      return answer;
    });
    await client.connect(
      new StreamableHTTPClientTransport(MCP_URL, { authProvider: provider, fetch: fetchLike }),
    );
    return { client, asked, exchanges };
  }

  before(async () => {
    provider = await signInWithSdk({
      base: BASE,
      sandbox: SANDBOX,
      redirectUri: 'http://127.0.0.1:9/interop-v2-orders',
      user: 'alice',
      broker: 'schwab',
      clientName: 'broker-mcp interop (SDK v2 orders)',
    });
    const { client } = await eliciting({ action: 'decline' });
    try {
      const r = await client.callTool({ name: 'getAccountNumbers', arguments: {} });
      account = r.structuredContent.accounts[0].account;
    } finally {
      await client.close();
    }
  });

  test('accepted: asked once with the exact order, sent once after the answer', async () => {
    const { client, asked, exchanges } = await eliciting({
      action: 'accept',
      content: { confirm: true },
    });
    try {
      const before = await stats();
      const r = await client.callTool({
        name: 'placeOrder',
        arguments: { account, order: lowBuy(1.31) },
      });
      assert.equal(r.isError ?? false, false, JSON.stringify(r).slice(0, 400));
      assert.equal(r.structuredContent.sent, true);
      assert.equal(r.structuredContent.confirmedBy, 'elicitation');
      assert.equal(asked.length, 1);
      assert.match(asked[0].message, /Buy 1 share of KO at a limit of \$1\.31/);
      const after = await stats();
      assert.equal(after.ordersPlaced, before.ordersPlaced + 1, 'placed exactly once');
      // On the wire: one input_required round, then the retry with the answer and the state.
      const calls = exchanges.filter((e) => e.method === 'tools/call');
      assert.equal(calls.length, 2);
      assert.equal(calls[0].answer.result.resultType, 'input_required');
      assert.ok(calls[0].answer.result.requestState);
      assert.equal(calls[1].params.requestState, calls[0].answer.result.requestState);
      assert.equal(calls[1].answer.result.resultType, 'complete');
      // The same retry sent again (a replay) is refused and places nothing.
      const replay = await fetch(MCP_URL, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${provider.tokens().access_token}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2026-07-28',
          'mcp-method': 'tools/call',
          'mcp-name': 'placeOrder',
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 77,
          method: 'tools/call',
          params: calls[1].params,
        }),
      });
      const replayed = await replay.json();
      assert.equal(replayed.error?.code, -32602, JSON.stringify(replayed).slice(0, 300));
      assert.equal((await stats()).ordersPlaced, after.ordersPlaced, 'the replay placed nothing');
      const orderId = Number(r.structuredContent.orderId);
      await client.callTool({ name: 'cancelOrder', arguments: { account, orderId } });
    } finally {
      await client.close();
    }
  });

  test('with a token from previewOrder: the token is checked in the first round, the order sent once after the answer', async () => {
    const { client, asked } = await eliciting({ action: 'accept', content: { confirm: true } });
    try {
      const preview = await client.callTool({
        name: 'previewOrder',
        arguments: { account, order: lowBuy(1.33) },
      });
      const token = preview.structuredContent.confirmationToken;
      assert.match(token, /^cfm_/, JSON.stringify(preview).slice(0, 300));
      const before = await stats();
      const r = await client.callTool({
        name: 'placeOrder',
        arguments: { account, order: lowBuy(1.33), confirmationToken: token },
      });
      assert.equal(r.structuredContent?.sent, true, JSON.stringify(r).slice(0, 400));
      assert.equal(asked.length, 1, 'the person was asked even with the token');
      assert.equal((await stats()).ordersPlaced, before.ordersPlaced + 1, 'placed exactly once');
      // The token was used up by that request: on its own it sends nothing more.
      const again = await client.callTool({
        name: 'placeOrder',
        arguments: { account, order: lowBuy(1.33), confirmationToken: token },
      });
      assert.equal(again.isError, true);
      assert.match(again.content[0].text, /already used/);
      assert.equal((await stats()).ordersPlaced, before.ordersPlaced + 1);
      await client.callTool({
        name: 'cancelOrder',
        arguments: { account, orderId: Number(r.structuredContent.orderId) },
      });
    } finally {
      await client.close();
    }
  });

  test('declined: nothing is sent', async () => {
    const { client, asked } = await eliciting({ action: 'decline' });
    try {
      const before = await stats();
      const r = await client.callTool({
        name: 'placeOrder',
        arguments: { account, order: lowBuy(1.32) },
      });
      assert.equal(asked.length, 1);
      assert.equal(r.structuredContent?.sent, false, JSON.stringify(r).slice(0, 300));
      assert.equal((await stats()).ordersPlaced, before.ordersPlaced, 'nothing was placed');
    } finally {
      await client.close();
    }
  });
});

// subscriptions/listen (2026-07-28) with the client's own listen(): the server acknowledges
// the resources it announces changes of (positions and analyses, not a static document, and
// no list changes), and a positions read that finds other holdings than the last one — here
// after an order the person confirmed filled at the sandbox — reaches the open stream as
// notifications/resources/updated. Closing the subscription ends the stream.
describe('subscriptions/listen on 2026-07-28', () => {
  let provider;
  before(async () => {
    provider = await signInWithSdk({
      base: BASE,
      sandbox: SANDBOX,
      redirectUri: 'http://127.0.0.1:9/interop-listen',
      user: 'alice',
      broker: 'schwab',
      clientName: 'broker-mcp interop (listen)',
    });
  });

  // A client that confirms orders and records every notifications/resources/updated;
  // `heard` settles at the first one (or fails after 10 s).
  async function watching(mode) {
    const client = new Client(
      { name: 'interop-v2-listen', version: '1.0.0' },
      { capabilities: { elicitation: {} }, versionNegotiation: { mode } },
    );
    client.setRequestHandler('elicitation/create', async () => ({
      action: 'accept',
      content: { confirm: true },
    }));
    const updates = [];
    let first;
    const heardOne = new Promise((resolve) => {
      first = resolve;
    });
    client.setNotificationHandler('notifications/resources/updated', async (n) => {
      updates.push(n.params.uri);
      first();
    });
    const transport = new StreamableHTTPClientTransport(MCP_URL, { authProvider: provider });
    await client.connect(transport);
    const heard = () =>
      Promise.race([
        heardOne,
        new Promise((_, reject) => setTimeout(() => reject(new Error('no update heard')), 10000)),
      ]);
    return { client, transport, updates, heard };
  }

  // An order that fills at once at the sandbox (a buy limit far above the market).
  async function buyThatFills(client, quantity) {
    const accounts = await client.callTool({ name: 'getAccountNumbers', arguments: {} });
    const account = accounts.structuredContent.accounts[0].account;
    const order = {
      orderType: 'LIMIT',
      session: 'NORMAL',
      duration: 'DAY',
      orderStrategyType: 'SINGLE',
      price: 500,
      orderLegCollection: [
        { instruction: 'BUY', quantity, instrument: { symbol: 'KO', assetType: 'EQUITY' } },
      ],
    };
    const placed = await client.callTool({ name: 'placeOrder', arguments: { account, order } });
    assert.equal(placed.isError ?? false, false, JSON.stringify(placed).slice(0, 400));
  }

  test('a fill seen by a positions read reaches the listener; only announced resources are honored', async () => {
    const { client, updates, heard } = await watching({ pin: '2026-07-28' });
    try {
      const subscription = await client.listen({
        toolsListChanged: true,
        resourceSubscriptions: [
          'portfolio://positions',
          'history://analyses',
          'knowledge://options/strategies',
        ],
      });
      assert.deepEqual(subscription.honoredFilter, {
        resourceSubscriptions: ['portfolio://positions', 'history://analyses'],
      });

      await client.readResource({ uri: 'portfolio://positions' }); // what the person has now
      await buyThatFills(client, 1);
      assert.deepEqual(updates, [], 'nothing is announced before a read sees the change');
      await client.readResource({ uri: 'portfolio://positions' }); // the fill, seen
      await heard();
      assert.deepEqual(updates, ['portfolio://positions']);

      await subscription.close();
      assert.equal(await subscription.closed, 'local');
    } finally {
      await client.close();
    }
  });

  test("on a 2025-11-25 session, resources/subscribe hears the same change on the session's stream", async () => {
    const { client, transport, updates, heard } = await watching('legacy');
    try {
      assert.ok(transport.sessionId, 'a session was opened');
      assert.equal(client.getServerCapabilities()?.resources?.subscribe, true);
      await client.subscribeResource({ uri: 'portfolio://positions' });
      await client.readResource({ uri: 'portfolio://positions' });
      await buyThatFills(client, 2);
      await client.readResource({ uri: 'portfolio://positions' });
      await heard();
      assert.deepEqual(updates, ['portfolio://positions']);
    } finally {
      await client.close();
    }
  });
});
