// npm run bench, the measuring half (scripts/bench.sh starts the servers): one run, every
// case against broker-mcp and the three peers, printed as rates, costs and ratios.
//
// Cost per request = 1/rate − 1/floor, the floor being the same workerd's static JSON
// answer measured in the same run: the dev proxy's own cost cancels out, what is left is
// what the stack adds. A ratio is broker-mcp's cost over the best peer's (≤ 0.5 is the aim
// for ping and a trivial tools/call) or, for tools/list, broker-mcp's rate over its floor.
//
// Usage: node scripts/bench/measure.mjs <out-dir>  with BENCH_URL, BENCH_PEERS_URL,
// BENCH_TOKEN (broker-mcp's bearer), BENCH_PEERS_SECRET, BENCH_SECONDS, BENCH_CONNECTIONS,
// BENCH_SOAK (requests in the soak, 0 to skip) in the environment.
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const out = process.argv[2];
const env = process.env;
const ours = env.BENCH_URL;
const peers = env.BENCH_PEERS_URL;
const seconds = Number(env.BENCH_SECONDS ?? 6);
const connections = Number(env.BENCH_CONNECTIONS ?? 4);
const soakRequests = Number(env.BENCH_SOAK ?? 100000);
const SESSION_ERA = '2025-11-25';
const STATELESS_ERA = '2026-07-28';

// An HS256 JWT for the peers' bearer check (their README).
function peerToken(secret) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'bench', exp: Math.floor(Date.now() / 1000) + 3600 })}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

const rpc = (method, params, meta) => {
  const body = { jsonrpc: '2.0', id: 1, method, params: { ...params } };
  if (meta) body.params._meta = meta;
  return JSON.stringify(body);
};
const statelessMeta = {
  'io.modelcontextprotocol/protocolVersion': STATELESS_ERA,
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1' },
};

// fetch, once more when a kept-alive connection turns out closed (the server closes idle
// connections while wrk runs).
async function fetchAgain(url, init) {
  try {
    return await fetch(url, init);
  } catch (err) {
    if (!['UND_ERR_SOCKET', 'EPIPE', 'ECONNRESET'].includes(err?.cause?.code)) throw err;
    return fetch(url, init);
  }
}

async function post(url, headers, body) {
  const res = await fetchAgain(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body,
  });
  return { res, text: await res.text() };
}

// A 2025-11-25 session: initialize, then notifications/initialized, as a client does.
async function openSession(url, headers) {
  const init = rpc('initialize', {
    protocolVersion: SESSION_ERA,
    capabilities: {},
    clientInfo: { name: 'bench', version: '1' },
  });
  const t0 = performance.now();
  const { res, text } = await post(url, headers, init);
  const firstMs = performance.now() - t0;
  const session = res.headers.get('mcp-session-id');
  if (!session)
    throw new Error(`initialize at ${url} gave no session (${res.status} ${text.slice(0, 200)})`);
  const h = { ...headers, 'mcp-session-id': session, 'mcp-protocol-version': SESSION_ERA };
  await post(url, h, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
  return { headers: h, firstMs };
}

// One request as a wrk script.
function wrkScript(name, body, headers) {
  const lines = [
    'wrk.method = "POST"',
    `wrk.body = ${JSON.stringify(body)}`,
    'wrk.headers["content-type"] = "application/json"',
    'wrk.headers["accept"] = "application/json, text/event-stream"',
    ...Object.entries(headers).map(
      ([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`,
    ),
  ];
  const file = join(out, `${name}.lua`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

// Requests per second, and whether any answer was an error.
function wrk(name, url, script, duration = seconds) {
  const args = ['-t1', `-c${connections}`, `-d${duration}s`, '--latency'];
  if (script) args.push('-s', script);
  const run = spawnSync('wrk', [...args, url], { encoding: 'utf8' });
  writeFileSync(join(out, `${name}.txt`), run.stdout + run.stderr);
  const rate = Number(/Requests\/sec:\s+([\d.]+)/.exec(run.stdout)?.[1] ?? 0);
  const total = Number(/(\d+) requests in/.exec(run.stdout)?.[1] ?? 0);
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(run.stdout)?.[1] ?? '0';
  const socket = /Socket errors: (.*)/.exec(run.stdout)?.[1];
  return { rate, total, errors: Number(errors), socket };
}

// A request is checked by hand once before it is timed: a wrong answer must not be timed.
async function checked(url, headers, body, expect) {
  const { res, text } = await post(url, headers, body);
  if (res.status !== 200 || !expect(text))
    throw new Error(`${url} ${body.slice(0, 80)} → ${res.status} ${text.slice(0, 300)}`);
  return text.length;
}

const ourAuth = env.BENCH_TOKEN ? { authorization: `Bearer ${env.BENCH_TOKEN}` } : {};
const peerAuth = { authorization: `Bearer ${peerToken(env.BENCH_PEERS_SECRET)}` };

const stacks = {
  ours: { label: 'broker-mcp', floorUrl: `${ours}/bench/floor` },
  peers: { label: 'peers', floorUrl: `${peers}/floor` },
};
const ourSession = await openSession(`${ours}/mcp`, ourAuth);
const agentsSession = await openSession(`${peers}/agents/mcp`, peerAuth);
// 2026-07-28 requests name their method (and tool) in headers too (SEP-2243).
const ourStateless = (method, name) => ({
  ...ourAuth,
  'mcp-protocol-version': STATELESS_ERA,
  'mcp-method': method,
  ...(name ? { 'mcp-name': name } : {}),
});

const isResult = (t) => t.includes('"result"') && !t.includes('"isError":true');
// name → [url, headers, body] for each stack that has the case
const cases = [
  [
    'ping (session)',
    [
      ['broker-mcp', `${ours}/mcp`, ourSession.headers, rpc('ping', {})],
      ['McpAgent', `${peers}/agents/mcp`, agentsSession.headers, rpc('ping', {})],
    ],
  ],
  [
    'ping (stateless)',
    [
      ['SDK v1', `${peers}/mcp`, peerAuth, rpc('ping', {})],
      ['SDK v2', `${peers}/mcp2`, peerAuth, rpc('ping', {})],
    ],
  ],
  [
    'tools/call trivial (session)',
    [
      [
        'broker-mcp',
        `${ours}/mcp`,
        ourSession.headers,
        rpc('tools/call', { name: 'status', arguments: {} }),
      ],
      [
        'McpAgent',
        `${peers}/agents/mcp`,
        agentsSession.headers,
        rpc('tools/call', { name: 'getInstrument', arguments: { accountName: 'x' } }),
      ],
    ],
  ],
  [
    'tools/call trivial (stateless)',
    [
      [
        'broker-mcp',
        `${ours}/mcp`,
        ourStateless('tools/call', 'status'),
        rpc('tools/call', { name: 'status', arguments: {} }, statelessMeta),
      ],
      [
        'SDK v1',
        `${peers}/mcp`,
        peerAuth,
        rpc('tools/call', { name: 'getInstrument', arguments: { accountName: 'x' } }),
      ],
      [
        'SDK v2',
        `${peers}/mcp2`,
        peerAuth,
        rpc('tools/call', { name: 'getInstrument', arguments: { accountName: 'x' } }),
      ],
    ],
  ],
  [
    'tools/list (session)',
    [
      ['broker-mcp', `${ours}/mcp`, ourSession.headers, rpc('tools/list', {})],
      ['McpAgent', `${peers}/agents/mcp`, agentsSession.headers, rpc('tools/list', {})],
    ],
  ],
  [
    'tools/list (stateless)',
    [
      [
        'broker-mcp',
        `${ours}/mcp`,
        ourStateless('tools/list'),
        rpc('tools/list', {}, statelessMeta),
      ],
      ['SDK v1', `${peers}/mcp`, peerAuth, rpc('tools/list', {})],
      ['SDK v2', `${peers}/mcp2`, peerAuth, rpc('tools/list', {})],
    ],
  ],
];

console.error(`==> measuring (${seconds}s each, ${connections} connections, wrk -t1)`);
const floors = {
  'broker-mcp': wrk('floor-ours', stacks.ours.floorUrl).rate,
  peers: wrk('floor-peers', stacks.peers.floorUrl).rate,
};
const floorOf = (stack) => (stack === 'broker-mcp' ? floors['broker-mcp'] : floors.peers);
const costUs = (rate, floor) => (rate > 0 ? (1 / rate - 1 / floor) * 1e6 : Infinity);

const rows = [];
let serial = 0;
for (const [name, entries] of cases) {
  for (const [stack, url, headers, body] of entries) {
    const bytes = await checked(url, headers, body, isResult);
    const r = wrk(`case-${++serial}`, url, wrkScript(`case-${serial}`, body, headers));
    rows.push({ name, stack, ...r, bytes, cost: costUs(r.rate, floorOf(stack)) });
  }
}
// The peers' floor again at the end: drift over the run shows here.
const floorsAfter = {
  'broker-mcp': wrk('floor-ours-after', stacks.ours.floorUrl).rate,
  peers: wrk('floor-peers-after', stacks.peers.floorUrl).rate,
};

// Soak: many requests on one session, the core's memory before and after.
async function coreMemory() {
  const res = await fetchAgain(`${ours}/bench/memory`);
  return res.ok ? (await res.json()).bytes : NaN;
}
// Long enough for soakRequests at the rate the same request had above (wrk counts time,
// not requests); the report says how many were made.
let soak = null;
if (soakRequests > 0) {
  const body = rpc('tools/call', { name: 'status', arguments: {} });
  const rate = rows.find(
    (r) => r.name === 'tools/call trivial (session)' && r.stack === 'broker-mcp',
  ).rate;
  const before = await coreMemory();
  const r = wrk(
    'soak',
    `${ours}/mcp`,
    wrkScript('soak', body, ourSession.headers),
    Math.ceil((soakRequests / Math.max(rate, 1)) * 1.3),
  );
  const after = await coreMemory();
  soak = { ...r, before, after };
}

// Report.
const fmt = (n, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
const lines = [];
lines.push(
  `broker-mcp benchmark (${new Date().toISOString().slice(0, 16)}Z, ${seconds}s per case, ${connections} connections, wrk -t1, wrangler dev)`,
);
lines.push(
  `  static floor: broker-mcp ${fmt(floors['broker-mcp'])} req/s (after: ${fmt(floorsAfter['broker-mcp'])}), peers' Worker ${fmt(floors.peers)} req/s (after: ${fmt(floorsAfter.peers)})`,
);
lines.push('');
lines.push(
  '  case                              stack        req/s   cost µs/req  answer B  errors',
);
for (const r of rows) {
  lines.push(
    `  ${r.name.padEnd(34)}${r.stack.padEnd(11)}${fmt(r.rate).padStart(7)}${fmt(r.cost).padStart(14)}${String(r.bytes).padStart(10)}${String(r.errors + (r.socket ? 1 : 0)).padStart(8)}`,
  );
}
lines.push('');
lines.push('  ratios (broker-mcp cost ÷ best peer cost; aim ≤ 0.50)');
const best = (names, era) => {
  const pool = rows.filter((r) => names.includes(r.name) && r.stack !== 'broker-mcp');
  return pool.reduce((a, b) => (a && a.cost <= b.cost ? a : b), null);
};
const ourRow = (name) => rows.find((r) => r.name === name && r.stack === 'broker-mcp');
for (const [label, ourCase, peerCases] of [
  ['ping, session', 'ping (session)', ['ping (session)', 'ping (stateless)']],
  [
    'tools/call, session',
    'tools/call trivial (session)',
    ['tools/call trivial (session)', 'tools/call trivial (stateless)'],
  ],
  ['tools/call, stateless', 'tools/call trivial (stateless)', ['tools/call trivial (stateless)']],
]) {
  const o = ourRow(ourCase);
  const b = best(peerCases);
  lines.push(
    `  ${label.padEnd(34)}${fmt(o.cost / b.cost, 2).padStart(6)}  (${fmt(o.cost)} µs vs ${b.stack} ${b.name} ${fmt(b.cost)} µs)`,
  );
}
lines.push('  tools/list rate ÷ floor (aim ≥ 0.80)');
for (const name of ['tools/list (session)', 'tools/list (stateless)']) {
  const o = ourRow(name);
  lines.push(
    `  ${name.padEnd(34)}${fmt(o.rate / floors['broker-mcp'], 2).padStart(6)}  (${o.bytes} B answer)`,
  );
}
lines.push('');
lines.push(
  `  first request after start: initialize ${fmt(ourSession.firstMs, 1)} ms (McpAgent ${fmt(agentsSession.firstMs, 1)} ms)`,
);
if (soak) {
  lines.push(
    `  soak: ${soak.total} tools/call status in one session at ${fmt(soak.rate)} req/s, ${soak.errors} errors${soak.socket ? `, socket errors ${soak.socket}` : ''}; ` +
      `core memory ${fmt(soak.before / 1048576, 1)} MiB before, ${fmt(soak.after / 1048576, 1)} MiB after`,
  );
}
const report = lines.join('\n');
writeFileSync(join(out, 'measure.txt'), `${report}\n`);
writeFileSync(
  join(out, 'measure.json'),
  JSON.stringify({ floors, floorsAfter, rows, soak }, null, 2),
);
console.log(report);
