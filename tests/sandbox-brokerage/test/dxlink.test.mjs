// DXLink WebSocket double: handshake, auth, channels, HISTORY candle
// snapshots consistent with Schwab price history, live events.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { UA, api, connectWebSocket, control, mint, withSandbox } from './helpers.mjs';

let sb;
let ttToken;
let schwabToken;
before(async () => {
  sb = await withSandbox();
  await control(sb, 'POST', '/config', { feedIntervalMs: 100 });
  ttToken = (await mint(sb, 'tastytrade', 'alice')).access_token;
  schwabToken = (await mint(sb, 'schwab', 'alice')).access_token;
});
after(() => sb.close());

async function quoteToken() {
  return (await api(sb, 'GET', '/tastytrade/api-quote-tokens', { token: ttToken, headers: UA }))
    .json.data;
}

async function open(contract) {
  const { token, 'dxlink-url': url } = await quoteToken();
  const ws = await connectWebSocket(url);
  ws.send({
    type: 'SETUP',
    channel: 0,
    version: '0.1-DXF-JS/0.3.0',
    keepaliveTimeout: 60,
    acceptKeepaliveTimeout: 60,
  });
  const setup = await ws.next('SETUP');
  assert.equal(setup.channel, 0);
  assert.equal((await ws.next('AUTH_STATE')).state, 'UNAUTHORIZED');
  ws.send({ type: 'AUTH', channel: 0, token });
  assert.equal((await ws.next('AUTH_STATE')).state, 'AUTHORIZED');
  ws.send({ type: 'CHANNEL_REQUEST', channel: 3, service: 'FEED', parameters: { contract } });
  const opened = await ws.next('CHANNEL_OPENED');
  assert.deepEqual(opened, {
    type: 'CHANNEL_OPENED',
    channel: 3,
    service: 'FEED',
    parameters: { contract },
  });
  return ws;
}

const CANDLE_FIELDS = [
  'eventType',
  'eventSymbol',
  'eventFlags',
  'index',
  'time',
  'sequence',
  'count',
  'open',
  'high',
  'low',
  'close',
  'volume',
  'vwap',
  'bidVolume',
  'askVolume',
  'impVolatility',
  'openInterest',
];

function unpack(fields, flat) {
  const out = [];
  for (let i = 0; i < flat.length; i += fields.length)
    out.push(Object.fromEntries(fields.map((f, k) => [f, flat[i + k]])));
  return out;
}

/** Collects Candle events of one symbol until the snapshot end flag. */
async function snapshot(ws, fields) {
  const events = [];
  for (;;) {
    const msg = await ws.next((m) => m.type === 'FEED_DATA' && m.data[0] === 'Candle');
    events.push(...unpack(fields, msg.data[1]));
    if (events.some((e) => e.eventFlags & 8)) return events;
  }
}

describe('dxlink', () => {
  it('rejects a bad token', async () => {
    const { 'dxlink-url': url } = await quoteToken();
    const ws = await connectWebSocket(url);
    ws.send({
      type: 'SETUP',
      channel: 0,
      version: 'x',
      keepaliveTimeout: 60,
      acceptKeepaliveTimeout: 60,
    });
    await ws.next('AUTH_STATE');
    ws.send({ type: 'AUTH', channel: 0, token: 'nope' });
    assert.equal((await ws.next('ERROR')).error, 'UNAUTHORIZED');
    ws.send({
      type: 'CHANNEL_REQUEST',
      channel: 1,
      service: 'FEED',
      parameters: { contract: 'AUTO' },
    });
    assert.equal((await ws.next('ERROR')).error, 'UNAUTHORIZED');
    ws.destroy();
  });

  it('HISTORY daily candles: a flagged snapshot matching Schwab price history', async () => {
    const ws = await open('HISTORY');
    ws.send({
      type: 'FEED_SETUP',
      channel: 3,
      acceptAggregationPeriod: 0.1,
      acceptDataFormat: 'COMPACT',
      acceptEventFields: { Candle: CANDLE_FIELDS },
    });
    const config = await ws.next('FEED_CONFIG');
    assert.deepEqual(config.eventFields.Candle, CANDLE_FIELDS);
    assert.equal(config.dataFormat, 'COMPACT');
    const fromTime = Date.now() - 60 * 86400_000;
    ws.send({
      type: 'FEED_SUBSCRIPTION',
      channel: 3,
      add: [{ type: 'Candle', symbol: 'AAPL{=1d}', fromTime }],
    });
    const events = await snapshot(ws, CANDLE_FIELDS);
    assert.equal(events[0].eventSymbol, 'AAPL{=d}', 'symbol is echoed in canonical form');
    assert.equal(events[0].eventFlags, 4, 'first event carries SNAPSHOT_BEGIN');
    const end = events[events.length - 1];
    assert.equal(end.eventFlags, 10, 'end marker: SNAPSHOT_END | REMOVE_EVENT');
    assert.equal(end.open, 'NaN');
    const candles = events.slice(0, -1);
    assert.ok(candles.length >= 38 && candles.length <= 45, `${candles.length} daily candles`);
    for (let i = 1; i < candles.length; i++)
      assert.ok(candles[i].time < candles[i - 1].time, 'newest first');
    assert.equal(typeof candles[0].index, 'string');
    // Same candles as Schwab's daily price history.
    const ph = (
      await api(
        sb,
        'GET',
        '/schwab/marketdata/v1/pricehistory?symbol=AAPL&periodType=month&period=3&frequencyType=daily',
        { token: schwabToken },
      )
    ).json.candles;
    const schwabCloses = ph.slice(-10).map((c) => c.close);
    const dxCloses = candles
      .slice(0, 10)
      .reverse()
      .map((c) => Math.round(c.close * 100) / 100);
    assert.deepEqual(dxCloses, schwabCloses);
    ws.close();
  });

  it('intraday candles with tho=true cover the regular session only', async () => {
    const ws = await open('HISTORY');
    ws.send({
      type: 'FEED_SETUP',
      channel: 3,
      acceptDataFormat: 'COMPACT',
      acceptEventFields: {
        Candle: [
          'eventType',
          'eventSymbol',
          'eventFlags',
          'time',
          'open',
          'high',
          'low',
          'close',
          'volume',
        ],
      },
    });
    await ws.next('FEED_CONFIG');
    ws.send({
      type: 'FEED_SUBSCRIPTION',
      channel: 3,
      add: [{ type: 'Candle', symbol: 'SPY{=30m,tho=true}', fromTime: Date.now() - 5 * 86400_000 }],
    });
    const events = await snapshot(ws, [
      'eventType',
      'eventSymbol',
      'eventFlags',
      'time',
      'open',
      'high',
      'low',
      'close',
      'volume',
    ]);
    const candles = events.filter((e) => e.open !== 'NaN');
    assert.equal(candles[0].eventSymbol, 'SPY{=30m,tho=true}');
    assert.ok(candles.length >= 13);
    for (const c of candles) {
      const minutes = new Date(c.time).getUTCHours() * 60 + new Date(c.time).getUTCMinutes();
      assert.ok(minutes >= 13 * 60 + 30 && minutes < 21 * 60, 'inside 09:30–16:00 ET');
      assert.ok(c.low <= c.open && c.high >= c.close);
    }
    ws.close();
  });

  it('AUTO contract answers candles with an empty snapshot (flags 14)', async () => {
    const ws = await open('AUTO');
    ws.send({
      type: 'FEED_SUBSCRIPTION',
      channel: 3,
      add: [{ type: 'Candle', symbol: 'AAPL{=1h}', fromTime: Date.now() - 86400_000 }],
    });
    const config = await ws.next('FEED_CONFIG');
    const fields = config.eventFields.Candle;
    const [ev] = unpack(fields, (await ws.next('FEED_DATA')).data[1]);
    assert.equal(ev.eventSymbol, 'AAPL{=h}');
    assert.equal(ev.eventFlags, 14);
    assert.equal(ev.close, 'NaN');
    ws.close();
  });

  it('streams Quote, Trade and Greeks; index symbols have Trade but no Quote', async () => {
    const ws = await open('AUTO');
    ws.send({
      type: 'FEED_SETUP',
      channel: 3,
      acceptDataFormat: 'COMPACT',
      acceptEventFields: {
        Quote: ['eventType', 'eventSymbol', 'bidPrice', 'askPrice', 'bidSize', 'askSize'],
        Greeks: [
          'eventType',
          'eventSymbol',
          'volatility',
          'delta',
          'gamma',
          'theta',
          'rho',
          'vega',
        ],
      },
    });
    await ws.next('FEED_CONFIG');
    const chain = (
      await api(sb, 'GET', '/tastytrade/option-chains/AAPL/nested', { token: ttToken, headers: UA })
    ).json.data.items[0];
    const streamer = chain.expirations[2].strikes[3]['call-streamer-symbol'];
    ws.send({
      type: 'FEED_SUBSCRIPTION',
      channel: 3,
      add: [
        { type: 'Quote', symbol: 'SPY' },
        { type: 'Quote', symbol: 'SPX' },
        { type: 'Trade', symbol: 'SPX' },
        { type: 'Greeks', symbol: streamer },
      ],
    });
    const quote = await ws.next((m) => m.type === 'FEED_DATA' && m.data[0] === 'Quote');
    const [q] = unpack(
      ['eventType', 'eventSymbol', 'bidPrice', 'askPrice', 'bidSize', 'askSize'],
      quote.data[1],
    );
    assert.equal(q.eventSymbol, 'SPY');
    assert.ok(q.bidPrice > 0 && q.askPrice >= q.bidPrice);
    const trade = await ws.next((m) => m.type === 'FEED_DATA' && m.data[0] === 'Trade');
    assert.equal(trade.data[1][1], 'SPX');
    const greeks = await ws.next((m) => m.type === 'FEED_DATA' && m.data[0] === 'Greeks');
    const [g] = unpack(
      ['eventType', 'eventSymbol', 'volatility', 'delta', 'gamma', 'theta', 'rho', 'vega'],
      greeks.data[1],
    );
    assert.equal(g.eventSymbol, streamer);
    assert.ok(g.delta > 0 && g.delta < 1 && g.gamma > 0 && g.theta < 0);
    await assert.rejects(
      ws.next(
        (m) => m.type === 'FEED_DATA' && m.data[0] === 'Quote' && m.data[1][1] === 'SPX',
        400,
      ),
    );
    ws.close();
  });

  it('answers pings and closes cleanly', async () => {
    const ws = await open('AUTO');
    ws.ping('hello');
    assert.equal((await ws.next('__PONG__')).data, 'hello');
    ws.send({ type: 'CHANNEL_CANCEL', channel: 3 });
    assert.equal((await ws.next('CHANNEL_CLOSED')).channel, 3);
    ws.close();
    const closed = await ws.next(Object.assign(() => false, { close: true }));
    assert.equal(closed.code, 1000);
  });

  it('fault injection also applies to the WebSocket upgrade', async () => {
    const { 'dxlink-url': url } = await quoteToken();
    await control(sb, 'POST', '/faults', {
      broker: 'tastytrade',
      path: '/dxlink',
      mode: '429',
      retryAfter: 3,
    });
    await assert.rejects(connectWebSocket(url), /429/);
    const ws = await connectWebSocket(url);
    ws.close();
  });

  it('refuses a plain HTTP request and unknown upgrade paths', async () => {
    await assert.rejects(connectWebSocket(`${sb.url.replace('http', 'ws')}/tastytrade/other`));
    const res = await api(sb, 'GET', '/tastytrade/dxlink', { headers: UA });
    assert.equal(res.status, 404);
  });
});
