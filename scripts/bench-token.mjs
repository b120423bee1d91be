// Prints a bearer token for benchmarking the local server, or nothing when the server
// does not ask for one. It signs in the sandbox user "alice" through the real OAuth flow
// when the server advertises it; the flow is in tests/e2e/support when sign-in exists.
const base = process.argv[2];
const probe = await fetch(`${base}/mcp`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
  body: '{}',
});
if (probe.status !== 401) process.exit(0);
try {
  const { signInForBench } = await import('../tests/e2e/support/sign-in.mjs');
  process.stdout.write(await signInForBench(base));
} catch (err) {
  console.error(
    `bench: the server requires sign-in and no sign-in helper is available: ${err.message}`,
  );
  process.exit(1);
}
