// Sign-in end to end, through `wrangler dev` and the sandbox brokerage: the official MCP SDK
// client discovers the authorization server, registers, runs PKCE and the code flow (this
// test plays the browser: it follows the redirects, submits the consent form with its CSRF
// token and cookie, and signs in at the sandbox), then lists and calls tools, refreshes,
// and is refused after revocation. Also: the refresh-token family attack, /authorize errors of
// an unapproved client shown rather than redirected, the direct tastytrade sign-in (refused
// unless configured), one upstream refresh
// for 50 parallel tool calls with an expired broker token, and a refused broker refresh
// turning into 401 invalid_token.
//
// Run by `npm test` (layer e2e) with BROKER_MCP_URL and SANDBOX_URL set.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Browser, signIn } from './support/sign-in.mjs';

const BASE = process.env.BROKER_MCP_URL ?? 'http://127.0.0.1:8787';
const SANDBOX = process.env.SANDBOX_URL ?? 'http://127.0.0.1:8788';
const MCP_URL = new URL('/mcp', BASE);
const REDIRECT_URI = 'http://127.0.0.1:9/e2e-signin-callback';

class TestProvider {
  constructor({ user, broker, name = 'e2e sign-in test' }) {
    Object.assign(this, { user, broker, name, browser: new Browser(), consentPages: 0 });
  }
  get redirectUrl() {
    return REDIRECT_URI;
  }
  get clientMetadata() {
    return {
      client_name: this.name,
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation() {
    return this.info;
  }
  saveClientInformation(info) {
    this.info = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens) {
    this.saved = tokens;
  }
  saveCodeVerifier(v) {
    this.verifier = v;
  }
  codeVerifier() {
    return this.verifier;
  }
  async redirectToAuthorization(url) {
    this.authorizationUrl = url;
    const { params, consentPages } = await this.browser.authorize(url, {
      base: BASE,
      sandbox: SANDBOX,
      redirectUri: REDIRECT_URI,
      user: this.user,
      broker: this.broker,
      onConsentPage: this.onConsentPage,
    });
    this.consentPages += consentPages;
    if (params.get('error'))
      throw new Error(
        `authorization failed: ${params.get('error')} ${params.get('error_description') ?? ''}`,
      );
    assert.equal(params.get('iss'), BASE, 'RFC 9207 iss names this server');
    this.code = params.get('code');
  }
}

async function connect(provider) {
  const client = new Client({ name: 'e2e-signin', version: '1.0.0' });
  try {
    await client.connect(new StreamableHTTPClientTransport(MCP_URL, { authProvider: provider }));
    return client;
  } catch (err) {
    if (!(err instanceof UnauthorizedError)) throw err;
  }
  const transport = new StreamableHTTPClientTransport(MCP_URL, { authProvider: provider });
  await transport.finishAuth(provider.code);
  const signedIn = new Client({ name: 'e2e-signin', version: '1.0.0' });
  await signedIn.connect(new StreamableHTTPClientTransport(MCP_URL, { authProvider: provider }));
  return signedIn;
}

async function sandbox(path, body) {
  const res = await fetch(
    new URL(path, SANDBOX),
    body === undefined
      ? {}
      : {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        },
  );
  assert.ok(res.ok, `sandbox ${path}: HTTP ${res.status}`);
  return res.json();
}

function postForm(path, form) {
  return fetch(new URL(path, BASE), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

function rawMcp(accessToken, message = { jsonrpc: '2.0', id: 1, method: 'ping' }) {
  return fetch(MCP_URL, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
    },
    body: JSON.stringify(message),
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const toolText = (result) => (result.content ?? []).map((c) => c.text ?? '').join('\n');

before(async () => {
  const res = await fetch(new URL('/health', BASE));
  assert.equal(res.status, 200, 'wrangler dev answers');
});

test('an unauthenticated MCP request is told where to sign in', async () => {
  const res = await rawMcp(undefined);
  assert.equal(res.status, 401);
  const challenge = res.headers.get('www-authenticate');
  assert.match(
    challenge,
    /^Bearer resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource\/mcp"/,
  );
  const prm = await (
    await fetch(new URL('/.well-known/oauth-protected-resource/mcp', BASE))
  ).json();
  assert.equal(prm.resource, MCP_URL.href);
  assert.deepEqual(prm.authorization_servers, [BASE]);
  const as = await (await fetch(new URL('/.well-known/oauth-authorization-server', BASE))).json();
  assert.equal(as.issuer, BASE);
  assert.deepEqual(as.code_challenge_methods_supported, ['S256']);
  assert.ok(as.registration_endpoint && as.revocation_endpoint);
  const bad = await rawMcp('not-a-token');
  assert.equal(bad.status, 401);
  assert.match(bad.headers.get('www-authenticate'), /error="invalid_token"/);
  const query = await fetch(new URL('/mcp?access_token=abc', BASE), { method: 'POST' });
  assert.equal(query.status, 400);
});

test('the SDK client signs in with Schwab, calls tools, refreshes, and is refused after revocation', async () => {
  const provider = new TestProvider({ user: 'alice', broker: 'schwab' });
  const client = await connect(provider);
  assert.equal(provider.consentPages, 1);
  assert.ok(provider.saved.refresh_token, 'a refresh token was issued');
  assert.equal(provider.saved.token_type.toLowerCase(), 'bearer');

  const { tools } = await client.listTools();
  assert.ok(tools.some((t) => t.name === 'status'));
  const status = await client.callTool({ name: 'status', arguments: {} });
  assert.equal(status.structuredContent.broker.name, 'schwab');
  if (tools.some((t) => t.name === 'getAccountNumbers')) {
    // Reaches Schwab with the stored broker token (the deployment-wide Schwab rate limit,
    // shared with the other end-to-end tests, may say "later": that is not a sign-in problem).
    const accounts = await client.callTool({ name: 'getAccountNumbers', arguments: {} });
    assert.ok(!accounts.isError || /rate_limited/.test(toolText(accounts)), toolText(accounts));
  }
  await client.close();

  // The SDK refreshes by itself when the server says the access token is no good.
  const firstRefresh = provider.saved.refresh_token;
  provider.saved = { ...provider.saved, access_token: 'expired-or-garbage' };
  const again = await connect(provider);
  assert.notEqual(provider.saved.refresh_token, firstRefresh, 'the refresh token rotated');
  assert.equal(
    (await again.callTool({ name: 'status', arguments: {} })).structuredContent.broker.name,
    'schwab',
  );
  await again.close();

  // A retry with the previous refresh token inside the grace window still works once…
  const retry = await postForm('/token', {
    grant_type: 'refresh_token',
    refresh_token: firstRefresh,
    client_id: provider.info.client_id,
  });
  assert.equal(retry.status, 200);
  assert.equal(retry.headers.get('cache-control'), 'no-store');
  const retried = await retry.json();

  // Revocation: the grant ends; its access tokens are refused from then on.
  const revoke = await postForm('/revoke', {
    token: retried.refresh_token,
    client_id: provider.info.client_id,
  });
  assert.equal(revoke.status, 200);
  const after = await rawMcp(retried.access_token);
  assert.equal(after.status, 401);
  assert.match(after.headers.get('www-authenticate'), /error="invalid_token"/);
  const refreshAfter = await postForm('/token', {
    grant_type: 'refresh_token',
    refresh_token: retried.refresh_token,
    client_id: provider.info.client_id,
  });
  assert.equal((await refreshAfter.json()).error, 'invalid_grant');
});

test('a tastytrade sign-in through the SDK; the approval cookie skips the consent page', async () => {
  const provider = new TestProvider({ user: 'bob', broker: 'tastytrade' });
  let page = '';
  provider.onConsentPage = (html) => {
    page = html;
  };
  const client = await connect(provider);
  assert.match(page, /e2e sign-in test/);
  assert.match(page, /sandbox/i);
  const status = await client.callTool({ name: 'status', arguments: {} });
  assert.equal(status.structuredContent.broker.name, 'tastytrade');
  await client.close();

  // A second authorization for the same client in the same browser goes straight to the broker.
  provider.saved = undefined;
  const second = await connect(provider);
  assert.equal(provider.consentPages, 1, 'the consent page was shown once');
  await second.close();
});

test('a tastytrade sign-in started at tastytrade is refused unless TASTYTRADE_DIRECT_SIGN_IN=1', async () => {
  const authorize = new URL('/tastytrade/auth.html', SANDBOX);
  authorize.search = new URLSearchParams({
    client_id: 'sandbox-tastytrade-client',
    redirect_uri: new URL('/oauth/callback', BASE).href,
    response_type: 'code',
    sandbox_user: 'carol',
  }).toString();
  const toUs = await fetch(authorize, { redirect: 'manual' });
  assert.equal(toUs.status, 302);
  const res = await fetch(toUs.headers.get('location'), { redirect: 'manual' });
  assert.equal(res.status, 400);
  assert.match(res.headers.get('content-type'), /text\/html/);
  assert.doesNotMatch(await res.text(), /"token"/);
});

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 'family', version: '1' },
  },
};

test('refresh token family: a stolen token replayed in the grace window ends the grant for both', async () => {
  const provider = new TestProvider({ user: 'carol', broker: 'tastytrade' });
  await (await connect(provider)).close();
  const clientId = provider.info.client_id;
  const r1 = provider.saved.refresh_token;
  const refresh = (token) =>
    postForm('/token', { grant_type: 'refresh_token', refresh_token: token, client_id: clientId });

  const rotated = await refresh(r1); // the real client: R1 → R2
  assert.equal(rotated.status, 200);
  const client = await rotated.json();
  const stolen = await refresh(r1); // the attacker, with a copy of R1, inside the 30 s grace window
  assert.equal(stolen.status, 200);
  const attacker = await stolen.json();
  assert.equal((await rawMcp(attacker.access_token, initialize)).status, 200);

  const clientNext = await refresh(client.refresh_token); // R2 was superseded by the replay: reuse
  assert.equal(clientNext.status, 400);
  const refused = await clientNext.json();
  assert.equal(refused.error, 'invalid_grant');
  assert.match(refused.error_description, /revoked/);
  assert.equal((await (await refresh(attacker.refresh_token)).json()).error, 'invalid_grant');
  for (const token of [attacker.access_token, client.access_token]) {
    const res = await rawMcp(token, initialize);
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate'), /error="invalid_token"/);
  }
});

test("/authorize never redirects an unapproved client's error to its registered URI", async () => {
  const reg = await fetch(new URL('/register', BASE), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      redirect_uris: ['https://attacker.example/landing'],
      token_endpoint_auth_method: 'none',
    }),
  });
  assert.equal(reg.status, 201);
  const { client_id } = await reg.json();
  const url = new URL('/authorize', BASE);
  url.search = new URLSearchParams({
    response_type: 'token',
    client_id,
    redirect_uri: 'https://attacker.example/landing',
    state: 's',
  }).toString();
  const res = await fetch(url, { redirect: 'manual' });
  assert.equal(res.status, 400);
  assert.equal(res.headers.get('location'), null);
  assert.match(res.headers.get('content-type'), /text\/html/);
  assert.doesNotMatch(await res.text(), /attacker\.example\/landing/);
});

test('50 parallel tool calls with an expired broker token cause one refresh upstream', async (t) => {
  // Sign in while the sandbox hands out 2-second Schwab tokens, then let the token expire.
  await sandbox('/_sandbox/config', { schwab: { accessTokenTtl: 2 } });
  let provider;
  try {
    provider = new TestProvider({ user: 'carol', broker: 'schwab' });
    await (await connect(provider)).close();
  } finally {
    await sandbox('/_sandbox/config', { schwab: { accessTokenTtl: 1800 } });
  }
  const clients = [];
  for (let i = 0; i < 5; i++) clients.push(await connect(provider));
  const { tools } = await clients[0].listTools();
  const tool = ['getAccountNumbers', 'getAccounts', 'getUserPreference'].find((n) =>
    tools.some((x) => x.name === n),
  );
  if (!tool) {
    t.skip('no Schwab tool that calls the broker is listed yet');
    return;
  }
  await sleep(2500);
  const before = (await sandbox('/_sandbox/stats')).tokenRequests.schwab.refresh_token;
  const results = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      clients[i % clients.length].callTool({ name: tool, arguments: {} }),
    ),
  );
  const after = (await sandbox('/_sandbox/stats')).tokenRequests.schwab.refresh_token;
  for (const c of clients) await c.close();
  const succeeded = results.filter((r) => !r.isError).length;
  t.diagnostic(
    `${tool} x50 over ${clients.length} sessions: ${after - before} upstream refresh, ${succeeded} calls succeeded`,
  );
  assert.equal(after - before, 1, 'exactly one refresh reached the broker');
  // Every call got the refreshed token: none failed for want of a sign-in. (Schwab's
  // deployment-wide request limit, shared with the other end-to-end tests, may turn some
  // calls away with rate_limited after the token was obtained.)
  for (const r of results) {
    if (r.isError) assert.match(toolText(r), /rate_limited/, toolText(r));
  }
});

test('a refused broker refresh token asks the client to sign in again', async (t) => {
  await sandbox('/_sandbox/config', { schwab: { accessTokenTtl: 2 } });
  let provider;
  try {
    provider = new TestProvider({ user: 'bob', broker: 'schwab' });
    await (await connect(provider)).close();
  } finally {
    await sandbox('/_sandbox/config', { schwab: { accessTokenTtl: 1800 } });
  }
  const client = await connect(provider);
  const { tools } = await client.listTools();
  const tool = ['getAccountNumbers', 'getAccounts', 'getUserPreference'].find((n) =>
    tools.some((x) => x.name === n),
  );
  if (!tool) {
    await client.close();
    t.skip('no Schwab tool that calls the broker is listed yet');
    return;
  }
  await sleep(2500);
  await sandbox('/_sandbox/faults', {
    broker: 'schwab',
    path: '/schwab/v1/oauth/token',
    mode: 'expired_refresh',
    count: 1,
  });
  try {
    const result = await client.callTool({ name: tool, arguments: {} });
    assert.ok(result.isError);
    assert.match(toolText(result), /sign(ed)? in|sign-in/i);
  } finally {
    await fetch(new URL('/_sandbox/faults', SANDBOX), { method: 'DELETE' });
  }
  // The refusal was seen by the session's Durable Object; the Worker's bearer check may have
  // remembered the grant as alive for up to 10 seconds.
  let next;
  for (let i = 0; i < 24; i++) {
    next = await rawMcp(provider.saved.access_token);
    if (next.status === 401) break;
    await sleep(500);
  }
  assert.equal(next.status, 401);
  assert.match(next.headers.get('www-authenticate'), /error="invalid_token"/);
  assert.match(next.headers.get('www-authenticate'), /sign in again/);
  await client.close().catch(() => {});
});

test('PKCE and redirect URIs are enforced on the live server', async () => {
  const reg = await fetch(new URL('/register', BASE), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ redirect_uris: ['http://evil.example/cb'] }),
  });
  assert.equal(reg.status, 400);
  assert.equal((await reg.json()).error, 'invalid_redirect_uri');
  const ok = await fetch(new URL('/register', BASE), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      redirect_uris: [REDIRECT_URI],
      token_endpoint_auth_method: 'none',
      client_name: 'pkce check',
    }),
  });
  assert.equal(ok.status, 201);
  const { client_id } = await ok.json();
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL('/authorize', BASE);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id,
    redirect_uri: REDIRECT_URI,
    state: 's1',
    resource: MCP_URL.href,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'plain',
  }).toString();
  // Nobody approved this client in this browser, so the error is shown, not redirected.
  const plain = await fetch(url, { redirect: 'manual' });
  assert.equal(plain.status, 400);
  assert.equal(plain.headers.get('location'), null);
  url.searchParams.set('redirect_uri', 'http://127.0.0.1:9/not-registered');
  const page = await fetch(url, { redirect: 'manual' });
  assert.equal(page.status, 400);
  assert.equal(page.headers.get('location'), null);
});

test('the sign-in helper (also used by the benchmark) yields a working access token', async () => {
  const { accessToken, refreshToken } = await signIn({
    base: BASE,
    sandbox: SANDBOX,
    user: 'alice',
    broker: 'tastytrade',
  });
  assert.ok(refreshToken);
  const res = await rawMcp(accessToken, {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'helper', version: '1' },
    },
  });
  assert.equal(res.status, 200);
});
