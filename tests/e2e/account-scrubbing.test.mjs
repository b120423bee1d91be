// Nothing the client sees names an account, whatever the broker writes (issue: "Account
// numbers are never shown to it"). carol's accounts in the sandbox brokerage are not
// approved for options, so Schwab's previewOrder puts "Account 81237007 is not approved for
// this option level" into orderValidationResult and tastytrade's dry run puts the same into
// its warnings. Both previews go through the MCP SDK client against `wrangler dev`; no
// answer (text or structuredContent) may hold an account number in any spelling, and
// getUserPreference holds no customer or correlation id. A failing tastytrade call leaves
// no account number in the worker's log either.
//
// Started by `npm test` (layer e2e) with BROKER_MCP_URL, SANDBOX_URL and ARTIFACTS_DIR set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { signInWithSdk } from './support/sdk-sign-in.mjs';

const BASE = process.env.BROKER_MCP_URL ?? 'http://127.0.0.1:8787';
const SANDBOX = process.env.SANDBOX_URL ?? 'http://127.0.0.1:8788';
const ARTIFACTS = process.env.ARTIFACTS_DIR;
// The log of the wrangler dev this layer runs against (scripts/test.sh sets it).
const WRANGLER_LOG =
  process.env.WRANGLER_DEV_LOG ?? (ARTIFACTS ? join(ARTIFACTS, 'wrangler-dev.log') : undefined);
const MCP_URL = new URL('/mcp', BASE);
const USER = 'carol';

let skipReason = null;
const clients = {};
const secrets = { schwab: [], tastytrade: [] }; // every spelling that must never appear

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

// The spellings a broker or a person uses: as is, lower case, hyphenated in the middle.
function spellings(id) {
  const half = Math.floor(id.length / 2);
  return [id, id.toLowerCase(), `${id.slice(0, half)}-${id.slice(half)}`];
}

function assertClean(broker, what, answer) {
  const body = JSON.stringify(answer);
  for (const id of secrets[broker])
    assert.ok(!body.includes(id), `${what} leaked ${id.slice(-3)}: ${body.slice(0, 400)}`);
}

async function signIn(broker) {
  const provider = await signInWithSdk({
    base: BASE,
    sandbox: SANDBOX,
    redirectUri: `http://127.0.0.1:9/e2e-scrub-${broker}`,
    user: USER,
    broker,
    clientName: `broker-mcp e2e (scrubbing, ${broker})`,
  });
  const client = new Client({ name: 'e2e-scrubbing', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(MCP_URL, { authProvider: provider }));
  return client;
}

const data = (r) => r.structuredContent ?? JSON.parse(r.content?.[0]?.text ?? 'null');
const allText = (r) => (r.content ?? []).map((c) => c.text ?? '').join('\n');

before(async () => {
  const meta = await fetch(new URL('/.well-known/oauth-authorization-server', BASE)).catch(
    () => null,
  );
  if (!meta || meta.status !== 200) {
    skipReason = 'sign-in has not landed: the server has no OAuth authorization server metadata';
    return;
  }
  const users = await sandbox('/_sandbox/users');
  for (const broker of ['schwab', 'tastytrade']) {
    const u = users[broker][USER];
    for (const a of u.accounts) {
      secrets[broker].push(...spellings(a.accountNumber));
      if (a.hashValue) secrets[broker].push(a.hashValue, a.hashValue.toLowerCase());
    }
    if (broker === 'schwab' && u.customerId) secrets[broker].push(String(u.customerId));
  }
  try {
    clients.schwab = await signIn('schwab');
    clients.tastytrade = await signIn('tastytrade');
  } catch (err) {
    skipReason = `could not sign in through the OAuth flow: ${err.message}`;
  }
});

after(async () => {
  for (const c of Object.values(clients)) await c?.close().catch(() => {});
});

function guard(t) {
  if (skipReason) {
    t.skip(skipReason);
    return true;
  }
  return false;
}

test('Schwab previewOrder: the option-level warning reaches the model without the account number', async (t) => {
  if (guard(t)) return;
  const client = clients.schwab;
  const call = async (name, args) => {
    const r = await client.callTool({ name, arguments: args });
    assertClean('schwab', name, r);
    return r;
  };
  const accounts = data(await call('getAccountNumbers', {}));
  const account = JSON.stringify(accounts).match(/"([^"]*-\.\.\.\d{3,4}[^"]*)"/)?.[1];
  assert.ok(account, `a display name: ${JSON.stringify(accounts)}`);
  const exp = data(await call('getOptionExpirationChain', { symbol: 'AAPL' }));
  const nextMonth = exp.expirationList.find((e) => e.daysToExpiration > 20)?.expirationDate;
  const chain = data(
    await call('getOptionChain', {
      symbol: 'AAPL',
      contractType: 'CALL',
      strikeCount: 2,
      toDate: nextMonth,
    }),
  );
  const strikes = Object.values(Object.values(chain.callExpDateMap)[0]);
  const symbol = strikes[0][0].symbol;
  const order = {
    orderType: 'LIMIT',
    session: 'NORMAL',
    duration: 'DAY',
    orderStrategyType: 'SINGLE',
    price: 0.05,
    orderLegCollection: [
      { instruction: 'BUY_TO_OPEN', quantity: 1, instrument: { symbol, assetType: 'OPTION' } },
    ],
  };
  const preview = await call('previewOrder', { account, order });
  const words = `${allText(preview)}\n${JSON.stringify(preview.structuredContent ?? {})}`;
  assert.match(words, /not approved for this option level/, 'the warning itself is shown');
  assert.ok(words.includes(account), 'the account is named by its display name');
});

test('Schwab getUserPreference holds no customer or correlation id', async (t) => {
  if (guard(t)) return;
  const r = await clients.schwab.callTool({ name: 'getUserPreference', arguments: {} });
  assert.ok(!r.isError, JSON.stringify(r).slice(0, 300));
  assertClean('schwab', 'getUserPreference', r);
  const body = JSON.stringify(r);
  assert.ok(!/schwabClientCustomerId|schwabClientCorrelId/i.test(body), body.slice(0, 400));
  assert.ok(
    !/schwabClientCustomerId|schwabClientCorrelId/i.test(JSON.stringify(r.structuredContent ?? {})),
  );
  assert.match(
    body,
    /schwabClientChannel|streamerSocketUrl/,
    'the rest of the streamer info stays',
  );
});

test('tastytrade preview_order: the dry-run warning reaches the model without the account number', async (t) => {
  if (guard(t)) return;
  const client = clients.tastytrade;
  const call = async (name, args) => {
    const r = await client.callTool({ name, arguments: args });
    assertClean('tastytrade', name, r);
    return r;
  };
  const account = data(await call('get_accounts', {})).accounts[0].account;
  const chain = data(
    await call('get_option_chain', { symbol: 'SPY', strikesAroundMoney: 2, optionType: 'put' }),
  );
  const exp =
    chain.chains[0].expirations.find((e) => e.daysToExpiration >= 7) ??
    chain.chains[0].expirations[0];
  const strike = exp.strikes[0];
  const order = {
    'time-in-force': 'Day',
    'order-type': 'Limit',
    price: '0.05',
    'price-effect': 'Debit',
    legs: [
      {
        'instrument-type': 'Equity Option',
        symbol: strike.put,
        quantity: 1,
        action: 'Buy to Open',
      },
    ],
  };
  const preview = await call('preview_order', { account, order });
  const words = `${allText(preview)}\n${JSON.stringify(preview.structuredContent ?? {})}`;
  assert.match(words, /not approved for this option level/, 'the warning itself is shown');
});

test('a failing tastytrade call logs no account number', async (t) => {
  if (guard(t)) return;
  if (!WRANGLER_LOG || !existsSync(WRANGLER_LOG)) {
    t.skip('no wrangler dev log (WRANGLER_DEV_LOG or ARTIFACTS_DIR/wrangler-dev.log)');
    return;
  }
  const client = clients.tastytrade;
  const account = data(await client.callTool({ name: 'get_accounts', arguments: {} })).accounts[0]
    .account;
  const [number] = secrets.tastytrade;
  const logPath = WRANGLER_LOG;
  const before = readFileSync(logPath, 'utf8').length;
  // Not retryable (400 is not in the fault modes; 500 is retried and then fails).
  await sandbox('/_sandbox/faults', {
    broker: 'tastytrade',
    path: `/accounts/${number}/positions`,
    mode: '500',
    count: 10,
  });
  const r = await client.callTool({ name: 'get_positions', arguments: { account } });
  await fetch(`${SANDBOX}/_sandbox/faults`, { method: 'DELETE' });
  assert.equal(r.isError, true, JSON.stringify(r).slice(0, 300));
  assertClean('tastytrade', 'get_positions', r);
  // wrangler dev writes the worker's console lines as they come; give it a moment.
  let added = '';
  for (let i = 0; i < 20; i++) {
    added = readFileSync(logPath, 'utf8').slice(before);
    if (/broker request failed/.test(added)) break;
    await new Promise((done) => setTimeout(done, 250));
  }
  assert.match(added, /broker request failed/, 'the failure was logged');
  for (const id of secrets.tastytrade)
    assert.ok(!added.includes(id), `the log holds ${id.slice(-3)}: ${added.slice(0, 600)}`);
});
