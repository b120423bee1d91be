// tastytrade personal grants. A person with their own OAuth application creates a grant
// for it in their profile (my.tastytrade.com: Manage → My Profile → API → OAuth
// Applications → Create Grant) and is shown a refresh token once; it works with that
// application's client id and secret (grant_type=refresh_token at /oauth/token), never
// expires, and stops working when the grant is deleted, which also ends its access tokens.
//
// Here: a profile page at /tastytrade/personal-grants (for `npm run dev`), and the control
// API's /_sandbox/personal-grants for tests (control.mjs).

import { escapeHtml, html, parseForm } from '../http-util.mjs';
import { mintTokens, newGrantId } from '../oauth-common.mjs';
import { newCorrelId } from '../data/accounts.mjs';

/** Creates a grant of `clientId` (default: the sandbox's OAuth application) for `user`. */
export function createPersonalGrant(state, user, clientId, now) {
  const bc = state.config.tastytrade;
  const grantId = newGrantId();
  const tokens = mintTokens(
    state,
    'tastytrade',
    {
      user,
      clientId: clientId || bc.clientId,
      scope: 'read trade openid',
      grantId,
      loginAt: now,
      correlId: newCorrelId(),
    },
    now,
  );
  state.tokens.get(tokens.refresh).personal = true;
  // The access token minted with it is not handed out: a grant shows only its refresh token.
  state.tokens.delete(tokens.access);
  return { grantId, refreshToken: tokens.refresh, clientId: clientId || bc.clientId };
}

/** Deletes a grant: its refresh token and every access token minted from it stop working. */
export function deletePersonalGrant(state, grantId) {
  let n = 0;
  for (const rec of state.tokens.values()) {
    if (rec.broker === 'tastytrade' && rec.grantId === grantId && !rec.revoked) {
      rec.revoked = true;
      n++;
    }
  }
  return n;
}

function grantsOf(state, user) {
  const out = [];
  for (const [token, rec] of state.tokens) {
    if (
      rec.broker === 'tastytrade' &&
      rec.kind === 'refresh' &&
      rec.personal &&
      rec.user === user &&
      !rec.revoked
    ) {
      out.push({ grantId: rec.grantId, clientId: rec.clientId, hint: token.slice(-6) });
    }
  }
  return out;
}

function profilePage(state, shown) {
  const users = Object.values(state.users.tastytrade);
  const rows = users
    .map((u) => {
      const grants = grantsOf(state, u.user)
        .map(
          (g) => `<li>grant …${escapeHtml(g.hint)} for <code>${escapeHtml(g.clientId)}</code>
        <button type="submit" name="delete" value="${escapeHtml(g.grantId)}">Delete grant</button></li>`,
        )
        .join('');
      return `<li><b>${escapeHtml(u.name)} ${escapeHtml(u.lastName)}</b> (${escapeHtml(u.email)})
      <button type="submit" name="create" value="${escapeHtml(u.user)}" id="create-${escapeHtml(u.user)}">Create grant</button>
      <ul>${grants}</ul></li>`;
    })
    .join('\n');
  const token = shown
    ? `<p>Refresh token of the new grant (shown once):</p><pre id="refresh-token">${escapeHtml(shown)}</pre>`
    : '';
  return html(
    200,
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tastytrade sandbox — personal grants</title>
<style>body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; }
pre { white-space: pre-wrap; word-break: break-all; background: #f4f4f4; padding: 0.5rem; }</style></head>
<body><h1>tastytrade — sandbox personal grants</h1>
<p>The OAuth application <code>${escapeHtml(state.config.tastytrade.clientId)}</code>. Create a grant for a demo user, then paste its
refresh token where broker-mcp asks for it.</p>
${token}
<form method="post" action="/tastytrade/personal-grants" id="grants-form"><ul>
${rows}
</ul></form>
<p>Local test double. Demo users only; no real brokerage is contacted.</p></body></html>`,
    { 'cache-control': 'no-store' },
  );
}

function grantsGet(ctx) {
  return profilePage(ctx.state, null);
}

function grantsPost(ctx) {
  const form = parseForm(ctx.body);
  if (form.delete) {
    deletePersonalGrant(ctx.state, form.delete);
    return profilePage(ctx.state, null);
  }
  if (form.create && ctx.state.users.tastytrade[form.create]) {
    const { refreshToken } = createPersonalGrant(ctx.state, form.create, null, ctx.now);
    return profilePage(ctx.state, refreshToken);
  }
  return profilePage(ctx.state, null);
}

export function registerTastytradePersonalGrants(router) {
  router.add('GET', '/personal-grants', grantsGet);
  router.add('POST', '/personal-grants', grantsPost);
}
