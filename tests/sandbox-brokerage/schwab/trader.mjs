// Schwab Trader API double (/trader/v1): account numbers and hashes,
// accounts with balances and positions, orders (place, get, replace, cancel,
// preview), transactions and user preferences. Every route needs a bearer
// access token and sees only the signed-in demo user's accounts.

import { HttpError, empty, json, parseJson, queryList } from '../http-util.mjs';
import { accountMetrics } from '../ledger.mjs';
import { execute, isMarketable, journalFills, sweepOrders } from '../order-engine.mjs';
import { accountInstrument, schwabTime, transactionInstrument, CURRENCY_USD } from './format.mjs';
import { correlHeaders, traderError } from './errors.mjs';
import {
  parseOrderRequest,
  rejectionReason,
  renderOrder,
  renderPreview,
  schwabFees,
} from './orders.mjs';

const TRANSACTION_TYPES = [
  'TRADE',
  'RECEIVE_AND_DELIVER',
  'DIVIDEND_OR_INTEREST',
  'ACH_RECEIPT',
  'ACH_DISBURSEMENT',
  'CASH_RECEIPT',
  'CASH_DISBURSEMENT',
  'ELECTRONIC_FUND',
  'WIRE_OUT',
  'WIRE_IN',
  'JOURNAL',
  'MEMORANDUM',
  'MARGIN_CALL',
  'MONEY_MARKET',
  'SMA_ADJUSTMENT',
];
const ORDER_STATUSES = [
  'AWAITING_PARENT_ORDER',
  'AWAITING_CONDITION',
  'AWAITING_STOP_CONDITION',
  'AWAITING_MANUAL_REVIEW',
  'ACCEPTED',
  'AWAITING_UR_OUT',
  'PENDING_ACTIVATION',
  'QUEUED',
  'WORKING',
  'REJECTED',
  'PENDING_CANCEL',
  'CANCELED',
  'PENDING_REPLACE',
  'REPLACED',
  'FILLED',
  'EXPIRED',
  'NEW',
  'AWAITING_RELEASE_TIME',
  'PENDING_ACKNOWLEDGEMENT',
  'PENDING_RECALL',
  'UNKNOWN',
];

function ok(body) {
  return json(200, body, correlHeaders());
}

function r2(x) {
  return Math.round(x * 100) / 100;
}

function accountsOf(ctx) {
  return ctx.state.accountsOf('schwab', ctx.user);
}

function accountByHash(ctx) {
  const account = accountsOf(ctx).find((a) => a.hash === ctx.params.hash);
  if (!account)
    throw new HttpError(
      traderError(404, 'Account not found', [
        `No account with the encrypted id ${ctx.params.hash} is linked to this login`,
      ]),
    );
  return account;
}

/** Fills resting orders that became marketable and expires stale ones. */
function bringUpToDate(ctx, account) {
  const nextTx = () => ctx.state.ids.transaction('schwab');
  sweepOrders(account, ctx.now, schwabFees, (order) => journalFills(account, order, nextTx));
}

// ---- accounts ------------------------------------------------------------------

function renderPosition(v) {
  const { pos, desc, quote } = v;
  const long = pos.quantity > 0;
  const qty = Math.abs(pos.quantity);
  const marketValue = r2(v.marketValue);
  const dayPl = r2(v.dayChange);
  const base = Math.abs(pos.quantity * quote.close * pos.multiplier);
  const out = {
    shortQuantity: long ? 0 : qty,
    averagePrice: pos.averagePrice,
    currentDayProfitLoss: dayPl,
    currentDayProfitLossPercentage: base ? r2((dayPl / base) * 100) : 0,
    longQuantity: long ? qty : 0,
    settledLongQuantity: long ? qty : 0,
    settledShortQuantity: long ? 0 : qty,
    instrument: accountInstrument(
      desc,
      desc.kind === 'mmf' ? undefined : r2(quote.mark - quote.close),
    ),
    marketValue,
    maintenanceRequirement:
      desc.kind === 'option'
        ? long
          ? 0
          : r2(Math.abs(marketValue) * 0.2 + Math.abs(marketValue))
        : r2(Math.abs(marketValue) * (long ? 0.25 : 0.3)),
  };
  const openPl = r2((quote.mark - pos.averagePrice) * pos.quantity * pos.multiplier);
  if (long) {
    Object.assign(out, {
      averageLongPrice: pos.averagePrice,
      taxLotAverageLongPrice: pos.averagePrice,
      longOpenProfitLoss: openPl,
      previousSessionLongQuantity: qty,
      currentDayCost: 0,
    });
  } else {
    Object.assign(out, {
      averageShortPrice: pos.averagePrice,
      taxLotAverageShortPrice: pos.averagePrice,
      shortOpenProfitLoss: openPl,
      previousSessionShortQuantity: qty,
      currentDayCost: 0,
    });
  }
  return out;
}

function renderSecuritiesAccount(account, m, withPositions) {
  const start = m.liquidationValue - m.dayChange;
  const sa = {
    type: account.margin ? 'MARGIN' : 'CASH',
    accountNumber: account.number,
    roundTrips: 0,
    isDayTrader: false,
    isClosingOnlyRestricted: false,
    pfcbFlag: false,
  };
  if (withPositions) sa.positions = m.valued.map(renderPosition);
  if (account.margin) {
    sa.initialBalances = {
      accruedInterest: 0,
      availableFundsNonMarginableTrade: r2(m.availableFunds),
      bondValue: 0,
      buyingPower: r2(m.buyingPower),
      cashBalance: r2(m.cash),
      cashAvailableForTrading: 0,
      cashReceipts: 0,
      dayTradingBuyingPower: r2(m.dayTradingBuyingPower),
      dayTradingBuyingPowerCall: 0,
      dayTradingEquityCall: 0,
      equity: r2(start),
      equityPercentage: 100,
      liquidationValue: r2(start),
      longMarginValue: r2(m.longStock),
      longOptionMarketValue: r2(m.longOption),
      longStockValue: r2(m.longStock),
      maintenanceCall: 0,
      maintenanceRequirement: r2(m.maintenance),
      margin: r2(m.cash),
      marginEquity: r2(start),
      moneyMarketFund: r2(m.mmf),
      mutualFundValue: 0,
      regTCall: 0,
      shortMarginValue: r2(m.shortStock),
      shortOptionMarketValue: r2(-m.shortOption),
      shortStockValue: r2(-m.shortStock),
      totalCash: 0,
      isInCall: false,
      pendingDeposits: 0,
      marginBalance: 0,
      shortBalance: 0,
      accountValue: r2(start),
    };
    sa.currentBalances = {
      accruedInterest: 0,
      cashBalance: r2(m.cash),
      cashReceipts: 0,
      longOptionMarketValue: r2(m.longOption),
      liquidationValue: r2(m.liquidationValue),
      longMarketValue: r2(m.longStock + m.mmf),
      moneyMarketFund: r2(m.mmf),
      savings: 0,
      shortMarketValue: r2(-m.shortStock),
      pendingDeposits: 0,
      mutualFundValue: 0,
      bondValue: 0,
      shortOptionMarketValue: r2(-m.shortOption),
      availableFunds: r2(m.availableFunds),
      availableFundsNonMarginableTrade: r2(m.availableFunds),
      buyingPower: r2(m.buyingPower),
      buyingPowerNonMarginableTrade: r2(m.availableFunds),
      dayTradingBuyingPower: r2(m.dayTradingBuyingPower),
      equity: r2(m.equity),
      equityPercentage: 100,
      longMarginValue: r2(m.longStock),
      maintenanceCall: 0,
      maintenanceRequirement: r2(m.maintenance),
      marginBalance: 0,
      regTCall: 0,
      shortBalance: 0,
      shortMarginValue: r2(m.shortStock),
      sma: r2(m.availableFunds),
    };
    sa.projectedBalances = {
      availableFunds: r2(m.availableFunds),
      availableFundsNonMarginableTrade: r2(m.availableFunds),
      buyingPower: r2(m.buyingPower),
      dayTradingBuyingPower: r2(m.dayTradingBuyingPower),
      dayTradingBuyingPowerCall: 0,
      maintenanceCall: 0,
      regTCall: 0,
      isInCall: false,
      stockBuyingPower: r2(m.buyingPower),
    };
  } else {
    const available = r2(m.availableFunds);
    sa.initialBalances = {
      accruedInterest: 0,
      cashAvailableForTrading: available,
      cashAvailableForWithdrawal: available,
      cashBalance: r2(m.cash),
      bondValue: 0,
      cashReceipts: 0,
      liquidationValue: r2(start),
      longOptionMarketValue: r2(m.longOption),
      longStockValue: r2(m.longStock),
      moneyMarketFund: r2(m.mmf),
      mutualFundValue: 0,
      shortOptionMarketValue: r2(-m.shortOption),
      shortStockValue: 0,
      isInCall: false,
      unsettledCash: 0,
      cashDebitCallValue: 0,
      pendingDeposits: 0,
      accountValue: r2(start),
    };
    sa.currentBalances = {
      accruedInterest: 0,
      cashBalance: r2(m.cash),
      cashReceipts: 0,
      longOptionMarketValue: r2(m.longOption),
      liquidationValue: r2(m.liquidationValue),
      longMarketValue: r2(m.longStock + m.mmf),
      moneyMarketFund: r2(m.mmf),
      savings: 0,
      shortMarketValue: 0,
      pendingDeposits: 0,
      mutualFundValue: 0,
      bondValue: 0,
      shortOptionMarketValue: r2(-m.shortOption),
      cashAvailableForTrading: available,
      cashAvailableForWithdrawal: available,
      cashCall: 0,
      longNonMarginableMarketValue: r2(m.longStock),
      totalCash: r2(m.cash),
      cashDebitCallValue: 0,
      unsettledCash: 0,
    };
    sa.projectedBalances = {
      cashAvailableForTrading: available,
      cashAvailableForWithdrawal: available,
    };
  }
  return sa;
}

function renderAccount(ctx, account) {
  bringUpToDate(ctx, account);
  const withPositions = queryList(ctx.query, 'fields').includes('positions');
  const m = accountMetrics(account, ctx.now);
  return {
    securitiesAccount: renderSecuritiesAccount(account, m, withPositions),
    aggregatedBalance: {
      currentLiquidationValue: r2(m.liquidationValue),
      liquidationValue: r2(m.liquidationValue),
    },
  };
}

function accountNumbers(ctx) {
  return ok(accountsOf(ctx).map((a) => ({ accountNumber: a.number, hashValue: a.hash })));
}

function accounts(ctx) {
  return ok(accountsOf(ctx).map((a) => renderAccount(ctx, a)));
}

function account(ctx) {
  return ok(renderAccount(ctx, accountByHash(ctx)));
}

// ---- orders --------------------------------------------------------------------

function parseTimeParam(ctx, name, required) {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') {
    if (required)
      throw new HttpError(
        traderError(400, `${name} is required`, [
          `'${name}' must be provided in the format yyyy-MM-dd'T'HH:mm:ss.SSSZ`,
        ]),
      );
    return undefined;
  }
  const ms = Date.parse(raw);
  if (Number.isNaN(ms))
    throw new HttpError(
      traderError(400, `Invalid ${name}`, [
        `'${name}' must be in the format yyyy-MM-dd'T'HH:mm:ss.SSSZ, got '${raw}'`,
      ]),
    );
  return ms;
}

function orderFilters(ctx, maxRangeDays) {
  const from = parseTimeParam(ctx, 'fromEnteredTime', true);
  const to = parseTimeParam(ctx, 'toEnteredTime', true);
  if (to < from)
    throw new HttpError(traderError(400, 'toEnteredTime must not be before fromEnteredTime'));
  if (to - from > maxRangeDays * 86_400_000 + 86_400_000)
    throw new HttpError(traderError(400, `The date range must not exceed ${maxRangeDays} days`));
  const status = ctx.query.get('status');
  if (status && !ORDER_STATUSES.includes(status))
    throw new HttpError(traderError(400, `Invalid status '${status}'`));
  const maxResults = ctx.query.get('maxResults') ? Number(ctx.query.get('maxResults')) : 3000;
  if (!Number.isInteger(maxResults) || maxResults < 1)
    throw new HttpError(traderError(400, 'maxResults must be a positive integer'));
  return { from, to, status, maxResults };
}

function listOrders(ctx, accountList, filters) {
  const out = [];
  for (const account of accountList) {
    bringUpToDate(ctx, account);
    for (const order of account.orders) {
      if (order.enteredTime < filters.from || order.enteredTime > filters.to) continue;
      const rendered = renderOrder(order, account);
      if (filters.status && rendered.status !== filters.status) continue;
      out.push(rendered);
    }
  }
  out.sort((a, b) => (a.enteredTime < b.enteredTime ? 1 : -1));
  return out.slice(0, filters.maxResults);
}

function allOrders(ctx) {
  return ok(listOrders(ctx, accountsOf(ctx), orderFilters(ctx, 60)));
}

function accountOrders(ctx) {
  const account = accountByHash(ctx);
  return ok(listOrders(ctx, [account], orderFilters(ctx, 366)));
}

function findOrder(ctx, account) {
  const id = Number(ctx.params.orderId);
  if (!Number.isSafeInteger(id))
    throw new HttpError(traderError(400, 'orderId must be an integer'));
  const order = account.orders.find((o) => o.id === id);
  if (!order)
    throw new HttpError(
      traderError(404, 'Order not found', [
        `Order ${ctx.params.orderId} was not found for this account`,
      ]),
    );
  return order;
}

function getOrder(ctx) {
  const account = accountByHash(ctx);
  bringUpToDate(ctx, account);
  return ok(renderOrder(findOrder(ctx, account), account));
}

/** Runs a parsed order: rejects it, fills it or leaves it working. */
function submit(ctx, account, order) {
  order.id = ctx.state.ids.order('schwab');
  const reason = rejectionReason(account, order, ctx.now);
  if (reason) {
    order.status = 'rejected';
    order.statusDescription = reason;
    order.closeTime = ctx.now;
  } else if (order.tif === 'fok' || order.tif === 'ioc') {
    if (isMarketable(order, ctx.now)) execute(account, order, ctx.now, schwabFees);
    else {
      order.status = 'canceled';
      order.closeTime = ctx.now;
    }
  } else if (isMarketable(order, ctx.now)) {
    execute(account, order, ctx.now, schwabFees);
  } else {
    order.status = 'working';
  }
  if (order.status === 'filled')
    journalFills(account, order, () => ctx.state.ids.transaction('schwab'));
  account.orders.push(order);
  ctx.state.stats.ordersPlaced.schwab++;
  return order;
}

function locationOf(ctx, account, order) {
  return `http://${ctx.headers.host || `127.0.0.1:${ctx.state.port}`}/schwab/trader/v1/accounts/${account.hash}/orders/${order.id}`;
}

function parseBodyOrFail(ctx) {
  const body = parseJson(ctx.body);
  const { order, error } = parseOrderRequest(body, ctx.now);
  if (error)
    throw new HttpError(
      traderError(400, 'A validation error occurred while processing the request.', error),
    );
  return order;
}

function placeOrder(ctx) {
  const account = accountByHash(ctx);
  bringUpToDate(ctx, account);
  const order = submit(ctx, account, parseBodyOrFail(ctx));
  return empty(201, correlHeaders({ location: locationOf(ctx, account, order) }));
}

function cancelOrder(ctx) {
  const account = accountByHash(ctx);
  bringUpToDate(ctx, account);
  const order = findOrder(ctx, account);
  if (order.status !== 'working')
    return traderError(400, 'Order cannot be canceled', [
      `Order ${order.id} is ${order.status} and not cancelable`,
    ]);
  order.status = 'canceled';
  order.closeTime = ctx.now;
  return empty(200, correlHeaders());
}

function replaceOrder(ctx) {
  const account = accountByHash(ctx);
  bringUpToDate(ctx, account);
  const old = findOrder(ctx, account);
  const replacement = parseBodyOrFail(ctx);
  if (old.status !== 'working')
    return traderError(400, 'Order cannot be replaced', [
      `Order ${old.id} is ${old.status} and not editable`,
    ]);
  old.status = 'replaced';
  old.closeTime = ctx.now;
  const order = submit(ctx, account, replacement);
  old.replacedBy = order.id;
  order.replaces = old.id;
  return empty(201, correlHeaders({ location: locationOf(ctx, account, order) }));
}

function previewOrder(ctx) {
  const account = accountByHash(ctx);
  bringUpToDate(ctx, account);
  const order = parseBodyOrFail(ctx);
  return ok(renderPreview(account, order, ctx.now, rejectionReason(account, order, ctx.now)));
}

// ---- transactions --------------------------------------------------------------

function renderTransaction(account, tx) {
  const time = schwabTime(tx.time);
  const base = {
    activityId: tx.id,
    time,
    accountNumber: account.number,
    type: 'TRADE',
    status: 'VALID',
    subAccount: account.margin ? 'MARGIN' : 'CASH',
    tradeDate: time,
  };
  if (tx.kind === 'trade') {
    const fees = tx.fees || {};
    const items = [];
    const feeItem = (amount, feeType) =>
      items.push({ instrument: CURRENCY_USD, amount, cost: -amount, feeType });
    feeItem(r2(fees.commission || 0), 'COMMISSION');
    if (fees.sec) feeItem(fees.sec, 'SEC_FEE');
    if (fees.optReg || fees.regulatory) feeItem(fees.optReg || fees.regulatory, 'OPT_REG_FEE');
    if (fees.taf) feeItem(fees.taf, 'TAF_FEE');
    const feeTotal = items.reduce((a, i) => a + i.amount, 0);
    items.push({
      instrument: transactionInstrument(tx.desc, tx.price),
      amount: tx.quantity,
      cost: tx.amount,
      price: tx.price,
      positionEffect: tx.effect === 'close' ? 'CLOSING' : 'OPENING',
    });
    return {
      ...base,
      settlementDate: schwabTime(tx.time + (tx.desc.kind === 'option' ? 1 : 1) * 86_400_000),
      positionId: 2400000000 + (tx.id % 100000000),
      orderId: tx.orderId ?? undefined,
      netAmount: r2(tx.amount - feeTotal),
      transferItems: items,
    };
  }
  if (tx.kind === 'deposit') {
    return {
      ...base,
      type: 'ACH_RECEIPT',
      description: tx.description,
      settlementDate: time,
      netAmount: tx.amount,
      transferItems: [{ instrument: CURRENCY_USD, amount: tx.amount, cost: tx.amount }],
    };
  }
  // dividend / interest
  const items = [{ instrument: CURRENCY_USD, amount: tx.amount, cost: 0 }];
  if (tx.desc) items.push({ instrument: transactionInstrument(tx.desc, 0), amount: 0, cost: 0 });
  return {
    ...base,
    type: 'DIVIDEND_OR_INTEREST',
    description: tx.description,
    settlementDate: time,
    netAmount: tx.amount,
    transferItems: items,
  };
}

function typeOf(tx) {
  return (
    {
      trade: 'TRADE',
      deposit: 'ACH_RECEIPT',
      dividend: 'DIVIDEND_OR_INTEREST',
      interest: 'DIVIDEND_OR_INTEREST',
    }[tx.kind] || 'JOURNAL'
  );
}

function transactions(ctx) {
  const account = accountByHash(ctx);
  bringUpToDate(ctx, account);
  const start = ctx.query.get('startDate');
  const end = ctx.query.get('endDate');
  const types = queryList(ctx.query, 'types');
  const missing = [!start && 'startDate', !end && 'endDate', !types.length && 'types'].filter(
    Boolean,
  );
  if (missing.length)
    return traderError(
      400,
      'A validation error occurred while processing the request.',
      missing.map((n) => `'${n}' is required`),
    );
  const from = Date.parse(start);
  const to = Date.parse(end);
  if (Number.isNaN(from) || Number.isNaN(to))
    return traderError(
      400,
      "startDate and endDate must be ISO-8601 date-times (yyyy-MM-dd'T'HH:mm:ss.SSSZ)",
    );
  if (to - from > 366 * 86_400_000)
    return traderError(400, 'The date range must not exceed one year');
  const bad = types.find((t) => !TRANSACTION_TYPES.includes(t));
  if (bad) return traderError(400, `Invalid transaction type '${bad}'`);
  const symbol = ctx.query.get('symbol');
  const out = account.transactions
    .filter((tx) => tx.time >= from && tx.time <= to && types.includes(typeOf(tx)))
    .filter(
      (tx) => !symbol || (tx.symbol && (tx.symbol === symbol || tx.desc?.inst?.symbol === symbol)),
    )
    .map((tx) => renderTransaction(account, tx))
    .slice(0, 3000);
  return ok(out);
}

function transaction(ctx) {
  const account = accountByHash(ctx);
  const id = Number(ctx.params.id);
  const tx = account.transactions.find((x) => x.id === id);
  if (!tx) return traderError(404, 'Transaction not found');
  // The published spec declares an array here.
  return ok([renderTransaction(account, tx)]);
}

// ---- user preference -------------------------------------------------------------

function userPreference(ctx) {
  const user = ctx.state.user('schwab', ctx.user);
  return ok({
    accounts: user.accounts.map((a, i) => ({
      accountNumber: a.number,
      primaryAccount: !!a.primary,
      type: a.ira ? 'IRA' : 'BROKERAGE',
      nickName: a.nickName,
      accountColor: i % 2 === 0 ? 'Green' : 'Blue',
      displayAcctId: `...${a.number.slice(-4)}`,
      autoPositionEffect: false,
    })),
    streamerInfo: [
      {
        streamerSocketUrl: 'wss://streamer-api.schwab.com/ws',
        schwabClientCustomerId: user.customerId,
        schwabClientCorrelId: ctx.token.correlId,
        schwabClientChannel: 'N9',
        schwabClientFunctionId: 'APIAPP',
      },
    ],
    offers: [{ level2Permissions: true, mktDataPermission: 'NP' }],
  });
}

export function registerSchwabTrader(router) {
  const auth = { auth: true };
  router.add('GET', '/trader/v1/accounts/accountNumbers', accountNumbers, auth);
  router.add('GET', '/trader/v1/accounts', accounts, auth);
  router.add('GET', '/trader/v1/accounts/:hash', account, auth);
  router.add('GET', '/trader/v1/orders', allOrders, auth);
  router.add('GET', '/trader/v1/accounts/:hash/orders', accountOrders, auth);
  router.add('POST', '/trader/v1/accounts/:hash/orders', placeOrder, auth);
  router.add('GET', '/trader/v1/accounts/:hash/orders/:orderId', getOrder, auth);
  router.add('DELETE', '/trader/v1/accounts/:hash/orders/:orderId', cancelOrder, auth);
  router.add('PUT', '/trader/v1/accounts/:hash/orders/:orderId', replaceOrder, auth);
  router.add('POST', '/trader/v1/accounts/:hash/previewOrder', previewOrder, auth);
  router.add('GET', '/trader/v1/accounts/:hash/transactions', transactions, auth);
  router.add('GET', '/trader/v1/accounts/:hash/transactions/:id', transaction, auth);
  router.add('GET', '/trader/v1/userPreference', userPreference, auth);
}
