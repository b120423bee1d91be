// tastytrade watchlists: per-user private watchlists (CRUD), plus fixed
// public and pairs watchlists.

import { parseJson } from '../http-util.mjs';
import { ttError, ttStatusError } from './errors.mjs';
import { ok, okItems } from './format.mjs';

const PUBLIC = [
  { name: 'tasty default', entries: ['SPY', 'QQQ', 'IWM', 'AAPL', 'TSLA', 'NVDA', 'AMZN', 'MSFT'] },
  { name: 'High IV Rank', entries: ['TSLA', 'AMD', 'NVDA', 'INTC', 'META'] },
  { name: 'Dividend', entries: ['KO', 'XOM', 'JPM', 'SCHD', 'CVS'] },
];

function entries(symbols) {
  return symbols.map((s) => ({
    symbol: s,
    'instrument-type': s === 'SPX' || s === 'VIX' ? 'Index' : 'Equity',
  }));
}

function store(ctx) {
  const user = ctx.state.user('tastytrade', ctx.user);
  if (!user.watchlists) {
    user.watchlists = new Map([
      [
        'My Watchlist',
        {
          name: 'My Watchlist',
          'watchlist-entries': entries(['AAPL', 'SPY', 'MSFT']),
          'group-name': 'main',
          'order-index': 9999,
        },
      ],
    ]);
  }
  return user.watchlists;
}

function validate(body) {
  if (!body || typeof body !== 'object' || typeof body.name !== 'string' || !body.name.trim())
    return 'name is required';
  if (body['watchlist-entries'] !== undefined && !Array.isArray(body['watchlist-entries']))
    return 'watchlist-entries must be an array';
  return null;
}

function normalize(body) {
  return {
    name: body.name,
    'watchlist-entries': (body['watchlist-entries'] || []).map((e) => ({
      symbol: String(e.symbol),
      'instrument-type': e['instrument-type'] || 'Equity',
    })),
    'group-name': body['group-name'] || 'main',
    'order-index': body['order-index'] ?? 9999,
  };
}

export function registerTastytradeWatchlists(router) {
  const auth = { auth: true };
  router.add('GET', '/watchlists', (ctx) => okItems([...store(ctx).values()], '/watchlists'), auth);
  router.add(
    'POST',
    '/watchlists',
    (ctx) => {
      const body = parseJson(ctx.body);
      const error = validate(body);
      if (error) return ttError(400, 'validation_error', error);
      const lists = store(ctx);
      if (lists.has(body.name))
        return ttError(
          422,
          'watchlist_already_exists',
          `A watchlist named ${body.name} already exists`,
        );
      const w = normalize(body);
      lists.set(w.name, w);
      return ok(w, '/watchlists', 201);
    },
    auth,
  );
  router.add(
    'GET',
    '/watchlists/:name',
    (ctx) => {
      const w = store(ctx).get(ctx.params.name);
      return w
        ? ok(w, `/watchlists/${ctx.params.name}`)
        : ttStatusError(404, `Watchlist ${ctx.params.name} not found`);
    },
    auth,
  );
  router.add(
    'PUT',
    '/watchlists/:name',
    (ctx) => {
      const lists = store(ctx);
      if (!lists.has(ctx.params.name))
        return ttStatusError(404, `Watchlist ${ctx.params.name} not found`);
      const body = parseJson(ctx.body);
      const error = validate({ name: ctx.params.name, ...body });
      if (error) return ttError(400, 'validation_error', error);
      const w = normalize({ ...lists.get(ctx.params.name), ...body });
      lists.delete(ctx.params.name);
      lists.set(w.name, w);
      return ok(w, `/watchlists/${w.name}`);
    },
    auth,
  );
  router.add(
    'DELETE',
    '/watchlists/:name',
    (ctx) => {
      const lists = store(ctx);
      const w = lists.get(ctx.params.name);
      if (!w) return ttStatusError(404, `Watchlist ${ctx.params.name} not found`);
      lists.delete(ctx.params.name);
      return ok(w, `/watchlists/${ctx.params.name}`);
    },
    auth,
  );
  router.add(
    'GET',
    '/public-watchlists',
    (ctx) => {
      const countsOnly = ctx.query.get('counts-only') === 'true';
      return okItems(
        PUBLIC.map((p) =>
          countsOnly
            ? {
                name: p.name,
                'watchlist-entry-count': p.entries.length,
                'group-name': 'tastyworks',
                'order-index': 0,
              }
            : {
                name: p.name,
                'watchlist-entries': entries(p.entries),
                'group-name': 'tastyworks',
                'order-index': 0,
              },
        ),
        '/public-watchlists',
      );
    },
    auth,
  );
  router.add(
    'GET',
    '/public-watchlists/:name',
    (ctx) => {
      const p = PUBLIC.find((x) => x.name === ctx.params.name);
      return p
        ? ok(
            {
              name: p.name,
              'watchlist-entries': entries(p.entries),
              'group-name': 'tastyworks',
              'order-index': 0,
            },
            `/public-watchlists/${p.name}`,
          )
        : ttStatusError(404, 'Watchlist not found');
    },
    auth,
  );
  router.add(
    'GET',
    '/pairs-watchlists',
    () =>
      okItems(
        [
          {
            name: 'Index pairs',
            'order-index': 0,
            'pairs-equations': [
              {
                'left-action': 'Buy',
                'left-symbol': 'SPY',
                'left-quantity': 1,
                'right-action': 'Sell',
                'right-symbol': 'QQQ',
                'right-quantity': 1,
              },
            ],
          },
        ],
        '/pairs-watchlists',
      ),
    auth,
  );
  router.add(
    'GET',
    '/pairs-watchlists/:name',
    (ctx) =>
      ctx.params.name === 'Index pairs'
        ? ok(
            {
              name: 'Index pairs',
              'order-index': 0,
              'pairs-equations': [
                {
                  'left-action': 'Buy',
                  'left-symbol': 'SPY',
                  'left-quantity': 1,
                  'right-action': 'Sell',
                  'right-symbol': 'QQQ',
                  'right-quantity': 1,
                },
              ],
            },
            `/pairs-watchlists/${ctx.params.name}`,
          )
        : ttStatusError(404, 'Watchlist not found'),
    auth,
  );
}
