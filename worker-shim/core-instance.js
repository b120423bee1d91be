// One instance of core.wasm and the byte-level ABI of bindings/ABI.md: write a JSON
// envelope into the module's memory, call an export, read the JSON Step it returns.
//
// A trap (an abort or any WebAssembly.RuntimeError) poisons the instance: every call that
// was suspended in it is lost, so `CoreInstance.current()` hands out a fresh instance and
// the shim answers the failed request with 500.
import { hostImports } from './host-imports.js';

export const WIRE_VERSION = 1;

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

  start(envelope) {
    return this.#call('bmcp_start', [], JSON.stringify(envelope));
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

  #call(name, leading, text) {
    if (this.broken) throw new CoreTrap('core instance is broken');
    return this.#guard(() => {
      const input = this.encoder.encode(text);
      const ptr = this.exports.bmcp_alloc(input.length);
      new Uint8Array(this.exports.memory.buffer, ptr, input.length).set(input);
      let out;
      try {
        out = this.exports[name](...leading, ptr, input.length);
      } finally {
        if (!this.broken) this.exports.bmcp_free(ptr);
      }
      if (!out) throw new Error(`${name} returned no buffer`);
      const view = new DataView(this.exports.memory.buffer);
      const len = view.getUint32(out, true);
      const json = this.decoder.decode(new Uint8Array(this.exports.memory.buffer, out + 4, len));
      this.exports.bmcp_free(out);
      const step = JSON.parse(json);
      if (step.v !== undefined && step.v !== WIRE_VERSION) {
        throw new Error(`core answered wire version ${step.v}; this shim speaks ${WIRE_VERSION}`);
      }
      return step;
    });
  }
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
