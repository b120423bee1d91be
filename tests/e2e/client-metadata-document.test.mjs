// Client ID Metadata Documents end to end: a client whose client_id is the URL of its
// metadata document (served here by a small local HTTP server; the dev server allows
// loopback http for that, ALLOW_LOOPBACK_CLIENT_METADATA=1) signs in without registering:
// the server advertises the capability, fetches and checks the document, shows the
// document's host on the consent page, issues tokens that work on /mcp, and refreshes
// them. A document that does not name its own URL is refused before anything else.
//
// Started by `npm test` (layer e2e) with BROKER_MCP_URL and SANDBOX_URL set.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { signIn } from './support/sign-in.mjs';

const BASE = process.env.BROKER_MCP_URL ?? 'http://127.0.0.1:8787';
const SANDBOX = process.env.SANDBOX_URL ?? 'http://127.0.0.1:8788';
const REDIRECT_URI = 'http://127.0.0.1:9/cimd-callback';

describe('Client ID Metadata Documents', () => {
  let server;
  let origin;
  let fetched = 0;

  before(async () => {
    server = createServer((req, res) => {
      const url = `${origin}${req.url}`;
      const doc = {
        client_name: 'Document Client',
        redirect_uris: [REDIRECT_URI],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      };
      if (req.url === '/oauth/client.json') doc.client_id = url;
      else if (req.url === '/oauth/impostor.json') doc.client_id = `${origin}/oauth/client.json`;
      else {
        res.writeHead(404).end();
        return;
      }
      fetched++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${server.address().port}`;
  });

  after(() => new Promise((resolve) => server.close(resolve)));

  test('the authorization server says it accepts them', async () => {
    const res = await fetch(new URL('/.well-known/oauth-authorization-server', BASE));
    assert.equal(res.status, 200);
    assert.equal((await res.json()).client_id_metadata_document_supported, true);
  });

  test('sign in with a document URL as client_id, use the token, refresh it', async () => {
    const clientId = `${origin}/oauth/client.json`;
    let consent = '';
    const { accessToken, refreshToken } = await signIn({
      base: BASE,
      sandbox: SANDBOX,
      user: 'alice',
      broker: 'schwab',
      clientId,
      redirectUri: REDIRECT_URI,
      onConsentPage: (html) => {
        consent = html;
      },
    });
    assert.ok(fetched >= 1, 'the server fetched the document');
    assert.ok(
      consent.includes(`Document Client (127.0.0.1:${server.address().port})`),
      'the consent page names the client with the host of its document',
    );

    const init = await fetch(new URL('/mcp', BASE), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${accessToken}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'cimd', version: '1' },
        },
      }),
    });
    assert.equal(init.status, 200);

    const refreshed = await fetch(new URL('/token', BASE), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: clientId,
      }).toString(),
    });
    const body = await refreshed.json();
    assert.equal(refreshed.status, 200, JSON.stringify(body));
    assert.ok(body.access_token);

    // The same refresh token presented for another client id is refused.
    const wrong = await fetch(new URL('/token', BASE), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: body.refresh_token,
        client_id: `${origin}/oauth/impostor.json`,
      }).toString(),
    });
    assert.ok(wrong.status === 400 || wrong.status === 401, `answered ${wrong.status}`);
  });

  test('a document that does not name its own URL is refused at /authorize', async () => {
    const url = new URL('/authorize', BASE);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: `${origin}/oauth/impostor.json`,
      redirect_uri: REDIRECT_URI,
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    }).toString();
    const res = await fetch(url, { redirect: 'manual' });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /client_id is not its own URL/);
  });
});
