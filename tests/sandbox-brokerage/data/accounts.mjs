// Demo users and their accounts at both brokers, with seeded positions,
// order history and transactions. Option positions are placed in the monthly
// expiration about a month out, at strikes near the current price, so they
// are always live contracts whenever the sandbox starts.

import { createHash, randomUUID } from 'node:crypto';
import { addDays, etToUtc, previousTradingDay } from './calendar.mjs';
import { findInstrument, dividendSchedule } from './instruments.mjs';
import { expirations, occSymbol, strikes, strikeStep, todayOf } from './options.mjs';
import { dayBar, sessionDate } from './prices.mjs';
import { createAccount, describeSymbol, unitQuote } from '../ledger.mjs';

export const USERS = {
  alice: { name: 'Alice', lastName: 'Anderson', email: 'alice@example.com' },
  bob: { name: 'Bob', lastName: 'Brown', email: 'bob@example.com' },
  carol: { name: 'Carol', lastName: 'Chen', email: 'carol@example.com' },
};

// Position specs: [symbol | option spec, quantity, cost factor (avg price / current), days held]
// Option spec: {u: underlying, cp: 'C'|'P', m: strike / price}
const SCHWAB = {
  alice: [
    {
      number: '28476123',
      margin: true,
      type: 'Individual',
      nickName: 'Individual',
      primary: true,
      cash: 25000.37,
      positions: [
        ['AAPL', 100, 0.82, 400],
        ['MSFT', 40, 0.9, 300],
        ['SPY', 50, 0.93, 200],
        ['NVDA', 200, 0.6, 700],
        [{ u: 'AAPL', cp: 'C', m: 1.05 }, 2, 0.8, 6],
        [{ u: 'SPY', cp: 'P', m: 0.95 }, -1, 1.25, 9],
        ['SWVXX', 5000, 1, 90],
      ],
      resting: { symbol: 'MSFT', side: 'buy', quantity: 10, factor: 0.85, tif: 'gtc' },
    },
    {
      number: '40217123',
      margin: false,
      type: 'Individual',
      nickName: 'Individual',
      cash: 8300.12,
      positions: [
        ['KO', 60, 0.95, 500],
        ['SCHD', 300, 0.92, 420],
        ['TSLA', 10, 1.1, 60],
      ],
      resting: { symbol: 'KO', side: 'sell', quantity: 20, factor: 1.2, tif: 'gtc' },
    },
    {
      number: '51930456',
      margin: false,
      type: 'Roth IRA',
      nickName: 'Roth IRA',
      ira: true,
      cash: 12000,
      positions: [
        ['VTI', 120, 0.8, 900],
        ['QQQ', 30, 0.85, 600],
        ['TLT', 50, 1.1, 300],
      ],
    },
  ],
  bob: [
    {
      number: '63058789',
      margin: true,
      type: 'Individual',
      nickName: 'Individual',
      primary: true,
      cash: 15000,
      positions: [
        ['JPM', 50, 0.88, 350],
        ['BAC', 400, 0.9, 500],
        ['AMD', 100, 1.05, 120],
        [{ u: 'AMD', cp: 'C', m: 1.1 }, -1, 1.1, 10],
        [{ u: 'IWM', cp: 'P', m: 0.95 }, 2, 0.9, 5],
      ],
      resting: { symbol: 'JPM', side: 'buy', quantity: 5, factor: 0.85, tif: 'day' },
    },
    {
      number: '70914321',
      margin: false,
      type: 'Traditional IRA',
      nickName: 'Traditional IRA',
      ira: true,
      cash: 4000,
      positions: [
        ['GLD', 40, 0.85, 700],
        ['XOM', 80, 0.95, 250],
      ],
    },
  ],
  // carol's accounts are not approved for options (option level 0): previews and dry runs of
  // option orders carry the broker's warning, which names the account number.
  carol: [
    {
      number: '81237007',
      margin: false,
      type: 'Individual',
      nickName: 'Individual',
      primary: true,
      cash: 1000,
      optionLevel: 0,
      positions: [],
    },
  ],
};

const TASTYTRADE = {
  alice: [
    {
      number: '5WT10123',
      margin: true,
      type: 'Individual',
      nickname: 'Main',
      cash: 30000,
      positions: [
        ['AAPL', 50, 0.85, 300],
        ['META', 10, 0.8, 400],
        [{ u: 'SPY', cp: 'P', m: 0.95 }, -1, 1.2, 8],
        [{ u: 'SPY', cp: 'P', m: 0.9 }, 1, 1.2, 8],
        [{ u: 'NVDA', cp: 'C', m: 1.1 }, 1, 0.7, 12],
      ],
      resting: { symbol: 'AAPL', side: 'buy', quantity: 10, factor: 0.85, tif: 'gtc' },
    },
    {
      number: '5WT77123',
      margin: false,
      type: 'Individual',
      nickname: 'Cash',
      cash: 5000,
      positions: [
        ['AMD', 25, 0.9, 200],
        ['DIS', 30, 1.05, 365],
      ],
    },
    {
      number: '5WU40456',
      margin: false,
      type: 'Roth IRA',
      nickname: 'Roth',
      ira: true,
      cash: 9000,
      positions: [
        ['VTI', 40, 0.8, 800],
        ['IWM', 15, 0.95, 150],
      ],
    },
  ],
  bob: [
    {
      number: '5WV62789',
      margin: true,
      type: 'Individual',
      nickname: "Bob's account",
      cash: 40000,
      positions: [
        ['TSLA', 20, 0.9, 100],
        ['QQQ', 100, 0.85, 500],
        [{ u: 'QQQ', cp: 'C', m: 1.06 }, -1, 1.15, 7],
        [{ u: 'XOM', cp: 'P', m: 0.93 }, -2, 1.2, 15],
      ],
      resting: { symbol: 'TSLA', side: 'sell', quantity: 5, factor: 1.25, tif: 'gtc' },
    },
    {
      number: '5WW33321',
      margin: false,
      type: 'Traditional IRA',
      nickname: 'IRA',
      ira: true,
      cash: 6000,
      positions: [['SCHD', 200, 0.9, 600]],
    },
  ],
  carol: [
    {
      number: '5WX81007',
      margin: false,
      type: 'Individual',
      nickname: 'Carol',
      cash: 2500,
      optionLevel: 0,
      positions: [],
    },
  ],
};

export function schwabHash(accountNumber) {
  return createHash('sha256')
    .update(`sandbox-account:${accountNumber}`)
    .digest('hex')
    .toUpperCase();
}

export function schwabCustomerId(user) {
  return createHash('sha256').update(`schwab-customer:${user}`).digest('hex');
}

export function tastytradeExternalId(user) {
  const h = createHash('sha256').update(`tastytrade-customer:${user}`).digest('hex');
  return `U${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The monthly expiration closest to ~30 days out. */
function seedExpiration(underlying, date) {
  const list = expirations(underlying, date).filter((e) => e.type === 'S');
  return list.find((e) => e.date >= addDays(date, 21)) || list[list.length - 1];
}

function optionSymbolFor(spec, date) {
  const inst = findInstrument(spec.u);
  const exp = seedExpiration(inst.symbol, date);
  const prev = dayBar(inst, previousTradingDay(date)).close;
  const ladder = strikes(inst.symbol, exp, date);
  const target = prev * spec.m;
  let best = ladder[0];
  for (const k of ladder) if (Math.abs(k - target) < Math.abs(best - target)) best = k;
  void strikeStep;
  return occSymbol(exp.root, exp.date, spec.cp === 'C', best);
}

function round2(x) {
  return Math.round(x * 100) / 100;
}

/**
 * Builds every demo account for one broker. `ids` hands out order and
 * transaction ids; returns {users: {name: {accounts: [...]}}}.
 */
export function seedBroker(broker, t, ids) {
  const specs = broker === 'schwab' ? SCHWAB : TASTYTRADE;
  const today = todayOf(t);
  const session = sessionDate(t);
  const users = Object.create(null);
  for (const [user, accounts] of Object.entries(specs)) {
    users[user] = {
      user,
      ...USERS[user],
      customerId: broker === 'schwab' ? schwabCustomerId(user) : tastytradeExternalId(user),
      accounts: accounts.map((spec, idx) =>
        seedAccount(broker, user, spec, idx, t, today, session, ids),
      ),
    };
  }
  return users;
}

function seedAccount(broker, user, spec, idx, t, today, session, ids) {
  const openedAt = etToUtc(addDays(today, -1200 - idx * 97), 10, 12);
  const account = createAccount({
    broker,
    user,
    number: spec.number,
    hash: broker === 'schwab' ? schwabHash(spec.number) : undefined,
    margin: spec.margin,
    ira: !!spec.ira,
    typeName: spec.type,
    nickName: spec.nickName || spec.nickname,
    primary: !!spec.primary,
    openedAt,
    cash: spec.cash,
    optionLevel: spec.optionLevel ?? 2,
  });
  const txs = [];
  const depositId = ids.transaction(broker);
  let invested = 0;
  for (const [what, quantity, factor, daysHeld] of spec.positions) {
    const symbol = typeof what === 'string' ? what : optionSymbolFor(what, today);
    const desc = describeSymbol(symbol, t);
    const quote = unitQuote(desc, t);
    const avg = desc.kind === 'mmf' ? 1 : round2(Math.max(0.05, quote.mark * factor));
    const openTime =
      etToUtc(previousTradingDay(addDays(session, -daysHeld + 1)), 10, 30) +
      (idx * 7 + quantity) * 1000;
    invested += quantity * avg * desc.multiplier;
    account.positions.set(desc.symbol, {
      symbol: desc.symbol,
      quantity,
      averagePrice: avg,
      multiplier: desc.multiplier,
      openedAt: openTime,
      updatedAt: openTime,
      realizedToday: 0,
    });
    const orderId = desc.kind === 'mmf' ? null : ids.order(broker);
    if (orderId) {
      account.orders.push({
        id: orderId,
        status: 'filled',
        orderType: 'limit',
        tif: 'day',
        session: 'normal',
        price: avg,
        priceEffect: quantity > 0 ? 'debit' : 'credit',
        legs: [
          {
            symbol: desc.symbol,
            side: quantity > 0 ? 'buy' : 'sell',
            effect: 'open',
            quantity: Math.abs(quantity),
            desc,
          },
        ],
        enteredTime: openTime - 1500,
        closeTime: openTime,
        filledQuantity: Math.abs(quantity),
        fills: [
          { leg: 0, quantity: Math.abs(quantity), price: avg, time: openTime, fees: { total: 0 } },
        ],
      });
    }
    txs.push({
      id: ids.transaction(broker),
      time: openTime,
      kind: 'trade',
      symbol: desc.symbol,
      desc,
      quantity,
      price: avg,
      amount: round2(-quantity * avg * desc.multiplier),
      orderId,
      effect: 'open',
      fees:
        desc.kind === 'option'
          ? {
              commission: broker === 'schwab' ? 0.65 * Math.abs(quantity) : Math.abs(quantity),
              clearing: 0.1 * Math.abs(quantity),
              regulatory: 0.02 * Math.abs(quantity),
            }
          : { commission: 0, clearing: 0, regulatory: quantity < 0 ? 0.01 : 0 },
    });
    // A recent dividend for dividend payers held long enough.
    if (desc.kind === 'equity' && quantity > 0) {
      const y = Number(today.slice(0, 4));
      const divs = dividendSchedule(desc.inst, y - 1, y).filter(
        (d) => d.payDate <= today && d.exDate >= addDays(today, -daysHeld),
      );
      const last = divs[divs.length - 1];
      if (last) {
        txs.push({
          id: ids.transaction(broker),
          time: etToUtc(last.payDate, 9, 0),
          kind: 'dividend',
          symbol: desc.symbol,
          desc,
          quantity,
          amount: round2(last.amount * quantity),
          description: `${desc.inst.description.toUpperCase()} QUALIFIED DIVIDEND`,
        });
      }
    }
  }
  if (spec.resting) {
    const r = spec.resting;
    const desc = describeSymbol(r.symbol, t);
    const px = round2(unitQuote(desc, t).mark * r.factor);
    const entered = t - 2 * 3_600_000;
    account.orders.push({
      id: ids.order(broker),
      status: 'working',
      orderType: 'limit',
      tif: r.tif,
      session: 'normal',
      price: px,
      priceEffect: r.side === 'buy' ? 'debit' : 'credit',
      legs: [
        {
          symbol: desc.symbol,
          side: r.side,
          effect: r.side === 'buy' ? 'open' : 'close',
          quantity: r.quantity,
          desc,
        },
      ],
      enteredTime: entered,
      expiresAt: r.tif === 'gtc' ? entered + 180 * 86_400_000 : null,
      filledQuantity: 0,
      fills: [],
    });
    // And one cancelled order from the previous session.
    account.orders.push({
      id: ids.order(broker),
      status: 'canceled',
      orderType: 'limit',
      tif: 'day',
      session: 'normal',
      price: round2(px * 0.98),
      priceEffect: r.side === 'buy' ? 'debit' : 'credit',
      legs: [
        {
          symbol: desc.symbol,
          side: r.side,
          effect: r.side === 'buy' ? 'open' : 'close',
          quantity: r.quantity,
          desc,
        },
      ],
      enteredTime: etToUtc(previousTradingDay(session), 11, 5),
      closeTime: etToUtc(previousTradingDay(session), 11, 40),
      filledQuantity: 0,
      fills: [],
    });
  }
  txs.push({
    id: depositId,
    time: openedAt + 86_400_000,
    kind: 'deposit',
    amount: round2(spec.cash + Math.max(0, invested)),
    description: 'ACH DEPOSIT',
  });
  if (spec.cash > 0) {
    txs.push({
      id: ids.transaction(broker),
      time: etToUtc(addDays(today.slice(0, 8) + '01', -1), 12, 0),
      kind: 'interest',
      amount: round2(spec.cash * 0.0004),
      description: broker === 'schwab' ? 'SCHWAB1 INT' : 'INTEREST ON CREDIT BALANCE',
    });
  }
  account.orders.sort((a, b) => a.enteredTime - b.enteredTime);
  account.transactions = txs.sort((a, b) => a.time - b.time);
  return account;
}

export function newCorrelId() {
  return randomUUID();
}
