// Candles for DXLink-style periods ('1m', '5m', 'h', 'd', 'w', 'mo', ...)
// built from the same deterministic minute and daily paths that Schwab's
// price history serves, plus the dxFeed candle-symbol syntax
// ('AAPL{=5m,tho=true}') and its canonical form ('AAPL{=h}' for '{=1h}').

import { etDate, etToUtc, tradingDaysBetween } from './calendar.mjs';
import {
  aggregateDays,
  aggregateMinutes,
  dayBars,
  minuteCandles,
  sessionBar,
  sessionDate,
} from './prices.mjs';

const UNITS = { m: 1, h: 60, d: 'd', w: 'w', mo: 'mo' };

/** Parses 'AAPL{=5m,tho=true}'; returns {base, value, unit, attrs, regularOnly, canonical} or null. */
export function parseCandleSymbol(symbol) {
  const m = /^([^{}]+)\{(.*)\}$/.exec(String(symbol));
  if (!m) return null;
  const base = m[1];
  const parts = m[2]
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  let value = 1;
  let unit = null;
  const attrs = [];
  for (const p of parts) {
    if (p.startsWith('=')) {
      const pm = /^=(\d*(?:\.\d+)?)(mo|m|h|d|w)$/.exec(p);
      if (!pm) return null;
      value = pm[1] ? Number(pm[1]) : 1;
      unit = pm[2];
    } else {
      attrs.push(p);
    }
  }
  if (!unit || !(value > 0) || !Number.isInteger(value)) return null;
  const period = `=${value === 1 ? '' : value}${unit}`;
  const canonical = `${base}{${[period, ...attrs].join(',')}}`;
  const regularOnly = attrs.some((a) => a.replace(/\s/g, '').toLowerCase() === 'tho=true');
  return { base, value, unit, attrs, regularOnly, canonical };
}

/** Length of one candle in minutes for intraday periods, else null. */
export function periodMinutes(spec) {
  const u = UNITS[spec.unit];
  return typeof u === 'number' ? u * spec.value : null;
}

/**
 * Candles of `inst` for a parsed period from `fromTime` up to instant `t`,
 * oldest first: [{time, open, high, low, close, volume}]. The newest candle
 * may be partial (still forming).
 */
export function candlesFor(inst, spec, fromTime, t, { maxCandles = 20000 } = {}) {
  const minutes = periodMinutes(spec);
  const end = sessionDate(t);
  if (minutes) {
    const out = [];
    const firstDate = etDate(Math.max(fromTime, t - 400 * 86_400_000));
    for (const d of tradingDaysBetween(firstDate, etDate(t))) {
      const mins = minuteCandles(inst, d, {
        extended: !spec.regularOnly && inst.kind !== 'index',
        untilMs: t,
      });
      const anchor =
        spec.regularOnly || inst.kind === 'index' ? etToUtc(d, 9, 30) : etToUtc(d, 7, 0);
      for (const c of aggregateMinutes(mins, minutes, anchor))
        if (c.time + minutes * 60_000 > fromTime) out.push(c);
    }
    return out.slice(-maxCandles);
  }
  const from = etDate(Math.max(fromTime, Date.UTC(2016, 0, 1)));
  let bars = dayBars(inst, from, end);
  if (bars.length && bars[bars.length - 1].date === end) {
    const partial = sessionBar(inst, t);
    if (partial.date === end) bars[bars.length - 1] = partial;
  }
  if (spec.unit === 'w') bars = aggregateDays(bars, 'week');
  if (spec.unit === 'mo') bars = aggregateDays(bars, 'month');
  if (spec.value > 1) bars = groupBars(bars, spec.value);
  return bars
    .map((b) => ({
      time: etToUtc(b.date, 0, 0),
      open: b.open,
      high: b.high,
      low: b.low,
      close: b.close,
      volume: b.volume,
    }))
    .slice(-maxCandles);
}

function groupBars(bars, n) {
  const out = [];
  for (let i = 0; i < bars.length; i += n) {
    const chunk = bars.slice(i, i + n);
    out.push({
      date: chunk[0].date,
      open: chunk[0].open,
      high: Math.max(...chunk.map((b) => b.high)),
      low: Math.min(...chunk.map((b) => b.low)),
      close: chunk[chunk.length - 1].close,
      volume: chunk.reduce((a, b) => a + b.volume, 0),
    });
  }
  return out;
}
