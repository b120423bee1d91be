// Broker-neutral order handling: decides whether an order is marketable
// against the current quotes, fills it into the account ledger, checks buying
// power with a what-if fill, and expires day orders. Broker modules translate
// their request/response shapes to and from the neutral order record:
//
//   { id, status: 'working'|'filled'|'canceled'|'replaced'|'rejected'|'expired',
//     orderType: 'market'|'limit'|'stop'|'stop_limit', tif, price, stopPrice,
//     priceEffect: 'debit'|'credit'|null,
//     legs: [{symbol, side: 'buy'|'sell', effect: 'open'|'close'|'auto', quantity, desc}],
//     enteredTime, closeTime, expiresAt, fills: [{leg, quantity, price, time}], ... }

import {
  etToUtc,
  isTradingDay,
  nextTradingDay,
  regularSession,
  etParts,
} from './data/calendar.mjs';
import { marketState } from './data/prices.mjs';
import { accountMetrics, applyFill, createAccount, describeSymbol, unitQuote } from './ledger.mjs';

/** Resolves every leg's symbol; returns an error string or null. */
export function resolveLegs(order, t) {
  for (const leg of order.legs) {
    const desc = describeSymbol(leg.symbol, t);
    if (!desc) return `Unknown symbol ${leg.symbol}`;
    if (desc.kind === 'option' && !desc.contract) return `Option ${leg.symbol} is not listed`;
    leg.desc = desc;
    leg.symbol = desc.symbol;
    if (!(leg.quantity > 0)) return 'Order quantity must be positive';
  }
  return null;
}

/** Per-leg execution prices and the signed net (debit > 0) per unit of the order. */
export function pricing(order, t) {
  let net = 0;
  const legs = order.legs.map((leg) => {
    const q = unitQuote(leg.desc, t);
    const px = leg.side === 'buy' ? q.ask || q.mark : q.bid || q.mark;
    const ratio = leg.quantity / order.legs[0].quantity;
    net +=
      ((leg.side === 'buy' ? 1 : -1) * px * ratio * leg.desc.multiplier) /
      order.legs[0].desc.multiplier;
    return { leg, price: px, quote: q };
  });
  return { legs, net };
}

/** Is the order executable now? Market orders always are. */
export function isMarketable(order, t) {
  if (order.orderType === 'market') return true;
  const { net, legs } = pricing(order, t);
  if (order.orderType === 'stop' || order.orderType === 'stop_limit') {
    const last = legs[0].quote.last;
    const buy = order.legs[0].side === 'buy';
    const triggered = buy ? last >= order.stopPrice : last <= order.stopPrice;
    if (!triggered) return false;
    if (order.orderType === 'stop') return true;
  }
  const limit = order.price;
  if (order.legs.length === 1) {
    const px = legs[0].price;
    return order.legs[0].side === 'buy' ? px <= limit + 1e-9 : px >= limit - 1e-9;
  }
  if (order.priceEffect === 'credit') return -net >= limit - 1e-9;
  return net <= limit + 1e-9;
}

/** Executes every leg at the current bid/ask (or `prices[i]`) into the account. */
export function execute(account, order, t, feeFn, prices) {
  const { legs } = pricing(order, t);
  if (prices)
    legs.forEach((l, i) => {
      l.price = prices[i];
    });
  order.fills = [];
  let fees = 0;
  legs.forEach(({ leg, price }, i) => {
    const legFees = feeFn ? feeFn(leg, price) : { total: 0 };
    fees += legFees.total;
    applyFill(account, {
      symbol: leg.symbol,
      quantity: leg.side === 'buy' ? leg.quantity : -leg.quantity,
      price,
      multiplier: leg.desc.multiplier,
      fees: legFees.total,
      time: t,
    });
    order.fills.push({ leg: i, quantity: leg.quantity, price, time: t, fees: legFees });
  });
  order.status = 'filled';
  order.closeTime = t;
  order.filledQuantity = order.legs[0].quantity;
  return { fees };
}

/** Account metrics before and after a hypothetical immediate fill. */
export function whatIf(account, order, t, feeFn) {
  const before = accountMetrics(account, t);
  const clone = createAccount({
    ...account,
    positions: new Map([...account.positions].map(([k, v]) => [k, { ...v }])),
    orders: [],
    transactions: [],
  });
  const copy = { ...order, legs: order.legs.map((l) => ({ ...l })) };
  // A resting single-leg limit order would fill at its limit price.
  let prices;
  if (
    order.legs.length === 1 &&
    order.price > 0 &&
    order.orderType !== 'market' &&
    !isMarketable(order, t)
  )
    prices = [order.price];
  const { fees } = execute(clone, copy, t, feeFn, prices);
  const after = accountMetrics(clone, t);
  return { before, after, fees, fills: copy.fills };
}

/** Buying-power check of an opening order: an error message or null. */
export function buyingPowerError(account, order, t, feeFn) {
  const { before, after } = whatIf(account, order, t, feeFn);
  const reducesRisk = after.maintenance <= before.maintenance && after.cash >= before.cash;
  if (reducesRisk) return null;
  if (account.margin) {
    if (after.optionBuyingPower <= 0 && after.initial > before.initial)
      return 'Insufficient buying power';
  } else if (after.cash - after.cashSecured < -0.005) {
    return 'Insufficient funds';
  }
  return null;
}

/** Expiry instant of a time-in-force entered at t (null for GTC). */
export function expiryFor(tif, t, gtdDate) {
  if (tif === 'gtc') return t + 180 * 86_400_000;
  if (tif === 'gtd' && gtdDate) return etToUtc(gtdDate, 16, 0);
  const p = etParts(t);
  let date = p.date;
  const session = regularSession(date);
  if (!isTradingDay(date) || !session || p.minuteOfDay >= session.closeMinute)
    date = nextTradingDay(date);
  const close = regularSession(date).closeMinute;
  const ext = tif === 'ext' ? 20 * 60 : close;
  return etToUtc(date, Math.floor(ext / 60), ext % 60);
}

/**
 * Brings resting orders up to date at instant t: fills those that became
 * marketable during regular hours, expires those past their time in force.
 */
export function sweepOrders(account, t, feeFn, onFill) {
  const open = marketState(t) === 'OPEN';
  for (const order of account.orders) {
    if (order.status !== 'working') continue;
    if (order.expiresAt && t >= order.expiresAt) {
      order.status = 'expired';
      order.closeTime = order.expiresAt;
      continue;
    }
    if (open && isMarketable(order, t)) {
      execute(account, order, t, feeFn);
      if (onFill) onFill(order);
    }
  }
}

/** Appends neutral trade transactions for an order's fills. */
export function journalFills(account, order, nextId) {
  order.fills.forEach((fill) => {
    const leg = order.legs[fill.leg];
    const signed = leg.side === 'buy' ? fill.quantity : -fill.quantity;
    account.transactions.push({
      id: nextId(),
      time: fill.time,
      kind: 'trade',
      symbol: leg.symbol,
      desc: leg.desc,
      quantity: signed,
      price: fill.price,
      amount: Math.round(-signed * fill.price * leg.desc.multiplier * 100) / 100,
      orderId: order.id,
      effect: leg.effect,
      fees: fill.fees || {},
    });
  });
}
