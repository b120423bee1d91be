// Schwab Market Data API double (/marketdata/v1): quotes, option chains,
// expiration chains, price history, movers, market hours and instruments.
// All numbers come from the deterministic generators in data/, so a quote, a
// chain and a candle for the same symbol and instant agree.

import {
  addDays,
  dayNumber,
  equitySessions,
  etDate,
  etToUtc,
  formatEt,
  isTradingDay,
  previousTradingDay,
  tradingDaysBetween,
} from '../data/calendar.mjs';
import {
  INSTRUMENTS,
  dividendSchedule,
  findByCusip,
  findInstrument,
  nextEarningsDate,
  previousEarningsDates,
} from '../data/instruments.mjs';
import {
  RISK_FREE_RATE,
  blackScholes,
  daysToExpiration,
  expirations,
  expiryMs,
  lookupContract,
  optionQuote,
  parseOcc,
  schwabOptionCusip,
  strikes,
} from '../data/options.mjs';
import {
  aggregateDays,
  aggregateMinutes,
  dayBars,
  minuteCandles,
  sessionBar,
  sessionDate,
  underlyingQuote,
} from '../data/prices.mjs';
import { HttpError, json, queryBool, queryList, table } from '../http-util.mjs';
import { correlHeaders, marketError } from './errors.mjs';

function ok(body) {
  return json(200, body, correlHeaders());
}

function bad(detail, parameter) {
  return new HttpError(marketError(400, detail, parameter ? { parameter } : undefined));
}

const r2 = (x) => Math.round(x * 100) / 100;
const r3 = (x) => Math.round(x * 1000) / 1000;
const r4 = (x) => Math.round(x * 10000) / 10000;

function isoDay(date) {
  return `${date}T00:00:00Z`;
}

// ---- quotes ------------------------------------------------------------------

function fundamentalBlock(inst, q) {
  const year = Number(q.date.slice(0, 4));
  const divs = dividendSchedule(inst, year - 1, year + 1);
  const past = divs.filter((d) => d.exDate <= q.date);
  const next = divs.find((d) => d.exDate > q.date);
  const last = past[past.length - 1];
  const out = {
    avg10DaysVolume: inst.avgVolume,
    avg1YearVolume: Math.round(inst.avgVolume * 1.04),
    divAmount: last ? r2(last.amount * 4) : 0,
    divFreq: divs.length ? 4 : null,
    divPayAmount: last ? last.amount : 0,
    divYield: r4(inst.divYield * 100),
    eps: inst.eps,
    fundLeverageFactor: 0,
    peRatio: inst.eps > 0 ? r2(q.last / inst.eps) : 0,
  };
  if (last) {
    out.declarationDate = isoDay(last.declarationDate);
    out.divExDate = isoDay(last.exDate);
    out.divPayDate = isoDay(last.payDate);
  }
  if (next) {
    out.nextDivExDate = isoDay(next.exDate);
    out.nextDivPayDate = isoDay(next.payDate);
  }
  const earnings = previousEarningsDates(inst, q.date, 1)[0];
  if (earnings) out.lastEarningsDate = isoDay(earnings);
  if (inst.kind === 'etf') out.fundStrategy = 'P';
  return out;
}

function equityQuote(inst, t) {
  const q = underlyingQuote(inst, t);
  const netChange = r4(q.last - q.prevClose);
  const pct = q.prevClose ? r4((netChange / q.prevClose) * 100) : 0;
  const markChange = r4(q.last - q.prevClose);
  const state = q.state;
  const extended = state === 'PRE' || state === 'POST';
  const mic = inst.exchange === 'Q' ? 'XNAS' : inst.exchange === 'N' ? 'XNYS' : 'ARCX';
  if (inst.kind === 'index') {
    return {
      assetMainType: 'INDEX',
      symbol: inst.symbol,
      realtime: true,
      ssid: inst.ssid,
      reference: { description: inst.description, exchange: '0', exchangeName: 'Index' },
      quote: {
        '52WeekHigh': q.high52,
        '52WeekLow': q.low52,
        closePrice: q.prevClose,
        highPrice: q.high,
        lastPrice: q.last,
        lowPrice: q.low,
        netChange,
        netPercentChange: pct,
        openPrice: q.open,
        securityStatus: 'Unknown',
        totalVolume: Math.round(q.volume),
        tradeTime: q.tradeTime,
      },
    };
  }
  if (inst.kind === 'mmf') {
    return {
      assetMainType: 'MUTUAL_FUND',
      assetSubType: 'MMF',
      realtime: true,
      ssid: inst.ssid,
      symbol: inst.symbol,
      fundamental: {
        avg10DaysVolume: 0,
        avg1YearVolume: 0,
        divAmount: 0,
        divFreq: 12,
        divPayAmount: 0,
        divYield: r4(inst.divYield * 100),
        eps: 0,
        fundLeverageFactor: 0,
        peRatio: 0,
      },
      quote: {
        '52WeekHigh': 1,
        '52WeekLow': 1,
        closePrice: 1,
        nAV: 1,
        netChange: 0,
        netPercentChange: 0,
        securityStatus: 'Normal',
        totalVolume: 0,
        tradeTime: q.tradeTime,
      },
      reference: {
        cusip: inst.cusip,
        description: inst.description,
        exchange: 'm',
        exchangeName: 'MUTUAL_FUND',
      },
    };
  }
  const body = {
    assetMainType: 'EQUITY',
    assetSubType: inst.kind === 'etf' ? 'ETF' : 'COE',
    quoteType: 'NBBO',
    realtime: true,
    ssid: inst.ssid,
    symbol: inst.symbol,
    extended: {
      askPrice: extended ? q.ask : 0,
      askSize: extended ? q.askSize : 0,
      bidPrice: extended ? q.bid : 0,
      bidSize: extended ? q.bidSize : 0,
      lastPrice: extended ? q.last : 0,
      lastSize: extended ? q.lastSize : 0,
      mark: 0,
      quoteTime: extended ? q.quoteTime : 0,
      totalVolume: 0,
      tradeTime: extended ? q.tradeTime : 0,
    },
    fundamental: fundamentalBlock(inst, q),
    quote: {
      '52WeekHigh': q.high52,
      '52WeekLow': q.low52,
      askMICId: mic,
      askPrice: q.ask,
      askSize: q.askSize,
      askTime: q.quoteTime,
      bidMICId: mic,
      bidPrice: q.bid,
      bidSize: q.bidSize,
      bidTime: q.quoteTime,
      closePrice: q.prevClose,
      highPrice: q.high,
      lastMICId: mic,
      lastPrice: q.last,
      lastSize: q.lastSize,
      lowPrice: q.low,
      mark: q.last,
      markChange,
      markPercentChange: pct,
      netChange,
      netPercentChange: pct,
      openPrice: q.open,
      postMarketChange: 0,
      postMarketPercentChange: 0,
      quoteTime: q.quoteTime,
      securityStatus: 'Normal',
      totalVolume: q.volume,
      tradeTime: q.tradeTime,
      volatility: r4(inst.iv / Math.sqrt(252)),
    },
    reference: {
      cusip: inst.cusip,
      description: inst.description,
      exchange: inst.exchange,
      exchangeName: inst.exchangeName,
      isHardToBorrow: false,
      isShortable: true,
      htbRate: 0,
    },
    regular: {
      regularMarketLastPrice: q.last,
      regularMarketLastSize: q.lastSize,
      regularMarketNetChange: netChange,
      regularMarketPercentChange: pct,
      regularMarketTradeTime: q.tradeTime,
    },
  };
  return body;
}

function optionQuoteBody(contract, t) {
  const { inst, exp, strike, call } = contract;
  const oq = optionQuote(contract, t);
  const today = etDate(t);
  const [y, m, d] = exp.date.split('-').map(Number);
  const pct = oq.close ? r4((oq.netChange / oq.close) * 100) : 0;
  return {
    assetMainType: 'OPTION',
    realtime: true,
    ssid: 100000000 + (oq.openInterest % 800000000),
    symbol: oq.symbol,
    quote: {
      '52WeekHigh': r2(oq.high * 2.5),
      '52WeekLow': r2(oq.low * 0.3),
      askPrice: oq.ask,
      askSize: oq.askSize,
      bidPrice: oq.bid,
      bidSize: oq.bidSize,
      closePrice: oq.close,
      delta: r4(oq.delta),
      gamma: r4(oq.gamma),
      highPrice: oq.high,
      impliedYield: r4(RISK_FREE_RATE),
      lastPrice: oq.last,
      lastSize: oq.lastSize,
      lowPrice: oq.low,
      mark: oq.mark,
      markChange: r2(oq.mark - oq.close),
      markPercentChange: oq.close ? r4(((oq.mark - oq.close) / oq.close) * 100) : 0,
      moneyIntrinsicValue: r2(call ? oq.underlyingPrice - strike : strike - oq.underlyingPrice),
      netChange: oq.netChange,
      netPercentChange: pct,
      openInterest: oq.openInterest,
      openPrice: oq.open,
      quoteTime: oq.quoteTime,
      rho: r4(oq.rho),
      securityStatus: 'Normal',
      theoreticalOptionValue: r3(oq.theo),
      theta: r4(oq.theta),
      timeValue: r2(oq.extrinsic),
      totalVolume: oq.volume,
      tradeTime: oq.tradeTime,
      underlyingPrice: oq.underlyingPrice,
      vega: r4(oq.vega),
      volatility: r4(oq.volatility * 100),
    },
    reference: {
      contractType: call ? 'C' : 'P',
      cusip: schwabOptionCusip(exp.root, exp.date, call, strike),
      daysToExpiration: daysToExpiration(exp.date, today),
      deliverables: `100 ${inst.ttSymbol}`,
      description: `${inst.ttSymbol} ${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][m - 1]} ${d} ${y} ${strike} ${call ? 'Call' : 'Put'}`,
      exchange: 'o',
      exchangeName: 'OPR',
      exerciseType: inst.kind === 'index' ? 'E' : 'A',
      expirationDay: d,
      expirationMonth: m,
      expirationType: exp.type,
      expirationYear: y,
      isPennyPilot: true,
      lastTradingDay: etToUtc(exp.date, 20, 0),
      multiplier: 100,
      settlementType: exp.settlement,
      strikePrice: strike,
      underlying: inst.description.toUpperCase(),
    },
  };
}

const QUOTE_FIELDS = ['quote', 'fundamental', 'extended', 'reference', 'regular'];

function quoteFor(symbol, t) {
  const parts = parseOcc(symbol);
  if (parts) {
    const contract = lookupContract(parts, etDate(t));
    return contract ? optionQuoteBody(contract, t) : null;
  }
  const inst = findInstrument(symbol);
  return inst ? equityQuote(inst, t) : null;
}

function selectFields(body, fields) {
  if (!fields.length || fields.includes('all')) return body;
  const out = {};
  for (const [k, v] of Object.entries(body)) {
    if (!QUOTE_FIELDS.includes(k) || fields.includes(k)) out[k] = v;
  }
  return out;
}

function parseFields(ctx) {
  const fields = queryList(ctx.query, 'fields').map((f) => f.toLowerCase());
  const badField = fields.find((f) => f !== 'all' && !QUOTE_FIELDS.includes(f));
  if (badField)
    throw bad(
      `Invalid field '${badField}'; valid values are quote, fundamental, extended, reference, regular, all`,
      'fields',
    );
  return fields;
}

function quotes(ctx) {
  const symbols = queryList(ctx.query, 'symbols');
  const cusips = queryList(ctx.query, 'cusips');
  const fields = parseFields(ctx);
  if (!symbols.length && !cusips.length)
    throw bad('Either symbols, cusips or ssids must be provided', 'symbols');
  if (symbols.length + cusips.length > 500)
    throw bad('Search combination should not exceed 500.', 'symbols');
  const out = {};
  const invalid = [];
  for (const s of symbols) {
    const body = quoteFor(s, ctx.now);
    if (body) out[s] = selectFields(body, fields);
    else invalid.push(s);
  }
  const invalidCusips = [];
  for (const c of cusips) {
    const inst = findByCusip(c);
    if (inst) out[inst.symbol] = selectFields(equityQuote(inst, ctx.now), fields);
    else invalidCusips.push(c);
  }
  if (queryBool(ctx.query, 'indicative', false)) {
    for (const s of symbols) {
      const inst = findInstrument(s);
      if (inst && inst.kind === 'etf') {
        const q = underlyingQuote(inst, ctx.now);
        out[`$${inst.symbol}.IV`] = {
          assetMainType: 'INDEX',
          symbol: `$${inst.symbol}.IV`,
          realtime: true,
          quote: { lastPrice: q.last, tradeTime: q.tradeTime },
        };
      }
    }
  }
  if (invalid.length || invalidCusips.length) {
    out.errors = {};
    if (invalid.length) out.errors.invalidSymbols = invalid;
    if (invalidCusips.length) out.errors.invalidCusips = invalidCusips;
  }
  return ok(out);
}

function singleQuote(ctx) {
  const symbol = ctx.params.symbol;
  const fields = parseFields(ctx);
  const body = quoteFor(symbol, ctx.now);
  if (!body) return ok({ errors: { invalidSymbols: [symbol] } });
  return ok({ [symbol]: selectFields(body, fields) });
}

// ---- option chains ---------------------------------------------------------------

function strikeKey(k) {
  return Number.isInteger(k) ? `${k}.0` : String(k);
}

function contractBody(contract, t, today, overrides, underlying) {
  const { inst, exp, strike, call } = contract;
  let oq = optionQuote(contract, t, underlying);
  if (overrides) {
    const T = Math.max(0, (overrides.days ?? daysToExpiration(exp.date, today)) / 365);
    const g = blackScholes({
      S: overrides.S ?? oq.underlyingPrice,
      K: strike,
      T,
      r: overrides.r ?? RISK_FREE_RATE,
      q: inst.divYield,
      sigma: overrides.sigma ?? oq.volatility,
      call,
    });
    oq = {
      ...oq,
      theo: g.price,
      delta: g.delta,
      gamma: g.gamma,
      theta: g.theta,
      vega: g.vega,
      rho: g.rho,
      volatility: overrides.sigma ?? oq.volatility,
    };
  }
  const [y, m, d] = exp.date.split('-').map(Number);
  const dte = daysToExpiration(exp.date, today);
  const pct = oq.close ? r2(((oq.last - oq.close) / oq.close) * 100) : 0;
  return {
    putCall: call ? 'CALL' : 'PUT',
    symbol: oq.symbol,
    description: `${exp.root} ${String(m).padStart(2, '0')}/${String(d).padStart(2, '0')}/${y} ${strike.toFixed(2)} ${call ? 'C' : 'P'}`,
    exchangeName: 'OPR',
    bid: oq.bid,
    ask: oq.ask,
    last: oq.last,
    mark: r2(oq.mark),
    bidSize: oq.bidSize,
    askSize: oq.askSize,
    bidAskSize: `${oq.bidSize}X${oq.askSize}`,
    lastSize: oq.lastSize,
    highPrice: oq.high,
    lowPrice: oq.low,
    openPrice: 0,
    closePrice: oq.close,
    totalVolume: oq.volume,
    tradeTimeInLong: oq.tradeTime,
    quoteTimeInLong: oq.quoteTime,
    netChange: oq.netChange,
    volatility: r3(oq.volatility * 100),
    delta: r3(oq.delta),
    gamma: r3(oq.gamma),
    theta: r3(oq.theta),
    vega: r3(oq.vega),
    rho: r3(oq.rho),
    openInterest: oq.openInterest,
    timeValue: r2(oq.extrinsic),
    theoreticalOptionValue: r3(oq.theo),
    theoreticalVolatility: 29,
    optionDeliverablesList: [
      {
        symbol: inst.ttSymbol,
        assetType: inst.kind === 'index' ? 'INDEX' : 'STOCK',
        deliverableUnits: 100,
      },
    ],
    strikePrice: strike,
    expirationDate: new Date(expiryMs(exp)).toISOString().replace('Z', '+00:00'),
    daysToExpiration: dte,
    expirationType: exp.type,
    lastTradingDay: etToUtc(exp.date, 20, 0),
    multiplier: 100,
    settlementType: exp.settlement,
    deliverableNote: `100 ${inst.ttSymbol}`,
    percentChange: pct,
    markChange: r2(oq.mark - oq.close),
    markPercentChange: oq.close ? r2(((oq.mark - oq.close) / oq.close) * 100) : 0,
    intrinsicValue: oq.intrinsic,
    extrinsicValue: r2(oq.extrinsic),
    optionRoot: exp.root,
    exerciseType: inst.kind === 'index' ? 'E' : 'A',
    high52Week: r2(oq.high * 2.5),
    low52Week: r2(oq.low * 0.3),
    nonStandard: false,
    pennyPilot: true,
    inTheMoney: oq.inTheMoney,
    mini: false,
  };
}

function underlyingBlock(inst, t) {
  const q = underlyingQuote(inst, t);
  const change = r2(q.last - q.prevClose);
  return {
    symbol: inst.symbol,
    description: inst.description,
    change,
    percentChange: q.prevClose ? r2((change / q.prevClose) * 100) : 0,
    close: q.prevClose,
    quoteTime: q.quoteTime,
    tradeTime: q.tradeTime,
    bid: q.bid,
    ask: q.ask,
    last: q.last,
    mark: q.last,
    markChange: change,
    markPercentChange: q.prevClose ? r2((change / q.prevClose) * 100) : 0,
    bidSize: Math.round(q.bidSize / 100),
    askSize: Math.round(q.askSize / 100),
    highPrice: q.high,
    lowPrice: q.low,
    openPrice: q.open,
    totalVolume: q.volume,
    // Real responses carry names such as "NASDAQ" that are outside the published enum.
    exchangeName: inst.kind === 'index' ? 'IND' : inst.exchangeName,
    fiftyTwoWeekHigh: q.high52,
    fiftyTwoWeekLow: q.low52,
    delayed: false,
  };
}

const RANGES = ['ITM', 'NTM', 'OTM', 'SAK', 'SBK', 'SNK', 'ALL'];
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

function chains(ctx) {
  const q = ctx.query;
  const symbol = q.get('symbol');
  if (!symbol) throw bad('symbol is required', 'symbol');
  const contractType = (q.get('contractType') || 'ALL').toUpperCase();
  if (!['CALL', 'PUT', 'ALL'].includes(contractType))
    throw bad(`Invalid contractType '${contractType}'`, 'contractType');
  const strategy = (q.get('strategy') || 'SINGLE').toUpperCase();
  if (!['SINGLE', 'ANALYTICAL'].includes(strategy))
    throw bad(
      `strategy ${strategy} is not supported by the sandbox (SINGLE, ANALYTICAL)`,
      'strategy',
    );
  const range = (q.get('range') || 'ALL').toUpperCase();
  if (!RANGES.includes(range)) throw bad(`Invalid range '${range}'`, 'range');
  const strikeCount = q.get('strikeCount') ? Number(q.get('strikeCount')) : null;
  if (strikeCount !== null && !(strikeCount > 0))
    throw bad('strikeCount must be a positive integer', 'strikeCount');
  const strikeFilter = q.get('strike') ? Number(q.get('strike')) : null;
  const fromDate = q.get('fromDate');
  const toDate = q.get('toDate');
  for (const [name, v] of [
    ['fromDate', fromDate],
    ['toDate', toDate],
  ]) {
    if (v && !/^\d{4}-\d{2}-\d{2}$/.test(v)) throw bad(`${name} must be yyyy-MM-dd`, name);
  }
  const expMonth = (q.get('expMonth') || 'ALL').toUpperCase();
  const optionType = (q.get('optionType') || 'ALL').toUpperCase();
  const includeUnderlying = queryBool(q, 'includeUnderlyingQuote', false);

  const inst = findInstrument(symbol);
  const t = ctx.now;
  const today = etDate(t);
  if (!inst || !inst.optionable) {
    return ok({
      symbol,
      status: 'FAILED',
      underlying: null,
      strategy,
      interval: 0,
      isDelayed: false,
      isIndex: false,
      interestRate: r3(RISK_FREE_RATE * 100),
      underlyingPrice: 0,
      volatility: 29,
      daysToExpiration: 0,
      numberOfContracts: 0,
      callExpDateMap: {},
      putExpDateMap: {},
    });
  }
  const uq = underlyingQuote(inst, t);
  const overrides =
    strategy === 'ANALYTICAL'
      ? {
          sigma: q.get('volatility') ? Number(q.get('volatility')) / 100 : undefined,
          S: q.get('underlyingPrice') ? Number(q.get('underlyingPrice')) : undefined,
          r: q.get('interestRate') ? Number(q.get('interestRate')) / 100 : undefined,
          days: q.get('daysToExpiration') ? Number(q.get('daysToExpiration')) : undefined,
        }
      : null;
  const S = overrides?.S ?? uq.last;
  const callMap = {};
  const putMap = {};
  let count = 0;
  for (const exp of expirations(inst.symbol, today)) {
    if (fromDate && exp.date < fromDate) continue;
    if (toDate && exp.date > toDate) continue;
    if (expMonth !== 'ALL' && MONTHS[Number(exp.date.slice(5, 7)) - 1] !== expMonth) continue;
    if (optionType === 'S' && exp.type !== 'S') continue;
    if (optionType === 'NS' && exp.type === 'S') continue;
    let ladder = strikes(inst.symbol, exp, today);
    if (strikeFilter !== null) ladder = ladder.filter((k) => Math.abs(k - strikeFilter) < 1e-9);
    if (strikeCount !== null) {
      let atm = 0;
      for (let i = 0; i < ladder.length; i++)
        if (Math.abs(ladder[i] - S) < Math.abs(ladder[atm] - S)) atm = i;
      const below = Math.floor(strikeCount / 2);
      const start = Math.max(0, Math.min(atm - below, ladder.length - strikeCount));
      ladder = ladder.slice(start, start + strikeCount);
    }
    const key = `${exp.date}:${daysToExpiration(exp.date, today)}`;
    for (const call of [true, false]) {
      if (contractType === 'CALL' && !call) continue;
      if (contractType === 'PUT' && call) continue;
      const map = call ? callMap : putMap;
      for (const k of ladder) {
        const itm = call ? k < S : k > S;
        const near = Math.abs(k - S) / S < 0.05;
        if (range === 'ITM' && !itm) continue;
        if (range === 'OTM' && itm) continue;
        if (range === 'NTM' && !near) continue;
        if (range === 'SAK' && k <= S) continue;
        if (range === 'SBK' && k >= S) continue;
        if (range === 'SNK' && !near) continue;
        map[key] ??= {};
        map[key][strikeKey(k)] = [
          contractBody({ inst, exp, strike: k, call, root: exp.root }, t, today, overrides, uq),
        ];
        count++;
      }
    }
  }
  return ok({
    symbol: inst.symbol,
    status: 'SUCCESS',
    underlying: includeUnderlying ? underlyingBlock(inst, t) : null,
    strategy,
    interval: 0,
    isDelayed: false,
    isIndex: inst.kind === 'index',
    interestRate: r3((overrides?.r ?? RISK_FREE_RATE) * 100),
    underlyingPrice: r2(S),
    volatility: r3((overrides?.sigma ?? uq.ivIndex) * 100),
    daysToExpiration: overrides?.days ?? 0,
    dividendYield: r3(inst.divYield * 100),
    numberOfContracts: count,
    assetMainType: inst.kind === 'index' ? 'INDEX' : 'EQUITY',
    assetSubType: inst.kind === 'etf' ? 'ETF' : inst.kind === 'index' ? 'INDEX' : 'COE',
    isChainTruncated: false,
    callExpDateMap: callMap,
    putExpDateMap: putMap,
  });
}

function expirationChain(ctx) {
  const symbol = ctx.query.get('symbol');
  if (!symbol) throw bad('symbol is required', 'symbol');
  const inst = findInstrument(symbol);
  const today = etDate(ctx.now);
  if (!inst || !inst.optionable) return ok({ expirationList: [], status: 'FAILED' });
  return ok({
    expirationList: expirations(inst.symbol, today).map((e) => ({
      expirationDate: e.date,
      daysToExpiration: daysToExpiration(e.date, today),
      expirationType: e.type,
      settlementType: e.settlement,
      optionRoots: e.root,
      standard: true,
    })),
    status: 'SUCCESS',
  });
}

// ---- price history -------------------------------------------------------------

const PERIODS = table({
  day: [1, 2, 3, 4, 5, 10],
  month: [1, 2, 3, 6],
  year: [1, 2, 3, 5, 10, 15, 20],
  ytd: [1],
});
const FREQ_TYPES = table({
  day: ['minute'],
  month: ['daily', 'weekly'],
  year: ['daily', 'weekly', 'monthly'],
  ytd: ['daily', 'weekly'],
});
const DEFAULT_FREQ_TYPE = table({ day: 'minute', month: 'weekly', year: 'monthly', ytd: 'weekly' });
const DEFAULT_PERIOD = table({ day: 10, month: 1, year: 1, ytd: 1 });
export const MINUTE_HISTORY_DAYS = 35;

/** Schwab stamps daily and longer candles at midnight US Central time. */
function centralMidnight(date) {
  return etToUtc(date, 1, 0);
}

function priceNumber(x) {
  return x >= 10 ? r2(x) : r4(x);
}

function priceHistory(ctx) {
  const q = ctx.query;
  const symbol = q.get('symbol');
  if (!symbol) throw bad('symbol is required', 'symbol');
  const periodType = (q.get('periodType') || 'day').toLowerCase();
  if (!PERIODS[periodType]) throw bad(`Invalid periodType '${periodType}'`, 'periodType');
  const period = q.get('period') ? Number(q.get('period')) : DEFAULT_PERIOD[periodType];
  if (!PERIODS[periodType].includes(period))
    throw bad(
      `period ${period} is not valid for periodType ${periodType}; valid values are ${PERIODS[periodType].join(', ')}`,
      'period',
    );
  const frequencyType = (q.get('frequencyType') || DEFAULT_FREQ_TYPE[periodType]).toLowerCase();
  if (!FREQ_TYPES[periodType].includes(frequencyType))
    throw bad(
      `frequencyType ${frequencyType} is not valid for periodType ${periodType}`,
      'frequencyType',
    );
  const frequency = q.get('frequency') ? Number(q.get('frequency')) : 1;
  if (frequencyType === 'minute' ? ![1, 5, 10, 15, 30].includes(frequency) : frequency !== 1)
    throw bad(
      `frequency ${frequency} is not valid for frequencyType ${frequencyType}`,
      'frequency',
    );
  const startMs = q.get('startDate') ? Number(q.get('startDate')) : null;
  const endMs = q.get('endDate') ? Number(q.get('endDate')) : null;
  if (
    (startMs !== null && !Number.isFinite(startMs)) ||
    (endMs !== null && !Number.isFinite(endMs))
  )
    throw bad('startDate and endDate are milliseconds since the epoch', 'startDate');
  const extended = queryBool(q, 'needExtendedHoursData', true);
  const needPrevious = queryBool(q, 'needPreviousClose', false);

  const inst = findInstrument(symbol);
  if (!inst) return ok({ symbol, empty: true, candles: [] });
  const t = ctx.now;
  const end = Math.min(endMs ?? t, t);
  // The latest session that had started by `end`.
  const lastSession = sessionDate(end);
  let startDate;
  if (startMs !== null) startDate = etDate(startMs);
  else if (periodType === 'day') {
    startDate = lastSession;
    for (let n = 1; n < period; n++) startDate = previousTradingDay(startDate);
  } else if (periodType === 'month') startDate = addDays(lastSession, -Math.round(period * 30.44));
  else if (periodType === 'year') startDate = addDays(lastSession, -Math.round(period * 365.25));
  else startDate = `${lastSession.slice(0, 4)}-01-01`;

  let candles = [];
  if (frequencyType === 'minute') {
    const oldest = addDays(etDate(t), -MINUTE_HISTORY_DAYS);
    const endDate = etDate(end);
    for (const d of tradingDaysBetween(startDate < oldest ? oldest : startDate, endDate)) {
      const mins = minuteCandles(inst, d, { extended, untilMs: end });
      const anchor = extended ? etToUtc(d, 7, 0) : etToUtc(d, 9, 30);
      for (const c of aggregateMinutes(mins, frequency, anchor)) {
        if (startMs !== null && c.time < startMs) continue;
        candles.push({
          open: priceNumber(c.open),
          high: priceNumber(c.high),
          low: priceNumber(c.low),
          close: priceNumber(c.close),
          volume: c.volume,
          datetime: c.time,
        });
      }
    }
  } else {
    let bars = dayBars(inst, startDate, lastSession);
    // The current session's bar is partial until its close.
    if (bars.length && bars[bars.length - 1].date === sessionDate(t)) {
      const partial = sessionBar(inst, end);
      if (partial.date === bars[bars.length - 1].date) bars[bars.length - 1] = partial;
    }
    if (frequencyType === 'weekly') bars = aggregateDays(bars, 'week');
    if (frequencyType === 'monthly') bars = aggregateDays(bars, 'month');
    candles = bars.map((b) => ({
      open: priceNumber(b.open),
      high: priceNumber(b.high),
      low: priceNumber(b.low),
      close: priceNumber(b.close),
      volume: b.volume,
      datetime: centralMidnight(b.date),
    }));
  }
  const body = { symbol: inst.symbol, empty: candles.length === 0, candles };
  if (needPrevious) {
    const prevDate = previousTradingDay(candles.length ? etDate(candles[0].datetime) : startDate);
    const prev = dayBars(inst, prevDate, prevDate)[0];
    if (prev) {
      body.previousClose = priceNumber(prev.close);
      body.previousCloseDate = centralMidnight(prevDate);
    }
  }
  return ok(body);
}

// ---- movers ----------------------------------------------------------------------

const INDEX_MEMBERS = Object.assign(Object.create(null), {
  $DJI: ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'JPM', 'KO', 'DIS', 'INTC'],
  $COMPX: ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOGL', 'META', 'TSLA', 'AMD', 'INTC', 'AMAT', 'NFLX'],
  $SPX: INSTRUMENTS.filter((i) => i.kind === 'stock').map((i) => i.symbol),
  NYSE: INSTRUMENTS.filter((i) => i.kind === 'stock' && i.exchange === 'N').map((i) => i.symbol),
  NASDAQ: INSTRUMENTS.filter(
    (i) => (i.kind === 'stock' || i.kind === 'etf') && i.exchange === 'Q',
  ).map((i) => i.symbol),
  OTCBB: [],
  INDEX_ALL: ['$SPX', '$DJI', '$COMPX', '$VIX'],
  EQUITY_ALL: INSTRUMENTS.filter((i) => i.kind === 'stock' || i.kind === 'etf').map(
    (i) => i.symbol,
  ),
});
INDEX_MEMBERS.OPTION_ALL = INDEX_MEMBERS.EQUITY_ALL;
INDEX_MEMBERS.OPTION_PUT = INDEX_MEMBERS.EQUITY_ALL;
INDEX_MEMBERS.OPTION_CALL = INDEX_MEMBERS.EQUITY_ALL;

function movers(ctx) {
  const index = ctx.params.index;
  const members = INDEX_MEMBERS[index];
  if (!members)
    throw bad(
      `Invalid index '${index}'; valid values are ${Object.keys(INDEX_MEMBERS).join(', ')}`,
      'symbol_id',
    );
  const sort = ctx.query.get('sort') || 'VOLUME';
  if (!['VOLUME', 'TRADES', 'PERCENT_CHANGE_UP', 'PERCENT_CHANGE_DOWN'].includes(sort))
    throw bad(`Invalid sort '${sort}'`, 'sort');
  const frequency = ctx.query.get('frequency') ? Number(ctx.query.get('frequency')) : 0;
  if (![0, 1, 5, 10, 30, 60].includes(frequency))
    throw bad(`Invalid frequency '${ctx.query.get('frequency')}'`, 'frequency');
  const rows = members.map((s) => {
    const inst = findInstrument(s);
    const q = underlyingQuote(inst, ctx.now);
    const netChange = r2(q.last - q.prevClose);
    return {
      description: inst.description.toUpperCase(),
      volume: q.volume,
      lastPrice: q.last,
      netChange,
      marketShare: 0,
      totalVolume: 0,
      trades: Math.round(q.volume / 180),
      netPercentChange: q.prevClose ? r4(netChange / q.prevClose) : 0,
      symbol: inst.symbol,
    };
  });
  const totalVolume = rows.reduce((a, r) => a + r.volume, 0);
  for (const r of rows) {
    r.totalVolume = totalVolume;
    r.marketShare = totalVolume ? r2((r.volume / totalVolume) * 100) : 0;
  }
  let list = rows.filter((r) => Math.abs(r.netPercentChange * 100) >= frequency);
  if (sort === 'VOLUME') list.sort((a, b) => b.volume - a.volume);
  if (sort === 'TRADES') list.sort((a, b) => b.trades - a.trades);
  if (sort === 'PERCENT_CHANGE_UP')
    list = list
      .filter((r) => r.netPercentChange > 0)
      .sort((a, b) => b.netPercentChange - a.netPercentChange);
  if (sort === 'PERCENT_CHANGE_DOWN')
    list = list
      .filter((r) => r.netPercentChange < 0)
      .sort((a, b) => a.netPercentChange - b.netPercentChange);
  return ok({ screeners: list.slice(0, 10) });
}

// ---- market hours ------------------------------------------------------------------

const MARKETS = ['equity', 'option', 'bond', 'future', 'forex'];

function interval(start, end) {
  return { start: formatEt(start), end: formatEt(end) };
}

function hoursFor(market, date) {
  const open = isTradingDay(date);
  const s = equitySessions(date);
  const entry = (marketType, product, productName, sessionHours) => {
    const e = { date, marketType, product, productName, isOpen: open };
    if (open && sessionHours) e.sessionHours = sessionHours;
    return e;
  };
  switch (market) {
    case 'equity':
      return {
        EQ: entry(
          'EQUITY',
          'EQ',
          'equity',
          s && {
            preMarket: [interval(s.preMarket.start, s.preMarket.end)],
            regularMarket: [interval(s.regularMarket.start, s.regularMarket.end)],
            postMarket: [interval(s.postMarket.start, s.postMarket.end)],
          },
        ),
      };
    case 'option':
      return {
        EQO: entry(
          'OPTION',
          'EQO',
          'equity option',
          s && { regularMarket: [interval(s.regularMarket.start, s.regularMarket.end)] },
        ),
        IND: entry(
          'OPTION',
          'IND',
          'index option',
          s && {
            regularMarket: [interval(s.regularMarket.start, s.regularMarket.end + 15 * 60_000)],
          },
        ),
      };
    case 'bond':
      return {
        BON: entry(
          'BOND',
          'BON',
          'bond',
          s && {
            preMarket: [interval(etToUtc(date, 7, 0), etToUtc(date, 8, 0))],
            regularMarket: [interval(etToUtc(date, 8, 0), etToUtc(date, 17, 0))],
            postMarket: [interval(etToUtc(date, 17, 0), etToUtc(date, 20, 0))],
          },
        ),
      };
    case 'future':
      return {
        '/ES': entry(
          'FUTURE',
          '/ES',
          'E-mini S&P 500 Index',
          s && {
            preMarket: [interval(etToUtc(previousTradingDay(date), 18, 0), etToUtc(date, 9, 30))],
            regularMarket: [interval(etToUtc(date, 9, 30), etToUtc(date, 16, 15))],
            outcryMarket: [interval(etToUtc(date, 9, 30), etToUtc(date, 16, 15))],
          },
        ),
      };
    default:
      return {
        forex: entry(
          'FOREX',
          'forex',
          'forex',
          s && {
            regularMarket: [interval(etToUtc(addDays(date, -1), 17, 0), etToUtc(date, 17, 0))],
          },
        ),
      };
  }
}

function parseHoursDate(ctx) {
  const today = etDate(ctx.now);
  const date = ctx.query.get('date') || today;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw bad('date must be YYYY-MM-DD', 'date');
  if (date < today || dayNumber(date) > dayNumber(today) + 366)
    throw bad('Valid date range is from the current date to 1 year from today', 'date');
  return date;
}

function markets(ctx) {
  const list = queryList(ctx.query, 'markets').map((m) => m.toLowerCase());
  if (!list.length) throw bad('markets is required', 'markets');
  const badMarket = list.find((m) => !MARKETS.includes(m));
  if (badMarket) throw bad(`Invalid market '${badMarket}'`, 'markets');
  const date = parseHoursDate(ctx);
  const out = {};
  for (const m of list) out[m] = hoursFor(m, date);
  return ok(out);
}

function market(ctx) {
  const m = ctx.params.market.toLowerCase();
  if (!MARKETS.includes(m)) throw bad(`Invalid market_id '${ctx.params.market}'`, 'market_id');
  const date = parseHoursDate(ctx);
  return ok({ [m]: hoursFor(m, date) });
}

// ---- instruments ---------------------------------------------------------------------

const PROJECTIONS = [
  'symbol-search',
  'symbol-regex',
  'desc-search',
  'desc-regex',
  'search',
  'fundamental',
];

function assetTypeOf(inst) {
  return { stock: 'EQUITY', etf: 'ETF', index: 'INDEX', mmf: 'MUTUAL_FUND' }[inst.kind];
}

function basicInstrument(inst) {
  return {
    cusip: inst.cusip,
    symbol: inst.symbol,
    description: inst.description,
    exchange: inst.kind === 'index' ? 'Index' : inst.exchangeName,
    assetType: assetTypeOf(inst),
  };
}

function fundamentalInst(inst, t) {
  const q = underlyingQuote(inst, t);
  const date = q.date;
  const year = Number(date.slice(0, 4));
  const divs = dividendSchedule(inst, year - 1, year + 1);
  const last = divs.filter((d) => d.exDate <= date).pop();
  const next = divs.find((d) => d.exDate > date);
  const fmt = (d) => (d ? `${d} 00:00:00.0` : '');
  const earnings = nextEarningsDate(inst, date);
  return {
    symbol: inst.symbol,
    high52: q.high52,
    low52: q.low52,
    dividendAmount: last ? r2(last.amount * 4) : 0,
    dividendYield: r2(inst.divYield * 100),
    dividendDate: fmt(last && last.exDate),
    peRatio: inst.eps > 0 ? r2(q.last / inst.eps) : 0,
    pegRatio: inst.eps > 0 ? r2(q.last / inst.eps / 12) : 0,
    pbRatio: r2(4 + (inst.ssid % 200) / 10),
    prRatio: r2(3 + (inst.ssid % 150) / 10),
    pcfRatio: r2(10 + (inst.ssid % 300) / 10),
    grossMarginTTM: r2(30 + (inst.ssid % 400) / 10),
    grossMarginMRQ: r2(31 + (inst.ssid % 400) / 10),
    netProfitMarginTTM: r2(8 + (inst.ssid % 250) / 10),
    netProfitMarginMRQ: r2(9 + (inst.ssid % 250) / 10),
    operatingMarginTTM: r2(12 + (inst.ssid % 300) / 10),
    operatingMarginMRQ: r2(13 + (inst.ssid % 300) / 10),
    returnOnEquity: r2(10 + (inst.ssid % 500) / 10),
    returnOnAssets: r2(4 + (inst.ssid % 200) / 10),
    returnOnInvestment: r2(6 + (inst.ssid % 300) / 10),
    quickRatio: r2(0.8 + (inst.ssid % 20) / 10),
    currentRatio: r2(1 + (inst.ssid % 20) / 10),
    interestCoverage: r2(5 + (inst.ssid % 400) / 10),
    totalDebtToCapital: r2(20 + (inst.ssid % 400) / 10),
    ltDebtToEquity: r2(30 + (inst.ssid % 900) / 10),
    totalDebtToEquity: r2(40 + (inst.ssid % 900) / 10),
    epsTTM: inst.eps,
    epsChangePercentTTM: r2(((inst.ssid % 400) - 100) / 10),
    epsChangeYear: r2(((inst.ssid % 300) - 50) / 10),
    epsChange: 0,
    revChangeYear: r2(((inst.ssid % 250) - 50) / 10),
    revChangeTTM: r2(((inst.ssid % 250) - 40) / 10),
    revChangeIn: 0,
    sharesOutstanding: inst.sharesOutstanding,
    marketCapFloat: r2((inst.sharesOutstanding * 0.99) / 1e6),
    marketCap: r2((inst.sharesOutstanding * q.last) / 1e6),
    bookValuePerShare: r2(q.last / 8),
    shortIntToFloat: 0,
    shortIntDayToCover: 0,
    divGrowthRate3Year: 0,
    dividendPayAmount: last ? last.amount : 0,
    dividendPayDate: fmt(last && last.payDate),
    beta: inst.beta,
    vol1DayAvg: inst.avgVolume,
    vol10DayAvg: inst.avgVolume,
    vol3MonthAvg: inst.avgVolume,
    avg10DaysVolume: inst.avgVolume,
    avg1DayVolume: inst.avgVolume,
    avg3MonthVolume: inst.avgVolume,
    declarationDate: fmt(last && last.declarationDate),
    dividendFreq: divs.length ? 4 : 0,
    eps: inst.eps,
    corpactionDate: fmt(earnings),
    dtnVolume: q.volume,
    nextDividendPayDate: fmt(next && next.payDate),
    nextDividendDate: fmt(next && next.exDate),
    fundLeverageFactor: 0,
  };
}

function instruments(ctx) {
  const symbol = ctx.query.get('symbol');
  const projection = ctx.query.get('projection');
  if (!symbol) throw bad('symbol is required', 'symbol');
  if (!projection) throw bad('projection is required', 'projection');
  if (!PROJECTIONS.includes(projection))
    throw bad(`Invalid projection '${projection}'`, 'projection');
  let found = [];
  const all = INSTRUMENTS;
  const regex = (src) => {
    try {
      return new RegExp(`^(?:${src})$`, 'i');
    } catch {
      throw bad(`Invalid regular expression '${src}'`, 'symbol');
    }
  };
  switch (projection) {
    case 'symbol-search':
    case 'fundamental': {
      const wanted = symbol
        .split(',')
        .map((s) => s.trim().toUpperCase())
        .filter(Boolean);
      found = wanted.map((s) => findInstrument(s)).filter(Boolean);
      break;
    }
    case 'symbol-regex': {
      const re = regex(symbol);
      found = all.filter((i) => re.test(i.symbol));
      break;
    }
    case 'desc-search': {
      const needle = symbol.toLowerCase();
      found = all.filter((i) => i.description.toLowerCase().includes(needle));
      break;
    }
    case 'desc-regex': {
      // An unanchored search of the description; an invalid pattern is a 400, not a 500.
      let re;
      try {
        re = new RegExp(symbol.replace(/^\^|\$$/g, ''), 'i');
      } catch {
        throw bad(`Invalid regular expression '${symbol}'`, 'symbol');
      }
      found = all.filter((i) => re.test(i.description));
      break;
    }
    default: {
      const needle = symbol.toLowerCase();
      found = all.filter(
        (i) =>
          i.symbol.toLowerCase().includes(needle) || i.description.toLowerCase().includes(needle),
      );
    }
  }
  const list = found.map((inst) =>
    projection === 'fundamental'
      ? { fundamental: fundamentalInst(inst, ctx.now), ...basicInstrument(inst) }
      : basicInstrument(inst),
  );
  return ok({ instruments: list });
}

function instrumentByCusip(ctx) {
  const inst = findByCusip(ctx.params.cusip);
  if (!inst)
    return marketError(404, `No instrument found for cusip ${ctx.params.cusip}`, {
      parameter: 'cusip_id',
    });
  return ok({ instruments: [basicInstrument(inst)] });
}

export function registerSchwabMarket(router) {
  const auth = { auth: true };
  router.add('GET', '/marketdata/v1/quotes', quotes, auth);
  router.add('GET', '/marketdata/v1/chains', chains, auth);
  router.add('GET', '/marketdata/v1/expirationchain', expirationChain, auth);
  router.add('GET', '/marketdata/v1/pricehistory', priceHistory, auth);
  router.add('GET', '/marketdata/v1/movers/:index', movers, auth);
  router.add('GET', '/marketdata/v1/markets', markets, auth);
  router.add('GET', '/marketdata/v1/markets/:market', market, auth);
  router.add('GET', '/marketdata/v1/instruments', instruments, auth);
  router.add('GET', '/marketdata/v1/instruments/:cusip', instrumentByCusip, auth);
  router.add('GET', '/marketdata/v1/:symbol/quotes', singleQuote, auth);
}
