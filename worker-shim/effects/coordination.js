// Coordination between calls of one Durable Object, and time:
//   mailbox.wait / mailbox.post  a value handed from one call to another waiting call
//                                (a client's response routed to the tool call awaiting it)
//   call.tag / call.cancel       cancel another running call by a tag it registered (refused
//                                while that call is in a critical section)
//   sleep                        wait, for backoff and pacing
import { effectError } from './index.js';

const EARLY_POST_TTL_MS = 60_000;

// Per Durable Object (or per isolate for Worker calls).
export class Mailbox {
  constructor() {
    this.waiters = new Map();
    this.early = new Map();
  }
  wait(key, timeoutMs) {
    const early = this.early.get(key);
    if (early) {
      this.early.delete(key);
      return Promise.resolve({ value: early.value });
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(key);
        reject(effectError('timeout', `no message for "${key}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.set(key, { resolve, timer });
    });
  }
  post(key, value) {
    const waiter = this.waiters.get(key);
    if (waiter) {
      this.waiters.delete(key);
      clearTimeout(waiter.timer);
      waiter.resolve({ value });
      return true;
    }
    // The answer may arrive before the waiter registers: keep it briefly.
    this.early.set(key, { value });
    setTimeout(() => this.early.delete(key), EARLY_POST_TTL_MS);
    return false;
  }
}

const isolateCoordination = { mailbox: new Mailbox(), tags: new Map() };
const coordination = (host) => host.object ?? isolateCoordination;

export const coordinationEffects = {
  'mailbox.wait'(args, host) {
    return coordination(host).mailbox.wait(args.key, Math.min(args.timeoutMs ?? 60_000, 900_000));
  },
  'mailbox.post'(args, host) {
    return { delivered: coordination(host).mailbox.post(args.key, args.value) };
  },
  'call.tag'(args, host) {
    const tags = coordination(host).tags;
    tags.set(args.tag, host.call);
    const forget = () => {
      if (tags.get(args.tag) === host.call) tags.delete(args.tag);
    };
    host.call.onFinish = forget;
    return {};
  },
  'call.cancel'(args, host) {
    const target = coordination(host).tags.get(args.tag);
    if (!target || target === host.call) return { cancelled: false };
    // A call inside a critical section refuses (bindings/ABI.md): it keeps its tag and runs on.
    if (!target.cancel()) return { cancelled: false };
    coordination(host).tags.delete(args.tag);
    return { cancelled: true };
  },
  sleep(args) {
    return new Promise((r) => setTimeout(() => r({}), Math.max(0, Math.min(args.ms ?? 0, 60_000))));
  },
};
