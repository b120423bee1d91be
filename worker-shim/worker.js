// Builds the Worker (fetch handler and Durable Object classes) around one compiled core
// module. The production entry (index.js) and test fixture builds differ only in the
// module they pass.
import { configOf } from './config.js';
import { runCall } from './run-call.js';
import { requestEvent } from './request-event.js';
import { defineMcpSession } from './mcp-session-object.js';

export function makeWorker(coreModule) {
  return {
    McpSession: defineMcpSession(coreModule, configOf),
    handler: {
      async fetch(request, env, ctx) {
        const event = await requestEvent('fetch', request);
        return runCall(event, { module: coreModule, config: configOf(env), env, ctx, object: null });
      },
    },
  };
}
