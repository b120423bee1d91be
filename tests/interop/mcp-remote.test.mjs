// mcp-remote (from the lockfile), what Claude Desktop and other stdio-only apps run to reach
// a remote server, against `wrangler dev`: started the way such an app starts it, it finds
// it must sign in, registers itself, and prints the authorization URL (no browser opens
// here); the test browser plays the person (consent page, sandbox sign-in) and lands on
// mcp-remote's own callback, which completes its OAuth. Then the app's side speaks MCP over
// stdio: initialize, tools/list, tools/call, resources/read — through mcp-remote to us.
//
// Started by `npm test` (layer interop) with BROKER_MCP_URL and SANDBOX_URL set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Browser } from '../e2e/support/sign-in.mjs';

const BASE = process.env.BROKER_MCP_URL ?? 'http://127.0.0.1:8787';
const SANDBOX = process.env.SANDBOX_URL ?? 'http://127.0.0.1:8788';
const MCP_REMOTE = fileURLToPath(new URL('../../node_modules/.bin/mcp-remote', import.meta.url));
const CALLBACK_PORT = 18765;
const REDIRECT_URI = `http://127.0.0.1:${CALLBACK_PORT}/oauth/callback`;

let child;
let home;
let stderr = '';
const pending = new Map();
let nextId = 1;

function waitFor(pattern, ms, what) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      const m = stderr.match(pattern);
      if (m) return resolve(m);
      if (Date.now() - started > ms)
        return reject(
          new Error(`${what}: not seen within ${ms} ms; stderr:\n${stderr.slice(-3000)}`),
        );
      setTimeout(tick, 100);
    };
    tick();
  });
}

function rpc(method, params = {}) {
  const id = nextId++;
  child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${method}: no answer; stderr:\n${stderr.slice(-2000)}`)),
      30_000,
    );
    pending.set(id, (message) => {
      clearTimeout(timer);
      resolve(message);
    });
  });
}

before(async () => {
  home = mkdtempSync(join(tmpdir(), 'mcp-remote-'));
  child = spawn(
    MCP_REMOTE,
    [`${BASE}/mcp`, String(CALLBACK_PORT), '--host', '127.0.0.1', '--allow-http'],
    {
      // No browser opens (BROWSER=true "opens" it with /bin/true); tokens stay in a fresh place.
      env: {
        ...process.env,
        HOME: home,
        MCP_REMOTE_CONFIG_DIR: join(home, '.mcp-auth'),
        BROWSER: 'true',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  let buffered = '';
  child.stdout.on('data', (d) => {
    buffered += d;
    let nl;
    while ((nl = buffered.indexOf('\n')) !== -1) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (!line) continue;
      const message = JSON.parse(line);
      pending.get(message.id)?.(message);
      pending.delete(message.id);
    }
  });
  const [, url] = await waitFor(
    /Please authorize this client by visiting:\s*\n(\S+)/,
    60_000,
    'the authorization URL',
  );
  assert.ok(url.startsWith(`${BASE}/authorize?`), url);
  const { params } = await new Browser().authorize(url, {
    base: BASE,
    sandbox: SANDBOX,
    redirectUri: REDIRECT_URI,
    user: 'bob',
    broker: 'tastytrade',
  });
  // The browser lands on mcp-remote's callback: that completes its sign-in.
  const landed = await fetch(`${REDIRECT_URI}?${params}`);
  assert.equal(landed.status, 200, await landed.text());
  await waitFor(/Proxy established successfully/, 60_000, 'the proxy');
});

after(() => {
  child?.kill('SIGTERM');
  if (home) rmSync(home, { recursive: true, force: true });
});

test('MCP over stdio through mcp-remote: initialize, tools, a call and a read', async () => {
  const init = await rpc('initialize', {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 'stdio-app', version: '1' },
  });
  assert.equal(init.result.serverInfo.name, 'broker-mcp', JSON.stringify(init));
  child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
  const listed = await rpc('tools/list');
  const names = listed.result.tools.map((t) => t.name);
  for (const n of ['status', 'get_accounts', 'get_positions', 'preview_order'])
    assert.ok(names.includes(n), n);
  const status = await rpc('tools/call', { name: 'status', arguments: {} });
  assert.equal(status.result.structuredContent.broker.name, 'tastytrade');
  const accounts = await rpc('tools/call', { name: 'get_accounts', arguments: {} });
  assert.equal(accounts.result.isError ?? false, false, JSON.stringify(accounts).slice(0, 400));
  assert.match(JSON.stringify(accounts.result.structuredContent), /-\.\.\.\d{3}/);
  const doc = await rpc('resources/read', { uri: 'knowledge://options/strategies' });
  assert.match(doc.result.contents[0].text, /^# Options strategies/);
});
