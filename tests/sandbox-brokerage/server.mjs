#!/usr/bin/env node
// Command-line entry of the sandbox brokerage:
//   node tests/sandbox-brokerage/server.mjs [--port 8788]   (or PORT=8788)
// Binds 127.0.0.1 only, logs one line per request, exits on SIGINT/SIGTERM.

import { startSandbox } from './sandbox.mjs';

function parsePort(argv, env) {
  const i = argv.indexOf('--port');
  const fromArg = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--port='))?.slice(7);
  const raw = fromArg ?? env.PORT ?? '8788';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`invalid port: ${raw}\n`);
    process.exit(2);
  }
  return port;
}

const port = parsePort(process.argv.slice(2), process.env);
let sandbox;
try {
  sandbox = await startSandbox({ port, log: true });
} catch (err) {
  process.stderr.write(`sandbox brokerage failed to start: ${err.message}\n`);
  process.exit(1);
}
process.stdout.write(
  `sandbox brokerage listening on ${sandbox.url} (schwab: ${sandbox.url}/schwab, tastytrade: ${sandbox.url}/tastytrade)\n`,
);

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`received ${signal}, shutting down\n`);
  await sandbox.close();
  process.exit(0);
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
