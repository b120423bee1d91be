// The start/resume loop: starts a call in the core, performs the effects each Step asks
// for (concurrently, delivering outcomes as they complete), resumes, and turns the call's
// result into a Response. The HTTP response can be produced before the call ends (a
// streamed SSE body, or an early 202), so `runCall` resolves with the Response as soon as
// there is one and the rest of the call runs on (kept alive with waitUntil).
import { CoreTrap, WIRE_VERSION, currentInstance } from './core-instance.js';
import { performEffect } from './effects/index.js';

const encoder = new TextEncoder();

function toHeaders(pairs) {
  const h = new Headers();
  for (const [k, v] of pairs ?? []) h.append(k, v);
  return h;
}

function errorResponse(status, message) {
  return new Response(JSON.stringify({ error: 'internal_error', message }), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

// What one call can do to its own HTTP response (used by response.* effects).
class CallHandle {
  constructor(resolveResponse) {
    this.resolveResponse = resolveResponse;
    this.responded = false;
    this.writer = null;
    this.streamKey = null;
    this.cancelled = false;
    this.onCancel = null;
    this.onFinish = null;
    // From the latest Step: the call is in a critical section, and what to answer if it
    // fails there (bindings/ABI.md "Critical sections").
    this.critical = false;
    this.fallback = null;
  }
  respond(response) {
    if (this.responded) return false;
    this.responded = true;
    this.resolveResponse(response);
    return true;
  }
  startStream(status, headers) {
    if (this.responded) return null;
    const { readable, writable } = new TransformStream();
    this.writer = writable.getWriter();
    this.respond(new Response(readable, { status, headers: toHeaders(headers) }));
    return this.writer;
  }
  write(data) {
    if (!this.writer) return false;
    this.writer.write(encoder.encode(data)).catch(() => {});
    return true;
  }
  close() {
    if (this.writer) this.writer.close().catch(() => {});
    this.writer = null;
  }
  // Cancels the call unless the core refuses (a critical section): true when cancelled.
  cancel() {
    if (this.cancelled) return true;
    if (!this.onCancel?.()) return false;
    this.cancelled = true;
    this.wake?.();
    return true;
  }
}

// Runs one event through the core. `host` = { module, config, env, ctx, object }.
export function runCall(event, host) {
  let resolveResponse;
  const response = new Promise((r) => {
    resolveResponse = r;
  });
  const call = new CallHandle(resolveResponse);
  const done = drive(event, host, call)
    .finally(() => call.onFinish?.())
    .catch(async (err) => {
      const trap = err instanceof CoreTrap;
      console.error(trap ? `core trap: ${err.message}` : `shim error: ${err?.stack ?? err}`);
      // Failed inside a critical section: the core said beforehand what to answer then.
      if (call.critical && call.fallback) {
        try {
          await answerFallback(call.fallback, host, call);
          return;
        } catch (e) {
          console.error(`fallback failed: ${e?.stack ?? e}`);
        }
      }
      if (
        !call.respond(
          errorResponse(500, trap ? 'the server hit an internal fault; retry' : 'internal error'),
        )
      ) {
        call.close();
      }
    });
  host.ctx?.waitUntil?.(done);
  return response;
}

async function drive(event, host, call) {
  const core = currentInstance(host.module, host.config);
  let step = core.start({ v: WIRE_VERSION, now: Date.now(), event });
  const callId = step.call;
  const completed = [];
  let wake = null;
  let inFlight = 0;
  call.onCancel = () => core.cancel(callId);
  call.wake = () => wake?.();

  while (step.state === 'blocked') {
    call.critical = step.critical === true;
    call.fallback = call.critical ? (step.fallback ?? null) : null;
    for (const effect of step.effects) {
      inFlight++;
      performEffect(effect, { ...host, call, core, callId }).then((outcome) => {
        inFlight--;
        completed.push({ id: effect.id, ...outcome });
        const w = wake;
        wake = null;
        w?.();
      });
    }
    if (completed.length === 0) {
      if (inFlight === 0) throw new Error('core is blocked with no effect in flight');
      await new Promise((r) => {
        wake = r;
      });
    }
    if (call.cancelled) {
      // basic/utilities/cancellation: no response for a cancelled request.
      if (!call.respond(new Response(null, { status: 204 }))) call.close();
      return;
    }
    const results = completed.splice(0);
    step = core.resume(callId, { v: WIRE_VERSION, now: Date.now(), results });
  }

  if (step.state === 'error') throw new Error(`core error: ${step.error}`);
  call.critical = false;
  call.fallback = null;
  await finish(step.result, host, call);
}

// A fallback is {effects: [...], result}: the effects (response.write, stream.write) are
// performed in order, then the result is answered like any call result.
async function answerFallback(fallback, host, call) {
  for (const effect of fallback.effects ?? []) {
    const outcome = await performEffect({ id: 0, ...effect }, { ...host, call });
    if (!outcome.ok) throw new Error(`fallback effect ${effect.kind} failed`);
  }
  await finish(fallback.result, host, call);
}

async function finish(result, host, call) {
  switch (result.kind) {
    case 'response':
      if (
        !call.respond(
          new Response(isEmpty(result.body) && nullBodyStatus(result.status) ? null : result.body, {
            status: result.status,
            headers: toHeaders(result.headers),
          }),
        )
      )
        call.close();
      return;
    case 'forward': {
      const ns = host.env[result.binding];
      if (!ns) throw new Error(`no Durable Object binding ${result.binding}`);
      const stub = ns.get(ns.idFromName(result.name));
      const req = result.request;
      const headers = toHeaders(req.headers);
      headers.set('X-Object-Name', result.name);
      const init = { method: req.method, headers };
      if (req.method !== 'GET' && req.method !== 'HEAD') init.body = req.body;
      call.respond(await stub.fetch(new Request(req.url, init)));
      return;
    }
    case 'streamed':
      if (!result.keepOpen) call.close();
      return;
    case 'detached':
      return;
    case 'websocket.accept': {
      // Hibernation API: the object may be evicted while the socket stays open; the
      // attachment (the socket's channels) survives with it.
      const [client, server] = Object.values(new WebSocketPair());
      host.ctx.acceptWebSocket(server);
      server.serializeAttachment(result.attachment ?? {});
      call.respond(new Response(null, { status: 101, webSocket: client }));
      return;
    }
    case 'websocket.reply':
      for (const frame of result.send ?? []) host.socket.send(frame);
      if (result.attachment !== undefined) host.socket.serializeAttachment(result.attachment);
      call.respond(new Response(null, { status: 204 }));
      return;
    default:
      throw new Error(`unknown call result kind ${result.kind}`);
  }
}

// A body is text (a fallback's, from the JSON) or bytes (a Step's, beside the JSON).
function isEmpty(body) {
  return body === '' || body == null || body.byteLength === 0;
}

function nullBodyStatus(status) {
  return status === 101 || status === 204 || status === 205 || status === 304;
}
