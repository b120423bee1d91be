// The Vercel AI SDK's MCP client (@ai-sdk/mcp, from the lockfile) against `wrangler dev`:
// its own OAuth (it discovers the server, registers, runs PKCE; the test browser plays the
// person on the consent page and at the sandbox), then the tools it hands to a model —
// listed with their schemas, and executed the way a model's tool call runs them — plus a
// resource read. Both brokers.
//
// Started by `npm test` (layer interop) with BROKER_MCP_URL and SANDBOX_URL set.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createMCPClient, auth, UnauthorizedError } from '@ai-sdk/mcp';
import { Browser } from '../e2e/support/sign-in.mjs';

const BASE = process.env.BROKER_MCP_URL ?? 'http://127.0.0.1:8787';
const SANDBOX = process.env.SANDBOX_URL ?? 'http://127.0.0.1:8788';
const MCP_URL = `${BASE}/mcp`;

// The AI SDK's OAuthClientProvider, kept in memory; "opening" the authorization URL walks
// it in the test browser and keeps what the redirect carried.
class Provider {
  constructor(user, broker) {
    Object.assign(this, {
      user,
      broker,
      info: undefined,
      saved: undefined,
      verifier: '',
      callback: null,
    });
    this.redirect = `http://127.0.0.1:9/ai-sdk-${broker}`;
  }
  get redirectUrl() {
    return this.redirect;
  }
  get clientMetadata() {
    return {
      client_name: `broker-mcp interop (AI SDK, ${this.broker})`,
      redirect_uris: [this.redirect],
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
  isClientInformationDynamicallyRegistered() {
    return true;
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
    const { params } = await new Browser().authorize(url, {
      base: BASE,
      sandbox: SANDBOX,
      redirectUri: this.redirect,
      user: this.user,
      broker: this.broker,
    });
    this.callback = params;
  }
}

async function connect(provider) {
  const transport = { type: 'http', url: MCP_URL, authProvider: provider };
  try {
    return await createMCPClient({ transport, name: 'broker-mcp-interop' });
  } catch (err) {
    if (!(err instanceof UnauthorizedError) && !/unauthori/i.test(String(err?.message))) throw err;
  }
  assert.ok(provider.callback?.get('code'), 'the sign-in produced a code');
  const result = await auth(provider, {
    serverUrl: MCP_URL,
    authorizationCode: provider.callback.get('code'),
    callbackState: provider.callback.get('state') ?? undefined,
    callbackIssuer: provider.callback.get('iss') ?? undefined,
  });
  assert.equal(result, 'AUTHORIZED');
  return createMCPClient({ transport, name: 'broker-mcp-interop' });
}

for (const [broker, accountsTool] of [
  ['schwab', 'getAccountNumbers'],
  ['tastytrade', 'get_accounts'],
]) {
  describe(`AI SDK MCP client, ${broker}`, () => {
    let client;
    before(async () => {
      client = await connect(new Provider('alice', broker));
    });
    after(async () => {
      await client?.close();
    });

    test('the tools a model gets: listed with schemas, and executed like a model tool call', async () => {
      const tools = await client.tools();
      assert.ok(Object.keys(tools).length >= 15, Object.keys(tools).join(', '));
      assert.ok(tools.status && tools[accountsTool], `status and ${accountsTool} are there`);
      const status = await tools.status.execute({}, { toolCallId: 'call-1', messages: [] });
      assert.equal(status.isError ?? false, false, JSON.stringify(status).slice(0, 400));
      assert.equal(status.structuredContent.broker.name, broker);
      const accounts = await tools[accountsTool].execute(
        {},
        { toolCallId: 'call-2', messages: [] },
      );
      assert.equal(accounts.isError ?? false, false, JSON.stringify(accounts).slice(0, 400));
      assert.match(
        JSON.stringify(accounts.structuredContent),
        /-\.\.\.\d{3}/,
        'accounts by display name',
      );
    });

    test('resources: listed and read', async () => {
      const { resources } = await client.listResources();
      assert.ok(resources.some((r) => r.uri === 'portfolio://positions'));
      const doc = await client.readResource({ uri: 'knowledge://options/strategies' });
      assert.match(doc.contents[0].text, /^# Options strategies/);
    });
  });
}
