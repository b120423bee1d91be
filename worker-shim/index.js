// Worker entry: every request goes to the core; Durable Object classes are thin hosts.
import coreModule from '../build/wasm/core.wasm';
import { configOf } from './config.js';
import { runCall } from './run-call.js';
import { requestEvent } from './request-event.js';
import { defineMcpSession } from './mcp-session-object.js';

export const McpSession = defineMcpSession(coreModule, configOf);

export default {
  async fetch(request, env, ctx) {
    const event = await requestEvent('fetch', request);
    return runCall(event, { module: coreModule, config: configOf(env), env, ctx, object: null });
  },
};
