// tastytrade customer and account endpoints: /customers/me, the account
// list, balances and balance snapshots, positions, trading status, position
// limits, net-liq history, margin requirements, and the DXLink quote token.

import { randomBytes } from 'node:crypto';
import { addDays, etDate, etToUtc, tradingDaysBetween } from '../data/calendar.mjs';
import { lastDayBars, minuteCandles, sessionDate } from '../data/prices.mjs';
import { accountMetrics } from '../ledger.mjs';
import { queryBool, queryList, table } from '../http-util.mjs';
import { accountParam, accountsOf } from './common.mjs';
import { ttStatusError } from './errors.mjs';
import { dec, effect, ok, okItems, instrumentType, ttTime, withEffect } from './format.mjs';
import { registerTastytradeTransactions } from './transactions.mjs';
import { registerTastytradeWatchlists } from './watchlists.mjs';

// ---- customer --------------------------------------------------------------------

function customerBody(user) {
  return {
    id: 'me',
    'external-id': user.customerId,
    'first-name': user.name,
    'last-name': user.lastName,
    email: user.email,
    'is-foreign': false,
    'mobile-phone-number': '+15555550100',
    'usa-citizenship-type': 'Citizen',
    'has-industry-affiliation': false,
    'is-professional': false,
    'has-delayed-quotes': false,
    'has-pending-or-approved-application': true,
    'identifiable-type': 'Person',
    'agreed-to-margining': true,
    'agreed-to-terms': true,
    address: {
      'street-one': '100 Sandbox Way',
      city: 'Chicago',
      'state-region': 'IL',
      'postal-code': '60607',
      country: 'USA',
      'is-foreign': false,
      'is-domestic': true,
    },
    person: {
      'external-id': user.customerId,
      'first-name': user.name,
      'last-name': user.lastName,
      'birth-date': '1985-04-12',
      'citizenship-country': 'USA',
      'usa-citizenship-type': 'Citizen',
      'marital-status': 'SINGLE',
      'number-of-dependents': 0,
      'employment-status': 'EMPLOYED',
      occupation: 'Engineer',
    },
    'permitted-account-types': [
      {
        name: 'Individual',
        'is-tax-advantaged': false,
        'has-multiple-owners': false,
        'is-publicly-available': true,
        'margin-types': [
          { name: 'Cash', 'is-margin': false },
          { name: 'Reg T', 'is-margin': true },
        ],
      },
      {
        name: 'Roth IRA',
        'is-tax-advantaged': true,
        'has-multiple-owners': false,
        'is-publicly-available': true,
        'margin-types': [{ name: 'Cash', 'is-margin': false }],
      },
      {
        name: 'Traditional IRA',
        'is-tax-advantaged': true,
        'has-multiple-owners': false,
        'is-publicly-available': true,
        'margin-types': [{ name: 'Cash', 'is-margin': false }],
      },
    ],
    'created-at': '2019-03-14T14:22:01.118+00:00',
  };
}

function customer(ctx) {
  return ok(customerBody(ctx.state.user('tastytrade', ctx.user)), '/customers/me');
}

function accountBody(a) {
  return {
    'account-number': a.number,
    'external-id': `A${a.number.slice(1)}0000`,
    'opened-at': ttTime(a.openedAt),
    nickname: a.nickName,
    'account-type-name': a.typeName,
    'day-trader-status': false,
    'is-closed': false,
    'is-firm-error': false,
    'is-firm-proprietary': false,
    'is-futures-approved': !!a.margin,
    'is-test-drive': false,
    'margin-or-cash': a.margin ? 'Margin' : 'Cash',
    'is-foreign': false,
    'funding-date': etDate(a.openedAt + 86_400_000),
    'investment-objective': 'GROWTH',
    'suitable-options-level': a.margin ? 'No Restrictions' : a.ira ? 'Limited' : 'Defined Risk',
    'created-at': ttTime(a.openedAt),
  };
}

function customerAccounts(ctx) {
  return okItems(
    accountsOf(ctx).map((a) => ({ account: accountBody(a), 'authority-level': 'owner' })),
    '/customers/me/accounts',
  );
}

function customerAccount(ctx) {
  const account = accountParam(ctx);
  return ok(accountBody(account), `/customers/me/accounts/${account.number}`);
}

// ---- balances ---------------------------------------------------------------------

function balanceBody(account, m, t) {
  const b = {
    'account-number': account.number,
    'cash-balance': dec(m.cash),
    'long-equity-value': dec(m.longStock),
    'short-equity-value': dec(m.shortStock),
    'long-derivative-value': dec(m.longOption),
    'short-derivative-value': dec(m.shortOption),
    'long-futures-value': '0.0',
    'short-futures-value': '0.0',
    'long-futures-derivative-value': '0.0',
    'short-futures-derivative-value': '0.0',
    'long-margineable-value': dec(account.margin ? m.longStock : 0),
    'short-margineable-value': dec(account.margin ? m.shortStock : 0),
    'margin-equity': dec(m.equity),
    'equity-buying-power': dec(m.buyingPower),
    'derivative-buying-power': dec(m.optionBuyingPower),
    'day-trading-buying-power': dec(m.dayTradingBuyingPower),
    'futures-margin-requirement': '0.0',
    'available-trading-funds': '0.0',
    'maintenance-requirement': dec(m.maintenance),
    'maintenance-call-value': '0.0',
    'reg-t-call-value': '0.0',
    'day-trading-call-value': '0.0',
    'day-equity-call-value': '0.0',
    'net-liquidating-value': dec(m.liquidationValue),
    'cash-available-to-withdraw': dec(Math.max(0, Math.min(m.cash, m.availableFunds))),
    'day-trade-excess': dec(m.optionBuyingPower),
    'pending-cash': '0.0',
    'pending-cash-effect': 'None',
    'long-cryptocurrency-value': '0.0',
    'short-cryptocurrency-value': '0.0',
    'cryptocurrency-margin-requirement': '0.0',
    'unsettled-cryptocurrency-fiat-amount': '0.0',
    'unsettled-cryptocurrency-fiat-effect': 'None',
    'closed-loop-available-balance': dec(m.cash),
    'equity-offering-margin-requirement': '0.0',
    'long-bond-value': '0.0',
    'bond-margin-requirement': '0.0',
    'used-derivative-buying-power': dec(account.margin ? m.initial : m.cashSecured),
    'snapshot-date': etDate(t),
    'reg-t-margin-requirement': dec(m.initial),
    'futures-overnight-margin-requirement': '0.0',
    'futures-intraday-margin-requirement': '0.0',
    'maintenance-excess': dec(m.maintenanceExcess),
    'pending-margin-interest': '0.0',
    'effective-cryptocurrency-buying-power': dec(m.optionBuyingPower),
    'updated-at': ttTime(t),
    'apex-starting-day-margin-equity': dec(m.equity - m.dayChange),
    'buying-power-adjustment': '0.0',
    'buying-power-adjustment-effect': 'None',
    'time-of-day': 'EOD',
    currency: 'USD',
  };
  return b;
}

function balances(ctx) {
  const account = accountParam(ctx);
  if (ctx.params.currency && ctx.params.currency.toUpperCase() !== 'USD')
    return ttStatusError(404, `No balances in ${ctx.params.currency}`);
  const m = accountMetrics(account, ctx.now);
  return ok(balanceBody(account, m, ctx.now), `/accounts/${account.number}/balances`);
}

function balanceSnapshots(ctx) {
  const account = accountParam(ctx);
  const m = accountMetrics(account, ctx.now);
  const day = ctx.query.get('snapshot-date') || etDate(ctx.now);
  const timeOfDay = ctx.query.get('time-of-day') || 'EOD';
  const snap = balanceBody(account, m, ctx.now);
  snap['snapshot-date'] = day;
  snap['time-of-day'] = timeOfDay;
  delete snap['updated-at'];
  return okItems([snap], `/accounts/${account.number}/balance-snapshots`);
}

// ---- positions ---------------------------------------------------------------------

function positionBody(account, v, t, includeMarks) {
  const { pos, desc, quote } = v;
  const body = {
    'account-number': account.number,
    symbol: pos.symbol,
    'instrument-type': instrumentType(desc),
    'underlying-symbol': desc.inst.ttSymbol,
    quantity: Math.abs(pos.quantity),
    'quantity-direction': pos.quantity > 0 ? 'Long' : 'Short',
    'close-price': dec(quote.close),
    'average-open-price': dec(pos.averagePrice),
    'average-yearly-market-close-price': dec(pos.averagePrice),
    'average-daily-market-close-price': dec(quote.close),
    multiplier: pos.multiplier,
    'cost-effect': pos.quantity > 0 ? 'Credit' : 'Debit',
    'is-suppressed': false,
    'is-frozen': false,
    'restricted-quantity': 0,
    'realized-day-gain': dec(Math.abs(pos.realizedToday || 0)),
    'realized-day-gain-effect': effect(pos.realizedToday || 0),
    'realized-day-gain-date': etDate(t),
    'realized-today': dec(Math.abs(pos.realizedToday || 0)),
    'realized-today-effect': effect(pos.realizedToday || 0),
    'realized-today-date': etDate(t),
    'created-at': ttTime(pos.openedAt),
    'updated-at': ttTime(pos.updatedAt),
  };
  if (desc.kind === 'option') body['expires-at'] = ttTime(etToUtc(desc.parts.expDate, 16, 0));
  if (includeMarks) {
    body['mark-price'] = dec(quote.mark);
    body.mark = dec(Math.abs(pos.quantity * quote.mark * pos.multiplier));
  }
  return body;
}

function positions(ctx) {
  const account = accountParam(ctx);
  const q = ctx.query;
  const symbols = queryList(q, 'symbol');
  const underlyings = queryList(q, 'underlying-symbol');
  const type = q.get('instrument-type');
  const includeMarks = queryBool(q, 'include-marks', false);
  const m = accountMetrics(account, ctx.now);
  const items = m.valued
    .filter(
      (v) =>
        !symbols.length ||
        symbols.includes(v.pos.symbol) ||
        symbols.includes(v.pos.symbol.replace(/\s+/g, ' ')),
    )
    .filter((v) => !underlyings.length || underlyings.includes(v.desc.inst.ttSymbol))
    .filter((v) => !type || instrumentType(v.desc) === type)
    .map((v) => positionBody(account, v, ctx.now, includeMarks));
  return okItems(items, `/accounts/${account.number}/positions`);
}

// ---- status and limits ------------------------------------------------------------------

function tradingStatus(ctx) {
  const a = accountParam(ctx);
  return ok(
    {
      'account-number': a.number,
      'equities-margin-calculation-type': a.margin ? 'Reg T' : 'Cash',
      'fee-schedule-name': 'default',
      'futures-margin-rate-multiplier': '0.0',
      'has-intraday-equities-margin': false,
      id: 100000 + (Number(a.number.replace(/\D/g, '')) % 900000),
      'is-aggregated-at-clearing': false,
      'is-closed': false,
      'is-closing-only': false,
      'is-cryptocurrency-enabled': false,
      'is-frozen': false,
      'is-full-equity-margin-required': false,
      'is-futures-closing-only': false,
      'is-futures-intra-day-enabled': false,
      'is-futures-enabled': !!a.margin,
      'is-in-day-trade-equity-maintenance-call': false,
      'is-in-margin-call': false,
      'is-pattern-day-trader': false,
      'is-portfolio-margin-enabled': false,
      'is-risk-reducing-only': false,
      'is-small-notional-futures-intra-day-enabled': false,
      'is-roll-the-day-forward-enabled': false,
      'are-far-otm-net-options-restricted': false,
      'options-level': a.margin ? 'No Restrictions' : a.ira ? 'Limited' : 'Defined Risk',
      'short-calls-enabled': !!a.margin,
      'small-notional-futures-margin-rate-multiplier': '0.0',
      'is-equity-offering-enabled': false,
      'is-equity-offering-closing-only': false,
      'enhanced-fraud-safeguards-enabled-at': '2024-01-02T14:00:00.000+00:00',
      'updated-at': ttTime(ctx.now),
      'day-trade-count': 0,
      'pdt-reset-on': null,
    },
    `/accounts/${a.number}/trading-status`,
  );
}

function positionLimit(ctx) {
  const a = accountParam(ctx);
  return ok(
    {
      'account-number': a.number,
      'equity-order-size': 500000,
      'equity-option-order-size': 500,
      'future-order-size': 500,
      'future-option-order-size': 500,
      'underlying-opening-order-limit': 500000,
      'equity-position-size': 5000000,
      'equity-option-position-size': 5000,
      'future-position-size': 5000,
      'future-option-position-size': 5000,
    },
    `/accounts/${a.number}/position-limit`,
  );
}

// ---- net liq history ----------------------------------------------------------------------

const TIME_BACK = table({ '1d': 1, '1w': 7, '1m': 31, '3m': 92, '6m': 183, '1y': 366, all: 3650 });

function netLiqHistory(ctx) {
  const a = accountParam(ctx);
  const timeBack = ctx.query.get('time-back') || (ctx.query.get('start-time') ? null : '1y');
  if (timeBack && !Object.hasOwn(TIME_BACK, timeBack))
    return ttStatusError(400, `Invalid time-back '${timeBack}'`);
  if (!timeBack && Number.isNaN(Date.parse(ctx.query.get('start-time'))))
    return ttStatusError(400, 'start-time must be an ISO-8601 time');
  const m = accountMetrics(a, ctx.now);
  const holdings = m.valued.filter((v) => v.desc.kind !== 'option');
  const optionValue = m.longOption - m.shortOption;
  const value = (priceOf) =>
    a.cash +
    optionValue +
    m.mmf +
    holdings
      .filter((v) => v.desc.kind === 'equity')
      .reduce((acc, v) => acc + v.pos.quantity * priceOf(v.desc.inst), 0);
  const point = (o, h, l, c, time) => ({
    open: dec(o, 2),
    high: dec(h, 2),
    low: dec(l, 2),
    close: dec(c, 2),
    'pending-cash-open': '0.0',
    'pending-cash-high': '0.0',
    'pending-cash-low': '0.0',
    'pending-cash-close': '0.0',
    'total-open': dec(o, 2),
    'total-high': dec(h, 2),
    'total-low': dec(l, 2),
    'total-close': dec(c, 2),
    time,
  });
  const fmt = (ms) =>
    new Date(ms)
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, '+00');
  const items = [];
  if (timeBack === '1d') {
    const day = sessionDate(ctx.now);
    const series = new Map(
      holdings
        .filter((v) => v.desc.kind === 'equity')
        .map((v) => [v.desc.inst.symbol, minuteCandles(v.desc.inst, day, { untilMs: ctx.now })]),
    );
    const any = series.values().next().value || [];
    for (let i = 0; i < any.length; i += 5) {
      const at = (inst) =>
        (series.get(inst.symbol)[Math.min(i, series.get(inst.symbol).length - 1)] || {}).close || 0;
      const v = value(at);
      items.push(point(v, v, v, v, fmt(any[i].time)));
    }
    if (!items.length)
      items.push(
        point(
          m.liquidationValue,
          m.liquidationValue,
          m.liquidationValue,
          m.liquidationValue,
          fmt(ctx.now),
        ),
      );
  } else {
    const from = ctx.query.get('start-time')
      ? etDate(Date.parse(ctx.query.get('start-time')))
      : addDays(etDate(ctx.now), -TIME_BACK[timeBack]);
    const days = tradingDaysBetween(
      from > etDate(a.openedAt) ? from : etDate(a.openedAt),
      sessionDate(ctx.now),
    );
    const bars = new Map(
      holdings
        .filter((v) => v.desc.kind === 'equity')
        .map((v) => [
          v.desc.inst.symbol,
          new Map(
            lastDayBars(v.desc.inst, sessionDate(ctx.now), days.length + 1).map((b) => [b.date, b]),
          ),
        ]),
    );
    for (const d of days) {
      const pick = (field) => value((inst) => (bars.get(inst.symbol).get(d) || {})[field] || 0);
      items.push(point(pick('open'), pick('high'), pick('low'), pick('close'), `${d} 20:00:00+00`));
    }
  }
  return okItems(items, `/accounts/${a.number}/net-liq/history`);
}

// ---- margin requirements ------------------------------------------------------------------

function marginRequirements(ctx) {
  const a = accountParam(ctx);
  const m = accountMetrics(a, ctx.now);
  const groups = new Map();
  for (const v of m.valued) {
    const u = v.desc.inst.ttSymbol;
    const g = groups.get(u) || {
      value: 0,
      req: 0,
      type: v.desc.inst.kind === 'index' ? 'Index' : 'Equity',
    };
    g.value += v.marketValue;
    g.req +=
      v.desc.kind === 'equity'
        ? Math.abs(v.marketValue) * (v.pos.quantity > 0 ? 0.25 : 0.3)
        : v.pos.quantity < 0
          ? Math.abs(v.marketValue) * 1.2
          : 0;
    groups.set(u, g);
  }
  const money = (obj, key, amount) => withEffect(obj, key, -Math.abs(amount), 2);
  const report = {
    'account-number': a.number,
    description: 'Total',
    'margin-calculation-type': a.margin ? 'Reg T' : 'Cash',
    'option-level': a.margin ? 'No Restrictions' : 'Defined Risk',
    'last-state-timestamp': ctx.now,
    groups: [...groups].map(([u, g]) => {
      const e = {
        description: u,
        code: u,
        'underlying-symbol': u,
        'underlying-type': g.type,
        'expected-price-range-up-percent': '0.25',
        'expected-price-range-down-percent': '-0.25',
        'point-of-no-return-percent': '-0.75',
        'margin-calculation-type': a.margin ? 'Reg T' : 'Cash',
        groups: [],
        'price-increase-percent': '0.25',
        'price-decrease-percent': '-0.25',
      };
      money(e, 'margin-requirement', g.req);
      money(e, 'initial-requirement', g.req);
      money(e, 'maintenance-requirement', g.req);
      withEffect(e, 'buying-power', -g.req, 2);
      return e;
    }),
  };
  money(report, 'margin-requirement', m.maintenance);
  money(report, 'initial-requirement', m.initial);
  money(report, 'maintenance-requirement', m.maintenance);
  withEffect(report, 'margin-equity', m.equity, 2);
  withEffect(report, 'option-buying-power', m.optionBuyingPower, 2);
  money(report, 'reg-t-margin-requirement', m.initial);
  withEffect(report, 'reg-t-option-buying-power', m.optionBuyingPower, 2);
  withEffect(report, 'maintenance-excess', m.maintenanceExcess, 2);
  return ok(report, `/margin/accounts/${a.number}/requirements`);
}

// ---- DXLink quote token ------------------------------------------------------------------

function quoteToken(ctx, legacy) {
  const { state } = ctx;
  const host = ctx.headers.host || `127.0.0.1:${state.port}`;
  const token = randomBytes(48).toString('base64url');
  const expiresAt = ctx.now + state.config.tastytrade.quoteTokenTtl * 1000;
  state.quoteTokens.set(token, { user: ctx.user, expiresAt });
  const url = `ws://${host}/tastytrade/dxlink`;
  if (legacy) {
    return ok(
      { token, 'streamer-url': url, 'websocket-url': url, level: 'api' },
      '/quote-streamer-tokens',
    );
  }
  return ok(
    {
      token,
      'dxlink-url': url,
      level: 'api',
      'issued-at': ttTime(ctx.now),
      'expires-at': ttTime(expiresAt),
    },
    '/api-quote-tokens',
  );
}

export function registerTastytradeAccounts(router) {
  const auth = { auth: true };
  router.add('GET', '/customers/me', customer, auth);
  router.add('GET', '/customers/me/accounts', customerAccounts, auth);
  router.add('GET', '/customers/me/accounts/:account', customerAccount, auth);
  router.add('GET', '/accounts/:account/balances', balances, auth);
  router.add('GET', '/accounts/:account/balances/:currency', balances, auth);
  router.add('GET', '/accounts/:account/balance-snapshots', balanceSnapshots, auth);
  router.add('GET', '/accounts/:account/positions', positions, auth);
  router.add('GET', '/accounts/:account/trading-status', tradingStatus, auth);
  router.add('GET', '/accounts/:account/position-limit', positionLimit, auth);
  router.add('GET', '/accounts/:account/net-liq/history', netLiqHistory, auth);
  router.add('GET', '/margin/accounts/:account/requirements', marginRequirements, auth);
  router.add('GET', '/api-quote-tokens', (ctx) => quoteToken(ctx, false), auth);
  router.add('GET', '/quote-streamer-tokens', (ctx) => quoteToken(ctx, true), auth);
  registerTastytradeTransactions(router);
  registerTastytradeWatchlists(router);
}
