// Durable analyses end to end: analyze_chart and run_full_analysis run as a Workflow; a call
// waits up to `waitSeconds` (0..50, default 20) for the result, sending MCP progress
// notifications meanwhile, and otherwise answers {analysisId, workflowId, status: 'running',
// symbol, progress, message}. get_workflow_status reads a run (only its owner's), and
// history://analyses lists it. When a run ends, the WebSocket hub pushes analysis.complete
// (through a Queue) to the owner's sockets subscribed to "analysis" (every run of theirs) or
// "analysis:<workflowId>" (that run), and to no one else.
//
//   1. /ws refuses an upgrade without credentials and a reused ticket (401).
//   2. A long Schwab analysis: the sandbox brokerage holds Schwab's price history for 5 s (a
//      `delay` fault), so analyze_chart with waitSeconds 1 answers 'running'; polling
//      get_workflow_status sees it complete; the owner's socket (opened with a ticket) gets
//      analysis.complete, another person's socket (opened with a bearer header) gets
//      nothing, and the other person cannot read the run.
//   3. A tastytrade full analysis completes within the call (default wait) and the owner's
//      socket gets analysis.complete for it.
//
// People: alice signed in at Schwab, carol signed in at tastytrade (sandbox demo users; see
// tests/sandbox-brokerage/README.md). The sandbox is never reset here (that would forget the
// broker tokens the server holds); the delay fault has count 1 and is used up by the run.
//
// Started by `npm test` (layer e2e) with BROKER_MCP_URL (`wrangler dev`) and SANDBOX_URL set.
// Nothing is skipped: a missing /ws/ticket route (404) or tool is a failure.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { signIn } from './support/sign-in.mjs';

const BASE = process.env.BROKER_MCP_URL ?? 'http://127.0.0.1:8787';
const SANDBOX = process.env.SANDBOX_URL ?? 'http://127.0.0.1:8788';
const MCP_URL = new URL('/mcp', BASE);
const WS_URL = (() => {
  const u = new URL('/ws', BASE);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  return u;
})();

const TEST_TIMEOUT = 120_000;
// Not the symbol other e2e files analyse, so no earlier run of theirs can answer for this one.
const LONG_SYMBOL = 'NFLX';
const PRICE_HISTORY = '/schwab/marketdata/v1/pricehistory';

// ---- small helpers ----------------------------------------------------------------------------

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const data = (r) => r.structuredContent ?? JSON.parse(r.content?.[0]?.text ?? 'null');
const text = (r) => r.content?.[0]?.text ?? '';

function withTimeout(promise, ms, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

async function sandbox(path, body) {
  const res = await withTimeout(
    fetch(
      new URL(path, SANDBOX),
      body === undefined
        ? {}
        : {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          },
    ),
    10_000,
    `sandbox ${path}`,
  );
  const json = await res.json();
  if (res.status >= 400)
    throw new Error(`sandbox ${path} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

async function ticket(accessToken) {
  const res = await withTimeout(
    fetch(new URL('/ws/ticket', BASE), {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}` },
    }),
    10_000,
    'POST /ws/ticket',
  );
  const body = await res.text();
  assert.equal(res.status, 201, `POST /ws/ticket answered ${res.status}: ${body.slice(0, 200)}`);
  const json = JSON.parse(body);
  assert.equal(typeof json.ticket, 'string');
  assert.ok(json.ticket.length > 0);
  assert.equal(typeof json.expiresIn, 'number');
  return json.ticket;
}

// A WebSocket that keeps every JSON message it receives, so an event that arrives before a
// test starts waiting for it is not lost.
class HubSocket {
  constructor(ws) {
    this.ws = ws;
    this.messages = [];
    this.waiters = new Set();
    ws.on('message', (raw) => {
      let msg;
      try {
        msg = JSON.parse(String(raw));
      } catch {
        msg = { type: '(not JSON)', raw: String(raw) };
      }
      this.messages.push(msg);
      for (const w of this.waiters) w();
    });
    ws.on('close', () => {
      for (const w of this.waiters) w();
    });
  }

  send(msg) {
    this.ws.send(JSON.stringify(msg));
  }

  // The first message (received so far or later) that satisfies `match`.
  next(match, ms, what) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.messages.find(match);
        if (found) {
          done();
          resolve(found);
          return;
        }
        if (this.ws.readyState === WebSocket.CLOSED) {
          done();
          reject(
            new Error(`${what}: the socket closed; received ${JSON.stringify(this.messages)}`),
          );
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(`${what}: nothing within ${ms} ms; received ${JSON.stringify(this.messages)}`),
        );
      }, ms);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  async subscribe(channels) {
    this.send({ type: 'subscribe', channels });
    const ack = await this.next((m) => m.type === 'subscribed', 10_000, `subscribe ${channels}`);
    assert.deepEqual(ack.channels, channels);
  }

  close() {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.ws.terminate();
        resolve();
      }, 2000);
      this.ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      try {
        this.ws.close(1000);
      } catch {
        this.ws.terminate();
      }
    });
  }
}

const sockets = [];

// Opens /ws; resolves {socket} once open, or {status} when the upgrade is refused.
function openSocket({ ticket: t, accessToken } = {}) {
  const url = new URL(WS_URL);
  if (t !== undefined) url.searchParams.set('ticket', t);
  const headers = accessToken ? { authorization: `Bearer ${accessToken}` } : {};
  return withTimeout(
    new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers, handshakeTimeout: 10_000 });
      let refused = null;
      ws.on('unexpected-response', (req, res) => {
        refused = res.statusCode;
        res.resume();
        ws.terminate();
      });
      ws.on('open', () => {
        const socket = new HubSocket(ws);
        sockets.push(socket);
        resolve({ socket });
      });
      ws.on('error', (err) => {
        if (refused === null) reject(err);
      });
      ws.on('close', () => {
        if (refused !== null) resolve({ status: refused });
      });
    }),
    15_000,
    `upgrade ${url.pathname}`,
  );
}

async function openSubscribed(how, channels = ['analysis']) {
  const { socket, status } = await openSocket(how);
  assert.ok(socket, `the upgrade was refused with ${status}`);
  await socket.subscribe(channels);
  return socket;
}

const clients = [];

async function person(user, broker) {
  const { accessToken } = await withTimeout(
    signIn({ base: BASE, sandbox: SANDBOX, user, broker, clientName: 'e2e durable analysis' }),
    60_000,
    `sign-in of ${user} at ${broker}`,
  );
  const client = new Client({ name: 'e2e-durable-analysis', version: '1.0.0' });
  await withTimeout(
    client.connect(
      new StreamableHTTPClientTransport(MCP_URL, {
        requestInit: { headers: { authorization: `Bearer ${accessToken}` } },
      }),
    ),
    30_000,
    `MCP connect as ${user}`,
  );
  clients.push(client);
  const { tools } = await withTimeout(client.listTools(), 30_000, 'tools/list');
  const names = new Set(tools.map((x) => x.name));
  for (const n of ['analyze_chart', 'run_full_analysis', 'get_workflow_status'])
    assert.ok(names.has(n), `${n} is listed for ${user} at ${broker}`);
  return { user, broker, accessToken, client };
}

async function callWithProgress(client, name, args, timeout = 110_000) {
  const progress = [];
  const r = await client.callTool({ name, arguments: args }, CallToolResultSchema, {
    onprogress: (p) => progress.push(p),
    timeout,
  });
  return { r, progress };
}

const status = (client, workflowId) =>
  client.callTool(
    { name: 'get_workflow_status', arguments: { workflowId } },
    CallToolResultSchema,
    { timeout: 20_000 },
  );

const about = (id) => (m) => m.workflowId === id || JSON.stringify(m).includes(id);

after(async () => {
  await Promise.all(sockets.map((s) => s.close()));
  for (const c of clients) await c.close().catch(() => {});
});

// ---- the tests ----------------------------------------------------------------------------------

describe('durable analyses and the WebSocket hub', () => {
  let alice = null; // Schwab
  let carol = null; // tastytrade

  before(
    async () => {
      alice = await person('alice', 'schwab');
      carol = await person('carol', 'tastytrade');
    },
    { timeout: TEST_TIMEOUT },
  );

  test(
    '/ws refuses an upgrade without credentials, with a bad ticket, and with a used ticket',
    { timeout: TEST_TIMEOUT },
    async () => {
      assert.equal((await openSocket()).status, 401, 'no credentials');
      assert.equal((await openSocket({ ticket: 'not-a-ticket' })).status, 401, 'an unknown ticket');
      assert.equal(
        (await openSocket({ accessToken: 'not-a-token' })).status,
        401,
        'a bad bearer token',
      );

      const t = await ticket(alice.accessToken);
      const first = await openSocket({ ticket: t });
      assert.ok(first.socket, `the first use of a ticket is refused with ${first.status}`);
      await first.socket.subscribe(['analysis']);
      await first.socket.close();
      assert.equal((await openSocket({ ticket: t })).status, 401, 'a ticket works once');
    },
  );

  test(
    '/ws/ticket: a browser page on another origin may ask for one; no token, no ticket',
    { timeout: TEST_TIMEOUT },
    async () => {
      const url = new URL('/ws/ticket', BASE);
      const pre = await withTimeout(
        fetch(url, {
          method: 'OPTIONS',
          headers: {
            origin: 'https://app.example',
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization',
          },
        }),
        10_000,
        'OPTIONS /ws/ticket',
      );
      assert.equal(pre.status, 204);
      assert.equal(pre.headers.get('access-control-allow-origin'), '*');
      assert.match(pre.headers.get('access-control-allow-headers') ?? '', /authorization/i);
      const anonymous = await withTimeout(
        fetch(url, { method: 'POST', headers: { origin: 'https://app.example' } }),
        10_000,
        'POST /ws/ticket',
      );
      assert.equal(anonymous.status, 401);
      assert.equal(anonymous.headers.get('access-control-allow-origin'), '*');
      const issued = await withTimeout(
        fetch(url, {
          method: 'POST',
          headers: { origin: 'https://app.example', authorization: `Bearer ${alice.accessToken}` },
        }),
        10_000,
        'POST /ws/ticket',
      );
      assert.equal(issued.status, 201);
      assert.equal(issued.headers.get('cache-control'), 'no-store');
    },
  );

  test(
    'a long Schwab analysis answers "running", finishes in the background and is announced to its owner only',
    { timeout: TEST_TIMEOUT },
    async (t) => {
      const mine = await openSubscribed({ ticket: await ticket(alice.accessToken) });
      const theirs = await openSubscribed({ accessToken: carol.accessToken });

      // The Schwab price history the run needs comes 5 s late, so a 1 s wait cannot see the end.
      await sandbox('/_sandbox/faults', {
        broker: 'schwab',
        path: PRICE_HISTORY,
        mode: 'delay',
        delayMs: 5000,
        count: 1,
      });
      const started = Date.now();
      const { r, progress } = await callWithProgress(
        alice.client,
        'analyze_chart',
        { symbol: LONG_SYMBOL, timeframe: 'daily', waitSeconds: 1 },
        60_000,
      );
      const answeredMs = Date.now() - started;
      assert.ok(!r.isError, text(r));
      const first = data(r);
      assert.equal(first.status, 'running', JSON.stringify(first));
      assert.equal(typeof first.workflowId, 'string');
      assert.ok(first.workflowId.length > 0);
      assert.equal(first.analysisId, first.workflowId);
      assert.equal(first.symbol, LONG_SYMBOL);
      assert.ok(
        typeof first.progress === 'number' && first.progress >= 0 && first.progress <= 1,
        `progress ${first.progress}`,
      );
      assert.equal(typeof first.message, 'string');
      assert.ok(progress.length >= 1, 'progress notifications while the call waited');
      assert.ok(answeredMs < 20_000, `the call came back after ${answeredMs} ms`);
      const id = first.workflowId;
      t.diagnostic(
        `analyze_chart answered 'running' after ${answeredMs} ms with ${progress.length} progress notification(s)`,
      );

      // Poll until the Workflow is done.
      let st = null;
      const deadline = Date.now() + 90_000;
      for (;;) {
        const res = await status(alice.client, id);
        assert.ok(!res.isError, text(res));
        st = data(res);
        assert.equal(st.workflowId, id);
        assert.ok(['running', 'complete', 'failed'].includes(st.status), st.status);
        if (st.status !== 'running') break;
        assert.ok(Date.now() < deadline, `still running after 90 s: ${JSON.stringify(st)}`);
        await sleep(500);
      }
      assert.equal(st.status, 'complete', JSON.stringify(st.error ?? st));
      assert.ok(st.result, 'a complete run carries its result');
      assert.ok(st.result.chart, `the result has a chart: ${Object.keys(st.result)}`);
      t.diagnostic(`complete after ${Date.now() - started} ms`);

      const { faults } = await sandbox('/_sandbox/faults');
      if (faults.some((f) => f.mode === 'delay' && f.path === PRICE_HISTORY))
        t.diagnostic('the price-history delay was not used by this run');

      // The owner hears about it (through a Queue, so allow some time) ...
      const done = await mine.next(
        (m) => m.type === 'analysis.complete' && m.workflowId === id,
        15_000,
        "analysis.complete on the owner's socket",
      );
      assert.equal(done.status, 'complete');
      assert.equal(done.symbol, LONG_SYMBOL);
      assert.equal(typeof done.kind, 'string');
      assert.ok(
        Array.isArray(done.channels) &&
          done.channels.includes('analysis') &&
          done.channels.includes(`analysis:${id}`),
        JSON.stringify(done.channels),
      );
      t.diagnostic(
        `owner's socket: ${mine.messages.filter((m) => m.type === 'analysis.progress' && m.workflowId === id).length} analysis.progress event(s)`,
      );

      // ... and no one else does.
      await sleep(1500);
      const leaked = theirs.messages.filter(about(id));
      assert.deepEqual(leaked, [], "another person's socket received events about the run");

      const other = await status(carol.client, id);
      assert.ok(other.isError, `another person read the run: ${text(other)}`);
      assert.match(text(other), /^not_found/);

      const history = await withTimeout(
        alice.client.readResource({ uri: 'history://analyses' }),
        20_000,
        'history://analyses',
      );
      assert.ok(
        history.contents[0].text.includes(id),
        "the run is in the owner's history://analyses",
      );
    },
  );

  test(
    "a tastytrade full analysis completes within the call and is announced on its owner's socket",
    { timeout: TEST_TIMEOUT },
    async () => {
      const mine = await openSubscribed({ ticket: await ticket(carol.accessToken) });
      const { r, progress } = await callWithProgress(carol.client, 'run_full_analysis', {
        symbol: 'AAPL',
        strategy: 'csp',
        minOpenInterest: 0,
      });
      assert.ok(!r.isError, text(r));
      const d = data(r);
      assert.equal(d.status, 'complete', JSON.stringify(d).slice(0, 500));
      assert.equal(typeof d.workflowId, 'string');
      assert.equal(d.analysisId, d.workflowId);
      assert.equal(d.kind, 'full');
      assert.ok(progress.length >= 1, 'progress notifications while the call waited');

      const done = await mine.next(
        (m) => m.type === 'analysis.complete' && m.workflowId === d.workflowId,
        15_000,
        "analysis.complete on the owner's socket",
      );
      assert.equal(done.status, 'complete');
      assert.equal(done.symbol, 'AAPL');
      assert.ok(done.channels.includes(`analysis:${d.workflowId}`), JSON.stringify(done.channels));
    },
  );
});
