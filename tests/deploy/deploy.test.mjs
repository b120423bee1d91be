// `npm run deploy` as a self-hoster runs it (scripts/deploy.sh), without contacting
// Cloudflare: the dry run bundles the Worker with core.wasm and every binding the code
// uses, so a broken bundle or binding never lands; a real run with the repository's
// example ids wrangler.toml ships with (all zeros, never created) stops before changing anything and says what to create. (The knowledge
// upload runs through the same function for wrangler dev's R2 in the e2e layer, where the
// knowledge:// resources are read.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function deploy(args = []) {
  return new Promise((resolve) => {
    execFile(
      'bash',
      [`${ROOT}/scripts/deploy.sh`, ...args],
      {
        cwd: ROOT,
        timeout: 300_000,
        maxBuffer: 16 * 1024 * 1024,
        env: { ...process.env, CI: 'true' },
      },
      (error, stdout, stderr) => resolve({ code: error ? (error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test('the dry run bundles the Worker, core.wasm and every binding', async () => {
  const run = await deploy(['--dry-run']);
  assert.equal(run.code, 0, run.stderr.slice(-2000));
  const out = `${ROOT}/build/deploy`;
  const files = readdirSync(out);
  const wasm = files.find((f) => f.endsWith('core.wasm'));
  assert.ok(wasm, `no core.wasm in ${files}`);
  assert.ok(statSync(`${out}/${wasm}`).size > 100_000);
  const bundle = readFileSync(`${out}/index.js`, 'utf8');
  for (const name of ['McpSession', 'UserHub', 'AnalysisWorkflow'])
    assert.match(bundle, new RegExp(`\\b${name}\\b`), `${name} is exported`);
  for (const binding of [
    'env.MCP_SESSION',
    'env.USER_HUB',
    'env.ANALYSIS_WORKFLOW',
    'env.CACHE',
    'env.ANALYSIS_EVENTS',
    'env.DB',
    'env.KNOWLEDGE',
  ]) {
    assert.ok(run.stdout.includes(binding), `${binding} is bound`);
  }
});

test('a real deployment with the example ids of wrangler.toml stops before anything changes, saying what to create', async () => {
  const run = await deploy();
  assert.notEqual(run.code, 0);
  assert.match(run.stderr, /the deployment cannot go ahead/);
  assert.match(run.stderr, /no D1 database_id: run `npx wrangler d1 create broker-mcp`/);
  assert.match(run.stderr, /no KV namespace id: run `npx wrangler kv namespace create CACHE`/);
  // It stopped at the checks: no build, no migration, no upload was started.
  assert.doesNotMatch(
    run.stderr,
    /applying D1 migrations|uploading the knowledge|deploying the Worker/,
  );
  assert.ok(existsSync(`${ROOT}/wrangler.toml`));
});
