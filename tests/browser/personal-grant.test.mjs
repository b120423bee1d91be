// A person's own deployment in a real browser (Debian's chromium driven by playwright-core):
// the second Worker of the e2e layer signs in to tastytrade with a personal grant
// (TASTYTRADE_SIGN_IN=personal) and admits only Alice (ALLOWED_USERS). After the consent page
// the person pastes their grant's refresh token; a valid one signs them in and the tools
// reach their tastytrade accounts; a wrong or deleted one gets the page again with the
// reason; Bob, whose grant is valid but who is not on the list, sees the refusal page. The
// Worker's log (wrangler dev's output) has one line per sign-in step and never the token.
//
// Run by `npm test` (layer e2e) with PRIVATE_MCP_URL, SANDBOX_URL and PRIVATE_WRANGLER_DEV_LOG.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.PRIVATE_MCP_URL ?? 'http://127.0.0.1:8789';
const SANDBOX = process.env.SANDBOX_URL ?? 'http://127.0.0.1:8788';
const LOG = process.env.PRIVATE_WRANGLER_DEV_LOG;
const ARTIFACTS = process.env.ARTIFACTS_DIR ?? join(process.cwd(), 'test-artifacts');
const REDIRECT_URI = 'http://127.0.0.1:9/personal-cb';

let context;
let userDataDir;
let clientId;

async function sandbox(method, path, body) {
  const res = await fetch(new URL(path, SANDBOX), {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(res.ok, `sandbox ${method} ${path}: HTTP ${res.status}`);
  return res.json();
}

function authorizationUrl(state) {
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL('/authorize', BASE);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT_URI,
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    scope: 'brokerage:read',
    resource: new URL('/mcp', BASE).href,
  }).toString();
  return { url: url.href, verifier };
}

// A fresh browser page at the grant form: consent page, tastytrade, approve.
async function grantForm(state) {
  const page = await context.newPage();
  const landed = new Promise((resolve) => {
    page.route(`${REDIRECT_URI}**`, async (route) => {
      resolve(route.request().url());
      await route.fulfill({ status: 200, contentType: 'text/plain', body: 'signed in' });
    });
  });
  const auth = authorizationUrl(state);
  await page.goto(auth.url);
  if (await page.$('#consent-form')) {
    await page.check('#broker-tastytrade');
    await Promise.all([page.waitForSelector('#grant-form'), page.click('#approve')]);
  }
  await page.waitForSelector('#grant-form');
  return { page, landed, verifier: auth.verifier };
}

async function submitToken(page, token) {
  await page.fill('#refresh-token', token);
  await Promise.all([page.waitForLoadState('load'), page.click('#sign-in')]);
}

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const reg = await fetch(new URL('/register', BASE), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'Personal Deployment Test',
      redirect_uris: [REDIRECT_URI],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
    }),
  });
  assert.equal(reg.status, 201);
  clientId = (await reg.json()).client_id;
  userDataDir = mkdtempSync(join(tmpdir(), 'broker-mcp-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});

after(async () => {
  await context?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

test('a valid personal grant signs Alice in, and the tools reach her tastytrade accounts', async () => {
  const grant = await sandbox('POST', '/_sandbox/personal-grants', { user: 'alice' });
  const { page, landed, verifier } = await grantForm('alice-state');
  assert.equal(await page.getAttribute('#refresh-token', 'type'), 'password');
  assert.match(await page.textContent('#explain'), /OAuth Applications/);
  await page.screenshot({ path: join(ARTIFACTS, 'personal-grant-page.png'), fullPage: true });
  await submitToken(page, grant.refresh_token);
  const back = new URL(await landed);
  assert.equal(back.searchParams.get('state'), 'alice-state');
  const token = await fetch(new URL('/token', BASE), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: back.searchParams.get('code'),
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
      client_id: clientId,
    }).toString(),
  });
  assert.equal(token.status, 200);
  const { access_token: accessToken } = await token.json();

  // A 2026-07-28 tools/call with that token: the stored grant reaches tastytrade.
  const call = await fetch(new URL('/mcp', BASE), {
    method: 'POST',
    headers: {
      authorization: `Bearer ${accessToken}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': 'get_accounts',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: {
        name: 'get_accounts',
        arguments: {},
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    }),
  });
  assert.equal(call.status, 200);
  const answer = await call.json();
  assert.equal(answer.result.isError ?? false, false, JSON.stringify(answer.result).slice(0, 400));
  assert.match(
    JSON.stringify(answer.result.structuredContent),
    /\.\.\.\d{3}/,
    'accounts by display name',
  );

  if (LOG) {
    const log = readFileSync(LOG, 'utf8');
    for (const line of [
      'sign-in state check',
      'sign-in personal grant',
      'sign-in admission',
      'sign-in stored',
    ])
      assert.ok(log.includes(line), `the log has "${line}"`);
    assert.ok(!log.includes(grant.refresh_token), 'the refresh token never reaches the log');
    assert.ok(!log.includes(back.searchParams.get('code')), 'nor the authorization code');
  }
});

test('a wrong and a deleted grant get the form again with the reason', async () => {
  const { page, landed } = await grantForm('wrong-state');
  await submitToken(page, 'not-a-refresh-token');
  assert.match(await page.textContent('#error'), /did not accept this refresh token/);
  const grant = await sandbox('POST', '/_sandbox/personal-grants', { user: 'alice' });
  await sandbox('DELETE', `/_sandbox/personal-grants/${encodeURIComponent(grant.grant_id)}`);
  await page.waitForSelector('#grant-form');
  await submitToken(page, grant.refresh_token);
  assert.match(await page.textContent('#error'), /its grant was deleted/);
  assert.ok(!(await page.content()).includes(grant.refresh_token), 'the token is never echoed');
  // A fresh grant on the same page works.
  const fresh = await sandbox('POST', '/_sandbox/personal-grants', { user: 'alice' });
  await submitToken(page, fresh.refresh_token);
  assert.equal(new URL(await landed).searchParams.get('state'), 'wrong-state');
});

test('ALLOWED_USERS: Bob holds a valid grant but is not on the list', async () => {
  const grant = await sandbox('POST', '/_sandbox/personal-grants', { user: 'bob' });
  const { page } = await grantForm('bob-state');
  await submitToken(page, grant.refresh_token);
  assert.match(await page.textContent('h1'), /This server is private/);
  assert.match(await page.textContent('#error'), /tastytrade:U[0-9a-f]{8}-/);
  assert.match(page.url(), /\/personal-grant$/, 'never sent back to the client');
});
