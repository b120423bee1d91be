// Signing in the official MCP SDK client the way an app does: an OAuthClientProvider that
// keeps everything in memory, registers itself (RFC 7591), and "opens" the authorization
// URL in the shared test browser (./sign-in.mjs: consent page, then the sandbox login).
//
//   const provider = await signInWithSdk({ base, sandbox, redirectUri, user, broker, clientName });
//   signInWithSdk({ …, trade: false })  // the person unticks "allow trading": a read-only grant
//   await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', base), { authProvider: provider }));
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Browser } from './sign-in.mjs';

export class SdkAuthProvider {
  constructor({ base, sandbox, redirectUri, user, broker, clientName, trade }) {
    Object.assign(this, { base, sandbox, redirectUri, user, broker, clientName, trade });
    this.info = undefined;
    this.saved = undefined;
    this.verifier = '';
    this.code = null;
  }
  get redirectUrl() {
    return this.redirectUri;
  }
  get clientMetadata() {
    return {
      client_name: this.clientName,
      redirect_uris: [this.redirectUri],
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
    const { params } = await new Browser().authorize(url, {
      base: this.base,
      sandbox: this.sandbox,
      redirectUri: this.redirectUri,
      user: this.user,
      broker: this.broker,
      trade: this.trade,
    });
    const error = params.get('error');
    if (error)
      throw new Error(`sign-in ended with ${error}: ${params.get('error_description') ?? ''}`);
    this.code = params.get('code');
  }
}

// Connects once to be told to sign in, walks the authorization, and exchanges the code;
// answers the provider, ready for real connections.
export async function signInWithSdk(options) {
  const provider = new SdkAuthProvider(options);
  const mcpUrl = new URL('/mcp', options.base);
  const transport = new StreamableHTTPClientTransport(mcpUrl, { authProvider: provider });
  const probe = new Client({ name: 'e2e-sign-in', version: '1.0.0' });
  try {
    await probe.connect(transport);
    await probe.close();
    return provider; // the server did not ask for sign-in
  } catch (err) {
    if (!(err instanceof UnauthorizedError)) throw err;
  }
  if (!provider.code) throw new Error('the authorization flow produced no code');
  await transport.finishAuth(provider.code);
  return provider;
}
