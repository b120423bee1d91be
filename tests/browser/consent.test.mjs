// The consent page in a real browser (Debian's chromium driven by playwright-core): an MCP
// client's authorization URL opens the page, which names the client and the access asked
// for; approving leads to the sandbox brokerage's sign-in and back to the client's redirect
// URI with a code. A second authorization skips the page (the approval cookie). The page
// is saved as $ARTIFACTS_DIR/consent-page.png.
//
// Run by `npm test` (layer e2e) with BROKER_MCP_URL and SANDBOX_URL set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.BROKER_MCP_URL ?? 'http://127.0.0.1:8787';
const SANDBOX = process.env.SANDBOX_URL ?? 'http://127.0.0.1:8788';
const ARTIFACTS = process.env.ARTIFACTS_DIR ?? join(process.cwd(), 'test-artifacts');
const REDIRECT_URI = 'http://127.0.0.1:9/cb'; // unreachable on purpose: the route below catches it
const CLIENT_NAME = 'Browser Consent Test';

let browser;
let context;
let userDataDir;

function authorizationUrl(clientId, state, scope = 'brokerage:read brokerage:trade') {
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL('/authorize', BASE);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT_URI,
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    scope,
    resource: new URL('/mcp', BASE).href,
  }).toString();
  return { url: url.href, verifier };
}

// Resolves with the URL the browser is sent to at the client's redirect URI.
function captureRedirect(page) {
  return new Promise((resolve) => {
    page.route(`${REDIRECT_URI}**`, async (route) => {
      resolve(route.request().url());
      await route.fulfill({ status: 200, contentType: 'text/plain', body: 'signed in' });
    });
  });
}

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
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
    viewport: { width: 390, height: 844 }, // a phone
  });
  browser = context;
});

after(async () => {
  await browser?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

test('consent, broker sign-in, code; then the approval cookie skips the page', async () => {
  const reg = await fetch(new URL('/register', BASE), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: CLIENT_NAME,
      redirect_uris: [REDIRECT_URI],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
    }),
  });
  assert.equal(reg.status, 201);
  const { client_id: clientId } = await reg.json();

  const page = await context.newPage();
  const first = authorizationUrl(clientId, 'first-state');
  const landed = captureRedirect(page);
  await page.goto(first.url);

  // The page says who asks, where the answer goes, and what they will be able to do.
  await page.waitForSelector('#consent-form');
  assert.match(await page.title(), new RegExp(CLIENT_NAME));
  assert.equal(await page.textContent('#client-name'), CLIENT_NAME);
  assert.equal(await page.textContent('#redirect-host'), '127.0.0.1:9');
  const access = await page.textContent('#access');
  assert.match(access, /accounts, balances, positions, orders and transactions/);
  assert.match(access, /confirm/);
  // The client asked for trading: "allow trading" starts ticked, and the person can untick it.
  assert.ok(await page.isVisible('#allow-trading'));
  assert.equal(await page.isChecked('#allow-trading'), true);
  assert.match(await page.textContent('#trading'), /place, change and cancel orders/);
  assert.match(await page.textContent('#sandbox-notice'), /sandbox/i);
  assert.ok(await page.isVisible('#broker-schwab'));
  assert.ok(await page.isVisible('#broker-tastytrade'));
  assert.ok(await page.isVisible('#approve'));
  assert.ok(await page.isVisible('#deny'));
  // Readable on a phone: nothing wider than the screen.
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
  await page.screenshot({ path: join(ARTIFACTS, 'consent-page.png'), fullPage: true });

  await page.check('#broker-schwab');
  await Promise.all([page.waitForURL((u) => u.href.startsWith(SANDBOX)), page.click('#approve')]);
  await page.click('#login-alice');
  const firstUrl = new URL(await landed);
  assert.equal(firstUrl.searchParams.get('state'), 'first-state');
  assert.equal(firstUrl.searchParams.get('iss'), BASE);
  assert.match(firstUrl.searchParams.get('code') ?? '', /^[\w-]{43}$/);

  // The code works at the token endpoint.
  const token = await fetch(new URL('/token', BASE), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: firstUrl.searchParams.get('code'),
      redirect_uri: REDIRECT_URI,
      code_verifier: first.verifier,
      client_id: clientId,
    }).toString(),
  });
  assert.equal(token.status, 200);
  assert.ok((await token.json()).access_token);

  // Second authorization: the approval cookie sends the browser straight to the broker.
  const cookies = await context.cookies(BASE);
  const approval = cookies.find((c) => c.name === 'mcp-approved-clients');
  assert.ok(approval, 'the approval cookie was stored');
  assert.equal(approval.httpOnly, true);
  assert.equal(approval.secure, true);
  assert.equal(approval.sameSite, 'Lax');

  const page2 = await context.newPage();
  const second = authorizationUrl(clientId, 'second-state');
  const landed2 = captureRedirect(page2);
  await page2.goto(second.url);
  assert.ok(page2.url().startsWith(SANDBOX), `expected the broker's sign-in, got ${page2.url()}`);
  await page2.click('#login-alice');
  const secondUrl = new URL(await landed2);
  assert.equal(secondUrl.searchParams.get('state'), 'second-state');
  assert.ok(secondUrl.searchParams.get('code'));
});

// Exchanges a code at the token endpoint; the token response.
async function exchange(clientId, code, verifier) {
  const res = await fetch(new URL('/token', BASE), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
      client_id: clientId,
    }).toString(),
  });
  assert.equal(res.status, 200);
  return res.json();
}

async function registerClient(name) {
  const reg = await fetch(new URL('/register', BASE), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: name,
      redirect_uris: [REDIRECT_URI],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
    }),
  });
  assert.equal(reg.status, 201);
  return (await reg.json()).client_id;
}

test('read-only or read and trade: the grant is what the person chose', async () => {
  // A client that asks only to read: the box starts unticked, and approving gives read-only.
  const reader = await registerClient('Read-only Consent Test');
  const page = await context.newPage();
  const asked = authorizationUrl(reader, 'read-state', 'brokerage:read');
  const landed = captureRedirect(page);
  await page.goto(asked.url);
  await page.waitForSelector('#consent-form');
  assert.equal(await page.isChecked('#allow-trading'), false);
  assert.match(await page.textContent('#limits'), /read-only/);
  await page.check('#broker-schwab');
  await Promise.all([page.waitForURL((u) => u.href.startsWith(SANDBOX)), page.click('#approve')]);
  await page.click('#login-alice');
  const tokens = await exchange(
    reader,
    new URL(await landed).searchParams.get('code'),
    asked.verifier,
  );
  assert.equal(tokens.scope, 'brokerage:read');

  // A client that asks for everything, and a person who unticks trading: read-only too.
  const trader = await registerClient('Unticked Consent Test');
  const page2 = await context.newPage();
  const all = authorizationUrl(trader, 'untick-state');
  const landed2 = captureRedirect(page2);
  await page2.goto(all.url);
  await page2.waitForSelector('#consent-form');
  assert.equal(await page2.isChecked('#allow-trading'), true);
  await page2.uncheck('#allow-trading');
  await page2.check('#broker-schwab');
  await Promise.all([page2.waitForURL((u) => u.href.startsWith(SANDBOX)), page2.click('#approve')]);
  await page2.click('#login-alice');
  const tokens2 = await exchange(
    trader,
    new URL(await landed2).searchParams.get('code'),
    all.verifier,
  );
  assert.equal(tokens2.scope, 'brokerage:read');

  // The approval cookie remembers the choice: the page is skipped, and the grant stays read-only.
  const page3 = await context.newPage();
  const again = authorizationUrl(trader, 'again-state');
  const landed3 = captureRedirect(page3);
  await page3.goto(again.url);
  assert.ok(page3.url().startsWith(SANDBOX), `expected the broker's sign-in, got ${page3.url()}`);
  await page3.click('#login-alice');
  const tokens3 = await exchange(
    trader,
    new URL(await landed3).searchParams.get('code'),
    again.verifier,
  );
  assert.equal(tokens3.scope, 'brokerage:read');
});

test('Deny returns access_denied to the client', async () => {
  const reg = await fetch(new URL('/register', BASE), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'Denied Client',
      redirect_uris: [REDIRECT_URI],
      token_endpoint_auth_method: 'none',
    }),
  });
  const { client_id: clientId } = await reg.json();
  const page = await context.newPage();
  const landed = captureRedirect(page);
  await page.goto(authorizationUrl(clientId, 'deny-state').url);
  await page.click('#deny');
  const url = new URL(await landed);
  assert.equal(url.searchParams.get('error'), 'access_denied');
  assert.equal(url.searchParams.get('state'), 'deny-state');
});
