// tastytrade orders: submit, dry-run, replace (PUT), edit (PATCH),
// replacement dry-run, cancel, live and paginated history at account and
// customer level, and complex orders (OCO, OTO, OTOCO). Submits answer
// status "Received"; later reads show Live / Filled / Cancelled.

import { etDate } from '../data/calendar.mjs';
import { marketState } from '../data/prices.mjs';
import { HttpError, parseJson, queryList, table } from '../http-util.mjs';
import {
  buyingPowerError,
  execute,
  expiryFor,
  isMarketable,
  journalFills,
  resolveLegs,
  whatIf,
} from '../order-engine.mjs';
import {
  accountParam,
  accountsOf,
  bringUpToDate,
  setComplexSettler,
  tastytradeFees,
} from './common.mjs';
import { ttError, ttStatusError } from './errors.mjs';
import { dec, effect, instrumentType, ok, paginate, ttTime, withEffect } from './format.mjs';

const ORDER_TYPES = table({
  Limit: 'limit',
  Market: 'market',
  Stop: 'stop',
  'Stop Limit': 'stop_limit',
  'Marketable Limit': 'limit',
});
const TIFS = table({
  Day: 'day',
  GTC: 'gtc',
  GTD: 'gtd',
  Ext: 'ext',
  'Ext Overnight': 'ext',
  'GTC Ext': 'gtc',
  'GTC Ext Overnight': 'gtc',
  IOC: 'ioc',
});
const ACTIONS = table({
  'Buy to Open': ['buy', 'open'],
  'Buy to Close': ['buy', 'close'],
  'Sell to Open': ['sell', 'open'],
  'Sell to Close': ['sell', 'close'],
  Buy: ['buy', 'auto'],
  Sell: ['sell', 'auto'],
});
const STATUS = {
  working: 'Live',
  filled: 'Filled',
  canceled: 'Cancelled',
  replaced: 'Cancelled',
  rejected: 'Rejected',
  expired: 'Expired',
  contingent: 'Contingent',
};

function validationError(errors) {
  return new HttpError(
    ttError(
      400,
      'validation_error',
      'Request validation failed',
      errors.map(([domain, reason]) => ({ domain, reason })),
    ),
  );
}

/** Parses an order body into a neutral order; throws a 400 on malformed input. */
export function parseOrder(body, t, { requireLegs = true } = {}) {
  const errors = [];
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw validationError([['body', 'must be a JSON object']]);
  const orderType = body['order-type'];
  const tif = body['time-in-force'];
  if (orderType === 'Notional Market')
    throw validationError([
      ['order-type', 'Notional Market orders are not supported by this sandbox'],
    ]);
  if (!(orderType in ORDER_TYPES))
    errors.push(['order-type', orderType === undefined ? 'is missing' : 'is invalid']);
  if (!(tif in TIFS))
    errors.push(['time-in-force', tif === undefined ? 'is missing' : 'is invalid']);
  if (tif === 'GTD' && !body['gtc-date']) errors.push(['gtc-date', 'is required for GTD orders']);
  const type = ORDER_TYPES[orderType];
  if (type === 'limit' || type === 'stop_limit') {
    if (!(Number(body.price) > 0)) errors.push(['price', 'is missing']);
    if (!['Debit', 'Credit'].includes(body['price-effect']))
      errors.push(['price-effect', 'must be Debit or Credit']);
  }
  if ((type === 'stop' || type === 'stop_limit') && !(Number(body['stop-trigger']) > 0))
    errors.push(['stop-trigger', 'is missing']);
  if (type === 'market' && tif === 'GTC')
    errors.push(['time-in-force', 'GTC is not allowed for market orders']);
  const legs = [];
  if (requireLegs) {
    if (!Array.isArray(body.legs) || body.legs.length === 0) errors.push(['legs', 'is missing']);
    else if (body.legs.length > 4) errors.push(['legs', 'may have at most 4 legs']);
    else {
      body.legs.forEach((l, i) => {
        const mapped = ACTIONS[l && l.action];
        if (!mapped) errors.push([`legs[${i}].action`, 'is invalid']);
        if (!l || !l.symbol) errors.push([`legs[${i}].symbol`, 'is missing']);
        if (!l || !['Equity', 'Equity Option'].includes(l['instrument-type']))
          errors.push([`legs[${i}].instrument-type`, 'must be Equity or Equity Option']);
        const quantity = Number(l && l.quantity);
        if (!(quantity > 0)) errors.push([`legs[${i}].quantity`, 'must be positive']);
        if (mapped && l && l.symbol)
          legs.push({
            symbol: String(l.symbol),
            side: mapped[0],
            effect: mapped[1],
            quantity,
            action: l.action,
            instrumentType: l['instrument-type'],
          });
      });
      if (type === 'market' && body.legs.length > 1)
        errors.push(['legs', 'market orders take a single leg']);
    }
  }
  if (errors.length) throw validationError(errors);
  const order = {
    orderType: type,
    ttOrderType: orderType,
    tif: TIFS[tif],
    ttTif: tif,
    gtcDate: body['gtc-date'],
    price: body.price !== undefined ? Math.abs(Number(body.price)) : undefined,
    priceEffect: body['price-effect'] ? body['price-effect'].toLowerCase() : null,
    stopPrice: body['stop-trigger'] !== undefined ? Number(body['stop-trigger']) : undefined,
    source: body.source,
    legs,
    enteredTime: t,
    fills: [],
    filledQuantity: 0,
  };
  if (requireLegs) {
    const problem = resolveLegs(order, t);
    if (problem) throw new HttpError(ttError(422, 'invalid_symbol', problem));
    for (const leg of order.legs) {
      if (
        leg.instrumentType !== instrumentType(leg.desc) &&
        !(leg.instrumentType === 'Equity' && leg.desc.kind === 'mmf')
      ) {
        throw validationError([
          ['legs', `instrument-type ${leg.instrumentType} does not match ${leg.symbol}`],
        ]);
      }
    }
    const equities = order.legs.filter((l) => l.desc.kind !== 'option').length;
    if (equities > 1) throw validationError([['legs', 'equity orders take a single equity leg']]);
    if (!order.priceEffect) order.priceEffect = order.legs[0].side === 'buy' ? 'debit' : 'credit';
  }
  order.expiresAt = expiryFor(order.tif, t, order.gtcDate);
  return order;
}

/** Preflight checks: [{code, message}] (empty when the order may go). */
function preflight(account, order, t) {
  const errors = [];
  for (const leg of order.legs) {
    const held = account.positions.get(leg.symbol)?.quantity || 0;
    if (leg.effect === 'close') {
      const closable = leg.side === 'sell' ? Math.max(0, held) : Math.max(0, -held);
      if (closable < leg.quantity)
        errors.push({
          code: 'invalid_position_effect',
          message: `Closing quantity exceeds the ${leg.symbol.trim()} position`,
        });
    }
    if (!account.margin && leg.side === 'sell' && leg.effect === 'open') {
      const coveredCall =
        leg.desc.kind === 'option' &&
        leg.desc.parts.call &&
        (account.positions.get(leg.desc.inst.symbol)?.quantity || 0) >= 100 * leg.quantity;
      const spreadOrPut =
        leg.desc.kind === 'option' &&
        (!leg.desc.parts.call ||
          order.legs.some((o) => o !== leg && o.side === 'buy' && o.desc.kind === 'option'));
      if (leg.desc.kind !== 'option' || (!coveredCall && !spreadOrPut))
        errors.push({
          code: 'not_permitted',
          message: 'Short positions are not permitted in a cash account',
        });
    }
  }
  if (order.legs.length === 1 && order.orderType !== 'market') {
    const buy = order.legs[0].side === 'buy';
    if ((buy && order.priceEffect === 'credit') || (!buy && order.priceEffect === 'debit')) {
      errors.push({
        code: 'invalid_price_effect',
        message: `${buy ? 'Buy' : 'Sell'} orders must be ${buy ? 'Debit' : 'Credit'}`,
      });
    }
  }
  if (!errors.length) {
    const bp = buyingPowerError(account, order, t, tastytradeFees);
    if (bp)
      errors.push({
        code: 'margin_check_failed',
        message: `${bp}: this order exceeds your available buying power`,
      });
  }
  return errors;
}

function buyingPowerEffect(account, order, t) {
  const { before, after, fills } = whatIf(account, order, t, tastytradeFees);
  const bpBefore = account.margin ? before.optionBuyingPower : before.buyingPower;
  const bpAfter = account.margin ? after.optionBuyingPower : after.buyingPower;
  const change = bpAfter - bpBefore;
  const marginChange = account.margin
    ? after.initial - before.initial
    : after.cashSecured - before.cashSecured;
  const bpe = {};
  withEffect(bpe, 'change-in-margin-requirement', -marginChange, 6);
  withEffect(bpe, 'change-in-buying-power', change, 6);
  withEffect(bpe, 'current-buying-power', bpBefore, 6);
  withEffect(bpe, 'new-buying-power', bpAfter, 6);
  withEffect(bpe, 'isolated-order-margin-requirement', -Math.max(0, marginChange), 6);
  bpe['is-spread'] = order.legs.filter((l) => l.desc.kind === 'option').length > 1;
  bpe.impact = dec(Math.abs(change), 6);
  bpe.effect = effect(change);
  const totals = fills.reduce(
    (acc, f) => {
      for (const k of ['commission', 'clearing', 'regulatory', 'proprietary', 'total'])
        acc[k] += f.fees[k] || 0;
      return acc;
    },
    { commission: 0, clearing: 0, regulatory: 0, proprietary: 0, total: 0 },
  );
  const fees = {};
  withEffect(fees, 'regulatory-fees', -totals.regulatory, 6);
  withEffect(fees, 'clearing-fees', -totals.clearing, 6);
  withEffect(fees, 'commission', -totals.commission, 6);
  withEffect(fees, 'proprietary-index-option-fees', -totals.proprietary, 6);
  withEffect(fees, 'total-fees', -totals.total, 6);
  return { bpe, fees };
}

function warnings(order, t, account) {
  const out = [];
  if (account.optionLevel < 1 && order.legs.some((leg) => leg.desc.kind === 'option')) {
    out.push({
      code: 'account.option_level',
      message: `Account ${account.number} is not approved for this option level`,
    });
  }
  if (marketState(t) !== 'OPEN' && order.orderType !== 'market') {
    out.push({
      code: 'tif.next_valid_session',
      message: 'Your order will begin working during next valid session.',
    });
  }
  return out;
}

function underlyingOf(order) {
  const leg = order.legs[0];
  return {
    symbol: leg.desc.inst.ttSymbol,
    type: leg.desc.inst.kind === 'index' ? 'Index' : 'Equity',
  };
}

export function renderOrder(order, account, { asReceived = false, dryRun = false } = {}) {
  const u = underlyingOf(order);
  const status = asReceived || dryRun ? 'Received' : STATUS[order.status] || 'Received';
  const body = {};
  if (!dryRun) body.id = order.id;
  Object.assign(body, {
    'account-number': account.number,
    'time-in-force':
      order.ttTif ||
      { day: 'Day', gtc: 'GTC', gtd: 'GTD', ext: 'Ext', ioc: 'IOC' }[order.tif] ||
      'Day',
    'order-type':
      order.ttOrderType ||
      { limit: 'Limit', market: 'Market', stop: 'Stop', stop_limit: 'Stop Limit' }[order.orderType],
    size: order.legs[0].quantity,
    'underlying-symbol': u.symbol,
    'underlying-instrument-type': u.type,
  });
  if (order.price !== undefined) {
    body.price = dec(order.price);
    body['price-effect'] = order.priceEffect === 'credit' ? 'Credit' : 'Debit';
  }
  if (order.stopPrice !== undefined) body['stop-trigger'] = dec(order.stopPrice);
  if (order.gtcDate) body['gtc-date'] = order.gtcDate;
  const working =
    !dryRun && (asReceived || order.status === 'working' || order.status === 'contingent');
  Object.assign(body, {
    status,
    cancellable: working,
    editable: working,
    edited: !!order.edited,
    'received-at': ttTime(order.enteredTime),
    'updated-at': dryRun ? 0 : order.updatedAt || order.closeTime || order.enteredTime,
  });
  if (!dryRun && !asReceived) {
    if (order.status === 'working' || order.status === 'filled')
      body['live-at'] = ttTime(order.enteredTime + 120);
    if (order.status === 'filled') body['filled-at'] = ttTime(order.closeTime);
    if (['filled', 'canceled', 'replaced', 'rejected', 'expired'].includes(order.status))
      body['terminal-at'] = ttTime(order.closeTime || order.enteredTime);
    if (order.status === 'canceled' || order.status === 'replaced')
      body['cancelled-at'] = ttTime(order.closeTime || order.enteredTime);
    if (order.rejectReason) body['reject-reason'] = order.rejectReason;
  }
  if (order.replaces) body['replaces-order-id'] = order.replaces;
  if (order.replacedBy) body['replacing-order-id'] = order.replacedBy;
  if (order.complexOrderId) {
    body['complex-order-id'] = order.complexOrderId;
    body['complex-order-tag'] = order.complexTag;
  }
  if (order.status === 'contingent' && !dryRun) body['contingent-status'] = 'Pending Condition';
  if (order.source) body.source = order.source;
  body.legs = order.legs.map((leg, i) => {
    const fills = asReceived || dryRun ? [] : (order.fills || []).filter((f) => f.leg === i);
    const filled = fills.reduce((a, f) => a + f.quantity, 0);
    return {
      'instrument-type': instrumentType(leg.desc),
      symbol: leg.symbol,
      quantity: leg.quantity,
      'remaining-quantity': leg.quantity - filled,
      action:
        leg.action ||
        (leg.desc.kind === 'option'
          ? `${leg.side === 'buy' ? 'Buy' : 'Sell'} to ${leg.effect === 'close' ? 'Close' : 'Open'}`
          : `${leg.side === 'buy' ? 'Buy' : 'Sell'} to ${leg.effect === 'close' ? 'Close' : 'Open'}`),
      fills: fills.map((f, k) => ({
        'ext-group-fill-id': `${order.id}${i}`,
        'ext-exec-id': `X${order.id}${i}${k}`,
        'fill-id': `${order.id}_${i}_${k}`,
        quantity: dec(f.quantity),
        'fill-price': dec(f.price),
        'filled-at': ttTime(f.time),
        'destination-venue': leg.desc.kind === 'option' ? 'CBOE_OPTIONS' : 'NASDAQ_EQUITIES',
      })),
    };
  });
  return body;
}

/** Routes an accepted order: fills it now when marketable, otherwise it rests. */
function route(ctx, account, order) {
  order.updatedAt = ctx.now;
  if (order.status === 'contingent') return;
  if (isMarketable(order, ctx.now)) {
    execute(account, order, ctx.now, tastytradeFees);
    journalFills(account, order, () => ctx.state.ids.transaction('tastytrade'));
  } else if (order.tif === 'ioc') {
    order.status = 'canceled';
    order.closeTime = ctx.now;
  } else {
    order.status = 'working';
  }
}

function submitOne(ctx, account, order) {
  const errors = preflight(account, order, ctx.now);
  if (errors.length)
    throw new HttpError(
      ttError(422, 'preflight_check_failure', 'One or more preflight checks failed', errors),
    );
  order.id = ctx.state.ids.order('tastytrade');
  account.orders.push(order);
  route(ctx, account, order);
  ctx.state.stats.ordersPlaced.tastytrade++;
  settleComplexOrders(ctx, account);
  return order;
}

function placedResponse(ctx, account, order, dryRun, context) {
  const { bpe, fees } = buyingPowerEffect(account, order, ctx.now);
  const data = {
    order: renderOrder(order, account, { asReceived: !dryRun, dryRun }),
    warnings: warnings(order, ctx.now, account),
    'buying-power-effect': bpe,
    'fee-calculation': fees,
  };
  if (dryRun) {
    const errors = preflight(account, order, ctx.now);
    if (errors.length) data.errors = errors;
  }
  return ok(data, context, 201);
}

function submit(ctx) {
  const account = accountParam(ctx);
  const order = parseOrder(parseJson(ctx.body), ctx.now);
  // Effects are computed before the fill changes the account.
  const { bpe, fees } = buyingPowerEffect(account, order, ctx.now);
  submitOne(ctx, account, order);
  return ok(
    {
      order: renderOrder(order, account, { asReceived: true }),
      warnings: warnings(order, ctx.now, account),
      'buying-power-effect': bpe,
      'fee-calculation': fees,
    },
    `/accounts/${account.number}/orders`,
    201,
  );
}

function dryRun(ctx) {
  const account = accountParam(ctx);
  const order = parseOrder(parseJson(ctx.body), ctx.now);
  return placedResponse(ctx, account, order, true, `/accounts/${account.number}/orders/dry-run`);
}

function findOrder(ctx, account) {
  const order = account.orders.find((o) => String(o.id) === ctx.params.id);
  if (!order) throw new HttpError(ttStatusError(404, `Order ${ctx.params.id} not found`));
  return order;
}

function getOrder(ctx) {
  const account = accountParam(ctx);
  return ok(
    renderOrder(findOrder(ctx, account), account),
    `/accounts/${account.number}/orders/${ctx.params.id}`,
  );
}

function requireWorking(order) {
  if (order.status !== 'working')
    throw new HttpError(
      ttError(
        422,
        'order_not_editable',
        `Order ${order.id} is ${STATUS[order.status] || order.status} and cannot be changed`,
      ),
    );
}

/** The replacement order built from an existing order and a PUT body without legs. */
function replacementFor(ctx, old) {
  const body = parseJson(ctx.body) || {};
  const merged = {
    'order-type': body['order-type'] ?? old.ttOrderType,
    'time-in-force': body['time-in-force'] ?? old.ttTif,
    price: body.price ?? old.price,
    'price-effect': body['price-effect'] ?? (old.priceEffect === 'credit' ? 'Credit' : 'Debit'),
    'stop-trigger': body['stop-trigger'] ?? old.stopPrice,
    'gtc-date': body['gtc-date'] ?? old.gtcDate,
    source: body.source ?? old.source,
  };
  if (merged['order-type'] === 'Market') {
    delete merged.price;
    delete merged['price-effect'];
  }
  const order = parseOrder(merged, ctx.now, { requireLegs: false });
  order.legs = old.legs.map((l) => ({ ...l }));
  return order;
}

function replaceOrder(ctx) {
  const account = accountParam(ctx);
  const old = findOrder(ctx, account);
  requireWorking(old);
  const order = replacementFor(ctx, old);
  old.status = 'replaced';
  old.closeTime = ctx.now;
  old.updatedAt = ctx.now;
  try {
    submitOne(ctx, account, order);
  } catch (err) {
    old.status = 'working';
    delete old.closeTime;
    throw err;
  }
  old.replacedBy = order.id;
  order.replaces = old.id;
  return ok(
    renderOrder(order, account, { asReceived: true }),
    `/accounts/${account.number}/orders/${old.id}`,
  );
}

function replaceDryRun(ctx) {
  const account = accountParam(ctx);
  const old = findOrder(ctx, account);
  requireWorking(old);
  const order = replacementFor(ctx, old);
  return placedResponse(
    ctx,
    account,
    order,
    true,
    `/accounts/${account.number}/orders/${old.id}/dry-run`,
  );
}

function editOrder(ctx) {
  const account = accountParam(ctx);
  const order = findOrder(ctx, account);
  requireWorking(order);
  const edited = replacementFor(ctx, order);
  Object.assign(order, {
    orderType: edited.orderType,
    ttOrderType: edited.ttOrderType,
    tif: edited.tif,
    ttTif: edited.ttTif,
    price: edited.price,
    priceEffect: edited.priceEffect,
    stopPrice: edited.stopPrice,
    gtcDate: edited.gtcDate,
    expiresAt: edited.expiresAt,
    edited: true,
  });
  route(ctx, account, order);
  settleComplexOrders(ctx, account);
  return ok(renderOrder(order, account), `/accounts/${account.number}/orders/${order.id}`);
}

function cancelOrder(ctx) {
  const account = accountParam(ctx);
  const order = findOrder(ctx, account);
  if (order.status !== 'working' && order.status !== 'contingent') {
    return ttError(
      422,
      'order_not_cancellable',
      `Order ${order.id} is ${STATUS[order.status]} and cannot be cancelled`,
    );
  }
  order.status = 'canceled';
  order.closeTime = ctx.now;
  order.updatedAt = ctx.now;
  const body = renderOrder(order, account);
  body.status = 'Cancel Requested';
  return ok(body, `/accounts/${account.number}/orders/${order.id}`);
}

// ---- listings --------------------------------------------------------------------

function isToday(ctx, order) {
  return etDate(order.enteredTime) === etDate(ctx.now);
}

function liveOrders(ctx) {
  const account = accountParam(ctx);
  const items = account.orders
    .filter((o) => isToday(ctx, o) || o.status === 'working' || o.status === 'contingent')
    .map((o) => renderOrder(o, account));
  return ok({ items }, `/accounts/${account.number}/orders/live`);
}

function filterOrders(ctx, list) {
  const q = ctx.query;
  const start = q.get('start-date');
  const end = q.get('end-date');
  const startAt = q.get('start-at') ? Date.parse(q.get('start-at')) : null;
  const endAt = q.get('end-at') ? Date.parse(q.get('end-at')) : null;
  const underlying = q.get('underlying-symbol');
  const statuses = queryList(q, 'status');
  const asc = (q.get('sort') || 'Desc') === 'Asc';
  const out = list.filter(({ order, body }) => {
    const d = etDate(order.enteredTime);
    if (start && d < start) return false;
    if (end && d > end) return false;
    if (startAt !== null && order.enteredTime < startAt) return false;
    if (endAt !== null && order.enteredTime > endAt) return false;
    if (underlying && body['underlying-symbol'] !== underlying) return false;
    if (statuses.length && !statuses.includes(body.status)) return false;
    return true;
  });
  out.sort((a, b) => (asc ? 1 : -1) * (a.order.enteredTime - b.order.enteredTime));
  return out.map((x) => x.body);
}

function paged(ctx, items, context) {
  const { items: page, pagination } = paginate(items, ctx.query, 10, 200);
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ data: { items: page }, context, pagination }),
  };
}

function searchOrders(ctx) {
  const account = accountParam(ctx);
  const list = account.orders.map((order) => ({ order, body: renderOrder(order, account) }));
  return paged(ctx, filterOrders(ctx, list), `/accounts/${account.number}/orders`);
}

function customerAccountsFor(ctx) {
  const user = ctx.state.user('tastytrade', ctx.user);
  if (ctx.params.customer !== 'me' && ctx.params.customer !== user.customerId)
    throw new HttpError(ttError(403, 'not_permitted', 'User not permitted access'));
  const wanted = queryList(ctx.query, 'account-numbers');
  const accounts = accountsOf(ctx).filter((a) => !wanted.length || wanted.includes(a.number));
  for (const a of accounts) bringUpToDate(ctx, a);
  return accounts;
}

function customerOrders(ctx) {
  const list = [];
  for (const account of customerAccountsFor(ctx))
    for (const order of account.orders) list.push({ order, body: renderOrder(order, account) });
  return paged(ctx, filterOrders(ctx, list), `/customers/${ctx.params.customer}/orders`);
}

function customerLiveOrders(ctx) {
  const items = [];
  for (const account of customerAccountsFor(ctx)) {
    for (const o of account.orders)
      if (isToday(ctx, o) || o.status === 'working' || o.status === 'contingent')
        items.push(renderOrder(o, account));
  }
  return ok({ items }, `/customers/${ctx.params.customer}/orders/live`);
}

// ---- complex orders ----------------------------------------------------------------

const COMPLEX_TYPES = ['OCO', 'OTO', 'OTOCO', 'PAIRS'];

/** Activates triggered children and cancels the other side of filled OCO groups. */
export function settleComplexOrders(ctx, account) {
  if (!account.complexOrders) return;
  for (const c of account.complexOrders) {
    const members = account.orders.filter((o) => o.complexOrderId === c.id);
    const trigger = members.find((o) => o.complexTag === 'trigger');
    const children = members.filter((o) => o.complexTag !== 'trigger');
    if (trigger && trigger.status === 'filled') {
      for (const child of children) {
        if (child.status === 'contingent') {
          child.status = 'working';
          route(ctx, account, child);
        }
      }
    }
    if (trigger && ['canceled', 'rejected', 'expired'].includes(trigger.status)) {
      for (const child of children)
        if (child.status === 'contingent')
          Object.assign(child, { status: 'canceled', closeTime: ctx.now });
    }
    if (c.type === 'OCO' || c.type === 'OTOCO') {
      if (children.some((o) => o.status === 'filled')) {
        for (const child of children)
          if (child.status === 'working')
            Object.assign(child, { status: 'canceled', closeTime: ctx.now, updatedAt: ctx.now });
      }
    }
  }
}

function renderComplex(c, account, opts = {}) {
  const members = account.orders.filter((o) => o.complexOrderId === c.id);
  const trigger = members.find((o) => o.complexTag === 'trigger');
  const body = { id: c.id, 'account-number': account.number, type: c.type };
  if (trigger) body['trigger-order'] = renderOrder(trigger, account, opts);
  body.orders = members
    .filter((o) => o.complexTag !== 'trigger')
    .map((o) => renderOrder(o, account, opts));
  return body;
}

function parseComplex(ctx) {
  const body = parseJson(ctx.body);
  if (!body || !COMPLEX_TYPES.includes(body.type))
    throw validationError([['type', `must be one of ${COMPLEX_TYPES.join(', ')}`]]);
  const needsTrigger = body.type === 'OTO' || body.type === 'OTOCO';
  if (needsTrigger && !body['trigger-order'])
    throw validationError([['trigger-order', 'is missing']]);
  if (!Array.isArray(body.orders) || body.orders.length === 0)
    throw validationError([['orders', 'is missing']]);
  const expected = { OCO: 2, OTO: 1, OTOCO: 2, PAIRS: 2 }[body.type];
  if (body.orders.length !== expected)
    throw validationError([['orders', `${body.type} takes ${expected} order(s)`]]);
  const trigger = needsTrigger ? parseOrder(body['trigger-order'], ctx.now) : null;
  const orders = body.orders.map((o) => parseOrder(o, ctx.now));
  return { type: body.type, trigger, orders };
}

function complexEffects(ctx, account, parsed) {
  const first = parsed.trigger || parsed.orders[0];
  return buyingPowerEffect(account, first, ctx.now);
}

function submitComplex(ctx) {
  const account = accountParam(ctx);
  const parsed = parseComplex(ctx);
  const all = [parsed.trigger, ...parsed.orders].filter(Boolean);
  for (const o of all) {
    const errors = preflight(account, o, ctx.now).filter(
      (e) => !(parsed.trigger && o !== parsed.trigger && e.code === 'invalid_position_effect'),
    );
    if (errors.length)
      throw new HttpError(
        ttError(422, 'preflight_check_failure', 'One or more preflight checks failed', errors),
      );
  }
  const { bpe, fees } = complexEffects(ctx, account, parsed);
  account.complexOrders ??= [];
  const c = { id: ctx.state.ids.order('tastytrade'), type: parsed.type, createdAt: ctx.now };
  account.complexOrders.push(c);
  if (parsed.trigger) {
    Object.assign(parsed.trigger, {
      id: ctx.state.ids.order('tastytrade'),
      complexOrderId: c.id,
      complexTag: 'trigger',
    });
    account.orders.push(parsed.trigger);
  }
  parsed.orders.forEach((o, i) => {
    Object.assign(o, {
      id: ctx.state.ids.order('tastytrade'),
      complexOrderId: c.id,
      complexTag: `order-${i + 1}`,
    });
    if (parsed.trigger) o.status = 'contingent';
    account.orders.push(o);
  });
  for (const o of all) route(ctx, account, o);
  settleComplexOrders(ctx, account);
  ctx.state.stats.ordersPlaced.tastytrade++;
  return ok(
    {
      'complex-order': renderComplex(c, account),
      warnings: [],
      'buying-power-effect': bpe,
      'fee-calculation': fees,
    },
    `/accounts/${account.number}/complex-orders`,
    201,
  );
}

function complexDryRun(ctx) {
  const account = accountParam(ctx);
  const parsed = parseComplex(ctx);
  const { bpe, fees } = complexEffects(ctx, account, parsed);
  const body = { type: parsed.type, 'account-number': account.number };
  if (parsed.trigger)
    body['trigger-order'] = renderOrder(parsed.trigger, account, { dryRun: true });
  body.orders = parsed.orders.map((o) => renderOrder(o, account, { dryRun: true }));
  const errors = [parsed.trigger, ...parsed.orders]
    .filter(Boolean)
    .flatMap((o) => preflight(account, o, ctx.now))
    .filter((e) => !(parsed.trigger && e.code === 'invalid_position_effect'));
  const data = {
    'complex-order': body,
    warnings: [],
    'buying-power-effect': bpe,
    'fee-calculation': fees,
  };
  if (errors.length) data.errors = errors;
  return ok(data, `/accounts/${account.number}/complex-orders/dry-run`, 201);
}

function findComplex(ctx, account) {
  const c = (account.complexOrders || []).find((x) => String(x.id) === ctx.params.id);
  if (!c) throw new HttpError(ttStatusError(404, `Complex order ${ctx.params.id} not found`));
  return c;
}

function listComplex(ctx, liveOnly) {
  const account = accountParam(ctx);
  settleComplexOrders(ctx, account);
  const live = (c) =>
    etDate(c.createdAt) === etDate(ctx.now) ||
    account.orders.some(
      (o) => o.complexOrderId === c.id && (o.status === 'working' || o.status === 'contingent'),
    );
  const list = (account.complexOrders || []).filter((c) => !liveOnly || live(c));
  const items = list.map((c) => renderComplex(c, account));
  if (liveOnly) return ok({ items }, `/accounts/${account.number}/complex-orders/live`);
  return paged(ctx, items, `/accounts/${account.number}/complex-orders`);
}

function getComplex(ctx) {
  const account = accountParam(ctx);
  settleComplexOrders(ctx, account);
  return ok(
    renderComplex(findComplex(ctx, account), account),
    `/accounts/${account.number}/complex-orders/${ctx.params.id}`,
  );
}

function cancelComplex(ctx) {
  const account = accountParam(ctx);
  const c = findComplex(ctx, account);
  let any = false;
  for (const o of account.orders) {
    if (o.complexOrderId === c.id && (o.status === 'working' || o.status === 'contingent')) {
      Object.assign(o, { status: 'canceled', closeTime: ctx.now, updatedAt: ctx.now });
      any = true;
    }
  }
  if (!any)
    return ttError(
      422,
      'order_not_cancellable',
      `Complex order ${c.id} has nothing left to cancel`,
    );
  return ok(renderComplex(c, account), `/accounts/${account.number}/complex-orders/${c.id}`);
}

setComplexSettler(settleComplexOrders);

export function registerTastytradeOrders(router) {
  const auth = { auth: true };
  router.add('GET', '/accounts/:account/orders/live', liveOrders, auth);
  router.add('POST', '/accounts/:account/orders/dry-run', dryRun, auth);
  router.add('GET', '/accounts/:account/orders', searchOrders, auth);
  router.add('POST', '/accounts/:account/orders', submit, auth);
  router.add('POST', '/accounts/:account/orders/:id/dry-run', replaceDryRun, auth);
  router.add('GET', '/accounts/:account/orders/:id', getOrder, auth);
  router.add('PUT', '/accounts/:account/orders/:id', replaceOrder, auth);
  router.add('PATCH', '/accounts/:account/orders/:id', editOrder, auth);
  router.add('DELETE', '/accounts/:account/orders/:id', cancelOrder, auth);
  router.add(
    'GET',
    '/accounts/:account/complex-orders/live',
    (ctx) => listComplex(ctx, true),
    auth,
  );
  router.add('POST', '/accounts/:account/complex-orders/dry-run', complexDryRun, auth);
  router.add('GET', '/accounts/:account/complex-orders', (ctx) => listComplex(ctx, false), auth);
  router.add('POST', '/accounts/:account/complex-orders', submitComplex, auth);
  router.add('GET', '/accounts/:account/complex-orders/:id', getComplex, auth);
  router.add('DELETE', '/accounts/:account/complex-orders/:id', cancelComplex, auth);
  router.add('GET', '/customers/:customer/orders/live', customerLiveOrders, auth);
  router.add('GET', '/customers/:customer/orders', customerOrders, auth);
}
