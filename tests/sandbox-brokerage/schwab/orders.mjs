// Schwab orders: parsing an OrderRequest into the neutral order record,
// rendering Order and PreviewOrder bodies, and Schwab's commissions and fees.

import { table } from '../http-util.mjs';
import {
  isMarketable,
  pricing,
  resolveLegs,
  whatIf,
  buyingPowerError,
  expiryFor,
} from '../order-engine.mjs';
import {
  accountInstrument,
  instructionOf,
  schwabTime,
  instrumentId,
  DURATION_TO_TIF,
  TIF_TO_DURATION,
  STATUS,
} from './format.mjs';

const SESSIONS = ['NORMAL', 'AM', 'PM', 'SEAMLESS'];
const DURATIONS = Object.keys(DURATION_TO_TIF);
const ORDER_TYPES = table({
  MARKET: 'market',
  LIMIT: 'limit',
  STOP: 'stop',
  STOP_LIMIT: 'stop_limit',
  NET_DEBIT: 'limit',
  NET_CREDIT: 'limit',
  MARKET_ON_CLOSE: 'market',
  LIMIT_ON_CLOSE: 'limit',
});
const EQUITY_INSTRUCTIONS = table({
  BUY: ['buy', 'open'],
  SELL: ['sell', 'close'],
  BUY_TO_COVER: ['buy', 'close'],
  SELL_SHORT: ['sell', 'open'],
  SELL_SHORT_EXEMPT: ['sell', 'open'],
});
const OPTION_INSTRUCTIONS = table({
  BUY_TO_OPEN: ['buy', 'open'],
  BUY_TO_CLOSE: ['buy', 'close'],
  SELL_TO_OPEN: ['sell', 'open'],
  SELL_TO_CLOSE: ['sell', 'close'],
});

function round2(x) {
  return Math.round(x * 100) / 100;
}

/** Schwab commissions and fees of one leg execution. */
export function schwabFees(leg, price) {
  const qty = leg.quantity;
  const option = leg.desc.kind === 'option';
  const commission = option ? round2(0.65 * qty) : 0;
  let sec = 0;
  let taf = 0;
  let optReg = 0;
  if (leg.side === 'sell') {
    const principal = qty * price * leg.desc.multiplier;
    sec = Math.ceil(principal * 0.0000278 * 100) / 100;
    taf = option
      ? Math.min(8.3, Math.ceil(qty * 0.00279 * 100) / 100)
      : Math.min(8.3, Math.ceil(qty * 0.000166 * 100) / 100);
  }
  if (option) optReg = round2(qty * 0.02);
  return { commission, sec, taf, optReg, total: round2(commission + sec + taf + optReg) };
}

/**
 * Parses and validates an OrderRequest. Returns {order} or {error} (a list of
 * messages for a 400).
 */
export function parseOrderRequest(body, t) {
  const errors = [];
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return { error: ['Request body must be a JSON OrderRequest object'] };
  if (!SESSIONS.includes(body.session))
    errors.push(`session must be one of ${SESSIONS.join(', ')}`);
  if (!DURATIONS.includes(body.duration))
    errors.push(`duration must be one of ${DURATIONS.join(', ')}`);
  if (!(body.orderType in ORDER_TYPES)) errors.push('orderType is missing or not supported');
  if (!body.orderStrategyType) errors.push('orderStrategyType is required');
  else if (body.orderStrategyType !== 'SINGLE')
    errors.push(
      `orderStrategyType ${body.orderStrategyType} is not supported by this sandbox (use SINGLE)`,
    );
  const legsIn = body.orderLegCollection;
  if (!Array.isArray(legsIn) || legsIn.length === 0)
    errors.push('orderLegCollection must contain at least one leg');
  else if (legsIn.length > 4) errors.push('orderLegCollection may contain at most 4 legs');
  const type = ORDER_TYPES[body.orderType];
  if ((type === 'limit' || type === 'stop_limit') && !(Number(body.price) > 0))
    errors.push('price is required for this orderType');
  if ((type === 'stop' || type === 'stop_limit') && !(Number(body.stopPrice) > 0))
    errors.push('stopPrice is required for this orderType');
  if (errors.length) return { error: errors };

  const legs = [];
  for (const [i, l] of legsIn.entries()) {
    const sym = l && l.instrument && l.instrument.symbol;
    const assetType = l && l.instrument && l.instrument.assetType;
    if (!sym || !assetType) {
      errors.push(`orderLegCollection[${i}].instrument needs symbol and assetType`);
      continue;
    }
    const table = assetType === 'OPTION' ? OPTION_INSTRUCTIONS : EQUITY_INSTRUCTIONS;
    const mapped = table[l.instruction];
    if (!mapped) {
      errors.push(
        `orderLegCollection[${i}].instruction ${l.instruction} is not valid for ${assetType}`,
      );
      continue;
    }
    const quantity = Number(l.quantity);
    if (!(quantity > 0)) errors.push(`orderLegCollection[${i}].quantity must be positive`);
    legs.push({
      symbol: sym,
      side: mapped[0],
      effect: mapped[1],
      quantity,
      instruction: l.instruction,
      assetType,
    });
  }
  if (errors.length) return { error: errors };

  const order = {
    orderType: type,
    schwabOrderType: body.orderType,
    tif: DURATION_TO_TIF[body.duration],
    duration: body.duration,
    session: body.session,
    price: body.price !== undefined ? Number(body.price) : undefined,
    stopPrice: body.stopPrice !== undefined ? Number(body.stopPrice) : undefined,
    priceEffect:
      body.orderType === 'NET_CREDIT' ? 'credit' : body.orderType === 'NET_DEBIT' ? 'debit' : null,
    complexOrderStrategyType: body.complexOrderStrategyType || 'NONE',
    legs,
    enteredTime: t,
    fills: [],
    filledQuantity: 0,
  };
  const legError = resolveLegs(order, t);
  if (legError) return { error: [legError] };
  for (const leg of order.legs) {
    const wantOption = leg.assetType === 'OPTION';
    if (wantOption !== (leg.desc.kind === 'option'))
      return { error: [`assetType ${leg.assetType} does not match symbol ${leg.symbol}`] };
  }
  if (!order.priceEffect && order.legs.length > 1) order.priceEffect = 'debit';
  order.expiresAt = expiryFor(order.tif, t);
  return { order };
}

/** Business-rule problems that make Schwab reject an order (status REJECTED). */
export function rejectionReason(account, order, t) {
  for (const leg of order.legs) {
    const pos = account.positions.get(leg.symbol);
    const held = pos ? pos.quantity : 0;
    if (leg.effect === 'close') {
      const closable = leg.side === 'sell' ? Math.max(0, held) : Math.max(0, -held);
      if (closable < leg.quantity)
        return `Closing order exceeds the position in ${leg.symbol.trim()}`;
    }
    if (!account.margin && leg.effect === 'open' && leg.side === 'sell') {
      const coveredCall =
        leg.desc.kind === 'option' &&
        leg.desc.parts.call &&
        (account.positions.get(leg.desc.inst.symbol)?.quantity || 0) >= 100 * leg.quantity;
      const securedPut = leg.desc.kind === 'option' && !leg.desc.parts.call;
      if (leg.desc.kind === 'equity' || (!coveredCall && !securedPut))
        return 'Short sales and uncovered options are not allowed in a cash account';
    }
  }
  return buyingPowerError(account, order, t, schwabFees);
}

export function renderOrder(order, account) {
  const quantity = order.legs[0].quantity;
  const out = {
    session: (order.session || 'normal').toUpperCase(),
    duration: order.duration || TIF_TO_DURATION[order.tif] || 'DAY',
    orderType: order.schwabOrderType || order.orderType.toUpperCase(),
    complexOrderStrategyType: order.complexOrderStrategyType || 'NONE',
    quantity,
    filledQuantity: order.filledQuantity || 0,
    remainingQuantity: order.status === 'working' ? quantity - (order.filledQuantity || 0) : 0,
    requestedDestination: 'AUTO',
    destinationLinkName: order.status === 'filled' ? 'ETMM' : 'AutoRoute',
  };
  if (order.price !== undefined) out.price = order.price;
  if (order.stopPrice !== undefined) out.stopPrice = order.stopPrice;
  out.orderLegCollection = order.legs.map((leg, i) => ({
    orderLegType: leg.desc.kind === 'option' ? 'OPTION' : 'EQUITY',
    legId: i + 1,
    instrument: accountInstrument(leg.desc),
    instruction: instructionOf(leg),
    positionEffect:
      leg.effect === 'close' ? 'CLOSING' : leg.effect === 'open' ? 'OPENING' : 'AUTOMATIC',
    quantity: leg.quantity,
  }));
  out.orderStrategyType = 'SINGLE';
  out.orderId = order.id;
  out.cancelable = order.status === 'working';
  out.editable = order.status === 'working';
  out.status = STATUS[order.status] || 'UNKNOWN';
  out.enteredTime = schwabTime(order.enteredTime);
  if (order.closeTime) out.closeTime = schwabTime(order.closeTime);
  out.tag = 'API_TPAPI';
  out.accountNumber = Number(account.number);
  if (order.statusDescription) out.statusDescription = order.statusDescription;
  if (order.fills && order.fills.length) {
    out.orderActivityCollection = [
      {
        activityType: 'EXECUTION',
        activityId: Number(String(order.id).slice(-9)) + 7_000_000_000,
        executionType: 'FILL',
        quantity,
        orderRemainingQuantity: 0,
        executionLegs: order.fills.map((f) => ({
          legId: f.leg + 1,
          price: f.price,
          quantity: f.quantity,
          mismarkedQuantity: 0,
          instrumentId: instrumentId(order.legs[f.leg].symbol),
          time: schwabTime(f.time),
        })),
      },
    ];
  }
  return out;
}

function detail(rule, message, severity) {
  return {
    validationRuleName: rule,
    message,
    activityMessage: message,
    originalSeverity: severity,
    overrideName: rule,
    overrideSeverity: severity,
  };
}

/** PreviewOrder body for a parsed order. */
export function renderPreview(account, order, t, reason) {
  const { after, fills } = whatIf(account, order, t, schwabFees);
  const { legs, net } = pricing(order, t);
  const marketable = isMarketable(order, t);
  const fees = fills.map((f) => f.fees);
  const commission = fees.reduce((a, f) => a + f.commission, 0);
  const price = order.price ?? Math.abs(net);
  const orderValue = round2(
    legs.reduce(
      (a, { leg, price: px }) =>
        a + (leg.side === 'buy' ? 1 : -1) * px * leg.quantity * leg.desc.multiplier,
      0,
    ),
  );
  const validation = { alerts: [], accepts: [], rejects: [], reviews: [], warns: [] };
  if (reason) validation.rejects.push(detail('RejectOrder', reason, 'REJECT'));
  else validation.accepts.push(detail('AcceptOrder', 'Order passed validation', 'ACCEPT'));
  if (!marketable && order.orderType === 'limit')
    validation.warns.push(
      detail(
        'AwayFromMarket',
        'The limit price is away from the current market; the order will rest',
        'ALERT',
      ),
    );
  // Schwab's option-approval check names the account in its message (issue: such warnings
  // must never reach the model unscrubbed).
  if (account.optionLevel < 1 && order.legs.some((leg) => leg.desc.kind === 'option')) {
    validation.warns.push(
      detail(
        'OptionLevel',
        `Account ${account.number} is not approved for this option level`,
        'ALERT',
      ),
    );
  }
  return {
    orderId: 0,
    orderStrategy: {
      accountNumber: account.number,
      advancedOrderType: 'NONE',
      orderBalance: {
        orderValue: Math.abs(orderValue),
        projectedAvailableFund: round2(after.availableFunds),
        projectedBuyingPower: round2(after.buyingPower),
        projectedCommission: round2(commission),
      },
      orderStrategyType: 'SINGLE',
      orderVersion: 1,
      session: order.session,
      status: reason ? 'REJECTED' : 'ACCEPTED',
      allOrNone: false,
      discretionary: false,
      duration: order.duration,
      filledQuantity: 0,
      orderType: order.schwabOrderType,
      orderValue: Math.abs(orderValue),
      price: round2(price),
      quantity: order.legs[0].quantity,
      remainingQuantity: order.legs[0].quantity,
      sellNonMarginableFirst: false,
      settlementInstruction: 'REGULAR',
      strategy: order.complexOrderStrategyType || 'NONE',
      amountIndicator: 'SHARES',
      orderLegs: legs.map(({ leg, quote }, i) => ({
        askPrice: quote.ask,
        bidPrice: quote.bid,
        lastPrice: quote.last,
        markPrice: quote.mark,
        projectedCommission: fees[i].commission,
        quantity: leg.quantity,
        finalSymbol: leg.symbol,
        legId: i + 1,
        assetType: leg.desc.kind === 'option' ? 'OPTION' : 'EQUITY',
        instruction: instructionOf(leg),
      })),
    },
    orderValidationResult: validation,
    commissionAndFee: {
      commission: {
        commissionLegs: fees.map((f) => ({
          commissionValues: [{ value: f.commission, type: 'COMMISSION' }],
        })),
      },
      fee: {
        feeLegs: fees.map((f) => ({
          feeValues: [
            { value: f.sec, type: 'SEC_FEE' },
            { value: f.optReg, type: 'OPT_REG_FEE' },
            { value: f.taf, type: 'TAF_FEE' },
          ],
        })),
      },
      trueCommission: {
        commissionLegs: fees.map((f) => ({
          commissionValues: [{ value: f.commission, type: 'COMMISSION' }],
        })),
      },
    },
  };
}
