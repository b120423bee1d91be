// One instance of core.wasm and the byte-level ABI of bindings/ABI.md: write a JSON
// envelope (and an event's HTTP request, in its compact form) into the module's memory,
// call an export, read the JSON Step it returns and the response body beside it.
//
// A trap (an abort or any WebAssembly.RuntimeError) poisons the instance: every call that
// was suspended in it is lost, so `CoreInstance.current()` hands out a fresh instance and
// the shim answers the failed request with 500.
import { hostImports } from './host-imports.js';

export const WIRE_VERSION = 2;

export class CoreTrap extends Error {}

export class CoreInstance {
  constructor(module, config) {
    let instance = null;
    this.broken = false;
    const imports = hostImports(
      () => instance.exports.memory,
      () => {
        this.broken = true;
      },
    );
    instance = new WebAssembly.Instance(module, imports);
    this.exports = instance.exports;
    this.encoder = new TextEncoder();
    this.decoder = new TextDecoder();
    this.exports._initialize(); // static constructors of a reactor module
    const version = this.exports.bmcp_abi_version();
    if (version !== WIRE_VERSION) {
      throw new Error(`core.wasm speaks wire version ${version}; this shim speaks ${WIRE_VERSION}`);
    }
    this.configure(config);
  }

  // (Re)configures the instance; calls already running keep the configuration they
  // started with.
  configure(config) {
    this.config = config;
    this.configResult = this.#call('bmcp_configure', [], JSON.stringify(config));
  }

  // An event's request goes beside the JSON in its compact form (bindings/ABI.md "Events").
  start(envelope) {
    const request = envelope.event?.request;
    if (!request) return this.#call('bmcp_start', [], JSON.stringify(envelope), '');
    const { request: _, ...event } = envelope.event;
    return this.#call('bmcp_start', [], JSON.stringify({ ...envelope, event }), compact(request));
  }

  resume(callId, envelope) {
    return this.#call('bmcp_resume', [callId], JSON.stringify(envelope));
  }

  // True when the call was destroyed; false when it is inside a critical section (it must
  // run to its end) or unknown.
  cancel(callId) {
    if (this.broken) return false;
    return this.#guard(() => this.exports.bmcp_cancel(callId)) === 1;
  }

  liveCalls() {
    return this.exports.bmcp_live_calls();
  }

  #guard(fn) {
    try {
      return fn();
    } catch (err) {
      this.broken = true;
      throw new CoreTrap(`core trapped: ${err?.message ?? err}`);
    }
  }

  // `request` (bmcp_start only): bytes written after the JSON, their count the last argument.
  // The Steps of bmcp_start and bmcp_resume carry a second part: a finished call's response
  // body, handed on as bytes (result.body).
  #call(name, leading, text, request) {
    if (this.broken) throw new CoreTrap('core instance is broken');
    return this.#guard(() => {
      const input = this.encoder.encode(text);
      const extra = request === undefined ? null : this.encoder.encode(request);
      const size = input.length + (extra?.length ?? 0);
      const ptr = this.exports.bmcp_alloc(size);
      const into = new Uint8Array(this.exports.memory.buffer, ptr, size);
      into.set(input);
      if (extra) into.set(extra, input.length);
      const args = extra ? [...leading, ptr, input.length, extra.length] : [...leading, ptr, size];
      let out;
      try {
        out = this.exports[name](...args);
      } finally {
        if (!this.broken) this.exports.bmcp_free(ptr);
      }
      if (!out) throw new Error(`${name} returned no buffer`);
      const memory = this.exports.memory.buffer;
      const view = new DataView(memory);
      const len = view.getUint32(out, true);
      const json = this.decoder.decode(new Uint8Array(memory, out + 4, len));
      let body = null;
      if (name !== 'bmcp_configure') {
        const bodyLen = view.getUint32(out + 4 + len, true);
        body = new Uint8Array(memory, out + 8 + len, bodyLen).slice();
      }
      this.exports.bmcp_free(out);
      const step = JSON.parse(json);
      if (step.v !== undefined && step.v !== WIRE_VERSION) {
        throw new Error(`core answered wire version ${step.v}; this shim speaks ${WIRE_VERSION}`);
      }
      if (step.result?.kind === 'response' && step.result.body === undefined)
        step.result.body = body;
      return step;
    });
  }
}

// method LF url LF count LF (name LF value LF)* body. Fetch lets no method, URL, header name
// or value hold LF, so nothing needs escaping; a field that did hold one (a caller's bug, never
// a client's request) is refused here, the only writer of this form, rather than let it shift
// what the core reads as the next header.
function compact(request) {
  const headers = request.headers ?? [];
  let text = `${field(request.method)}\n${field(request.url)}\n${headers.length}\n`;
  for (const [name, value] of headers) text += `${field(name)}\n${field(value)}\n`;
  return text + (request.body ?? '');
}

function field(text) {
  if (text.includes('\n')) throw new Error('a request field holds a line break');
  return text;
}

// The instance of this isolate, re-created after a trap or when the configuration changes.
let current = null;
export function currentInstance(module, config) {
  if (!current || current.broken || current.module !== module) {
    current = new CoreInstance(module, config);
    current.module = module;
  } else if (current.config !== config) {
    current.configure(config);
  }
  return current;
}

// The linear memory of this isolate's instance in bytes (0 before the first call): wasm
// memory only grows, so this is the high-water mark the benchmark's soak watches.
export function currentMemoryBytes() {
  return current && !current.broken ? current.exports.memory.buffer.byteLength : 0;
}
