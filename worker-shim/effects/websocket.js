// Outbound WebSockets for the core (a client connection, text frames):
//   ws.open {url, timeoutMs} → {socket}     upgrade with fetch(); ws:// is fetched as http://
//   ws.send {socket, data}
//   ws.receive {socket, timeoutMs} → {data}  next queued frame; `timeout` or `closed` errors
//   ws.close {socket}
// Sockets belong to the call that opened them: a per-call registry, each socket with its
// own queue of received frames; whatever the call leaves open is closed when it ends.
import { effectError } from './index.js';

const decoder = new TextDecoder();

function registry(host) {
  const call = host.call;
  if (!call) throw effectError('binding', 'ws.* needs a call');
  if (!call.sockets) {
    call.sockets = new Map();
    call.nextSocket = 1;
    const previous = call.onFinish;
    call.onFinish = () => {
      previous?.();
      for (const s of call.sockets.values()) s.close();
      call.sockets.clear();
    };
  }
  return call.sockets;
}

class Socket {
  constructor(ws) {
    this.ws = ws;
    this.queue = [];
    this.waiter = null;
    this.closed = false;
    ws.addEventListener('message', (e) => {
      this.queue.push(typeof e.data === 'string' ? e.data : decoder.decode(e.data));
      this.wake();
    });
    ws.addEventListener('close', () => {
      this.closed = true;
      this.wake();
    });
    ws.addEventListener('error', () => {
      this.closed = true;
      this.wake();
    });
  }
  wake() {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }
  async receive(timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length === 0) {
      if (this.closed) throw effectError('closed', 'the WebSocket is closed');
      const left = deadline - Date.now();
      if (left <= 0) throw effectError('timeout', `no message within ${timeoutMs} ms`);
      await new Promise((resolve) => {
        const timer = setTimeout(() => {
          this.waiter = null;
          resolve();
        }, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.queue.shift();
  }
  close() {
    if (this.closed) return;
    this.closed = true;
    try {
      this.ws.close(1000, 'done');
    } catch {
      /* already closing */
    }
    this.wake();
  }
}

function socketOf(args, host) {
  const s = registry(host).get(String(args.socket));
  if (!s) throw effectError('closed', 'no such WebSocket');
  return s;
}

export const websocketEffects = {
  'ws.open': async (args, host) => {
    const sockets = registry(host);
    const url = String(args.url ?? '').replace(/^ws(s?):\/\//i, 'http$1://');
    const timeoutMs = args.timeoutMs ?? 10000;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let resp;
    try {
      resp = await fetch(url, { headers: { Upgrade: 'websocket' }, signal: controller.signal });
    } catch (err) {
      if (controller.signal.aborted)
        throw effectError('timeout', `no upgrade within ${timeoutMs} ms`);
      throw effectError('network', String(err?.message ?? err));
    } finally {
      clearTimeout(timer);
    }
    if (!resp.webSocket)
      throw effectError('refused', `the server answered ${resp.status} instead of a WebSocket`);
    resp.webSocket.accept();
    const id = `ws${host.call.nextSocket++}`;
    sockets.set(id, new Socket(resp.webSocket));
    return { socket: id };
  },
  'ws.send': async (args, host) => {
    const s = socketOf(args, host);
    if (s.closed) throw effectError('closed', 'the WebSocket is closed');
    s.ws.send(String(args.data ?? ''));
    return {};
  },
  'ws.receive': async (args, host) => ({
    data: await socketOf(args, host).receive(args.timeoutMs ?? 10000),
  }),
  'ws.close': async (args, host) => {
    const sockets = registry(host);
    const s = sockets.get(String(args.socket));
    s?.close();
    sockets.delete(String(args.socket));
    return {};
  },
};
