// npm run bench, broker requests per tool call: every read tool of both brokers, called
// twice in a session the way a client would (the second call is what a person's stream of
// calls costs once the account names are known), counting the requests the sandbox
// brokerage received for it (/_sandbox/stats). The deployment's budget is 120 requests a
// minute at Schwab, shared by everyone, so this is a limit on how much a person can do.
// The order tools are left out: they are counted by what they change, not measured here.
//
// Usage: node scripts/bench/broker-requests.mjs <server url> <sandbox url>
import { signIn } from '../../tests/e2e/support/sign-in.mjs';

const [base, sandbox] = process.argv.slice(2);
const VERSION = '2025-11-25';

async function session(broker) {
  const { accessToken } = await signIn({
    base,
    sandbox,
    user: 'alice',
    broker,
    clientName: `bench broker requests (${broker})`,
  });
  const headers = {
    authorization: `Bearer ${accessToken}`,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': VERSION,
  };
  const post = async (message) => {
    const res = await fetch(new URL('/mcp', base), {
      method: 'POST',
      headers,
      body: JSON.stringify(message),
    });
    const text = await res.text();
    if (!headers['mcp-session-id']) headers['mcp-session-id'] = res.headers.get('mcp-session-id');
    return text ? JSON.parse(text.startsWith('{') ? text : text.slice(text.indexOf('{'))) : null;
  };
  await post({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: {
      protocolVersion: VERSION,
      capabilities: {},
      clientInfo: { name: 'bench', version: '1' },
    },
  });
  await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
  let id = 2;
  return async (name, args = {}) => {
    const answer = await post({
      jsonrpc: '2.0',
      id: id++,
      method: 'tools/call',
      params: { name, arguments: args },
    });
    const result = answer?.result;
    if (!result) throw new Error(`${name}: ${JSON.stringify(answer).slice(0, 300)}`);
    if (result.isError) return { isError: true, text: result.content?.[0]?.text ?? '' };
    return result.structuredContent ?? JSON.parse(result.content[0].text);
  };
}

async function brokerRequests(broker) {
  const stats = await (await fetch(new URL('/_sandbox/stats', sandbox))).json();
  return stats.byBroker[broker];
}

// Calls `name` twice and reports the requests each call made at the broker.
async function measure(call, broker, name, args) {
  const counts = [];
  let note = '';
  for (let i = 0; i < 2; i++) {
    const before = await brokerRequests(broker);
    const answer = await call(name, args);
    counts.push((await brokerRequests(broker)) - before);
    if (answer?.isError) note = `(answered an error: ${answer.text.slice(0, 60)})`;
  }
  return [...counts, note];
}

const since = (days) => new Date(Date.now() - days * 86400000).toISOString().slice(0, 10);
const rows = [];

const schwab = await session('schwab');
const schwabAccount = (await schwab('getAccountNumbers')).accounts[0].account;
const anyOrder = (await schwab('getOrders', { fromEnteredTime: since(50) })).orders?.[0];
const anyTx = (
  await schwab('getTransactions', {
    startDate: new Date(Date.now() - 300 * 86400000).toISOString(),
  })
).transactions?.[0];
const schwabCases = [
  ['status'],
  ['getAccounts'],
  ['getAccountNumbers'],
  ['getAccount', { account: schwabAccount }],
  ['getAccountPositions', { account: schwabAccount }],
  ['getOrders', { fromEnteredTime: since(50) }],
  ['getOrdersByAccountNumber', { account: schwabAccount }],
  ...(anyOrder
    ? [
        [
          'getOrder',
          { account: anyOrder.accountNumber ?? schwabAccount, orderId: anyOrder.orderId },
        ],
      ]
    : []),
  ['getTransactions', { startDate: new Date(Date.now() - 300 * 86400000).toISOString() }],
  ...(anyTx
    ? [
        [
          'getTransaction',
          { account: anyTx.accountNumber ?? schwabAccount, transactionId: anyTx.activityId },
        ],
      ]
    : []),
  ['getUserPreference'],
  ['getQuotes', { symbols: ['AAPL', 'MSFT'] }],
  ['getQuoteBySymbolId', { symbol_id: 'MSFT' }],
  ['searchInstruments', { symbol: 'apple', projection: 'desc-search' }],
  ['getInstrument', { symbol: 'AAPL', projection: 'fundamental' }],
  ['getMarketHours', { markets: ['equity', 'option'] }],
  ['getMarketHoursByMarketId', { market_id: 'bond' }],
  ['getMovers', { symbol_id: '$SPX' }],
  ['getOptionExpirationChain', { symbol: 'AAPL' }],
  ['getOptionChain', { symbol: 'AAPL', contractType: 'CALL', strikeCount: 4 }],
  ['getPriceHistory', { symbol: 'AAPL', periodType: 'month', period: 1, frequencyType: 'daily' }],
];
for (const [name, args] of schwabCases)
  rows.push(['Schwab', name, ...(await measure(schwab, 'schwab', name, args))]);

const tasty = await session('tastytrade');
const tastyAccount = (await tasty('get_accounts')).accounts[0].account;
const tastyCases = [
  ['status'],
  ['get_accounts'],
  ['get_balances', { account: tastyAccount }],
  ['get_positions', { account: tastyAccount }],
  ['get_transactions', { account: tastyAccount, startDate: since(300), perPage: 5 }],
  ['get_orders', { account: tastyAccount }],
  ['get_quote', { symbols: ['AAPL', 'SPY'] }],
  ['get_option_chain', { symbol: 'SPY', strikesAroundMoney: 3 }],
  ['get_market_metrics', { symbols: ['AAPL', 'SPY'] }],
  ['search_symbols', { query: 'AAP' }],
  ['get_market_status'],
];
for (const [name, args] of tastyCases)
  rows.push(['tastytrade', name, ...(await measure(tasty, 'tastytrade', name, args))]);

console.log('broker requests per tool call (first call in the session, then the next one)');
for (const [broker, name, first, next, note] of rows)
  console.log(
    `  ${broker.padEnd(11)}${name.padEnd(28)}${String(first).padStart(3)}  ${String(next).padStart(3)}  ${note}`,
  );
