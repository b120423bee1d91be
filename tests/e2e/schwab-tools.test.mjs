// The Schwab tools end to end: the official MCP SDK client signs in through the server's
// OAuth flow (consent page, then the sandbox brokerage's Schwab login as alice), then calls
// every Schwab tool with realistic arguments against `wrangler dev` + the sandbox. Orders:
// previewed then placed with the token; refused without confirmation; placed after an
// accepted elicitation. Injected upstream faults map to the right tool errors. No account
// number or hash appears in any answer the client sees.
//
// Started by `npm test` (layer e2e) with BROKER_MCP_URL and SANDBOX_URL set. When the
// server has no sign-in yet (no OAuth metadata, /mcp still 401 after the flow, or no
// Schwab tools listed), every test is skipped with the reason.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { signInWithSdk } from './support/sdk-sign-in.mjs';

const BASE = process.env.BROKER_MCP_URL ?? 'http://127.0.0.1:8787';
const SANDBOX = process.env.SANDBOX_URL ?? 'http://127.0.0.1:8788';
const MCP_URL = new URL('/mcp', BASE);
const REDIRECT_URI = 'http://127.0.0.1:9/e2e-schwab-callback';
const USER = 'alice';

const SCHWAB_TOOLS = [
  'status',
  'getAccounts',
  'getAccountNumbers',
  'getAccount',
  'getAccountPositions',
  'getOrders',
  'getOrdersByAccountNumber',
  'getOrder',
  'previewOrder',
  'placeOrder',
  'replaceOrder',
  'cancelOrder',
  'getTransactions',
  'getTransaction',
  'getUserPreference',
  'getQuotes',
  'getQuoteBySymbolId',
  'searchInstruments',
  'getInstrument',
  'getInstrumentByCusip',
  'getMarketHours',
  'getMarketHoursByMarketId',
  'getMovers',
  'getOptionChain',
  'getOptionExpirationChain',
  'getPriceHistory',
];

async function signIn(user, broker) {
  return signInWithSdk({
    base: BASE,
    sandbox: SANDBOX,
    redirectUri: REDIRECT_URI,
    user,
    broker,
    clientName: 'broker-mcp e2e (Schwab tools)',
  });
}

async function connect(provider, { elicit } = {}) {
  const client = new Client(
    { name: 'e2e-schwab-tools', version: '1.0.0' },
    { capabilities: elicit ? { elicitation: {} } : {} },
  );
  if (elicit) client.setRequestHandler(ElicitRequestSchema, elicit);
  await client.connect(new StreamableHTTPClientTransport(MCP_URL, { authProvider: provider }));
  return client;
}

// ---- the test ---------------------------------------------------------------------------------

let skipReason = null;
let provider = null;
let client = null;
let identifiers = [];
const seen = []; // every answer body the client saw

async function call(name, args = {}, c = client) {
  const r = await c.callTool({ name, arguments: args });
  seen.push({ name, body: JSON.stringify(r) });
  return r;
}
const text = (r) => r.content?.[0]?.text ?? '';
const data = (r) => r.structuredContent ?? JSON.parse(text(r));

async function sandbox(path, body) {
  const res = await fetch(
    `${SANDBOX}${path}`,
    body === undefined
      ? {}
      : {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        },
  );
  return res.json();
}

before(async () => {
  const meta = await fetch(new URL('/.well-known/oauth-authorization-server', BASE)).catch(
    () => null,
  );
  if (!meta || meta.status !== 200) {
    skipReason = 'sign-in has not landed: the server has no OAuth authorization server metadata';
    return;
  }
  try {
    provider = await signIn(USER, 'schwab');
  } catch (err) {
    skipReason = `could not sign in through the OAuth flow: ${err.message}`;
    return;
  }
  const probe = await fetch(MCP_URL, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(provider.saved ? { authorization: `Bearer ${provider.saved.access_token}` } : {}),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'probe', version: '1' },
      },
    }),
  });
  if (probe.status === 401) {
    skipReason = 'the server still answers /mcp with 401 after sign-in';
    return;
  }
  client = await connect(provider);
  const { tools } = await client.listTools();
  if (!tools.some((t) => t.name === 'getAccounts')) {
    skipReason = 'the Schwab tools are not listed for this sign-in';
    return;
  }
  const users = await sandbox('/_sandbox/users');
  for (const u of Object.values(users.schwab)) {
    for (const a of u.accounts)
      identifiers.push(a.accountNumber, a.hashValue, a.hashValue.toLowerCase());
  }
});

after(async () => {
  await client?.close().catch(() => {});
});

function guard(t) {
  if (skipReason) {
    t.skip(skipReason);
    return true;
  }
  return false;
}

describe('Schwab tools end to end', () => {
  let names = [];
  let accountA;
  let accountB;

  test('every Schwab tool is listed, with annotations', async (t) => {
    if (guard(t)) return;
    const { tools } = await client.listTools();
    const listed = new Set(tools.map((x) => x.name));
    for (const name of SCHWAB_TOOLS) assert.ok(listed.has(name), `${name} is listed`);
    const place = tools.find((x) => x.name === 'placeOrder');
    assert.equal(place.annotations.destructiveHint, true);
    assert.equal(tools.find((x) => x.name === 'getQuotes').annotations.readOnlyHint, true);
  });

  test('accounts are named by display name', async (t) => {
    if (guard(t)) return;
    const r = await call('getAccountNumbers');
    names = data(r).accounts.map((a) => a.account);
    assert.ok(names.length >= 3, JSON.stringify(names));
    for (const n of names) assert.match(n, /^[A-Za-z][A-Za-z &'+/-]*-\.\.\.\d{3,4}( \(\d+\))?$/);
    assert.equal(new Set(names).size, names.length, 'display names are unique');
    // Alice's two accounts ending in 123 are told apart.
    const individual = names.filter((n) => n.endsWith('123'));
    assert.equal(individual.length, 2, JSON.stringify(names));
    [accountA, accountB] = individual;
  });

  test('portfolio://positions: live from Schwab, then the snapshot while Schwab fails', async (t) => {
    if (guard(t)) return;
    const { resources } = await client.listResources();
    assert.ok(resources.some((r) => r.uri === 'portfolio://positions'));
    const readPositions = async () => {
      const r = await client.readResource({ uri: 'portfolio://positions' });
      seen.push({ name: 'portfolio://positions', body: JSON.stringify(r) });
      return JSON.parse(r.contents[0].text);
    };
    const fresh = await readPositions();
    assert.equal(fresh.stale, false);
    assert.ok(fresh.positions.length > 0);
    for (const p of fresh.positions)
      assert.ok(names.includes(p.account), `${p.account} is a display name`);
    const path = '/schwab/trader/v1/accounts';
    await sandbox('/_sandbox/faults', {
      broker: 'schwab',
      path,
      method: 'GET',
      mode: '500',
      count: 3,
    });
    try {
      const stale = await readPositions();
      assert.equal(stale.stale, true);
      assert.ok(stale.asOf);
      assert.equal(stale.positions.length, fresh.positions.length);
    } finally {
      for (let i = 0; i < 5; i++) {
        const { faults } = await sandbox('/_sandbox/faults');
        if (!faults.some((f) => f.path === path && f.remaining > 0)) break;
        await readPositions();
      }
    }
  });

  test('every read tool answers with real data', async (t) => {
    if (guard(t)) return;
    const accounts = data(await call('getAccounts', { fields: 'positions' })).accounts;
    assert.ok(accounts.length >= 3);
    assert.ok(
      accounts.some((a) => (a.positions ?? []).some((p) => p.instrument.symbol === 'AAPL')),
    );
    const one = data(
      await call('getAccount', { account: accountA, fields: 'positions', detail: 'full' }),
    );
    assert.ok(one.currentBalances);
    const positions = data(await call('getAccountPositions', { account: accountB }));
    assert.equal(positions.accounts.length, 1);
    const allPositions = data(await call('getAccountPositions', {}));
    assert.ok(allPositions.accounts.length >= 3);

    const orders = data(
      await call('getOrders', {
        fromEnteredTime: new Date(Date.now() - 50 * 86400000).toISOString().slice(0, 10),
      }),
    );
    assert.ok(Array.isArray(orders.orders));
    const mine = data(await call('getOrdersByAccountNumber', { account: accountA }));
    assert.ok(Array.isArray(mine.orders));
    const anyOrder = [...orders.orders, ...mine.orders][0];
    if (anyOrder) {
      const owner = names.find((n) => n === anyOrder.accountNumber) ?? accountA;
      const got = await call('getOrder', { account: owner, orderId: anyOrder.orderId });
      assert.ok(!got.isError, text(got));
    }
    const tx = data(
      await call('getTransactions', {
        startDate: new Date(Date.now() - 300 * 86400000).toISOString(),
      }),
    );
    assert.ok(tx.transactions.length > 0, 'seeded transactions');
    const first = tx.transactions[0];
    const oneTx = await call('getTransaction', {
      account: names.includes(first.accountNumber) ? first.accountNumber : accountA,
      transactionId: first.activityId,
    });
    assert.ok(!oneTx.isError || /not_found/.test(text(oneTx)), text(oneTx));
    const prefs = data(await call('getUserPreference'));
    assert.ok(prefs.accounts.every((a) => names.includes(a.accountNumber)));

    const quotes = data(
      await call('getQuotes', {
        symbols: ['AAPL', '$SPX', 'NOPE'],
        fields: ['quote', 'reference'],
      }),
    );
    assert.ok(quotes.AAPL.quote.lastPrice > 0);
    assert.deepEqual(quotes.errors.invalidSymbols, ['NOPE']);
    const single = data(await call('getQuoteBySymbolId', { symbol_id: 'MSFT' }));
    assert.ok(single.MSFT);
    const found = data(
      await call('searchInstruments', { symbol: 'apple', projection: 'desc-search' }),
    );
    assert.ok(found.instruments.some((i) => i.symbol === 'AAPL'));
    const fundamental = data(
      await call('getInstrument', { symbol: 'AAPL', projection: 'fundamental' }),
    );
    assert.ok(fundamental.instruments[0].fundamental);
    const cusip = fundamental.instruments[0].cusip;
    assert.equal(data(await call('getInstrument', { cusip })).instruments[0].symbol, 'AAPL');
    assert.equal(
      data(await call('getInstrumentByCusip', { cusip_id: cusip })).instruments[0].symbol,
      'AAPL',
    );
    const hours = data(await call('getMarketHours', { markets: ['equity', 'option'] }));
    assert.ok(hours.equity && hours.option);
    assert.ok(data(await call('getMarketHoursByMarketId', { market_id: 'bond' })).bond);
    const movers = data(
      await call('getMovers', { symbol_id: '$SPX', sort: 'PERCENT_CHANGE_DOWN', frequency: 0 }),
    );
    assert.ok(Array.isArray(movers.screeners));
    const exp = data(await call('getOptionExpirationChain', { symbol: 'AAPL' }));
    assert.ok(exp.expirationList.length > 3);
    const nextMonth = exp.expirationList.find((e) => e.daysToExpiration > 20)?.expirationDate;
    const chain = data(
      await call('getOptionChain', {
        symbol: 'AAPL',
        contractType: 'CALL',
        strikeCount: 4,
        includeUnderlyingQuote: true,
        toDate: nextMonth,
      }),
    );
    assert.equal(chain.status, 'SUCCESS');
    const expiries = Object.values(chain.callExpDateMap);
    assert.ok(expiries.length > 0);
    for (const strikes of expiries) assert.ok(Object.keys(strikes).length <= 4);
    assert.equal(Object.keys(chain.putExpDateMap).length, 0, 'contractType is forwarded');
    const history = data(
      await call('getPriceHistory', {
        symbol: 'AAPL',
        periodType: 'month',
        period: 1,
        frequencyType: 'daily',
        needPreviousClose: true,
      }),
    );
    assert.ok(history.candles.length > 15);
    assert.ok(history.previousClose > 0, 'needPreviousClose is forwarded');
  });

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

  test('an order is previewed, then placed with its token, replaced and cancelled', async (t) => {
    if (guard(t)) return;
    const preview = data(await call('previewOrder', { account: accountA, order: lowBuy(1.01) }));
    assert.equal(preview.status, 'confirmation_required', JSON.stringify(preview));
    assert.match(preview.summary, /Buy 1 share of KO at a limit of \$1\.01/);
    assert.match(preview.confirmationToken, /^cfm_/);

    const placed = data(
      await call('placeOrder', {
        account: accountA,
        order: lowBuy(1.01),
        confirmationToken: preview.confirmationToken,
      }),
    );
    assert.equal(placed.sent, true, JSON.stringify(placed));
    assert.match(placed.orderId, /^\d+$/);
    assert.equal(placed.orderStatus, 'WORKING');
    const again = await call('placeOrder', {
      account: accountA,
      order: lowBuy(1.01),
      confirmationToken: preview.confirmationToken,
    });
    assert.ok(again.isError && /already used/.test(text(again)));

    const replacePreview = data(
      await call('previewOrder', {
        account: accountA,
        order: lowBuy(1.02),
        orderId: Number(placed.orderId),
      }),
    );
    const replaced = data(
      await call('replaceOrder', {
        account: accountA,
        orderId: Number(placed.orderId),
        order: lowBuy(1.02),
        confirmationToken: replacePreview.confirmationToken,
      }),
    );
    assert.equal(replaced.sent, true, JSON.stringify(replaced));
    assert.notEqual(replaced.orderId, placed.orderId);

    const cancelPreview = data(
      await call('cancelOrder', { account: accountA, orderId: Number(replaced.orderId) }),
    );
    assert.equal(cancelPreview.sent, false);
    const cancelled = data(
      await call('cancelOrder', {
        account: accountA,
        orderId: Number(replaced.orderId),
        confirmationToken: cancelPreview.confirmationToken,
      }),
    );
    assert.equal(cancelled.cancelled, true);
    assert.equal(cancelled.orderStatus, 'CANCELED');
  });

  test('a placement without confirmation is refused and nothing reaches Schwab', async (t) => {
    if (guard(t)) return;
    const before = (await sandbox('/_sandbox/stats')).ordersPlaced.schwab;
    const r = data(await call('placeOrder', { account: accountB, order: lowBuy(1.03) }));
    assert.equal(r.sent, false);
    assert.equal(r.status, 'confirmation_required');
    assert.equal((await sandbox('/_sandbox/stats')).ordersPlaced.schwab, before);
    const bad = await call('placeOrder', {
      account: accountB,
      order: lowBuy(1.03),
      confirmationToken: 'cfm_made_up',
    });
    assert.ok(bad.isError);
    assert.equal((await sandbox('/_sandbox/stats')).ordersPlaced.schwab, before);
  });

  test('an elicitation the person accepts places the order', async (t) => {
    if (guard(t)) return;
    let asked = null;
    const asking = await connect(provider, {
      elicit: async (req) => {
        asked = req.params;
        return { action: 'accept', content: { confirm: true } };
      },
    });
    try {
      const r = await asking.callTool({
        name: 'placeOrder',
        arguments: { account: accountB, order: lowBuy(1.04) },
      });
      seen.push({ name: 'placeOrder (elicitation)', body: JSON.stringify(r) });
      assert.match(asked.message, /Buy 1 share of KO at a limit of \$1\.04/);
      const placed = data(r);
      assert.equal(placed.sent, true, JSON.stringify(placed));
      assert.equal(placed.confirmedBy, 'elicitation');
      const cancelPreview = data(
        await call('cancelOrder', { account: accountB, orderId: Number(placed.orderId) }),
      );
      await call('cancelOrder', {
        account: accountB,
        orderId: Number(placed.orderId),
        confirmationToken: cancelPreview.confirmationToken,
      });
    } finally {
      await asking.close();
    }
  });

  // Each fault on its own path, so other tests sharing the sandbox are not affected.
  const faults = [
    { mode: '429', index: 'NYSE', count: 3, retryAfter: 1, code: 'rate_limited' },
    { mode: '500', index: 'NASDAQ', count: 3, code: 'server_error' },
    { mode: '401', index: 'OTCBB', count: 1, code: 'invalid_token' },
    { mode: 'malformed', index: 'INDEX_ALL', count: 3, code: 'invalid_response' },
    { mode: 'timeout', index: 'OPTION_PUT', count: 2, timeoutMs: 12000, code: 'network_error' },
  ];
  for (const f of faults) {
    test(`an injected ${f.mode} from Schwab becomes ${f.code}`, { timeout: 60000 }, async (t) => {
      if (guard(t)) return;
      await sandbox('/_sandbox/faults', {
        broker: 'schwab',
        path: `/marketdata/v1/movers/${f.index}`,
        mode: f.mode,
        count: f.count,
        retryAfter: f.retryAfter,
        timeoutMs: f.timeoutMs,
      });
      const r = await call('getMovers', { symbol_id: f.index });
      assert.ok(r.isError, text(r));
      assert.match(text(r), new RegExp(`^${f.code}: `));
      if (f.mode !== 'timeout') assert.match(text(r), /HTTP \d{3}/);
      if (f.mode === '429') assert.match(text(r), /try again in 1 s/);
      // The next call works again.
      const ok = await call('getMovers', { symbol_id: f.index });
      assert.ok(!ok.isError, text(ok));
    });
  }

  test('no account number or hash appears in any answer', async (t) => {
    if (guard(t)) return;
    assert.ok(seen.length > 30, `answers seen: ${seen.length}`);
    for (const { name, body } of seen) {
      for (const id of identifiers) assert.ok(!body.includes(id), `${name} leaked ${id.slice(-3)}`);
    }
  });
});
