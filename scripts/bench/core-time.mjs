// npm run bench, the per-request breakdown: where one request's time goes inside this
// server. workerd freezes its clocks while code runs (they move only across I/O), so the
// time spent in the core cannot be read there; this runs the same core.wasm under Node
// with the real shim and in-memory bindings (tests/harness/fake-bindings.mjs), and reports
// per request: the core's own time (every start/resume of the call, JSON in and out
// included), how many times the shim entered the core, and the effects it asked for, by
// kind. What a request costs in workerd beyond the core's time is the platform: the
// effects' round trips and the Worker's own request handling.
//
// Usage: node scripts/bench/core-time.mjs [requests per case]  (CORE_WASM: another build)
import { makeWorker } from '../../worker-shim/worker.js';
import { CoreInstance } from '../../worker-shim/core-instance.js';
import { accessToken, ctx, loadCoreModule, makeEnv } from '../../tests/harness/fake-bindings.mjs';

const N = Number(process.argv[2] ?? 2000);
const worker = makeWorker(loadCoreModule(process.env.CORE_WASM ?? 'build/wasm/core.wasm'));
const env = makeEnv(worker);

// Every entry into the core, timed, and the effects each Step asked for.
const tally = { ms: 0, entries: 0, effects: {} };
for (const name of ['start', 'resume']) {
  const original = CoreInstance.prototype[name];
  CoreInstance.prototype[name] = function timed(...args) {
    const t0 = performance.now();
    const step = original.apply(this, args);
    tally.ms += performance.now() - t0;
    tally.entries++;
    for (const e of step.effects ?? []) tally.effects[e.kind] = (tally.effects[e.kind] ?? 0) + 1;
    return step;
  };
}

const base = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  authorization: `Bearer ${accessToken()}`,
};
async function post(body, headers = {}) {
  const res = await worker.handler.fetch(
    new Request('http://127.0.0.1:8787/mcp', {
      method: 'POST',
      headers: { ...base, ...headers },
      body: JSON.stringify(body),
    }),
    env,
    ctx,
  );
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${body.method}: ${res.status} ${text.slice(0, 200)}`);
  return res;
}

const init = await post({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 'bench', version: '1' },
  },
});
const session = {
  'mcp-session-id': init.headers.get('mcp-session-id'),
  'mcp-protocol-version': '2025-11-25',
};
await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, session);
const meta = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientCapabilities': {},
};
const stateless = (method, name) => ({
  'mcp-protocol-version': '2026-07-28',
  'mcp-method': method,
  ...(name ? { 'mcp-name': name } : {}),
});

const cases = [
  ['ping (session)', { jsonrpc: '2.0', id: 2, method: 'ping' }, session],
  ['tools/list (session)', { jsonrpc: '2.0', id: 2, method: 'tools/list' }, session],
  [
    'tools/call status (session)',
    { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'status', arguments: {} } },
    session,
  ],
  [
    'tools/list (stateless)',
    { jsonrpc: '2.0', id: 2, method: 'tools/list', params: { _meta: meta } },
    stateless('tools/list'),
  ],
  [
    'tools/call status (stateless)',
    {
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'status', arguments: {}, _meta: meta },
    },
    stateless('tools/call', 'status'),
  ],
];

console.log(
  `per-request breakdown (core.wasm under Node, ${N} requests per case, after one warm-up)`,
);
console.log(
  '  case                              core µs/req   core entries/req   effects/req by kind',
);
for (const [name, body, headers] of cases) {
  await post(body, headers); // warm: the session record, the grant, the catalogs' kept listings
  tally.ms = 0;
  tally.entries = 0;
  tally.effects = {};
  for (let i = 0; i < N; i++) await post(body, headers);
  const effects =
    Object.entries(tally.effects)
      .map(([k, v]) => `${k} ${(v / N).toFixed(2)}`)
      .join(', ') || 'none';
  console.log(
    `  ${name.padEnd(34)}${((tally.ms * 1000) / N).toFixed(0).padStart(11)}${(tally.entries / N).toFixed(2).padStart(19)}   ${effects}`,
  );
}
