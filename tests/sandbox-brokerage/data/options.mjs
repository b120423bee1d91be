// Equity and index options: listed expirations and strikes, OCC / streamer /
// Schwab-CUSIP symbology, and Black–Scholes prices and greeks from a
// per-symbol volatility surface, so every chain, quote and greek is
// internally consistent.

import {
  addDays,
  dayNumber,
  etParts,
  etToUtc,
  isTradingDay,
  parseDate,
  previousTradingDay,
  thirdFriday,
  weekday,
} from './calendar.mjs';
import { findInstrument } from './instruments.mjs';
import { hash32 } from './random.mjs';
import { dayBar, sessionDate, underlyingQuote } from './prices.mjs';

export const RISK_FREE_RATE = 0.045;
const YEAR_MS = 365 * 86_400_000;

// ---- normal distribution ------------------------------------------------------

export function normPdf(x) {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 via erf, |error| < 1.5e-7). */
export function normCdf(x) {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

/**
 * Black–Scholes–Merton value and greeks. T in years, r and q continuous.
 * theta is per calendar day, vega and rho per 1 percentage point.
 */
export function blackScholes({ S, K, T, r = RISK_FREE_RATE, q = 0, sigma, call }) {
  if (T <= 0 || sigma <= 0) {
    const intrinsic = Math.max(0, call ? S - K : K - S);
    const itm = call ? S > K : K > S;
    return {
      price: intrinsic,
      delta: itm ? (call ? 1 : -1) : 0,
      gamma: 0,
      theta: 0,
      vega: 0,
      rho: 0,
    };
  }
  const sqrtT = Math.sqrt(T);
  const d1 = (Math.log(S / K) + (r - q + 0.5 * sigma * sigma) * T) / (sigma * sqrtT);
  const d2 = d1 - sigma * sqrtT;
  const dfq = Math.exp(-q * T);
  const dfr = Math.exp(-r * T);
  const pdf = normPdf(d1);
  let price;
  let delta;
  let theta;
  let rho;
  if (call) {
    price = S * dfq * normCdf(d1) - K * dfr * normCdf(d2);
    delta = dfq * normCdf(d1);
    theta =
      -(S * dfq * pdf * sigma) / (2 * sqrtT) -
      r * K * dfr * normCdf(d2) +
      q * S * dfq * normCdf(d1);
    rho = K * T * dfr * normCdf(d2);
  } else {
    price = K * dfr * normCdf(-d2) - S * dfq * normCdf(-d1);
    delta = -dfq * normCdf(-d1);
    theta =
      -(S * dfq * pdf * sigma) / (2 * sqrtT) +
      r * K * dfr * normCdf(-d2) -
      q * S * dfq * normCdf(-d1);
    rho = -K * T * dfr * normCdf(-d2);
  }
  return {
    price: Math.max(price, 0),
    delta,
    gamma: (dfq * pdf) / (S * sigma * sqrtT),
    theta: theta / 365,
    vega: (S * dfq * pdf * sqrtT) / 100,
    rho: rho / 100,
    d1,
    d2,
  };
}

// ---- volatility surface ----------------------------------------------------

/** Implied volatility for a strike and time, around the day's IV index. */
export function surfaceVol(inst, ivIndex, S, K, T) {
  const atm = ivIndex * (0.94 + 0.12 * Math.exp(-6 * T));
  const x = Math.log(K / S) / Math.max(0.08, Math.sqrt(Math.max(T, 1 / 365)));
  const skew = inst.symbol === '$VIX' ? 0.25 : -0.22; // equities: puts richer; VIX: calls richer
  const v = atm * (1 + skew * x + 0.18 * x * x);
  return Math.min(3, Math.max(0.05, v));
}

// ---- expirations --------------------------------------------------------------

const DAILY_EXPIRY = new Set(['SPY', 'QQQ', 'IWM', '$SPX']);

function adjustToTradingDay(d) {
  return isTradingDay(d) ? d : previousTradingDay(d);
}

/**
 * Listed expirations on `date` (ET), soonest first:
 * [{date, type: 'W'|'S'|'Q', settlement: 'P'|'A', root}]
 * S = standard third-Friday monthly, W = weekly / daily, Q = quarter-end.
 */
export function expirations(symbol, date) {
  const inst = findInstrument(symbol);
  if (!inst || !inst.optionable) return [];
  const out = new Map();
  const add = (d, type, settlement, root) => {
    const adj = adjustToTradingDay(d);
    if (adj < date) return;
    if (!out.has(adj)) out.set(adj, { date: adj, type, settlement, root });
  };
  const isSpx = inst.symbol === '$SPX';
  const monthlyRoot = isSpx ? 'SPX' : inst.ttSymbol;
  const weeklyRoot = isSpx ? 'SPXW' : inst.ttSymbol;
  const { y, m } = parseDate(date);
  // Standard monthlies: next 9 months, then the next two Januarys (LEAPS).
  for (let k = 0; k < 10; k++) {
    const mm = ((m - 1 + k) % 12) + 1;
    const yy = y + Math.floor((m - 1 + k) / 12);
    add(thirdFriday(yy, mm), 'S', isSpx ? 'A' : 'P', monthlyRoot);
  }
  for (const yy of [y + 1, y + 2]) add(thirdFriday(yy, 1), 'S', isSpx ? 'A' : 'P', monthlyRoot);
  // Weeklies: the next six Fridays.
  let d = date;
  const toFriday = (5 - weekday(d) + 7) % 7;
  d = addDays(d, toFriday);
  for (let k = 0; k < 6; k++, d = addDays(d, 7)) add(d, 'W', 'P', weeklyRoot);
  // Dailies for the most liquid products: every trading day for two weeks.
  if (DAILY_EXPIRY.has(inst.symbol)) {
    for (let k = 0; k < 14; k++) {
      const dd = addDays(date, k);
      if (isTradingDay(dd)) add(dd, 'W', 'P', weeklyRoot);
    }
    // Quarter ends for the next four quarters.
    for (let k = 0; k < 12; k++) {
      const mm = ((m - 1 + k) % 12) + 1;
      if (mm % 3 !== 0) continue;
      const yy = y + Math.floor((m - 1 + k) / 12);
      const last = new Date(Date.UTC(yy, mm, 0)).toISOString().slice(0, 10);
      add(last, 'Q', 'P', weeklyRoot);
    }
  }
  return [...out.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
}

/** Expiry instant (ET close; AM-settled: 09:30 ET) of an expiration date. */
export function expiryMs(exp) {
  return exp.settlement === 'A' ? etToUtc(exp.date, 9, 30) : etToUtc(exp.date, 16, 0);
}

export function daysToExpiration(expDate, today) {
  return dayNumber(expDate) - dayNumber(today);
}

// ---- strikes ------------------------------------------------------------------

export function strikeStep(price) {
  if (price < 5) return 0.5;
  if (price < 30) return 0.5;
  if (price < 100) return 1;
  if (price < 250) return 2.5;
  if (price < 1000) return 5;
  if (price < 10000) return 25;
  return 100;
}

/**
 * Listed strikes of an expiration. The ladder is centred on the previous
 * session's close so it does not shift during a day; wider for longer tenors.
 */
export function strikes(symbol, exp, date) {
  const inst = findInstrument(symbol);
  const ref = dayBar(inst, previousTradingDay(date));
  const S = ref.close;
  const step = strikeStep(S);
  const T = Math.max(1, daysToExpiration(exp.date, date)) / 365;
  const width = Math.min(0.5, Math.max(0.1, 0.06 + 1.6 * inst.iv * Math.sqrt(T)));
  const lo = Math.max(step, Math.floor((S * (1 - width)) / step) * step);
  const hi = Math.ceil((S * (1 + width)) / step) * step;
  const out = [];
  for (let k = lo; k <= hi + 1e-9; k += step) out.push(Math.round(k * 1000) / 1000);
  return out;
}

// ---- symbology ----------------------------------------------------------------

function formatStrikeCompact(strike) {
  return String(Math.round(strike * 1000) / 1000);
}

/** OCC symbol: root padded to 6, yymmdd, C|P, strike x1000 in 8 digits. */
export function occSymbol(root, expDate, call, strike) {
  const { y, m, d } = parseDate(expDate);
  const ymd = `${String(y % 100).padStart(2, '0')}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
  return `${root.padEnd(6, ' ')}${ymd}${call ? 'C' : 'P'}${String(Math.round(strike * 1000)).padStart(8, '0')}`;
}

/** DXLink streamer symbol: `.AAPL260615C255`, `.SPY260615C512.5`. */
export function streamerSymbol(root, expDate, call, strike) {
  const { y, m, d } = parseDate(expDate);
  const ymd = `${String(y % 100).padStart(2, '0')}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
  return `.${root}${ymd}${call ? 'C' : 'P'}${formatStrikeCompact(strike)}`;
}

/** Schwab option CUSIP-like id: 0 + root + '.' + month letter + day(base 36) + year digit + strike. */
export function schwabOptionCusip(root, expDate, call, strike) {
  const { y, m, d } = parseDate(expDate);
  const letter = String.fromCharCode((call ? 65 : 77) + m - 1); // A-L calls, M-X puts
  const strikeDigits = String(Math.round(strike * 1000)).padStart(7, '0');
  return `0${root}.${letter}${d.toString(36).toUpperCase()}${y % 10}${strikeDigits}`;
}

function underlyingOfRoot(root) {
  if (root === 'SPXW' || root === 'SPX') return '$SPX';
  if (root === 'VIX' || root === 'VIXW') return '$VIX';
  return root;
}

/** Parses an OCC symbol (spaces optional) into its parts, or null. */
export function parseOcc(symbol) {
  const m = /^([A-Z.]{1,6})\s*(\d{2})(\d{2})(\d{2})([CP])(\d{8})$/.exec(
    String(symbol).trim().toUpperCase(),
  );
  if (!m) return null;
  const root = m[1];
  return {
    root,
    underlying: underlyingOfRoot(root),
    expDate: `20${m[2]}-${m[3]}-${m[4]}`,
    call: m[5] === 'C',
    strike: Number(m[6]) / 1000,
  };
}

/** Parses a DXLink streamer option symbol (`.AAPL260615C255`), or null. */
export function parseStreamer(symbol) {
  const m = /^\.([A-Z]{1,6})(\d{2})(\d{2})(\d{2})([CP])(\d+(?:\.\d+)?)$/.exec(
    String(symbol).trim().toUpperCase(),
  );
  if (!m) return null;
  return {
    root: m[1],
    underlying: underlyingOfRoot(m[1]),
    expDate: `20${m[2]}-${m[3]}-${m[4]}`,
    call: m[5] === 'C',
    strike: Number(m[6]),
  };
}

/** Finds the listed contract for parsed parts on `date`, or null when not listed. */
export function lookupContract(parts, date) {
  if (!parts) return null;
  const inst = findInstrument(parts.underlying);
  if (!inst || !inst.optionable) return null;
  const exp = expirations(inst.symbol, date).find(
    (e) => e.date === parts.expDate && (e.root === parts.root || inst.ttSymbol === parts.root),
  );
  if (!exp) return null;
  const list = strikes(inst.symbol, exp, date);
  if (!list.some((k) => Math.abs(k - parts.strike) < 1e-6)) return null;
  return { inst, exp, strike: parts.strike, call: parts.call, root: exp.root };
}

export function describeSchwab(inst, exp, call, strike) {
  const { y, m, d } = parseDate(exp.date);
  return `${exp.root} ${String(m).padStart(2, '0')}/${String(d).padStart(2, '0')}/${y} ${strike.toFixed(2)} ${call ? 'C' : 'P'}`;
}

// ---- quotes -------------------------------------------------------------------

function roundOption(x) {
  return Math.max(0, Math.round(x * 100) / 100);
}

/**
 * Full quote of a contract at instant t, consistent with the underlying quote.
 * Prices in dollars per share; greeks per share.
 */
export function optionQuote(contract, t, underlying = underlyingQuote(contract.inst, t)) {
  const { inst, exp, strike, call } = contract;
  const S = underlying.last;
  const T = Math.max(0, (expiryMs(exp) - t) / YEAR_MS);
  const q = inst.divYield || 0;
  const sigma = surfaceVol(inst, underlying.ivIndex, S, strike, Math.max(T, 1 / 365));
  const g = blackScholes({ S, K: strike, T, q, sigma, call });
  const theo = g.price;
  const tick = theo < 3 ? 0.01 : 0.05;
  const halfSpread = Math.max(tick, Math.min(0.5, theo * 0.03 + 0.01));
  let bid = Math.floor((theo - halfSpread) / tick) * tick;
  let ask = Math.ceil((theo + halfSpread) / tick) * tick;
  if (bid < 0) bid = 0;
  if (ask <= bid) ask = bid + tick;
  const intrinsic = Math.max(0, call ? S - strike : strike - S);
  const prevDate = previousTradingDay(sessionDate(t));
  const prevBar = dayBar(inst, prevDate);
  const prevT = Math.max(0, (expiryMs(exp) - etToUtc(prevDate, 16, 0)) / YEAR_MS);
  const prevSigma = surfaceVol(
    inst,
    prevBar.ivIndex,
    prevBar.close,
    strike,
    Math.max(prevT, 1 / 365),
  );
  const prevTheo = blackScholes({
    S: prevBar.close,
    K: strike,
    T: prevT,
    q,
    sigma: prevSigma,
    call,
  }).price;
  const seed = hash32(exp.root, exp.date, strike, call ? 'C' : 'P');
  const moneyness = Math.abs(Math.log(strike / S));
  const roundness = strike % (strikeStep(S) * 4) === 0 ? 2 : 1;
  const openInterest = Math.round((500 + (seed % 40000)) * Math.exp(-8 * moneyness) * roundness);
  const frac = underlying.state === 'OPEN' ? 0.5 : 1;
  const volume = Math.round((openInterest * 0.15 * frac * ((seed >>> 8) % 100)) / 100);
  const last = roundOption(theo + ((seed % 7) - 3) * 0.01);
  const mark = Math.round(((bid + ask) / 2) * 1000) / 1000;
  return {
    symbol: occSymbol(exp.root, exp.date, call, strike),
    streamerSymbol: streamerSymbol(exp.root, exp.date, call, strike),
    underlyingPrice: S,
    bid: roundOption(bid),
    ask: roundOption(ask),
    last,
    mark,
    bidSize: 1 + (seed % 60),
    askSize: 1 + ((seed >>> 6) % 60),
    lastSize: 1 + ((seed >>> 12) % 10),
    high: roundOption(Math.max(last, prevTheo) * 1.08),
    low: roundOption(Math.min(last, prevTheo) * 0.92),
    open: roundOption(prevTheo),
    close: roundOption(prevTheo),
    netChange: Math.round((last - roundOption(prevTheo)) * 100) / 100,
    theo: Math.round(theo * 1000) / 1000,
    volatility: sigma,
    delta: g.delta,
    gamma: g.gamma,
    theta: g.theta,
    vega: g.vega,
    rho: g.rho,
    intrinsic: Math.round(intrinsic * 100) / 100,
    extrinsic: Math.round((mark - intrinsic) * 100) / 100,
    openInterest,
    volume,
    inTheMoney: intrinsic > 0,
    T,
    quoteTime: underlying.quoteTime,
    tradeTime: underlying.tradeTime,
  };
}

/** Current ET date of an instant. */
export function todayOf(t) {
  return etParts(t).date;
}
