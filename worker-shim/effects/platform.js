// Platform bindings for durable work, named by the core (bindings/ABI.md "Effects"):
//   workflow.create  start a Workflow instance            env[binding].create({id, params})
//   queue.send       one message to a Queue              env[binding].send(body)
//   object.fetch     a request to another Durable Object  env[binding].get(idFromName(name)).fetch
//   hub.broadcast    a frame to this Durable Object's hibernatable sockets on given channels
// A binding the deployment lacks fails with code `unbound`, so the core can choose what
// to do without it.
import { effectError } from './index.js';

function binding(host, name) {
  const b = host.env?.[name];
  if (!b) throw effectError('unbound', `binding ${name} is not configured`);
  return b;
}

export const platformEffects = {
  async 'workflow.create'(args, host) {
    const instance = await binding(host, args.binding).create({ id: args.id, params: args.params });
    return { id: instance.id };
  },
  async 'queue.send'(args, host) {
    await binding(host, args.binding).send(args.body, { contentType: 'json' });
    return {};
  },
  async 'object.fetch'(args, host) {
    const ns = binding(host, args.binding);
    const req = args.request;
    const headers = new Headers(req.headers ?? []);
    headers.set('X-Object-Name', args.name);
    const init = { method: req.method, headers };
    if (req.method !== 'GET' && req.method !== 'HEAD') init.body = req.body;
    const res = await ns.get(ns.idFromName(args.name)).fetch(new Request(req.url, init));
    return { status: res.status, headers: [...res.headers], body: await res.text() };
  },
  'hub.broadcast'(args, host) {
    const wanted = new Set(args.channels ?? []);
    let delivered = 0;
    for (const ws of host.ctx.getWebSockets()) {
      const channels = ws.deserializeAttachment()?.channels ?? [];
      if (!channels.some((c) => wanted.has(c))) continue;
      try {
        ws.send(args.data);
        delivered++;
      } catch {
        // A socket closing as we send: nothing to deliver to.
      }
    }
    return { delivered };
  },
};
