// Deterministic price paths. Each symbol's daily closes follow a
// mean-reverting random walk in log space around the instrument's base price
// (closes stay within base x 0.70 .. x 1.42, highs and lows within x 0.65 ..
// x 1.5). Each trading day's intraday minute path is a Brownian bridge from
// that day's open to its close, reshaped so its extremes are exactly the
// day's high and low, so minute and daily candles agree. Everything is a pure
// function of (symbol, date): Schwab price history, tastytrade DXLink candles
// and quotes all tell the same story.

import {
  addDays,
  dayNumber,
  etParts,
  etToUtc,
  isTradingDay,
  previousTradingDay,
  regularSession,
} from './calendar.mjs';
import { findInstrument } from './instruments.mjs';
import { gaussian, hash32, rng } from './random.mjs';

export const EPOCH_DATE = '2016-01-04';
const REVERSION = 0.01; // per day
const BOUND = 0.35; // max |log(price/base)|
const IV_REVERSION = 0.03;
const IV_STEP = 0.05;

export function round2(x) {
  return Math.round(x * 100) / 100;
}

export function roundTick(x, inst) {
  return inst && inst.base < 1.5 ? Math.round(x * 10000) / 10000 : round2(x);
}

function dailySigma(inst) {
  return (inst.iv * 0.9) / Math.sqrt(252);
}

// ---- intraday ---------------------------------------------------------------

/**
 * The regular-session minute path of one day: `price[j]` is the price j minutes
 * after the open (price[0] = open, price[n] = close), and `hi[j]`/`lo[j]` the
 * extremes within minute j. A Brownian bridge gives the shape; a monotonic
 * piecewise-linear map of its values (in log space) then makes the day's
 * extremes land exactly on the daily bar's high and low, so minute candles and
 * daily candles agree.
 */
function buildIntraday(inst, date, open, close, high, low, minutes) {
  const n = minutes;
  const g = gaussian(rng(hash32(inst.symbol, 'intraday', date)));
  const sm = dailySigma(inst) / Math.sqrt(n);
  const w = new Float64Array(n + 1);
  for (let j = 1; j <= n; j++) w[j] = w[j - 1] + sm * g();
  const lo0 = Math.log(open);
  const lo1 = Math.log(close);
  const x = new Float64Array(n + 1);
  for (let j = 0; j <= n; j++) {
    const t = j / n;
    x[j] = lo0 + t * (lo1 - lo0) + w[j] - t * w[n];
  }
  const hiX = new Float64Array(n);
  const loX = new Float64Array(n);
  const vol = new Float64Array(n);
  let pmax = -Infinity;
  let pmin = Infinity;
  for (let j = 0; j < n; j++) {
    hiX[j] = Math.max(x[j], x[j + 1]) + (Math.abs(g()) + 0.05) * sm * 0.35;
    loX[j] = Math.min(x[j], x[j + 1]) - (Math.abs(g()) + 0.05) * sm * 0.35;
    if (hiX[j] > pmax) pmax = hiX[j];
    if (loX[j] < pmin) pmin = loX[j];
    // U-shaped volume profile through the day.
    const f = j / n;
    vol[j] = (1 + 8.8 * (f - 0.5) ** 2) * (0.6 + 0.8 * ((g() + 3) / 6));
  }
  const a = Math.min(lo0, lo1);
  const b = Math.max(lo0, lo1);
  const H = Math.log(high);
  const L = Math.log(low);
  const map = (v) => {
    if (v >= b) return pmax > b ? b + ((v - b) * (H - b)) / (pmax - b) : v;
    if (v <= a) return pmin < a ? a - ((a - v) * (a - L)) / (a - pmin) : v;
    return v;
  };
  const price = new Float64Array(n + 1);
  for (let j = 0; j <= n; j++) price[j] = Math.exp(map(x[j]));
  price[0] = open;
  price[n] = close;
  const hi = new Float64Array(n);
  const lo = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    hi[j] = Math.exp(map(hiX[j]));
    lo[j] = Math.exp(map(loX[j]));
  }
  return { price, hi, lo, vol };
}

// ---- daily series -----------------------------------------------------------

const seriesCache = new Map();

function emptySeries() {
  return {
    dates: [],
    index: new Map(),
    x: [],
    open: [],
    high: [],
    low: [],
    close: [],
    volume: [],
    ivx: [],
    lastComputed: null,
  };
}

/** Extends a symbol's daily series through `untilDate` (inclusive). */
function ensureSeries(inst, untilDate) {
  let s = seriesCache.get(inst.symbol);
  if (!s) {
    s = emptySeries();
    seriesCache.set(inst.symbol, s);
  }
  if (s.lastComputed && s.lastComputed >= untilDate) return s;
  let date = s.lastComputed ? addDays(s.lastComputed, 1) : EPOCH_DATE;
  const sigma = dailySigma(inst);
  const stationary = sigma / Math.sqrt(2 * REVERSION);
  for (; date <= untilDate; date = addDays(date, 1)) {
    if (!isTradingDay(date)) continue;
    const i = s.dates.length;
    const g = gaussian(rng(hash32(inst.symbol, 'daily', date)));
    let x;
    let ivx;
    if (i === 0) {
      x = Math.max(-BOUND, Math.min(BOUND, stationary * g()));
      ivx = 0.2 * g();
    } else {
      x = s.x[i - 1] * (1 - REVERSION) + sigma * g();
      if (x > BOUND) x = 2 * BOUND - x;
      if (x < -BOUND) x = -2 * BOUND - x;
      ivx = s.ivx[i - 1] * (1 - IV_REVERSION) + IV_STEP * g();
    }
    const close = inst.kind === 'mmf' ? 1 : inst.base * Math.exp(x);
    const prevClose = i === 0 ? close * Math.exp(-sigma * g()) : s.close[i - 1];
    const open = inst.kind === 'mmf' ? 1 : prevClose * Math.exp(sigma * 0.25 * g());
    const high =
      inst.kind === 'mmf'
        ? 1
        : Math.max(open, close) * Math.exp(sigma * (0.45 * Math.abs(g()) + 0.05));
    const low =
      inst.kind === 'mmf'
        ? 1
        : Math.min(open, close) * Math.exp(-sigma * (0.45 * Math.abs(g()) + 0.05));
    const vg = g();
    const move = Math.abs(Math.log(close / prevClose)) / (sigma || 1);
    const volume = inst.avgVolume
      ? Math.round(inst.avgVolume * Math.exp(0.25 * vg) * (0.85 + 0.25 * Math.min(move, 3)))
      : 0;
    s.dates.push(date);
    s.index.set(date, i);
    s.x.push(x);
    s.open.push(open);
    s.high.push(high);
    s.low.push(low);
    s.close.push(close);
    s.volume.push(volume);
    s.ivx.push(ivx);
  }
  s.lastComputed = untilDate;
  return s;
}

function barAt(inst, s, i) {
  return {
    date: s.dates[i],
    open: s.open[i],
    high: s.high[i],
    low: s.low[i],
    close: s.close[i],
    volume: s.volume[i],
    ivIndex: inst.iv * Math.exp(s.ivx[i]),
  };
}

function requireInst(symbol) {
  const inst = typeof symbol === 'string' ? findInstrument(symbol) : symbol;
  if (!inst) throw new Error(`unknown symbol ${symbol}`);
  return inst;
}

/** Full-day OHLCV of a trading date (the whole session, regardless of "now"). */
export function dayBar(symbol, date) {
  const inst = requireInst(symbol);
  const s = ensureSeries(inst, date);
  const i = s.index.get(date);
  if (i === undefined) return null;
  return barAt(inst, s, i);
}

/** Daily bars for trading dates in [from, to]. */
export function dayBars(symbol, from, to) {
  const inst = requireInst(symbol);
  const s = ensureSeries(inst, to);
  const out = [];
  for (let i = 0; i < s.dates.length; i++) {
    const d = s.dates[i];
    if (d < from) continue;
    if (d > to) break;
    out.push(barAt(inst, s, i));
  }
  return out;
}

/** The latest `count` daily bars on or before `date`. */
export function lastDayBars(symbol, date, count) {
  const inst = requireInst(symbol);
  const s = ensureSeries(inst, date);
  let end = s.dates.length - 1;
  while (end >= 0 && s.dates[end] > date) end--;
  const out = [];
  for (let i = Math.max(0, end - count + 1); i <= end; i++) out.push(barAt(inst, s, i));
  return out;
}

// ---- minute candles -----------------------------------------------------------

/**
 * One-minute candles of a trading date: [{time, open, high, low, close, volume}],
 * regular session plus (optionally) 07:00–09:30 and 16:00–20:00 extended hours.
 * Candles that start at or after `untilMs` are omitted; the candle containing
 * `untilMs` is partial.
 */
export function minuteCandles(symbol, date, { extended = false, untilMs = Infinity } = {}) {
  const inst = requireInst(symbol);
  const bar = dayBar(inst, date);
  if (!bar) return [];
  const session = regularSession(date);
  const openMs = etToUtc(date, 9, 30);
  const out = [];
  const prev = dayBar(inst, previousTradingDay(date));
  const prevClose = prev ? prev.close : bar.open;
  const sm = dailySigma(inst) / Math.sqrt(session.minutes);
  const dayVolume = bar.volume;

  if (extended && inst.kind !== 'index' && inst.kind !== 'mmf') {
    // Pre-market: a quiet bridge from the previous close to today's open.
    const n = 150;
    const g = gaussian(rng(hash32(inst.symbol, 'pre', date)));
    let w = 0;
    const ws = [0];
    for (let j = 1; j <= n; j++) ws.push((w += sm * 0.4 * g()));
    const startMs = etToUtc(date, 7, 0);
    for (let j = 0; j < n; j++) {
      const t0 = j / n;
      const t1 = (j + 1) / n;
      const a = Math.exp(
        Math.log(prevClose) + t0 * Math.log(bar.open / prevClose) + ws[j] - t0 * ws[n],
      );
      const b = Math.exp(
        Math.log(prevClose) + t1 * Math.log(bar.open / prevClose) + ws[j + 1] - t1 * ws[n],
      );
      out.push(
        candle(
          startMs + j * 60_000,
          a,
          b,
          Math.max(a, b),
          Math.min(a, b),
          Math.round(dayVolume * 0.0002 * (1 + Math.abs(g()))),
        ),
      );
    }
  }

  if (inst.kind === 'mmf') {
    out.push(candle(openMs, 1, 1, 1, 1, 0));
  } else {
    const intraday = buildIntraday(
      inst,
      date,
      bar.open,
      bar.close,
      bar.high,
      bar.low,
      session.minutes,
    );
    let volSum = 0;
    for (let j = 0; j < session.minutes; j++) volSum += intraday.vol[j];
    for (let j = 0; j < session.minutes; j++) {
      const v = Math.round((dayVolume * 0.97 * intraday.vol[j]) / volSum);
      out.push(
        candle(
          openMs + j * 60_000,
          intraday.price[j],
          intraday.price[j + 1],
          intraday.hi[j],
          intraday.lo[j],
          v,
        ),
      );
    }
  }

  if (extended && inst.kind !== 'index' && inst.kind !== 'mmf') {
    const closeMs = openMs + session.minutes * 60_000;
    const endMs = session.closeMinute === 16 * 60 ? etToUtc(date, 20, 0) : etToUtc(date, 17, 0);
    const n = Math.round((endMs - closeMs) / 60_000);
    const g = gaussian(rng(hash32(inst.symbol, 'post', date)));
    let p = bar.close;
    for (let j = 0; j < n; j++) {
      const q = p * Math.exp(sm * 0.4 * g());
      out.push(
        candle(
          closeMs + j * 60_000,
          p,
          q,
          Math.max(p, q),
          Math.min(p, q),
          Math.round(dayVolume * 0.00015 * (1 + Math.abs(g()))),
        ),
      );
      p = q;
    }
  }

  if (untilMs !== Infinity) {
    const kept = [];
    for (const c of out) {
      if (c.time >= untilMs) break;
      if (c.time + 60_000 > untilMs) {
        // Partial minute: interpolate toward the minute's close.
        const f = (untilMs - c.time) / 60_000;
        const close = c.open + (c.close - c.open) * f;
        kept.push({
          ...c,
          close,
          high: Math.max(c.open, close, c.open + (c.high - Math.max(c.open, c.close)) * f),
          low: Math.min(c.open, close),
          volume: Math.round(c.volume * f),
        });
        break;
      }
      kept.push(c);
    }
    return kept;
  }
  return out;
}

function candle(time, open, close, high, low, volume) {
  return {
    time,
    open,
    high: Math.max(high, open, close),
    low: Math.min(low, open, close),
    close,
    volume,
  };
}

/** Groups consecutive candles into buckets of `size` minutes aligned to the session open. */
export function aggregateMinutes(candles, size, anchorMs) {
  if (size <= 1) return candles;
  const out = [];
  let cur = null;
  for (const c of candles) {
    const bucket = anchorMs + Math.floor((c.time - anchorMs) / (size * 60_000)) * size * 60_000;
    if (!cur || cur.time !== bucket) {
      cur = {
        time: bucket,
        open: c.open,
        high: c.high,
        low: c.low,
        close: c.close,
        volume: c.volume,
      };
      out.push(cur);
    } else {
      cur.high = Math.max(cur.high, c.high);
      cur.low = Math.min(cur.low, c.low);
      cur.close = c.close;
      cur.volume += c.volume;
    }
  }
  return out;
}

/** Groups daily bars by ISO week ('week') or calendar month ('month'). */
export function aggregateDays(bars, unit) {
  const out = [];
  let cur = null;
  for (const b of bars) {
    const key = unit === 'week' ? Math.floor((dayNumber(b.date) + 3) / 7) : b.date.slice(0, 7);
    if (!cur || cur.key !== key) {
      cur = {
        key,
        date: b.date,
        open: b.open,
        high: b.high,
        low: b.low,
        close: b.close,
        volume: b.volume,
      };
      out.push(cur);
    } else {
      cur.high = Math.max(cur.high, b.high);
      cur.low = Math.min(cur.low, b.low);
      cur.close = b.close;
      cur.volume += b.volume;
    }
  }
  return out.map(({ key, ...rest }) => rest);
}

// ---- "now" ------------------------------------------------------------------

/**
 * The trading date whose regular session is the current (or most recent) one
 * at instant t: today once the 09:30 open has passed, else the previous
 * trading day.
 */
export function sessionDate(t) {
  const p = etParts(t);
  if (isTradingDay(p.date) && p.minuteOfDay >= 9 * 60 + 30) return p.date;
  return previousTradingDay(p.date);
}

/** Market state at t: 'PRE' | 'OPEN' | 'POST' | 'CLOSED'. */
export function marketState(t) {
  const p = etParts(t);
  const session = regularSession(p.date);
  if (!session) return 'CLOSED';
  if (p.minuteOfDay >= session.openMinute && p.minuteOfDay < session.closeMinute) return 'OPEN';
  if (p.minuteOfDay >= 7 * 60 && p.minuteOfDay < session.openMinute) return 'PRE';
  const postEnd = session.closeMinute === 16 * 60 ? 20 * 60 : 17 * 60;
  if (p.minuteOfDay >= session.closeMinute && p.minuteOfDay < postEnd) return 'POST';
  return 'CLOSED';
}

/** Daily bar of the session containing t, truncated at t when that session is in progress. */
export function sessionBar(symbol, t) {
  const inst = requireInst(symbol);
  const date = sessionDate(t);
  const full = dayBar(inst, date);
  const session = regularSession(date);
  const openMs = etToUtc(date, 9, 30);
  const closeMs = openMs + session.minutes * 60_000;
  if (t >= closeMs || inst.kind === 'mmf')
    return { ...full, complete: true, lastTime: Math.min(t, closeMs) };
  const minutes = minuteCandles(inst, date, { untilMs: t });
  let high = full.open;
  let low = full.open;
  let volume = 0;
  for (const c of minutes) {
    if (c.high > high) high = c.high;
    if (c.low < low) low = c.low;
    volume += c.volume;
  }
  const last = minutes.length ? minutes[minutes.length - 1].close : full.open;
  return {
    date,
    open: full.open,
    high,
    low,
    close: last,
    volume,
    ivIndex: full.ivIndex,
    complete: false,
    lastTime: t,
  };
}

/**
 * A consistent snapshot quote of an underlying at instant t. Bid/ask carry a
 * tiny deterministic wobble so quotes move even while the market is closed.
 */
export function underlyingQuote(symbol, t) {
  const inst = requireInst(symbol);
  const bar = sessionBar(inst, t);
  const prevDate = previousTradingDay(bar.date);
  const prev = dayBar(inst, prevDate);
  const last = bar.close;
  const year = lastDayBars(inst, bar.date, 252);
  let high52 = bar.high;
  let low52 = bar.low;
  for (const b of year) {
    if (b.high > high52) high52 = b.high;
    if (b.low < low52) low52 = b.low;
  }
  const state = marketState(t);
  const phase = (hash32(inst.symbol, 'phase') % 1000) / 1000;
  const wobble = inst.kind === 'mmf' ? 0 : 0.0002 * Math.sin(2 * Math.PI * (t / 60_000 + phase));
  const halfSpread =
    inst.kind === 'index' || inst.kind === 'mmf' ? 0 : Math.max(0.005, last * 0.00008);
  const mid = last * (1 + wobble);
  const bid = inst.kind === 'index' ? 0 : roundTick(mid - halfSpread, inst);
  const ask = inst.kind === 'index' ? 0 : Math.max(roundTick(mid + halfSpread, inst), bid + 0.01);
  const sizeSeed = hash32(inst.symbol, 'size', Math.floor(t / 5000));
  return {
    inst,
    symbol: inst.symbol,
    date: bar.date,
    state,
    last: roundTick(last, inst),
    open: roundTick(bar.open, inst),
    high: roundTick(bar.high, inst),
    low: roundTick(bar.low, inst),
    prevClose: roundTick(prev ? prev.close : bar.open, inst),
    prevCloseDate: prevDate,
    volume: bar.volume,
    bid,
    ask: inst.kind === 'mmf' ? 1 : ask,
    bidSize: inst.kind === 'index' ? 0 : 100 * (1 + (sizeSeed % 9)),
    askSize: inst.kind === 'index' ? 0 : 100 * (1 + ((sizeSeed >>> 8) % 9)),
    lastSize: inst.kind === 'index' ? 0 : 100 * (1 + ((sizeSeed >>> 16) % 5)),
    tradeTime: Math.min(t, bar.lastTime) - (sizeSeed % 900),
    quoteTime: t - (sizeSeed % 300),
    high52: roundTick(high52, inst),
    low52: roundTick(low52, inst),
    ivIndex: bar.ivIndex,
  };
}

/** Annualised close-to-close historical volatility over `days` sessions, in percent. */
export function historicalVolatility(symbol, date, days) {
  const bars = lastDayBars(symbol, date, days + 1);
  if (bars.length < 3) return 0;
  const rets = [];
  for (let i = 1; i < bars.length; i++) rets.push(Math.log(bars[i].close / bars[i - 1].close));
  const mean = rets.reduce((a, b) => a + b, 0) / rets.length;
  const v = rets.reduce((a, b) => a + (b - mean) ** 2, 0) / (rets.length - 1);
  return Math.sqrt(v * 252) * 100;
}

/** IV index now, its rank and percentile over the trailing year (fractions 0..1). */
export function ivStats(symbol, t) {
  const inst = requireInst(symbol);
  const date = sessionDate(t);
  const bars = lastDayBars(inst, date, 252);
  const now = bars[bars.length - 1].ivIndex;
  let min = Infinity;
  let max = -Infinity;
  let below = 0;
  for (const b of bars) {
    min = Math.min(min, b.ivIndex);
    max = Math.max(max, b.ivIndex);
    if (b.ivIndex < now) below++;
  }
  const fiveDaysAgo = bars.length > 5 ? bars[bars.length - 6].ivIndex : now;
  return {
    ivIndex: now,
    rank: max > min ? (now - min) / (max - min) : 0.5,
    percentile: below / bars.length,
    change5d: now - fiveDaysAgo,
  };
}
