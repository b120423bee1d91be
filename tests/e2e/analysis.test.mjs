// The analysis tools end to end, for a Schwab and a tastytrade sandbox user: the official
// MCP SDK client signs in through the server's OAuth flow, calls analyze_chart and
// run_full_analysis with a progress token (and receives the progress notifications),
// reads the run back with get_workflow_status and history://analyses, and checks that
// another person can read neither. tastytrade candles come over the sandbox's DXLink
// WebSocket (the ws.* effects); Schwab's from /marketdata/v1/pricehistory.
//
// Started by `npm test` (layer e2e) with BROKER_MCP_URL and SANDBOX_URL set. When the
// server has no sign-in yet, or a broker's analysis tools are not listed, the tests are
// skipped with the reason.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema, CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { signInWithSdk } from './support/sdk-sign-in.mjs';

const BASE = process.env.BROKER_MCP_URL ?? 'http://127.0.0.1:8787';
const SANDBOX = process.env.SANDBOX_URL ?? 'http://127.0.0.1:8788';
const MCP_URL = new URL('/mcp', BASE);
const REDIRECT_URI = 'http://127.0.0.1:9/e2e-analysis-callback';

async function signIn(user, broker) {
  return signInWithSdk({
    base: BASE,
    sandbox: SANDBOX,
    redirectUri: REDIRECT_URI,
    user,
    broker,
    clientName: 'broker-mcp e2e (analysis)',
  });
}

async function connect(provider, { elicit } = {}) {
  const client = new Client(
    { name: 'e2e-analysis', version: '1.0.0' },
    { capabilities: elicit ? { elicitation: {} } : {} },
  );
  if (elicit) client.setRequestHandler(ElicitRequestSchema, elicit);
  await client.connect(new StreamableHTTPClientTransport(MCP_URL, { authProvider: provider }));
  return client;
}

// ---- the tests ---------------------------------------------------------------------------------

const data = (r) => r.structuredContent ?? JSON.parse(r.content?.[0]?.text ?? 'null');
const text = (r) => r.content?.[0]?.text ?? '';

async function callWithProgress(client, name, args) {
  const progress = [];
  const r = await client.callTool({ name, arguments: args }, CallToolResultSchema, {
    onprogress: (p) => progress.push(p),
    timeout: 120000,
  });
  return { r, progress };
}

async function session(user, broker) {
  const provider = await signIn(user, broker);
  const client = await connect(provider);
  const { tools } = await client.listTools();
  return { provider, client, tools: new Set(tools.map((t) => t.name)) };
}

const clients = [];
after(async () => {
  for (const c of clients) await c.close().catch(() => {});
});

async function preflight() {
  const meta = await fetch(new URL('/.well-known/oauth-authorization-server', BASE)).catch(
    () => null,
  );
  if (!meta || meta.status !== 200)
    return 'sign-in has not landed: no OAuth authorization server metadata';
  return null;
}

for (const [broker, user, other] of [
  ['schwab', 'alice', 'bob'],
  ['tastytrade', 'carol', 'bob'],
]) {
  describe(`analysis tools end to end (${broker})`, () => {
    let skipReason = null;
    let me = null;
    let them = null;
    let chartId = null;

    before(async () => {
      skipReason = await preflight();
      if (skipReason) return;
      try {
        me = await session(user, broker);
        clients.push(me.client);
      } catch (err) {
        skipReason = `could not sign in as ${user} at ${broker}: ${err.message}`;
        return;
      }
      if (!me.tools.has('analyze_chart'))
        skipReason = `the analysis tools are not listed for a ${broker} sign-in`;
    });

    const guard = (t) => {
      if (skipReason) {
        t.skip(skipReason);
        return true;
      }
      return false;
    };

    test('analyze_chart: daily indicators with progress notifications', async (t) => {
      if (guard(t)) return;
      const { r, progress } = await callWithProgress(me.client, 'analyze_chart', {
        symbol: 'AAPL',
        timeframe: 'daily',
      });
      assert.ok(!r.isError, text(r));
      const d = data(r);
      assert.equal(d.status, 'complete');
      assert.equal(d.broker, broker);
      assert.ok(d.chart.candle_count >= 250, `candles: ${d.chart.candle_count}`);
      for (const k of ['sma20', 'sma50', 'sma200', 'rsi14', 'macd', 'bollinger', 'atr14', 'adx14'])
        assert.ok(k in d.chart, k);
      assert.ok(d.chart.summary.length > 20);
      // The call follows the Workflow: at least where it started and that it is done; every
      // step it saw in between (a fast run may finish between two looks).
      assert.ok(progress.length >= 2, `progress notifications: ${JSON.stringify(progress)}`);
      for (let i = 1; i < progress.length; i++)
        assert.ok(progress[i].progress > progress[i - 1].progress);
      assert.equal(progress.at(-1).progress, progress.at(-1).total);
      chartId = d.analysisId;
    });

    test('analyze_chart: intraday and weekly', async (t) => {
      if (guard(t)) return;
      for (const timeframe of ['intraday', 'weekly']) {
        const r = await me.client.callTool({
          name: 'analyze_chart',
          arguments: { symbol: 'SPY', timeframe },
        });
        assert.ok(!r.isError, `${timeframe}: ${text(r)}`);
        assert.ok(data(r).chart.candle_count > 20, `${timeframe}: ${data(r).chart.candle_count}`);
      }
    });

    test('run_full_analysis: ranked cash-secured puts and credit spreads', async (t) => {
      if (guard(t)) return;
      const { r, progress } = await callWithProgress(me.client, 'run_full_analysis', {
        symbol: 'AAPL',
        strategy: 'csp',
        minOpenInterest: 0,
      });
      assert.ok(!r.isError, text(r));
      const d = data(r);
      assert.equal(d.kind, 'full');
      assert.ok(d.ranking.report.examined > 0, JSON.stringify(d.ranking.report));
      assert.ok(d.ranking.candidates.length > 0, JSON.stringify(d.ranking.report));
      const leg = d.ranking.candidates[0].put;
      assert.ok(leg.dte >= 21 && leg.dte <= 45);
      assert.ok(['broker', 'black_scholes'].includes(leg.greeks_source));
      assert.equal(d.filters.min_open_interest, 0);
      assert.ok(progress.length >= 2, `progress notifications: ${JSON.stringify(progress)}`);
      assert.equal(progress.at(-1).progress, progress.at(-1).total);
      if (broker === 'tastytrade') assert.ok(typeof d.market.iv_rank === 'number');
      const s = await me.client.callTool({
        name: 'run_full_analysis',
        arguments: { symbol: 'AAPL', strategy: 'spread', minOpenInterest: 0 },
      });
      assert.ok(!s.isError, text(s));
      assert.equal(data(s).spreadType, 'bull put');
    });

    test('get_workflow_status and history://analyses show the run; another person sees nothing', async (t) => {
      if (guard(t)) return;
      assert.ok(chartId, 'the chart test ran');
      const st = await me.client.callTool({
        name: 'get_workflow_status',
        arguments: { workflowId: chartId },
      });
      assert.ok(!st.isError, text(st));
      assert.equal(data(st).status, 'complete');
      assert.equal(data(st).result.analysisId, chartId);

      const { resources } = await me.client.listResources().catch(() => ({ resources: [] }));
      if (resources.some((x) => x.uri === 'history://analyses')) {
        const h = await me.client.readResource({ uri: 'history://analyses' });
        assert.ok(h.contents[0].text.includes(chartId), 'the run is in history://analyses');
      }

      try {
        them = await session(other, broker);
        clients.push(them.client);
      } catch (err) {
        t.skip(`could not sign in as ${other}: ${err.message}`);
        return;
      }
      const theirs = await them.client.callTool({
        name: 'get_workflow_status',
        arguments: { workflowId: chartId },
      });
      assert.ok(theirs.isError, 'another person cannot read the run');
      assert.match(text(theirs), /not_found/);
    });
  });
}
