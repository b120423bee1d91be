// Signing in to the server the way a person's browser does, for tests and benchmarks:
// cookies, redirects, the consent form (with its CSRF token and the consent cookie), and the
// sandbox brokerage's non-interactive login (`sandbox_user=`).
//
//   const { accessToken, refreshToken, clientId } = await signIn({ base, sandbox, user, broker });
//   signIn({ …, clientId: 'https://app.example/client.json' })  // a metadata-document client
//   new Browser().authorize(url, { base, sandbox, redirectUri, user, broker }) // → redirect params
//   signIn({ …, trade: false })  // untick "allow trading" on the consent page: a read-only grant
import { createHash, randomBytes } from 'node:crypto';

export class Browser {
  constructor() {
    this.jar = new Map();
  }

  cookieHeader(url) {
    const jar = this.jar.get(new URL(url).host);
    return jar ? [...jar].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  }

  store(url, res) {
    const host = new URL(url).host;
    const jar = this.jar.get(host) ?? new Map();
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || attrs.some((a) => /^\s*max-age=0\s*$/i.test(a))) jar.delete(name);
      else jar.set(name, value);
    }
    this.jar.set(host, jar);
  }

  async request(url, { method = 'GET', form } = {}) {
    const headers = { cookie: this.cookieHeader(url) };
    let body;
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    }
    const res = await fetch(url, { method, headers, body, redirect: 'manual' });
    this.store(url, res);
    return res;
  }

  // Walks an authorization URL to `redirectUri`; returns its query parameters and how many
  // consent pages were shown (0 when the approval cookie skipped it). `trade` ticks or
  // unticks the consent page's "allow trading" box; left out, it stays as the page set it.
  async authorize(start, { base, sandbox, redirectUri, user, broker, onConsentPage, trade }) {
    let url = String(start);
    let consentPages = 0;
    for (let step = 0; step < 12; step++) {
      if (url.startsWith(redirectUri)) return { params: new URL(url).searchParams, consentPages };
      const target = new URL(url);
      // The sandbox brokerage's login pages (wherever the server was pointed at it).
      const atSandbox =
        (sandbox && target.href.startsWith(sandbox)) ||
        /^\/(schwab\/v1\/oauth\/authorize|tastytrade\/auth\.html)$/.test(target.pathname);
      if (atSandbox && /\/(v1\/oauth\/authorize|auth\.html)$/.test(target.pathname)) {
        target.searchParams.set('sandbox_user', user);
      }
      let res = await this.request(target.href);
      if (res.status === 200 && target.pathname === '/authorize') {
        consentPages++;
        const html = await res.text();
        onConsentPage?.(html);
        const field = (name) => (new RegExp(`name="${name}" value="([^"]*)"`).exec(html) ?? [])[1];
        if (!field('ticket') || !field('csrf_token'))
          throw new Error('the consent page has no ticket or CSRF token');
        const form = {
          ticket: field('ticket'),
          csrf_token: field('csrf_token'),
          broker,
          action: 'approve',
        };
        // A browser submits a checkbox only when it is ticked.
        const box = /<input type="checkbox" name="trade"[^>]*>/.exec(html)?.[0];
        if (box && (trade ?? / checked/.test(box))) form.trade = 'yes';
        res = await this.request(new URL('/authorize', base).href, { method: 'POST', form });
      }
      const location = res.headers.get('location');
      if (!(res.status >= 300 && res.status < 400 && location)) {
        throw new Error(
          `sign-in stopped at ${target.pathname} with HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`,
        );
      }
      url = new URL(location, target).href;
    }
    throw new Error('sign-in did not finish');
  }
}

// Registration, PKCE, consent, broker login and code exchange, without an MCP SDK.
export async function signIn({
  base,
  sandbox = process.env.SANDBOX_URL ?? 'http://127.0.0.1:8788',
  user = 'alice',
  broker = 'schwab',
  clientName = 'test sign-in',
  redirectUri = 'http://127.0.0.1:9/test-sign-in',
  clientId = null,
  onConsentPage,
  trade,
}) {
  // Without a clientId, register (RFC 7591); with one (e.g. a Client ID Metadata Document
  // URL), use it as it is.
  if (!clientId) {
    const reg = await fetch(new URL('/register', base), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: clientName,
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      }),
    });
    if (reg.status !== 201) throw new Error(`registration answered ${reg.status}`);
    ({ client_id: clientId } = await reg.json());
  }
  const verifier = randomBytes(32).toString('base64url');
  const resource = new URL('/mcp', base).href;
  const url = new URL('/authorize', base);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    state: randomBytes(8).toString('hex'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    resource,
  }).toString();
  const { params } = await new Browser().authorize(url, {
    base,
    sandbox,
    redirectUri,
    user,
    broker,
    onConsentPage,
    trade,
  });
  if (params.get('error')) throw new Error(`authorization failed: ${params.get('error')}`);
  const token = await fetch(new URL('/token', base), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code'),
      redirect_uri: redirectUri,
      code_verifier: verifier,
      client_id: clientId,
      resource,
    }).toString(),
  });
  const body = await token.json();
  if (token.status !== 200)
    throw new Error(`token endpoint answered ${token.status} ${body.error}`);
  return {
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    clientId,
    scope: body.scope,
  };
}

// scripts/bench-token.mjs: an access token for the sandbox user alice at Schwab.
export async function signInForBench(base) {
  const { accessToken } = await signIn({
    base,
    user: 'alice',
    broker: 'schwab',
    clientName: 'bench',
  });
  return accessToken;
}
