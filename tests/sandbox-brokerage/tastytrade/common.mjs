// Helpers shared by the tastytrade route modules: account lookup with the
// broker's permission error, bringing resting orders up to date, and fees.

import { HttpError } from '../http-util.mjs';
import { journalFills, sweepOrders } from '../order-engine.mjs';
import { notPermitted } from './errors.mjs';

export function accountsOf(ctx) {
  return ctx.state.accountsOf('tastytrade', ctx.user);
}

/** The signed-in user's account from the :account path parameter, else 403. */
export function accountParam(ctx) {
  const account = accountsOf(ctx).find((a) => a.number === ctx.params.account);
  if (!account) throw new HttpError(notPermitted());
  bringUpToDate(ctx, account);
  return account;
}

const r2 = (x) => Math.round(x * 100) / 100;
const r6 = (x) => Math.round(x * 1e6) / 1e6;

/** tastytrade's fee schedule for one leg execution. */
export function tastytradeFees(leg, price) {
  const qty = leg.quantity;
  const option = leg.desc.kind === 'option';
  const isIndex = option && leg.desc.inst.kind === 'index';
  let commission = 0;
  let clearing = 0;
  let regulatory = 0;
  let proprietary = 0;
  if (option) {
    commission = leg.effect === 'close' ? 0 : Math.min(10, qty * 1);
    clearing = r2(qty * 0.1);
    regulatory = r6(qty * 0.02 + (leg.side === 'sell' ? qty * 0.00279 : 0));
    if (isIndex) proprietary = r2(qty * 0.65);
  } else {
    clearing = r6(qty * 0.0008);
    if (leg.side === 'sell')
      regulatory = r6(qty * price * 0.0000278 + Math.min(8.3, qty * 0.000166));
  }
  return {
    commission,
    clearing,
    regulatory,
    proprietary,
    total: r6(commission + clearing + regulatory + proprietary),
  };
}

let complexSettler = null;

/** Lets the orders module settle OCO/OTO groups after every sweep. */
export function setComplexSettler(fn) {
  complexSettler = fn;
}

export function bringUpToDate(ctx, account) {
  const nextTx = () => ctx.state.ids.transaction('tastytrade');
  sweepOrders(account, ctx.now, tastytradeFees, (order) => journalFills(account, order, nextTx));
  if (complexSettler && account.complexOrders) complexSettler(ctx, account);
}
