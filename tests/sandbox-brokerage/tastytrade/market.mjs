// tastytrade market data and reference endpoints: /market-data/by-type
// snapshots, /market-metrics (IV rank etc., fractions 0-1; IV30/HV in
// percent), option chains (nested, compact, flat), instruments, symbol
// search, market sessions and holidays, corporate events, and the public
// margin configuration.

import {
  addDays,
  dayNumber,
  etDate,
  etToUtc,
  holidays,
  isDateString,
  isTradingDay,
  earlyCloseMinute,
  nextTradingDay,
  previousTradingDay,
  regularSession,
} from '../data/calendar.mjs';
import {
  INSTRUMENTS,
  dividendSchedule,
  findInstrument,
  nextEarningsDate,
  previousEarningsDates,
} from '../data/instruments.mjs';
import {
  RISK_FREE_RATE,
  daysToExpiration,
  expirations,
  expiryMs,
  lookupContract,
  occSymbol,
  optionQuote,
  parseOcc,
  streamerSymbol,
  strikes,
  surfaceVol,
} from '../data/options.mjs';
import {
  historicalVolatility,
  ivStats,
  marketState,
  sessionDate,
  underlyingQuote,
} from '../data/prices.mjs';
import { queryList, queryListNoSplit } from '../http-util.mjs';
import { ttError, ttStatusError } from './errors.mjs';
import { EXPIRATION_TYPES, dec, ok, okItems, paginate, ttTime, ttTimeZ } from './format.mjs';

const MAX_SYMBOLS = 100;

// ---- market data -------------------------------------------------------------------

function listedMarket(inst) {
  if (inst.kind === 'index') return 'CBOE';
  return inst.exchange === 'Q' ? 'XNAS' : inst.exchange === 'N' ? 'XNYS' : 'ARCX';
}

function equitySnapshot(inst, t) {
  const q = underlyingQuote(inst, t);
  const isIndex = inst.kind === 'index';
  const state = marketState(t);
  const item = {
    symbol: inst.ttSymbol,
    'instrument-type': isIndex ? 'Index' : 'Equity',
    'updated-at': ttTimeZ(q.quoteTime),
  };
  if (!isIndex) {
    Object.assign(item, {
      bid: dec(q.bid),
      'bid-size': dec(q.bidSize),
      ask: dec(q.ask),
      'ask-size': dec(q.askSize),
      mid: dec((q.bid + q.ask) / 2),
      mark: dec(q.last),
    });
  } else {
    item.mark = dec(q.last);
  }
  Object.assign(item, {
    last: dec(q.last),
    'last-mkt': dec(q.last),
    open: dec(q.open),
    'day-high-price': dec(q.high),
    'day-low-price': dec(q.low),
    'close-price-type': state === 'OPEN' ? 'Unknown' : 'Regular',
    'prev-close': dec(q.prevClose),
    'prev-close-date': q.prevCloseDate,
    'prev-close-price-type': 'Final',
    'summary-date': q.date,
    volume: dec(q.volume),
    'year-high-price': dec(q.high52),
    'year-low-price': dec(q.low52),
  });
  if (state !== 'OPEN') item.close = dec(q.last);
  if (!isIndex) {
    Object.assign(item, {
      beta: dec(inst.beta, 9),
      'dividend-amount': dec(Math.round((inst.divYield * inst.base * 100) / 4) / 100),
      'dividend-frequency': inst.divYield ? '4.0' : '0.0',
      'is-trading-halted': false,
      'halt-start-time': -1,
      'halt-end-time': -1,
      'high-limit-price': dec(Math.round(q.prevClose * 1.05 * 100) / 100),
      'low-limit-price': dec(Math.round(q.prevClose * 0.95 * 100) / 100),
    });
  }
  return item;
}

function optionSnapshot(contract, t) {
  const oq = optionQuote(contract, t);
  return {
    symbol: oq.symbol,
    'instrument-type': 'Equity Option',
    'updated-at': ttTimeZ(oq.quoteTime),
    bid: dec(oq.bid),
    'bid-size': dec(oq.bidSize),
    ask: dec(oq.ask),
    'ask-size': dec(oq.askSize),
    mid: dec((oq.bid + oq.ask) / 2),
    mark: dec(oq.mark),
    last: dec(oq.last),
    'last-mkt': dec(oq.last),
    open: dec(oq.open),
    'day-high-price': dec(oq.high),
    'day-low-price': dec(oq.low),
    'close-price-type': 'Regular',
    'prev-close': dec(oq.close),
    'prev-close-price-type': 'Final',
    'summary-date': sessionDate(t),
    volume: dec(oq.volume),
    'open-interest': dec(oq.openInterest),
    'is-trading-halted': false,
    'halt-start-time': -1,
    'halt-end-time': -1,
  };
}

function snapshotFor(type, symbol, t) {
  if (type === 'equity-option') {
    const contract = lookupContract(parseOcc(symbol), etDate(t));
    return contract ? optionSnapshot(contract, t) : null;
  }
  if (type === 'equity' || type === 'index') {
    const inst = findInstrument(symbol);
    if (!inst || inst.kind === 'mmf') return null;
    if (type === 'equity' && inst.kind === 'index') return null;
    return equitySnapshot(inst, t);
  }
  return null; // futures, future options and crypto are not in the sandbox universe
}

const BY_TYPE = ['equity', 'equity-option', 'index', 'future', 'future-option', 'cryptocurrency'];

function byType(ctx) {
  const requests = [];
  for (const type of BY_TYPE) {
    const symbols =
      type === 'equity-option'
        ? queryListNoSplit(ctx.query, type).flatMap((v) => v.split(','))
        : queryList(ctx.query, type);
    for (const s of symbols) requests.push([type, s.trim()]);
  }
  if (requests.length === 0)
    return ttError(400, 'invalid_request', 'At least one symbol is required');
  if (requests.length > MAX_SYMBOLS)
    return ttError(
      400,
      'too_many_symbols',
      `At most ${MAX_SYMBOLS} symbols may be requested at once`,
    );
  const items = requests.map(([type, s]) => snapshotFor(type, s, ctx.now)).filter(Boolean);
  return okItems(items, '/market-data/by-type');
}

function singleSnapshot(ctx) {
  const type = ctx.params.type.toLowerCase().replace(/s$/, '');
  const item = snapshotFor(type, ctx.params.symbol, ctx.now);
  if (!item) return ttStatusError(404, `No market data for ${ctx.params.symbol}`);
  return ok(item, `/market-data/${ctx.params.type}/${ctx.params.symbol}`);
}

// ---- market metrics -------------------------------------------------------------------

function liquidity(inst) {
  const rating =
    inst.avgVolume > 40e6 ? 4 : inst.avgVolume > 15e6 ? 3 : inst.avgVolume > 5e6 ? 2 : 1;
  // liquidity-rank is tastytrade's own score, not a 0-1 fraction: real values pass 1 (AAPL 1.516).
  return {
    rating: inst.kind === 'etf' && inst.avgVolume > 20e6 ? 5 : rating,
    rank: inst.avgVolume / 40e6,
  };
}

function metricsItem(inst, t) {
  const date = sessionDate(t);
  const iv = ivStats(inst, t);
  const hv30 = historicalVolatility(inst, date, 30);
  const hv60 = historicalVolatility(inst, date, 60);
  const hv90 = historicalVolatility(inst, date, 90);
  const iv30 = iv.ivIndex * 100;
  const liq = liquidity(inst);
  const q = underlyingQuote(inst, t);
  const year = Number(date.slice(0, 4));
  const nextDiv = dividendSchedule(inst, year, year + 1).find((d) => d.exDate > date);
  const lastDiv = dividendSchedule(inst, year - 1, year)
    .filter((d) => d.exDate <= date)
    .pop();
  const twRank = Math.min(1, Math.max(0, iv.rank * 0.87 + 0.02));
  const item = {
    symbol: inst.ttSymbol,
    'implied-volatility-index': dec(iv.ivIndex, 9),
    'implied-volatility-index-5-day-change': dec(iv.change5d, 9),
    'implied-volatility-index-rank': dec(iv.rank, 9),
    'tos-implied-volatility-index-rank': dec(iv.rank, 9),
    'tw-implied-volatility-index-rank': dec(twRank, 9),
    'tos-implied-volatility-index-rank-updated-at': ttTimeZ(t - 600_000),
    'implied-volatility-index-rank-source': 'tos',
    'implied-volatility-percentile': dec(iv.percentile, 9),
    'implied-volatility-updated-at': ttTimeZ(t - 600_000),
    'liquidity-value': dec(liq.rank * 0.1, 9),
    'liquidity-rank': dec(liq.rank, 9),
    'liquidity-rating': liq.rating,
    'updated-at': ttTimeZ(t - 300_000),
    'option-expiration-implied-volatilities': [],
    beta: dec(inst.beta, 9),
    'corr-spy-3month': dec(Math.max(-1, Math.min(1, inst.beta * 0.7)), 2),
    'market-cap': Math.round(inst.sharesOutstanding * q.last),
    'implied-volatility-30-day': dec(iv30, 2),
    'historical-volatility-30-day': dec(hv30, 2),
    'historical-volatility-60-day': dec(hv60, 2),
    'historical-volatility-90-day': dec(hv90, 2),
    'iv-hv-30-day-difference': dec(iv30 - hv30, 2),
    'price-earnings-ratio': inst.eps > 0 ? dec(q.last / inst.eps, 2) : null,
    'earnings-per-share': dec(inst.eps, 2),
    'dividend-rate-per-share': lastDiv ? dec(lastDiv.amount, 2) : '0.0',
    'annual-dividend-per-share': lastDiv ? dec(lastDiv.amount * 4, 2) : '0.0',
    'dividend-yield': dec(inst.divYield, 9),
    lendability: 'Easy To Borrow',
    'borrow-rate': '0.0',
  };
  if (lastDiv) item['dividend-ex-date'] = lastDiv.exDate;
  if (nextDiv) {
    item['dividend-next-date'] = nextDiv.exDate;
    item['dividend-pay-date'] = nextDiv.payDate;
  }
  const earnings = nextEarningsDate(inst, date);
  if (earnings)
    item.earnings = {
      visible: true,
      'expected-report-date': earnings,
      estimated: false,
      'late-flag': 0,
      'quarter-end-date': addDays(earnings, -20),
      'actual-eps': null,
      'consensus-estimate': dec(inst.eps / 4, 2),
      'updated-at': ttTimeZ(t - 86_400_000),
    };
  if (inst.optionable) {
    const today = etDate(t);
    item['option-expiration-implied-volatilities'] = expirations(inst.symbol, today)
      .filter((e) => e.type !== 'W' || daysToExpiration(e.date, today) <= 45)
      .map((e) => {
        const T = Math.max(1, daysToExpiration(e.date, today)) / 365;
        return {
          'expiration-date': e.date,
          'option-chain-type': 'Standard',
          'settlement-type': e.settlement === 'A' ? 'AM' : 'PM',
          'implied-volatility': dec(surfaceVol(inst, iv.ivIndex, q.last, q.last, T), 9),
        };
      });
  }
  return item;
}

function marketMetrics(ctx) {
  const symbols = queryList(ctx.query, 'symbols');
  if (!symbols.length) return ttError(400, 'invalid_request', 'symbols is required');
  const items = symbols
    .map((s) => findInstrument(s))
    .filter((i) => i && i.kind !== 'mmf')
    .map((i) => metricsItem(i, ctx.now));
  return okItems(items, '/market-metrics');
}

function dividends(ctx) {
  const inst = findInstrument(ctx.params.symbol);
  if (!inst) return okItems([], ctx.subPath);
  const today = etDate(ctx.now);
  const y = Number(today.slice(0, 4));
  const items = dividendSchedule(inst, y - 4, y)
    .filter((d) => d.exDate <= today)
    .reverse()
    .map((d) => ({ 'occurred-date': d.exDate, amount: dec(d.amount) }));
  return okItems(items, ctx.subPath);
}

function earnings(ctx) {
  const inst = findInstrument(ctx.params.symbol);
  if (!inst) return okItems([], ctx.subPath);
  const start = ctx.query.get('start-date') || addDays(etDate(ctx.now), -730);
  if (!isDateString(start)) return ttError(400, 'invalid_request', 'start-date must be YYYY-MM-DD');
  const items = previousEarningsDates(inst, etDate(ctx.now), 16)
    .filter((d) => d >= start)
    .map((d, i) => ({ 'occurred-date': d, eps: dec((inst.eps / 4) * (1 - i * 0.02), 2) }));
  return okItems(items, ctx.subPath);
}

function marginConfig(ctx) {
  return ok(
    {
      'risk-free-rate': dec(RISK_FREE_RATE),
      'dividend-yield-default': '0.0',
      'maintenance-margin-multiplier': '1.0',
    },
    ctx.subPath,
  );
}

// ---- option chains --------------------------------------------------------------------

const TICK_SIZES = [{ threshold: '3.0', value: '0.01' }, { value: '0.05' }];

function deliverables(inst, root) {
  return [
    {
      id: 200000 + (inst.ssid % 100000),
      amount: '100.0',
      'deliverable-type': 'Shares',
      'instrument-type': inst.kind === 'index' ? 'Index' : 'Equity',
      percent: '100',
      'root-symbol': root,
      symbol: inst.ttSymbol,
    },
  ];
}

function chainGroups(inst, today) {
  const groups = new Map();
  for (const exp of expirations(inst.symbol, today)) {
    if (!groups.has(exp.root)) groups.set(exp.root, []);
    groups.get(exp.root).push(exp);
  }
  return groups;
}

function optionObject(inst, exp, strike, call, today) {
  return {
    symbol: occSymbol(exp.root, exp.date, call, strike),
    'instrument-type': 'Equity Option',
    active: true,
    'strike-price': dec(strike),
    'root-symbol': exp.root,
    'underlying-symbol': inst.ttSymbol,
    'expiration-date': exp.date,
    'exercise-style': inst.kind === 'index' ? 'European' : 'American',
    'shares-per-contract': 100,
    'option-type': call ? 'C' : 'P',
    'option-chain-type': 'Standard',
    'expiration-type': EXPIRATION_TYPES[exp.type],
    'settlement-type': exp.settlement === 'A' ? 'AM' : 'PM',
    'stops-trading-at': ttTime(
      exp.settlement === 'A'
        ? etToUtc(previousTradingDay(exp.date), 16, 0)
        : etToUtc(exp.date, 16, 0),
    ),
    'market-time-instrument-collection':
      inst.kind === 'index' ? 'Cash Settled Equity Option' : 'Equity Option',
    'days-to-expiration': daysToExpiration(exp.date, today),
    'expires-at': ttTime(expiryMs(exp)),
    'is-closing-only': false,
    'streamer-symbol': streamerSymbol(exp.root, exp.date, call, strike),
  };
}

function chainInst(ctx) {
  const inst = findInstrument(ctx.params.symbol);
  return inst && inst.optionable ? inst : null;
}

function nestedChain(ctx) {
  const inst = chainInst(ctx);
  if (!inst) return ttStatusError(404, `No option chain for ${ctx.params.symbol}`);
  const today = etDate(ctx.now);
  const items = [...chainGroups(inst, today)].map(([root, exps]) => ({
    'underlying-symbol': inst.ttSymbol,
    'root-symbol': root,
    'option-chain-type': 'Standard',
    'shares-per-contract': 100,
    'tick-sizes': TICK_SIZES,
    deliverables: deliverables(inst, root),
    expirations: exps.map((exp) => ({
      'expiration-type': EXPIRATION_TYPES[exp.type],
      'expiration-date': exp.date,
      'days-to-expiration': daysToExpiration(exp.date, today),
      'settlement-type': exp.settlement === 'A' ? 'AM' : 'PM',
      strikes: strikes(inst.symbol, exp, today).map((k) => ({
        'strike-price': dec(k),
        call: occSymbol(root, exp.date, true, k),
        'call-streamer-symbol': streamerSymbol(root, exp.date, true, k),
        put: occSymbol(root, exp.date, false, k),
        'put-streamer-symbol': streamerSymbol(root, exp.date, false, k),
      })),
    })),
  }));
  return okItems(items, `/option-chains/${ctx.params.symbol}/nested`);
}

function compactChain(ctx) {
  const inst = chainInst(ctx);
  if (!inst) return ttStatusError(404, `No option chain for ${ctx.params.symbol}`);
  const today = etDate(ctx.now);
  const items = [];
  for (const [root, exps] of chainGroups(inst, today)) {
    const byType = new Map();
    for (const exp of exps) {
      const key = `${exp.type}:${exp.settlement}`;
      if (!byType.has(key)) byType.set(key, []);
      byType.get(key).push(exp);
    }
    for (const list of byType.values()) {
      const symbols = [];
      const streamers = [];
      for (const exp of list) {
        for (const k of strikes(inst.symbol, exp, today)) {
          for (const call of [true, false]) {
            symbols.push(occSymbol(root, exp.date, call, k));
            streamers.push(streamerSymbol(root, exp.date, call, k));
          }
        }
      }
      items.push({
        'underlying-symbol': inst.ttSymbol,
        'root-symbol': root,
        'option-chain-type': 'Standard',
        'settlement-type': list[0].settlement === 'A' ? 'AM' : 'PM',
        'shares-per-contract': 100,
        'expiration-type': EXPIRATION_TYPES[list[0].type],
        deliverables: deliverables(inst, root),
        symbols,
        'streamer-symbols': streamers,
      });
    }
  }
  return okItems(items, `/option-chains/${ctx.params.symbol}/compact`);
}

function flatChain(ctx) {
  const inst = chainInst(ctx);
  if (!inst) return ttStatusError(404, `No option chain for ${ctx.params.symbol}`);
  const today = etDate(ctx.now);
  const items = [];
  for (const exp of expirations(inst.symbol, today)) {
    for (const k of strikes(inst.symbol, exp, today)) {
      items.push(optionObject(inst, exp, k, true, today), optionObject(inst, exp, k, false, today));
    }
  }
  return okItems(items, `/option-chains/${ctx.params.symbol}`);
}

// ---- instruments ----------------------------------------------------------------------

function equityObject(inst) {
  return {
    id: inst.ssid % 1000000,
    symbol: inst.ttSymbol,
    'instrument-type': 'Equity',
    cusip: inst.cusip || null,
    'short-description': inst.description.split(' ').slice(0, 2).join(' ').toUpperCase(),
    'is-index': inst.kind === 'index',
    'listed-market': listedMarket(inst),
    description: inst.description,
    lendability: 'Easy To Borrow',
    'borrow-rate': '0.0',
    'market-time-instrument-collection': 'Equity',
    'is-closing-only': false,
    'is-options-closing-only': false,
    active: true,
    'is-fractional-quantity-eligible': inst.kind === 'stock' || inst.kind === 'etf',
    'is-illiquid': false,
    'is-etf': inst.kind === 'etf',
    'streamer-symbol': inst.ttSymbol,
    'tick-sizes': [{ threshold: '1.0', value: '0.0001' }, { value: '0.01' }],
    'option-tick-sizes': inst.optionable
      ? [{ threshold: '3.0', value: '0.01' }, { value: '0.05' }]
      : [],
  };
}

function equityInstrument(ctx) {
  const inst = findInstrument(ctx.params.symbol);
  if (!inst || inst.kind === 'mmf')
    return ttStatusError(404, `Equity ${ctx.params.symbol} not found`);
  return ok(equityObject(inst), `/instruments/equities/${ctx.params.symbol}`);
}

function equityInstruments(ctx) {
  const symbols = queryList(ctx.query, 'symbol');
  const items = symbols
    .map((s) => findInstrument(s))
    .filter((i) => i && i.kind !== 'mmf')
    .map(equityObject);
  return okItems(items, '/instruments/equities');
}

function activeEquities(ctx) {
  const all = INSTRUMENTS.filter((i) => i.kind === 'stock' || i.kind === 'etf').map(equityObject);
  const { items, pagination } = paginate(all, ctx.query, 1000, 5000);
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ data: { items }, context: '/instruments/equities/active', pagination }),
  };
}

function equityOption(ctx) {
  const parts = parseOcc(ctx.params.symbol);
  const today = etDate(ctx.now);
  const contract = parts && lookupContract(parts, today);
  if (!contract) return ttStatusError(404, `Equity option ${ctx.params.symbol} not found`);
  return ok(
    optionObject(contract.inst, contract.exp, contract.strike, contract.call, today),
    `/instruments/equity-options/${ctx.params.symbol}`,
  );
}

function equityOptions(ctx) {
  const today = etDate(ctx.now);
  const items = queryListNoSplit(ctx.query, 'symbol')
    .map((s) => lookupContract(parseOcc(s), today))
    .filter(Boolean)
    .map((c) => optionObject(c.inst, c.exp, c.strike, c.call, today));
  return okItems(items, '/instruments/equity-options');
}

function precisions() {
  return okItems(
    [
      { 'instrument-type': 'Equity', value: 5, 'minimum-increment-precision': 0 },
      { 'instrument-type': 'Equity Option', value: 0, 'minimum-increment-precision': 0 },
      { 'instrument-type': 'Cryptocurrency', value: 8, 'minimum-increment-precision': 8 },
    ],
    '/instruments/quantity-decimal-precisions',
  );
}

function symbolSearch(ctx) {
  const q = ctx.params.query.toUpperCase();
  const items = INSTRUMENTS.filter((i) => i.kind !== 'mmf')
    .filter(
      (i) =>
        i.ttSymbol.startsWith(q) ||
        i.description
          .toUpperCase()
          .split(/\s+/)
          .some((w) => w.startsWith(q)),
    )
    .sort(
      (a, b) =>
        (a.ttSymbol.startsWith(q) ? 0 : 1) - (b.ttSymbol.startsWith(q) ? 0 : 1) ||
        a.ttSymbol.localeCompare(b.ttSymbol),
    )
    .slice(0, 20)
    .map((i) => ({
      symbol: i.ttSymbol,
      description: i.description,
      'listed-market': listedMarket(i),
      'price-increments': '0.01',
      'trading-hours': '',
      options: i.optionable,
      'instrument-type': i.kind === 'index' ? 'Index' : 'Equity',
    }));
  return okItems(items, `/symbols/search/${ctx.params.query}`);
}

// ---- market time ----------------------------------------------------------------------

const COLLECTIONS = ['Equity', 'CME', 'CFE', 'Smalls'];

function sessionOf(collection, date) {
  if (!isTradingDay(date)) return null;
  const reg = regularSession(date);
  if (collection === 'Equity' || collection === 'Smalls') {
    return {
      'session-date': date,
      'start-at': ttTime(etToUtc(date, 4, 0)),
      'open-at': ttTime(etToUtc(date, 9, 30)),
      'close-at': ttTime(etToUtc(date, Math.floor(reg.closeMinute / 60), reg.closeMinute % 60)),
      'close-at-ext': ttTime(etToUtc(date, reg.closeMinute === 960 ? 20 : 17, 0)),
      'instrument-collection': collection,
    };
  }
  const prev = previousTradingDay(date);
  return {
    'session-date': date,
    'start-at': ttTime(etToUtc(prev, 18, 0)),
    'open-at': ttTime(etToUtc(prev, 18, 0)),
    'close-at': ttTime(
      etToUtc(date, collection === 'CFE' ? 16 : 17, collection === 'CFE' ? 15 : 0),
    ),
    'instrument-collection': collection,
  };
}

function currentSession(collection, t) {
  const today = etDate(t);
  const cur = sessionOf(collection, isTradingDay(today) ? today : nextTradingDay(today));
  const nextDate = nextTradingDay(cur['session-date']);
  const prevDate = previousTradingDay(cur['session-date']);
  const openAt = Date.parse(cur['open-at']);
  const closeAt = Date.parse(cur['close-at']);
  const startAt = Date.parse(cur['start-at']);
  const ext = cur['close-at-ext'] ? Date.parse(cur['close-at-ext']) : closeAt;
  let state = 'Closed';
  if (t >= openAt && t < closeAt) state = 'Open';
  else if (t >= startAt && t < openAt) state = 'Pre-Trading';
  else if (t >= closeAt && t < ext) state = 'Extended';
  return {
    ...cur,
    state,
    timezone: 'America/New_York',
    'next-session': sessionOf(collection, nextDate),
    'previous-session': sessionOf(collection, prevDate),
  };
}

function sessions(ctx) {
  const wanted = queryList(ctx.query, 'instrument-collections');
  const list = wanted.length ? wanted : ['Equity'];
  const bad = list.find((c) => !COLLECTIONS.includes(c));
  if (bad) return ttError(400, 'invalid_request', `Unknown instrument collection ${bad}`);
  return okItems(
    list.map((c) => currentSession(c, ctx.now)),
    '/market-time/sessions/current',
  );
}

function sessionsRange(ctx) {
  const wanted = queryList(ctx.query, 'instrument-collections');
  const list = wanted.length ? wanted : ['Equity'];
  const start = ctx.query.get('start-date') || etDate(ctx.now);
  const end = ctx.query.get('end-date') || (isDateString(start) ? addDays(start, 7) : start);
  if (!isDateString(start) || !isDateString(end))
    return ttError(400, 'invalid_request', 'start-date and end-date must be YYYY-MM-DD');
  if (dayNumber(end) - dayNumber(start) > 366)
    return ttError(400, 'invalid_request', 'The range may not exceed one year');
  const items = [];
  for (const c of list) {
    for (let d = start; d <= end; d = addDays(d, 1)) {
      const s = sessionOf(c, d);
      if (s) items.push(s);
    }
  }
  return okItems(items, '/market-time/sessions');
}

function holidayCalendar(ctx) {
  const y = Number(etDate(ctx.now).slice(0, 4));
  const all = [...holidays(y - 1).keys(), ...holidays(y).keys(), ...holidays(y + 1).keys()];
  const half = [];
  for (const yy of [y - 1, y, y + 1]) {
    // Early closes fall on July 3, the day after Thanksgiving or December 24.
    const candidates = [`${yy}-07-03`, `${yy}-12-24`];
    for (let d = `${yy}-11-23`; d <= `${yy}-11-29`; d = addDays(d, 1)) candidates.push(d);
    for (const d of candidates) if (earlyCloseMinute(d)) half.push(d);
  }
  return ok({ holidays: all, 'half-days': half.sort() }, ctx.subPath);
}

export function registerTastytradeMarket(router) {
  const auth = { auth: true };
  router.add('GET', '/market-data/by-type', byType, auth);
  router.add('GET', '/market-data/:type/:symbol', singleSnapshot, auth);
  router.add('GET', '/market-metrics', marketMetrics, auth);
  router.add('GET', '/market-metrics/historic-corporate-events/dividends/:symbol', dividends, auth);
  router.add(
    'GET',
    '/market-metrics/historic-corporate-events/earnings-reports/:symbol',
    earnings,
    auth,
  );
  router.add('GET', '/margin-requirements-public-configuration', marginConfig, { userAgent: true });
  router.add('GET', '/option-chains/:symbol/nested', nestedChain, auth);
  router.add('GET', '/option-chains/:symbol/compact', compactChain, auth);
  router.add('GET', '/option-chains/:symbol', flatChain, auth);
  router.add(
    'GET',
    '/futures-option-chains/:symbol/nested',
    (ctx) => ttStatusError(404, `No futures option chain for ${ctx.params.symbol}`),
    auth,
  );
  router.add(
    'GET',
    '/futures-option-chains/:symbol',
    (ctx) => ttStatusError(404, `No futures option chain for ${ctx.params.symbol}`),
    auth,
  );
  router.add('GET', '/instruments/equities/active', activeEquities, auth);
  router.add('GET', '/instruments/equities/:symbol', equityInstrument, auth);
  router.add('GET', '/instruments/equities', equityInstruments, auth);
  router.add('GET', '/instruments/equity-options/:symbol', equityOption, auth);
  router.add('GET', '/instruments/equity-options', equityOptions, auth);
  router.add('GET', '/instruments/quantity-decimal-precisions', precisions, auth);
  for (const path of [
    'futures',
    'future-products',
    'future-option-products',
    'future-options',
    'cryptocurrencies',
    'warrants',
  ]) {
    router.add('GET', `/instruments/${path}`, (ctx) => okItems([], `/instruments/${path}`), auth);
    router.add(
      'GET',
      `/instruments/${path}/:symbol`,
      (ctx) => ttStatusError(404, `${ctx.params.symbol} not found`),
      auth,
    );
  }
  router.add('GET', '/symbols/search/:query', symbolSearch, auth);
  router.add('GET', '/market-time/sessions/current', sessions, auth);
  router.add('GET', '/market-time/sessions', sessionsRange, auth);
  router.add('GET', '/market-time/equities/holidays', holidayCalendar, auth);
  router.add('GET', '/market-time/futures/holidays/:exchange', holidayCalendar, auth);
}
