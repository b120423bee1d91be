// Schwab wire formatting shared by the trader endpoints: '+0000' timestamps,
// instrument blocks for equities/ETFs/options/money-market funds, and the
// neutral-to-Schwab enum mappings.

import { table } from '../http-util.mjs';
import { parseDate } from '../data/calendar.mjs';
import { describeSchwab, schwabOptionCusip } from '../data/options.mjs';
import { hash32 } from '../data/random.mjs';

const pad = (n, w = 2) => String(n).padStart(w, '0');

/** '2024-05-07T13:30:01+0000' (what Schwab's trader API really sends). */
export function schwabTime(ms) {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+0000`;
}

export function instrumentId(symbol) {
  return 100000000 + (hash32('instrument', symbol) % 900000000);
}

// Positions say 'APPLIED MATLS INC 11/15/2024 $210 Call', transactions 'Cvs Health Corp 08/16/2024 $57.5 Call'.
function optionDescription(inst, parts, upper) {
  const { y, m, d } = parseDate(parts.expDate);
  const strike = Number.isInteger(parts.strike)
    ? String(parts.strike)
    : parts.strike.toFixed(2).replace(/0$/, '');
  const name = upper ? inst.description.toUpperCase() : inst.description;
  return `${name} ${pad(m)}/${pad(d)}/${y} $${strike} ${parts.call ? 'Call' : 'Put'}`;
}

/** `instrument` block of a position or order leg. */
export function accountInstrument(desc, netChange) {
  const { inst } = desc;
  if (desc.kind === 'option') {
    const p = desc.parts;
    const out = {
      assetType: 'OPTION',
      cusip: schwabOptionCusip(p.root, p.expDate, p.call, p.strike),
      symbol: desc.symbol,
      description: optionDescription(inst, p, true),
      instrumentId: instrumentId(desc.symbol),
    };
    if (netChange !== undefined) out.netChange = netChange;
    return {
      ...out,
      type: 'VANILLA',
      putCall: p.call ? 'CALL' : 'PUT',
      underlyingSymbol: inst.ttSymbol,
    };
  }
  if (desc.kind === 'mmf') {
    return {
      assetType: 'CASH_EQUIVALENT',
      cusip: inst.cusip,
      symbol: inst.symbol,
      description: inst.description,
      instrumentId: instrumentId(inst.symbol),
      type: 'MONEY_MARKET_FUND',
    };
  }
  if (inst.kind === 'etf') {
    const out = {
      assetType: 'COLLECTIVE_INVESTMENT',
      cusip: inst.cusip,
      symbol: inst.symbol,
      description: inst.description,
      instrumentId: instrumentId(inst.symbol),
    };
    if (netChange !== undefined) out.netChange = netChange;
    return { ...out, type: 'EXCHANGE_TRADED_FUND' };
  }
  const out = {
    assetType: 'EQUITY',
    cusip: inst.cusip,
    symbol: inst.symbol,
    instrumentId: instrumentId(inst.symbol),
  };
  if (netChange !== undefined) out.netChange = netChange;
  return out;
}

/** Instrument block inside a transaction's transferItems. */
export function transactionInstrument(desc, closingPrice) {
  const { inst } = desc;
  if (desc.kind === 'option') {
    const p = desc.parts;
    const { y, m, d } = parseDate(p.expDate);
    return {
      assetType: 'OPTION',
      status: 'ACTIVE',
      symbol: desc.symbol,
      description: optionDescription(inst, p, false),
      instrumentId: instrumentId(desc.symbol),
      closingPrice,
      expirationDate: `${y}-${pad(m)}-${pad(d)}T05:00:00+0000`,
      optionDeliverables: [],
      optionPremiumMultiplier: 100,
      putCall: p.call ? 'CALL' : 'PUT',
      strikePrice: p.strike,
      type: 'VANILLA',
      underlyingSymbol: inst.ttSymbol,
      underlyingCusip: inst.cusip,
    };
  }
  if (desc.kind === 'mmf') {
    return {
      assetType: 'CASH_EQUIVALENT',
      status: 'ACTIVE',
      symbol: inst.symbol,
      description: inst.description,
      instrumentId: instrumentId(inst.symbol),
      closingPrice: 1,
      type: 'MONEY_MARKET_FUND',
    };
  }
  return {
    assetType: inst.kind === 'etf' ? 'COLLECTIVE_INVESTMENT' : 'EQUITY',
    status: 'ACTIVE',
    symbol: inst.symbol,
    description: inst.description,
    instrumentId: instrumentId(inst.symbol),
    closingPrice,
    ...(inst.kind === 'etf' ? { type: 'EXCHANGE_TRADED_FUND' } : {}),
  };
}

export const CURRENCY_USD = {
  assetType: 'CURRENCY',
  status: 'ACTIVE',
  symbol: 'CURRENCY_USD',
  description: 'USD currency',
  instrumentId: 1,
  closingPrice: 0,
};

export const DURATION_TO_TIF = table({
  DAY: 'day',
  GOOD_TILL_CANCEL: 'gtc',
  FILL_OR_KILL: 'fok',
  IMMEDIATE_OR_CANCEL: 'ioc',
  END_OF_WEEK: 'gtc',
  END_OF_MONTH: 'gtc',
  NEXT_END_OF_MONTH: 'gtc',
});

export const TIF_TO_DURATION = {
  day: 'DAY',
  gtc: 'GOOD_TILL_CANCEL',
  fok: 'FILL_OR_KILL',
  ioc: 'IMMEDIATE_OR_CANCEL',
  gtd: 'GOOD_TILL_CANCEL',
  ext: 'DAY',
};

export const STATUS = {
  working: 'WORKING',
  filled: 'FILLED',
  canceled: 'CANCELED',
  replaced: 'REPLACED',
  rejected: 'REJECTED',
  expired: 'EXPIRED',
  queued: 'QUEUED',
};

/** Schwab instruction of a neutral leg. */
export function instructionOf(leg) {
  if (leg.instruction) return leg.instruction;
  if (leg.desc && leg.desc.kind === 'option') {
    return `${leg.side === 'buy' ? 'BUY' : 'SELL'}_TO_${leg.effect === 'close' ? 'CLOSE' : 'OPEN'}`;
  }
  if (leg.side === 'buy') return leg.effect === 'close' ? 'BUY_TO_COVER' : 'BUY';
  return leg.effect === 'open' ? 'SELL_SHORT' : 'SELL';
}

export function describeOption(inst, exp, call, strike) {
  return describeSchwab(inst, exp, call, strike);
}
