// Builds the Worker (fetch handler and Durable Object classes) around one compiled core
// module. The production entry (index.js) and test fixture builds differ only in the
// module they pass.
import { configOf } from './config.js';
import { runCall } from './run-call.js';
import { requestEvent } from './request-event.js';
import { defineMcpSession } from './mcp-session-object.js';
import { defineUserHub } from './user-hub-object.js';
import { currentMemoryBytes } from './core-instance.js';

const BENCH_FLOOR_BODY = '{"jsonrpc":"2.0","id":1,"result":{"tools":[]}}';

export function makeWorker(coreModule) {
  return {
    McpSession: defineMcpSession(coreModule, configOf),
    UserHub: defineUserHub(coreModule, configOf),
    handler: {
      async fetch(request, env, ctx) {
        // The benchmark's floor (npm run bench): the cheapest response this Worker can
        // give, never entering the core; and the core's memory for its soak. Only with
        // BENCH_ROUTES=1.
        if (env.BENCH_ROUTES === '1') {
          const path = new URL(request.url).pathname;
          if (path === '/bench/floor')
            return new Response(BENCH_FLOOR_BODY, {
              headers: { 'content-type': 'application/json' },
            });
          if (path === '/bench/memory') return Response.json({ bytes: currentMemoryBytes() });
        }
        const { event, refusal } = await requestEvent('fetch', request);
        if (refusal) return refusal;
        return runCall(event, {
          module: coreModule,
          config: configOf(env),
          env,
          ctx,
          object: null,
        });
      },
      // The Queue consumer: each message to the core in order (a run's progress before
      // its completion); 200 acknowledges it, anything else has it delivered again.
      async queue(batch, env, ctx) {
        const host = { module: coreModule, config: configOf(env), env, ctx, object: null };
        for (const message of batch.messages) {
          const event = {
            type: 'queue.message',
            queue: batch.queue,
            message: message.body,
            attempts: message.attempts,
          };
          const res = await runCall(event, host);
          if (res.status === 200) message.ack();
          else message.retry({ delaySeconds: Math.min(60, 2 ** Math.max(0, message.attempts)) });
        }
      },
    },
  };
}
