// The sandbox brokerage server: one node:http server that serves the Schwab
// double under /schwab, the tastytrade double under /tastytrade (plus its
// DXLink WebSocket at /tastytrade/dxlink) and the test control API under
// /_sandbox. `startSandbox({port})` runs it in-process for tests.

import http from 'node:http';
import { performance } from 'node:perf_hooks';
import {
  HttpError,
  Router,
  bearerToken,
  contentType,
  parseForm,
  parseJson,
  readBody,
  writeResponse,
  json,
} from './http-util.mjs';
import { createState } from './state.mjs';
import { faultError, takeFault, truncateBody } from './faults.mjs';
import { handleControl } from './control.mjs';
import { findToken } from './oauth-common.mjs';
import { schwabError } from './schwab/errors.mjs';
import { ttStatusError } from './tastytrade/errors.mjs';
import { registerSchwabOauth } from './schwab/oauth.mjs';
import { registerSchwabTrader } from './schwab/trader.mjs';
import { registerSchwabMarket } from './schwab/market.mjs';
import { registerTastytradeOauth } from './tastytrade/oauth.mjs';
import { registerTastytradePersonalGrants } from './tastytrade/personal-grants.mjs';
import { registerTastytradeAccounts } from './tastytrade/accounts.mjs';
import { registerTastytradeOrders } from './tastytrade/orders.mjs';
import { registerTastytradeMarket } from './tastytrade/market.mjs';
import { handleDxlinkUpgrade } from './tastytrade/dxlink.mjs';

const PREFIXES = { schwab: '/schwab', tastytrade: '/tastytrade' };
const SECRET_QUERY =
  /([?&](?:code|code_verifier|refresh_token|access_token|client_secret|token)=)[^&]*/gi;

function buildRouters() {
  const schwab = new Router();
  registerSchwabOauth(schwab);
  registerSchwabTrader(schwab);
  registerSchwabMarket(schwab);
  const tastytrade = new Router();
  registerTastytradeOauth(tastytrade);
  registerTastytradePersonalGrants(tastytrade);
  registerTastytradeAccounts(tastytrade);
  registerTastytradeOrders(tastytrade);
  registerTastytradeMarket(tastytrade);
  return { schwab, tastytrade };
}

function sleep(state, ms, req) {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      state.pendingTimers.delete(entry);
      req.off('close', onClose);
      resolve();
    }
    function onClose() {
      done();
    }
    const entry = { done };
    state.pendingTimers.add(entry);
    req.on('close', onClose);
  });
}

function authenticate(ctx) {
  const { broker, state } = ctx;
  if (
    broker === 'tastytrade' &&
    state.config.tastytrade.requireUserAgent &&
    !ctx.headers['user-agent']
  ) {
    return ttStatusError(
      401,
      'Requests must include a User-Agent header of the form <product>/<version>',
    );
  }
  const token = bearerToken(ctx.headers.authorization);
  const { record, error } = findToken(state, broker, token, 'access', ctx.now);
  if (record) {
    ctx.user = record.user;
    ctx.token = record;
    return null;
  }
  const why = !token
    ? 'Missing access token'
    : error === 'expired'
      ? 'Access token has expired'
      : 'Invalid access token';
  return broker === 'schwab' ? schwabError(ctx.path, 401, why) : ttStatusError(401, why);
}

function notFound(ctx) {
  return ctx.broker === 'schwab'
    ? schwabError(ctx.path, 404, `No resource at ${ctx.method} ${ctx.subPath}`)
    : ttStatusError(404, `No route ${ctx.method} ${ctx.subPath}`);
}

async function route(ctx, routers) {
  const match = routers[ctx.broker].match(ctx.method, ctx.subPath);
  if (!match) return notFound(ctx);
  if (match.methodNotAllowed) {
    return ctx.broker === 'schwab'
      ? schwabError(ctx.path, 405, 'Method not allowed')
      : ttStatusError(405, 'Method not allowed');
  }
  ctx.params = match.params;
  if (match.route.options.auth) {
    const denied = authenticate(ctx);
    if (denied) return denied;
  } else if (
    ctx.broker === 'tastytrade' &&
    match.route.options.userAgent &&
    ctx.state.config.tastytrade.requireUserAgent &&
    !ctx.headers['user-agent']
  ) {
    return ttStatusError(
      401,
      'Requests must include a User-Agent header of the form <product>/<version>',
    );
  }
  return await match.route.handler(ctx);
}

function grantTypeOf(ctx) {
  if (!/\/oauth\/token\/?$/.test(ctx.subPath)) return undefined;
  const type = contentType(ctx.headers);
  if (type === 'application/x-www-form-urlencoded') return parseForm(ctx.body).grant_type;
  const body = parseJson(ctx.body);
  return body && typeof body === 'object' ? body.grant_type : undefined;
}

async function applyFault(ctx, fault, routers) {
  const { broker, path } = ctx;
  switch (fault.mode) {
    case '429':
      return faultError(broker, path, 429, 'Too Many Requests', {
        'retry-after': String(fault.retryAfter),
      });
    case '500':
      return faultError(broker, path, 500, 'Internal Server Error');
    case '401':
      return faultError(broker, path, 401, 'Unauthorized');
    case 'timeout':
      await sleep(ctx.state, fault.timeoutMs, ctx.req);
      return faultError(broker, path, 504, 'Gateway Timeout');
    case 'malformed':
      return truncateBody(await route(ctx, routers));
    case 'delay':
      await sleep(ctx.state, fault.delayMs, ctx.req);
      // The client left (or the sandbox is closing): do not run the handler,
      // which could place an order nobody will hear about; nothing is written.
      if (ctx.req.socket?.destroyed) return faultError(broker, path, 504, 'Gateway Timeout');
      return route(ctx, routers);
    default:
      // expired_refresh: the token endpoint looks at ctx.fault.
      ctx.fault = fault;
      return route(ctx, routers);
  }
}

// A request to an order endpoint: anything but a GET under .../orders, and Schwab's
// previewOrder (tastytrade's dry run is a POST under /orders).
function isOrderRequest(method, subPath) {
  if (method === 'GET' || method === 'HEAD') return false;
  return /\/(complex-)?orders(\/|$)/.test(subPath) || /\/previewOrder$/.test(subPath);
}

export function createSandbox(options = {}) {
  const state = createState(options);
  const routers = buildRouters();
  const log =
    options.log === true
      ? (line) => process.stdout.write(`${line}\n`)
      : typeof options.log === 'function'
        ? options.log
        : () => {};
  const sockets = new Set();
  const websockets = new Set();

  async function onRequest(req, res) {
    const started = performance.now();
    // Concatenate rather than resolve, so '//x/y' stays a path.
    const url = new URL(`http://127.0.0.1${req.url.startsWith('/') ? '' : '/'}${req.url}`);
    const ctx = {
      state,
      req,
      method: req.method,
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      now: state.now(),
      broker: null,
    };
    let response;
    let fault = null;
    try {
      ctx.body = await readBody(req);
      if (ctx.path === '/_sandbox' || ctx.path.startsWith('/_sandbox/')) {
        response = handleControl(ctx);
      } else {
        ctx.broker =
          Object.keys(PREFIXES).find(
            (b) => ctx.path === PREFIXES[b] || ctx.path.startsWith(`${PREFIXES[b]}/`),
          ) || null;
        if (!ctx.broker) {
          response = json(404, {
            error: 'not found',
            hint: 'routes live under /schwab, /tastytrade and /_sandbox',
          });
        } else {
          ctx.subPath = ctx.path.slice(PREFIXES[ctx.broker].length) || '/';
          state.stats.requests++;
          state.stats.byBroker[ctx.broker]++;
          if (isOrderRequest(ctx.method, ctx.subPath)) state.stats.orderRequests[ctx.broker]++;
          fault = takeFault(state, {
            broker: ctx.broker,
            path: ctx.path,
            method: ctx.method,
            grantType: grantTypeOf(ctx),
          });
          response = fault ? await applyFault(ctx, fault, routers) : await route(ctx, routers);
        }
      }
    } catch (err) {
      if (err instanceof HttpError) {
        response = err.response;
      } else if (err && err.message === 'body too large') {
        response = json(413, { error: 'request body too large' });
      } else {
        log(`error handling ${req.method} ${url.pathname}: ${err && err.stack ? err.stack : err}`);
        response = ctx.broker
          ? faultError(ctx.broker, ctx.path, 500, 'Internal Server Error')
          : json(500, { error: String(err) });
      }
    }
    if (res.destroyed || res.writableEnded) return;
    if (req.method === 'HEAD') response = { ...response, body: '' };
    writeResponse(res, response);
    const ms = (performance.now() - started).toFixed(1);
    const shown = `${url.pathname}${url.search}`.replace(SECRET_QUERY, '$1***');
    log(
      `${new Date().toISOString()} ${req.method} ${shown} ${response.status} ${ms}ms${fault ? ` fault=${fault.mode}` : ''}`,
    );
  }

  const server = http.createServer((req, res) => {
    onRequest(req, res).catch((err) => {
      log(`fatal: ${err && err.stack ? err.stack : err}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.keepAliveTimeout = 5000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  function acceptDxlink(req, socket, head) {
    const ws = handleDxlinkUpgrade({ state, req, socket, head, log });
    if (ws) {
      websockets.add(ws);
      ws.on('close', () => websockets.delete(ws));
    }
  }

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(`http://127.0.0.1${req.url.startsWith('/') ? '' : '/'}${req.url}`);
    if (url.pathname === '/tastytrade/dxlink') {
      const fault = takeFault(state, {
        broker: 'tastytrade',
        path: url.pathname,
        method: req.method,
      });
      if (fault && fault.mode !== 'expired_refresh') {
        log(`${new Date().toISOString()} WS ${url.pathname} fault=${fault.mode}`);
        if (fault.mode === 'timeout') {
          const timer = setTimeout(() => socket.destroy(), fault.timeoutMs);
          state.pendingTimers.add({
            done: () => {
              clearTimeout(timer);
              socket.destroy();
            },
          });
          return;
        }
        if (fault.mode === 'delay') {
          // Wait, then upgrade as usual; closing the sandbox drops the socket.
          const entry = {
            done: () => {
              clearTimeout(timer);
              state.pendingTimers.delete(entry);
              socket.destroy();
            },
          };
          const timer = setTimeout(() => {
            state.pendingTimers.delete(entry);
            socket.off('close', entry.done);
            if (!socket.destroyed) acceptDxlink(req, socket, head);
          }, fault.delayMs);
          state.pendingTimers.add(entry);
          socket.once('close', entry.done);
          return;
        }
        const status =
          {
            429: '429 Too Many Requests',
            500: '500 Internal Server Error',
            401: '401 Unauthorized',
          }[fault.mode] || '502 Bad Gateway';
        const extra = fault.mode === '429' ? `Retry-After: ${fault.retryAfter}\r\n` : '';
        socket.end(`HTTP/1.1 ${status}\r\n${extra}Content-Length: 0\r\nConnection: close\r\n\r\n`);
        return;
      }
      acceptDxlink(req, socket, head);
      return;
    }
    socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });

  function close() {
    return new Promise((resolve) => {
      for (const t of state.pendingTimers) t.done();
      for (const ws of websockets) ws.terminate();
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
  }

  return { server, state, close, log };
}

/**
 * Starts a sandbox on 127.0.0.1. Resolves to {url, port, state, close()};
 * port 0 picks a free port. Options: {port, host, log, now}.
 */
export function startSandbox(options = {}) {
  const sandbox = createSandbox(options);
  const host = options.host || '127.0.0.1';
  return new Promise((resolve, reject) => {
    sandbox.server.once('error', reject);
    sandbox.server.listen(options.port ?? 0, host, () => {
      const { port } = sandbox.server.address();
      sandbox.state.port = port;
      sandbox.state.host = host;
      resolve({ url: `http://${host}:${port}`, port, state: sandbox.state, close: sandbox.close });
    });
  });
}
