// tastytrade transaction history: paginated /accounts/{n}/transactions with
// its filters, a single transaction, and the total-fees summary of a day.

import { etDate } from '../data/calendar.mjs';
import { queryList } from '../http-util.mjs';
import { accountParam } from './common.mjs';
import { ttStatusError } from './errors.mjs';
import { dec, instrumentType, ok, paginate, ttTimeZ, withEffect } from './format.mjs';

function actionOf(tx) {
  const buy = tx.quantity > 0;
  if (tx.desc.kind === 'option' || tx.effect)
    return `${buy ? 'Buy' : 'Sell'} to ${tx.effect === 'close' ? 'Close' : 'Open'}`;
  return buy ? 'Buy' : 'Sell';
}

function describeTrade(tx) {
  const qty = Math.abs(tx.quantity);
  const verb = tx.quantity > 0 ? 'Bought' : 'Sold';
  if (tx.desc.kind === 'option') {
    const p = tx.desc.parts;
    const [y, m, d] = p.expDate.split('-');
    return `${verb} ${qty} ${tx.desc.inst.ttSymbol} ${m}/${d}/${y.slice(2)} ${p.call ? 'Call' : 'Put'} ${p.strike.toFixed(2)} @ ${tx.price.toFixed(2)}`;
  }
  return `${verb} ${qty} ${tx.desc.inst.ttSymbol} @ ${tx.price.toFixed(2)}`;
}

export function transactionBody(account, tx) {
  const base = {
    id: tx.id,
    'account-number': account.number,
    'executed-at': ttTimeZ(tx.time),
    'transaction-date': etDate(tx.time),
    currency: 'USD',
  };
  if (tx.kind === 'trade') {
    const fees = tx.fees || {};
    const commission = fees.commission || 0;
    const clearing = fees.clearing || 0;
    const regulatory = fees.regulatory || fees.sec || 0;
    const proprietary = fees.proprietary || 0;
    const net = tx.amount - commission - clearing - regulatory - proprietary;
    const action = actionOf(tx);
    const body = {
      ...base,
      'transaction-type': 'Trade',
      'transaction-sub-type': action,
      action,
      symbol: tx.symbol,
      'underlying-symbol': tx.desc.inst.ttSymbol,
      'instrument-type': instrumentType(tx.desc),
      quantity: dec(Math.abs(tx.quantity)),
      price: dec(tx.price),
      description: describeTrade(tx),
    };
    withEffect(body, 'value', tx.amount, 2);
    withEffect(body, 'net-value', net, 2);
    withEffect(body, 'commission', -commission, 2);
    withEffect(body, 'clearing-fees', -clearing, 3);
    withEffect(body, 'regulatory-fees', -regulatory, 3);
    withEffect(body, 'proprietary-index-option-fees', -proprietary, 2);
    body['is-estimated-fee'] = true;
    if (tx.orderId) body['order-id'] = tx.orderId;
    body['exchange'] = 'XCBO';
    body['leg-count'] = 1;
    return body;
  }
  const sub =
    { deposit: 'Deposit', dividend: 'Dividend', interest: 'Credit Interest' }[tx.kind] ||
    'Balance Adjustment';
  const body = {
    ...base,
    'transaction-type': 'Money Movement',
    'transaction-sub-type': sub,
    description: tx.kind === 'deposit' ? 'Cash deposit' : tx.description,
  };
  if (tx.desc) {
    body.symbol = tx.desc.symbol;
    body['underlying-symbol'] = tx.desc.inst.ttSymbol;
    body['instrument-type'] = 'Equity';
  }
  withEffect(body, 'value', tx.amount, 2);
  withEffect(body, 'net-value', tx.amount, 2);
  body['is-estimated-fee'] = false;
  return body;
}

function transactions(ctx) {
  const account = accountParam(ctx);
  const q = ctx.query;
  const startDate = q.get('start-date');
  const endDate = q.get('end-date');
  const startAt = q.get('start-at') ? Date.parse(q.get('start-at')) : null;
  const endAt = q.get('end-at') ? Date.parse(q.get('end-at')) : null;
  for (const [name, v] of [
    ['start-date', startDate],
    ['end-date', endDate],
  ]) {
    if (v && !/^\d{4}-\d{2}-\d{2}$/.test(v))
      return ttStatusError(400, `${name} must be YYYY-MM-DD`);
  }
  const perPage = Number(q.get('per-page') || 250);
  if (!(perPage >= 1 && perPage <= 2000))
    return ttStatusError(400, 'per-page must be between 1 and 2000');
  const symbol = q.get('symbol');
  const underlying = q.get('underlying-symbol');
  const types = [...queryList(q, 'types'), ...(q.get('type') ? [q.get('type')] : [])];
  const subTypes = queryList(q, 'sub-type');
  const instrument = q.get('instrument-type');
  const action = q.get('action');
  const asc = (q.get('sort') || 'Desc') === 'Asc';
  let list = account.transactions.map((tx) => transactionBody(account, tx));
  list = list.filter((b) => {
    if (startDate && b['transaction-date'] < startDate) return false;
    if (endDate && b['transaction-date'] > endDate) return false;
    const t = Date.parse(b['executed-at']);
    if (startAt !== null && t < startAt) return false;
    if (endAt !== null && t > endAt) return false;
    if (symbol && b.symbol !== symbol) return false;
    if (underlying && b['underlying-symbol'] !== underlying) return false;
    if (types.length && !types.includes(b['transaction-type'])) return false;
    if (subTypes.length && !subTypes.includes(b['transaction-sub-type'])) return false;
    if (instrument && b['instrument-type'] !== instrument) return false;
    if (action && b.action !== action) return false;
    return true;
  });
  list.sort(
    (a, b) => (asc ? 1 : -1) * (Date.parse(a['executed-at']) - Date.parse(b['executed-at'])),
  );
  const { items, pagination } = paginate(list, q);
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      data: { items },
      context: `/accounts/${account.number}/transactions`,
      pagination,
    }),
  };
}

function transaction(ctx) {
  const account = accountParam(ctx);
  const tx = account.transactions.find((t) => String(t.id) === ctx.params.id);
  if (!tx) return ttStatusError(404, `Transaction ${ctx.params.id} not found`);
  return ok(transactionBody(account, tx), `/accounts/${account.number}/transactions/${tx.id}`);
}

function totalFees(ctx) {
  const account = accountParam(ctx);
  const date = ctx.query.get('date') || etDate(ctx.now);
  let total = 0;
  for (const tx of account.transactions) {
    if (tx.kind !== 'trade' || etDate(tx.time) !== date) continue;
    const f = tx.fees || {};
    total += (f.commission || 0) + (f.clearing || 0) + (f.regulatory || 0) + (f.proprietary || 0);
  }
  const body = {};
  withEffect(body, 'total-fees', -total, 3);
  return ok(body, `/accounts/${account.number}/transactions/total-fees`);
}

export function registerTastytradeTransactions(router) {
  const auth = { auth: true };
  router.add('GET', '/accounts/:account/transactions', transactions, auth);
  router.add('GET', '/accounts/:account/transactions/total-fees', totalFees, auth);
  router.add('GET', '/accounts/:account/transactions/:id', transaction, auth);
}
