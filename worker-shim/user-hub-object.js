// UserHub: the Durable Object of one person's WebSocket subscribers and MCP listen streams
// (named by their user id), with hibernation: sockets stay open while the object sleeps. A
// thin host — the core (src/hub/user_hub.cpp) decides what an upgrade, a frame, a broadcast
// or a listen means; this class accepts sockets, keeps each one's attachment, keeps the open
// streams, and moves frames.
import { runCall } from './run-call.js';
import { requestEvent } from './request-event.js';

export function defineUserHub(module, configOf) {
  return class UserHub {
    constructor(state, env) {
      this.state = state;
      this.env = env;
      // The person's open subscriptions/listen streams (src/hub/resource_listeners.cpp).
      this.streams = new Map();
    }

    host(extra = {}) {
      return {
        module,
        config: configOf(this.env),
        env: this.env,
        ctx: this.state,
        object: this,
        ...extra,
      };
    }

    async fetch(request) {
      this.name = request.headers.get('X-Object-Name') ?? this.name ?? '';
      const { event, refusal } = await requestEvent('object.fetch', request, {
        object: { class: 'UserHub', name: this.name },
      });
      if (refusal) return refusal;
      return runCall(event, this.host());
    }

    async webSocketMessage(ws, message) {
      const data = typeof message === 'string' ? message : new TextDecoder().decode(message);
      const event = {
        type: 'websocket.message',
        object: { class: 'UserHub', name: this.name ?? '' },
        data,
        attachment: ws.deserializeAttachment() ?? {},
      };
      await runCall(event, this.host({ socket: ws }));
    }

    async webSocketClose(ws, code, reason) {
      // Complete the closing handshake (1005/1006 may not be sent back).
      try {
        ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
      } catch {
        /* already closed */
      }
    }

    async webSocketError(ws) {
      try {
        ws.close(1011, 'error');
      } catch {
        /* already closed */
      }
    }
  };
}
