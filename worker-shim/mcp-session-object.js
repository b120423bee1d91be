// McpSession: the Durable Object of one MCP session. A thin host: it keeps what must
// outlive a single call in this object's isolate — open SSE streams, the mailbox that
// routes a client's response to the waiting tool call, cancellation tags — and hands every
// request to the core (src/mcp/session_host.cpp decides everything).
import { runCall } from './run-call.js';
import { requestEvent } from './request-event.js';
import { Mailbox } from './effects/coordination.js';

export function defineMcpSession(module, configOf) {
  return class McpSession {
    constructor(state, env) {
      this.state = state;
      this.env = env;
      this.streams = new Map();
      this.mailbox = new Mailbox();
      this.tags = new Map();
    }

    async fetch(request) {
      const name = request.headers.get('X-Object-Name') ?? '';
      const { event, refusal } = await requestEvent('object.fetch', request, {
        object: { class: 'McpSession', name },
      });
      if (refusal) return refusal;
      return runCall(event, {
        module,
        config: configOf(this.env),
        env: this.env,
        ctx: this.state,
        object: this,
      });
    }
  };
}
