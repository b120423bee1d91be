// Schwab Trader and Market Data doubles: documented shapes, order lifecycle,
// user separation.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { api, control, mint, withSandbox } from './helpers.mjs';

let sb;
let alice;
let bob;
before(async () => {
  sb = await withSandbox();
});
after(() => sb.close());
beforeEach(async () => {
  await control(sb, 'POST', '/reset');
  alice = (await mint(sb, 'schwab', 'alice')).access_token;
  bob = (await mint(sb, 'schwab', 'bob')).access_token;
});

const get = (path, token = alice) => api(sb, 'GET', `/schwab${path}`, { token });
const SCHWAB_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0000$/;

async function hashes(token = alice) {
  return (await get('/trader/v1/accounts/accountNumbers', token)).json;
}

function marketOrder(symbol, quantity, instruction = 'BUY', assetType = 'EQUITY') {
  return {
    session: 'NORMAL',
    duration: 'DAY',
    orderType: 'MARKET',
    orderStrategyType: 'SINGLE',
    orderLegCollection: [{ instruction, quantity, instrument: { symbol, assetType } }],
  };
}

describe('schwab trader', () => {
  it('accountNumbers: alice has three accounts, two ending in 123', async () => {
    const list = await hashes();
    assert.equal(list.length, 3);
    for (const a of list) {
      assert.deepEqual(Object.keys(a), ['accountNumber', 'hashValue']);
      assert.match(a.hashValue, /^[0-9A-F]{64}$/);
    }
    assert.equal(list.filter((a) => a.accountNumber.endsWith('123')).length, 2);
  });

  it('accounts?fields=positions has balances and equity, ETF and option positions', async () => {
    const res = await get('/trader/v1/accounts?fields=positions');
    assert.equal(res.status, 200);
    assert.ok(res.headers.get('schwab-client-correlid'));
    const margin = res.json.find((a) => a.securitiesAccount.type === 'MARGIN');
    const cash = res.json.find((a) => a.securitiesAccount.type === 'CASH');
    assert.ok(margin && cash);
    assert.deepEqual(Object.keys(margin.aggregatedBalance), [
      'currentLiquidationValue',
      'liquidationValue',
    ]);
    const sa = margin.securitiesAccount;
    for (const k of [
      'type',
      'accountNumber',
      'roundTrips',
      'isDayTrader',
      'isClosingOnlyRestricted',
      'pfcbFlag',
      'positions',
      'initialBalances',
      'currentBalances',
      'projectedBalances',
    ])
      assert.ok(k in sa, k);
    for (const k of ['cashBalance', 'liquidationValue', 'buyingPower', 'isInCall', 'accountValue'])
      assert.ok(k in sa.initialBalances, k);
    for (const k of [
      'cashBalance',
      'liquidationValue',
      'availableFunds',
      'buyingPower',
      'equity',
      'sma',
    ])
      assert.ok(k in sa.currentBalances, k);
    for (const k of ['availableFunds', 'buyingPower', 'isInCall', 'stockBuyingPower'])
      assert.ok(k in sa.projectedBalances, k);
    const types = new Set(sa.positions.map((p) => p.instrument.assetType));
    for (const t of ['EQUITY', 'COLLECTIVE_INVESTMENT', 'OPTION', 'CASH_EQUIVALENT'])
      assert.ok(types.has(t), t);
    const option = sa.positions.find(
      (p) => p.instrument.assetType === 'OPTION' && p.longQuantity > 0,
    );
    for (const k of [
      'shortQuantity',
      'averagePrice',
      'currentDayProfitLoss',
      'currentDayProfitLossPercentage',
      'longQuantity',
      'settledLongQuantity',
      'settledShortQuantity',
      'marketValue',
      'maintenanceRequirement',
      'averageLongPrice',
      'taxLotAverageLongPrice',
      'longOpenProfitLoss',
      'previousSessionLongQuantity',
      'currentDayCost',
    ])
      assert.ok(k in option, k);
    assert.match(option.instrument.symbol, /^[A-Z]{1,6}\s*\d{6}[CP]\d{8}$/);
    assert.equal(option.instrument.symbol.length, 21);
    assert.equal(option.instrument.type, 'VANILLA');
    assert.ok(['CALL', 'PUT'].includes(option.instrument.putCall));
    assert.ok(
      sa.positions.some((p) => p.shortQuantity > 0),
      'a short option position',
    );
    assert.ok(
      !('positions' in cash.securitiesAccount) || Array.isArray(cash.securitiesAccount.positions),
    );
    for (const k of ['cashAvailableForTrading', 'cashAvailableForWithdrawal'])
      assert.ok(k in cash.securitiesAccount.currentBalances, k);
    // Without fields=positions, no positions.
    const bare = await get('/trader/v1/accounts');
    assert.ok(bare.json.every((a) => !('positions' in a.securitiesAccount)));
  });

  it('userPreference: stable customer id, CorrelId per login', async () => {
    const a1 = (await get('/trader/v1/userPreference')).json;
    const other = (await mint(sb, 'schwab', 'alice')).access_token;
    const a2 = (await get('/trader/v1/userPreference', other)).json;
    const b = (await get('/trader/v1/userPreference', bob)).json;
    for (const k of ['accounts', 'streamerInfo', 'offers']) assert.ok(k in a1, k);
    assert.deepEqual(Object.keys(a1.accounts[0]), [
      'accountNumber',
      'primaryAccount',
      'type',
      'nickName',
      'accountColor',
      'displayAcctId',
      'autoPositionEffect',
    ]);
    assert.deepEqual(Object.keys(a1.streamerInfo[0]), [
      'streamerSocketUrl',
      'schwabClientCustomerId',
      'schwabClientCorrelId',
      'schwabClientChannel',
      'schwabClientFunctionId',
    ]);
    assert.equal(
      a1.streamerInfo[0].schwabClientCustomerId,
      a2.streamerInfo[0].schwabClientCustomerId,
    );
    assert.notEqual(
      a1.streamerInfo[0].schwabClientCorrelId,
      a2.streamerInfo[0].schwabClientCorrelId,
    );
    assert.notEqual(
      a1.streamerInfo[0].schwabClientCustomerId,
      b.streamerInfo[0].schwabClientCustomerId,
    );
    assert.equal(a1.accounts[0].displayAcctId, `...${a1.accounts[0].accountNumber.slice(-4)}`);
  });

  it('keeps users apart', async () => {
    const aliceHashes = (await hashes()).map((a) => a.hashValue);
    const bobHashes = (await hashes(bob)).map((a) => a.hashValue);
    assert.ok(bobHashes.length >= 2);
    assert.ok(bobHashes.every((h) => !aliceHashes.includes(h)));
    const res = await get(`/trader/v1/accounts/${aliceHashes[0]}`, bob);
    assert.equal(res.status, 404);
    assert.equal(typeof res.json.message, 'string');
    const order = await api(sb, 'POST', `/schwab/trader/v1/accounts/${aliceHashes[0]}/orders`, {
      token: bob,
      body: marketOrder('AAPL', 1),
    });
    assert.equal(order.status, 404);
  });

  it('a market order returns 201, an empty body and a Location ending in the order id; it fills', async () => {
    const [acct] = await hashes();
    const res = await api(sb, 'POST', `/schwab/trader/v1/accounts/${acct.hashValue}/orders`, {
      token: alice,
      body: marketOrder('KO', 10),
    });
    assert.equal(res.status, 201);
    assert.equal(res.text, '');
    const location = res.headers.get('location');
    assert.match(
      location,
      new RegExp(`/schwab/trader/v1/accounts/${acct.hashValue}/orders/(\\d+)$`),
    );
    const id = location.split('/').pop();
    const order = (await get(`/trader/v1/accounts/${acct.hashValue}/orders/${id}`)).json;
    assert.equal(order.status, 'FILLED');
    assert.equal(order.orderId, Number(id));
    assert.equal(typeof order.accountNumber, 'number');
    assert.match(order.enteredTime, SCHWAB_TIME);
    assert.match(order.closeTime, SCHWAB_TIME);
    const exec = order.orderActivityCollection[0];
    assert.equal(exec.activityType, 'EXECUTION');
    assert.equal(exec.executionLegs[0].quantity, 10);
    const positions = (await get(`/trader/v1/accounts/${acct.hashValue}?fields=positions`)).json
      .securitiesAccount.positions;
    assert.equal(positions.find((p) => p.instrument.symbol === 'KO').longQuantity, 10);
  });

  it('a limit away from the market rests; cancel and replace work as at Schwab', async () => {
    const [acct] = await hashes();
    const body = {
      session: 'NORMAL',
      duration: 'GOOD_TILL_CANCEL',
      orderType: 'LIMIT',
      price: 1.5,
      orderStrategyType: 'SINGLE',
      orderLegCollection: [
        { instruction: 'BUY', quantity: 2, instrument: { symbol: 'AAPL', assetType: 'EQUITY' } },
      ],
    };
    const placed = await api(sb, 'POST', `/schwab/trader/v1/accounts/${acct.hashValue}/orders`, {
      token: alice,
      body,
    });
    const id = placed.headers.get('location').split('/').pop();
    let order = (await get(`/trader/v1/accounts/${acct.hashValue}/orders/${id}`)).json;
    assert.equal(order.status, 'WORKING');
    assert.equal(order.cancelable, true);
    const replaced = await api(
      sb,
      'PUT',
      `/schwab/trader/v1/accounts/${acct.hashValue}/orders/${id}`,
      { token: alice, body: { ...body, price: 2.5 } },
    );
    assert.equal(replaced.status, 201);
    const newId = replaced.headers.get('location').split('/').pop();
    assert.notEqual(newId, id);
    assert.equal(
      (await get(`/trader/v1/accounts/${acct.hashValue}/orders/${id}`)).json.status,
      'REPLACED',
    );
    order = (await get(`/trader/v1/accounts/${acct.hashValue}/orders/${newId}`)).json;
    assert.equal(order.price, 2.5);
    const cancel = await api(
      sb,
      'DELETE',
      `/schwab/trader/v1/accounts/${acct.hashValue}/orders/${newId}`,
      { token: alice },
    );
    assert.equal(cancel.status, 200);
    assert.equal(cancel.text, '');
    assert.equal(
      (await get(`/trader/v1/accounts/${acct.hashValue}/orders/${newId}`)).json.status,
      'CANCELED',
    );
    const again = await api(
      sb,
      'DELETE',
      `/schwab/trader/v1/accounts/${acct.hashValue}/orders/${newId}`,
      { token: alice },
    );
    assert.equal(again.status, 400);
  });

  it('rejects malformed orders with 400 and the trader error shape', async () => {
    const [acct] = await hashes();
    const res = await api(sb, 'POST', `/schwab/trader/v1/accounts/${acct.hashValue}/orders`, {
      token: alice,
      body: { orderType: 'LIMIT' },
    });
    assert.equal(res.status, 400);
    assert.equal(typeof res.json.message, 'string');
    assert.ok(res.json.errors.length > 0);
    const unknown = await api(sb, 'POST', `/schwab/trader/v1/accounts/${acct.hashValue}/orders`, {
      token: alice,
      body: marketOrder('NOPE', 1),
    });
    assert.equal(unknown.status, 400);
  });

  it('orders beyond buying power, or closing more than held, are placed as REJECTED', async () => {
    const list = await hashes();
    const cashAcct = list[1];
    const res = await api(sb, 'POST', `/schwab/trader/v1/accounts/${cashAcct.hashValue}/orders`, {
      token: alice,
      body: marketOrder('NVDA', 100000),
    });
    assert.equal(res.status, 201);
    const order = (
      await api(sb, 'GET', new URL(res.headers.get('location')).pathname, { token: alice })
    ).json;
    assert.equal(order.status, 'REJECTED');
    assert.ok(order.statusDescription);
    const sell = await api(sb, 'POST', `/schwab/trader/v1/accounts/${cashAcct.hashValue}/orders`, {
      token: alice,
      body: marketOrder('MSFT', 5, 'SELL'),
    });
    assert.equal(
      (await api(sb, 'GET', new URL(sell.headers.get('location')).pathname, { token: alice })).json
        .status,
      'REJECTED',
    );
  });

  it('previewOrder returns the PreviewOrder shape with commission, fees and projected buying power', async () => {
    const [acct] = await hashes();
    const chain = (await get('/marketdata/v1/chains?symbol=AAPL&contractType=CALL&strikeCount=1'))
      .json;
    const exp = Object.keys(chain.callExpDateMap)[3];
    const contract = Object.values(chain.callExpDateMap[exp])[0][0];
    const body = {
      session: 'NORMAL',
      duration: 'DAY',
      orderType: 'LIMIT',
      price: contract.ask,
      orderStrategyType: 'SINGLE',
      orderLegCollection: [
        {
          instruction: 'BUY_TO_OPEN',
          quantity: 2,
          instrument: { symbol: contract.symbol, assetType: 'OPTION' },
        },
      ],
    };
    const res = await api(sb, 'POST', `/schwab/trader/v1/accounts/${acct.hashValue}/previewOrder`, {
      token: alice,
      body,
    });
    assert.equal(res.status, 200);
    const p = res.json;
    assert.deepEqual(Object.keys(p), [
      'orderId',
      'orderStrategy',
      'orderValidationResult',
      'commissionAndFee',
    ]);
    for (const k of [
      'accountNumber',
      'orderBalance',
      'orderLegs',
      'orderType',
      'price',
      'quantity',
      'status',
    ])
      assert.ok(k in p.orderStrategy, k);
    assert.deepEqual(Object.keys(p.orderStrategy.orderBalance), [
      'orderValue',
      'projectedAvailableFund',
      'projectedBuyingPower',
      'projectedCommission',
    ]);
    assert.equal(p.orderStrategy.orderBalance.projectedCommission, 1.3);
    assert.deepEqual(Object.keys(p.orderValidationResult), [
      'alerts',
      'accepts',
      'rejects',
      'reviews',
      'warns',
    ]);
    assert.equal(
      p.commissionAndFee.commission.commissionLegs[0].commissionValues[0].type,
      'COMMISSION',
    );
    assert.equal(p.commissionAndFee.commission.commissionLegs[0].commissionValues[0].value, 1.3);
    assert.ok(p.commissionAndFee.fee.feeLegs[0].feeValues.some((f) => f.type === 'OPT_REG_FEE'));
    const before = (await get(`/trader/v1/accounts/${acct.hashValue}`)).json.securitiesAccount
      .currentBalances.buyingPower;
    assert.ok(p.orderStrategy.orderBalance.projectedBuyingPower < before);
  });

  it('previewOrder of an option in an account without option approval warns, naming the account', async () => {
    const carol = (await mint(sb, 'schwab', 'carol')).access_token;
    const [acct] = await hashes(carol);
    const chain = (
      await get('/marketdata/v1/chains?symbol=AAPL&contractType=CALL&strikeCount=1', carol)
    ).json;
    const contract = Object.values(Object.values(chain.callExpDateMap)[0])[0][0];
    const option = {
      session: 'NORMAL',
      duration: 'DAY',
      orderType: 'LIMIT',
      price: 0.05,
      orderStrategyType: 'SINGLE',
      orderLegCollection: [
        {
          instruction: 'BUY_TO_OPEN',
          quantity: 1,
          instrument: { symbol: contract.symbol, assetType: 'OPTION' },
        },
      ],
    };
    const p = (
      await api(sb, 'POST', `/schwab/trader/v1/accounts/${acct.hashValue}/previewOrder`, {
        token: carol,
        body: option,
      })
    ).json;
    const warn = p.orderValidationResult.warns.find((w) => w.validationRuleName === 'OptionLevel');
    assert.ok(warn, JSON.stringify(p.orderValidationResult));
    assert.equal(
      warn.message,
      `Account ${acct.accountNumber} is not approved for this option level`,
    );
    assert.deepEqual(Object.keys(warn), [
      'validationRuleName',
      'message',
      'activityMessage',
      'originalSeverity',
      'overrideName',
      'overrideSeverity',
    ]);
    // Equity orders, and alice's approved accounts, carry no such warning.
    const equity = (
      await api(sb, 'POST', `/schwab/trader/v1/accounts/${acct.hashValue}/previewOrder`, {
        token: carol,
        body: marketOrder('AAPL', 1),
      })
    ).json;
    assert.ok(
      !equity.orderValidationResult.warns.some((w) => w.validationRuleName === 'OptionLevel'),
    );
    const [mine] = await hashes();
    const approved = (
      await api(sb, 'POST', `/schwab/trader/v1/accounts/${mine.hashValue}/previewOrder`, {
        token: alice,
        body: option,
      })
    ).json;
    assert.ok(
      !approved.orderValidationResult.warns.some((w) => w.validationRuleName === 'OptionLevel'),
    );
  });

  it('orders listing requires fromEnteredTime/toEnteredTime', async () => {
    const [acct] = await hashes();
    assert.equal((await get('/trader/v1/orders')).status, 400);
    assert.equal((await get(`/trader/v1/accounts/${acct.hashValue}/orders`)).status, 400);
    const from = new Date(Date.now() - 30 * 86400_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const all = (await get(`/trader/v1/orders?fromEnteredTime=${from}&toEnteredTime=${to}`)).json;
    assert.ok(all.some((o) => o.status === 'WORKING'));
    const working = (
      await get(
        `/trader/v1/accounts/${acct.hashValue}/orders?fromEnteredTime=${from}&toEnteredTime=${to}&status=WORKING`,
      )
    ).json;
    assert.ok(working.length >= 1 && working.every((o) => o.status === 'WORKING'));
  });

  it('transactions: required parameters, +0000 times, transferItems', async () => {
    const [acct] = await hashes();
    assert.equal((await get(`/trader/v1/accounts/${acct.hashValue}/transactions`)).status, 400);
    const start = new Date(Date.now() - 364 * 86400_000).toISOString();
    const end = new Date().toISOString();
    const res = await get(
      `/trader/v1/accounts/${acct.hashValue}/transactions?startDate=${start}&endDate=${end}&types=TRADE`,
    );
    assert.equal(res.status, 200);
    assert.ok(res.json.length > 0);
    const tx = res.json[0];
    for (const k of [
      'activityId',
      'time',
      'accountNumber',
      'type',
      'status',
      'subAccount',
      'tradeDate',
      'netAmount',
      'transferItems',
    ])
      assert.ok(k in tx, k);
    assert.equal(tx.type, 'TRADE');
    assert.match(tx.time, SCHWAB_TIME);
    assert.ok(tx.transferItems.some((i) => i.feeType === 'COMMISSION'));
    assert.ok(tx.transferItems.some((i) => i.positionEffect));
  });
});

describe('schwab market data', () => {
  it('quotes: keyed by symbol, with quote/reference/fundamental/regular/extended blocks; invalid symbols listed', async () => {
    const res = await get('/marketdata/v1/quotes?symbols=AAPL,$SPX,NOPE');
    assert.equal(res.status, 200);
    const aapl = res.json.AAPL;
    assert.equal(aapl.assetMainType, 'EQUITY');
    for (const k of ['quote', 'reference', 'fundamental', 'regular', 'extended'])
      assert.ok(k in aapl, k);
    for (const k of [
      '52WeekHigh',
      '52WeekLow',
      'askPrice',
      'bidPrice',
      'lastPrice',
      'mark',
      'closePrice',
      'netChange',
      'netPercentChange',
      'quoteTime',
      'tradeTime',
      'totalVolume',
    ])
      assert.ok(k in aapl.quote, k);
    assert.equal(aapl.reference.exchangeName, 'NASDAQ');
    assert.ok(aapl.quote.bidPrice <= aapl.quote.askPrice);
    assert.ok(aapl.quote.lastPrice > 230 * 0.6 && aapl.quote.lastPrice < 230 * 1.6);
    assert.equal(res.json.$SPX.assetMainType, 'INDEX');
    assert.deepEqual(res.json.errors.invalidSymbols, ['NOPE']);
    const only = (await get('/marketdata/v1/quotes?symbols=MSFT&fields=quote')).json.MSFT;
    assert.ok(only.quote && !only.fundamental && !only.reference);
    const single = (await get('/marketdata/v1/SPY/quotes')).json;
    assert.equal(single.SPY.assetSubType, 'ETF');
  });

  it('quotes move with time and are deterministic for a given instant', async () => {
    await control(sb, 'POST', '/config', { now: Date.UTC(2025, 5, 11, 15, 0) });
    const a = (await get('/marketdata/v1/quotes?symbols=AAPL')).json.AAPL.quote;
    const b = (await get('/marketdata/v1/quotes?symbols=AAPL')).json.AAPL.quote;
    assert.equal(a.lastPrice, b.lastPrice);
    await control(sb, 'POST', '/config', { now: Date.UTC(2025, 5, 11, 17, 0) });
    const c = (await get('/marketdata/v1/quotes?symbols=AAPL')).json.AAPL.quote;
    assert.notEqual(a.lastPrice, c.lastPrice);
  });

  it('chains: expiration and strike keys, contracts with consistent greeks', async () => {
    const res = await get(
      '/marketdata/v1/chains?symbol=AAPL&includeUnderlyingQuote=true&strikeCount=5',
    );
    assert.equal(res.status, 200);
    const c = res.json;
    for (const k of [
      'symbol',
      'status',
      'underlying',
      'strategy',
      'interval',
      'isDelayed',
      'isIndex',
      'interestRate',
      'underlyingPrice',
      'volatility',
      'daysToExpiration',
      'numberOfContracts',
      'callExpDateMap',
      'putExpDateMap',
    ])
      assert.ok(k in c, k);
    assert.equal(c.status, 'SUCCESS');
    assert.equal(
      c.underlying.exchangeName,
      'NASDAQ',
      'real data carries exchange names outside the published enum',
    );
    const expKey = Object.keys(c.callExpDateMap)[2];
    assert.match(expKey, /^\d{4}-\d{2}-\d{2}:\d+$/);
    const strikes = Object.keys(c.callExpDateMap[expKey]);
    assert.equal(strikes.length, 5);
    for (const s of strikes) assert.match(s, /^\d+\.\d+$/);
    const call = c.callExpDateMap[expKey][strikes[2]][0];
    const put = c.putExpDateMap[expKey][strikes[2]][0];
    for (const k of [
      'putCall',
      'symbol',
      'description',
      'exchangeName',
      'bid',
      'ask',
      'last',
      'mark',
      'bidSize',
      'askSize',
      'totalVolume',
      'volatility',
      'delta',
      'gamma',
      'theta',
      'vega',
      'rho',
      'openInterest',
      'timeValue',
      'theoreticalOptionValue',
      'strikePrice',
      'expirationDate',
      'daysToExpiration',
      'expirationType',
      'multiplier',
      'settlementType',
      'deliverableNote',
      'intrinsicValue',
      'extrinsicValue',
      'optionRoot',
      'inTheMoney',
      'optionDeliverablesList',
    ])
      assert.ok(k in call, k);
    assert.ok(call.delta > 0 && call.delta < 1);
    assert.ok(put.delta < 0 && put.delta > -1);
    assert.ok(Math.abs(call.delta - put.delta - 1) < 0.05, 'call delta - put delta ≈ 1');
    assert.equal(call.gamma, put.gamma);
    assert.ok(call.theta < 0);
    assert.ok(call.bid <= call.ask);
    // put-call parity on theoretical values (small dividend and rate terms).
    const S = c.underlyingPrice;
    const K = call.strikePrice;
    const T = call.daysToExpiration / 365;
    const parity =
      call.theoreticalOptionValue -
      put.theoreticalOptionValue -
      (S - K * Math.exp((-c.interestRate / 100) * T));
    assert.ok(Math.abs(parity) < 0.05 * S * T + 0.5, `parity gap ${parity}`);
    const puts = (await get('/marketdata/v1/chains?symbol=AAPL&contractType=PUT&strikeCount=2'))
      .json;
    assert.deepEqual(puts.callExpDateMap, {});
    assert.equal((await get('/marketdata/v1/chains')).status, 400);
  });

  it('expiration chain', async () => {
    const res = await get('/marketdata/v1/expirationchain?symbol=$SPX');
    assert.equal(res.json.status, 'SUCCESS');
    const e = res.json.expirationList[0];
    assert.deepEqual(Object.keys(e), [
      'expirationDate',
      'daysToExpiration',
      'expirationType',
      'settlementType',
      'optionRoots',
      'standard',
    ]);
    assert.ok(res.json.expirationList.some((x) => x.optionRoots === 'SPXW'));
    assert.ok(
      res.json.expirationList.some((x) => x.optionRoots === 'SPX' && x.settlementType === 'A'),
    );
  });

  it('price history: two years of daily candles and recent minute candles', async () => {
    const daily = (
      await get(
        '/marketdata/v1/pricehistory?symbol=AAPL&periodType=year&period=2&frequencyType=daily&needPreviousClose=true',
      )
    ).json;
    assert.equal(daily.symbol, 'AAPL');
    assert.equal(daily.empty, false);
    assert.ok(daily.candles.length >= 495, `${daily.candles.length} daily candles`);
    assert.deepEqual(Object.keys(daily.candles[0]), [
      'open',
      'high',
      'low',
      'close',
      'volume',
      'datetime',
    ]);
    for (const c of daily.candles)
      assert.ok(c.low <= Math.min(c.open, c.close) && c.high >= Math.max(c.open, c.close));
    assert.ok(
      typeof daily.previousClose === 'number' && typeof daily.previousCloseDate === 'number',
    );
    const minute = (
      await get(
        '/marketdata/v1/pricehistory?symbol=AAPL&periodType=day&period=2&frequencyType=minute&frequency=5&needExtendedHoursData=false',
      )
    ).json;
    assert.ok(minute.candles.length >= 78, `${minute.candles.length} five-minute candles`);
    assert.equal(minute.candles[1].datetime - minute.candles[0].datetime, 300_000);
    assert.equal(
      (await get('/marketdata/v1/pricehistory?symbol=AAPL&periodType=day&frequencyType=daily'))
        .status,
      400,
    );
    // The last daily close matches the quote's session.
    const q = (await get('/marketdata/v1/quotes?symbols=AAPL')).json.AAPL.quote;
    assert.equal(daily.candles[daily.candles.length - 1].close, q.lastPrice);
  });

  it('movers, markets and instruments', async () => {
    const movers = (await get('/marketdata/v1/movers/$SPX?sort=VOLUME&frequency=0')).json;
    assert.ok(movers.screeners.length > 0);
    assert.deepEqual(Object.keys(movers.screeners[0]).sort(), [
      'description',
      'lastPrice',
      'marketShare',
      'netChange',
      'netPercentChange',
      'symbol',
      'totalVolume',
      'trades',
      'volume',
    ]);
    assert.equal((await get('/marketdata/v1/movers/FOO')).status, 400);
    const markets = (await get('/marketdata/v1/markets?markets=equity,option')).json;
    assert.equal(markets.equity.EQ.marketType, 'EQUITY');
    assert.equal(markets.option.EQO.product, 'EQO');
    const one = (await get('/marketdata/v1/markets/equity')).json;
    assert.ok(one.equity.EQ);
    const inst = (await get('/marketdata/v1/instruments?symbol=AAPL,BAC&projection=symbol-search'))
      .json;
    assert.deepEqual(inst.instruments[1], {
      cusip: '060505104',
      symbol: 'BAC',
      description: 'Bank Of America Corp',
      exchange: 'NYSE',
      assetType: 'EQUITY',
    });
    const regex = (await get('/marketdata/v1/instruments?symbol=AA.*&projection=symbol-regex'))
      .json;
    assert.ok(regex.instruments.some((i) => i.symbol === 'AAPL'));
    const desc = (await get('/marketdata/v1/instruments?symbol=bank&projection=desc-search')).json;
    assert.equal(desc.instruments[0].symbol, 'BAC');
    const fund = (await get('/marketdata/v1/instruments?symbol=KO&projection=fundamental')).json;
    for (const k of ['high52', 'low52', 'peRatio', 'dividendYield', 'marketCap'])
      assert.ok(k in fund.instruments[0].fundamental, k);
    const cusip = (await get('/marketdata/v1/instruments/037833100')).json;
    assert.equal(cusip.instruments[0].symbol, 'AAPL');
  });
});
