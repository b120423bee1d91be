// DXLink market-data WebSocket double at /tastytrade/dxlink. Speaks the
// SETUP / AUTH / CHANNEL_REQUEST / FEED_SETUP / FEED_SUBSCRIPTION protocol
// with COMPACT (or FULL) FEED_DATA. Candle subscriptions on a HISTORY
// channel answer a snapshot (newest first, SNAPSHOT_BEGIN on the first event
// and a NaN end marker with SNAPSHOT_END|REMOVE_EVENT), AUTO channels only an
// empty snapshot (flags 14), as the real service does; afterwards the newest
// candle keeps updating. Quote, Trade, Summary, Profile and Greeks events
// stream on AUTO/STREAM/TICKER channels. Index symbols have Trade but no Quote.

import { etDate } from '../data/calendar.mjs';
import { candlesFor, parseCandleSymbol, periodMinutes } from '../data/candles.mjs';
import { findInstrument } from '../data/instruments.mjs';
import { lookupContract, optionQuote, parseStreamer } from '../data/options.mjs';
import { dayBar, sessionDate, underlyingQuote } from '../data/prices.mjs';
import { table } from '../http-util.mjs';
import { acceptWebSocket } from '../websocket.mjs';

const FLAG = {
  TX_PENDING: 1,
  REMOVE_EVENT: 2,
  SNAPSHOT_BEGIN: 4,
  SNAPSHOT_END: 8,
  SNAPSHOT_SNIP: 16,
};
const BATCH = 250;

export const DEFAULT_FIELDS = table({
  Quote: [
    'eventType',
    'eventSymbol',
    'eventTime',
    'sequence',
    'timeNanoPart',
    'bidTime',
    'bidExchangeCode',
    'bidPrice',
    'bidSize',
    'askTime',
    'askExchangeCode',
    'askPrice',
    'askSize',
  ],
  Trade: [
    'eventType',
    'eventSymbol',
    'eventTime',
    'time',
    'timeNanoPart',
    'sequence',
    'exchangeCode',
    'price',
    'change',
    'size',
    'dayId',
    'dayVolume',
    'dayTurnover',
    'tickDirection',
    'extendedTradingHours',
  ],
  Summary: [
    'eventType',
    'eventSymbol',
    'eventTime',
    'dayId',
    'dayOpenPrice',
    'dayHighPrice',
    'dayLowPrice',
    'dayClosePrice',
    'dayClosePriceType',
    'prevDayId',
    'prevDayClosePrice',
    'prevDayClosePriceType',
    'prevDayVolume',
    'openInterest',
  ],
  Profile: [
    'eventType',
    'eventSymbol',
    'eventTime',
    'description',
    'shortSaleRestriction',
    'tradingStatus',
    'statusReason',
    'haltStartTime',
    'haltEndTime',
    'highLimitPrice',
    'lowLimitPrice',
    'high52WeekPrice',
    'low52WeekPrice',
  ],
  Greeks: [
    'eventType',
    'eventSymbol',
    'eventTime',
    'eventFlags',
    'index',
    'time',
    'sequence',
    'price',
    'volatility',
    'delta',
    'gamma',
    'theta',
    'rho',
    'vega',
  ],
  Candle: [
    'eventType',
    'eventSymbol',
    'eventTime',
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
  ],
});

const CONTRACTS = ['AUTO', 'HISTORY', 'TICKER', 'STREAM'];

function num(x) {
  return typeof x === 'number' && !Number.isFinite(x) ? 'NaN' : x;
}

function r(x, places = 4) {
  if (typeof x !== 'number' || !Number.isFinite(x)) return x;
  const f = 10 ** places;
  return Math.round(x * f) / f;
}

/** dxFeed time-series index: seconds << 32 | millis << 22 | sequence (as a string: it exceeds 2^53). */
function eventIndex(time, sequence = 0) {
  const t = BigInt(Math.floor(time));
  return String(((t / 1000n) << 32n) | ((t % 1000n) << 22n) | BigInt(sequence));
}

function dayId(date) {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
}

// ---- event builders ------------------------------------------------------------------

function resolveSymbol(symbol, t) {
  if (symbol.startsWith('.')) {
    const parts = parseStreamer(symbol);
    const contract = parts && lookupContract(parts, etDate(t));
    return contract ? { kind: 'option', contract } : null;
  }
  const inst = findInstrument(symbol);
  if (!inst || inst.kind === 'mmf') return null;
  return { kind: inst.kind === 'index' ? 'index' : 'equity', inst };
}

function quoteEvent(symbol, r0, t) {
  if (r0.kind === 'index') return null; // index symbols stream Trade but not Quote
  const q = r0.kind === 'option' ? optionQuote(r0.contract, t) : underlyingQuote(r0.inst, t);
  return {
    eventType: 'Quote',
    eventSymbol: symbol,
    eventTime: 0,
    sequence: 0,
    timeNanoPart: 0,
    bidTime: q.quoteTime,
    bidExchangeCode: 'Q',
    bidPrice: q.bid,
    bidSize: q.bidSize,
    askTime: q.quoteTime,
    askExchangeCode: 'Q',
    askPrice: q.ask,
    askSize: q.askSize,
  };
}

function tradeEvent(symbol, r0, t) {
  const date = sessionDate(t);
  if (r0.kind === 'option') {
    const q = optionQuote(r0.contract, t);
    return {
      eventType: 'Trade',
      eventSymbol: symbol,
      eventTime: 0,
      time: q.tradeTime,
      timeNanoPart: 0,
      sequence: 0,
      exchangeCode: 'C',
      price: q.last,
      change: q.netChange,
      size: q.lastSize,
      dayId: dayId(date),
      dayVolume: q.volume,
      dayTurnover: r(q.volume * q.last * 100, 2),
      tickDirection: 'ZERO_UP',
      extendedTradingHours: false,
    };
  }
  const q = underlyingQuote(r0.inst, t);
  return {
    eventType: 'Trade',
    eventSymbol: symbol,
    eventTime: 0,
    time: q.tradeTime,
    timeNanoPart: 0,
    sequence: 0,
    exchangeCode: 'Q',
    price: q.last,
    change: r(q.last - q.prevClose),
    size: q.lastSize,
    dayId: dayId(date),
    dayVolume: q.volume,
    dayTurnover: r(q.volume * q.last, 2),
    tickDirection: q.last >= q.prevClose ? 'UPTICK' : 'DOWNTICK',
    extendedTradingHours: false,
  };
}

function summaryEvent(symbol, r0, t) {
  const date = sessionDate(t);
  if (r0.kind === 'option') {
    const q = optionQuote(r0.contract, t);
    return {
      eventType: 'Summary',
      eventSymbol: symbol,
      eventTime: 0,
      dayId: dayId(date),
      dayOpenPrice: q.open,
      dayHighPrice: q.high,
      dayLowPrice: q.low,
      dayClosePrice: NaN,
      dayClosePriceType: 'REGULAR',
      prevDayId: dayId(date) - 1,
      prevDayClosePrice: q.close,
      prevDayClosePriceType: 'FINAL',
      prevDayVolume: q.volume,
      openInterest: q.openInterest,
    };
  }
  const q = underlyingQuote(r0.inst, t);
  const prev = dayBar(r0.inst, q.prevCloseDate);
  return {
    eventType: 'Summary',
    eventSymbol: symbol,
    eventTime: 0,
    dayId: dayId(date),
    dayOpenPrice: q.open,
    dayHighPrice: q.high,
    dayLowPrice: q.low,
    dayClosePrice: q.state === 'OPEN' ? NaN : q.last,
    dayClosePriceType: q.state === 'OPEN' ? 'REGULAR' : 'FINAL',
    prevDayId: dayId(q.prevCloseDate),
    prevDayClosePrice: q.prevClose,
    prevDayClosePriceType: 'FINAL',
    prevDayVolume: prev ? prev.volume : 0,
    openInterest: 0,
  };
}

function profileEvent(symbol, r0, t) {
  const inst = r0.kind === 'option' ? r0.contract.inst : r0.inst;
  const q = underlyingQuote(inst, t);
  return {
    eventType: 'Profile',
    eventSymbol: symbol,
    eventTime: 0,
    description: r0.kind === 'option' ? `${inst.description} option` : inst.description,
    shortSaleRestriction: 'INACTIVE',
    tradingStatus: 'ACTIVE',
    statusReason: '',
    haltStartTime: 0,
    haltEndTime: 0,
    highLimitPrice: NaN,
    lowLimitPrice: NaN,
    high52WeekPrice: q.high52,
    low52WeekPrice: q.low52,
  };
}

function greeksEvent(symbol, r0, t) {
  if (r0.kind !== 'option') return null;
  const q = optionQuote(r0.contract, t);
  return {
    eventType: 'Greeks',
    eventSymbol: symbol,
    eventTime: 0,
    eventFlags: 0,
    index: eventIndex(q.quoteTime),
    time: q.quoteTime,
    sequence: 0,
    price: r(q.theo),
    volatility: r(q.volatility, 6),
    delta: r(q.delta, 6),
    gamma: r(q.gamma, 6),
    theta: r(q.theta, 6),
    rho: r(q.rho, 6),
    vega: r(q.vega, 6),
  };
}

const BUILDERS = table({
  Quote: quoteEvent,
  Trade: tradeEvent,
  Summary: summaryEvent,
  Profile: profileEvent,
  Greeks: greeksEvent,
});

function candleEvent(symbol, c, flags, ivIndex) {
  return {
    eventType: 'Candle',
    eventSymbol: symbol,
    eventTime: 0,
    eventFlags: flags,
    index: eventIndex(c.time),
    time: c.time,
    sequence: 0,
    count: Math.max(1, Math.round(c.volume / 120)),
    open: r(c.open),
    high: r(c.high),
    low: r(c.low),
    close: r(c.close),
    volume: c.volume,
    vwap: r((c.high + c.low + c.close) / 3),
    bidVolume: Math.round(c.volume * 0.48),
    askVolume: Math.round(c.volume * 0.52),
    impVolatility: r(ivIndex, 6),
    openInterest: NaN,
  };
}

function nanCandle(symbol, time, flags) {
  return {
    eventType: 'Candle',
    eventSymbol: symbol,
    eventTime: 0,
    eventFlags: flags,
    index: eventIndex(time),
    time,
    sequence: 0,
    count: 0,
    open: NaN,
    high: NaN,
    low: NaN,
    close: NaN,
    volume: NaN,
    vwap: NaN,
    bidVolume: NaN,
    askVolume: NaN,
    impVolatility: NaN,
    openInterest: NaN,
  };
}

// ---- session ------------------------------------------------------------------------

class DxlinkSession {
  constructor(ws, state, log) {
    this.ws = ws;
    this.state = state;
    this.log = log;
    this.setup = false;
    this.user = null;
    this.channels = new Map();
    this.keepalive = setInterval(() => this.send({ type: 'KEEPALIVE', channel: 0 }), 30_000);
    this.keepalive.unref();
    ws.on('message', (text, binary) => {
      try {
        this.onMessage(text, binary);
      } catch (err) {
        this.log(`dxlink error: ${err && err.stack ? err.stack : err}`);
        this.error(0, 'UNKNOWN', 'Internal error');
      }
    });
    ws.on('close', () => this.dispose());
  }

  now() {
    return this.state.now();
  }

  send(msg) {
    this.ws.send(JSON.stringify(msg));
  }

  error(channel, error, message) {
    this.send({ type: 'ERROR', channel, error, message });
  }

  onMessage(text, binary) {
    if (binary) return this.error(0, 'INVALID_MESSAGE', 'Binary messages are not supported');
    let msg;
    try {
      msg = JSON.parse(text);
    } catch {
      return this.error(0, 'INVALID_MESSAGE', 'Message is not valid JSON');
    }
    if (!msg || typeof msg !== 'object' || typeof msg.type !== 'string')
      return this.error(0, 'INVALID_MESSAGE', 'Message must have a type');
    const channel = Number.isInteger(msg.channel) ? msg.channel : 0;
    switch (msg.type) {
      case 'SETUP':
        this.setup = true;
        this.send({
          type: 'SETUP',
          channel: 0,
          keepaliveTimeout: 60,
          acceptKeepaliveTimeout: 60,
          version: '1.0-sandbox',
        });
        this.send({
          type: 'AUTH_STATE',
          channel: 0,
          state: this.user ? 'AUTHORIZED' : 'UNAUTHORIZED',
        });
        return undefined;
      case 'KEEPALIVE':
        return undefined;
      case 'AUTH':
        return this.onAuth(msg);
      default:
        break;
    }
    if (!this.setup) return this.error(channel, 'UNKNOWN', 'SETUP must be sent first');
    if (!this.user)
      return this.error(channel, 'UNAUTHORIZED', 'AUTH with a valid token must be sent first');
    switch (msg.type) {
      case 'CHANNEL_REQUEST':
        return this.onChannelRequest(msg);
      case 'CHANNEL_CANCEL':
        return this.closeChannel(channel, true);
      case 'FEED_SETUP':
        return this.onFeedSetup(msg);
      case 'FEED_SUBSCRIPTION':
        return this.onSubscription(msg);
      default:
        return this.error(channel, 'UNSUPPORTED_PROTOCOL', `Unknown message type ${msg.type}`);
    }
  }

  onAuth(msg) {
    const rec = this.state.quoteTokens.get(msg.token);
    if (!rec || rec.expiresAt <= this.now()) {
      this.user = null;
      this.error(0, 'UNAUTHORIZED', 'Invalid or expired token');
      this.send({ type: 'AUTH_STATE', channel: 0, state: 'UNAUTHORIZED' });
      return;
    }
    this.user = rec.user;
    this.send({
      type: 'AUTH_STATE',
      channel: 0,
      state: 'AUTHORIZED',
      userId: `sandbox-${rec.user}`,
    });
  }

  onChannelRequest(msg) {
    const channel = msg.channel;
    if (!Number.isInteger(channel) || channel <= 0)
      return this.error(0, 'INVALID_MESSAGE', 'channel must be a positive integer');
    if (msg.service !== 'FEED')
      return this.error(channel, 'UNSUPPORTED_PROTOCOL', `Unknown service ${msg.service}`);
    const contract = (msg.parameters && msg.parameters.contract) || 'AUTO';
    if (!CONTRACTS.includes(contract))
      return this.error(channel, 'INVALID_MESSAGE', `Unknown contract ${contract}`);
    this.closeChannel(channel, false);
    const ch = {
      id: channel,
      contract,
      dataFormat: 'COMPACT',
      aggregationPeriod: 0.1,
      fields: {},
      subs: new Map(),
      timer: null,
    };
    this.channels.set(channel, ch);
    ch.timer = setInterval(() => {
      try {
        this.tick(ch);
      } catch (err) {
        this.log(`dxlink error: ${err && err.stack ? err.stack : err}`);
      }
    }, this.state.config.feedIntervalMs || 1000);
    ch.timer.unref();
    this.send({ type: 'CHANNEL_OPENED', channel, service: 'FEED', parameters: { contract } });
    return undefined;
  }

  closeChannel(channel, notify) {
    const ch = this.channels.get(channel);
    if (ch) {
      clearInterval(ch.timer);
      this.channels.delete(channel);
    }
    if (notify) this.send({ type: 'CHANNEL_CLOSED', channel });
  }

  channelOf(msg) {
    const ch = this.channels.get(msg.channel);
    if (!ch) this.error(msg.channel ?? 0, 'INVALID_MESSAGE', `Channel ${msg.channel} is not open`);
    return ch;
  }

  onFeedSetup(msg) {
    const ch = this.channelOf(msg);
    if (!ch) return;
    if (msg.acceptDataFormat === 'FULL' || msg.acceptDataFormat === 'COMPACT')
      ch.dataFormat = msg.acceptDataFormat;
    if (typeof msg.acceptAggregationPeriod === 'number')
      ch.aggregationPeriod = msg.acceptAggregationPeriod;
    const accepted =
      msg.acceptEventFields && typeof msg.acceptEventFields === 'object'
        ? msg.acceptEventFields
        : {};
    for (const [type, fields] of Object.entries(accepted)) {
      if (!DEFAULT_FIELDS[type] || !Array.isArray(fields)) continue;
      const known = fields.filter((f) => DEFAULT_FIELDS[type].includes(f));
      for (const required of ['eventType', 'eventSymbol'])
        if (!known.includes(required)) known.unshift(required);
      ch.fields[type] = [...new Set(known)];
    }
    this.sendConfig(ch);
  }

  sendConfig(ch) {
    this.send({
      type: 'FEED_CONFIG',
      channel: ch.id,
      aggregationPeriod: ch.aggregationPeriod,
      dataFormat: ch.dataFormat,
      eventFields: ch.fields,
    });
  }

  fieldsFor(ch, type) {
    if (!ch.fields[type]) {
      ch.fields[type] = DEFAULT_FIELDS[type];
      this.sendConfig(ch);
    }
    return ch.fields[type];
  }

  /** Sends events of one type as FEED_DATA, in batches. */
  emit(ch, type, events) {
    if (!events.length) return;
    const fields = this.fieldsFor(ch, type);
    for (let i = 0; i < events.length; i += BATCH) {
      const batch = events.slice(i, i + BATCH);
      let data;
      if (ch.dataFormat === 'FULL') {
        data = batch.map((e) => Object.fromEntries(fields.map((f) => [f, num(e[f])])));
      } else {
        const flat = [];
        for (const e of batch) for (const f of fields) flat.push(num(e[f]));
        data = [type, flat];
      }
      this.send({ type: 'FEED_DATA', channel: ch.id, data });
    }
  }

  onSubscription(msg) {
    const ch = this.channelOf(msg);
    if (!ch) return;
    if (msg.reset) ch.subs.clear();
    for (const item of Array.isArray(msg.remove) ? msg.remove : []) {
      if (item && item.type && item.symbol) ch.subs.delete(`${item.type}|${item.symbol}`);
    }
    for (const item of Array.isArray(msg.add) ? msg.add : []) {
      if (!item || typeof item.type !== 'string' || typeof item.symbol !== 'string') continue;
      if (item.type === 'Candle') this.addCandle(ch, item);
      else if (BUILDERS[item.type]) this.addEvent(ch, item);
      else this.error(ch.id, 'INVALID_MESSAGE', `Unsupported event type ${item.type}`);
    }
  }

  addEvent(ch, item) {
    const t = this.now();
    const resolved = resolveSymbol(item.symbol, t);
    const sub = { type: item.type, symbol: item.symbol, resolved, last: null };
    ch.subs.set(`${item.type}|${item.symbol}`, sub);
    if (resolved && ch.contract !== 'HISTORY') this.pushEvent(ch, sub, t);
  }

  pushEvent(ch, sub, t) {
    const ev = BUILDERS[sub.type](sub.symbol, sub.resolved, t);
    if (!ev) return;
    const key = JSON.stringify(ev);
    if (key === sub.last) return;
    sub.last = key;
    this.emit(ch, sub.type, [ev]);
  }

  addCandle(ch, item) {
    const t = this.now();
    const spec = parseCandleSymbol(item.symbol);
    const inst = spec && findInstrument(spec.base);
    const canonical = spec ? spec.canonical : item.symbol;
    const sub = { type: 'Candle', symbol: item.symbol, canonical, spec, inst, last: null };
    ch.subs.set(`Candle|${item.symbol}`, sub);
    if (!spec || !inst || inst.kind === 'mmf') {
      this.emit(ch, 'Candle', [
        nanCandle(canonical, 0, FLAG.SNAPSHOT_BEGIN | FLAG.SNAPSHOT_END | FLAG.REMOVE_EVENT),
      ]);
      return;
    }
    const fromTime = Number.isFinite(Number(item.fromTime))
      ? Number(item.fromTime)
      : t - 86_400_000;
    const ivIndex = dayBar(inst, sessionDate(t)).ivIndex;
    if (ch.contract !== 'HISTORY') {
      // Outside the HISTORY contract the service answers an empty snapshot.
      this.emit(ch, 'Candle', [
        nanCandle(canonical, fromTime, FLAG.SNAPSHOT_BEGIN | FLAG.SNAPSHOT_END | FLAG.REMOVE_EVENT),
      ]);
      sub.lastCandle = candlesFor(inst, spec, t - 7 * 86_400_000, t).pop();
      return;
    }
    const candles = candlesFor(inst, spec, fromTime, t);
    const newestFirst = candles.slice().reverse();
    const events = newestFirst.map((c, i) =>
      candleEvent(canonical, c, i === 0 ? FLAG.SNAPSHOT_BEGIN : 0, ivIndex),
    );
    const oldest = candles.length ? candles[0].time : fromTime;
    const endMarkerFlags =
      FLAG.SNAPSHOT_END | FLAG.REMOVE_EVENT | (events.length ? 0 : FLAG.SNAPSHOT_BEGIN);
    events.push(
      nanCandle(
        canonical,
        Math.max(0, oldest - (periodMinutes(spec) || 1440) * 60_000),
        endMarkerFlags,
      ),
    );
    this.emit(ch, 'Candle', events);
    sub.lastCandle = candles[candles.length - 1];
    sub.last = sub.lastCandle ? JSON.stringify(sub.lastCandle) : null;
  }

  tick(ch) {
    if (!this.ws.open) return;
    const t = this.now();
    for (const sub of ch.subs.values()) {
      if (sub.type === 'Candle') {
        if (!sub.inst || !sub.lastCandle) continue;
        const latest = candlesFor(sub.inst, sub.spec, sub.lastCandle.time, t);
        const fresh = latest.filter((c) => c.time >= sub.lastCandle.time);
        const key = JSON.stringify(fresh[fresh.length - 1]);
        if (!fresh.length || key === sub.last) continue;
        sub.last = key;
        sub.lastCandle = fresh[fresh.length - 1];
        const ivIndex = dayBar(sub.inst, sessionDate(t)).ivIndex;
        this.emit(
          ch,
          'Candle',
          fresh.map((c) => candleEvent(sub.canonical, c, 0, ivIndex)),
        );
      } else if (sub.resolved && ch.contract !== 'HISTORY') {
        this.pushEvent(ch, sub, t);
      }
    }
  }

  dispose() {
    clearInterval(this.keepalive);
    for (const ch of this.channels.values()) clearInterval(ch.timer);
    this.channels.clear();
  }
}

/** Handles the HTTP upgrade for /tastytrade/dxlink; returns the connection or null. */
export function handleDxlinkUpgrade({ state, req, socket, head, log }) {
  const ws = acceptWebSocket(req, socket, head);
  if (!ws) return null;
  state.stats.dxlinkConnections++;
  log(`${new Date().toISOString()} WS ${req.url} 101`);
  // eslint-disable-next-line no-new
  new DxlinkSession(ws, state, log);
  return ws;
}
