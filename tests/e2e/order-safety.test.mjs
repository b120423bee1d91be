// Two promises of the consent page, end to end with the official MCP SDK client against
// `wrangler dev` + the sandbox brokerage (Schwab, as alice):
//   * "It cannot place orders" for a read-only grant: the person unticks "allow trading";
//     tools/list then has no mutating tool, a forged tools/call of one is refused with
//     insufficient_scope (in a session and as a stateless 2026-07-28 request), and the
//     sandbox's /_sandbox/stats shows that no request reached its order endpoints.
//   * "Each order is sent only after you confirm it": a client that declared elicitation
//     is asked even when it sends a valid confirmation token, and its decline sends
//     nothing; a client without elicitation needs the token.
//
// Started by `npm test` (layer e2e) with BROKER_MCP_URL and SANDBOX_URL set.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { signInWithSdk } from './support/sdk-sign-in.mjs';

const BASE = process.env.BROKER_MCP_URL ?? 'http://127.0.0.1:8787';
const SANDBOX = process.env.SANDBOX_URL ?? 'http://127.0.0.1:8788';
const MCP_URL = new URL('/mcp', BASE);
const MUTATING = ['placeOrder', 'replaceOrder', 'cancelOrder'];

const text = (r) => r.content?.[0]?.text ?? '';
const data = (r) => r.structuredContent ?? JSON.parse(text(r));
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

async function stats() {
  const s = await (await fetch(`${SANDBOX}/_sandbox/stats`)).json();
  return { orderRequests: s.orderRequests.schwab, ordersPlaced: s.ordersPlaced.schwab };
}

async function connect(provider, { elicit } = {}) {
  const client = new Client(
    { name: 'e2e-order-safety', version: '1.0.0' },
    { capabilities: elicit ? { elicitation: {} } : {} },
  );
  if (elicit) client.setRequestHandler(ElicitRequestSchema, elicit);
  await client.connect(new StreamableHTTPClientTransport(MCP_URL, { authProvider: provider }));
  return client;
}

async function firstAccount(client) {
  const r = await client.callTool({ name: 'getAccountNumbers', arguments: {} });
  const names = data(r).accounts.map((a) => a.account);
  assert.ok(names.length > 0, JSON.stringify(names));
  return names[0];
}

// A stateless (2026-07-28) request with the grant's bearer token, no SDK in between.
async function stateless(accessToken, method, params = {}) {
  const res = await fetch(MCP_URL, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${accessToken}`,
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': method,
      ...(params.name ? { 'mcp-name': params.name } : {}),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method,
      params: {
        ...params,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    }),
  });
  assert.equal(res.status, 200);
  return (await res.json()).result;
}

describe('a read-only grant cannot place orders', () => {
  let provider;
  let client;
  before(async () => {
    provider = await signInWithSdk({
      base: BASE,
      sandbox: SANDBOX,
      redirectUri: 'http://127.0.0.1:9/e2e-read-only',
      user: 'alice',
      broker: 'schwab',
      clientName: 'broker-mcp e2e (read-only)',
      trade: false,
    });
    client = await connect(provider);
  });
  after(async () => {
    await client?.close().catch(() => {});
  });

  test('the grant is read-only and no mutating tool is listed', async () => {
    assert.equal(provider.saved.scope, 'brokerage:read');
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    assert.ok(names.includes('getAccounts') && names.includes('previewOrder'), names.join(', '));
    for (const m of MUTATING) assert.ok(!names.includes(m), `${m} is not listed`);
    const listed = await stateless(provider.saved.access_token, 'tools/list');
    for (const m of MUTATING)
      assert.ok(!listed.tools.some((t) => t.name === m), `${m} is not listed (stateless)`);
  });

  test('a forged tools/call of a mutating tool is refused and nothing reaches the order endpoint', async () => {
    const account = await firstAccount(client);
    // A preview still works, but gives no token to confirm with.
    const preview = data(
      await client.callTool({ name: 'previewOrder', arguments: { account, order: lowBuy(1.11) } }),
    );
    assert.equal(preview.status, 'preview_only', JSON.stringify(preview));
    assert.equal(preview.confirmationToken, undefined);
    assert.match(preview.next, /read-only/);

    const before = await stats();
    const forged = [
      ['placeOrder', { account, order: lowBuy(1.11), confirmationToken: 'cfm_forged' }],
      ['placeOrder', { account, order: lowBuy(1.11) }],
      ['replaceOrder', { account, orderId: 1, order: lowBuy(1.12) }],
      ['cancelOrder', { account, orderId: 1 }],
    ];
    for (const [name, args] of forged) {
      const r = await client.callTool({ name, arguments: args });
      assert.equal(r.isError, true, `${name}: ${JSON.stringify(r)}`);
      assert.match(
        text(r),
        new RegExp(`^insufficient_scope: ${name} needs the brokerage:trade permission`),
      );
      assert.match(text(r), /Nothing was sent/);
      const s = await stateless(provider.saved.access_token, 'tools/call', {
        name,
        arguments: args,
      });
      assert.equal(s.isError, true);
      assert.match(s.content[0].text, /^insufficient_scope/);
    }
    assert.deepEqual(await stats(), before, 'no request reached the sandbox order endpoints');
  });
});

describe('a person confirms every order', () => {
  let provider;
  let plain;
  let account;
  before(async () => {
    provider = await signInWithSdk({
      base: BASE,
      sandbox: SANDBOX,
      redirectUri: 'http://127.0.0.1:9/e2e-confirm',
      user: 'alice',
      broker: 'schwab',
      clientName: 'broker-mcp e2e (confirmation)',
    });
    plain = await connect(provider);
    account = await firstAccount(plain);
  });
  after(async () => {
    await plain?.close().catch(() => {});
  });

  async function tokenFor(price, client = plain) {
    const preview = data(
      await client.callTool({ name: 'previewOrder', arguments: { account, order: lowBuy(price) } }),
    );
    assert.equal(preview.status, 'confirmation_required', JSON.stringify(preview));
    assert.match(preview.confirmationToken, /^cfm_/);
    return preview.confirmationToken;
  }

  test('the grant allows trading and the mutating tools tell the host to ask', async () => {
    assert.equal(provider.saved.scope, 'brokerage:read brokerage:trade');
    const { tools } = await plain.listTools();
    for (const m of MUTATING) {
      const tool = tools.find((t) => t.name === m);
      assert.ok(tool, `${m} is listed`);
      assert.equal(tool.annotations.destructiveHint, true);
      assert.match(tool.description, /the host must ask the person/);
    }
  });

  test('an eliciting client that sends the token is asked, and its decline sends nothing', async () => {
    const asked = [];
    const declining = await connect(provider, {
      elicit: async (req) => {
        asked.push(req.params);
        return { action: 'decline' };
      },
    });
    try {
      const token = await tokenFor(1.21, declining);
      const before = await stats();
      const r = await declining.callTool({
        name: 'placeOrder',
        arguments: { account, order: lowBuy(1.21), confirmationToken: token },
      });
      const answer = data(r);
      assert.equal(asked.length, 1, 'the person was asked');
      assert.match(asked[0].message, /Buy 1 share of KO at a limit of \$1\.21/);
      assert.match(asked[0].message, new RegExp(account.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      assert.equal(answer.sent, false, JSON.stringify(answer));
      assert.equal(answer.status, 'declined');
      const after = await stats();
      assert.equal(after.ordersPlaced, before.ordersPlaced, 'nothing was placed');
      // Only the fresh preview shown to the person reached the broker, not the order.
      assert.equal(after.orderRequests - before.orderRequests, 1);
      // The token was used up by that call: replaying it without the person does nothing.
      const replay = await plain.callTool({
        name: 'placeOrder',
        arguments: { account, order: lowBuy(1.21), confirmationToken: token },
      });
      assert.equal(replay.isError, true);
      assert.match(text(replay), /already used/);
      assert.equal((await stats()).ordersPlaced, before.ordersPlaced);
    } finally {
      await declining.close();
    }
  });

  test('an eliciting client that sends the token places only after the person accepts', async () => {
    const asked = [];
    const accepting = await connect(provider, {
      elicit: async (req) => {
        asked.push(req.params);
        return { action: 'accept', content: { confirm: true } };
      },
    });
    try {
      const token = await tokenFor(1.22, accepting);
      const before = await stats();
      const placed = data(
        await accepting.callTool({
          name: 'placeOrder',
          arguments: { account, order: lowBuy(1.22), confirmationToken: token },
        }),
      );
      assert.equal(asked.length, 1, 'the person was asked');
      assert.equal(placed.sent, true, JSON.stringify(placed));
      assert.equal(placed.confirmedBy, 'elicitation');
      assert.equal((await stats()).ordersPlaced, before.ordersPlaced + 1);
      // Cancelling asks too.
      const cancelled = data(
        await accepting.callTool({
          name: 'cancelOrder',
          arguments: { account, orderId: Number(placed.orderId) },
        }),
      );
      assert.equal(asked.length, 2);
      assert.match(asked[1].message, /^Cancel this order at Schwab\?/);
      assert.equal(cancelled.cancelled, true, JSON.stringify(cancelled));
    } finally {
      await accepting.close();
    }
  });

  test('a client without elicitation needs the token', async () => {
    const before = await stats();
    const refused = data(
      await plain.callTool({ name: 'placeOrder', arguments: { account, order: lowBuy(1.23) } }),
    );
    assert.equal(refused.sent, false);
    assert.equal(refused.status, 'confirmation_required');
    assert.equal((await stats()).ordersPlaced, before.ordersPlaced);
    const placed = data(
      await plain.callTool({
        name: 'placeOrder',
        arguments: { account, order: lowBuy(1.23), confirmationToken: refused.confirmationToken },
      }),
    );
    assert.equal(placed.sent, true, JSON.stringify(placed));
    assert.equal(placed.confirmedBy, 'token');
    assert.equal((await stats()).ordersPlaced, before.ordersPlaced + 1);
    const cancel = data(
      await plain.callTool({
        name: 'cancelOrder',
        arguments: { account, orderId: Number(placed.orderId) },
      }),
    );
    await plain.callTool({
      name: 'cancelOrder',
      arguments: {
        account,
        orderId: Number(placed.orderId),
        confirmationToken: cancel.confirmationToken,
      },
    });
  });
});
