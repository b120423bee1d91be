// response.* and stream.*: the call's own HTTP response, produced before the call ends,
// and streams a Durable Object keeps open under a key for its other calls.
import { effectError } from './index.js';

const encoder = new TextEncoder();

export const responseEffects = {
  'response.start'(args, host) {
    const writer = host.call.startStream(args.status ?? 200, args.headers);
    if (!writer) throw effectError('state', 'the response was already sent');
    if (args.streamKey) {
      if (!host.object) throw effectError('state', 'keyed streams need a Durable Object');
      host.object.streams.set(args.streamKey, writer);
      writer.closed.then(
        () => host.object.streams.delete(args.streamKey),
        () => host.object.streams.delete(args.streamKey),
      );
    }
    return {};
  },
  'response.write'(args, host) {
    if (!host.call.write(args.data ?? '')) throw effectError('state', 'no response stream is open');
    return {};
  },
  'response.send'(args, host) {
    const body = args.body === '' ? null : args.body;
    const headers = new Headers();
    for (const [k, v] of args.headers ?? []) headers.append(k, v);
    if (!host.call.respond(new Response(body, { status: args.status ?? 200, headers }))) {
      throw effectError('state', 'the response was already sent');
    }
    return {};
  },
  async 'stream.write'(args, host) {
    const writer = host.object?.streams.get(args.streamKey);
    if (!writer) throw effectError('closed', `no open stream "${args.streamKey}"`);
    writer
      .write(encoder.encode(args.data ?? ''))
      .catch(() => host.object.streams.delete(args.streamKey));
    return {};
  },
  'stream.close'(args, host) {
    const writer = host.object?.streams.get(args.streamKey);
    if (writer) writer.close().catch(() => {});
    host.object?.streams.delete(args.streamKey);
    return {};
  },
};
