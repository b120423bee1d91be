// MCP Inspector's CLI (from the lockfile) against `wrangler dev`: `tools/list --strict`
// reports tool-schema portability problems (a `type` array, which single-type dialects such
// as Gemini function declarations reject, …). Both brokers' catalogs must come out with no
// warning and no error, on a 2025-11-25 session and on 2026-07-28 (era "auto": Inspector
// discovers it), and a tool call must work in both.
//
// Started by `npm test` (layer interop) with BROKER_MCP_URL and SANDBOX_URL set.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signInWithSdk } from '../e2e/support/sdk-sign-in.mjs';

const BASE = process.env.BROKER_MCP_URL ?? 'http://127.0.0.1:8787';
const SANDBOX = process.env.SANDBOX_URL ?? 'http://127.0.0.1:8788';
const INSPECTOR = fileURLToPath(new URL('../../node_modules/.bin/mcp-inspector', import.meta.url));
// Inspector keeps its state under HOME; a fresh one per run, and no TTY to ask from.
const HOME = mkdtempSync(join(tmpdir(), 'inspector-'));

function inspector(token, args) {
  return new Promise((resolve) => {
    execFile(
      INSPECTOR,
      ['--cli', `${BASE}/mcp`, '--header', `Authorization: Bearer ${token}`, ...args],
      {
        env: {
          ...process.env,
          HOME,
          MCP_AUTO_OPEN_ENABLED: 'true',
          MCP_INSPECTOR_SECRET_STORE: 'file',
        },
        timeout: 60_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => resolve({ code: error ? (error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

for (const broker of ['schwab', 'tastytrade']) {
  describe(`Inspector CLI, ${broker}`, () => {
    let token;
    before(async () => {
      const provider = await signInWithSdk({
        base: BASE,
        sandbox: SANDBOX,
        redirectUri: `http://127.0.0.1:9/inspector-${broker}`,
        user: 'alice',
        broker,
        clientName: `broker-mcp interop (Inspector, ${broker})`,
      });
      token = provider.tokens().access_token;
    });

    for (const era of ['legacy', 'auto']) {
      test(`tools/list --strict (era ${era}): no portability warning or error`, async () => {
        const run = await inspector(token, [
          '--protocol-era',
          era,
          '--method',
          'tools/list',
          '--strict',
        ]);
        assert.equal(run.code, 0, run.stderr.slice(0, 2000));
        const warnings = run.stderr.split('\n').filter((l) => /^(Warning|Error):/.test(l));
        assert.deepEqual(warnings, [], run.stderr.slice(0, 4000));
        const listed = JSON.parse(run.stdout).tools;
        assert.ok(listed.length >= 15, `${listed.length} tools`);
      });

      test(`tools/call status (era ${era})`, async () => {
        const run = await inspector(token, [
          '--protocol-era',
          era,
          '--method',
          'tools/call',
          '--tool-name',
          'status',
          '--format',
          'json',
        ]);
        assert.equal(run.code, 0, run.stderr.slice(0, 2000));
        assert.match(run.stdout, /broker-mcp/);
        assert.match(run.stdout, era === 'legacy' ? /2025-11-25/ : /2026-07-28/);
      });
    }
  });
}
