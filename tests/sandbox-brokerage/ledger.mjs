// Broker-neutral bookkeeping for demo accounts: positions, cash, fills and a
// neutral transaction journal, plus mark-to-market and a simplified Reg-T
// margin model. The Schwab and tastytrade modules render this in their own
// shapes.

import { findInstrument } from './data/instruments.mjs';
import { lookupContract, optionQuote, parseOcc, todayOf } from './data/options.mjs';
import { underlyingQuote } from './data/prices.mjs';

/** Describes a symbol: {kind: 'equity'|'option'|'mmf', inst, contract?, multiplier}. */
export function describeSymbol(symbol, t) {
  const parts = parseOcc(symbol);
  if (parts) {
    const inst = findInstrument(parts.underlying);
    if (!inst) return null;
    const contract = lookupContract(parts, todayOf(t));
    return { kind: 'option', inst, parts, contract, multiplier: 100, symbol: normalizeOcc(symbol) };
  }
  const inst = findInstrument(symbol);
  if (!inst || inst.kind === 'index') return null;
  return {
    kind: inst.kind === 'mmf' ? 'mmf' : 'equity',
    inst,
    multiplier: 1,
    symbol: inst.symbol.replace(/^\$/, ''),
  };
}

export function normalizeOcc(symbol) {
  const p = parseOcc(symbol);
  if (!p) return symbol;
  const rest = String(symbol).trim().toUpperCase().replace(/\s+/g, '').slice(p.root.length);
  return p.root.padEnd(6, ' ') + rest;
}

/** Per-unit market quote {bid, ask, mark, last, close} for a held or traded symbol. */
export function unitQuote(desc, t) {
  if (desc.kind === 'option') {
    if (desc.contract) {
      const q = optionQuote(desc.contract, t);
      return { bid: q.bid, ask: q.ask, mark: q.mark, last: q.last, close: q.close, quote: q };
    }
    // Expired or unlisted contract: worth its intrinsic value.
    const u = underlyingQuote(desc.inst, t);
    const intrinsic = Math.max(
      0,
      desc.parts.call ? u.last - desc.parts.strike : desc.parts.strike - u.last,
    );
    return { bid: intrinsic, ask: intrinsic, mark: intrinsic, last: intrinsic, close: intrinsic };
  }
  const q = underlyingQuote(desc.inst, t);
  return { bid: q.bid, ask: q.ask, mark: q.last, last: q.last, close: q.prevClose, quote: q };
}

export function createAccount(fields) {
  return {
    positions: new Map(),
    orders: [],
    transactions: [],
    cash: 0,
    ...fields,
  };
}

/**
 * Applies an execution to an account. quantity is signed (+ buy, - sell);
 * price per unit; fees are a positive amount charged to cash.
 */
export function applyFill(account, { symbol, quantity, price, multiplier, fees = 0, time }) {
  const pos = account.positions.get(symbol);
  account.cash -= quantity * price * multiplier + fees;
  let realized = 0;
  if (!pos) {
    account.positions.set(symbol, {
      symbol,
      quantity,
      averagePrice: price,
      multiplier,
      openedAt: time,
      updatedAt: time,
      realizedToday: 0,
    });
    return { realized };
  }
  const q0 = pos.quantity;
  const q1 = q0 + quantity;
  if (q0 === 0 || Math.sign(q0) === Math.sign(quantity)) {
    pos.averagePrice =
      (pos.averagePrice * Math.abs(q0) + price * Math.abs(quantity)) / Math.abs(q1);
  } else {
    const closed = Math.min(Math.abs(q0), Math.abs(quantity));
    realized = closed * (price - pos.averagePrice) * Math.sign(q0) * multiplier;
    pos.realizedToday = (pos.realizedToday || 0) + realized;
    if (Math.sign(q1) !== Math.sign(q0) && q1 !== 0) {
      pos.averagePrice = price;
      pos.openedAt = time;
    }
  }
  pos.quantity = q1;
  pos.updatedAt = time;
  if (q1 === 0) account.positions.delete(symbol);
  return { realized };
}

/** Current valuation of each position: [{pos, desc, quote, marketValue, ...}]. */
export function valuePositions(account, t) {
  const out = [];
  for (const pos of account.positions.values()) {
    const desc = describeSymbol(pos.symbol, t);
    if (!desc) continue;
    const quote = unitQuote(desc, t);
    const marketValue = pos.quantity * quote.mark * pos.multiplier;
    const dayChange = pos.quantity * (quote.mark - quote.close) * pos.multiplier;
    out.push({ pos, desc, quote, marketValue, dayChange });
  }
  return out;
}

/** Balances and a simplified margin model of an account at instant t. */
export function accountMetrics(account, t) {
  const valued = valuePositions(account, t);
  let longStock = 0;
  let shortStock = 0;
  let longOption = 0;
  let shortOption = 0;
  let mmf = 0;
  let maint = 0;
  let initial = 0;
  let shortOptionReq = 0;
  let cashSecured = 0;
  let dayChange = 0;
  const longShares = new Map();
  for (const v of valued) {
    if (v.desc.kind === 'equity' && v.pos.quantity > 0)
      longShares.set(
        v.desc.inst.symbol,
        (longShares.get(v.desc.inst.symbol) || 0) + v.pos.quantity,
      );
  }
  for (const v of valued) {
    dayChange += v.dayChange;
    const mv = v.marketValue;
    if (v.desc.kind === 'mmf') {
      mmf += mv;
    } else if (v.desc.kind === 'equity') {
      if (mv >= 0) {
        longStock += mv;
        maint += 0.25 * mv;
        initial += 0.5 * mv;
      } else {
        shortStock += -mv;
        maint += 0.3 * -mv;
        initial += 0.5 * -mv;
      }
    } else if (mv >= 0) {
      longOption += mv;
    } else {
      shortOption += -mv;
      const u = underlyingQuote(v.desc.inst, t).last;
      const { strike, call } = v.desc.parts;
      const contracts = -v.pos.quantity;
      const covered = call
        ? Math.min(contracts, Math.floor((longShares.get(v.desc.inst.symbol) || 0) / 100))
        : 0;
      const naked = contracts - covered;
      const otm = Math.max(0, call ? strike - u : u - strike);
      const perContract =
        Math.max(0.2 * u - otm, 0.1 * (call ? u : strike)) * 100 + v.quote.mark * 100;
      shortOptionReq += naked * perContract;
      if (!call) cashSecured += contracts * strike * 100;
      if (call && covered > 0)
        longShares.set(
          v.desc.inst.symbol,
          (longShares.get(v.desc.inst.symbol) || 0) - covered * 100,
        );
    }
  }
  maint += shortOptionReq;
  initial += shortOptionReq;
  const liquidationValue = account.cash + longStock - shortStock + longOption - shortOption + mmf;
  const equity = liquidationValue;
  let buyingPower;
  let optionBuyingPower;
  let dayTradingBuyingPower = 0;
  if (account.margin) {
    const excess = equity - initial;
    buyingPower = Math.max(0, 2 * excess);
    optionBuyingPower = Math.max(0, excess);
    if (equity >= 25000) dayTradingBuyingPower = Math.max(0, 4 * (equity - maint));
  } else {
    const available = account.cash - cashSecured + mmf;
    buyingPower = Math.max(0, available);
    optionBuyingPower = Math.max(0, available);
  }
  return {
    valued,
    cash: account.cash,
    longStock,
    shortStock,
    longOption,
    shortOption,
    mmf,
    liquidationValue,
    equity,
    maintenance: maint,
    initial,
    buyingPower,
    optionBuyingPower,
    dayTradingBuyingPower,
    cashSecured,
    dayChange,
    availableFunds: account.margin
      ? Math.max(0, equity - initial)
      : Math.max(0, account.cash - cashSecured),
    maintenanceExcess: equity - maint,
  };
}
