// tastytrade doubles: envelopes, kebab-case keys, string decimals with
// *-effect fields, orders and dry runs, market data, metrics and chains.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { UA, api, control, mint, withSandbox } from './helpers.mjs';

let sb;
let alice;
let bob;
before(async () => {
  sb = await withSandbox();
});
after(() => sb.close());
beforeEach(async () => {
  await control(sb, 'POST', '/reset');
  alice = (await mint(sb, 'tastytrade', 'alice')).access_token;
  bob = (await mint(sb, 'tastytrade', 'bob')).access_token;
});

const call = (method, path, { token = alice, body } = {}) =>
  api(sb, method, `/tastytrade${path}`, { token, headers: UA, body });
const get = (path, token) => call('GET', path, { token });
const DECIMAL = /^-?\d+\.\d+$/;

function kebabKeysDeep(value, path = '') {
  if (Array.isArray(value)) return value.flatMap((v, i) => kebabKeysDeep(v, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [
      ...(/^[a-z0-9]+(-[a-z0-9]+)*$/.test(k) ? [] : [`${path}.${k}`]),
      ...kebabKeysDeep(v, `${path}.${k}`),
    ]);
  }
  return [];
}

async function accountNumbers(token = alice) {
  return (await get('/customers/me/accounts', token)).json.data.items.map(
    (i) => i.account['account-number'],
  );
}

describe('tastytrade accounts', () => {
  it('customers/me and the account list use the documented envelopes', async () => {
    const me = await get('/customers/me');
    assert.equal(me.json.context, '/customers/me');
    assert.equal(me.json.data.id, 'me');
    assert.ok(me.json.data['external-id']);
    const res = await get('/customers/me/accounts');
    assert.equal(res.json.context, '/customers/me/accounts');
    const items = res.json.data.items;
    assert.equal(items.length, 3);
    assert.equal(items[0]['authority-level'], 'owner');
    for (const k of [
      'account-number',
      'account-type-name',
      'nickname',
      'margin-or-cash',
      'is-closed',
      'day-trader-status',
      'opened-at',
    ])
      assert.ok(k in items[0].account, k);
    assert.equal(items.filter((i) => i.account['account-number'].endsWith('123')).length, 2);
    assert.deepEqual(kebabKeysDeep(res.json.data), []);
  });

  it('balances: a single object of string decimals with effects', async () => {
    const [n] = await accountNumbers();
    const b = (await get(`/accounts/${n}/balances`)).json.data;
    for (const k of [
      'account-number',
      'cash-balance',
      'net-liquidating-value',
      'equity-buying-power',
      'derivative-buying-power',
      'maintenance-requirement',
      'pending-cash-effect',
      'snapshot-date',
      'updated-at',
      'used-derivative-buying-power',
      'long-equity-value',
      'short-derivative-value',
    ])
      assert.ok(k in b, k);
    assert.match(b['cash-balance'], DECIMAL);
    assert.match(b['net-liquidating-value'], DECIMAL);
    assert.ok(['Debit', 'Credit', 'None'].includes(b['pending-cash-effect']));
    assert.deepEqual(kebabKeysDeep(b), []);
  });

  it('positions: equities and options, marks on request', async () => {
    const [n] = await accountNumbers();
    const items = (await get(`/accounts/${n}/positions?include-marks=true`)).json.data.items;
    const option = items.find(
      (p) => p['instrument-type'] === 'Equity Option' && p['quantity-direction'] === 'Short',
    );
    const equity = items.find((p) => p['instrument-type'] === 'Equity');
    assert.ok(option && equity);
    for (const k of [
      'account-number',
      'symbol',
      'instrument-type',
      'underlying-symbol',
      'quantity',
      'quantity-direction',
      'close-price',
      'average-open-price',
      'multiplier',
      'cost-effect',
      'is-suppressed',
      'is-frozen',
      'realized-day-gain',
      'realized-today',
      'created-at',
      'updated-at',
      'mark',
      'mark-price',
    ])
      assert.ok(k in option, k);
    assert.equal(option.multiplier, 100);
    assert.ok(option['expires-at']);
    assert.match(option.symbol, /^[A-Z]{1,6}\s+\d{6}[CP]\d{8}$/);
    const filtered = (await get(`/accounts/${n}/positions?underlying-symbol[]=SPY`)).json.data
      .items;
    assert.ok(filtered.length >= 1 && filtered.every((p) => p['underlying-symbol'] === 'SPY'));
  });

  it("another user's account is not permitted", async () => {
    const [n] = await accountNumbers(bob);
    const res = await get(`/accounts/${n}/balances`);
    assert.equal(res.status, 403);
    assert.deepEqual(res.json, {
      error: { code: 'not_permitted', message: 'User not permitted access' },
    });
    assert.ok((await accountNumbers()).every((a) => !a.startsWith('5WV') && !a.startsWith('5WW')));
  });

  it('transactions are paginated with a top-level pagination block', async () => {
    const [n] = await accountNumbers();
    const res = (await get(`/accounts/${n}/transactions?per-page=2`)).json;
    assert.equal(res.data.items.length, 2);
    for (const k of [
      'per-page',
      'page-offset',
      'item-offset',
      'total-items',
      'total-pages',
      'current-item-count',
    ])
      assert.ok(k in res.pagination, k);
    const trade = (await get(`/accounts/${n}/transactions?types[]=Trade&per-page=50`)).json.data
      .items[0];
    for (const k of [
      'id',
      'account-number',
      'transaction-type',
      'transaction-sub-type',
      'action',
      'symbol',
      'instrument-type',
      'quantity',
      'price',
      'value',
      'value-effect',
      'net-value',
      'net-value-effect',
      'commission',
      'commission-effect',
      'clearing-fees',
      'regulatory-fees',
      'executed-at',
      'transaction-date',
      'description',
    ])
      assert.ok(k in trade, k);
    const money = (await get(`/accounts/${n}/transactions?type=Money Movement`.replace(' ', '%20')))
      .json.data.items;
    assert.ok(
      money.some((t) => t['transaction-sub-type'] === 'Deposit' && t['value-effect'] === 'Credit'),
    );
  });

  it('trading status, position limit, net-liq history and the quote token', async () => {
    const [n] = await accountNumbers();
    const status = (await get(`/accounts/${n}/trading-status`)).json.data;
    for (const k of [
      'is-frozen',
      'is-closing-only',
      'is-in-margin-call',
      'is-risk-reducing-only',
      'options-level',
    ])
      assert.ok(k in status, k);
    const limit = (await get(`/accounts/${n}/position-limit`)).json.data;
    for (const k of [
      'equity-order-size',
      'equity-option-order-size',
      'future-order-size',
      'future-option-order-size',
    ])
      assert.ok(k in limit, k);
    const history = (await get(`/accounts/${n}/net-liq/history?time-back=1m`)).json.data.items;
    assert.ok(history.length > 15);
    assert.ok(
      ['open', 'high', 'low', 'close', 'total-close', 'time'].every((k) => k in history[0]),
    );
    const token = (await get('/api-quote-tokens')).json;
    assert.equal(token.context, '/api-quote-tokens');
    assert.equal(token.data.level, 'api');
    assert.equal(token.data['dxlink-url'], `${sb.url.replace('http', 'ws')}/tastytrade/dxlink`);
  });
});

describe('tastytrade orders', () => {
  const limitBuy = (symbol, price, quantity = 1) => ({
    'time-in-force': 'Day',
    'order-type': 'Limit',
    price: String(price),
    'price-effect': 'Debit',
    legs: [{ 'instrument-type': 'Equity', symbol, quantity, action: 'Buy to Open' }],
  });

  it('dry-run: buying-power-effect and fee-calculation with effects, no order id', async () => {
    const [n] = await accountNumbers();
    const res = await call('POST', `/accounts/${n}/orders/dry-run`, { body: limitBuy('AAPL', 1) });
    assert.equal(res.status, 201);
    const d = res.json.data;
    assert.equal(d.order.id, undefined);
    assert.equal(d.order.status, 'Received');
    assert.equal(d.order['updated-at'], 0);
    for (const k of [
      'change-in-margin-requirement',
      'change-in-buying-power',
      'current-buying-power',
      'new-buying-power',
      'isolated-order-margin-requirement',
    ]) {
      assert.match(d['buying-power-effect'][k], DECIMAL, k);
      assert.ok(
        ['Debit', 'Credit', 'None'].includes(d['buying-power-effect'][`${k}-effect`]),
        `${k}-effect`,
      );
    }
    assert.equal(typeof d['buying-power-effect']['is-spread'], 'boolean');
    for (const k of [
      'regulatory-fees',
      'clearing-fees',
      'commission',
      'proprietary-index-option-fees',
      'total-fees',
    ])
      assert.ok(`${k}-effect` in d['fee-calculation'], k);
    assert.ok(Array.isArray(d.warnings));
  });

  it('an option dry-run in an account without option approval warns, naming the account', async () => {
    const carol = (await mint(sb, 'tastytrade', 'carol')).access_token;
    const [n] = await accountNumbers(carol);
    const chain = (await get('/option-chains/AAPL/nested', carol)).json.data.items[0];
    const exp = chain.expirations.find((e) => e['expiration-type'] === 'Regular');
    const body = {
      'time-in-force': 'Day',
      'order-type': 'Limit',
      price: '0.05',
      'price-effect': 'Debit',
      legs: [
        {
          'instrument-type': 'Equity Option',
          symbol: exp.strikes[0].put,
          quantity: 1,
          action: 'Buy to Open',
        },
      ],
    };
    const d = (await call('POST', `/accounts/${n}/orders/dry-run`, { token: carol, body })).json
      .data;
    const warning = d.warnings.find((w) => w.code === 'account.option_level');
    assert.ok(warning, JSON.stringify(d.warnings));
    assert.equal(warning.message, `Account ${n} is not approved for this option level`);
    assert.deepEqual(Object.keys(warning), ['code', 'message']);
    const [mine] = await accountNumbers();
    const approved = (await call('POST', `/accounts/${mine}/orders/dry-run`, { body })).json.data;
    assert.ok(!approved.warnings.some((w) => w.code === 'account.option_level'));
  });

  it('a put credit spread dry-run is a spread and charges option commissions', async () => {
    const [n] = await accountNumbers();
    const chain = (await get('/option-chains/AAPL/nested')).json.data.items[0];
    const exp = chain.expirations.find((e) => e['expiration-type'] === 'Regular');
    const mid = Math.floor(exp.strikes.length / 2);
    const body = {
      'time-in-force': 'Day',
      'order-type': 'Limit',
      price: '0.50',
      'price-effect': 'Credit',
      legs: [
        {
          'instrument-type': 'Equity Option',
          symbol: exp.strikes[mid].put,
          quantity: 1,
          action: 'Sell to Open',
        },
        {
          'instrument-type': 'Equity Option',
          symbol: exp.strikes[mid - 2].put,
          quantity: 1,
          action: 'Buy to Open',
        },
      ],
    };
    const d = (await call('POST', `/accounts/${n}/orders/dry-run`, { body })).json.data;
    assert.equal(d['buying-power-effect']['is-spread'], true);
    assert.equal(d['fee-calculation'].commission, '2.0');
    assert.equal(d['fee-calculation']['commission-effect'], 'Debit');
  });

  it('submit answers Received; market orders then show Filled, far limits Live; replace and cancel', async () => {
    const [n] = await accountNumbers();
    const market = await call('POST', `/accounts/${n}/orders`, {
      body: {
        'time-in-force': 'Day',
        'order-type': 'Market',
        legs: [{ 'instrument-type': 'Equity', symbol: 'KO', quantity: 3, action: 'Buy to Open' }],
      },
    });
    assert.equal(market.status, 201);
    assert.equal(market.json.data.order.status, 'Received');
    const mid = market.json.data.order.id;
    assert.equal(typeof mid, 'number');
    const filled = (await get(`/accounts/${n}/orders/${mid}`)).json.data;
    assert.equal(filled.status, 'Filled');
    assert.equal(typeof filled['updated-at'], 'number');
    assert.equal(filled.legs[0].fills.length, 1);
    assert.match(filled.legs[0].fills[0]['fill-price'], DECIMAL);

    const limit = await call('POST', `/accounts/${n}/orders`, { body: limitBuy('AAPL', 5) });
    const lid = limit.json.data.order.id;
    assert.equal((await get(`/accounts/${n}/orders/${lid}`)).json.data.status, 'Live');
    const replaced = await call('PUT', `/accounts/${n}/orders/${lid}`, {
      body: {
        'time-in-force': 'Day',
        'order-type': 'Limit',
        price: '6.0',
        'price-effect': 'Debit',
      },
    });
    assert.equal(replaced.status, 200);
    const newId = replaced.json.data.id;
    assert.notEqual(newId, lid);
    assert.equal(replaced.json.data['replaces-order-id'], lid);
    const old = (await get(`/accounts/${n}/orders/${lid}`)).json.data;
    assert.equal(old.status, 'Cancelled');
    assert.equal(old['replacing-order-id'], newId);
    const cancelled = await call('DELETE', `/accounts/${n}/orders/${newId}`);
    assert.equal(cancelled.status, 200);
    assert.equal((await get(`/accounts/${n}/orders/${newId}`)).json.data.status, 'Cancelled');
    assert.equal((await call('DELETE', `/accounts/${n}/orders/${newId}`)).status, 422);

    const live = (await get(`/accounts/${n}/orders/live`)).json.data.items.map((o) => o.id);
    assert.ok(live.includes(mid) && live.includes(lid) && live.includes(newId));
    const search = (await get(`/accounts/${n}/orders?status[]=Filled&per-page=100`)).json;
    assert.ok(search.pagination);
    assert.ok(search.data.items.every((o) => o.status === 'Filled'));
  });

  it('validation errors are 400, failed preflight checks 422', async () => {
    const [n, cashAccount] = await accountNumbers();
    const bad = await call('POST', `/accounts/${n}/orders`, { body: { 'order-type': 'Limit' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.code, 'validation_error');
    const tooBig = await call('POST', `/accounts/${cashAccount}/orders`, {
      body: limitBuy('NVDA', 999, 10000),
    });
    assert.equal(tooBig.status, 422);
    assert.equal(tooBig.json.error.code, 'preflight_check_failure');
    const dry = await call('POST', `/accounts/${cashAccount}/orders/dry-run`, {
      body: limitBuy('NVDA', 999, 10000),
    });
    assert.equal(dry.status, 201);
    assert.ok(dry.json.data.errors.length > 0);
  });

  it('OCO complex orders cancel the other side when one fills', async () => {
    const [n] = await accountNumbers();
    const quote = (await get('/market-data/by-type?equity=AAPL')).json.data.items[0];
    const ask = Number(quote.ask);
    const body = {
      type: 'OCO',
      orders: [
        {
          'time-in-force': 'GTC',
          'order-type': 'Limit',
          price: String(Math.round(ask * 1.5)),
          'price-effect': 'Credit',
          legs: [
            { 'instrument-type': 'Equity', symbol: 'AAPL', quantity: 10, action: 'Sell to Close' },
          ],
        },
        {
          'time-in-force': 'GTC',
          'order-type': 'Stop',
          'stop-trigger': String(Math.round(ask * 0.5)),
          legs: [
            { 'instrument-type': 'Equity', symbol: 'AAPL', quantity: 10, action: 'Sell to Close' },
          ],
        },
      ],
    };
    const res = await call('POST', `/accounts/${n}/complex-orders`, { body });
    assert.equal(res.status, 201);
    const c = res.json.data['complex-order'];
    assert.equal(c.type, 'OCO');
    assert.equal(c.orders.length, 2);
    assert.ok(c.orders.every((o) => o.status === 'Live'));
    const cancel = await call('DELETE', `/accounts/${n}/complex-orders/${c.id}`);
    assert.equal(cancel.status, 200);
    assert.ok(cancel.json.data.orders.every((o) => o.status === 'Cancelled'));
  });
});

describe('tastytrade market data', () => {
  it('by-type: kebab-case string decimals; options and indices; repeated, [] and comma spellings', async () => {
    const occ = (await get('/option-chains/SPY/nested')).json.data.items[0].expirations[0]
      .strikes[5].call;
    const q = new URLSearchParams();
    q.append('equity', 'AAPL,MSFT');
    q.append('equity[]', 'SPY');
    q.append('index', 'VIX');
    q.append('equity-option', occ);
    const res = await get(`/market-data/by-type?${q}`);
    assert.equal(res.status, 200);
    const items = res.json.data.items;
    assert.deepEqual(items.map((i) => i.symbol).sort(), ['AAPL', 'MSFT', 'SPY', 'VIX', occ].sort());
    const aapl = items.find((i) => i.symbol === 'AAPL');
    for (const k of [
      'bid',
      'ask',
      'mid',
      'mark',
      'last',
      'open',
      'day-high-price',
      'day-low-price',
      'prev-close',
      'volume',
      'year-high-price',
      'year-low-price',
      'updated-at',
    ])
      assert.match(String(aapl[k]), k === 'updated-at' ? /Z$/ : DECIMAL, k);
    assert.equal(aapl['halt-start-time'], -1);
    assert.equal(
      items.find((i) => i.symbol === 'VIX').bid,
      undefined,
      'index rows have no bid/ask',
    );
    assert.equal(items.find((i) => i.symbol === occ)['instrument-type'], 'Equity Option');
    const many = new URLSearchParams();
    for (let i = 0; i < 101; i++) many.append('equity', 'AAPL');
    assert.equal((await get(`/market-data/by-type?${many}`)).status, 400);
  });

  it('market-metrics: real field names; IV rank/percentile as fractions, IV30/HV in percent', async () => {
    const items = (await get('/market-metrics?symbols=AAPL,SPY')).json.data.items;
    assert.equal(items.length, 2);
    const m = items[0];
    for (const k of [
      'implied-volatility-index',
      'implied-volatility-index-5-day-change',
      'implied-volatility-index-rank',
      'tos-implied-volatility-index-rank',
      'tw-implied-volatility-index-rank',
      'implied-volatility-index-rank-source',
      'implied-volatility-percentile',
      'liquidity-rating',
      'liquidity-rank',
      'beta',
      'market-cap',
      'implied-volatility-30-day',
      'historical-volatility-30-day',
      'historical-volatility-60-day',
      'historical-volatility-90-day',
      'iv-hv-30-day-difference',
      'dividend-yield',
      'earnings',
      'option-expiration-implied-volatilities',
      'updated-at',
    ])
      assert.ok(k in m, k);
    const rank = Number(m['implied-volatility-index-rank']);
    assert.ok(rank >= 0 && rank <= 1);
    assert.ok(Number(m['implied-volatility-percentile']) <= 1);
    assert.ok(Number(m['implied-volatility-index']) < 1.5);
    assert.ok(Number(m['implied-volatility-30-day']) > 5, 'percent scale');
    assert.ok(Number(m['historical-volatility-30-day']) > 5, 'percent scale');
    assert.equal(typeof m['liquidity-rating'], 'number');
    assert.equal(typeof m['market-cap'], 'number');
    assert.deepEqual(Object.keys(m['option-expiration-implied-volatilities'][0]), [
      'expiration-date',
      'option-chain-type',
      'settlement-type',
      'implied-volatility',
    ]);
  });

  it('option chains: nested, compact and flat', async () => {
    const nested = (await get('/option-chains/AAPL/nested')).json.data.items[0];
    for (const k of [
      'underlying-symbol',
      'root-symbol',
      'option-chain-type',
      'shares-per-contract',
      'tick-sizes',
      'deliverables',
      'expirations',
    ])
      assert.ok(k in nested, k);
    const exp = nested.expirations[0];
    assert.deepEqual(Object.keys(exp), [
      'expiration-type',
      'expiration-date',
      'days-to-expiration',
      'settlement-type',
      'strikes',
    ]);
    const s = exp.strikes[0];
    assert.deepEqual(Object.keys(s), [
      'strike-price',
      'call',
      'call-streamer-symbol',
      'put',
      'put-streamer-symbol',
    ]);
    assert.match(s['call-streamer-symbol'], /^\.AAPL\d{6}C\d+(\.\d+)?$/);
    const spx = (await get('/option-chains/SPX/nested')).json.data.items
      .map((i) => i['root-symbol'])
      .sort();
    assert.deepEqual(spx, ['SPX', 'SPXW']);
    const compact = (await get('/option-chains/AAPL/compact')).json.data.items[0];
    assert.ok(
      compact.symbols.length > 10 && compact['streamer-symbols'].length === compact.symbols.length,
    );
    const flat = (await get('/option-chains/AAPL')).json.data.items[0];
    for (const k of [
      'symbol',
      'instrument-type',
      'strike-price',
      'expiration-date',
      'option-type',
      'streamer-symbol',
      'days-to-expiration',
      'expires-at',
      'settlement-type',
      'exercise-style',
    ])
      assert.ok(k in flat, k);
    const one = (await get(`/instruments/equity-options/${encodeURIComponent(flat.symbol)}`)).json
      .data;
    assert.equal(one.symbol, flat.symbol);
  });

  it('instruments, symbol search, sessions and public margin config', async () => {
    const eq = (await get('/instruments/equities/SPY')).json.data;
    assert.equal(eq['is-etf'], true);
    assert.equal(eq['streamer-symbol'], 'SPY');
    const search = (await get('/symbols/search/APP')).json.data.items;
    assert.ok(search.some((i) => i.symbol === 'AAPL'));
    const session = (await get('/market-time/sessions/current?instrument-collections[]=Equity'))
      .json.data.items[0];
    for (const k of ['open-at', 'close-at', 'state', 'next-session', 'previous-session'])
      assert.ok(k in session, k);
    const cfg = await api(sb, 'GET', '/tastytrade/margin-requirements-public-configuration', {
      headers: UA,
    });
    assert.equal(cfg.status, 200);
    assert.match(cfg.json.data['risk-free-rate'], DECIMAL);
  });
});
