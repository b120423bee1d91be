// Builds the Worker (fetch handler and Durable Object classes) around one compiled core
// module. The production entry (index.js) and test fixture builds differ only in the
// module they pass.
import { configOf } from './config.js';
import { runCall } from './run-call.js';
import { requestEvent } from './request-event.js';
import { defineMcpSession } from './mcp-session-object.js';

const BENCH_FLOOR_BODY = '{"jsonrpc":"2.0","id":1,"result":{"tools":[]}}';

export function makeWorker(coreModule) {
  return {
    McpSession: defineMcpSession(coreModule, configOf),
    handler: {
      async fetch(request, env, ctx) {
        // The benchmark's floor (npm run bench): the cheapest response this Worker can
        // give, never entering the core. Only with BENCH_ROUTES=1.
        if (env.BENCH_ROUTES === '1' && new URL(request.url).pathname === '/bench/floor') {
          return new Response(BENCH_FLOOR_BODY, { headers: { 'content-type': 'application/json' } });
        }
        const event = await requestEvent('fetch', request);
        return runCall(event, { module: coreModule, config: configOf(env), env, ctx, object: null });
      },
    },
  };
}
